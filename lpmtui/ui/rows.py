"""The partition table's rows, computed from a FleetSnapshot (no Textual here).

A row is a tuple of ``Cell`` values; the widget compares them to decide which cells changed, so
everything that can change what a cell shows must be part of its value. A cell's text is shown
through ``visible`` (HMC-supplied names and states hold no control character on screen); its
sort value stays the model's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lpmtui.common.visible import visible
from lpmtui.model import FleetSnapshot, FrameSnapshot, MigrationStatus, Partition
from lpmtui.ui import format as fmt


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    sort: object  # value the column sorts by (numbers sort as numbers)
    style: str = ""  # a Palette field name ("ok", "warn", "fail", "muted", "stale") or ""
    right: bool = False


@dataclass(frozen=True, slots=True)
class Located:
    """A partition with where it lives and what is moving it."""

    key: str
    hmc: str
    frame: FrameSnapshot
    partition: Partition
    migration: MigrationStatus | None
    site: str = ""  # the HMC's site (config), "" = none: the tree's site scope


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int


# Widths are content widths; the table adds one blank column before each cell. They sum to
# 85 cells so the whole table fits beside the tree at 120 columns.
COLUMNS: tuple[Column, ...] = (
    Column("name", "Partition", 15),
    Column("id", "ID", 3),
    Column("mobility", "Mobility", 8),  # early: still visible at 80 columns
    Column("state", "State", 13),
    Column("type", "Type", 4),
    Column("os", "OS", 9),
    Column("rmc", "RMC", 4),
    Column("mem", "Mem", 5),
    Column("procs", "Procs", 5),
    Column("migration", "Migration", 9),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


def row_key(partition: Partition) -> str:
    return f"{partition.system}/{partition.lpar_id}"


def frames_once(snapshot: FleetSnapshot) -> Iterator[tuple[str, FrameSnapshot]]:
    """(HMC name, frame) for every frame once, even when two HMCs manage the same frame (the
    first one wins)."""
    seen_frames: set[str] = set()
    for hmc in snapshot.hmcs:
        for frame in hmc.frames:
            if frame.system.name not in seen_frames:
                seen_frames.add(frame.system.name)
                yield hmc.hmc, frame


def locate_frame(hmc: str, frame: FrameSnapshot, site: str = "") -> Iterator[Located]:
    moving = {m.lpar_id: m for m in frame.migrations if m.migrating}
    for p in frame.partitions:
        yield Located(row_key(p), hmc, frame, p, moving.get(p.lpar_id), site)


def sites_of(snapshot: FleetSnapshot) -> dict[str, str]:
    """HMC name -> its site ("" = none)."""
    return {h.hmc: h.site for h in snapshot.hmcs}


def locate_all(snapshot: FleetSnapshot) -> Iterator[Located]:
    """Every partition once (``frames_once``)."""
    sites = sites_of(snapshot)
    for hmc, frame in frames_once(snapshot):
        yield from locate_frame(hmc, frame, sites[hmc])


def same_rows(before: FrameSnapshot, after: FrameSnapshot) -> bool:
    """Whether a frame's rows can be kept: the same partitions and migrations (a row shows
    nothing else of its frame)."""
    return before is after or (
        before.partitions == after.partitions and before.migrations == after.migrations
    )


Frames = dict[str, tuple[str, FrameSnapshot, list[str]]]  # frame name -> HMC, frame, row keys


def relocate(
    old: Frames, located: dict[str, Located], snapshot: FleetSnapshot
) -> tuple[Frames, list[str], list[str]]:
    """``located`` (row key -> Located) brought up to the snapshot frame by frame, in place: a
    frame whose partitions and migrations are unchanged keeps its Located rows. Returns the
    frames now, the row keys of the frames that changed, and the row keys gone."""
    frames: Frames = {}
    touched: list[str] = []
    sites = sites_of(snapshot)  # an HMC's site is its config's: it never changes on its own
    for hmc, frame in frames_once(snapshot):
        name = frame.system.name
        was = old.get(name)
        if was is not None and was[0] == hmc and same_rows(was[1], frame):
            frames[name] = (hmc, frame, was[2])
            continue
        keys: list[str] = []
        # Within it, only the partitions that changed are located: with the same migrations,
        # a partition that is the same object as before keeps its row (and its key).
        same = was is not None and was[0] == hmc and was[1].migrations == frame.migrations
        earlier, moving = (was[1].partitions if same else ()), None
        for i, p in enumerate(frame.partitions):
            if i < len(earlier) and earlier[i] is p:
                keys.append(was[2][i])
                continue
            if moving is None:
                moving = {m.lpar_id: m for m in frame.migrations if m.migrating}
            key, migration = row_key(p), moving.get(p.lpar_id)
            keys.append(key)
            before = located.get(key)
            if (
                before is None
                or before.migration != migration
                or (before.partition is not p and before.partition != p)
            ):
                located[key] = Located(key, hmc, frame, p, migration, sites[hmc])
                touched.append(key)
        frames[name] = (hmc, frame, keys)
    gone = []
    for name, (_, _, keys) in old.items():
        now = frames.get(name)
        if now is not None and now[2] is keys:
            continue
        kept = set(now[2]) if now is not None else set()
        for key in keys:
            if key not in kept:
                gone.append(key)
                located.pop(key, None)
    return frames, touched, gone


_STATE_STYLES = {"Running": "ok", "Not Activated": "muted", "Error": "fail"}


def partition_cells(loc: Located, mobility: Cell, stale: bool) -> tuple[Cell, ...]:
    """The ten cells of one row; ``stale`` dims the values that came from an old poll."""
    p = loc.partition
    dim = "stale" if stale else ""
    state_style = dim or _STATE_STYLES.get(p.state, "warn" if p.state else "muted")
    rmc_style = dim or ("ok" if p.rmc_active else "warn" if p.rmc_state else "muted")
    mem = p.curr_mem if p.curr_mem is not None else -1
    units = p.curr_proc_units if p.curr_proc_units is not None else float(p.curr_procs or 0)
    progress = fmt.migration_label(loc.migration)
    return (
        Cell(visible(p.name), p.name.lower(), dim),
        Cell(str(p.lpar_id), (p.system, p.lpar_id), dim, right=True),
        mobility,
        Cell(visible(p.state or fmt.UNKNOWN), p.state, state_style),
        Cell(visible(fmt.env_label(p)), fmt.env_label(p), dim),
        Cell(visible(fmt.os_label(p)), p.os_version, dim),
        Cell(visible(fmt.rmc_label(p)), p.rmc_state, rmc_style),
        Cell(fmt.mb_label(p.curr_mem), mem, dim, right=True),
        Cell(fmt.procs_label(p), units, dim, right=True),
        Cell(visible(progress), progress, "accent" if progress else ""),
    )


def match_texts(loc: Located, verdict: str = "") -> tuple[str, str]:
    """What the ``/`` filter looks in, lower-cased: the name, and its frame, HMC, site, OS
    level, state and verdict (the reference ``FilterIndex`` is tested against)."""
    p = loc.partition
    context = f"{p.system} {loc.hmc} {loc.site} {p.os_version} {p.state} {verdict}".lower()
    return p.name.lower(), context


def matches_texts(words: list[str], texts: tuple[str, str]) -> bool:
    """``words`` (lower-cased) against ``match_texts``: see ``matches``."""
    name, context = texts
    return all(word in context or fmt.fuzzy_match(word, name) for word in words)


def matches(query: str, loc: Located, verdict: str = "") -> bool:
    """``/`` filter: every word fuzzy-matches the partition name or is a substring of its
    frame, HMC, site, OS level, state or verdict (``app db`` finds names with both; ``p9 running``
    and ``hmc07 fail`` work)."""
    return matches_texts(query.lower().split(), match_texts(loc, verdict))
