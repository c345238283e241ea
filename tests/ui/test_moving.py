"""Migrations that ended between two polls: their notices, and an unchanged frame (the same
object, as the collector hands it out) not walked again."""

from __future__ import annotations

from lpmtui.model import FleetSnapshot, FrameSnapshot, HmcSnapshot, MigrationStatus
from lpmtui.ui.moving import RunningMigrations
from tests.ui.factory import lpar, system

MOVING = MigrationStatus("db1", 3, "Migration Starting", "active", dest_sys_name="P9-B")
IDLE = MigrationStatus("app1", 4)


class Walked(tuple):
    """A migrations tuple that counts the walks over it."""

    walks = 0

    def __iter__(self):
        Walked.walks += 1
        return super().__iter__()


def fleet(*frames: FrameSnapshot) -> FleetSnapshot:
    return FleetSnapshot((HmcSnapshot("hmc1", frames=frames, taken_at=1.0),), 1.0)


def test_an_unchanged_frame_is_not_walked_again_and_its_migrations_still_count():
    Walked.walks = 0
    frame = FrameSnapshot(system("P9-A"), migrations=Walked((MOVING, IDLE)))
    watch = RunningMigrations()
    assert watch.ended(fleet(frame), managed=()) == []
    assert watch.moving == {"db1": MOVING} and Walked.walks == 1
    for _ in range(3):  # quiet polls: new snapshots, the same frame object
        assert watch.ended(fleet(frame), managed=()) == []
    assert Walked.walks == 1 and watch.moving == {"db1": MOVING}


def test_a_migration_that_ended_is_told_where_the_partition_is_now_unless_managed():
    before = FrameSnapshot(system("P9-A"), migrations=(MOVING,))
    after_a = FrameSnapshot(system("P9-A"))
    after_b = FrameSnapshot(system("P9-B"), partitions=(lpar("P9-B", "db1", 7),))
    watch = RunningMigrations()
    watch.ended(fleet(before), managed=())
    notices = watch.ended(fleet(after_a, after_b), managed=())
    assert [n.message for n in notices] == ["db1 migrated to P9-B"]
    watch.ended(fleet(before), managed=())
    assert watch.ended(fleet(after_a, after_b), managed={"db1"}) == []


def test_the_header_counts_an_unchanged_frame_s_migrations_without_walking_them_again():
    from lpmtui.ui.widgets.status_header import HeaderFacts

    Walked.walks = 0
    frame = FrameSnapshot(system("P9-A"), migrations=Walked((MOVING, IDLE)))
    other = FrameSnapshot(system("P9-B"), migrations=(MOVING,))  # the target lists it too

    def facts(*frames: FrameSnapshot) -> HeaderFacts:
        return HeaderFacts.of(fleet(*frames), 2.0, (), paused=False, read_only=False)

    assert facts(frame, other).migrations == 1  # names counted once
    for _ in range(3):  # new snapshots, the same frame object
        assert facts(frame, other).migrations == 1
    assert Walked.walks == 1
    changed = FrameSnapshot(system("P9-B"), migrations=(IDLE,))
    assert facts(frame, changed).migrations == 1 and facts(changed).migrations == 0
