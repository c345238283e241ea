"""Sites: the config (or the fleet file standing in for it) says where an HMC is; the collector
puts it on the HMC's snapshot, where the tree and the table's site scope read it."""

from __future__ import annotations

from types import SimpleNamespace

from lpmtui.config.model import HmcConfig, Settings
from lpmtui.fleet.collector import Collector
from lpmtui.sim.generate import generate, generate_data
from lpmtui.simlink import demo_world, sim_links
from lpmtui.wiring.backend import demo_settings


def test_generated_fleet_puts_ten_hmcs_at_each_site():
    data = generate_data(hmcs=50, frames=500, partitions=0)
    sites = [h["site"] for h in data["hmcs"]]
    assert sites[:10] == ["dc-east"] * 10 and sites[10] == "dc-west"
    assert len(set(sites)) == 5 and sites[-1] == "dc-central"
    assert {h["site"] for h in generate_data(hmcs=51, frames=1, partitions=0)["hmcs"]} >= {"dc-06"}


async def test_the_site_reaches_the_hmc_snapshot_from_the_link():
    world = generate(hmcs=11, frames=11, partitions=0)
    snapshots = [Collector(link).snapshot for link in sim_links(world)]
    assert [s.site for s in snapshots] == ["dc-east"] * 10 + ["dc-west"]
    bare = SimpleNamespace(**{k: getattr(sim_links(world)[0], k) for k in ("name", "host")})
    bare.kind, bare.peer_address, bare.state = "hmc", "", "connected"
    bare.reconnect_attempt, bare.last_error, bare.host_key_fingerprint = 0, "", ""
    assert Collector(bare).snapshot.site == ""  # a link that does not say has no site


def test_demo_config_carries_the_fleet_files_sites(tmp_path):
    world = demo_world()
    endpoint = SimpleNamespace(host="127.0.0.1", port=22, username="u", password="p")
    sim_fleet = SimpleNamespace(
        world=world,
        jump=endpoint,
        endpoints=dict.fromkeys(world.hmcs, endpoint),
        known_hosts_text=lambda: "",
    )
    base = Settings(state_dir=tmp_path, known_hosts_file=tmp_path / "known_hosts")
    hmcs = {h.name: h for h in demo_settings(base, sim_fleet).hmcs}
    assert hmcs["hmc-v10"].site == "dc-east" and hmcs["hmc-v9"].site == "dc-west"
    assert hmcs["ivm-blade"].site == "lab"
    assert HmcConfig(name="a", host="h").site == ""
