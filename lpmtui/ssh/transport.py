"""SSH to the HMCs: one connection per HMC, bastions shared, strict host keys, honest results.

``Transport(settings, prompter)`` owns one ``HmcConnection`` (connection.py) per configured HMC.
Each keeps its SSH connection up on its own: after a loss it reconnects with exponential backoff
and jitter; after an authentication failure or a host-key problem it waits for the user
(``retry``), so an HMC's 3-strikes account lockout is never reached by lpmtui on its own.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lpmtui.config.model import Settings
from lpmtui.ssh.bastion import BastionPool
from lpmtui.ssh.connection import NEEDS_USER, HmcConnection, OnCommand, OnState
from lpmtui.ssh.credentials import CredentialStore, Prompter
from lpmtui.ssh.hops import HopOpener
from lpmtui.ssh.hostkeys import HostKeyInfo, HostKeyStore
from lpmtui.ssh.logins import LoginLedger

__all__ = ["NEEDS_USER", "HmcConnection", "HostKeyInfo", "Prompter", "Transport"]


class _ScrubSecrets(logging.Filter):
    """asyncssh logs each command line at INFO; known secrets are masked before any handler."""

    def __init__(self, credentials: CredentialStore) -> None:
        super().__init__()
        self.credentials = credentials

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.credentials.scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


class Transport:
    """All HMC connections of one Settings, sharing jump hosts, credentials and host keys."""

    def __init__(
        self,
        settings: Settings,
        prompter: Prompter | None = None,
        on_command: OnCommand | None = None,
        on_state: OnState | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = CredentialStore(prompter)
        self.hostkeys = HostKeyStore(
            settings.known_hosts_file,
            settings.user_known_hosts_file,
            read_only=(settings.legacy_known_hosts_file,),
        )
        ledger = LoginLedger(Path(settings.state_dir) / "logins.json")
        self.opener = HopOpener(settings, self.credentials, self.hostkeys, prompter, ledger)
        self.pool = BastionPool(settings, self.opener)
        self._log_filter = _ScrubSecrets(self.credentials)
        for name in ("asyncssh", "lpmtui.transport"):
            logging.getLogger(name).addFilter(self._log_filter)
        self._links = {
            h.name: HmcConnection(
                h,
                settings,
                pool=self.pool,
                opener=self.opener,
                on_command=on_command,
                on_state=on_state,
            )
            for h in settings.hmcs
        }

    def __repr__(self) -> str:
        return f"Transport({list(self._links)})"

    def links(self) -> list[HmcConnection]:
        return list(self._links.values())

    def link(self, name: str) -> HmcConnection:
        return self._links[name]

    async def start(self) -> None:
        """Connect every HMC (concurrently) and keep them connected; returns after each tried."""
        for link in self._links.values():
            link.start()
        await asyncio.gather(*(link.wait_first_attempt() for link in self._links.values()))

    async def retry(self, name: str) -> bool:
        return await self._links[name].retry()

    async def close(self) -> None:
        await asyncio.gather(*(link.close() for link in self._links.values()))
        await self.pool.close()
        for name in ("asyncssh", "lpmtui.transport"):
            logging.getLogger(name).removeFilter(self._log_filter)
