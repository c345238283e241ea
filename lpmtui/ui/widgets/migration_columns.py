"""Which columns the migrations panel shows at a width, and how wide (no Textual).

Every row knows every cell (``CELLS``); the panel shows the columns that fit its width, so a
migration's name, % and ETA are on screen at 80 columns and nothing needs a horizontal scroll:

- always: Partition, State, %, ETA;
- as the width allows, in this order: Source → target, Rate, GB moved, Kind, Elapsed, then the
  progress bar instead of the bare %, the rate's sparkline, Waited.

Widths are fixed for a layout (a refresh never re-measures a column); what is left over widens
the Partition column, then Source → target.
"""

from __future__ import annotations

from dataclasses import dataclass

from lpmtui.ui.widgets.migration_groups import SPARK

BAR_WIDTH = 10
PADDING = 1  # the table's cell padding, each side


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the cell it shows (and the table's column key)
    label: str
    width: int


PARTITION = Column("partition", "Partition", 12)
ROUTE = Column("route", "Source → target", 23)
KIND = Column("kind", "Kind", 9)
STATE = Column("state", "State", 12)
PCT = Column("pct", "%", 4)
PROGRESS = Column("progress", "Progress", BAR_WIDTH + 5)
GB = Column("gb", "GB moved", 10)
SPEED = Column("speed", "Rate", 8)  # the rate alone
RATE = Column("rate", "Rate", 8 + SPARK)  # the rate after its sparkline
ETA = Column("eta", "ETA", 6)
ELAPSED = Column("elapsed", "Elapsed", 7)
WAITED = Column("waited", "Waited", 6)

# Every cell a row has, in this order (``progress_cells`` makes them).
CELLS = tuple(c.key for c in (PARTITION, ROUTE, KIND, STATE, PCT, PROGRESS, GB, SPEED, RATE))
CELLS += ("eta", "elapsed", "waited")
# Left to right: where a column sits when it is shown (a wider variant takes its slot).
ORDER = ("partition", "route", "kind", "state", "pct", "gb", "speed", "eta", "elapsed", "waited")
SLOT = {"progress": "pct", "rate": "speed"}
ALWAYS = (PARTITION, STATE, PCT, ETA)
# What is added (or what replaces the narrower column in its slot), as long as it fits.
STEPS = (ROUTE, SPEED, GB, KIND, ELAPSED, PROGRESS, RATE, WAITED)
WIDEST = {"partition": 24, "route": 31}


def span(columns: tuple[Column, ...]) -> int:
    return sum(c.width + 2 * PADDING for c in columns)


def layout(width: int) -> tuple[Column, ...]:
    """The columns to show in ``width`` cells, left to right (everything when width <= 0:
    not laid out yet)."""
    chosen = {SLOT.get(c.key, c.key): c for c in ALWAYS}
    if width <= 0:
        chosen |= {SLOT.get(c.key, c.key): c for c in STEPS}
    for step in STEPS:
        slot = SLOT.get(step.key, step.key)
        if slot in chosen and chosen[slot].width >= step.width:
            continue
        trial = {**chosen, slot: step}
        if width > 0 and span(tuple(trial.values())) <= width:
            chosen = trial
    spare = max(0, width - span(tuple(chosen.values())))
    for key, widest in WIDEST.items():
        if key in chosen and spare:
            grow = min(spare, widest - chosen[key].width)
            chosen[key] = Column(key, chosen[key].label, chosen[key].width + grow)
            spare -= grow
    return tuple(chosen[slot] for slot in ORDER if slot in chosen)
