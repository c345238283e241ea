"""Local checks set beside the HMC's own migrlpar -o v messages."""

from __future__ import annotations

from lpmtui.eligibility import AgreementKind, compare, evaluate
from lpmtui.eligibility.catalogue import BY_ID
from lpmtui.eligibility.compare import MESSAGE_RULES
from lpmtui.model import HmcMessage, ValidationResult


def _validation(*errors: HmcMessage, warnings=()) -> ValidationResult:
    return ValidationResult("app1", "A", "B", 1 if errors else 0, tuple(errors), tuple(warnings))


def _by_rule(agreements):
    return {a.rule_id: a for a in agreements}


def test_every_mapped_rule_exists():
    for ids in MESSAGE_RULES.values():
        for rule_id in ids:
            assert rule_id in BY_ID, rule_id


def test_clean_validation_agrees_with_a_clean_verdict(fleet):
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    out = compare(v, _validation())
    kinds = {a.kind for a in out}
    assert kinds == {AgreementKind.AGREE, AgreementKind.UNKNOWN}
    assert _by_rule(out)["lpar.console"].kind is AgreementKind.UNKNOWN


def test_rmc_message_agrees_with_the_local_failure(fleet):
    fleet.lpar("A", 3, rmc_state="inactive")
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    msg = HmcMessage("HSCLA246", "The management console cannot communicate with partition app1.")
    a = _by_rule(compare(v, _validation(msg)))["lpar.rmc"]
    assert a.kind is AgreementKind.AGREE and a.hmc[0].startswith("HSCLA246 ")


def test_rmc_message_about_a_target_vios_lands_on_the_target_msp_rule(fleet):
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    msg = HmcMessage(
        "HSCLA246", "The management console cannot communicate with partition B-vios1."
    )
    a = _by_rule(compare(v, _validation(msg)))["vios.msp.target"]
    assert a.kind is AgreementKind.HMC_ONLY


def test_local_only_and_unmapped_messages(fleet):
    fleet.system("B", mem_region_size=128)
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    out = compare(v, _validation(HmcMessage("HSCLX999", "something else")))
    assert _by_rule(out)["server.lmb"].kind is AgreementKind.LOCAL_ONLY
    unmapped = [a for a in out if a.rule_id == ""]
    assert unmapped and unmapped[0].kind is AgreementKind.HMC_ONLY


def test_side_is_picked_from_the_names_in_the_message(fleet):
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    msg = HmcMessage(
        "HSCLSIM18",
        "VLAN 100 on virtual switch ETHERNET0 used by partition app1 "
        "is not bridged by a shared Ethernet adapter on B.",
    )
    assert (
        _by_rule(compare(v, _validation(msg)))["lpar.vlans_target"].kind is AgreementKind.HMC_ONLY
    )


def test_warnings_do_not_count_as_objections(fleet):
    fleet.lpar("B", 1, state="Not Activated", rmc_state="inactive")
    v = evaluate(fleet.snapshot(), ("A", 3), "B")
    warn = HmcMessage("HSCLSIM38", "redundancy lost")
    a = _by_rule(compare(v, _validation(warnings=(warn,))))["lpar.storage_target"]
    assert a.kind is AgreementKind.AGREE and a.hmc == ("HSCLSIM38 redundancy lost",)


def test_after_a_stopper_the_unchecked_rules_are_unknown(fleet):
    fleet.hmc("hmc1", peer_trust=(("hmc2", False),))
    fleet.system("C", mem_region_size=128)
    v = evaluate(fleet.snapshot(), ("A", 3), "C")
    msg = HmcMessage("HSCL3653", "The Secure Shell (SSH) communication configuration ...")
    out = _by_rule(compare(v, _validation(msg)))
    assert out["console.remote_trust"].kind is AgreementKind.AGREE
    assert out["server.lmb"].kind is AgreementKind.UNKNOWN
    assert "HSCL3653" in out["server.lmb"].note
