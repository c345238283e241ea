"""Site → HMC → frame tree, updated in place: nodes are keyed by site, HMC and frame name, never
rebuilt.

The site is the config's (``HmcConfig.site``: no HMC command reports one). When no HMC has a
site the tree is HMC → frame; when any has one, HMCs are grouped under their site and those
without one under a last "(no site)" node, so every HMC sits at the same depth and a forgotten
``site:`` stands out. In a large fleet (more than ``LARGE_FLEET`` frames or ``LARGE_FLEET_HMCS``
HMCs: 500 frames are 1,500 lines expanded) sites, HMCs and frames are added collapsed; what the
user expands stays expanded. A quiet poll costs next to nothing: an HMC whose frames are the
very objects of the last poll (the collector hands out an unchanged frame again) is not looked
into, and a label is rebuilt only when what it shows changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from lpmtui.common.visible import visible
from lpmtui.model import ConnectionState, FleetSnapshot, FrameSnapshot, HmcSnapshot
from lpmtui.ui import format as fmt
from lpmtui.ui.palette import Palette


@dataclass(frozen=True, slots=True)
class Scope:
    """What the partition table shows: everything, one site ("" = the HMCs without a site),
    one HMC, or one frame."""

    kind: str  # "all" | "site" | "hmc" | "frame"
    name: str = ""

    def label(self) -> str:
        if self.kind == "all":
            return "all partitions"
        if self.kind == "site" and not self.name:
            return "HMCs without a site"
        return f"{self.kind} {self.name}"

    def holds(self, site: str, hmc: str, frame: str) -> bool:
        """Whether a partition of ``frame``, under ``hmc`` at ``site``, is in this scope."""
        kind = self.kind
        if kind == "all":
            return True
        return self.name == (site if kind == "site" else hmc if kind == "hmc" else frame)


ALL = Scope("all")
NO_SITE = "(no site)"
LARGE_FLEET = 32  # frames: above this, the tree starts collapsed
LARGE_FLEET_HMCS = 8  # ... or above this many HMCs

_UP = (ConnectionState.CONNECTED, ConnectionState.CONNECTING)
_STATE_STYLE = {
    ConnectionState.CONNECTED: "ok",
    ConnectionState.CONNECTING: "muted",
    ConnectionState.RECONNECTING: "warn",
}


def _same_objects(before: tuple | None, after: tuple) -> bool:
    return (
        before is not None
        and len(before) == len(after)
        and all(a is b for a, b in zip(before, after, strict=True))
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class FleetTree(Tree[Scope]):
    """Posts ``ScopeSelected`` when the user picks the fleet, a site, an HMC or a frame."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
    ]

    class ScopeSelected(Message):
        def __init__(self, scope: Scope) -> None:
            self.scope = scope
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Fleet", data=ALL, id=id)
        self.show_root = False  # the header already counts the fleet; 'a' shows all partitions
        self.guide_depth = 2
        self.palette = Palette.from_variables({})
        self._site_nodes: dict[str, TreeNode[Scope]] = {}  # "" = the "(no site)" node
        self._hmc_nodes: dict[str, TreeNode[Scope]] = {}
        self._frame_nodes: dict[str, TreeNode[Scope]] = {}
        self._error_leaves: dict[str, TreeNode[Scope]] = {}  # HMC name -> its error line
        self._labels: dict[int, Text] = {}
        self._inputs: dict[int, Hashable] = {}  # node id -> what its label was built from
        self._systems: dict[str, object] = {}  # frame name -> the system its labels show
        self._hmc_frames: dict[str, tuple[FrameSnapshot, ...]] = {}  # the frames applied
        self._owners: dict[str, str] = {}  # frame name -> the HMC it is shown under
        self._owned: Counter[str] = Counter()  # HMC name -> how many frames it shows
        self._grouped = False
        self._expand = True

    def on_mount(self) -> None:
        self.root.expand()

    def _set_label(self, node: TreeNode[Scope], label: Text) -> None:
        if self._labels.get(node.id) != label:
            self._labels[node.id] = label
            node.set_label(label)

    def _relabel(self, node: TreeNode[Scope], inputs: Hashable, build: Callable[[], Text]) -> None:
        """Set the label ``build`` makes, unless it was built from the same ``inputs``."""
        if self._inputs.get(node.id) != inputs:
            self._inputs[node.id] = inputs
            self._set_label(node, build())

    def _styled(self, *parts: tuple[str, str]) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for value, style in parts:  # HMC, frame names and errors: control characters shown
            text.append(visible(value), getattr(self.palette, style) if style else "")
        return text

    def apply(self, snapshot: FleetSnapshot, stale: dict[str, float]) -> None:
        """Bring the tree in line with the snapshot; ``stale`` maps HMC name -> data age."""
        hmcs = snapshot.hmcs
        frames = sum(len(h.frames) for h in hmcs)
        # Counted by HMCs too: the first snapshots have HMCs connected and no frames yet.
        self._expand = frames <= LARGE_FLEET and len(hmcs) <= LARGE_FLEET_HMCS
        grouped = any(h.site for h in hmcs)
        if grouped != self._grouped:  # sites appeared or went: a new shape, built afresh
            self.root.remove_children()
            self._forget_all()
            self._grouped = grouped
        names = {h.hmc for h in hmcs}
        vanished = [n for n in self._hmc_nodes if n not in names]
        for gone in vanished:
            self._drop_hmc(gone)
        changed: list[tuple[TreeNode[Scope], HmcSnapshot]] = []  # HMCs whose frames changed
        sites: dict[str, list[int]] = {}  # site -> [HMCs, frames, down, stale]
        for hmc in hmcs:
            age = stale.get(hmc.hmc)
            parent = self._site_node(hmc.site) if grouped else self.root
            node = self._hmc_node(hmc.hmc, parent)
            inputs = (hmc.state, hmc.reconnect_attempt, hmc.kind, age is None or fmt.age_label(age))
            self._relabel(node, inputs, lambda h=hmc, a=age: self._hmc_label(h, a))
            self._apply_error(node, hmc)
            if grouped:
                counts = sites.setdefault(hmc.site, [0, 0, 0, 0])
                counts[0] += 1
                counts[2] += hmc.state not in _UP  # still connecting at start is not down
                counts[3] += age is not None
            if not _same_objects(self._hmc_frames.get(hmc.hmc), hmc.frames):
                changed.append((node, hmc))  # else the same frame objects: nodes and labels
                self._hmc_frames[hmc.hmc] = hmc.frames
        if changed or vanished:
            self._apply_frames(hmcs, changed)
        for hmc in hmcs if grouped else ():  # a pair's shared frame counted once
            sites[hmc.site][1] += self._owned.get(hmc.hmc, 0)
        self._apply_sites(sites)

    def _apply_frames(
        self, hmcs: tuple[HmcSnapshot, ...], changed: list[tuple[TreeNode[Scope], HmcSnapshot]]
    ) -> None:
        """The frames of the HMCs that changed, and those that changed HMC. A frame two HMCs
        manage (a redundant pair) is shown once, under the first, as the table places it."""
        owners: dict[str, str] = {}
        for h in hmcs:
            for f in h.frames:
                owners.setdefault(f.system.name, h.hmc)
        moved = {name for name, hmc in owners.items() if self._owners.get(name) != hmc}
        self._owners = owners
        self._owned = Counter(owners.values())
        done = {hmc.hmc for _, hmc in changed}
        if moved:  # a frame new, or its first HMC another: placed even if that HMC is quiet
            changed += [(self._hmc_nodes[h.hmc], h) for h in hmcs if h.hmc not in done]
        for node, hmc in changed:
            for frame in hmc.frames:
                name = frame.system.name
                if owners[name] == hmc.hmc and (hmc.hmc in done or name in moved):
                    self._apply_frame(node, frame)
        for gone in [n for n in self._frame_nodes if n not in owners]:
            self._frame_nodes.pop(gone).remove()
            self._systems.pop(gone, None)

    def _forget_all(self) -> None:
        for nodes in (self._site_nodes, self._hmc_nodes, self._frame_nodes, self._error_leaves):
            nodes.clear()
        self._systems.clear()
        self._hmc_frames.clear()
        self._owners.clear()
        self._owned.clear()

    def _drop_hmc(self, name: str) -> None:
        """Remove an HMC's node with its frames and error line (gone, or moved to a site)."""
        node = self._hmc_nodes.pop(name)
        for frame in [f for f, n in self._frame_nodes.items() if n.parent is node]:
            del self._frame_nodes[frame]
            self._systems.pop(frame, None)
        self._error_leaves.pop(name, None)
        self._hmc_frames.pop(name, None)
        node.remove()

    def _site_node(self, site: str) -> TreeNode[Scope]:
        node = self._site_nodes.get(site)
        if node is None:  # a named site goes before "(no site)", which stays last
            last = self._site_nodes.get("") if site else None
            node = self.root.add("", data=Scope("site", site), expand=self._expand, before=last)
            self._site_nodes[site] = node
        return node

    def _hmc_node(self, name: str, parent: TreeNode[Scope]) -> TreeNode[Scope]:
        node = self._hmc_nodes.get(name)
        if node is not None and node.parent is not parent:
            self._drop_hmc(name)
            node = None
        if node is None:
            node = parent.add("", data=Scope("hmc", name), expand=self._expand)
            self._hmc_nodes[name] = node
        return node

    def _apply_sites(self, sites: dict[str, list[int]]) -> None:
        for gone in [s for s in self._site_nodes if s not in sites]:
            self._site_nodes.pop(gone).remove()
        for site, counts in sites.items():
            node = self._site_nodes[site]
            self._relabel(node, tuple(counts), lambda s=site, c=counts: self._site_label(s, c))

    def _site_label(self, site: str, counts: list[int]) -> Text:
        """Its name, what is wrong first (the pane is narrow: the end is what gets cut), then
        its HMCs and frames."""
        hmcs, frames, down, stale = counts
        parts = [(site or NO_SITE, "accent" if site else "muted"), ("  ", "")]
        if down:
            parts.append((f"{down} down  ", "warn"))
        if stale:
            parts.append((f"{stale} stale  ", "stale"))
        parts.append((f"{_plural(hmcs, 'HMC')} · {_plural(frames, 'frame')}", "muted"))
        return self._styled(*parts)

    def _hmc_label(self, hmc: HmcSnapshot, stale_age: float | None) -> Text:
        state_style = _STATE_STYLE.get(hmc.state, "fail")
        parts = [(hmc.hmc, "accent"), ("  ", ""), (fmt.connection_label(hmc), state_style)]
        if hmc.kind != "hmc":  # an FSM or IVM console: say so, its rules differ
            parts[1:1] = [(" ", ""), (hmc.kind.upper(), "muted")]
        if stale_age is not None:
            parts.append((f"  stale {fmt.age_label(stale_age)}", "stale"))
        return self._styled(*parts)

    def _apply_error(self, node: TreeNode[Scope], hmc: HmcSnapshot) -> None:
        """A leaf under the HMC with its last error while it is not connected."""
        leaf = self._error_leaves.get(hmc.hmc)
        problem = hmc.state is not ConnectionState.CONNECTED and (
            hmc.last_error or hmc.host_key_fingerprint
        )
        if not problem:
            if leaf is not None:
                del self._error_leaves[hmc.hmc]
                leaf.remove()
            return
        detail = fmt.error_headline(hmc.last_error) or f"host key {hmc.host_key_fingerprint}"
        if leaf is None:
            leaf = node.add_leaf("", data=Scope("error", hmc.hmc), before=0)
            self._error_leaves[hmc.hmc] = leaf
        self._set_label(leaf, self._styled(("⚠ ", "warn"), (detail, "warn")))

    def _apply_frame(self, hmc_node: TreeNode[Scope], frame: FrameSnapshot) -> None:
        system = frame.system
        node = self._frame_nodes.get(system.name)
        if node is None or node.parent is not hmc_node:
            if node is not None:
                node.remove()
            node = hmc_node.add("", data=Scope("frame", system.name), expand=self._expand)
            node.add_leaf("", data=Scope("frame", system.name))
            node.add_leaf("", data=Scope("frame", system.name))
            self._frame_nodes[system.name] = node
        elif self._systems.get(system.name) == system:
            return  # the same system: the same labels
        self._systems[system.name] = system
        state_style = "ok" if system.operating else "warn"
        self._set_label(
            node, self._styled((system.name, ""), ("  ", ""), (system.state or "?", state_style))
        )
        capable = fmt.capability_label(system)
        capable_style = "ok" if "act+inact" in capable else "warn"
        lines = [
            self._styled((capable, capable_style)),
            self._styled((fmt.frame_resources(system), "muted")),
        ]
        for leaf, label in zip(node.children, lines, strict=False):
            self._set_label(leaf, label)

    def restyle(self, palette: Palette, snapshot: FleetSnapshot, stale: dict[str, float]) -> None:
        self.palette = palette
        self._labels.clear()
        self._inputs.clear()
        self._systems.clear()
        self._hmc_frames.clear()
        self.apply(snapshot, stale)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        scope = event.node.data or ALL
        if scope.kind == "error":
            scope = Scope("hmc", scope.name)
        self.post_message(self.ScopeSelected(scope))

    def select_scope(self, scope: Scope) -> None:
        """Move the cursor to the node of a scope (from the palette) and select it."""
        nodes = {"site": self._site_nodes, "hmc": self._hmc_nodes, "frame": self._frame_nodes}
        node = nodes.get(scope.kind, {}).get(scope.name)
        if node is not None:
            collapsed = False
            parent = node.parent
            while parent is not None and parent is not self.root:
                if not parent.is_expanded:  # a collapsed site or HMC (large fleet)
                    parent.expand()
                    collapsed = True
                parent = parent.parent
            if collapsed:  # its lines exist after a refresh
                self.call_after_refresh(self.move_cursor, node)
            else:
                self.move_cursor(node)
        self.post_message(self.ScopeSelected(scope))
