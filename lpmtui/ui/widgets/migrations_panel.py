"""One row per migration (queued ones included), keyed by job id and updated in place.

What a row says is what happened: queued (the limits do not allow it yet), waiting (allowed,
the command waits for a free channel: not sent), running (sent: Elapsed counts from there),
ended (its outcome and final figures). The time before sending is its own column (Waited).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable

from lpmtui.common.visible import visible
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui import format as fmt
from lpmtui.ui.palette import Palette

BAR_WIDTH = 10
# (key, label, width); widths fixed so updates never re-measure a column.
COLUMNS = (
    ("partition", "Partition", 12),
    ("route", "Source → target", 23),
    ("kind", "Kind", 8),
    ("state", "State", 12),
    ("progress", "Progress", BAR_WIDTH + 5),
    ("gb", "GB moved", 10),
    ("rate", "Rate", 8),
    ("eta", "ETA", 5),
    ("elapsed", "Elapsed", 7),
    ("waited", "Waited", 6),
)
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


def _rate(rate: float | None) -> str:
    if rate is None:
        return ""
    mb = rate / 1024**2
    if mb >= 1000:
        return f"{mb / 1024:.1f}GB/s"
    return f"{mb:.0f}MB/s" if mb >= 10 else f"{mb:.1f}MB/s"


def progress_cells(job: MigrationProgress) -> tuple[tuple[str, str], ...]:
    """(text, palette style) per column."""
    state = job.state.value
    style = _STATE_STYLE.get(job.state, "accent")
    if job.state is MigrationState.QUEUED and job.queue_position:
        state = f"queued #{job.queue_position}"
    if job.state is MigrationState.WAITING:
        state = "waiting"  # for a channel: the message under the panel says so
    if job.stalled:
        state, style = f"{state} STALLED", "warn"
    return (
        (job.partition, ""),
        (f"{job.source} → {job.target}", ""),
        (job.kind, ""),
        (state, style),
        (progress_bar(job.percent), "accent"),
        (_gigabytes(job), ""),
        (_rate(job.rate), ""),
        (fmt.age_label(job.eta) if job.eta is not None else "", ""),
        (fmt.age_label(job.elapsed) if job.elapsed else "", ""),
        (fmt.age_label(job.waited) if job.waited else "", "muted"),
    )


def _gigabytes(job: MigrationProgress) -> str:
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
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="migrations.down"),
        Binding("k", "cursor_up", "Up", show=False, id="migrations.up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cell_padding=1)
        self.palette = Palette.from_variables({})
        self.jobs: dict[str, MigrationProgress] = {}
        self._cells: dict[str, tuple[tuple[str, str], ...]] = {}
        self._order: list[str] = []  # job ids as they arrived

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def _text(self, text: str, style: str) -> Text:
        return Text(
            visible(text),  # partition and frame names come from the HMC
            style=getattr(self.palette, style) if style else "",
            no_wrap=True,
            overflow="ellipsis",
        )

    def show(self, job: MigrationProgress) -> None:
        before_job = self.jobs.get(job.job_id)
        self.jobs[job.job_id] = job
        cells = progress_cells(job)
        old = self._cells.get(job.job_id)
        if old is None:
            self.add_row(*(self._text(*c) for c in cells), key=job.job_id)
            self._order.append(job.job_id)
        else:
            for (key, _label, _width), before, after in zip(COLUMNS, old, cells, strict=True):
                if before != after:
                    self.update_cell(job.job_id, key, self._text(*after))
        self._cells[job.job_id] = cells
        if before_job is None or row_group(before_job) != row_group(job):
            self._regroup()
        self._show_message()
        self._show_counts()

    def _regroup(self) -> None:
        """Rows in group order (``row_group``), arrival order within a group; the cursor stays
        on the migration it was on, so a stop never lands on another row."""
        if self.row_count < 2:
            return
        current = self.selected_job()
        # sort() hands the key function cells, not row keys: each row's partition cell is an
        # object of its own, so its identity names the row
        rank = {
            id(self.get_cell(jid, "partition")): (row_group(self.jobs[jid]), n)
            for n, jid in enumerate(self._order)
        }
        self.sort("partition", key=lambda cell: rank[id(cell)])
        if current is not None:
            self.move_cursor(row=self.get_row_index(current.job_id), animate=False)

    def _show_counts(self) -> None:
        """How many run, wait and have ended: an evacuation is many rows."""
        states = [j.state for j in self.jobs.values()]
        running = sum(s.running for s in states)
        waiting = states.count(MigrationState.WAITING)
        queued = states.count(MigrationState.QUEUED)
        ended = len(states) - running - waiting - queued
        attention = sum(s in (MigrationState.FAILED, MigrationState.NEEDS_RECOVERY) for s in states)
        parts = [f"{running} running"]
        if waiting:
            parts.append(f"{waiting} waiting for a channel")
        parts += [f"{queued} queued", f"{ended} ended"]
        if attention:
            parts.append(f"{attention} need attention")
        self.border_title = "Migrations · " + " · ".join(parts)

    def _show_message(self) -> None:
        """The HMC's message for the job under the cursor, under the panel (rows stay short)."""
        job = self.selected_job()
        newest = None
        if job is not None:
            same = [jid for jid in self._order if self.jobs[jid].partition == job.partition]
            newest = self.jobs[same[-1]]
        # The HMC's message and names: never markup, never a control character.
        self.border_subtitle = Content(visible(status_line(job, newest)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_message()

    def selected_job(self) -> MigrationProgress | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return self.jobs.get(str(key))

    def restyle(self, palette: Palette) -> None:
        self.palette = palette
        jobs = [self.jobs[jid] for jid in self._order]
        self.clear()
        self._cells.clear()
        self._order.clear()
        self.jobs.clear()
        for job in jobs:
            self.show(job)
