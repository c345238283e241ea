"""Audit records carry the partition's name beside its id, the evacuation a move belongs to,
the console's user and host and the confirmation (how, and what was typed); ``lpmtui audit``
prints them, and an older record without them reads as "unknown"."""

from __future__ import annotations

from lpmtui.cli.audit import format_record
from lpmtui.cli.audit import main as audit_main
from lpmtui.store.audit import AuditLog
from lpmtui.store.jsonl import read_jsonl
from tests.report.window import record_window


async def test_every_migrate_record_says_who_what_and_which_evacuation(stack, capsys):
    made = await record_window(stack)
    records, _ = read_jsonl(AuditLog().path)
    sent = [r for r in records if r["op"] == "migrate" and r["phase"] == "sent"]
    assert len(sent) == 7
    alone, *moves = sent
    assert (alone["partition"], alone["lpar_id"], alone["typed"]) == (
        "web1",
        made["lpar_id"],
        "web1",
    )
    assert alone["confirmation"] == "partition name typed" and alone["evacuation"] is None
    for r in moves:  # out and home: the same evacuation, confirmed by the frame's name
        assert r["evacuation"] == made["evacuation"].id and r["typed"] == "p9-a"
        assert isinstance(r["lpar_id"], int) and r["console_host"] and r["user"]
    done = [r for r in records if r["op"] == "migrate" and r["phase"] == "done"]
    assert [r["evacuation"] for r in done] == [None] + [made["evacuation"].id] * 6
    assert all(r["bytes_moved"] >= 8 * 1024**3 for r in done[1:])
    assert audit_main([]) == 0
    out = capsys.readouterr().out
    assert f"web1 (id {made['lpar_id']}) p9-a → p10-c" in out
    assert f"evacuation {made['evacuation'].id}" in out
    assert "confirmed: partition name typed: typed 'web1')" in out
    assert "confirmed: frame name typed (evacuate p9-a, 3 partitions): typed 'p9-a'" in out


def test_an_old_record_reads_with_unknown_for_what_it_lacks():
    old = {
        "at": "2026-11-27T06:17:55Z",
        "user": "root",
        "hmc": "hmc-v10",
        "phase": "sent",
        "op": "migrate",
        "partition": "db1",
        "argv": ["migrlpar", "-o", "m", "-m", "A", "-t", "B", "--id", "3"],
    }
    line = format_record(old)
    assert line.startswith("2026-11-27 06:17:55Z  root@unknown  hmc-v10  sent")
    assert "db1 (id unknown)  migrlpar -o m" in line
