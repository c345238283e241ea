"""The console against a simulated HMC whose partitions carry hostile names: each name is one
row, no control character reaches the screen, and ``[/]`` or ``[red]x`` is text, not markup."""

from __future__ import annotations

from lpmtui.common.clock import RealClock
from lpmtui.common.visible import visible
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui.app import LpmApp
from lpmtui.ui.rows import COLUMNS
from lpmtui.ui.widgets.fleet_tree import FleetTree
from lpmtui.ui.widgets.migrations_panel import MigrationsPanel
from lpmtui.ui.widgets.partition_table import PartitionTable
from lpmtui.wiring.backend import InProcessBackend
from tests.test_visible import HOSTILE_NAMES, RAW, TARGET, hostile_world
from tests.ui.test_dashboard import settle
from tests.ui.test_with_simulator import wait_for

SIZE = (120, 40)
NAME_WIDTH = COLUMNS[0].width


def screen_lines(widget) -> list[str]:
    """What the widget puts on the screen, line by line."""
    return [
        "".join(segment.text for segment in widget.render_line(y))
        for y in range(widget.size.height)
    ]


async def test_hostile_names_are_one_row_each_and_reach_the_screen_escaped():
    backend = InProcessBackend(hostile_world(RealClock(speed=50)))
    app = LpmApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        table = app.dashboard.query_one(PartitionTable)
        # the 15 partitions and the 4 VIOS ("null"/"unavailable" read as no name: still rows)
        await wait_for(pilot, lambda: len(table.keys) == len(HOSTILE_NAMES) + 4)
        await settle(app, pilot)
        located = app.dashboard.fleet_view.located
        for key in table.keys:
            name = located[key].partition.name
            shown = table.get_cell(key, "name")
            assert shown.plain == f" {visible(name)}" and not RAW.search(shown.plain)
            assert not RAW.search("".join(str(c) for c in table.get_row(key)))
        table.sort_by("name", reverse=False)
        await settle(app, pilot)
        lines = screen_lines(table)
        assert not any(RAW.search(line) for line in lines)
        names = [visible(located[k].partition.name) for k in table.keys]
        rows = lines[1 : 1 + len(names)]  # under the header, one line per partition, in order
        assert len(rows) >= 12
        for row, name in zip(rows, names, strict=False):
            head = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
            assert row.startswith(f" {head}")
        # "[/]" and "[red]x" are shown literally, in the same style as any other name
        red = next(k for k in table.keys if located[k].partition.name == "[red]x")
        plain = next(k for k in table.keys if located[k].partition.name == "-dash")
        assert table.get_cell(red, "name").plain == " [red]x"
        assert table.get_cell(red, "name").style == table.get_cell(plain, "name").style
        assert not table.get_cell(red, "name").spans

        tree = app.dashboard.query_one(FleetTree)
        labels = [str(n.label) for n in tree.root.children[0].children]
        assert any(label.startswith(visible(TARGET)) for label in labels)
        assert not any(RAW.search(line) for line in screen_lines(tree))

        log = app.dashboard.query_one("#log")
        assert log.count > 0
        log.flush(force=True)
        assert log.shown and not any(RAW.search(t.plain) for t in log.texts())

        assert app.is_running  # nothing crashed


async def test_the_migrations_panel_shows_hostile_names_and_messages_as_text():
    app = LpmApp(InProcessBackend(hostile_world(RealClock(speed=50))))
    async with app.run_test(size=SIZE) as pilot:
        panel = app.dashboard.query_one(MigrationsPanel)
        job = MigrationProgress(
            "j1",
            "[/]\x1b[31m",
            "p9-a",
            TARGET,
            "active",
            MigrationState.FAILED,
            message="HSCL \x1b[2J[bold]gone[/]\nnext",
        )
        panel.show(job)
        await pilot.pause()
        row = "".join(str(c) for c in panel.get_row("j1"))
        assert "[/]\\x1b[31m" in row and visible(TARGET) in row and not RAW.search(row)
        subtitle = panel._border_subtitle  # what is drawn: the text as given, not markup
        assert subtitle.plain == "[/]\\x1b[31m: HSCL \\x1b[2J[bold]gone[/]\\x0anext"
        assert not subtitle.spans
