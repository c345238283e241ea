"""`lpmtui check --config` over real SSH: the failed hop named once, the config's warnings shown."""

from __future__ import annotations

import textwrap

import pytest

from lpmtui.cli import check

from .simfleet import PASSWORD, other_key_line, start_tiny_fleet


@pytest.fixture
async def fleet():
    _, fleet = await start_tiny_fleet("hmc1", "hmc2")
    try:
        yield fleet
    finally:
        await fleet.close()


def _config(tmp_path, fleet, mode=0o600):
    ep1, ep2, jump = fleet.endpoints["hmc1"], fleet.endpoints["hmc2"], fleet.jump
    path = tmp_path / "config.yaml"
    path.write_text(
        textwrap.dedent(f"""
        jump_hosts:
          bastion:
            host: 127.0.0.1
            port: {jump.port}
            user: {jump.username}
            auth: {{insecure_password: {jump.password}}}
        defaults:
          jump: [bastion]
          auth: {{insecure_password: {PASSWORD}}}
        hmcs:
          - {{name: hmc1, host: 127.0.0.1, port: {ep1.port}}}
          - {{name: hmc2, host: 127.0.0.1, port: {ep2.port}}}
        ssh:
          known_hosts_file: {tmp_path / "known_hosts"}
          user_known_hosts_file: {tmp_path / "user_known_hosts"}
          connect_timeout: 5
          login_timeout: 5
        paths:
          state_dir: {tmp_path / "state"}
        """)
    )
    path.chmod(mode)
    return path


async def _check(capsys, *argv) -> str:
    with pytest.raises(check.CheckError) as failed:
        await check._run(check._arguments(list(argv)))
    return str(failed.value) + "\n" + capsys.readouterr().err


async def test_changed_jump_host_key_is_blamed_on_the_jump_host_once(fleet, tmp_path, capsys):
    config = _config(tmp_path, fleet)
    lines = [fleet.endpoints[n].host_key_line.strip() for n in ("hmc1", "hmc2")]
    lines.append(other_key_line("127.0.0.1", fleet.jump.port))
    (tmp_path / "known_hosts").write_text("\n".join(lines) + "\n")
    message = (await _check(capsys, "--config", str(config), "web-02")).splitlines()[0]
    assert message.count("CHANGED") == 1
    assert "jump host bastion" in message and "HMCs behind it: hmc1, hmc2" in message
    assert "not known yet" not in message and "HMC hmc1 (" not in message


async def test_config_warnings_are_shown(fleet, tmp_path, capsys):
    config = _config(tmp_path, fleet, mode=0o644)
    out = await _check(capsys, "--config", str(config), "web-02")
    assert "insecure_password: a clear-text password" in out  # the documented warning
    assert "readable by others (mode 0644)" in out
