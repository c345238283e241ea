"""Parse calls in the fleet: a bad field never loses the HMC's poll (item 7), a parser bug is
one error line, and a large output is parsed off the event loop (item 8)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import warnings
from collections.abc import Sequence
from functools import partial

from lpmtui.fleet.collector import Collector
from lpmtui.fleet.link import OFF_LOOP_BYTES, HmcCommands
from lpmtui.hmc import commands, parse, records
from lpmtui.hmc.parse import Parsed
from lpmtui.hmc.runner import CommandResult
from lpmtui.model import ConnectionState


class ScriptedLink:
    """An HmcLink whose every command prints ``outputs[argv[0]]`` with rc 0."""

    name = host = "hmc1"
    kind = "hmc"
    peer_address = last_error = host_key_fingerprint = ""
    state = ConnectionState.CONNECTED
    reconnect_attempt = 0

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs

    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
        return CommandResult(tuple(argv), 0, self.outputs.get(argv[0], records.NO_RESULTS))


HUGE_VERSION = records.format_records([{"version": "Version: " + "9" * 4301 + "\nRelease: 3\n"}])


async def test_a_huge_version_number_is_an_error_line_not_a_lost_poll():
    collector = Collector(ScriptedLink({"lshmc": HUGE_VERSION}))
    snapshot = await collector.poll()
    assert snapshot.version is None
    assert any("lshmc -V: version '9999" in e for e in snapshot.errors), snapshot.errors
    assert snapshot.taken_at  # the frame listing was read: the poll went on


async def test_a_superscript_pool_id_is_a_problem_line():
    hmc = HmcCommands(ScriptedLink({"lslparmigr": "shared_proc_pool_ids=²\n"}))
    errors: list[str] = []
    found = await hmc.listing(commands.proc_pools("S", "T", 3), parse.proc_pools, errors)
    assert [p.id for p in found] == [None]
    assert errors == [
        "lslparmigr -r procpool -m S -t T --filter lpar_ids=3: "
        "procpool record 1: pool id '²' is not a number"
    ]


async def test_a_parser_bug_is_one_error_line_and_the_fallback():
    def broken(text: str, fields: Sequence[str], delimiter: str) -> Parsed[int]:
        raise ZeroDivisionError("bug")

    hmc = HmcCommands(ScriptedLink({"lssyscfg": "name=a\n"}))
    errors: list[str] = []
    work = partial(hmc.listing, commands.systems(), broken, errors)
    got = await hmc.piece(work, "kept", errors)
    assert got == "kept"
    assert errors == [f"{commands.systems().line}: unreadable output (ZeroDivisionError)"]


async def test_a_piece_cancelled_before_it_starts_leaves_no_coroutine_never_awaited():
    """A poll stopped as the console quits cancels pieces that have not run yet: the command's
    coroutine is made by the piece itself, so none is left unawaited (a RuntimeWarning)."""
    hmc = HmcCommands(ScriptedLink({"lssyscfg": "name=a\n"}))
    errors: list[str] = []
    made: list[str] = []

    def work():
        made.append("coroutine")
        return hmc.listing(commands.systems(), parse.systems, errors)

    task = asyncio.ensure_future(hmc.piece(work, "kept", errors))
    task.cancel()  # before its first step
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.collect()
    assert made == []
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    await hmc.piece(work, "kept", errors)
    assert made == ["coroutine"]  # a piece that runs makes its coroutine


async def test_large_outputs_are_parsed_off_the_loop_small_ones_on_it():
    threads: list[threading.Thread] = []

    def spy(text: str, fields: Sequence[str], delimiter: str) -> Parsed[int]:
        threads.append(threading.current_thread())
        return Parsed((len(text),))

    small = "name=a\n"
    large = "name=a\n" * (OFF_LOOP_BYTES // 7 + 1)
    for text in (small, large):
        hmc = HmcCommands(ScriptedLink({"lssyscfg": text}))
        await hmc.listing(commands.systems(), spy, [])
    assert threads[0] is threading.current_thread()
    assert threads[1] is not threading.current_thread()
