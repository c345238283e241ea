"""``lpmtui audit``: which log it reads, and one line with exit 2 for anything wrong."""

from __future__ import annotations

import json

import pytest

from lpmtui.cli.audit import main
from lpmtui.store.journal import state_dir
from tests.cli_pipe import run_into_closed_pipe

RECORD = {
    "at": "2026-11-27T06:17:55Z",
    "user": "root",
    "hmc": "hmc-v10",
    "phase": "sent",
    "argv": ["migrlpar", "-o", "m", "-m", "A", "-t", "B", "--id", "3"],
}


def write_log(path, count: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps({**RECORD, "argv": [*RECORD["argv"][:-1], str(i)]}) for i in range(count))
    path.write_text("".join(line + "\n" for line in lines))


def test_lpmtui_audit_demo_reads_the_demo_s_own_log(capsys):
    demo = state_dir() / "demo"
    demo.mkdir(parents=True)
    (demo / "audit.jsonl").write_text(
        '{"time": "2026-11-27T06:17:55Z", "user": "root", "hmc": "hmc-v10", "outcome": "sent", '
        '"argv": ["migrlpar", "-o", "m", "-m", "A", "-t", "B", "--id", "3"]}\n'
    )
    assert main(["--demo"]) == 0
    assert "migrlpar -o m -m A -t B --id 3" in capsys.readouterr().out


def test_config_names_the_log_and_no_credential_is_needed_to_read_it(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LPMTUI_TEST_UNSET_PASSWORD", raising=False)
    log = tmp_path / "elsewhere" / "audit.jsonl"
    write_log(log)
    config = tmp_path / "config.yaml"
    config.write_text(
        "hmcs:\n"
        "  - name: hmc-east\n"
        "    host: hmc-east.example.com\n"
        "    auth: {password_env: LPMTUI_TEST_UNSET_PASSWORD}\n"
        "paths:\n"
        f"  audit_file: {log}\n"
    )
    assert main(["--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "migrlpar -o m -m A -t B --id 0" in out and err == ""


def test_last_keeps_the_last_n_records(tmp_path, capsys):
    write_log(tmp_path / "a.jsonl", 5)
    assert main(["--file", str(tmp_path / "a.jsonl"), "--json", "--last", "2"]) == 0
    ids = [json.loads(line)["argv"][-1] for line in capsys.readouterr().out.splitlines()]
    assert ids == ["3", "4"]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_last_must_be_a_positive_number(tmp_path, capsys, value):
    write_log(tmp_path / "a.jsonl", 3)
    assert main(["--file", str(tmp_path / "a.jsonl"), f"--last={value}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"lpmtui audit: argument --last: expected a number of records (1 or more), got {value!r}\n"
    )


def test_a_file_that_is_not_there_is_an_error(tmp_path, capsys):
    missing = tmp_path / "nonexistent.jsonl"
    assert main(["--file", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"lpmtui audit: cannot read {missing}: no such file\n"


def test_a_directory_is_an_unreadable_file(tmp_path, capsys):
    assert main(["--file", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"lpmtui audit: cannot read {tmp_path}: it is a directory\n"


def test_a_log_not_written_yet_is_no_records_not_an_error(capsys):
    assert main([]) == 0
    assert capsys.readouterr().out == f"No audit records in {state_dir() / 'audit.jsonl'}.\n"


def test_an_unknown_option_is_one_line(capsys):
    assert main(["--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lpmtui audit: ") and err.count("\n") == 1


@pytest.mark.slow
@pytest.mark.parametrize("fmt", [[], ["--json"]], ids=["text", "json"])
def test_a_closed_pipe_ends_quietly_with_status_0(fmt):
    write_log(state_dir() / "demo" / "audit.jsonl", 3000)  # far more than a pipe buffer holds
    lines, status, err = run_into_closed_pipe("audit", "--demo", *fmt)
    assert len(lines) == 2 and all("hmc-v10" in line and "migrlpar" in line for line in lines)
    assert (status, err) == (0, "")
