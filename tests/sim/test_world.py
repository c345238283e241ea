"""Loading fleets: the demo fleet's shape, defaults, and one-line errors for bad files."""

from __future__ import annotations

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.hmc import records
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.load import FleetError
from lpmtui.sim.world.state import World
from lpmtui.simlink import SimLink, SimRunner, sim_links

LEGACY_CORNER = {"hmc-v7", "fsm-flex", "ivm-blade"}


def test_demo_fleet_matches_the_issue():
    world = World.demo(ManualClock())
    # The production fleet of the simulator issue: 2 HMCs (V10, V9), 6 frames of POWER8-10;
    # issue 13 adds an HMC at V11R2 with two POWER11 frames.
    production = {n: h for n, h in world.hmcs.items() if n not in LEGACY_CORNER}
    versions = {h.name: h.version.base for h in production.values()}
    assert versions == {"hmc-v10": "V10R3", "hmc-v9": "V9R2", "hmc-v11": "V11R2"}
    frames = {n: f for n, f in world.frames.items() if f.hmc in production}
    assert len(frames) == 8
    states = sorted(f.state for f in frames.values())
    assert states == [
        "No Connection",
        "Operating",
        "Operating",
        "Operating",
        "Operating",
        "Operating",
        "Operating",
        "Power Off",
    ]
    assert {f.generation for f in frames.values()} == {8, 9, 10, 11}
    assert {f.type_model for f in frames.values() if f.generation == 11} == {
        "9824-42A",
        "9242-21B",
    }
    assert len({f.lmb for f in frames.values()}) == 2
    partitions = [p for f in frames.values() for p in f.partitions.values()]
    assert 80 <= len(partitions) <= 100
    names = {p.name for p in partitions}
    assert {"db prod 01", "web;01", "o'brien"} <= names
    assert any(p.mem >= 1024 * 1024 for p in partitions)
    assert any(p.state == "Not Activated" for p in partitions)
    assert any(p.state == "Suspended" for p in partitions)
    assert any(p.dirty_rate >= 400 for p in partitions)
    for frame in frames.values():
        assert len([v for v in frame.vioses()]) == 2  # dual-VIOS on every production frame
    legacy = {
        f.name: (f.generation, world.hmcs[f.hmc].kind, world.hmcs[f.hmc].version.base)
        for f in world.frames.values()
        if f.hmc in LEGACY_CORNER
    }
    assert legacy == {
        "P5-570-LEGACY": (5, "hmc", "V7R3.3"),
        "Flex-p260-F": (7, "fsm", "V7R7.9"),
        "PS701-blade-G": (7, "ivm", "V2R2"),
    }


async def test_every_demo_listing_parses():
    world = World.demo(ManualClock())
    for hmc in world.hmcs:
        shell = HmcShell(world, hmc)
        for frame in world.frames_of(hmc):
            if not frame.operating:
                continue
            m = frame.name
            for command in (
                f"lssyscfg -r lpar -m {m}",
                f"lssyscfg -r prof -m {m}",
                f"lshwres -r mem -m {m} --level lpar",
                f"lshwres -r proc -m {m} --level lpar",
                f"lshwres -r io --rsubtype slot -m {m}",
                f"lshwres -r virtualio --rsubtype fc --level lpar -m {m}",
                f"lslparmigr -r lpar -m {m}",
                f"lslparmigr -r sys -m {m}",
            ):
                result = await shell.run(command)
                assert result.rc == 0, (command, result.stdout)
                parsed = records.parse(result.stdout)
                assert parsed or "fc" in command, command


def test_defaults_fill_a_minimal_fleet():
    world = World.from_yaml(
        "hmcs:\n- name: h\n  frames:\n  - name: f\n    vios: [{name: v1}]\n"
        "    partitions: [{name: p}]\n"
    )
    frame = world.frames["f"]
    p = frame.by_name("p")
    assert world.hmcs["h"].users == {"hscroot": "abc123"}
    assert p.state == "Running" and p.rmc_state == "active" and p.scsi and p.eth
    vios = frame.by_name("v1")
    assert vios.msp and vios.scsi[0].remote_id == p.lpar_id


_TWO_FRAMES = """
hmcs:
  - name: h
    frames:
      - name: f
        vios: [{name: v1}]
        partitions: [{name: a, mem: 65536}, {name: broken, state: Error}]
      - {name: g, vios: [{name: v2}]}
"""


def test_a_declared_migration_is_in_flight_when_the_world_starts():
    clock = ManualClock(1000.0)
    world = World.from_yaml(
        _TWO_FRAMES + "migrations: [{partition: a, from: f, to: g, elapsed: 30}]", clock
    )
    (job,) = world.jobs
    assert job.started_at == 970.0 and job.transmitted > 0  # 30 s in, 5 of them starting
    assert world.frames["f"].by_name("a").state == "Migrating - Running"
    assert world.frames["g"].by_name("a").is_shell
    clock.advance(600)
    world.update()
    assert world.jobs == [] and world.frames["g"].by_name("a").state == "Running"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "hmcs: [{name: h, frames: [{name: f, lmb: big}]}]",
            "<fleet>: hmcs[0].frames[0].lmb: found 'big'; expected an integer",
        ),
        (
            "hmcs: [{name: h, frames: [{name: f, colour: red}]}]",
            "<fleet>: hmcs[0].frames[0].colour: found 'colour'; expected one of",
        ),
        (
            "hmcs: [{name: h, version: 'ten'}]",
            "<fleet>: hmcs[0].version: found 'ten'; expected a version like",
        ),
        (
            "settings: {stop_copy_mb: lots}",
            "<fleet>: settings.stop_copy_mb: found 'lots'; expected a value like 64.0",
        ),
        (
            "hmcs: [{name: h, trusts: [nobody]}]",
            "<fleet>: hmcs[0].trusts: found 'nobody'; expected the name of another HMC",
        ),
        ("hmcs: [\n  {name: h\n", "<fleet>:3:"),
        (
            _TWO_FRAMES + "migrations: [{partition: a, from: f, to: nowhere}]",
            "<fleet>: migrations[0].to: found 'nowhere'; expected the name of a frame",
        ),
        (
            _TWO_FRAMES + "migrations: [{partition: zz, from: f, to: g}]",
            "<fleet>: migrations[0].partition: found 'zz'; expected a partition on f",
        ),
        (
            _TWO_FRAMES + "migrations: [{partition: a, from: f, to: g, elapsed: -1}]",
            "<fleet>: migrations[0].elapsed: found -1.0; expected seconds",
        ),
        (
            _TWO_FRAMES + "migrations: [{partition: broken, from: f, to: g}]",
            "<fleet>: migrations[0].partition: found 'broken'; expected a partition that can "
            "migrate to g (the HMC says: HSCLSIM31 ",
        ),
    ],
)
def test_bad_fleet_files_give_one_line(text, message):
    with pytest.raises(FleetError) as info:
        World.from_yaml(text)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_fleet_file_path(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("hmcs: [{name: h}]\n")
    assert list(World.from_yaml(path).hmcs) == ["h"]
    with pytest.raises(FleetError, match="cannot read"):
        World.from_yaml(tmp_path / "missing.yaml")


async def test_simlink_runs_argv_through_the_shell(world):
    link = SimLink(world, "hmc-a")
    assert (link.name, link.peer_address, link.state.value) == ("hmc-a", "10.0.0.1", "connected")
    result = await link.run(
        ["lssyscfg", "-r", "lpar", "-m", "p9-a", "--filter", "lpar_names=db prod 01", "-F", "name"]
    )
    assert (result.rc, result.stdout) == (0, "db prod 01\n")
    assert world.received["hmc-a"][-1][-4:] == ("--filter", "lpar_names=db prod 01", "-F", "name")
    assert [x.name for x in sim_links(world)] == ["hmc-a", "hmc-b"]
    runner = SimRunner(HmcShell(world, "hmc-b"))
    assert (await runner.run(["nosuch"])).rc == 127


def test_generator_makes_the_benchmark_fleet_quickly():
    import time

    from lpmtui.sim.generate import generate, generate_yaml

    started = time.monotonic()
    world = generate(hmcs=8, frames=64, partitions=4000, seed=0)
    assert time.monotonic() - started < 10
    assert len(world.hmcs) == 8 and len(world.frames) == 64
    clients = [p for f in world.frames.values() for p in f.partitions.values() if not p.is_vios]
    assert len(clients) == 4000
    assert any(p.rmc_state == "inactive" for p in clients)
    assert all(f.mem_available() > 0 and f.proc_available() > 0 for f in world.frames.values())
    small = generate_yaml(hmcs=2, frames=3, partitions=20, seed=1)
    again = World.from_yaml(small)
    assert sum(len(f.partitions) for f in again.frames.values()) == 20 + 3 * 2
    assert generate_yaml(hmcs=2, frames=3, partitions=20, seed=1) == small  # deterministic


async def test_list_command_on_a_100_partition_frame_is_fast():
    import time

    from lpmtui.sim.generate import generate

    world = generate(hmcs=1, frames=1, partitions=100)
    shell = HmcShell(world, "hmc01")
    started = time.monotonic()
    result = await shell.run("lssyscfg -r lpar -m frame001")
    assert result.rc == 0 and len(result.stdout.splitlines()) == 102
    assert time.monotonic() - started < 0.05
