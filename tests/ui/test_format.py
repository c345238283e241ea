"""The console's wording of model values (pure functions)."""

from __future__ import annotations

from lpmtui.hmc.redact import shown_command
from lpmtui.model import ConnectionState, HmcSnapshot, MigrationStatus
from lpmtui.ui import format as fmt
from lpmtui.ui.rows import Located, matches
from tests.ui.factory import demo_snapshot, lpar


def test_passwords_are_masked_but_partition_names_are_not():
    argv = ("mkauthkeys", "--ip", "10.0.0.2", "-u", "hscroot", "--passwd", "s3cret")
    assert shown_command(argv) == "mkauthkeys --ip 10.0.0.2 -u hscroot --passwd '******'"
    assert "s3cret" not in shown_command(("chsyscfg", "-i", "name=x,password=s3cret"))
    stop = ("migrlpar", "-o", "s", "-m", "p9a", "-p", "db[01]")
    assert shown_command(stop) == "migrlpar -o s -m p9a -p 'db[01]'"


def test_short_labels():
    assert fmt.mb_label(512) == "512M" and fmt.mb_label(16384) == "16G"
    assert fmt.mb_label(1536) == "1.5G" and fmt.mb_label(None) == "?"
    assert fmt.os_label(lpar("s", "a", 1, os_version="AIX 7.3 7300-02-01-2346")) == "7.3 TL02"
    assert fmt.os_label(lpar("s", "a", 1, os_version="Linux/Red Hat 4.18.0 9.2")) == "RHEL 9.2"
    assert fmt.procs_label(lpar("s", "a", 1, proc_mode="ded", curr_procs=4)) == "4p"
    assert fmt.age_label(None) == "never" and fmt.age_label(75) == "1m15s"
    status = MigrationStatus(
        "a", 1, "Migration In Progress", dest_sys_name="p9b", bytes_transmitted=1, bytes_remaining=3
    )
    assert fmt.migration_label(status) == "25% →p9b"
    hmc = HmcSnapshot("h", state=ConnectionState.RECONNECTING, reconnect_attempt=3)
    assert fmt.connection_label(hmc) == "reconnecting 3"


def test_filter_words_match_name_fuzzily_or_context_exactly():
    snap = demo_snapshot()
    hmc = snap.hmcs[0]
    frame = hmc.frames[0]
    db = Located("p9a/3", hmc.hmc, frame, frame.partitions[2], None)
    assert matches("db", db) and matches("d1", db) and matches("p9a running", db)
    assert not matches("web", db) and not matches("db p10a", db)


def test_an_hmc_error_puts_the_reason_first():
    assert fmt.error_headline("hscroot@127.0.0.1:1 (gone): connection refused") == (
        "connection refused — hscroot@127.0.0.1:1 (gone)"
    )
    assert fmt.error_headline("hscroot@h:22 (west via bastion): Permission denied") == (
        "Permission denied — hscroot@h:22 (west via bastion)"
    )
    assert fmt.error_headline("connection lost") == "connection lost"
