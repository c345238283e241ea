"""``E``: one evacuation (or bring-home) on a screen of its own (issue #15).

What it shows is the core's ``EvacuationProgress`` (``evacuation.progress``), read again whenever
the tracker's evacuations change and once a second while it runs: the frame and the direction,
GB done / total, the aggregate rate, the ETA and elapsed, its moves by state (waiting for a
slot, waiting for a channel, starting, running, outcome unknown, done, failed, stopped: one
heading row per state, then each move's partition, target, GB, rate, ETA and note), what stays
and why, and the summary once it has ended. Rows are a keyed diff; ``escape`` closes it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from lpmtui.common.visible import visible
from lpmtui.evacuation.plan import EVACUATE
from lpmtui.evacuation.progress import BUCKETS, EvacuationProgress, bucket
from lpmtui.migration.types import MigrationProgress, MigrationState
from lpmtui.ui import format as fmt
from lpmtui.ui.palette import Palette
from lpmtui.ui.widgets.migrations_panel import gigabytes, rate_text

HEADING = "state:"  # row key prefix of a state's heading row
# (key, label, width); Partition (which also holds each state's heading) and Note share what
# the others leave of the screen's width.
COLUMNS = (
    ("partition", "Partition", 0),
    ("target", "Target", 12),
    ("gb", "GB", 10),
    ("rate", "Rate", 8),
    ("eta", "ETA", 6),
)
PARTITION = (14, 22)  # at least, at most ("waiting for a channel" is 21)
NOTE_MIN = 10
_STYLE = {"done": "ok", "failed": "fail", "stopped": "warn", "outcome unknown": "warn"}

Cells = tuple[tuple[str, str], ...]


def head_lines(p: EvacuationProgress) -> list[str]:
    """The lines above the moves: what it is, its totals, its moves by state, the end."""
    if p.action == EVACUATE:
        what = f"evacuate: every movable partition off {p.frame}"
    else:
        what = f"bring home: partitions back to {p.frame}"
    lines = [f"{p.title} · {what}", p.totals(), p.states()]
    if p.stays and not p.ended:  # (the summary names them)
        lines.append("stays: " + "; ".join(f"{name} ({why})" for name, why in p.stays))
    if p.ended:
        lines.append(f"✓ {p.summary()}")
    return lines


def note(move: MigrationProgress) -> str:
    if move.state is MigrationState.QUEUED and move.queue_position:
        note = f"queued #{move.queue_position}"
    else:
        note = move.message
    return f"STALLED {note}".strip() if move.stalled else note


def move_cells(move: MigrationProgress) -> Cells:
    """(text, palette style) per column, the note last."""
    style = _STYLE.get(bucket(move.state), "")
    return (
        (move.partition, style),
        (move.target, ""),
        (gigabytes(move), ""),
        (rate_text(move.rate), ""),
        (fmt.age_label(move.eta) if move.eta is not None else "", ""),
        (note(move), "warn" if move.stalled else "muted"),
    )


def wanted_rows(p: EvacuationProgress) -> dict[str, tuple[tuple[int, int], Cells]]:
    """key -> (rank, cells): a heading per state that has moves, its moves under it."""
    rows: dict[str, tuple[tuple[int, int], Cells]] = {}
    counts = dict(p.counts)
    for n, move in enumerate(p.moves):
        group = BUCKETS.index(bucket(move.state))
        rows[move.job_id] = ((group, n + 1), move_cells(move))
    for name, count in counts.items():
        moves = f"{count} move" if count == 1 else f"{count} moves"
        heading = ((name, "accent"), (moves, "muted")) + (("", ""),) * (len(COLUMNS) - 1)
        rows[HEADING + name] = ((BUCKETS.index(name), 0), heading)
    return rows


class EvacuationView(Screen):
    DEFAULT_CSS = """
    EvacuationView {
        layout: vertical;
        #evacuation-head {
            height: auto;
            padding: 0 1;
            border: round $accent;
            border-title-color: $accent;
        }
        #evacuation-moves {
            height: 1fr;
            border: round $panel-lighten-2;
            scrollbar-size-vertical: 1;
            overflow-x: hidden;
        }
    }
    """
    BINDINGS = [Binding("escape,E", "close", "Close", id="evacuation.close")]

    def __init__(
        self,
        read: Callable[[], EvacuationProgress],
        subscribe: Callable[[Callable[[], None]], Callable[[], None]],
    ) -> None:
        super().__init__()
        self.read = read  # the evacuation now (the core's EvacuationProgress)
        self.subscribe = subscribe  # (what to call when it may have changed) -> unsubscribe
        self.head = Static(id="evacuation-head")
        self.moves = DataTable(id="evacuation-moves", cursor_type="row", cell_padding=1)
        self.palette = Palette.from_variables({})
        self._cells: dict[str, Cells] = {}
        self._head: list[str] = []
        self._title = ""
        self._widths = (0, 0)  # partition, note
        self._unsubscribe: Callable[[], None] = lambda: None

    def compose(self) -> ComposeResult:
        yield self.head
        yield self.moves
        yield Footer()

    def on_mount(self) -> None:
        self.palette = Palette.from_variables(self.app.theme_variables)
        self.moves.border_title = "Moves by state"
        self._unsubscribe = self.subscribe(self.show)
        self.relayout()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """Partition and Note share the width the other columns leave (a resize rebuilds the
        columns; an update never does)."""
        others = sum(width + 2 for _key, _label, width in COLUMNS[1:])
        border = self.moves.styles.gutter.width + self.moves.styles.scrollbar_size_vertical
        rest = self.size.width - border - others - 4  # partition's and note's padding
        partition = max(PARTITION[0], min(PARTITION[1], rest - NOTE_MIN))
        widths = (partition, max(NOTE_MIN, rest - partition))
        if widths == self._widths:
            return
        self._widths = widths
        self.moves.clear(columns=True)
        self._cells.clear()
        for key, label, width in (*COLUMNS, ("note", "Note", 0)):
            width = {"partition": widths[0], "note": widths[1]}.get(key, width)
            self.moves.add_column(label, key=key, width=width)
        self.show()

    def _text(self, text: str, style: str) -> Text:
        return Text(
            visible(text),  # partition and frame names, HMC messages: never a control character
            style=getattr(self.palette, style) if style else "",
            no_wrap=True,
            overflow="ellipsis",
        )

    def show(self) -> None:
        progress = self.read()
        head = head_lines(progress)
        if head != self._head:
            self._head = head
            self.head.update(Content("\n".join(visible(line) for line in head)))
            title = f"{progress.title} · ended" if progress.ended else progress.title
            if title != self._title:  # setting a border title repaints, even the same text
                self._title = title
                self.head.border_title = Content(visible(title))
        self._apply(wanted_rows(progress))

    def _apply(self, wanted: dict[str, tuple[tuple[int, int], Cells]]) -> None:
        """Keyed diff; sorted only when the order changed; the cursor stays on its row."""
        table = self.moves
        keys = [key for key, _label, _width in COLUMNS] + ["note"]
        current = self._key_at(table.cursor_row) if table.row_count else None
        for key in [k for k in self._cells if k not in wanted]:
            table.remove_row(key)
            del self._cells[key]
        for key, (_rank, cells) in wanted.items():
            old = self._cells.get(key)
            if old is None:
                table.add_row(*(self._text(*c) for c in cells), key=key)
            else:
                for col, before, after in zip(keys, old, cells, strict=True):
                    if before != after:
                        table.update_cell(key, col, self._text(*after))
            self._cells[key] = cells
        shown = [self._key_at(r) for r in range(table.row_count)]
        if shown != sorted(shown, key=lambda k: wanted[k][0]):
            # sort() hands the key function cells: each row's first cell is its own object
            rank = {id(table.get_cell(k, "partition")): wanted[k][0] for k in shown}
            table.sort("partition", key=lambda cell: rank[id(cell)])
            if current in self._cells:
                table.move_cursor(row=table.get_row_index(current), animate=False)

    def _key_at(self, row: int) -> str:
        return str(self.moves.coordinate_to_cell_key((row, 0)).row_key.value)

    def action_close(self) -> None:
        self.dismiss()
