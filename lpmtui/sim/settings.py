"""Simulator choices where the real HMC's behaviour is unknown ([?] in hmc-cli.md).

Every field can be set in the fleet file's ``settings:`` block; docs/simulator.md explains each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from lpmtui.hmc.messages import INVALID_ATTRIBUTE_TEXT


@dataclass
class SimSettings:
    # migration timing (sim seconds)
    active_start_seconds: float = 5.0  # "Migration Starting": MSP set-up, shell on the target
    inactive_start_seconds: float = 2.0
    inactive_transfer_seconds: float = 6.0  # an inactive migration moves configuration only
    finish_seconds: float = 1.0  # resume on the target and clean up the source
    suspend_overhead_seconds: float = 0.3  # the brief stop at the end of an active migration
    stop_copy_mb: float = 64.0  # pre-copy ends when this much dirty memory remains
    dirty_throttle: float = 0.8  # the hypervisor holds re-dirtying below this share of the link
    # validation thresholds
    mem_overhead_mb: int = 0  # memory the target needs beyond the partition's own
    min_os: dict[str, str] = field(
        default_factory=lambda: {"AIX": "5.3.7", "Linux": "2.6", "IBM i": "7.1"}
    )
    # "POWERa>POWERb": the firmware a POWERa frame needs to exchange partitions with a POWERb
    # frame (either direction); "none" when no firmware of the POWERa frame does. Illustrative
    # levels after IBM's support matrix, the same table as lpmtui.eligibility.levels.
    firmware_min_peer: dict[str, str] = field(
        default_factory=lambda: {
            "POWER6>POWER7": "FW350",
            "POWER7>POWER8": "FW760",
            "POWER7>POWER9": "FW780",
            "POWER8>POWER9": "FW840",
            "POWER8>POWER10": "FW860",
            "POWER9>POWER10": "FW920",
            "POWER9>POWER11": "FW950",
            "POWER10>POWER11": "FW1050",
            # no firmware of the older server supports the newer one
            "POWER6>POWER9": "none",
            "POWER6>POWER10": "none",
            "POWER6>POWER11": "none",
            "POWER7>POWER10": "none",
            "POWER7>POWER11": "none",
            "POWER8>POWER11": "none",
        }
    )
    severity: dict[str, str] = field(default_factory=dict)  # message id -> error | warning
    # strings and listing shapes
    failed_migration_state: str = "Migration Failed"
    suspended_migrating_state: str = "Migrating - Suspended"
    manager_reports_concurrency: bool = False  # also list num_*_migrations_* under -r manager
    sys_reports_msp_concurrency: bool = True  # add msp_concurrency to lslparmigr -r sys
    # the V10R3 text (real-hmc-facts §1, pcie-…-ioslots--invalid-attribute-control)
    invalid_attribute_text: str = INVALID_ATTRIBUTE_TEXT
    missing_attribute_value: str = "null"  # what -F prints for an attribute a record lacks

    @classmethod
    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)}
