"""What one poll saw: connection states and the fleet, HMC and frame snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from lpmtui.model.adapters import (
    IoSlot,
    NpivPort,
    Profile,
    SharedProcPool,
    SriovLogicalPort,
    SriovPhysicalPort,
    VirtualEthAdapter,
    VirtualFcAdapter,
    VirtualOpticalMapping,
    VirtualScsiAdapter,
    VirtualSlots,
    VnicAdapter,
)
from lpmtui.model.inventory import HmcManager, HmcVersion, ManagedSystem, Partition
from lpmtui.model.migration import MigrationStatus

# -- snapshots ----------------------------------------------------------------------------------


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    AUTH_FAILED = "auth failed"
    HOST_KEY_UNKNOWN = "host key unknown"
    HOST_KEY_CHANGED = "host key changed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class ColdData:
    """Adapters, slots, profiles and VIOS mappings of one frame (slower cadence)."""

    scsi: tuple[VirtualScsiAdapter, ...] = ()
    fc: tuple[VirtualFcAdapter, ...] = ()
    eth: tuple[VirtualEthAdapter, ...] = ()
    slots: tuple[VirtualSlots, ...] = ()
    io_slots: tuple[IoSlot, ...] = ()
    profiles: tuple[Profile, ...] = ()
    optical: tuple[VirtualOpticalMapping, ...] = ()
    taken_at: float = 0.0
    proc_pools: tuple[SharedProcPool, ...] | None = None  # None: not listed (yet)
    npiv_ports: tuple[NpivPort, ...] = ()
    npiv_listed: tuple[str, ...] = ()  # the VIOSes whose lsnports answered (ports or none)
    # SR-IOV and vNIC; None: not listed (yet), or the HMC could not list them
    sriov_ports: tuple[SriovLogicalPort, ...] | None = None
    sriov_physports: tuple[SriovPhysicalPort, ...] | None = None
    vnics: tuple[VnicAdapter, ...] | None = None


@dataclass(frozen=True, slots=True)
class FrameSnapshot:
    system: ManagedSystem
    partitions: tuple[Partition, ...] = ()
    migrations: tuple[MigrationStatus, ...] = ()
    cold: ColdData | None = None
    errors: tuple[str, ...] = ()
    # The errors of the last hot poll alone (partition listings): empty means the partition
    # list and migration states were read afresh.
    hot_errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HmcSnapshot:
    """One poll of one HMC. ``taken_at`` is a ``time.time()`` stamp of the data (0 = never)."""

    hmc: str  # the configured name
    host: str = ""
    state: ConnectionState = ConnectionState.CONNECTING
    reconnect_attempt: int = 0
    version: HmcVersion | None = None
    manager: HmcManager | None = None
    frames: tuple[FrameSnapshot, ...] = ()
    taken_at: float = 0.0
    errors: tuple[str, ...] = ()
    last_error: str = ""
    host_key_fingerprint: str = ""  # set when the state is a host-key state
    kind: str = "hmc"  # hmc | fsm | ivm (from the config): what manages these frames
    peer_address: str = ""  # the address other HMCs use for this one (migrlpar --ip)
    site: str = ""  # where the config says the HMC is ("" = not said): the tree groups by it
    # mkauthkeys --test results towards other configured HMCs: (peer hmc name, trusted or None)
    peer_trust: tuple[tuple[str, bool | None], ...] = ()


@dataclass(frozen=True, slots=True)
class FleetSnapshot:
    hmcs: tuple[HmcSnapshot, ...] = ()
    taken_at: float = 0.0
    index: dict[str, tuple[str, FrameSnapshot]] = field(default_factory=dict, compare=False)

    def frame(self, system: str) -> tuple[str, FrameSnapshot] | None:
        """(hmc name, frame) for a managed system name."""
        if not self.index:
            for h in self.hmcs:
                for f in h.frames:
                    self.index[f.system.name] = (h.hmc, f)
        return self.index.get(system)
