"""The dashboard's Checks pane: a frame chosen in the tree (while the tree has the focus), else
the selected partition judged against its target (or why a selected frame lists nothing),
re-rendered only when something it shows changed, and the HMC validation (``v``) of the
partition towards that target.

A controller: built with the fleet view it reads, the pane it drives, and how to ask the HMC.
"""

from __future__ import annotations

from collections.abc import Callable

from lpmtui.eligibility.checks import Check
from lpmtui.model import FrameSnapshot
from lpmtui.ui.rows import Located
from lpmtui.ui.screens.fleet_view import FleetView
from lpmtui.ui.screens.screen_hooks import ScreenHooks
from lpmtui.ui.widgets.detail_pane import DetailPane, DetailView


class CheckView:
    def __init__(
        self,
        *,
        view: FleetView,
        pane: DetailPane,
        hooks: ScreenHooks,
        validate: Callable[[Located, str], None],
    ) -> None:
        self.view = view
        self.pane = pane
        self.hooks = hooks
        self.ask_hmc = validate  # starts migrlpar -o v; the answer comes back as validation_done
        self.validations: dict[tuple[str, str], object] = {}
        self.validating: set[tuple[str, str]] = set()
        self._inputs: tuple | None = None
        self._ranked: str | None = None  # the partition whose checks the pane last showed
        self._rank_due = False
        self._epoch = 0  # bumped by anything else the pane shows (validation, theme, target)

    def changed(self) -> None:
        """Something the pane shows changed outside the fleet (theme, target, validation)."""
        self._epoch += 1

    def show(self) -> None:
        """Re-judge and re-render the selected partition only when something it shows changed
        (the ranking reads the whole fleet, so a quiet poll must not redo it)."""
        view = self.view
        frame = self._frame_in_focus()
        if frame is not None:  # the user chose a frame: show the frame, not a partition
            if ("frame", frame, self._epoch) != self._inputs:
                self._inputs = ("frame", frame, self._epoch)
                self.pane.show(None, None, frame)
            return
        loc = view.selected()
        inputs = None
        if loc is not None:
            inputs = (
                loc.key,
                loc.partition,
                loc.migration,
                view.judge.generation,  # frames changed (or the judge caught up): rank again
                view.snapshot if view.target else None,  # one target: judged on this snapshot
                view.target,
                self._epoch,
                loc.hmc in view.stale,
            )
        if inputs is not None and inputs == self._inputs:
            return
        if loc is not None and loc.key != self._ranked and self.pane.is_mounted:
            # Another partition (a filter took the selected one away, the cursor moved):
            # ranking it reads the whole fleet (20-50 ms at 20,000 partitions), so the table
            # is painted first and the pane says so meanwhile, never another's checks.
            self._inputs = None
            self.pane.show(None, ranking=loc)
            if not self._rank_due:
                self._rank_due = True
                self.pane.call_after_refresh(self._rank)
            return
        self._inputs = inputs
        self._ranked = loc.key if loc is not None else None
        self.pane.show(self.detail_view(), self._frame_notice(loc))

    def _rank(self) -> None:
        self._rank_due = False
        loc = self.view.selected()
        self._ranked = loc.key if loc is not None else None  # ranked now, whichever it is
        self.show()

    def _frame_in_focus(self) -> tuple[str, FrameSnapshot] | None:
        """(hmc, frame) while an Operating frame is selected in the tree and the tree has the
        focus (a frame that is not Operating has its own notice, which says why)."""
        tree, scope = self.view.tree, self.view.scope
        if scope.kind != "frame" or not tree.is_mounted or tree.screen.focused is not tree:
            return None
        found = self.view.snapshot.frame(scope.name)
        return found if found is not None and found[1].system.operating else None

    def _frame_notice(self, loc: Located | None) -> tuple[str, Check] | None:
        """With no partition to show and a frame selected that is not Operating: the one check
        that explains why it lists no partitions and nothing can move off it."""
        scope, snapshot = self.view.scope, self.view.snapshot
        if loc is None and scope.kind in ("hmc", "error"):
            return self._hmc_notice(scope.name)
        if loc is not None or scope.kind != "frame":
            return None
        found = snapshot.frame(scope.name)
        if found is None or found[1].system.operating:
            return None  # the common case costs a lookup, not a rule index of the whole fleet
        from lpmtui.eligibility import frame_source_check

        check = frame_source_check(snapshot, scope.name)
        return (scope.name, check) if check is not None else None

    def _hmc_notice(self, name: str) -> tuple[str, Check] | None:
        """A selected HMC that is not connected: its whole last error (the tree cuts it)."""
        from lpmtui.eligibility.checks import CheckStatus
        from lpmtui.model import ConnectionState

        hmc = next((h for h in self.view.latest.hmcs if h.hmc == name), None)
        if hmc is None or hmc.state is ConnectionState.CONNECTED:
            return None
        why = hmc.last_error or "no error reported yet"
        if hmc.host_key_fingerprint:
            why += f"\nhost key offered: {hmc.host_key_fingerprint}"
        title = f"{name} is {hmc.state}"
        fix = "r: retry every HMC now (refused logins included)"
        return (name, Check("hmc.connection", title, CheckStatus.FAIL, why, fix))

    def detail_view(self) -> DetailView | None:
        view = self.view
        loc = view.selected()
        if loc is None:
            return None
        ranked = tuple(view.verdicts.ranked(loc.partition))
        targets = view.verdicts.targets_for(loc.partition)
        if view.target and view.target != loc.partition.system:
            verdict = view.verdicts.verdict(loc.partition, view.target)
        elif ranked:
            verdict = ranked[0]
        else:  # no ranking: either no other frame, or the rules failed (Unjudged says why)
            verdict = view.verdicts.verdict(loc.partition, targets[0]) if targets else None
        key = (loc.key, verdict.target_system) if verdict else None
        validation = self.validations.get(key) if key else None
        agreements = ()
        if validation is not None and verdict is not None:
            from lpmtui.eligibility import compare

            agreements = tuple(compare(verdict, validation))
        return DetailView(
            loc,
            verdict,
            ranked,
            view.target,
            validation,
            agreements,
            validating=key in self.validating,
        )

    def validate(self) -> None:
        detail = self.detail_view()
        if detail is None or detail.verdict is None:
            self.hooks.notify(
                "no target frame to validate against", severity="warning", markup=False
            )
            return
        key = (detail.located.key, detail.verdict.target_system)
        if key in self.validating:
            return
        self.validating.add(key)
        self.changed()
        self.show()
        self.ask_hmc(detail.located, detail.verdict.target_system)

    def validation_done(self, key: str, target: str, result: object) -> None:
        self.validating.discard((key, target))
        self.validations[(key, target)] = result
        self.changed()
        self.show()
