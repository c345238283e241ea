"""HMC failures become typed errors that keep the HMC's text verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpmtui.hmc import errors
from lpmtui.hmc import messages as hmc_messages
from lpmtui.hmc.runner import CommandResult

FIXTURES = Path(__file__).parent / "fixtures"


def result(stdout: str, rc: int | None, stderr: str = "") -> CommandResult:
    return CommandResult(argv=("lssyscfg", "-r", "sys"), rc=rc, stdout=stdout, stderr=stderr)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "cls", "ids"),
    [
        (
            "HSCL8012 The partition named lp9 was not found.\n",
            errors.NotFoundError,
            ("HSCL8012",),
        ),
        (
            "HSCL0238 This operation is only allowed when the managed system is in the "
            "Operating state.\n",
            errors.NotOperatingError,
            ("HSCL0238",),
        ),
        (
            "This operation is only allowed when the managed system is in the Standby or "
            "Operating state.\n",
            errors.NotOperatingError,
            (),
        ),
        (
            "HSCL350B The user does not have the appropriate authority.\n",
            errors.PermissionDeniedError,
            ("HSCL350B",),
        ),
        (fixture("mkauthkeys-test-error-01.txt"), errors.RemoteTrustError, ("HSCL3653",)),
        (fixture("chhwres-sriov-error-01.txt"), errors.HmcError, ("HSCL127D", "HSCL1288")),
        (fixture("lshwres-virtualio-fc-error-01.txt"), errors.UnsupportedError, ("HSCLA4C0",)),
        (
            "The command entered is either missing a required parameter or a parameter value "
            "is invalid.  The parameters that are missing or have an invalid value are -m.\n",
            errors.MissingParameterError,
            (),
        ),
        (fixture("lssyscfg-sys-error-01.txt"), errors.InvalidAttributeError, ()),
        (
            "An invalid attribute was entered.  The invalid attribute is type_serial.  "
            "Correct the entry and retry the command.\n",
            errors.InvalidAttributeError,
            (),
        ),
        (fixture("hmc-shell-unknown-command-01.txt"), errors.CommandNotFoundError, ()),
        (
            "The account is locked due to 3 failed logins.\n(5 minutes left to unlock)\n",
            errors.AccountLockedError,
            (),
        ),
        ("something the HMC never said before\n", errors.HmcError, ()),
    ],
)
def test_failures_are_classified_and_kept_verbatim(text, cls, ids):
    error = errors.error_from(result(text, 1))
    assert type(error) is cls
    assert error.ids == ids
    assert error.text == text.strip("\n")
    assert error.rc == 1
    assert error.argv == ("lssyscfg", "-r", "sys")
    assert str(error) == text.strip().splitlines()[0].strip()
    with pytest.raises(cls):
        errors.check(result(text, 1))


def test_nested_ids_and_the_outer_id():
    error = errors.error_from(fixture("chhwres-sriov-error-01.txt"), 1)
    assert error.id == "HSCL127D"
    assert (
        error.text
        == "HSCL127D: HSCL1288 logical port 27004002 is already assigned to the partition."
    )


def test_details_named_by_the_message():
    invalid = errors.error_from(fixture("lssyscfg-sys-error-01.txt"), 1)
    assert invalid.attribute == "type_serial"
    english = errors.classify(
        "An invalid attribute was entered.  The invalid attribute is UUID.  Retry."
    )
    assert english.attribute == "UUID"
    missing = errors.error_from(fixture("hmc-shell-unknown-command-01.txt"), 127)
    assert missing.command == "last"
    assert errors.classify("bash: bc: command not found").command == "bc"


def test_success_and_unknown_outcomes():
    assert errors.error_from(result("name=a\n", 0)) is None
    assert errors.check(result("name=a\n", 0)) == "name=a\n"
    # a validation with warnings exits 0: not an error
    assert errors.error_from(result("Warnings:\nHSCLA2A0 something\n", 0)) is None
    lost = errors.error_from(result("", None))
    assert isinstance(lost, errors.OutcomeUnknownError)
    assert "outcome" in str(lost) or "lost" in str(lost)
    with pytest.raises(errors.OutcomeUnknownError):
        errors.check(result("", None))


def test_bare_text_with_and_without_rc():
    assert errors.error_from("HSCL8012 The partition named x was not found.") is not None
    assert errors.error_from("name=a,lpar_id=1\n") is None
    assert errors.error_from("HSCL8012 The partition named x was not found.", 0) is None
    generic = errors.error_from("", 2)
    assert type(generic) is errors.HmcError
    assert str(generic) == "exit status 2 without a message"


def test_stderr_is_used_when_stdout_is_empty():
    error = errors.error_from(result("", 1, stderr="HSCL8012 The partition named x was not found."))
    assert isinstance(error, errors.NotFoundError)


def test_message_ids():
    assert errors.message_ids("HSCLA319 The migrating partition's ...") == ("HSCLA319",)
    assert errors.message_ids("HSCL127D: HSCL1288 logical port") == ("HSCL127D", "HSCL1288")
    assert errors.message_ids("The HSCL8012 in the middle") == ()


@pytest.mark.parametrize(
    ("mid", "cls"),
    [
        (hmc_messages.NO_TRUST, errors.RemoteTrustError),
        (hmc_messages.NOT_OPERATING, errors.NotOperatingError),
        (hmc_messages.LPAR_NOT_FOUND, errors.NotFoundError),
        (hmc_messages.RMC_DOWN, errors.HmcError),
        (hmc_messages.VFC_NOT_HOSTABLE, errors.HmcError),
    ],
)
def test_the_shared_evidenced_texts_classify(mid, cls):
    """The texts lpmtui.hmc.messages holds (and the simulator prints) read as their errors,
    with or without the id (NOT_OPERATING is also recognised by its text alone)."""
    text = hmc_messages.TEXTS[mid].format(name="app1", slot="4", user="hscroot")
    error = errors.classify(f"{mid} {text}", rc=1)
    assert type(error) is cls and error.ids == (mid,)
    if mid == hmc_messages.NOT_OPERATING:
        assert type(errors.classify(text, rc=1)) is errors.NotOperatingError


def test_the_shared_bad_parameter_text_is_a_missing_parameter_error():
    text = hmc_messages.BAD_PARAMETER_TEXT.format(params="-m")
    assert type(errors.classify(text, rc=1)) is errors.MissingParameterError
    assert errors.error_from(text) is not None  # recognised without an rc
