"""The migrate dialog's helpers: the remote HMC of a cross-HMC move and its mkauthkeys line."""

from lpmtui.hmc import commands
from lpmtui.migration.choices import Remote, remote_for
from lpmtui.model import FleetSnapshot, HmcSnapshot


def _snapshot() -> FleetSnapshot:
    return FleetSnapshot(
        hmcs=(
            HmcSnapshot("hmc1", host="10.0.0.1", peer_trust=(("hmc2", False),)),
            HmcSnapshot("hmc2", host="10.0.0.2", peer_address="172.16.0.2"),
        )
    )


def test_remote_is_the_target_hmcs_peer_address_and_the_sources_trust():
    assert remote_for(_snapshot(), "hmc1", "hmc1") is None
    assert remote_for(_snapshot(), "hmc1", "hmc2") == Remote("hmc2", "172.16.0.2", False)
    assert remote_for(_snapshot(), "hmc2", "hmc1") == Remote("hmc1", "10.0.0.1", None)


def test_the_setup_line_is_the_hmc_builders_argv():
    remote = Remote("hmc2", "172.16.0.2", False)
    assert remote.setup_command("hscroot") == "mkauthkeys --ip 172.16.0.2 -u hscroot"
    argv = commands.mkauthkeys_setup("172.16.0.2", "hscroot").argv
    assert argv == ("mkauthkeys", "--ip", "172.16.0.2", "-u", "hscroot")


def test_the_setup_line_quotes_what_the_shell_would_split():
    remote = Remote("hmc2", "hmc 2;x", None)
    assert remote.setup_command("o'brien") == "mkauthkeys --ip 'hmc 2;x' -u 'o'\"'\"'brien'"


def test_an_unusable_user_is_said_not_sent():
    line = Remote("hmc2", "172.16.0.2", None).setup_command("a\x00b")
    assert line.startswith("(no mkauthkeys command:") and "NUL" in line
