"""Small shared pieces of the migration core: HMC messages, links, commands, audit fields.

The manager's clock is ``lpmtui.common.clock`` (``RealClock`` by default, ``ManualClock`` in tests).
"""

from __future__ import annotations

import asyncio
import inspect
import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from lpmtui.config.model import Settings
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.runner import CommandResult
from lpmtui.migration.types import MigrationError, MigrationRequest
from lpmtui.model import ConnectionState, ValidationResult
from lpmtui.store.audit import AuditLog


def hmc_message(result: CommandResult) -> str:
    """What the HMC said, verbatim (it prints its errors on stdout)."""
    text = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
    return text or f"migrlpar ended with exit status {result.rc} and no message"


def validation_summary(result: ValidationResult | None) -> str:
    if result is None:
        return "not validated in this session"
    ids = ", ".join(m.id or m.text[:40] for m in result.errors)
    warns = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    if result.ok:
        return f"ok{warns}"
    if result.rc is None:
        return "outcome unknown (connection lost)"
    return f"failed: {len(result.errors)} error(s) ({ids}){warns}"


def configured_secrets(settings: Settings) -> list[str]:
    """Passwords the config holds or points at (environment variables), for the audit scrub."""
    auths = [h.auth for h in settings.hmcs] + [j.auth for j in settings.jump_hosts.values()]
    found = [a.insecure_password for a in auths]
    found += [os.environ.get(a.password_env, "") for a in auths if a.password_env]
    return [s for s in found if s]


def connected(link: Any) -> bool:
    """A command sent over a down link would come back "outcome unknown": do not send one."""
    return getattr(link, "state", ConnectionState.CONNECTED) == ConnectionState.CONNECTED


def wall_seconds_since(iso: str) -> float:
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
    return max(0.0, time.time() - then)


def audit_command(
    audit: AuditLog,
    op: str,
    request: MigrationRequest,
    *,
    job_id: str | None = None,
    link: Any = None,
    argv: Sequence[str] = (),
    **fields: Any,
) -> None:
    """One audit record about a command for ``request`` (validate is the non-changing one)."""
    audit.record(
        op=op,
        changes_state=op != "validate",
        job=job_id,
        partition=request.partition,
        source=request.source,
        target=request.target,
        remote_hmc=request.remote_hmc or None,
        argv=list(argv),
        command=command_line(argv) if argv else "",
        **(link_fields(link) if link is not None else {}),
        **fields,
    )


def link_fields(link: Any) -> dict[str, Any]:
    """Who was talked to, for the audit log: HMC, address, user, auth method, host key."""
    config = getattr(link, "config", None)
    auth = getattr(config, "auth", None)
    return {
        "hmc": getattr(link, "name", ""),
        "hmc_host": getattr(link, "host", ""),
        "hmc_port": getattr(config, "port", None),
        "hmc_user": getattr(link, "user", ""),
        "auth": auth.describe() if auth is not None else "",
        "host_key": getattr(link, "host_key_fingerprint", ""),
        "route": list(getattr(config, "jump", ())),
    }


def link_for(fleet: Any, system: str, hmc_name: str = "") -> Any:
    """The HMC link that manages ``system`` (MigrationError when none does).

    ``hmc_name`` (from the journal) is the fallback while the fleet has not listed the frame yet,
    e.g. right after a restart, before the first poll of that HMC has come back.
    """
    try:
        return fleet.link_for_system(system)
    except (KeyError, LookupError) as exc:
        for link in getattr(fleet, "links", ()):
            if hmc_name and getattr(link, "name", None) == hmc_name:
                return link
        raise MigrationError(f"no configured HMC manages {system}") from exc


async def run_command(
    link: Any,
    argv: Sequence[str],
    *,
    long: bool = False,
    timeout: float | None = None,
    on_sent: Callable[[], None] | None = None,
) -> CommandResult:
    """Run argv on ``link``; ``long`` uses the link's own-channel ``run_long`` (migrlpar -o m).

    ``on_sent`` is called once, when the command leaves for the HMC: a link's ``run_long`` may
    first wait for a free channel and calls it then (``run_long(argv, on_sent=...)``); for a
    link that cannot tell, the command counts as sent when it is handed over.
    """
    argv = tuple(argv)
    try:
        run_long = getattr(link, "run_long", None)
        if long and callable(run_long):
            if on_sent is not None and _takes_on_sent(run_long):
                return await run_long(argv, on_sent=on_sent)
            if on_sent is not None:
                on_sent()
            return await run_long(argv)
        if on_sent is not None:
            on_sent()
        return await link.run(argv, timeout=timeout)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # the transport reports losses as rc None; be safe regardless
        return CommandResult(argv=argv, rc=None, stdout="", stderr=str(exc))


def _takes_on_sent(run_long: Callable[..., Any]) -> bool:
    try:
        return "on_sent" in inspect.signature(run_long).parameters
    except (TypeError, ValueError):
        return False
