"""Fuzzing every public parser and the error classifier: random text, mutated real samples,
truncation, quotes, NUL, CR/LF, huge fields, non-UTF-8. No exception but the documented one
(RecordParseError from the strict record readers), and bounded time per byte.

The short profile runs in the suite (a few seconds); ``LPMTUI_FUZZ=long`` runs the long one.
Seeds are real HMC outputs copied into tests/fixtures (tests/fixtures/fuzz/SOURCES.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpmtui.hmc import errors, parse, records
from lpmtui.hmc.parse_common import MAX_PROBLEMS, Parsed

LONG = os.environ.get("LPMTUI_FUZZ") == "long"
settings.register_profile(
    "fuzz-short",
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # CI runs the same examples every time; the long profile explores
)
settings.register_profile(
    "fuzz-long", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-short")

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(
    p.read_bytes().decode("utf-8", "surrogateescape")
    for p in (*FIXTURES.glob("*.txt"), *(FIXTURES / "fuzz").glob("*.txt"))
)
assert len(SEEDS) >= 30  # the real samples are there: an empty seed list fuzzes nothing

F = ("name", "lpar_id", "state")


def _profiles(text: str) -> list[object]:
    out: list[object] = [parse.profiles(text)]
    for prof in out[0].items:  # type: ignore[attr-defined]
        out += [
            parse.profile_scsi_adapters(prof),
            parse.profile_fc_adapters(prof),
            parse.profile_eth_adapters(prof),
        ]
    return out


# Every public text parser: each must return, whatever the text.
TOLERANT: dict[str, Callable[[str], object]] = {
    "hmc_version": parse.hmc_version,
    "systems": parse.systems,
    "systems -F": lambda t: parse.systems(t, F, ","),
    "system_memory": parse.system_memory,
    "system_processors": parse.system_processors,
    "firmware": parse.firmware,
    "partitions": lambda t: parse.partitions(t, "S"),
    "partitions -F :": lambda t: parse.partitions(t, "S", F, ":"),
    "partition_memory": parse.partition_memory,
    "partition_processors": parse.partition_processors,
    "merge": lambda t: parse.merge_partitions(
        parse.partitions(t, "S"), parse.partition_memory(t), parse.partition_processors(t)
    ),
    "scsi_adapters": parse.scsi_adapters,
    "fc_adapters": parse.fc_adapters,
    "eth_adapters": parse.eth_adapters,
    "virtual_slots": parse.virtual_slots,
    "io_slots": parse.io_slots,
    "profiles": _profiles,
    "shared_pools": parse.shared_pools,
    "optical_mappings": lambda t: parse.optical_mappings(t, "vios1"),
    "npiv_ports": lambda t: parse.npiv_ports(t, "vios1"),
    "manager": parse.manager,
    "system_migration": parse.system_migration,
    "migrations": parse.migrations,
    "msp_pairs": parse.msp_pairs,
    "proc_pools": parse.proc_pools,
    "virtual_io_mappings": parse.virtual_io_mappings,
    "validation rc 1": lambda t: parse.validation(t, 1, partition="p", source="A", target="B"),
    "validation rc 0": lambda t: parse.validation(t, 0, partition="p", source="A", target="B"),
    "validation rc None": lambda t: parse.validation(
        t, None, partition="p", source="A", target="B"
    ),
    "parse_tolerant": records.parse_tolerant,
    "parse_fields_tolerant": lambda t: records.parse_fields_tolerant(t, list(F)),
    "parse_fields_tolerant header": lambda t: records.parse_fields_tolerant(t, [], header=True),
    "error_from rc 1": lambda t: errors.error_from(t, 1),
    "error_from rc None": lambda t: errors.error_from(t),
    "classify": lambda t: (lambda e: (e.summary, e.id, str(e)))(errors.classify(t)),
    "attribute": lambda t: errors.InvalidAttributeError(t).attribute,
    "command": lambda t: errors.CommandNotFoundError(t).command,
}
# The strict readers: they may raise RecordParseError (documented), nothing else.
STRICT: dict[str, Callable[[str], object]] = {
    "parse": records.parse,
    "parse_fields": lambda t: records.parse_fields(t, list(F)),
    "parse_fields ;": lambda t: records.parse_fields(t, list(F), ";", header=True),
    "split_list": records.split_list,
}
SECONDS_PER_BYTE = 20e-6  # a generous bound on a loaded 2-core machine: ~20 s per MB for all
BASE_SECONDS = 0.5  # ...of the ~40 parsers together, plus a fixed allowance


def run_all(text: str) -> None:
    started = time.perf_counter()
    for name, fn in TOLERANT.items():
        result = fn(text)
        if isinstance(result, Parsed):
            assert all(isinstance(p, str) for p in result.problems), name
            # the listed problems, "N more not listed", and "the rest was not read"
            assert len(result.problems) <= MAX_PROBLEMS + 2, name
    for fn in STRICT.values():
        try:
            fn(text)
        except records.RecordParseError:
            pass
    elapsed = time.perf_counter() - started
    assert elapsed < BASE_SECONDS + SECONDS_PER_BYTE * len(text), (
        f"{elapsed:.2f}s for {len(text)} characters"
    )


# -- strategies ---------------------------------------------------------------------------------

HOSTILE = st.sampled_from(
    ['"', '""', ",", "=", "\n", "\r\n", "\r", "\x00", "\\", "none", "null", "²", "9" * 5000, " "]
)
TOKENS = st.one_of(
    HOSTILE,
    st.sampled_from(["name=", "lpar_id=", "shared_proc_pool_ids=", "version=", "Version: "]),
    st.text(max_size=12),
)


@st.composite
def mutated_seed(draw) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "duplicate"]))
        if how == "truncate":
            text = text[:at]
        elif how == "duplicate":
            text = text[:at] + text[at : at + 200] * draw(st.integers(1, 50)) + text[at:]
        else:
            cut = at + draw(st.integers(0, 40)) if how != "insert" else at
            new = draw(TOKENS) if how != "delete" else ""
            text = text[:at] + new + text[cut:]
    return text


NON_UTF8 = st.binary(max_size=400).map(lambda b: b.decode("utf-8", "surrogateescape"))
LINES = st.lists(st.lists(TOKENS, max_size=8).map("".join), max_size=30).map(
    lambda lines: "\n".join(lines)
)
HUGE = st.tuples(st.sampled_from(SEEDS), HOSTILE, st.integers(10_000, 200_000)).map(
    lambda t: t[0][: len(t[0]) // 2] + t[1] * (t[2] // max(1, len(t[1]))) + t[0][len(t[0]) // 2 :]
)


@PROFILE
@given(st.text(max_size=300))
def test_random_text(text):
    run_all(text)


@PROFILE
@given(mutated_seed())
def test_mutated_real_samples(text):
    run_all(text)


@PROFILE
@given(LINES)
def test_record_shaped_lines_with_quotes_nul_and_line_breaks(text):
    run_all(text)


@PROFILE
@given(NON_UTF8)
def test_non_utf8_bytes_as_the_transport_decodes_them(text):
    run_all(text)


@settings(PROFILE, max_examples=5 if not LONG else 200)
@given(HUGE)
def test_huge_fields(text):
    run_all(text)


def test_every_seed_as_is_and_truncated_at_every_line():
    for seed in SEEDS:
        run_all(seed)
        for cut in {seed.find("\n", i) for i in range(0, len(seed), max(1, len(seed) // 8))}:
            run_all(seed[: max(cut, 0)])
