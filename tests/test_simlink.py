"""simlink is the client's one door into the simulator: the demo world, in-process links to it."""

from __future__ import annotations

from lpmtui.model import ConnectionState
from lpmtui.simlink import demo_links, demo_world, sim_links


async def test_demo_links_are_one_connected_link_per_demo_hmc_over_a_fresh_world():
    world = demo_world()
    links = demo_links()
    assert [link.name for link in links] == list(world.hmcs)
    assert all(link.state is ConnectionState.CONNECTED for link in links)
    assert links[0].world is not world  # each call builds its own world
    result = await links[0].run(["lshmc", "-V"])
    assert result.rc == 0 and result.stdout


def test_demo_links_over_a_given_world_share_it():
    world = demo_world()
    assert {link.world for link in demo_links(world)} == {world}
    assert [link.name for link in demo_links(world)] == [link.name for link in sim_links(world)]
