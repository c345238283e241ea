"""A small two-HMC fleet for the simulator's own tests, on a ManualClock."""

from __future__ import annotations

import pytest

from lpmtui.common.clock import ManualClock
from lpmtui.sim.commands.shell import HmcShell
from lpmtui.sim.world.state import World

SMALL_FLEET = """
hmcs:
  - name: hmc-a
    address: 10.0.0.1
    version: V10R3 M1060
    fixes: ["MF71689 - HMC V10R3 M1060"]
    frames:
      - name: p9-a
        type_model: 9009-42A
        serial: 7800AAA
        generation: POWER9
        vlans: [1, 100, 200]
        memory: 262144
        processors: 16
        vios: [{name: vios-a1}, {name: vios-a2}]
        partitions:
          - {name: db prod 01, mem: 65536, storage: [vscsi, npiv], vlans: [100], dirty_rate: 50}
          - {name: "web;01", state: Not Activated, vlans: [200]}
          - {name: "o'brien", mem: 8192}
          - {name: sleepy, state: Suspended}
      - name: p9-b
        type_model: 9009-42A
        serial: 7800BBB
        generation: POWER9
        vlans: [1, 100, 200]
        memory: 262144
        processors: 16
        vios: [{name: vios-b1}, {name: vios-b2}]
      - name: p8-off
        generation: POWER8
        state: Power Off
  - name: hmc-b
    address: 10.0.0.2
    version: V9R2 M953
    frames:
      - name: p10-c
        type_model: 9105-42A
        serial: 7800CCC
        generation: POWER10
        vlans: [1, 100, 200]
        memory: 262144
        processors: 16
        vios: [{name: vios-c1}, {name: vios-c2}]
"""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World.from_yaml(SMALL_FLEET, clock)


@pytest.fixture
def shell(world: World) -> HmcShell:
    return HmcShell(world, "hmc-a")
