"""The dashboard's keys: every binding (ids for remapping, tooltips for the help screen),
and the refusable ones, whose hidden second binding explains a refusal."""

from __future__ import annotations

from textual.binding import Binding

# Keys whose action can be refused. Each has a second, hidden binding to ``explain``: Textual
# tries it when the first is disabled, so a refused key says why instead of nothing.
REFUSABLE = {"t": "pick_target", "v": "validate", "r": "refresh", "m": "migrate"}
REFUSABLE |= {"s": "stop_migration", "R": "recover", "e": "evacuate", "H": "bring_home"}
REFUSABLE |= {"E": "evacuation_view"}


BINDINGS = [
    Binding("q", "app.quit", "Quit", id="dash.quit"),  # first: still shown at 80 columns
    Binding("question_mark,f1", "help", "Help", id="dash.help"),
    # Priority: handled on arrival, so keys typed right after '/' land in the filter box.
    Binding(
        "slash",
        "filter",
        "Filter",
        tooltip="Fuzzy filter as you type",
        id="dash.filter",
        priority=True,
    ),
    Binding("escape", "clear_filter", "Clear filter", id="dash.clear_filter"),
    Binding("t", "pick_target", "Target", tooltip="Pick the target frame", id="dash.target"),
    Binding(
        "v", "validate", "Validate", tooltip="Run migrlpar -o v on the HMC", id="dash.validate"
    ),
    Binding(
        "r",
        "refresh",
        "Refresh",
        tooltip="Poll every HMC now; retry refused logins",
        id="dash.refresh",
    ),
    Binding("space", "toggle_pause", "Pause", tooltip="Pause/resume live updates", id="dash.pause"),
    Binding(
        "l",
        "toggle_log",
        "Log",
        tooltip="Show/hide the HMC command log",
        id="dash.log",
        show=False,
    ),
    Binding("a", "show_all", "All", tooltip="Show the whole fleet", id="dash.all", show=False),
    Binding(
        "m",
        "migrate",
        "Migrate",
        tooltip="Validate, confirm and start a migration",
        id="dash.migrate",
    ),
    Binding(
        "s",
        "stop_migration",
        "Stop",
        tooltip="Stop the selected migration (migrlpar -o s)",
        id="dash.stop",
    ),
    Binding(
        "R",
        "recover",
        "Recover",
        tooltip="Recover a failed migration (migrlpar -o r)",
        id="dash.recover",
    ),
    Binding(
        "e",
        "evacuate",
        "Evacuate",
        tooltip="Plan moving every partition off the selected frame, then start it",
        id="dash.evacuate",
    ),
    Binding(
        "H",
        "bring_home",
        "Home",
        tooltip="Bring an evacuated frame's partitions back",
        id="dash.home",
    ),
    Binding(
        "E",
        "evacuation_view",
        "Evacuation",
        tooltip="View the evacuation: its moves by state, totals, ETA (escape closes it)",
        id="dash.evacuation",
    ),
    Binding(
        "x",
        "toggle_ended",
        "Hide ended",
        tooltip="Hide/show ended migrations (the audit log keeps them)",
        id="dash.ended",
    ),
    *(Binding(key, f"explain('{action}')", show=False) for key, action in REFUSABLE.items()),
]
