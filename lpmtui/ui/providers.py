"""Command palette (ctrl+p): jump to a partition, site, HMC or frame by name, or run an action.

Every hit only calls an existing screen action; no logic lives here.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from lpmtui.ui.widgets.fleet_tree import ALL, Scope

ACTIONS = (
    ("Refresh now", "Poll every HMC immediately", "refresh"),
    ("Pause / resume live updates", "Freeze the table while you read", "toggle_pause"),
    ("Pick target frame", "Choose where the selected partition should go", "pick_target"),
    ("Validate on the HMC", "Run migrlpar -o v for the selected partition", "validate"),
    ("Migrate the selected partition", "Validate, confirm and start", "migrate"),
    ("Stop the selected migration", "migrlpar -o s, confirmed", "stop_migration"),
    ("Recover the selected migration", "migrlpar -o r, confirmed", "recover"),
    (
        "Evacuate the selected frame",
        "Plan, confirm with the frame's name, start every move",
        "evacuate",
    ),
    ("Bring the selected frame's partitions home", "Reverse its last evacuation", "bring_home"),
    ("Show the whole fleet", "All HMCs and frames in the table", "show_all"),
    ("Filter partitions", "Fuzzy filter as you type", "filter"),
    ("Help", "Every key of the current pane", "help"),
)
MAX_HITS = 40


def highlight(matcher, text: str) -> Content:
    """Like ``Matcher.highlight`` but never reads the text as markup (names can hold '[')."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class FleetProvider(Provider):
    def _dashboard(self):
        from lpmtui.ui.screens.dashboard import DashboardScreen

        screen = self.app.screen_stack[0] if self.app.screen_stack else None
        for candidate in self.app.screen_stack:
            if isinstance(candidate, DashboardScreen):
                return candidate
        return screen if isinstance(screen, DashboardScreen) else None

    def _actions(self, dashboard):
        for title, help_text, action in ACTIONS:
            if dashboard.check_action(action, ()) is True:
                yield title, help_text, partial(dashboard.run_action, action)

    def _places(self, dashboard):
        for site in dict.fromkeys(h.site for h in dashboard.snapshot.hmcs if h.site):
            yield (
                f"site {site}",
                "show its HMCs' partitions",
                partial(dashboard.jump_to_scope, Scope("site", site)),
            )
        for hmc in dashboard.snapshot.hmcs:
            yield (
                f"HMC {hmc.hmc}",
                "show its frames' partitions",
                partial(dashboard.jump_to_scope, Scope("hmc", hmc.hmc)),
            )
            for frame in hmc.frames:
                name = frame.system.name
                yield (
                    f"frame {name}",
                    f"on {hmc.hmc}",
                    partial(dashboard.jump_to_scope, Scope("frame", name)),
                )
        yield "all partitions", "the whole fleet", partial(dashboard.jump_to_scope, ALL)

    async def discover(self) -> Hits:
        dashboard = self._dashboard()
        if dashboard is None:
            return
        for title, help_text, callback in self._actions(dashboard):
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        dashboard = self._dashboard()
        if dashboard is None:
            return
        matcher = self.matcher(query)
        found = 0
        for title, help_text, callback in (*self._actions(dashboard), *self._places(dashboard)):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlight(matcher, title), callback, help=help_text)
        for loc in list(dashboard.fleet_view.located.values()):
            if found >= MAX_HITS:
                break
            score = matcher.match(loc.partition.name)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    highlight(matcher, loc.partition.name),
                    partial(dashboard.jump_to_partition, loc.key),
                    help=f"partition on {loc.partition.system} ({loc.partition.state})",
                )
