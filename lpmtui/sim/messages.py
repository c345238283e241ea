"""Every message the simulated HMC prints, in one catalogue.

Ids marked evidenced are the real HMC's, with their verbatim texts, taken from
``lpmtui.hmc.messages`` (hmc-cli.md §8). Every other id is obviously synthetic (``HSCLSIMnn``)
and known to the simulator only: the console recognises those messages by their text
(``TOPICS`` below, ``lpmtui.hmc.topics``). Each entry is (id, default severity, text with
``{name}`` fields filled per message).
"""

from __future__ import annotations

from dataclasses import dataclass

from lpmtui.hmc import messages as ids
from lpmtui.hmc.topics import Topic


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    severity: str  # error | warning
    text: str
    evidenced: bool = False

    def render(self, **values: object) -> str:
        body = self.text.format(**values)
        return f"{self.id} {body}" if self.id else body


_E, _W = "error", "warning"

CATALOGUE: dict[str, Message] = {
    # -- evidenced (hmc-cli.md §8) ------------------------------------------------------------
    "RMC_DOWN": Message(ids.RMC_DOWN, _E, ids.TEXTS[ids.RMC_DOWN], True),
    "VFC_NOT_HOSTABLE": Message(ids.VFC_NOT_HOSTABLE, _E, ids.TEXTS[ids.VFC_NOT_HOSTABLE], True),
    "NO_TRUST": Message(ids.NO_TRUST, _E, ids.TEXTS[ids.NO_TRUST], True),
    "NOT_OPERATING": Message(ids.NOT_OPERATING, _E, ids.TEXTS[ids.NOT_OPERATING], True),
    "LPAR_NOT_FOUND": Message(ids.LPAR_NOT_FOUND, _E, ids.TEXTS[ids.LPAR_NOT_FOUND], True),
    "NO_AMS": Message(ids.NO_AMS, _E, ids.TEXTS[ids.NO_AMS], True),
    # -- synthetic: validation, one per prerequisite ------------------------------------------
    "TARGET_NOT_OPERATING": Message(
        "HSCLSIM01",
        _E,
        "The destination managed system {frame} is in the {state} state; "
        "partitions can only be migrated to an Operating managed system.",
    ),
    "OLD_PROCESSOR": Message(
        "HSCLSIM02",
        _E,
        "The managed system {frame} is a POWER{gen} server; partition "
        "mobility needs POWER6 or later on both servers.",
    ),
    "NOT_MOBILITY_CAPABLE": Message(
        "HSCLSIM03",
        _E,
        "The managed system {frame} is not capable of {kind} partition "
        "mobility (PowerVM Enterprise Edition is not activated).",
    ),
    "FIRMWARE": Message(
        "HSCLSIM04",
        _E,
        "The firmware level {have} of managed system {frame} does not support partition "
        "mobility with the {peer_gen} server {peer}; {frame} needs {need} or later.",
    ),
    "FIRMWARE_NONE": Message(
        "HSCLSIM04",
        _E,
        "No firmware level of the {gen} server {frame} supports partition mobility with the "
        "{peer_gen} server {peer}.",
    ),
    "MEMORY": Message(
        "HSCLSIM05",
        _E,
        "The destination managed system {frame} has {avail} MB of memory "
        "available; partition {name} needs {need} MB.",
    ),
    "PROCESSORS": Message(
        "HSCLSIM06",
        _E,
        "The destination managed system {frame} has {avail} processing units "
        "available; partition {name} needs {need}.",
    ),
    "VIRTUAL_SLOTS": Message(
        "HSCLSIM07",
        _E,
        "The Virtual I/O Server partitions on {frame} have {avail} free virtual "
        "slots; partition {name} needs {need} for its virtual storage adapters.",
    ),
    "LMB": Message(
        "HSCLSIM08",
        _E,
        "The memory region size (LMB) of {source} is {src_lmb} MB and of "
        "{target} is {dst_lmb} MB; partition mobility needs the same size on both.",
    ),
    "HMC_LEVEL": Message(
        "HSCLSIM09",
        _E,
        "The management console {hmc} is at {have}; remote partition mobility "
        "needs {need} or later on both consoles.",
    ),
    "REMOTE_NOT_CAPABLE": Message(
        "HSCLSIM10",
        _E,
        "The management console {hmc} ({kind}) cannot take part in remote "
        "partition mobility with {peer}.",
    ),
    "CONCURRENCY_SYS": Message(
        "HSCLSIM11",
        _E,
        "The managed system {frame} already has {count} {kind} migrations in "
        "progress, the most it supports.",
    ),
    "CONCURRENCY_MSP": Message(
        "HSCLSIM12",
        _E,
        "Every mover service partition on {frame} already runs its maximum "
        "number of concurrent migrations.",
    ),
    "NO_MSP": Message(
        "HSCLSIM13",
        _E,
        "There is no running Virtual I/O Server partition with the mover "
        "service partition attribute on {frame}.",
    ),
    "VIOS_LEVEL": Message(
        "HSCLSIM14",
        _E,
        "The Virtual I/O Server {vios} on {frame} is at level {level}; "
        "partition mobility needs 1.5.2.1-FP11 or 2.1 and later.",
    ),
    "WRONG_TYPE": Message(
        "HSCLSIM15",
        _E,
        "Partition {name} is a {env} partition; only AIX, Linux and IBM i "
        "partitions can be migrated.",
    ),
    "OS_LEVEL": Message(
        "HSCLSIM16",
        _E,
        "The operating system level {level} of partition {name} does not "
        "support partition mobility; {need} or later is needed.",
    ),
    "NOT_VIRTUAL_STORAGE": Message(
        "HSCLSIM17",
        _E,
        "The virtual {kind} client adapter {slot} of partition {name} is served "
        "by {server}, which is not a Virtual I/O Server partition.",
    ),
    "VLAN_NOT_BRIDGED": Message(
        "HSCLSIM18",
        _E,
        "VLAN {vlan} on virtual switch {vswitch} used by partition {name} is not "
        "bridged by a shared Ethernet adapter on {frame}.",
    ),
    "PHYSICAL_IO": Message(
        "HSCLSIM19",
        _E,
        "Partition {name} owns the physical I/O slot {drc}; remove dedicated "
        "adapters before an active migration.",
    ),
    "REQUIRED_ADAPTER": Message(
        "HSCLSIM20",
        _E,
        "The virtual {kind} adapter in slot {slot} of {owner} is marked "
        "required; it must be desired to migrate partition {name}.",
    ),
    "ANY_CLIENT": Message(
        "HSCLSIM21",
        _E,
        "The virtual {kind} server adapter in slot {slot} of {vios} accepts "
        "any client partition; partition {name} can only migrate with adapters dedicated to it.",
    ),
    "VIRTUAL_OPTICAL": Message(
        "HSCLSIM22",
        _E,
        "The virtual optical device {vtd} on {vios} is mapped to partition "
        "{name}; remove it before the migration.",
    ),
    "NAME_IN_USE": Message(
        "HSCLSIM23",
        _E,
        "A partition named {name} already exists on the destination managed system {frame}.",
    ),
    "SERVICE_PARTITION": Message(
        "HSCLSIM24",
        _E,
        "Partition {name} is the service partition of {frame} and cannot be migrated.",
    ),
    "OPEN_CONSOLE": Message(
        "HSCLSIM25",
        _E,
        "A virtual terminal is open for partition {name}; close it (rmvterm) before the migration.",
    ),
    "NEVER_ACTIVATED": Message(
        "HSCLSIM26",
        _E,
        "Partition {name} has never been activated; a partition must be "
        "activated at least once before it can be migrated.",
    ),
    "HUGE_PAGES": Message(
        "HSCLSIM27",
        _E,
        "Partition {name} uses {count} huge pages; active migration is not "
        "possible (shut it down for an inactive migration).",
    ),
    "BSR": Message(
        "HSCLSIM28",
        _E,
        "Partition {name} uses {count} barrier synchronization register arrays; "
        "active migration is not possible.",
    ),
    "REDUNDANT_ERR_PATH": Message(
        "HSCLSIM29",
        _E,
        "Partition {name} has redundant error path reporting enabled; active "
        "migration is not possible.",
    ),
    "COMPAT_MODE": Message(
        "HSCLSIM30",
        _E,
        "The processor compatibility mode {mode} of partition {name} is not "
        "supported by the destination managed system {frame}.",
    ),
    "BAD_STATE": Message(
        "HSCLSIM31",
        _E,
        "Partition {name} is in the {state} state; only Running, Not Activated "
        "and Suspended partitions can be migrated.",
    ),
    "NO_VSCSI_HOST": Message(
        "HSCLSIM32",
        _E,
        "The virtual SCSI client adapter {slot} of partition {name} cannot be "
        "hosted by a Virtual I/O Server partition on the destination managed system.",
    ),
    "NO_POOL": Message(
        "HSCLSIM33",
        _E,
        "The shared processor pool {pool} of partition {name} does not exist on "
        "the destination managed system {frame}.",
    ),
    "MIGRATION_DISABLED": Message("HSCLSIM34", _E, "Partition {name} has migration disabled."),
    "SUSPEND_NOT_CAPABLE": Message(
        "HSCLSIM35", _E, "The managed system {frame} cannot host suspended partitions."
    ),
    "IBMI_NOT_CAPABLE": Message(
        "HSCLSIM36", _E, "The managed system {frame} is not capable of IBM i partition mobility."
    ),
    "SAME_FRAME": Message(
        "HSCLSIM37", _E, "The source and destination managed systems are the same."
    ),
    "REDUNDANCY_LOST": Message(
        "HSCLSIM38",
        _W,
        "Partition {name} is served by {have} Virtual I/O Servers on the source "
        "and can only be served by {can} on {frame}; the migration will not keep that redundancy.",
    ),
    # -- synthetic: migration operations ------------------------------------------------------
    "MIGRATION_FAILED": Message(
        "HSCLSIM40",
        _E,
        "The migration of partition {name} failed.  Stop the migration if it is "
        "still in progress, then recover the partition with migrlpar -o r.",
    ),
    "MIGRATION_STOPPED": Message(
        "HSCLSIM41", _E, "The migration of partition {name} was stopped by user request."
    ),
    "NOT_MIGRATING": Message("HSCLSIM42", _E, "Partition {name} is not migrating."),
    "TOO_LATE_TO_STOP": Message(
        "HSCLSIM43",
        _E,
        "The migration of partition {name} is completing and can no longer be stopped.",
    ),
    "NEEDS_FORCE": Message(
        "HSCLSIM44",
        _E,
        "The recovery of partition {name} could not reach the destination; "
        "run migrlpar -o r with --force to recover it on the source.",
    ),
    "INCOMING_SHELL": Message(
        "HSCLSIM39",
        _E,
        "Partition {name} on {frame} is the destination of a migration in progress from "
        "{source}; it cannot be validated or migrated until that migration ends.",
    ),
    "STILL_MIGRATING": Message(
        "HSCLSIM45", _E, "Partition {name} is still migrating; stop the migration first."
    ),
    "ID_NOT_FOUND": Message("HSCLSIM46", _E, "The partition with ID {id} was not found."),
    "UNKNOWN_REMOTE_HMC": Message(
        "HSCLSIM47", _E, "The management console {address} could not be reached."
    ),
    "BAD_REMOTE_PASSWORD": Message(
        "HSCLSIM48", _E, "The password for user {user} on the remote host {address} is not valid."
    ),
    "VIOS_CMD_FAILED": Message(
        "HSCLSIM50",
        _E,
        "The command could not be run on partition {name}: it is not a running "
        "Virtual I/O Server partition with an active RMC connection.",
    ),
    "VIOS_CMD_UNKNOWN": Message(
        "HSCLSIM51", _E, "The Virtual I/O Server command {command} is not simulated."
    ),
    "SRIOV_PORTS": Message(
        "HSCLSIM52",
        _E,
        "Partition {name} owns {count} SR-IOV logical ports that cannot be migrated to {frame}.",
    ),
    "VNIC_NO_BACKING": Message(
        "HSCLSIM53",
        _E,
        "The vNIC adapter {slot} of partition {name} cannot be backed on {frame}: no running "
        "Virtual I/O Server there has an SR-IOV physical port with a free logical port.",
    ),
    "INTERNAL": Message("HSCLSIM99", _E, "The simulated HMC failed to run the command: {error}"),
    # -- no id (hmc-cli.md §1.4) ---------------------------------------------------------------
    "BAD_PARAMETER": Message("", _E, ids.BAD_PARAMETER_TEXT, True),
}


# What each validation message is about, in the core's terms (``lpmtui.hmc.topics``): the
# console recognises an invented id's message by its text, never by the id; tests/sim check
# that each text matches its topic's phrase and no other.
TOPICS: dict[str, Topic] = {
    "TARGET_NOT_OPERATING": Topic.TARGET_NOT_OPERATING,
    "OLD_PROCESSOR": Topic.PROCESSOR_GENERATION,
    "NOT_MOBILITY_CAPABLE": Topic.MOBILITY_CAPABLE,
    "FIRMWARE": Topic.FIRMWARE,
    "FIRMWARE_NONE": Topic.FIRMWARE,
    "MEMORY": Topic.MEMORY,
    "PROCESSORS": Topic.PROCESSORS,
    "VIRTUAL_SLOTS": Topic.VIRTUAL_SLOTS,
    "LMB": Topic.LMB,
    "HMC_LEVEL": Topic.CONSOLE_LEVEL,
    "REMOTE_NOT_CAPABLE": Topic.CONSOLE_REMOTE,
    "CONCURRENCY_SYS": Topic.CONCURRENCY_SYSTEM,
    "CONCURRENCY_MSP": Topic.CONCURRENCY_MSP,
    "NO_MSP": Topic.NO_MSP,
    "VIOS_LEVEL": Topic.VIOS_LEVEL,
    "WRONG_TYPE": Topic.PARTITION_TYPE,
    "OS_LEVEL": Topic.OS_LEVEL,
    "NOT_VIRTUAL_STORAGE": Topic.STORAGE_NOT_VIRTUAL,
    "VLAN_NOT_BRIDGED": Topic.VLAN_NOT_BRIDGED,
    "PHYSICAL_IO": Topic.PHYSICAL_IO,
    "REQUIRED_ADAPTER": Topic.REQUIRED_ADAPTER,
    "ANY_CLIENT": Topic.ANY_CLIENT,
    "VIRTUAL_OPTICAL": Topic.VIRTUAL_OPTICAL,
    "NAME_IN_USE": Topic.NAME_IN_USE,
    "SERVICE_PARTITION": Topic.SERVICE_PARTITION,
    "OPEN_CONSOLE": Topic.OPEN_CONSOLE,
    "NEVER_ACTIVATED": Topic.NEVER_ACTIVATED,
    "HUGE_PAGES": Topic.HUGE_PAGES,
    "BSR": Topic.BSR,
    "REDUNDANT_ERR_PATH": Topic.REDUNDANT_ERROR_PATH,
    "COMPAT_MODE": Topic.COMPAT_MODE,
    "BAD_STATE": Topic.PARTITION_STATE,
    "NO_VSCSI_HOST": Topic.VSCSI_NOT_HOSTABLE,
    "NO_POOL": Topic.PROC_POOL,
    "MIGRATION_DISABLED": Topic.MIGRATION_DISABLED,
    "SUSPEND_NOT_CAPABLE": Topic.SUSPEND_CAPABLE,
    "IBMI_NOT_CAPABLE": Topic.IBMI_CAPABLE,
    "SAME_FRAME": Topic.SAME_SYSTEM,
    "REDUNDANCY_LOST": Topic.REDUNDANCY,
    "INCOMING_SHELL": Topic.INCOMING_MIGRATION,
    "UNKNOWN_REMOTE_HMC": Topic.REMOTE_UNREACHABLE,
    "BAD_REMOTE_PASSWORD": Topic.REMOTE_PASSWORD,
    "SRIOV_PORTS": Topic.SRIOV,
    "VNIC_NO_BACKING": Topic.VNIC_BACKING,
}


def text(key: str, **values: object) -> str:
    """The rendered message (id and text) for a catalogue key."""
    return CATALOGUE[key].render(**values)


def severity(key: str, overrides: dict[str, str]) -> str:
    """error | warning, after the fleet file's ``settings.severity`` override by message id."""
    msg = CATALOGUE[key]
    return overrides.get(msg.id, msg.severity)
