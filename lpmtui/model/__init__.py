"""Frozen dataclasses for what the console shows and checks (standard library only).

Values come from HMC listings. ``None`` means the HMC did not say (attribute absent, ``null``
or ``unavailable``), which is different from 0 or False: rules report such data as unknown.
Memory is in MB, as the HMC prints it.

The names live in small modules (``inventory``, ``adapters``, ``migration``, ``snapshots``);
every public one is re-exported here, so ``from lpmtui.model import X`` is the way to use them.
"""

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
from lpmtui.model.inventory import (
    HmcManager,
    HmcVersion,
    LparEnv,
    ManagedSystem,
    Partition,
)
from lpmtui.model.migration import (
    HmcMessage,
    MigrationStatus,
    MspPair,
    ValidationResult,
)
from lpmtui.model.snapshots import (
    ColdData,
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcSnapshot,
)

__all__ = [
    "ColdData",
    "ConnectionState",
    "FleetSnapshot",
    "FrameSnapshot",
    "HmcManager",
    "HmcMessage",
    "HmcSnapshot",
    "HmcVersion",
    "IoSlot",
    "LparEnv",
    "ManagedSystem",
    "MigrationStatus",
    "MspPair",
    "NpivPort",
    "Partition",
    "Profile",
    "SharedProcPool",
    "SriovLogicalPort",
    "SriovPhysicalPort",
    "ValidationResult",
    "VirtualEthAdapter",
    "VirtualFcAdapter",
    "VirtualOpticalMapping",
    "VirtualScsiAdapter",
    "VirtualSlots",
    "VnicAdapter",
]
