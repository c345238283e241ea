"""Which configured HMC a journaled migration belongs to.

One journal file serves every configuration that points at the same state directory, so each
migration is journaled with its HMC's identity: the configured name (``hmc``) plus the address
the console connects to, ``host:port`` from the config (``hmc_id``). Re-attach takes over only
the entries whose HMC the current settings have, with the same address; the others are ignored,
never rewritten or dropped (another configuration will re-attach to them). Entries written
before the identity was journaled carry no ``hmc_id`` and are matched by name alone.

A manager built without settings (tests, the in-process demo) has no identities: it journals
none and re-attaches every entry, as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from lpmtui.config.model import Settings
from lpmtui.store.journal import JournalJob

Identities = Mapping[str, str]  # configured HMC name -> "host:port"


def identities(settings: Settings) -> dict[str, str]:
    """Each configured HMC's identity, by its name."""
    return {hmc.name: f"{hmc.host}:{hmc.port}" for hmc in settings.hmcs}


def journal_fields(known: Identities | None, hmc: str) -> dict[str, str]:
    """The identity to journal with a migration on ``hmc`` (none when it is not known)."""
    if known is None or hmc not in known:
        return {}
    return {"hmc_id": known[hmc]}


def belongs(entry: JournalJob, known: Identities | None) -> bool:
    """Whether this configuration re-attaches to ``entry``."""
    if known is None:
        return True
    if entry.hmc not in known:
        return False
    return not entry.hmc_id or entry.hmc_id == known[entry.hmc]
