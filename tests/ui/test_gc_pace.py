"""The console's own full GC passes: survivors frozen after each pass, thawed every
THAW_EVERY passes so frozen cyclic garbage is freed in bounded time."""

from __future__ import annotations

import gc
import weakref

from lpmtui.ui.gc_pace import FULL_GC_NEVER, GcPace


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.threshold = (700, 10, 10)

    def __getattr__(self, name: str):
        if name in ("freeze", "unfreeze", "collect"):
            return lambda: self.calls.append(name)
        raise AttributeError(name)

    def get_threshold(self):
        return self.threshold

    def set_threshold(self, *threshold):
        self.threshold = threshold


def test_each_pass_freezes_its_survivors_and_every_thaw_every_th_unfreezes_first():
    recorder = Recorder()
    pace = GcPace(recorder, thaw_every=3)
    pace.start()
    assert recorder.calls == ["freeze"] and recorder.threshold == (700, 10, FULL_GC_NEVER)
    recorder.calls.clear()
    pace.collect()
    pace.collect()
    assert recorder.calls == ["collect", "freeze"] * 2  # passes 1, 2: the frozen are skipped
    recorder.calls.clear()
    pace.collect()
    assert recorder.calls == ["unfreeze", "collect", "freeze"]  # pass 3: everything walked
    recorder.calls.clear()
    pace.collect()
    assert recorder.calls == ["collect", "freeze"]


class Node:
    pass


def test_frozen_cyclic_garbage_lives_until_the_thaw_pass_and_no_longer():
    threshold = gc.get_threshold()
    pace = GcPace(thaw_every=2)
    try:
        pace.start()
        node = Node()
        node.me = node  # a cycle: only the GC frees it
        alive = weakref.ref(node)
        pace.collect()  # pass 1: it survives (still referenced) and is frozen with the rest
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()  # an ordinary full pass does not see frozen objects
        assert alive() is not None
        pace.collect()  # pass 2 thaws first
        assert alive() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
