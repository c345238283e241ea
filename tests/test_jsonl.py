"""store/jsonl.py: the one JSONL appender and reader behind the journal and the audit log."""

from __future__ import annotations

import json
import stat

import pytest

from lpmtui.store import audit, journal
from lpmtui.store.jsonl import UnreadableFile, append_jsonl, read_jsonl


def test_append_makes_a_private_directory_and_file(tmp_path):
    path = tmp_path / "new" / "log.jsonl"
    append_jsonl(path, {"a": 1})
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == '{"a":1}\n'


def test_a_torn_last_line_is_skipped_and_named(tmp_path):
    path = tmp_path / "log.jsonl"
    append_jsonl(path, {"a": 1})
    with path.open("a") as f:
        f.write('{"a": 2, "b"')  # the writer died here
    assert read_jsonl(path) == ([{"a": 1}], [f"{path}:2: unreadable record skipped ({_msg()})"])


def _msg() -> str:
    try:
        json.loads('{"a": 2, "b"')
    except json.JSONDecodeError as exc:
        return exc.msg
    raise AssertionError


def test_a_missing_file_is_empty_unless_it_must_exist(tmp_path):
    path = tmp_path / "none.jsonl"
    assert read_jsonl(path) == ([], [])
    with pytest.raises(UnreadableFile) as caught:
        read_jsonl(path, missing_ok=False)
    assert str(caught.value) == f"cannot read {path}: no such file"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "it is a directory"),
        (lambda p: None, "Not a directory"),  # its parent is a file
    ],
)
def test_an_unreadable_file_is_one_line_naming_it(tmp_path, make, reason):
    (tmp_path / "file").write_text("x")
    path = tmp_path / "log.jsonl" if reason == "it is a directory" else tmp_path / "file" / "x"
    make(path)
    with pytest.raises(UnreadableFile) as caught:
        read_jsonl(path)
    assert str(caught.value) == f"cannot read {path}: {reason}"
    assert isinstance(caught.value, OSError) and caught.value.path == path


def test_journal_and_audit_use_the_shared_helper():
    assert journal.append_jsonl is append_jsonl and journal.read_jsonl is read_jsonl
    assert audit.append_jsonl is append_jsonl and audit.read_jsonl is read_jsonl
