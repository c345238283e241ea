"""The cold data of one frame: virtual adapters and slots, physical I/O slots, profiles,
shared processor pools, firmware level, and per running VIOS its optical mappings and NPIV
ports. Every piece that fails keeps its previous value and adds an error line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from lpmtui.fleet.link import CommandFailed, HmcCommands, Parser, parse_output, report_problems
from lpmtui.hmc import commands, parse
from lpmtui.hmc.commands import Command
from lpmtui.hmc.errors import error_from
from lpmtui.hmc.parse import Parsed
from lpmtui.hmc.parse_common import Update
from lpmtui.model import (
    ColdData,
    HmcVersion,
    ManagedSystem,
    NpivPort,
    Partition,
    VirtualOpticalMapping,
)

# SR-IOV and vNIC listings are evidenced at V10R3 and V11R2 (real-hmc-facts §4); an HMC V9
# manages POWER9 frames with SR-IOV adapters, so it is asked too (not evidenced: a refusal
# shows as an error line). Older levels are not asked.
SRIOV_LISTINGS_SINCE = (9,)


@dataclass(frozen=True, slots=True)
class ColdPass:
    """What one cold pass found: the data, the firmware update (None: not read), errors."""

    cold: ColdData
    firmware: Update | None
    errors: tuple[str, ...]


async def fetch_cold(
    hmc: HmcCommands,
    system: ManagedSystem,
    partitions: Sequence[Partition],
    old: ColdData,
    clock: Callable[[], float],
    version: HmcVersion | None = None,
) -> ColdPass:
    """One cold pass over an Operating frame; ``old`` supplies what a failed piece keeps.
    The data is stamped with ``clock()`` when the pass ends. SR-IOV and vNIC listings are
    asked of HMC levels that know them only (``SRIOV_LISTINGS_SINCE``); elsewhere they stay
    None (not listed), which the rules read as unknown."""
    m = system.mtms
    errors: list[str] = []

    def listing(cmd: Command, parser: Parser, previous, **unsupported):
        work = partial(hmc.listing, cmd, parser, errors)
        return hmc.piece(work, Parsed(previous), errors, **unsupported)

    def virtual(kind: commands.VirtualIoKind, parser: Parser, previous):
        # e.g. no virtual FC on this system: nothing to list, no error
        return listing(commands.virtual_io(m, kind), parser, previous, unsupported=Parsed())

    async def pool_items():
        return (await hmc.listing(commands.shared_proc_pools(m), parse.shared_pools, errors)).items

    # an HMC that cannot list pools leaves the rule unknown (None), not "no pools"
    pools = hmc.piece(pool_items, old.proc_pools, errors, unsupported=None)

    ask_sriov = version is not None and version.at_least(*SRIOV_LISTINGS_SINCE)

    async def sriov(cmd: Command, parser: Parser, previous):
        # None until listed; a system without SR-IOV support has none to list
        async def items():
            return (await hmc.listing(cmd, parser, errors)).items

        return await hmc.piece(items, previous, errors, unsupported=())

    async def sriov_pieces():
        """Physical ports first: logical ports live on them and a vNIC is backed by one, so a
        frame without SR-IOV physical ports has neither and is not asked for them."""
        if not ask_sriov:
            return None, None, None
        physports = await sriov(
            commands.sriov_physical_ports(m), parse.sriov_physical_ports, old.sriov_physports
        )
        if physports == ():
            return (), (), ()
        ports, vnics = await asyncio.gather(
            sriov(commands.sriov_logical_ports(m), parse.sriov_logical_ports, old.sriov_ports),
            sriov(commands.vnic_adapters(m), parse.vnic_adapters, old.vnics),
        )
        return ports, physports, vnics

    (
        (scsi, fc, eth, slots, io, profiles, firmware, vios, proc_pools),
        (sriov_ports, sriov_physports, vnics),
    ) = await asyncio.gather(
        asyncio.gather(
            virtual("scsi", parse.scsi_adapters, old.scsi),
            virtual("fc", parse.fc_adapters, old.fc),
            virtual("eth", parse.eth_adapters, old.eth),
            virtual("slot", parse.virtual_slots, old.slots),
            listing(commands.io_slots(m), parse.io_slots, old.io_slots),
            listing(
                commands.profiles(m, commands.for_level(commands.PROFILE_FIELDS, "prof", version)),
                parse.profiles,
                old.profiles,
            ),
            listing(commands.firmware_level(m), parse.firmware, ()),
            _vios_data(hmc, m, partitions, old, errors),
            pools,
        ),
        sriov_pieces(),
    )
    optical, ports, npiv_listed = vios
    cold = ColdData(
        scsi=scsi.items,
        fc=fc.items,
        eth=eth.items,
        slots=slots.items,
        io_slots=io.items,
        profiles=profiles.items,
        optical=optical,
        taken_at=clock(),
        proc_pools=proc_pools,
        npiv_ports=ports,
        npiv_listed=npiv_listed,
        sriov_ports=sriov_ports,
        sriov_physports=sriov_physports,
        vnics=vnics,
    )
    return ColdPass(cold, firmware.one, tuple(errors))


async def _vios_data(
    hmc: HmcCommands,
    m: str,
    partitions: Sequence[Partition],
    old: ColdData,
    errors: list[str],
) -> tuple[tuple[VirtualOpticalMapping, ...], tuple[NpivPort, ...], tuple[str, ...]]:
    """Virtual optical mappings and NPIV ports (``viosvrcmd``) of every running VIOS whose
    RMC is up: (optical mappings, NPIV ports, names of the VIOSes whose lsnports answered).
    A VIOS that fails keeps its previous data."""
    vioses = [p for p in partitions if p.is_vios and p.state == "Running" and p.rmc_active]

    async def ask(cmd: Command, vios: Partition, parser, previous):
        result = await hmc.run(cmd)
        error = error_from(result)
        if error is not None:
            errors.append(f"{cmd.line}: {error.summary}")
            return None, tuple(x for x in previous if x.vios_name == vios.name)
        try:
            found = await parse_output(parser, result.stdout, vios.name)
        except CommandFailed as failed:
            errors.append(f"{cmd.line}: {failed.line}")
            return None, tuple(x for x in previous if x.vios_name == vios.name)
        report_problems(cmd, found.problems, errors)
        return vios.name, found.items

    async def one(vios: Partition):
        return await asyncio.gather(
            ask(
                commands.vios_optical_mappings(m, vios.lpar_id),
                vios,
                parse.optical_mappings,
                old.optical,
            ),
            ask(commands.vios_npiv_ports(m, vios.lpar_id), vios, parse.npiv_ports, old.npiv_ports),
        )

    per_vios = await asyncio.gather(*(one(v) for v in vioses))
    optical = tuple(o for (_, found), _ in per_vios for o in found)
    ports = tuple(x for _, (_, found) in per_vios for x in found)
    answered = {name for _, (name, _) in per_vios if name}
    kept = {v.name for v in vioses} & set(old.npiv_listed)  # failed now, listed before
    return optical, ports, tuple(sorted(answered | kept))
