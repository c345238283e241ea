"""What a ``migrlpar -o v`` message is about, recognised from its text.

A real HMC's ids are evidenced for a handful of prerequisites only (``hmc.messages``); for the
rest the wording is not known, so the console does not trust ids it has not seen evidence for.
Each topic here is one LPM prerequisite (hmc-cli.md §10) with the key phrase its message is
recognised by [M]; the simulator words its own messages so that exactly one phrase matches
(tests/sim check it), and a real HMC message that matches none is shown as the HMC's alone.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Topic(StrEnum):
    TARGET_NOT_OPERATING = "target-not-operating"
    PROCESSOR_GENERATION = "processor-generation"
    MOBILITY_CAPABLE = "mobility-capable"
    SUSPEND_CAPABLE = "suspend-capable"
    IBMI_CAPABLE = "ibmi-capable"
    FIRMWARE = "firmware"
    MEMORY = "memory"
    PROCESSORS = "processors"
    VIRTUAL_SLOTS = "virtual-slots"
    LMB = "lmb"
    CONSOLE_LEVEL = "console-level"
    CONSOLE_REMOTE = "console-remote"
    CONCURRENCY_SYSTEM = "concurrency-system"
    CONCURRENCY_MSP = "concurrency-msp"
    NO_MSP = "no-msp"
    VIOS_LEVEL = "vios-level"
    PARTITION_TYPE = "partition-type"
    OS_LEVEL = "os-level"
    STORAGE_NOT_VIRTUAL = "storage-not-virtual"
    VLAN_NOT_BRIDGED = "vlan-not-bridged"
    PHYSICAL_IO = "physical-io"
    REQUIRED_ADAPTER = "required-adapter"
    ANY_CLIENT = "any-client"
    VIRTUAL_OPTICAL = "virtual-optical"
    NAME_IN_USE = "name-in-use"
    SERVICE_PARTITION = "service-partition"
    OPEN_CONSOLE = "open-console"
    NEVER_ACTIVATED = "never-activated"
    HUGE_PAGES = "huge-pages"
    BSR = "bsr"
    REDUNDANT_ERROR_PATH = "redundant-error-path"
    COMPAT_MODE = "compat-mode"
    PARTITION_STATE = "partition-state"
    INCOMING_MIGRATION = "incoming-migration"
    VSCSI_NOT_HOSTABLE = "vscsi-not-hostable"
    REDUNDANCY = "redundancy"
    PROC_POOL = "proc-pool"
    MIGRATION_DISABLED = "migration-disabled"
    SAME_SYSTEM = "same-system"
    REMOTE_UNREACHABLE = "remote-unreachable"
    REMOTE_PASSWORD = "remote-password"
    SRIOV = "sriov"
    VNIC_BACKING = "vnic-backing"


# Key phrases, tried in this order; case is ignored.
PHRASES: dict[Topic, str] = {
    Topic.TARGET_NOT_OPERATING: r"migrated to an Operating managed system",
    Topic.PROCESSOR_GENERATION: r"needs POWER6 or later",
    Topic.MOBILITY_CAPABLE: r"not capable of (?!IBM i )\w+ partition mobility",
    Topic.SUSPEND_CAPABLE: r"cannot host suspended partitions",
    Topic.IBMI_CAPABLE: r"not capable of IBM i partition mobility",
    Topic.FIRMWARE: r"\bfirmware level\b",
    Topic.MEMORY: r"\bMB of memory available\b",
    Topic.PROCESSORS: r"\bprocessing units available\b",
    Topic.VIRTUAL_SLOTS: r"\bfree virtual slots\b",
    Topic.LMB: r"\bmemory region size\b",
    Topic.CONSOLE_LEVEL: r"\bon both consoles\b",
    Topic.CONSOLE_REMOTE: r"\bcannot take part in remote partition mobility\b",
    Topic.CONCURRENCY_SYSTEM: r"\bmigrations in progress, the most it supports\b",
    Topic.CONCURRENCY_MSP: r"\bmaximum number of concurrent migrations\b",
    Topic.NO_MSP: r"\bmover service partition attribute\b",
    Topic.VIOS_LEVEL: r"\bVirtual I/O Server .+ is at level\b",
    Topic.PARTITION_TYPE: r"\bonly AIX, Linux and IBM i partitions can be migrated\b",
    Topic.OS_LEVEL: r"\boperating system level\b",
    Topic.STORAGE_NOT_VIRTUAL: r"\bwhich is not a Virtual I/O Server partition\b",
    Topic.VLAN_NOT_BRIDGED: r"\bnot bridged by a shared Ethernet adapter\b",
    Topic.PHYSICAL_IO: r"\bphysical I/O slot\b",
    Topic.REQUIRED_ADAPTER: r"\bis marked required\b",
    Topic.ANY_CLIENT: r"\baccepts any client partition\b",
    Topic.VIRTUAL_OPTICAL: r"\bvirtual optical device\b",
    Topic.NAME_IN_USE: r"\balready exists on the destination\b",
    Topic.SERVICE_PARTITION: r"\bis the service partition of\b",
    Topic.OPEN_CONSOLE: r"\bvirtual terminal is open\b",
    Topic.NEVER_ACTIVATED: r"\bnever been activated\b",
    Topic.HUGE_PAGES: r"\bhuge pages\b",
    Topic.BSR: r"\bbarrier synchronization register\b",
    Topic.REDUNDANT_ERROR_PATH: r"\bredundant error path reporting\b",
    Topic.COMPAT_MODE: r"\bprocessor compatibility mode\b",
    Topic.PARTITION_STATE: r"\bonly Running, Not Activated and Suspended partitions\b",
    Topic.INCOMING_MIGRATION: r"\bis the destination of a migration in progress\b",
    Topic.VSCSI_NOT_HOSTABLE: r"\bvirtual SCSI client adapter .+ cannot be hosted\b",
    Topic.REDUNDANCY: r"\bredundancy\b",
    Topic.PROC_POOL: r"\bshared processor pool\b",
    Topic.MIGRATION_DISABLED: r"\bhas migration disabled\b",
    Topic.SAME_SYSTEM: r"\bsource and destination managed systems are the same\b",
    Topic.REMOTE_UNREACHABLE: r"\bmanagement console .+ could not be reached\b",
    Topic.REMOTE_PASSWORD: r"\bpassword for user .+ on the remote host\b",
    Topic.SRIOV: r"\bowns \S+ SR-IOV logical ports?\b",
    Topic.VNIC_BACKING: r"\bvNIC adapter .+ cannot be backed\b",
}
_COMPILED = tuple((topic, re.compile(phrase, re.IGNORECASE)) for topic, phrase in PHRASES.items())

# After these the HMC checks nothing else: it cannot reach the other system or console, or
# the request itself is void.
STOPPING: frozenset[Topic] = frozenset(
    {
        Topic.TARGET_NOT_OPERATING,
        Topic.SAME_SYSTEM,
        Topic.INCOMING_MIGRATION,
        Topic.REMOTE_UNREACHABLE,
        Topic.REMOTE_PASSWORD,
    }
)


def topics_of(text: str) -> tuple[Topic, ...]:
    """Every topic whose phrase occurs in ``text``, in ``PHRASES`` order."""
    return tuple(topic for topic, pattern in _COMPILED if pattern.search(text))


def topic_of(text: str) -> Topic | None:
    """The first topic whose phrase occurs in ``text``; None when the text names none."""
    found = topics_of(text)
    return found[0] if found else None
