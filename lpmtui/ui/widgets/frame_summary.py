"""A frame selected in the tree, as the Checks pane shows it: its state, what it can migrate,
its capacity, its partitions and the migrations the HMC lists on it. No partition's checks:
those follow the table's cursor once the table has the focus."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from lpmtui.model import FrameSnapshot
from lpmtui.ui import format as fmt
from lpmtui.ui.palette import Palette

HINT = "tab: its partitions' checks in the table · e: evacuate this frame · H: bring home"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _of(free: str, total: str) -> str:
    return free if total.startswith("?") else f"{free} free of {total}"


def frame_lines(hmc: str, frame: FrameSnapshot) -> list[tuple[str, str, str]]:
    """(label, value, palette style) rows for the frame, in the order shown."""
    system = frame.system
    clients = [p for p in frame.partitions if not p.is_vios]
    vios = len(frame.partitions) - len(clients)
    running = sum(1 for p in clients if p.state == "Running")
    capable = fmt.capability_label(system)
    moving = [m for m in frame.migrations if m.migrating]
    rows = [
        ("State", system.state or "?", "ok" if system.operating else "warn"),
        ("Managed by", hmc, ""),
        ("Model", " · serial ".join(v for v in (system.type_model, system.serial) if v) or "?", ""),
        ("Mobility", capable, "ok" if "act+inact" in capable else "warn"),
        (
            "Memory",
            _of(fmt.mb_label(system.mem_available), fmt.mb_label(system.mem_configurable)),
            "",
        ),
        (
            "Processors",
            _of(
                f"{fmt.units_label(system.proc_units_available)}u",
                f"{fmt.units_label(system.proc_units_configurable)}u",
            ),
            "",
        ),
        (
            "Partitions",
            f"{_plural(len(clients), 'client')} ({running} running) · {vios} VIOS",
            "",
        ),
        ("Migrations", f"{len(moving)} running" if moving else "none running", ""),
    ]
    for m in moving:
        rows.append(("", f"{m.name} {fmt.migration_label(m)}", "accent"))
    return rows


def render_frame_summary(hmc: str, frame: FrameSnapshot, palette: Palette) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for label, value, style in frame_lines(hmc, frame):
        shown = Text(value, getattr(palette, style) if style else "")
        grid.add_row(Text(label, palette.muted), shown)
    head = Text.assemble((frame.system.name, "bold"), " · frame")
    return Group(head, Text(""), grid, Text(""), Text(HINT, palette.muted))
