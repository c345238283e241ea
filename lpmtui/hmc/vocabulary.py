"""Attribute names real HMCs print, per release (and, at V11R2, per POWER generation).

Transcribed from tests/fixtures/real-v10-v11/vocabulary-cli.json (hmc-mcp's sweeps of
``lssyscfg -r sys|lpar|prof`` at V10R3 M1060 / POWER9 and V11R2 SP1120 / POWER9, POWER10,
POWER11; real-hmc-facts §3). Sorted by name: the vocabularies do not give the printed order.
The client asks an evidenced level only for names evidenced there (``command_fields``); the
simulator prints these sets at these levels and refuses other names. Levels without a capture
(V9, V10R1-R2, V11R1) have no entry here: ``evidenced`` returns None for them.
"""

from __future__ import annotations


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


V10R3_SYS = _names(
    """
    5250_application_capable active_lpar_mobility_capable active_lpar_share_idle_procs_capable
    active_mem_expansion_capable active_mem_mirroring_hypervisor_capable
    active_mem_sharing_capable addr_broadcast_perf_policy_capable aix_capable
    assign_5250_cpw_percent capi_capable cluster_serial_num cod_mem_capable cod_proc_capable
    curr_mfg_default_boot_mode curr_mfg_default_ipl_source curr_power_on_side
    curr_power_on_speed curr_sys_keylock description detailed_state
    dynamic_platform_optimization_capable dynamic_simplified_remote_restart_toggle_capable
    electronic_err_reporting_capable firmware_power_saver_capable
    hardware_active_mem_expansion_capable hardware_discovery_capable
    hardware_power_saver_capable huge_page_mem_capable inactive_lpar_mobility_capable ipaddr
    lpar_avail_priority_capable lpar_keystore_max_kbytes lpar_keystore_min_kbytes
    lpar_proc_compat_mode_capable lpar_proc_compat_modes lpar_remote_restart_capable
    lpar_suspend_capable max_lpars max_power_ctrl_lpars max_vtpm_lpars mfg_default_config
    micro_lpar_capable name os400_capable os400_native_io_capable peer_collective_serial_num
    pend_mfg_default_boot_mode pend_mfg_default_ipl_source pend_power_on_lpar_start_policy
    pend_power_on_option pend_power_on_side pend_power_on_speed pend_sys_keylock
    power_off_policy power_on_attr power_on_lpar_start_policy power_on_method power_on_option
    power_on_type powervm_lpar_remote_restart_capable
    powervm_lpar_simplified_remote_restart_capable redundant_err_path_reporting_capable
    serial_num service_lpar_id shared_eth_failover_capable sp_boot_attr sp_boot_major_type
    sp_boot_minor_type sp_failover_capable sp_type sp_version state state_detail
    supported_vtpm_versions sys_time type_model vet_activation_capable virtual_fc_capable
    virtual_io_server_capable virtual_switch_capable vsi_on_veth_capable vsn_phase2_capable
    """
)

V10R3_LPAR = _names(
    """
    affinity_group_id allow_perf_collection auto_start boot_mode curr_lpar_proc_compat_mode
    curr_profile curr_secure_boot default_profile description desired_lpar_proc_compat_mode
    keystore_kbytes logical_serial_num lpar_avail_priority lpar_env lpar_id lpar_keylock
    migr_storage_vios_data_status migr_storage_vios_data_timestamp msp name os os_version
    pend_secure_boot power_ctrl_lpar_ids powervm_mgmt_capable redundant_err_path_reporting
    resource_config rmc_ipaddr rmc_state shared_proc_pool_util_auth
    simplified_remote_restart_capable state sync_curr_profile time_ref uuid virtual_serial_num
    vtpm_enabled work_group_id
    """
)

V10R3_PROF = _names(
    """
    affinity_group_id all_resources auto_start boot_mode conn_monitoring desired_mem
    desired_num_huge_pages desired_proc_units desired_procs electronic_err_reporting hpt_ratio
    io_slots lpar_env lpar_id lpar_io_pool_ids lpar_name lpar_proc_compat_mode max_mem
    max_num_huge_pages max_proc_units max_procs max_virtual_slots mem_expansion mem_mode
    min_mem min_num_huge_pages min_proc_units min_procs name power_ctrl_lpar_ids ppt_ratio
    proc_mode redundant_err_path_reporting shared_proc_pool_id shared_proc_pool_name
    sharing_mode sriov_eth_logical_ports sriov_roce_logical_ports uncap_weight
    virtual_eth_adapters virtual_eth_vsi_profiles virtual_fc_adapters virtual_scsi_adapters
    virtual_serial_adapters virtual_vasi_adapters vnic_adapters vtpm_adapters work_group_id
    """
)

# V11R2 prints what V10R3 prints, and one name more.
V11R2_P9_SYS = V10R3_SYS | {"advanced_hmc_automation_and_monitoring_capable"}

V11R2_P10_SYS_ADDS = _names(
    """
    aix_update_access_key_exp_date supported_vtpm_encryptions uuid vpp
    """
)

V11R2_P11_SYS_ADDS = _names(
    """
    aix_update_access_key_exp_date max_resource_groups supported_vtpm_encryptions vpp
    """
)

# V11R2 partitions: V10R3's names with lpar_placement, without shared_proc_pool_util_auth.
V11R2_P9_LPAR = (V10R3_LPAR | {"lpar_placement"}) - {"shared_proc_pool_util_auth"}

V11R2_P10_LPAR_ADDS = _names(
    """
    keystore_signed_updates keystore_signed_updates_without_verification kvm_capable
    linux_dynamic_key_secure_boot os_image_date vtpm_encryption vtpm_version
    """
)

V11R2_P11_LPAR_ADDS = _names(
    """
    keystore_signed_updates keystore_signed_updates_without_verification kvm_capable
    linux_dynamic_key_secure_boot min_affinity_score min_affinity_score_action os_image_date
    vtpm_encryption vtpm_version
    """
)

V11R2_PROF = V10R3_PROF | {"lpar_placement"}  # V10R3's profile names and lpar_placement

# V11R2: every system prints the POWER9 set; POWER10 and POWER11 add to it. (The sweeps did not
# show uuid on the POWER10 partition listing nor migr_storage_vios_data_* on POWER11; kept, as
# not seen is not absent.)
V11R2_SYS = {
    9: V11R2_P9_SYS,
    10: V11R2_P9_SYS | V11R2_P10_SYS_ADDS,
    11: V11R2_P9_SYS | V11R2_P11_SYS_ADDS,
}
V11R2_LPAR = {
    9: V11R2_P9_LPAR,
    10: V11R2_P9_LPAR | V11R2_P10_LPAR_ADDS,
    11: V11R2_P9_LPAR | V11R2_P11_LPAR_ADDS,
}

Resource = str  # "sys" | "lpar" | "prof"


def evidenced(
    version: int, release: str, resource: Resource, generation: int | None = None
) -> frozenset[str] | None:
    """The names a console at ``V{version}R{release}`` prints for ``lssyscfg -r RESOURCE`` on a
    frame of ``generation`` (None: the names every evidenced system of that level prints);
    None when no capture covers the level."""
    if (version, release) == (10, "3"):
        return {"sys": V10R3_SYS, "lpar": V10R3_LPAR, "prof": V10R3_PROF}.get(resource)
    if (version, release) == (11, "2"):
        if resource == "prof":
            return V11R2_PROF
        table = {"sys": V11R2_SYS, "lpar": V11R2_LPAR}.get(resource)
        if table is None:
            return None
        if generation is None:
            return table[9]  # the set every V11R2 system prints
        return table[min(max(generation, 9), 11)]
    return None


def everywhere(resource: Resource) -> frozenset[str]:
    """Names printed at every evidenced level (what to ask before the level is known)."""
    sets = [evidenced(10, "3", resource), evidenced(11, "2", resource)]
    return frozenset.intersection(*(s for s in sets if s is not None))
