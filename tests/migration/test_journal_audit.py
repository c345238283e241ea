"""The journal and audit files: durable, private, readable back, and free of secrets."""

from __future__ import annotations

import json
import stat

from lpmtui.cli import audit as audit_cli
from lpmtui.migration.manager import MigrationRequest, MigrationState
from lpmtui.store.audit import AuditLog
from lpmtui.store.journal import Journal, append_jsonl, read_jsonl, state_dir
from tests.migration.conftest import advance

PASSWORD = "Tr0ub4dor&3-known"


def test_append_creates_private_files_and_tightens_loose_ones(tmp_path):
    path = tmp_path / "deep" / "log.jsonl"
    append_jsonl(path, {"a": 1})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    append_jsonl(path, {"a": 2})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_jsonl(path) == ([{"a": 1}, {"a": 2}], [])


def test_torn_and_foreign_lines_are_skipped_with_a_reason(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"a": 1}\n[1, 2]\n{"b": \n')
    records, problems = read_jsonl(path)
    assert records == [{"a": 1}]
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:2", f"{path}:3"]


def test_journal_folds_records_into_jobs():
    journal = Journal()
    assert journal.path == state_dir() / "journal.jsonl"
    journal.append("j1", "queued", state="queued", request={"partition": "p"}, hmc="h")
    journal.append("j1", "sent", state="starting", argv=["migrlpar", "-o", "m"])
    journal.append("j1", "ended", op="migrate", rc=1, message="HSCL0000 no")
    journal.append("j1", "stop", argv=["migrlpar", "-o", "s"])
    journal.append("j1", "state", state="needs recovery", message="stuck")
    [job] = journal.jobs().values()
    assert (job.job, job.hmc, job.sent, job.stop_sent, job.rc) == ("j1", "h", True, True, 1)
    assert (job.state, job.message) == ("needs recovery", "stuck")
    assert job.command_message == "HSCL0000 no"
    assert job.argv == ("migrlpar", "-o", "m")


def test_audit_scrubs_registered_secrets_everywhere(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl", user="u", secrets=[PASSWORD, ""])
    rec = log.record(
        op="migrate",
        argv=["x", f"pw={PASSWORD}"],
        message=f"bad {PASSWORD}",
        nested={"k": [PASSWORD]},
    )
    assert PASSWORD not in json.dumps(rec)
    assert PASSWORD not in (tmp_path / "a.jsonl").read_text()
    assert rec["argv"][1] == "pw=[redacted]"


async def test_every_state_changing_command_is_audited_and_no_password_is_written(
    make_manager, world, fleet, clock, capsys
):
    fleet.links["hmc1"].password = PASSWORD  # a configured secret the console holds
    manager = make_manager(audit=AuditLog(user="tester", secrets=[PASSWORD]))
    request = MigrationRequest("web1", "SYS-A", "SYS-B")
    await manager.validate(request)
    done = await manager.start(request, confirmed_name="web1")
    stopped = await manager.start(MigrationRequest("web2", "SYS-A", "SYS-B"), confirmed_name="web2")
    await advance(clock, 3)
    await manager.stop(stopped.job_id, confirmed=True)
    await advance(clock, 12)
    world.fail_next = 2
    failed = await manager.start(MigrationRequest("web3", "SYS-A", "SYS-B"), confirmed_name="web3")
    await advance(clock, 6)
    await manager.recover(failed.job_id, confirmed=True)
    await advance(clock, 2)
    states = [manager.job(j.job_id).state for j in (done, stopped, failed)]
    assert states == [MigrationState.SUCCEEDED, MigrationState.STOPPED, MigrationState.RECOVERED]

    records = manager.audit.records()
    changing = [(r["op"], r["phase"]) for r in records if r["changes_state"]]
    assert changing.count(("migrate", "sent")) == 3 and changing.count(("migrate", "done")) == 3
    assert ("stop", "sent") in changing and ("stop", "done") in changing
    assert ("recover", "sent") in changing and ("recover", "done") in changing
    for rec in records:
        assert rec["user"] == "tester" and rec["hmc"] == "hmc1" and rec["at"].endswith("Z")
        assert rec["argv"] and rec["command"].startswith(rec["argv"][0])
    done_records = [r for r in records if r["phase"] == "done"]
    assert all("duration" in r and "outcome" in r for r in done_records)
    failed_migrate = next(
        r
        for r in done_records
        if r["op"] == "migrate" and r["outcome"] == "failed" and r["partition"] == "web3"
    )
    assert "HSCLSIM01" in failed_migrate["message"]

    written = [p for p in state_dir().rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"audit.jsonl", "journal.jsonl"}
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert PASSWORD not in path.read_text()

    assert audit_cli.main([]) == 0
    out = capsys.readouterr().out
    assert "migrlpar -o m -m SYS-A -t SYS-B -p web1" in out
    assert "HSCLSIM01" in out and "read-only check" in out
    assert audit_cli.main(["--json", "--last", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["user"] == "tester" for line in lines)


def test_audit_cli_on_an_empty_log_and_a_bad_config(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert audit_cli.main(["--file", str(empty)]) == 0
    assert "No audit records" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("hmcs: [\n")
    assert audit_cli.main(["--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lpmtui audit: ") and len(err.strip().splitlines()) == 1
