"""Loading a large fleet file: the work per partition stays flat, the result stays the same."""

from __future__ import annotations

import gc

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.common.typed_yaml import MappingReader, YamlError
from lpmtui.sim.generate import generate_yaml
from lpmtui.sim.world import load
from lpmtui.sim.world.load import FleetError
from lpmtui.sim.world.model import EthAdapter, ScsiAdapter, SimFrame, SimPartition
from lpmtui.sim.world.slots import SlotAllocator
from lpmtui.sim.world.state import World


def test_the_slot_allocator_gives_the_partitions_own_next_slot():
    p = SimPartition("vios", 1, lpar_env="vioserver")
    p.scsi = [ScsiAdapter(2, "server", 5, 2), ScsiAdapter(3, "server", 6, 2)]
    p.vnic_slots = [5]
    allocator = SlotAllocator()
    for _ in range(6):
        expected = p.next_slot()
        slot = allocator.next(p)
        assert slot == expected
        p.eth.append(EthAdapter(slot, 1))
    assert [a.slot for a in p.eth] == [4, 6, 7, 8, 9, 10]


def test_wiring_a_frame_looks_at_each_partitions_slots_once(monkeypatch):
    # A VIOS serving 40 clients holds ~100 adapters: rescanning them for every new adapter
    # made each frame quadratic (the 20,000-partition fleet took seconds to wire).
    calls = {"used_slots": 0, "vioses": 0}
    used_slots, vioses = SimPartition.used_slots, SimFrame.vioses

    def counting_used_slots(self):
        calls["used_slots"] += 1
        return used_slots(self)

    def counting_vioses(self):
        calls["vioses"] += 1
        return vioses(self)

    monkeypatch.setattr(SimPartition, "used_slots", counting_used_slots)
    monkeypatch.setattr(SimFrame, "vioses", counting_vioses)
    world = World.from_yaml(generate_yaml(1, 1, 40), ManualClock())
    (frame,) = world.frames.values()
    assert len(frame.partitions) == 42
    assert calls["used_slots"] <= len(frame.partitions)
    assert calls["vioses"] == 1
    vios1, vios2 = frame.vioses()
    # every client has its adapters on both VIOS, each slot used once per partition
    for p in frame.partitions.values():
        slots = [a.slot for a in (*p.scsi, *p.fc, *p.eth)] + p.vnic_slots
        assert len(slots) == len(set(slots)) and min(slots) >= 2
    clients = [p for p in frame.partitions.values() if not p.is_vios]
    assert {a.remote_id for p in clients for a in p.scsi + p.fc} == {vios1.lpar_id, vios2.lpar_id}


def test_no_gc_pass_runs_while_a_fleet_loads_and_gc_is_back_after(monkeypatch):
    # every object a load makes stays alive: a full GC pass would walk them all again, and
    # those passes were half the load time at 20,000 partitions
    seen = []
    build = load.build_fleet

    def recording_build(data, source):
        seen.append(gc.isenabled())  # the YAML is read by now, the objects not yet built
        fleet = build(data, source)
        seen.append(gc.isenabled())
        return fleet

    monkeypatch.setattr(load, "build_fleet", recording_build)
    assert gc.isenabled()
    fleet = load.load_fleet(generate_yaml(1, 2, 10))
    assert len(fleet.frames) == 2
    assert seen == [False, False] and gc.isenabled()
    for bad in ("hmcs: [\n  {name: h\n", "hmcs: [{name: h, colour: red}]"):
        with pytest.raises(FleetError):
            load.load_fleet(bad)
        assert gc.isenabled()


def test_a_load_leaves_a_disabled_gc_disabled():
    gc.disable()
    try:
        load.load_fleet(generate_yaml(1, 1, 2))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("read", "value", "result", "refused"),
    [
        ("str", "x", "x", None),
        ("str", 12, "12", None),
        ("str", True, None, "a string"),
        ("int", 7, 7, None),
        ("int", True, None, "an integer"),
        ("int", 7.0, None, "an integer"),
        ("float", 1.5, 1.5, None),
        ("float", 2, 2.0, None),
        ("float", False, None, "a number"),
        ("bool", False, False, None),
        ("bool", 0, None, "true or false"),
    ],
)
def test_typed_reads_take_their_exact_type_and_refuse_lookalikes(read, value, result, refused):
    # the readers' early returns for exact types must not let a boolean pass as a number
    reader = MappingReader("f", "x", {"k": value}, YamlError)
    args = ("k", 0) if read in ("float", "bool") else ("k",)
    if refused:
        with pytest.raises(YamlError, match=f"expected {refused}$"):
            getattr(reader, read)(*args)
    else:
        got = getattr(reader, read)(*args)
        assert got == result and type(got) is type(result)
