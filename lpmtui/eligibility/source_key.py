"""When a changed frame's unchanged partition keeps its facts: the source facts they read.

``partition_facts``, the partition rules (``evaluate.PARTITION_RULES``) and the partition's pair
signature (``rules_pair.signature``) read the partition itself and, of its frame, only what
``source_signature`` holds. So in a frame that changed (the collector hands out each partition
that reads the same as the same object, fleet/kept.py), a partition that is the same object,
on a frame whose source signature is equal, has equal facts, partition-rule counts and
signature: the incremental judge moves them onto the new frame instead of working them out
again (~60 us a partition).
"""

from __future__ import annotations

from lpmtui.eligibility.index import FrameFacts, PartitionFacts


def source_signature(src: FrameFacts) -> tuple:
    """Everything about ``src`` a partition's facts, partition rules and signature read. A rule
    that reads a new source field must add it here (tests/eligibility/test_source_key.py
    changes each one). Compared with ==, quick for the objects the collector keeps."""
    return (
        src.hmc.version,  # the console level: which attributes it prints (_not_printed)
        src.system,  # name, service_lpar_id, ibmi / SR-IOV mobility capable (the signature)
        src.frame.cold,  # adapters, VLANs, I/O slots, profiles, pools, SR-IOV ports, vNICs
        src.vioses,  # who serves the adapters, and which run (the SEAs that bridge)
    )


def moved(pf: PartitionFacts, src: FrameFacts) -> PartitionFacts:
    """``pf`` on ``src``, a frame with the same source signature as ``pf.frame``."""
    return PartitionFacts(
        pf.partition,
        src,
        pf.kind,
        pf.kind_reason,
        pf.mem_need,
        pf.proc_need,
        pf.adapters,
        pf.has_fc,
        pf.serving_vios,
        pf.vlans,
        pf.compat_mode,
        pf.pool,
        pf.sriov,
        pf.vnics,
    )
