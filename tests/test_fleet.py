"""Collectors and the Fleet, in-process: against a fake HMC that answers with the real samples
(tests/fixtures), and against the simulator's shell when it is available."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from lpmtui.fleet.fleet import Fleet, FleetError
from lpmtui.hmc import records
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.runner import CommandResult
from lpmtui.model import ConnectionState, FleetSnapshot, SharedProcPool

FIXTURES = Path(__file__).parent / "fixtures"
SYS = "9131-52A*6535CCG"  # the frame of the real samples
OFF = "9131-52A*OFF0001"  # a powered-off twin of it


def fx(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _powered_off() -> str:
    (record,) = records.parse(fx("lssyscfg-sys-05.txt"))
    record.update(name="frame-off", serial_num="OFF0001")
    return records.format_records([record])


# default listings a POWER5 HMC prints, keyed by (command, resource[, level or subtype])
LISTINGS = {
    ("lshmc", "-V"): fx("lshmc-V-01.txt"),
    ("lslparmigr", "manager"): "remote_lpar_mobility_capable=1\n",
    ("lssyscfg", "sys"): fx("lssyscfg-sys-04.txt") + _powered_off(),
    ("lssyscfg", "lpar"): fx("lssyscfg-lpar-01.txt"),
    ("lssyscfg", "prof"): fx("lssyscfg-prof-01.txt"),
    ("lshwres", "mem", "sys"): fx("lshwres-mem-sys-01.txt"),
    ("lshwres", "proc", "sys"): fx("lshwres-proc-sys-01.txt"),
    ("lshwres", "mem", "lpar"): fx("lshwres-mem-lpar-01.txt"),
    ("lshwres", "proc", "lpar"): (
        "lpar_name=nim1,lpar_id=5,curr_shared_proc_pool_id=0,curr_proc_mode=shared,"
        "curr_proc_units=0.3,curr_procs=1\n"
        "lpar_name=vios1,lpar_id=2,curr_shared_proc_pool_id=0,curr_proc_mode=shared,"
        "curr_proc_units=0.3,curr_procs=1\n"
    ),
    ("lshwres", "io", "slot"): fx("lshwres-io-slot-01.txt"),
    # [M] no real sample: the attribute names from memory of the lshwres man page
    ("lshwres", "procpool", None): (
        'name=DefaultPool,shared_proc_pool_id=0,"lpar_names=nim1,vios1,vios2","lpar_ids=5,2,3"\n'
    ),
    ("lshwres", "virtualio", "scsi"): fx("lshwres-virtualio-scsi-01.txt"),
    ("lshwres", "virtualio", "eth"): fx("lshwres-virtualio-eth-01.txt"),
    ("lshwres", "virtualio", "slot"): fx("lshwres-virtualio-slot-01.txt"),
    ("lslparmigr", "sys"): (
        "inactive_lpar_mobility_capable=0,num_inactive_migrations_supported=0,"
        "num_inactive_migrations_in_progress=0,active_lpar_mobility_capable=0,"
        "num_active_migrations_supported=0,num_active_migrations_in_progress=0\n"
    ),
    ("lslparmigr", "lpar"): (
        "name=nim1,lpar_id=5,migration_state=Not Migrating\n"
        "name=vios2,lpar_id=3,migration_state=Not Migrating\n"
        "name=vios1,lpar_id=2,migration_state=Not Migrating\n"
        "name=dump,lpar_id=1,migration_state=Not Migrating\n"
    ),
    ("lslic", "sys"): "activated_level=30,activated_spname=SF240_338\n",
}
ERRORS = {
    ("lshwres", "virtualio", "fc"): fx("lshwres-virtualio-fc-error-01.txt"),
    ("mkauthkeys",): fx("mkauthkeys-test-error-01.txt"),
    ("migrlpar",): fx("migrlpar-validate-error-01.txt"),
}
NOT_OPERATING = (
    "HSCL0238 This operation is only allowed when the managed system is in the Operating state.\n"
)
INVALID_ATTRIBUTE = (
    "An invalid attribute was entered.  The invalid attribute is {}.  Correct the entry and "
    "retry the command.\n"
)


def _key(argv: Sequence[str]) -> tuple[str, ...]:
    def opt(flag: str) -> str | None:
        return argv[argv.index(flag) + 1] if flag in argv else None

    name = argv[0]
    if name == "lshmc":
        return ("lshmc", "-V")
    if name in ("lssyscfg", "lslparmigr"):
        return (name, opt("-r"))
    if name == "lslic":
        return ("lslic", opt("-t"))
    if name == "lshwres":
        return ("lshwres", opt("-r"), opt("--rsubtype") or opt("--level"))
    return (name,)


class SampleHmc:
    """A fake HMC link answering with the real samples, as a POWER5-era HMC would.

    ``-F`` output is formatted from the sample records; asking for a name a sample does not
    carry gets the HMC's invalid-attribute error (as a real HMC of that level answers).
    """

    def __init__(self, name: str, host: str = "", peer_address: str = "") -> None:
        self.name = name
        self.host = host or f"{name}.example"
        self.kind = "hmc"
        self.peer_address = peer_address
        self.state = ConnectionState.CONNECTED
        self.reconnect_attempt = 0
        self.last_error = ""
        self.host_key_fingerprint = ""
        self.user = "hscroot"
        self.sent: list[tuple[str, ...]] = []
        self.overrides: dict[tuple[str, ...], tuple[str, int]] = {}
        self.delay = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    async def run(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
        argv = tuple(argv)
        command_line(argv)  # what a real link would send; refuses what cannot be sent
        self.sent.append(argv)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            stdout, rc = self._answer(argv)
        finally:
            self.in_flight -= 1
        return CommandResult(argv, rc, stdout, "", time.time(), self.delay)

    def _answer(self, argv: tuple[str, ...]) -> tuple[str, int]:
        key = _key(argv)
        if key in self.overrides:
            text, rc = self.overrides[key]
        elif "-m" in argv and argv[argv.index("-m") + 1] == OFF and key != ("lssyscfg", "sys"):
            return NOT_OPERATING, 1
        elif key in ERRORS:
            return ERRORS[key], 1
        elif key in LISTINGS:
            text, rc = LISTINGS[key], 0
        else:
            return f"/bin/bash: {argv[0]}: command not found\n", 127
        if rc != 0 or "-F" not in argv:
            return text, rc
        try:
            rows = records.parse(text)
        except records.RecordParseError:
            return text, rc  # garbage stays garbage
        names = argv[argv.index("-F") + 1].split(",")
        for name in names:
            if any(name not in row for row in rows):
                return INVALID_ATTRIBUTE.format(name), 1
        return records.format_fields(rows, names), 0


def frame(snapshot: FleetSnapshot, name: str):
    found = snapshot.frame(name)
    assert found is not None, name
    return found[1]


async def test_first_poll_builds_frames_from_the_real_samples():
    link = SampleHmc("hmc1")
    fleet = Fleet([link], clock=lambda: 1000.0)
    snap = await fleet.refresh_now()
    (hmc,) = snap.hmcs
    assert hmc.state is ConnectionState.CONNECTED and hmc.taken_at == 1000.0
    assert hmc.version.label == "V7R7.9.0 SP3"
    assert hmc.manager.remote_lpar_mobility_capable is True
    assert hmc.errors == ()
    on = frame(snap, "9131-52A-6535CCG")
    assert on.system.mem_region_size == 128 and on.system.mem_available == 13696
    assert on.system.proc_units_available == 1.1
    assert on.system.num_active_migrations_supported == 0
    assert on.errors == ()
    parts = {p.name: p for p in on.partitions}
    assert set(parts) == {"nim1", "vios1", "vios2", "dump"}
    assert parts["nim1"].curr_mem == 6144 and parts["nim1"].curr_proc_units == 0.3
    assert parts["vios1"].curr_num_huge_pages is None
    assert [m.migration_state for m in on.migrations] == ["Not Migrating"] * 4
    # the powered-off frame is listed as it is, with no partitions and no error
    off = frame(snap, "frame-off")
    assert off.system.state == "Power Off" and off.partitions == () and off.errors == ()
    assert not [a for a in link.sent if OFF in a and a[:3] != ("lssyscfg", "-r", "sys")]


async def test_hot_polls_send_the_fewest_commands():
    link = SampleHmc("hmc1")
    fleet = Fleet([link])
    await fleet.refresh_now()
    first = list(link.sent)
    link.sent.clear()
    await fleet.refresh_now()
    # one frame listing per HMC, then per Operating frame its four partition-level listings
    # (nothing changed, so not the frame's own capacity and counters), nothing for the other
    assert len(link.sent) == 1 + 4
    assert link.sent[0][:3] == ("lssyscfg", "-r", "sys")
    assert sum(a[:3] == ("lssyscfg", "-r", "lpar") for a in link.sent) == 1
    assert not [a for a in link.sent if "--level" in a and a[a.index("--level") + 1] == "sys"]

    # names this HMC level rejected (the POWER5 samples lack e.g. msp, lpar_proc_compat_modes,
    # huge pages on VIOS lines) were asked once; the default listing is used from then on
    def sent(*head: str, among=link.sent) -> tuple[str, ...]:
        return [a for a in among if a[: len(head)] == head][-1]

    assert "-F" not in sent("lssyscfg", "-r", "sys")
    assert "-F" not in sent("lssyscfg", "-r", "lpar")
    assert "-F" not in sent("lshwres", "-r", "mem", "-m", SYS, "--level", "lpar")
    # the frame's own listings were asked on the first poll, each -F list all there
    assert "-F" in sent("lshwres", "-r", "mem", "-m", SYS, "--level", "sys", among=first)
    assert "-F" in sent("lshwres", "-r", "proc", "-m", SYS, "--level", "sys", among=first)


async def test_a_frames_own_listings_follow_its_partitions():
    from lpmtui.fleet.collector import SYSTEM_REFRESH_EVERY
    from lpmtui.sim.world.state import World

    world = World.from_yaml(SIM_FLEET)
    link = ShellLink(world, "hmc1")
    fleet = Fleet([link])
    await fleet.refresh_now()

    def system_listings() -> int:
        return sum(
            a[:2] in (("lshwres", "-r"), ("lslparmigr", "-r")) and "sys" in a
            for a in world.received["hmc1"]
        )

    asked = system_listings()
    await fleet.refresh_now()
    assert system_listings() == asked  # nothing changed: not asked
    lp = world.frames["frame A"].by_name("lp one")
    lp.mem //= 2  # a DLPAR elsewhere: the partition listing shows it
    await fleet.refresh_now()
    assert system_listings() == asked + 3
    free = frame(fleet.snapshot, "frame A").system.mem_available
    assert free == world.frames["frame A"].mem_available()
    asked = system_listings()
    for _ in range(SYSTEM_REFRESH_EVERY - 1):
        await fleet.refresh_now()
    assert system_listings() == asked  # quiet
    await fleet.refresh_now()
    assert system_listings() == asked + 3  # and still asked now and then


async def test_cold_data_on_demand():
    link = SampleHmc("hmc1")
    fleet = Fleet([link])
    await fleet.refresh_now()
    seen: list[FleetSnapshot] = []
    fleet.subscribe(seen.append)
    cold = await fleet.cold("9131-52A-6535CCG")
    assert len(cold.scsi) == 4 and len(cold.eth) == 8 and len(cold.slots) == 4
    assert len(cold.io_slots) == 10 and len(cold.profiles) == 6
    assert cold.fc == ()  # HSCLA4C0: this system has no virtual FC; not an error
    assert cold.optical == ()  # both VIOSes have RMC inactive: viosvrcmd is not tried
    assert cold.proc_pools == (SharedProcPool(0, "DefaultPool"),)
    assert not [a for a in link.sent if a[0] == "viosvrcmd"]
    on = frame(seen[-1], "9131-52A-6535CCG")
    assert on.cold == cold and on.errors == ()
    assert on.system.firmware_level == "SF240_338"
    await fleet.refresh_now()  # the firmware level and cold data survive hot polls
    on = frame(fleet.snapshot, "9131-52A-6535CCG")
    assert on.system.firmware_level == "SF240_338" and on.cold == cold
    with pytest.raises(FleetError):
        await fleet.cold("no such frame")


async def test_peer_trust_and_validation_across_hmcs():
    hmc1 = SampleHmc("hmc1", peer_address="10.0.0.1")
    hmc2 = SampleHmc("hmc2", peer_address="10.0.0.2")
    (record,) = records.parse(fx("lssyscfg-sys-04.txt"))
    record.update(name="target", serial_num="TGT0001")
    hmc2.overrides[("lssyscfg", "sys")] = (records.format_records([record]), 0)
    hmc2.overrides[("mkauthkeys",)] = ("", 0)
    fleet = Fleet([hmc1, hmc2])
    await fleet.refresh_now()
    for link in (hmc1, hmc2):
        await fleet.collectors[link.name].poll(cold_due=True)
    trust = {h.hmc: dict(h.peer_trust) for h in fleet._merge().hmcs}
    assert trust == {"hmc1": {"hmc2": False}, "hmc2": {"hmc1": True}}
    assert ("mkauthkeys", "--ip", "10.0.0.2", "-u", "hscroot", "--test") in hmc1.sent

    assert fleet.link_for_system("target") is hmc2
    result = await fleet.validate("9131-52A-6535CCG", 5, "target")
    (sent,) = [a for a in hmc1.sent if a[0] == "migrlpar"]
    assert sent == (
        "migrlpar", "-o", "v", "-m", SYS, "-t", "9131-52A*TGT0001",
        "--ip", "10.0.0.2", "-u", "hscroot", "--id", "5",
    )  # fmt: skip
    assert (result.partition, result.target) == ("nim1", "target")
    assert result.source == "9131-52A-6535CCG"
    assert not result.ok and result.errors[0].id == "HSCLA319"
    # a target on the same HMC needs no --ip
    await fleet.validate("9131-52A-6535CCG", 5, "frame-off")
    assert "--ip" not in [a for a in hmc1.sent if a[0] == "migrlpar"][-1]


async def test_a_link_that_is_down_keeps_its_frames_marked_stale():
    link = SampleHmc("hmc1")
    now = [100.0]
    fleet = Fleet([link], clock=lambda: now[0])
    await fleet.refresh_now()
    link.state, link.reconnect_attempt, link.last_error = (
        ConnectionState.RECONNECTING,
        2,
        "connection lost",
    )
    link.sent.clear()
    now[0] = 200.0
    (hmc,) = (await fleet.refresh_now()).hmcs
    assert link.sent == []
    assert hmc.state is ConnectionState.RECONNECTING and hmc.reconnect_attempt == 2
    assert hmc.last_error == "connection lost"
    assert hmc.taken_at == 100.0  # the data is from the last good poll
    assert len(frame(fleet.snapshot, "9131-52A-6535CCG").partitions) == 4
    result = await fleet.validate("9131-52A-6535CCG", 5, "frame-off")
    assert result.rc is None and "not sent" in result.errors[0].text


async def test_garbage_and_failures_are_errors_and_never_blank_other_hmcs():
    good, bad = SampleHmc("good"), SampleHmc("bad")
    (record,) = records.parse(fx("lssyscfg-sys-04.txt"))
    record.update(name="bad-frame", serial_num="BAD0001")
    bad.overrides[("lssyscfg", "sys")] = (records.format_records([record]), 0)
    fleet = Fleet([good, bad], clock=lambda: 50.0)
    await fleet.refresh_now()
    assert len(frame(fleet.snapshot, "bad-frame").partitions) == 4

    bad.overrides[("lssyscfg", "sys")] = ('\x1b[2J\x00 {"not": "a record"\n', 0)
    bad.overrides[("lssyscfg", "lpar")] = ("HSCL8012 gone\n", 1)
    snap = await fleet.refresh_now()
    good_hmc, bad_hmc = snap.hmcs
    assert good_hmc.errors == () and len(good_hmc.frames) == 2
    assert bad_hmc.errors and "lssyscfg -r sys" in bad_hmc.errors[-1]
    assert len(frame(snap, "bad-frame").partitions) == 4  # the previous data is kept

    # a frame listing that works again, but one frame command fails: that piece is kept
    bad.overrides[("lssyscfg", "sys")] = (records.format_records([record]), 0)
    snap = await fleet.refresh_now()
    bad_frame = frame(snap, "bad-frame")
    assert len(bad_frame.partitions) == 4
    assert any("HSCL8012 gone" in e for e in bad_frame.errors)

    # a link that raises is an error line too
    async def broken(argv, *, timeout=None):
        raise RuntimeError("transport bug")

    bad.run = broken  # type: ignore[method-assign]
    snap = await fleet.refresh_now()
    assert "RuntimeError: transport bug" in snap.hmcs[1].errors[-1]
    assert snap.hmcs[0].errors == () and len(snap.hmcs[0].frames) == 2


async def test_the_level_is_read_before_the_first_listings_with_errors_in_fixed_order():
    """Until lshmc -V has answered, a poll reads it before its listings: the level decides
    which -F names they ask (command_fields.for_level)."""

    class SlowFacts(SampleHmc):
        """``lshmc -V`` answers late; every start and end is noted."""

        def __init__(self) -> None:
            super().__init__("hmc1")
            self.spans: dict[str, tuple[float, float]] = {}

        async def run(self, argv, *, timeout=None):
            start = time.monotonic()
            if argv[0] == "lshmc":
                await asyncio.sleep(0.2)
            result = await super().run(argv, timeout=timeout)
            self.spans[" ".join(argv[:3:2])] = (start, time.monotonic())  # "lssyscfg sys"
            return result

    link = SlowFacts()
    link.overrides[("lshmc", "-V")] = ("HSCL0001 the version is gone\n", 1)
    link.overrides[("lssyscfg", "sys")] = ("HSCL0002 the frames are gone\n", 1)
    snap = await Fleet([link], clock=lambda: 5.0).refresh_now()
    _, version_ended = link.spans["lshmc"]
    systems_started, _ = link.spans["lssyscfg sys"]
    assert systems_started >= version_ended  # the level first
    errors = snap.hmcs[0].errors
    assert len(errors) == 2
    # the facts' line first although the hot listing failed first
    assert "lshmc -V" in errors[0] and "HSCL0001" in errors[0]
    assert "lssyscfg -r sys" in errors[1] and "HSCL0002" in errors[1]


async def test_a_wake_during_a_poll_is_not_lost():
    link = SampleHmc("hmc1")
    link.delay = 0.05
    fleet = Fleet([link], hot_interval=60.0, cold_interval=600.0)
    polls = asyncio.Event()
    seen: list[FleetSnapshot] = []

    def on_snapshot(snapshot: FleetSnapshot) -> None:
        seen.append(snapshot)
        if len(seen) >= 2:
            polls.set()

    fleet.subscribe(on_snapshot)
    first_command = asyncio.Event()
    fleet.on_command(lambda _event: first_command.set())
    await fleet.start()
    try:
        await asyncio.wait_for(first_command.wait(), 5)  # the first poll is under way
        assert not seen
        fleet.wake("hmc1")  # e.g. the link reconnected meanwhile
        await asyncio.wait_for(polls.wait(), 5)  # not after the 60 s hot interval
    finally:
        await fleet.stop()
    remove = fleet.on_command(lambda _event: None)
    remove()
    remove()  # a second removal is harmless


async def test_loops_publish_never_overlap_and_stop():
    link = SampleHmc("hmc1")
    link.delay = 0.002
    fleet = Fleet([link], hot_interval=0.01, cold_interval=0.05)
    seen: list[FleetSnapshot] = []
    enough = asyncio.Event()

    def on_snapshot(snapshot: FleetSnapshot) -> None:
        seen.append(snapshot)
        if len(seen) >= 4:
            enough.set()

    unsubscribe = fleet.subscribe(on_snapshot)
    events = []
    fleet.on_command(events.append)
    spans: list[tuple[float, float]] = []
    collector = fleet.collectors["hmc1"]
    real_hot = collector._hot

    async def timed_hot(errors):
        start = time.monotonic()
        try:
            return await real_hot(errors)
        finally:
            spans.append((start, time.monotonic()))

    collector._hot = timed_hot  # type: ignore[method-assign]
    await fleet.start()
    await fleet.start()  # idempotent: still one loop
    await asyncio.wait_for(enough.wait(), 5)
    await asyncio.gather(fleet.refresh_now(), fleet.refresh_now(), fleet.refresh_now())
    await fleet.stop()
    unsubscribe()
    count = len(seen)
    await fleet.refresh_now()
    assert len(seen) == count >= 4  # published while running; nothing after unsubscribing
    assert link.max_in_flight > 1  # a poll's commands run side by side...
    spans.sort()
    assert len(spans) >= 6
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start  # ...but polls never overlap, the loop's nor refresh_now's
    assert all(e.hmc == "hmc1" and e.argv for e in events)
    assert any(e.argv[:4] == ("lshwres", "-r", "virtualio", "--rsubtype") for e in events)
    assert any(e.error.startswith("HSCLA4C0") for e in events)  # failures carry their line


# -- against the simulator ------------------------------------------------------------------------

SIM_FLEET = """
hmcs:
  - name: hmc1
    address: 10.0.0.1
    trusts: [hmc2]
    frames:
      - name: "frame A"
        pools: [{id: 2, name: batchpool, max: 4}]
        vios:
          - {name: vios1a}
          - {name: vios2a}
        partitions:
          - {name: "lp one", vtopt: "aix.iso"}
          - {name: lp2, state: "Not Activated", mem: 8192, pool: batchpool}
      - name: frameB
        state: Power Off
  - name: hmc2
    address: 10.0.0.2
    frames:
      - name: frameC
        vios:
          - {name: vios1c}
        partitions:
          - {name: lp3}
"""


class ShellLink:
    """The simulator's shell as an HmcLink (in-process; stands in for lpmtui.simlink)."""

    def __init__(self, world, name: str) -> None:
        from lpmtui.sim.commands.shell import HmcShell

        self.shell = HmcShell(world, name)
        self.name, self.host = name, name
        self.kind = "hmc"
        self.peer_address = world.hmcs[name].address
        self.state = ConnectionState.CONNECTED
        self.reconnect_attempt, self.last_error, self.host_key_fingerprint = 0, "", ""

    async def run(self, argv, *, timeout=None):
        out = await self.shell.run(command_line(argv))
        return CommandResult(tuple(argv), out.rc, out.stdout)


async def test_collectors_against_the_simulator():
    from lpmtui.sim.world.state import World

    world = World.from_yaml(SIM_FLEET)
    links = [ShellLink(world, n) for n in ("hmc1", "hmc2")]
    fleet = Fleet(links)
    await fleet.refresh_now()
    for c in fleet.collectors.values():
        await c.poll(cold_due=True)
    snap = fleet._merge()
    hmc1, hmc2 = snap.hmcs
    assert hmc1.errors == () and hmc2.errors == ()
    assert dict(hmc1.peer_trust) == {"hmc2": True}
    assert dict(hmc2.peer_trust) == {"hmc1": False}
    a = frame(snap, "frame A")
    assert a.errors == ()
    assert {p.name for p in a.partitions} == {"vios1a", "vios2a", "lp one", "lp2"}
    lp_one = next(p for p in a.partitions if p.name == "lp one")
    assert lp_one.curr_mem and lp_one.curr_proc_units
    assert a.system.mem_region_size and a.system.firmware_level
    assert [(o.client_lpar_id, o.backing) for o in a.cold.optical] == [
        (lp_one.lpar_id, "/var/vio/VMLibrary/aix.iso")
    ]
    assert a.cold.proc_pools == (SharedProcPool(0, "DefaultPool"), SharedProcPool(2, "batchpool"))
    assert a.cold.npiv_listed == ("vios1a", "vios2a")
    assert {(x.vios_name, x.name, x.usable) for x in a.cold.npiv_ports} == {
        (v, f"fcs{n}", True) for v in ("vios1a", "vios2a") for n in (0, 1)
    }
    lp2 = next(p for p in a.partitions if p.name == "lp2")
    (profile,) = (pr for pr in a.cold.profiles if pr.lpar_id == lp2.lpar_id)
    assert lp2.curr_shared_proc_pool_name == "batchpool"
    assert (profile.desired_mem, profile.proc_mode) == (8192, "shared")
    assert profile.desired_proc_units and profile.desired_procs
    assert frame(snap, "frameB").system.state == "Power Off"
    assert frame(snap, "frameB").partitions == ()
    result = await fleet.validate("frame A", lp_one.lpar_id, "frameC")
    assert result.partition == "lp one" and result.target == "frameC"
    sent = [a for a in world.received["hmc1"] if a[0] == "migrlpar"][-1]
    assert sent[sent.index("--ip") + 1] == "10.0.0.2"
