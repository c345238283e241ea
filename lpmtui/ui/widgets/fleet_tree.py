"""HMC → frame tree, updated in place: nodes are keyed by HMC and frame name, never rebuilt.

There is no site in the configuration or the fleet files, so frames are grouped by HMC only. In
a large fleet (more than ``LARGE_FLEET`` frames or ``LARGE_FLEET_HMCS`` HMCs: 500 frames are
1,500 lines expanded) HMCs and
frames are added collapsed; what the user expands stays expanded. A frame whose system did not
change since the last snapshot keeps its labels without rebuilding them."""

from __future__ import annotations

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
    """What the partition table shows: everything, one HMC, or one frame."""

    kind: str  # "all" | "hmc" | "frame"
    name: str = ""

    def label(self) -> str:
        return "all partitions" if self.kind == "all" else f"{self.kind} {self.name}"


ALL = Scope("all")
LARGE_FLEET = 32  # frames: above this, the tree starts collapsed
LARGE_FLEET_HMCS = 8  # ... or above this many HMCs

_STATE_STYLE = {
    ConnectionState.CONNECTED: "ok",
    ConnectionState.CONNECTING: "muted",
    ConnectionState.RECONNECTING: "warn",
}


class FleetTree(Tree[Scope]):
    """Posts ``ScopeSelected`` when the user picks the fleet, an HMC or a frame."""

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
        self._hmc_nodes: dict[str, TreeNode[Scope]] = {}
        self._frame_nodes: dict[str, TreeNode[Scope]] = {}
        self._labels: dict[int, Text] = {}
        self._systems: dict[str, object] = {}  # frame name -> the system its labels show
        self._expand = True

    def on_mount(self) -> None:
        self.root.expand()

    def _set_label(self, node: TreeNode[Scope], label: Text) -> None:
        if self._labels.get(node.id) != label:
            self._labels[node.id] = label
            node.set_label(label)

    def _styled(self, *parts: tuple[str, str]) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for value, style in parts:  # HMC, frame names and errors: control characters shown
            text.append(visible(value), getattr(self.palette, style) if style else "")
        return text

    def apply(self, snapshot: FleetSnapshot, stale: dict[str, float]) -> None:
        """Bring the tree in line with the snapshot; ``stale`` maps HMC name -> data age."""
        names = [h.hmc for h in snapshot.hmcs]
        frames = sum(len(h.frames) for h in snapshot.hmcs)
        # Counted by HMCs too: the first snapshots have HMCs connected and no frames yet.
        self._expand = frames <= LARGE_FLEET and len(names) <= LARGE_FLEET_HMCS
        for gone in [n for n in self._hmc_nodes if n not in names]:
            self._hmc_nodes.pop(gone).remove()
        seen_frames: set[str] = set()
        for hmc in snapshot.hmcs:
            node = self._hmc_nodes.get(hmc.hmc)
            if node is None:
                node = self.root.add("", data=Scope("hmc", hmc.hmc), expand=self._expand)
                self._hmc_nodes[hmc.hmc] = node
            self._set_label(node, self._hmc_label(hmc, stale.get(hmc.hmc)))
            self._apply_error(node, hmc)
            for frame in hmc.frames:
                seen_frames.add(frame.system.name)
                self._apply_frame(node, frame)
        for gone in [n for n in self._frame_nodes if n not in seen_frames]:
            self._frame_nodes.pop(gone).remove()
            self._systems.pop(gone, None)

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
        error_nodes = [c for c in node.children if c.data == Scope("error", hmc.hmc)]
        problem = hmc.state is not ConnectionState.CONNECTED and (
            hmc.last_error or hmc.host_key_fingerprint
        )
        if not problem:
            for child in error_nodes:
                child.remove()
            return
        detail = fmt.error_headline(hmc.last_error) or f"host key {hmc.host_key_fingerprint}"
        label = self._styled(("⚠ ", "warn"), (detail, "warn"))
        if error_nodes:
            self._set_label(error_nodes[0], label)
        else:
            leaf = node.add_leaf("", data=Scope("error", hmc.hmc), before=0)
            self._set_label(leaf, label)

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
        self._systems.clear()
        self.apply(snapshot, stale)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        scope = event.node.data or ALL
        if scope.kind == "error":
            scope = Scope("hmc", scope.name)
        self.post_message(self.ScopeSelected(scope))

    def select_scope(self, scope: Scope) -> None:
        """Move the cursor to the node of a scope (from the palette) and select it."""
        node = {"hmc": self._hmc_nodes, "frame": self._frame_nodes}.get(scope.kind, {}).get(
            scope.name
        )
        if node is not None:
            parent = node.parent
            if parent is not None and parent is not self.root and not parent.is_expanded:
                parent.expand()  # a collapsed HMC (large fleet): its lines exist after a refresh
                self.call_after_refresh(self.move_cursor, node)
            else:
                self.move_cursor(node)
        self.post_message(self.ScopeSelected(scope))
