"""The simulator's record of received commands stays bounded on a long run (the fault soak's
memory, issue #17) and keeps what tests and the soak's ledger read back: the last commands in
full, every command that changes the world with its place in the sequence, and the count."""

from __future__ import annotations

from types import SimpleNamespace

from lpmtui.sim.world.model import Phase
from lpmtui.sim.world.received import KEEP, CommandLog
from lpmtui.sim.world.state import HISTORY_KEEP


def test_only_the_last_commands_are_kept_but_every_change_and_the_count():
    log = CommandLog(keep=3)
    log.append(("migrlpar", "-o", "m", "-m", "p9-a", "-t", "p9-b", "-p", "web1"))
    for i in range(5):
        log.append(("lssyscfg", "-r", "lpar", "-m", f"f{i}"))
    log.append(("LANG=C", "mkauthkeys", "--ip", "10.0.0.2", "--test"))
    log.append(("lshwres", "-r", "mem", "-m", "f1", "-F", "migrlpar"))
    assert log.total == 8
    assert len(log) == 3
    assert list(log) == [
        ("lssyscfg", "-r", "lpar", "-m", "f4"),
        ("LANG=C", "mkauthkeys", "--ip", "10.0.0.2", "--test"),
        ("lshwres", "-r", "mem", "-m", "f1", "-F", "migrlpar"),
    ]
    assert log[-1] == ("lshwres", "-r", "mem", "-m", "f1", "-F", "migrlpar")
    assert log[-2:] == list(log)[1:]
    assert log.changes == [
        (0, ("migrlpar", "-o", "m", "-m", "p9-a", "-t", "p9-b", "-p", "web1")),
        (6, ("LANG=C", "mkauthkeys", "--ip", "10.0.0.2", "--test")),
    ]


async def test_the_worlds_log_is_bounded(shell):
    log = shell.world.received["hmc-a"]
    assert isinstance(log, CommandLog) and log.recent.maxlen == KEEP >= 1000
    await shell.run("migrlpar -o v -m p9-a -t p9-b -p web1")
    await shell.run("lssyscfg -r sys -F name")
    assert log.total == 2 and log.changes[0][0] == 0 and log[-1][0] == "lssyscfg"


def test_the_worlds_ended_jobs_are_bounded(world):
    for i in range(HISTORY_KEEP + 5):
        world._retire(SimpleNamespace(n=i), Phase.DONE, float(i))
    assert len(world.history) == HISTORY_KEEP
    assert [world.history[0].n, world.history[-1].n] == [5, HISTORY_KEEP + 4]
    assert world.history[-1].phase is Phase.DONE and world.history[-1].ended_at == HISTORY_KEEP + 4
