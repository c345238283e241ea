"""Hand-built fleet snapshots for UI tests that do not need the simulator."""

from __future__ import annotations

from dataclasses import replace

from lpmtui.model import (
    ConnectionState,
    FleetSnapshot,
    FrameSnapshot,
    HmcSnapshot,
    HmcVersion,
    ManagedSystem,
    MigrationStatus,
    Partition,
)

NOW = 1_800_000_000.0


def system(name: str, **kw) -> ManagedSystem:
    base = dict(
        type_model="9009-42A",
        serial=name.upper(),
        state="Operating",
        active_mobility_capable=True,
        inactive_mobility_capable=True,
        proc_compat_modes=("default", "POWER8", "POWER9"),
        mem_configurable=262144,
        mem_available=131072,
        mem_region_size=256,
        proc_units_configurable=20.0,
        proc_units_available=8.0,
        num_active_migrations_supported=16,
        num_active_migrations_in_progress=0,
        num_inactive_migrations_supported=16,
        num_inactive_migrations_in_progress=0,
        firmware_level="FW950.80",
    )
    base.update(kw)
    return ManagedSystem(name=name, **base)


def lpar(system_name: str, name: str, lpar_id: int, **kw) -> Partition:
    base = dict(
        lpar_env="aixlinux",
        state="Running",
        os_version="AIX 7.3 7300-02-01-2346",
        rmc_state="active",
        rmc_ipaddr="10.0.0.1",
        curr_mem=16384,
        mem_mode="ded",
        proc_mode="shared",
        curr_proc_units=0.5,
        curr_procs=2,
        curr_proc_compat_mode="POWER9",
        desired_proc_compat_mode="default",
        default_profile="normal",
        curr_profile="normal",
    )
    base.update(kw)
    return Partition(system=system_name, name=name, lpar_id=lpar_id, **base)


def vios(system_name: str, name: str, lpar_id: int) -> Partition:
    return lpar(
        system_name,
        name,
        lpar_id,
        lpar_env="vioserver",
        msp=True,
        os_version="VIOS 3.1.4.10",
        curr_mem=8192,
    )


def demo_snapshot(
    *,
    taken_at: float = NOW,
    hmc2_state=ConnectionState.CONNECTED,
    hmc2_taken_at: float | None = None,
) -> FleetSnapshot:
    version = HmcVersion(10, "3", "1060", base_version="V10R3")
    p9a = FrameSnapshot(
        system("p9a"),
        (
            vios("p9a", "p9a-vios1", 1),
            lpar("p9a", "app[01]", 2),
            lpar("p9a", "db01", 3, curr_mem=65536, curr_proc_units=2.0),
            lpar("p9a", "ibmi01", 4, lpar_env="os400", os_version="IBM i 7.5", rmc_state="none"),
            lpar("p9a", "web01", 5, state="Not Activated", rmc_state="inactive", os_version=""),
        ),
        (
            MigrationStatus(
                "db01",
                3,
                "Migration Starting",
                "active",
                "p9b",
                bytes_transmitted=1_000,
                bytes_remaining=3_000,
            ),
        ),
    )
    p9b = FrameSnapshot(
        system("p9b", mem_available=8192),
        (
            vios("p9b", "p9b-vios1", 1),
            lpar("p9b", "app02", 2, curr_mem=4096),
        ),
    )
    p10 = FrameSnapshot(
        system("p10a", proc_compat_modes=("default", "POWER9", "POWER10")),
        (
            vios("p10a", "p10a-vios1", 1),
            lpar("p10a", "lnx01", 2, os_version="Linux/Red Hat 4.18.0 9.2", rmc_state="inactive"),
        ),
    )
    hmc1 = HmcSnapshot(
        "hmc1",
        host="10.0.0.10",
        state=ConnectionState.CONNECTED,
        version=version,
        frames=(p9a, p9b),
        taken_at=taken_at,
    )
    hmc2 = HmcSnapshot(
        "hmc2",
        host="10.0.0.20",
        state=hmc2_state,
        version=version,
        frames=(p10,),
        taken_at=taken_at if hmc2_taken_at is None else hmc2_taken_at,
    )
    if hmc2_state is not ConnectionState.CONNECTED:
        hmc2 = replace(hmc2, last_error="connection refused by 10.0.0.20:22")
    return FleetSnapshot((hmc1, hmc2), taken_at=taken_at)
