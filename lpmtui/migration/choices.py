"""What the migrate dialog asks the source HMC before a migration (no Textual here).

``lslparmigr -r msp``, ``-r procpool`` and ``-r virtualio`` for one partition and target, run
through the fleet's link for the source frame, parsed with the shared HMC parsers; and the
``mkauthkeys`` line a cross-HMC migration needs first. Every argv comes from
``lpmtui.hmc.commands``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lpmtui.hmc import commands
from lpmtui.hmc.commands import command_line
from lpmtui.hmc.parse_migration import (
    ProcPool,
    VirtualIoMappings,
    msp_pairs,
    proc_pools,
    virtual_io_mappings,
)
from lpmtui.model import FleetSnapshot, MspPair


@dataclass(frozen=True, slots=True)
class Choices:
    msp_pairs: tuple[MspPair, ...] = ()
    pools: tuple[ProcPool, ...] = ()
    mappings: VirtualIoMappings | None = None
    problems: tuple[str, ...] = ()  # one line per command that did not answer


@dataclass(frozen=True, slots=True)
class Remote:
    """The remote HMC for a cross-HMC migration, and whether the source HMC trusts it."""

    hmc: str
    address: str
    trusted: bool | None

    def setup_command(self, user: str) -> str:
        """The ``mkauthkeys`` line that sets up the trust, for the user to run on the source HMC."""
        try:
            return command_line(commands.mkauthkeys_setup(self.address, user).argv)
        except ValueError as exc:  # an empty or NUL-holding address or user: say so, do not crash
            return f"(no mkauthkeys command: {exc})"


def remote_for(snapshot: FleetSnapshot, source_hmc: str, target_hmc: str) -> Remote | None:
    if source_hmc == target_hmc:
        return None
    target = next((h for h in snapshot.hmcs if h.hmc == target_hmc), None)
    source = next((h for h in snapshot.hmcs if h.hmc == source_hmc), None)
    address = (target.peer_address or target.host) if target else target_hmc
    trust = dict(source.peer_trust) if source else {}
    return Remote(target_hmc, address, trust.get(target_hmc))


async def fetch_choices(
    link: Any, system: str, target: str, lpar_id: int, remote: Remote | None, user: str
) -> Choices:
    ip = remote.address if remote else None
    who = user if remote else None
    wanted = (
        ("MSP pairs", commands.msp_pairs(system, target, lpar_id, ip, who), msp_pairs),
        ("processor pools", commands.proc_pools(system, target, lpar_id, ip, who), proc_pools),
        (
            "adapter mappings",
            commands.virtual_io_mappings(system, target, lpar_id, ip, who),
            virtual_io_mappings,
        ),
    )
    found: dict[str, tuple] = {}
    problems = []
    for label, command, parse in wanted:
        result = await link.run(command.argv)
        if result.rc != 0:
            first = (result.stdout or result.stderr or "no answer").strip().splitlines()
            problems.append(f"{label}: {first[0] if first else 'rc ' + str(result.rc)}")
            found[label] = ()
            continue
        parsed = parse(result.stdout, command.fields, command.delimiter)
        found[label] = parsed.items
        problems.extend(f"{label}: {p}" for p in parsed.problems)
    mappings = found["adapter mappings"]
    return Choices(
        msp_pairs=tuple(found["MSP pairs"]),
        pools=tuple(found["processor pools"]),
        mappings=mappings[0] if mappings else None,
        problems=tuple(problems),
    )
