"""A new snapshot's frames against the last one's, for the incremental judge (issue 16).

A frame's inputs are its FrameSnapshot's system, partitions, migrations and cold data and its
HmcSnapshot (less frames and time), compared with == (quick for unchanged objects): a frame
whose inputs are equal keeps its FrameFacts object. Of the frames that changed, those that
replace a frame of the same name may still read the same to the pair rules (``same``), be the
same target to every rule (``alike``) or give the partitions they keep the counts they had
(``stay``): see frame_key. Such a frame's FrameFacts are mostly those it replaces
(``with_partitions``), not built again (~0.2 ms a frame, ColdFacts mostly).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lpmtui.eligibility.frame_key import rules_key, same_source, same_target
from lpmtui.eligibility.index import FrameFacts, SnapshotIndex
from lpmtui.eligibility.pair_counts import reads_same
from lpmtui.model import FleetSnapshot, FrameSnapshot, HmcSnapshot


@dataclass(slots=True)
class FrameChanges:
    idx: SnapshotIndex
    inputs: dict[str, tuple[tuple, FrameFacts]]  # name -> (inputs, FrameFacts), for the next
    gone: set[FrameFacts]  # the last snapshot's frames not in this one (changed or went)
    fresh: list[FrameFacts]  # this snapshot's frames that are new or changed
    same: dict[FrameFacts, tuple[FrameFacts, bool]]  # fresh -> (old, equal rules keys)
    alike: dict[FrameFacts, FrameFacts]  # fresh -> old: the same target to every rule
    stay: set[FrameFacts]  # fresh frames whose kept partitions keep their best targets


def with_partitions(was: tuple, inputs: tuple, h: HmcSnapshot, f: FrameSnapshot):
    """The FrameFacts of ``f``, built from the last ones (``was``: their inputs and them) when
    only its partitions changed, and not its VIOSes: what FrameFacts.build reads of the
    partitions beyond them is by_id and names (tests/eligibility/test_frame_changes.py builds
    both ways). None otherwise."""
    (system, partitions, migrations, cold, console), old = was
    if inputs[0] != system or inputs[2] != migrations or inputs[3] != cold or inputs[4] != console:
        return None
    if len(partitions) == len(f.partitions):  # the usual case: look only at those replaced
        pairs = [(p, q) for p, q in zip(f.partitions, partitions, strict=True) if p is not q]
        if any(p.is_vios or q.is_vios for p, q in pairs if p != q):  # a VIOS changed or came
            return None
    elif tuple(p for p in f.partitions if p.is_vios) != old.vioses:
        return None
    return replace(
        old,
        hmc=h,
        frame=f,
        system=f.system,
        by_id={p.lpar_id: p for p in f.partitions},
        names=frozenset(p.name for p in f.partitions),
    )


def frame_changes(snapshot: FleetSnapshot, old_inputs: dict) -> FrameChanges:
    new_inputs: dict[str, tuple[tuple, FrameFacts | None]] = {}
    consoles: dict[int, HmcSnapshot] = {}

    def reuse(h: HmcSnapshot, f: FrameSnapshot) -> FrameFacts | None:
        console = consoles.get(id(h))
        if console is None:
            console = consoles[id(h)] = replace(h, frames=(), taken_at=0.0)
        inputs = (f.system, f.partitions, f.migrations, f.cold, console)
        was = old_inputs.get(f.system.name)
        found = was[1] if was is not None and was[0] == inputs else None
        new_inputs[f.system.name] = (inputs, found)
        if found is None and was is not None:
            return with_partitions(was, inputs, h, f)
        return found

    idx = SnapshotIndex.build(snapshot, reuse)
    frames = idx.frames
    inputs = {n: (new_inputs[n][0], ff) for n, ff in frames.items()}
    gone = {ff for _, ff in old_inputs.values()} - set(frames.values())
    fresh = [ff for n, ff in frames.items() if new_inputs[n][1] is not ff]
    was = {ff.name: ff for ff in gone}
    same, alike, stay = {}, {}, set()
    for ff in fresh:
        old = was.get(ff.name)
        if old is None:
            continue
        console = 4  # where the inputs hold the console
        rules = rules_key(old, old_inputs[ff.name][0][console]) == rules_key(
            ff, inputs[ff.name][0][console]
        )
        if reads_same(old, ff):
            same[ff] = (old, rules)
        if same_target(old, ff, rules):
            alike[ff] = old
        if same_source(old, ff, rules):
            stay.add(ff)
    return FrameChanges(idx, inputs, gone, fresh, same, alike, stay)
