"""SR-IOV and vNIC parsers on the real V10R3/V11R2 captures (key-based, header-aware)."""

from __future__ import annotations

from pathlib import Path

from lpmtui.hmc import commands, parse, records
from lpmtui.model import SriovLogicalPort, SriovPhysicalPort, VnicAdapter

CAPTURES = Path(__file__).parent / "fixtures" / "real-v10-v11"


def _fields_listing(name: str) -> tuple[str, list[str]]:
    """A ``-F … --header`` capture as the client would read it without the header line."""
    header, *rest = (CAPTURES / name).read_text().splitlines(keepends=True)
    return "".join(rest), header.strip().split(",")


def test_logical_ports_of_a_partition():
    text, names = _fields_listing(
        "pcie-power9-v10r3m1060-live-sriov--effective-logical-ports-before.txt"
    )
    found = parse.sriov_logical_ports(text, names)
    assert not found.problems
    assert found.items == (SriovLogicalPort(2, 1, 0, "27004001", "lpar-b", 100.0),)


def test_physical_ports_default_listing_and_free_room():
    text = (CAPTURES / "cli-sriov-physport-eth-default-v11r2-p9.txt").read_text()
    found = parse.sriov_physical_ports(text)
    assert not found.problems
    assert found.items == (
        SriovPhysicalPort(2, 2, 1, 4, "0"),
        SriovPhysicalPort(2, 3, 0, 4, "0"),
    )
    assert [p.free_logical_ports for p in found.items] == [3, 4]


def test_vnic_with_its_backing_device():
    text, names = _fields_listing("pcie-power9-v10r3m1060-live-vnic--vnic-readback.txt")
    found = parse.vnic_adapters(text, names)
    assert found.items == (
        VnicAdapter("client-a", 3, 2, ("sriov/vios-a/100/1/1/27004003/2.0/2.0/50/100.0/100.0",)),
    )


def test_an_empty_listing_is_no_ports_not_a_problem():
    found = parse.sriov_physical_ports(records.NO_RESULTS + "\n")
    assert found.items == () and not found.problems


def test_null_owner_is_skipped_and_reported():
    text = "null,null,1,27004009,0,null\n"
    found = parse.sriov_logical_ports(text, list(commands.SRIOV_LOGPORT_FIELDS))
    assert found.items == () and found.problems


def test_the_builders_ask_the_evidenced_names():
    assert commands.sriov_logical_ports("S").argv == (
        "lshwres", "-r", "sriov", "--rsubtype", "logport", "--level", "eth", "-m", "S",
        "-F", "lpar_name,lpar_id,adapter_id,logical_port_id,phys_port_id,capacity",
    )  # fmt: skip
    assert commands.vnic_adapters("S").argv[-1] == "lpar_name,lpar_id,slot_num,backing_devices"
    assert commands.sriov_physical_ports("S").argv[-1] == (
        "adapter_id,phys_port_id,state,config_logical_ports,phys_port_max_logical_ports"
    )


async def test_the_cold_pass_asks_logical_ports_and_vnics_only_where_physical_ports_exist():
    from lpmtui.common.clock import ManualClock
    from lpmtui.fleet.fleet import Fleet
    from lpmtui.sim.world.state import World
    from lpmtui.simlink import sim_links

    world = World.demo(ManualClock())
    fleet = Fleet(sim_links(world))
    await fleet.refresh_now()
    cold_h = await fleet.cold("P11-9824-H")  # one SR-IOV adapter: vnic-app, sriov-app
    cold_a = await fleet.cold("P10-E1080-A")  # none
    asked = [a for h in ("hmc-v11", "hmc-v10") for a in world.received[h] if "sriov" in a]
    asked += [a for h in ("hmc-v11", "hmc-v10") for a in world.received[h] if "vnic" in a]
    frames = {(a[a.index("-m") + 1], a[4]) for a in asked}
    assert {f for f, kind in frames if kind in ("logport", "vnic")} == {"9824-42A*78P1108"}
    assert {f for f, kind in frames if kind == "physport"} == {
        "9824-42A*78P1108",
        "9080-HEX*78HX001",
    }
    assert cold_a.sriov_ports == () and cold_a.vnics == () and cold_a.sriov_physports == ()
    assert [p.lpar_id for p in cold_h.sriov_ports or ()] == [1, 4]  # h-vios1 (vNIC), sriov-app
    assert [v.lpar_id for v in cold_h.vnics or ()] == [3]
