"""One row per migration (queued ones included), keyed by job id and updated in place.

What a row says is what happened: queued (the limits do not allow it yet), waiting (allowed,
the command waits for a free channel: not sent), running (sent: Elapsed counts from there),
ended (its outcome and final figures). The time before sending is its own column (Waited).
A migration started elsewhere says so in Kind ("elsewhere"). Rate carries a sparkline of the
last readings (a stall is a flat line). The ended rows of an evacuation sit under one header row
(``enter`` opens or closes it); ``hide_ended`` takes every ended row off the panel (the jobs are
kept, and the audit log keeps everything).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable

from lpmtui.common.visible import visible
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui import format as fmt
from lpmtui.ui.palette import Palette
from lpmtui.ui.widgets.migration_columns import BAR_WIDTH, CELLS, Column, layout
from lpmtui.ui.widgets.migration_groups import GROUP_KEY, SPARK, RateHistory, group_header
from lpmtui.ui.widgets.table_rows import set_cell

CELL = {key: n for n, key in enumerate(CELLS)}

_STATE_STYLE = {
    MigrationState.SUCCEEDED: "ok",
    MigrationState.RECOVERED: "ok",
    MigrationState.FAILED: "fail",
    MigrationState.NEEDS_RECOVERY: "fail",
    MigrationState.OUTCOME_UNKNOWN: "warn",
    MigrationState.STOPPED: "warn",
    MigrationState.QUEUED: "muted",
    MigrationState.WAITING: "muted",
    MigrationState.CANCELLED: "muted",
}


S = MigrationState
# Row order: what needs the admin first, then what runs, what waits, and what has ended (an
# evacuation and its way home are many rows). Within a group rows keep the order they came in.
_GROUP = {
    S.FAILED: 0,
    S.NEEDS_RECOVERY: 0,
    S.OUTCOME_UNKNOWN: 0,
    S.STARTING: 1,
    S.IN_PROGRESS: 1,
    S.STOPPING: 1,
    S.RECOVERING: 1,
    S.WAITING: 2,
    S.QUEUED: 3,
}
_ENDED = 4


def row_group(job: MigrationProgress) -> int:
    return _GROUP.get(job.state, _ENDED)


def progress_bar(percent: float | None) -> str:
    if percent is None:
        return "░" * BAR_WIDTH + "    "
    filled = max(0, min(BAR_WIDTH, round(percent / 100 * BAR_WIDTH)))
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {percent:3.0f}%"


def rate_text(rate: float | None) -> str:
    if rate is None:
        return ""
    mb = rate / 1024**2
    if mb >= 1000:
        return f"{mb / 1024:.1f}GB/s"
    return f"{mb:.0f}MB/s" if mb >= 10 else f"{mb:.1f}MB/s"


def progress_cells(job: MigrationProgress, spark: str = "") -> tuple[tuple[str, str], ...]:
    """(text, palette style) per cell, in ``CELLS`` order (the panel shows those that fit)."""
    state = job.state.value
    style = _STATE_STYLE.get(job.state, "accent")
    if job.state is MigrationState.QUEUED and job.queue_position:
        state = f"queued #{job.queue_position}"
    if job.state is MigrationState.WAITING:
        state = "waiting"  # for a channel: the message under the panel says so
    if job.stalled:
        state, style = f"{state} STALLED", "warn"
    rate = rate_text(job.rate)
    return (
        (job.partition, ""),
        (f"{job.source} → {job.target}", ""),
        (job.kind if job.started_here else "elsewhere", "" if job.started_here else "warn"),
        (state, style),
        (f"{job.percent:3.0f}%" if job.percent is not None else "", "accent"),
        (progress_bar(job.percent), "accent"),
        (gigabytes(job), ""),
        (rate, ""),
        (f"{spark:>{SPARK}} {rate}" if spark else rate, ""),
        (fmt.stepped(job.eta, up=True) if job.eta is not None else "", ""),
        (times(job.elapsed, still=job.state.running), ""),
        (times(job.waited, still=job.state in (S.QUEUED, S.WAITING)), "muted"),
    )


def times(seconds: float | None, *, still: bool) -> str:
    """A time still counting in steps that match its size (``fmt.stepped``: the row is not
    repainted every second for it), a final one to the second."""
    if not seconds:
        return ""
    return fmt.stepped(seconds) if still else fmt.age_label(seconds)


def gigabytes(job: MigrationProgress) -> str:
    """Moved/total while it runs; a succeeded move says how much it moved, nothing half-way."""
    if job.state is MigrationState.SUCCEEDED and job.gb_total is not None:
        return f"{job.gb_total:.1f} moved"
    moved = "" if job.gb_moved is None else f"{job.gb_moved:.1f}"
    total = "" if job.gb_total is None else f"{job.gb_total:.1f}"
    return f"{moved}/{total}" if moved or total else ""


def status_line(selected: MigrationProgress | None, newest: MigrationProgress | None) -> str:
    """The line under the panel: the selected job's message, unless its partition has moved on
    since (a newer migration of it), in which case that newer one's state is what is true."""
    if selected is None:
        return ""
    if newest is not None and newest.job_id != selected.job_id:
        line = f"{newest.partition}: now {newest.state.value} {newest.source} → {newest.target}"
        return f"{line}: {newest.message}" if newest.message else line
    return f"{selected.partition}: {selected.message}" if selected.message else ""


class MigrationsPanel(DataTable):
    DEFAULT_CSS = """
    MigrationsPanel {
        scrollbar-size-vertical: 1;
    }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="migrations.down"),
        Binding("k", "cursor_up", "Up", show=False, id="migrations.up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cell_padding=1)
        self.palette = Palette.from_variables({})
        self.jobs: dict[str, MigrationProgress] = {}
        self._cells: dict[str, tuple[tuple[str, str], ...]] = {}  # rows on the table, by key
        self._order: list[str] = []  # job ids as they arrived
        self._spark: dict[str, str] = {}
        self.history = RateHistory()
        self.group_of: Callable[[str], str] = lambda _job_id: ""  # the evacuation of a job
        self.open_groups: set[str] = set()
        self.hide_ended = False
        self.shown: tuple[Column, ...] = ()  # the columns on the table, left to right
        self._titles: dict[str, tuple[object, object]] = {}  # border titles last set

    def on_mount(self) -> None:
        self.relayout()

    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """The columns that fit the panel's width (its vertical scrollbar's room kept, so a
        scrollbar that comes and goes never cuts the last column). Only a change of width
        rebuilds the columns; the rows' periodic updates stay a keyed diff."""
        width = self.size.width - self.styles.scrollbar_size_vertical if self.size.width else 0
        columns = layout(width)
        if columns == self.shown:
            return
        current = self._cursor_key()
        self.shown = columns
        self.clear(columns=True)
        self._cells.clear()
        for column in columns:
            self.add_column(column.label, key=column.key, width=column.width)
        if self.jobs:
            self.apply()
        if current is not None and current in self._cells:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _text(self, text: str, style: str) -> Text:
        return Text(
            visible(text),  # partition and frame names come from the HMC
            style=getattr(self.palette, style) if style else "",
            no_wrap=True,
            overflow="ellipsis",
        )

    def show(self, job: MigrationProgress) -> None:
        if job.job_id not in self.jobs:
            self._order.append(job.job_id)
        self.jobs[job.job_id] = job
        self._spark[job.job_id] = self.history.feed(job)
        self.apply()

    def set_hide_ended(self, hide: bool) -> None:
        self.hide_ended = hide
        self.apply()

    def toggle_group(self, title: str) -> None:
        self.open_groups ^= {title}
        self.apply()

    def _groups(self) -> dict[str, list[MigrationProgress]]:
        """The ended jobs of each evacuation, in arrival order."""
        groups: dict[str, list[MigrationProgress]] = {}
        for jid in self._order:
            job = self.jobs[jid]
            title = self.group_of(jid) if row_group(job) == _ENDED else ""
            if title:
                groups.setdefault(title, []).append(job)
        return groups

    def _wanted(self) -> dict[str, tuple[tuple[int, int, int, int], tuple[tuple[str, str], ...]]]:
        """Every row the panel should show: key -> (rank, cells)."""
        groups = {} if self.hide_ended else self._groups()
        first = {title: self._order.index(jobs[0].job_id) for title, jobs in groups.items()}
        member = {j.job_id: title for title, jobs in groups.items() for j in jobs}
        rows = {}
        for n, jid in enumerate(self._order):
            job = self.jobs[jid]
            group = row_group(job)
            if group == _ENDED and self.hide_ended:
                continue
            title = member.get(jid)
            if title is not None and title not in self.open_groups:
                continue
            rank = (group, first[title], 0, n) if title else (group, n, 0, 0)
            rows[jid] = (rank, progress_cells(job, self._spark.get(jid, "")))
        for title, jobs in groups.items():
            header = group_header(title, jobs, open_=title in self.open_groups)
            cells = [("", "")] * len(CELLS)
            cells[CELL["partition"]] = (f"{header[0]} {len(jobs)} ended", "muted")
            cells[CELL["route"]] = (title, "muted")
            cells[CELL["state"]] = (header.partition(" ended: ")[2], "muted")
            rows[GROUP_KEY + title] = ((_ENDED, first[title], -1, 0), tuple(cells))
        return rows

    def apply(self) -> None:
        """Keyed diff of the rows wanted against the rows shown; sort only when the order
        changed. The cursor stays on the row it was on."""
        wanted = self._wanted()
        current = self._cursor_key()
        for key in [k for k in self._cells if k not in wanted]:
            self.remove_row(key)
            del self._cells[key]
        for key, (_rank, cells) in wanted.items():
            old = self._cells.get(key)
            if old is None:
                self.add_row(*(self._text(*cells[CELL[c.key]]) for c in self.shown), key=key)
            else:
                for column in self.shown:
                    before, after = old[CELL[column.key]], cells[CELL[column.key]]
                    if before != after:
                        set_cell(self, key, column.key, self._text(*after))
            self._cells[key] = cells
        self._regroup(wanted, current)
        self._show_message()
        self._show_counts()

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value)

    def _regroup(self, wanted: dict, current: str | None) -> None:
        """Rows in rank order (``row_group``, arrival order within a group, an evacuation's
        ended rows under its header); the cursor stays on the row it was on."""
        if self.row_count < 2:
            return
        shown = [self._cursor_key_at(r) for r in range(self.row_count)]
        if shown == sorted(shown, key=lambda k: wanted[k][0]):
            return
        # sort() hands the key function cells, not row keys: each row's partition cell is an
        # object of its own, so its identity names the row
        rank = {id(self.get_cell(k, "partition")): wanted[k][0] for k in shown}
        self.sort("partition", key=lambda cell: rank[id(cell)])
        if current is not None and current in self._cells:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _cursor_key_at(self, row: int) -> str:
        return str(self.coordinate_to_cell_key((row, 0)).row_key.value)

    def _show_counts(self) -> None:
        """How many run, wait and have ended: an evacuation is many rows."""
        states = [j.state for j in self.jobs.values()]
        running = sum(s.running for s in states)
        waiting = states.count(MigrationState.WAITING)
        queued = states.count(MigrationState.QUEUED)
        ended = len(states) - running - waiting - queued
        attention = sum(s in (MigrationState.FAILED, MigrationState.NEEDS_RECOVERY) for s in states)
        elsewhere = sum(not j.started_here and j.state.running for j in self.jobs.values())
        parts = [f"{running} running"]
        if elsewhere:
            parts[0] += f" ({elsewhere} started elsewhere)"
        if waiting:
            parts.append(f"{waiting} waiting for a channel")
        hidden = sum(row_group(j) == _ENDED for j in self.jobs.values()) if self.hide_ended else 0
        parts += [f"{queued} queued", f"{ended} ended" + (f" ({hidden} hidden)" if hidden else "")]
        if attention:
            parts.append(f"{attention} need attention")
        self._set_border("border_title", "Migrations · " + " · ".join(parts))

    def _show_message(self) -> None:
        """The HMC's message for the job under the cursor, under the panel (rows stay short)."""
        key = self._cursor_key()
        if key is not None and key.startswith(GROUP_KEY):
            title = key.removeprefix(GROUP_KEY)
            ended = self._groups().get(title, [])
            line = group_header(title, ended, open_=title in self.open_groups) + " (enter)"
            self._set_border("border_subtitle", Content(visible(line)))
            return
        job = self.selected_job()
        newest = None
        if job is not None:
            same = [jid for jid in self._order if self.jobs[jid].partition == job.partition]
            newest = self.jobs[same[-1]]
        # The HMC's message and names: never markup, never a control character.
        self._set_border("border_subtitle", Content(visible(status_line(job, newest))))

    def _set_border(self, which: str, value: str | Content) -> None:
        """Set a border title only when it changes: setting one repaints the whole panel,
        even to the same text."""
        last = self._titles.get(which)  # (what was set, what Textual made of it)
        if last is not None and last[0] == value and last[1] is getattr(self, f"_{which}", None):
            return  # (and nobody else has set it since)
        setattr(self, which, value)
        self._titles[which] = (value, getattr(self, f"_{which}", None))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_message()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if key.startswith(GROUP_KEY):
            event.stop()
            self.toggle_group(key.removeprefix(GROUP_KEY))

    def row_text(self, key: str) -> dict[str, str]:
        """Every cell of a row by name, shown or not (``CELLS``)."""
        return {name: text for name, (text, _style) in zip(CELLS, self._cells[key], strict=True)}

    def cursor_group(self) -> str:
        """The evacuation of the row under the cursor (its header row or one of its moves)."""
        key = self._cursor_key()
        if key is None:
            return ""
        return key.removeprefix(GROUP_KEY) if key.startswith(GROUP_KEY) else self.group_of(key)

    def selected_job(self) -> MigrationProgress | None:
        key = self._cursor_key()
        return self.jobs.get(key) if key is not None else None

    def restyle(self, palette: Palette) -> None:
        self.palette = palette
        self.clear()
        self._cells.clear()
        if self.jobs:
            self.apply()
