"""The selected partition: its target, mobility kind, every check inline, and the HMC's view.

Rendered with Rich (a two-column grid gives each check's reason and fix a hanging indent) in
colours looked up from the theme through the Palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from lpmtui.common.visible import visible
from lpmtui.eligibility import Verdict
from lpmtui.eligibility.checks import Agreement, AgreementKind, Check, CheckStatus
from lpmtui.model import FrameSnapshot, ValidationResult
from lpmtui.ui.palette import Palette
from lpmtui.ui.rows import Located
from lpmtui.ui.widgets.frame_summary import render_frame_summary

_ICONS = {
    CheckStatus.PASS: ("✓", "ok"),
    CheckStatus.WARN: ("!", "warn"),
    CheckStatus.FAIL: ("✗", "fail"),
    CheckStatus.UNKNOWN: ("?", "warn"),
}
# Failures first: the admin should read why a move is impossible before what is fine.
_ORDER = {CheckStatus.FAIL: 0, CheckStatus.UNKNOWN: 1, CheckStatus.WARN: 2, CheckStatus.PASS: 3}
_AGREEMENT = {
    AgreementKind.AGREE: ("HMC agrees", "ok"),
    AgreementKind.HMC_ONLY: ("HMC objects", "fail"),
    AgreementKind.LOCAL_ONLY: ("HMC does not object", "warn"),
    AgreementKind.UNKNOWN: ("HMC decides", "muted"),
}
EMPTY = "Select a partition to see its checks."


@dataclass(frozen=True, slots=True)
class DetailView:
    """Everything the pane shows for one partition."""

    located: Located
    verdict: Verdict | None  # for the chosen (or best) target
    ranked: tuple[Verdict, ...]
    chosen_target: str | None  # None: the best-ranked target is shown
    validation: ValidationResult | None = None
    agreements: tuple[Agreement, ...] = ()
    validating: bool = False


def detail_key(view: DetailView | None) -> tuple | None:
    """What ``render_detail`` reads of ``view``, by value: a poll that changes other frames
    makes new Verdict and Located objects that show the same (at 5,000 partitions with 1%
    changing each poll, re-rendering the same checks was a whole-screen layout every poll)."""
    if view is None:
        return None
    v, loc = view.verdict, view.located
    verdict = None
    if v is not None:
        error = getattr(v, "error", "")
        verdict = (v.target_system, error)
        if not error:
            verdict += (v.status, v.fails, v.warns, v.unknowns, v.kind, v.kind_reason, v.checks)
    targets = tuple(r.target_system for r in view.ranked)
    return (
        loc.partition,
        loc.hmc,
        verdict,
        targets,
        view.chosen_target,
        view.validation,
        view.agreements,
        view.validating,
    )


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def render_detail(view: DetailView, palette: Palette) -> RenderableType:
    p = view.located.partition
    head = Text.assemble(
        (visible(p.name), "bold"),
        visible(f" (id {p.lpar_id}) on {p.system} via {view.located.hmc} · "),
        visible(p.state or "state unknown"),
    )
    verdict = view.verdict
    if verdict is None:
        return Group(head, Text("No other frame in the fleet to move to.", palette.warn))
    error = getattr(verdict, "error", "")
    if error:
        return Group(
            head,
            Text.assemble(
                ("The rules could not judge a move to ", palette.fail),
                visible(verdict.target_system),
                (": ", palette.fail),
                visible(error),
            ),
        )
    rank = next(
        (i for i, v in enumerate(view.ranked, 1) if v.target_system == verdict.target_system), None
    )
    # "chosen" only when the target shown is the one picked: a picked frame the partition
    # already runs on is not a target, and the best one is shown instead (and says so).
    picked_elsewhere = view.chosen_target not in (None, verdict.target_system)
    how = "best" if view.chosen_target is None or picked_elsewhere else "chosen"
    place = f"{_ordinal(rank)} of {len(view.ranked)}" if rank else "not ranked"
    status = CheckStatus(verdict.status)
    icon, style = _ICONS[status]
    target = Text.assemble(
        "Target ",
        (visible(verdict.target_system), "bold"),
        f" ({how}, {place})  ",
        (f"{icon} {status.value}", getattr(palette, style)),
        f" · {verdict.fails} fail · {verdict.unknowns} unknown · {verdict.warns} warn",
        # Blind checks ('?' below) are not counted as unknown: say they are the HMC's to decide.
        f" · {blind} left to the HMC's validation" if (blind := len(verdict.left_to_hmc)) else "",
        ("   t: change target", palette.muted),
    )
    kind = Text.assemble(
        "Mobility: ",
        (verdict.kind or "not possible", "bold"),
        visible(f" — {verdict.kind_reason}") if verdict.kind_reason else "",
    )
    parts: list[RenderableType] = [head, target]
    if picked_elsewhere:
        parts.append(
            Text.assemble(
                ("Picked target ", palette.warn),
                (visible(view.chosen_target), "bold"),
                (visible(f" is {p.name}'s own frame"), palette.warn),
                visible(f": the best other target, {verdict.target_system}, is shown"),
            )
        )
    parts += [kind, _validation_line(view, palette)]
    parts.append(_checks_grid(view, verdict, palette))
    for agreement in view.agreements:
        if not agreement.rule_id:
            for message in agreement.hmc:
                parts.append(Text.assemble(("HMC only: ", palette.fail), visible(message)))
    return Group(*parts)


def _checks_grid(view: DetailView, verdict: Verdict, palette: Palette) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    agreements = {a.rule_id: a for a in view.agreements}
    for check in sorted(verdict.checks, key=lambda c: _ORDER[CheckStatus(c.status)]):
        status = CheckStatus(check.status)
        icon, style = _ICONS[status]
        body = Text(check.title, style="bold" if status is not CheckStatus.PASS else "")
        agreement = agreements.get(check.rule_id)
        if agreement is not None:
            words, agree_style = _AGREEMENT[agreement.kind]
            body.append(f"  ⟨{words}⟩", getattr(palette, agree_style))
        if check.reason:
            body.append("\n")
            body.append(visible(check.reason), palette.muted if status is CheckStatus.PASS else "")
        if check.fix and status is not CheckStatus.PASS:
            body.append("\n")
            body.append("fix: ", palette.accent)
            body.append(visible(check.fix))
        if agreement is not None:
            for message in agreement.hmc:
                body.append("\n")
                body.append(visible(f"HMC: {message}"), palette.muted)
        grid.add_row(Text(icon, getattr(palette, style)), body)
    return grid


def _validation_line(view: DetailView, palette: Palette) -> Text:
    if view.validating:
        return Text.assemble("HMC validation: ", ("running migrlpar -o v…", palette.accent))
    result = view.validation
    if result is None:
        return Text.assemble("HMC validation: ", ("not run (v: validate)", palette.muted))
    line = Text(visible(f"HMC validation → {result.target}: "))
    if result.ok:
        line.append("passed", palette.ok)
    elif result.rc is None:
        line.append("no answer (connection lost)", palette.warn)
    else:
        line.append("failed", palette.fail)
        line.append(
            f" rc {result.rc}, {len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        )
    return line


def render_ranking(located: Located, palette: Palette) -> RenderableType:
    """A partition just selected whose targets are being ranked (after the table is on
    screen): its name, and no checks yet rather than another partition's."""
    p = located.partition
    head = Text.assemble(
        (visible(p.name), "bold"), visible(f" (id {p.lpar_id}) on {p.system} via {located.hmc}")
    )
    return Group(head, Text("Target … (ranking the targets)", palette.muted))


def render_frame_notice(frame: str, check: Check, palette: Palette) -> RenderableType:
    """A frame that is not Operating: one clear check for the whole frame instead of an empty
    table (the HMC lists no partitions for it, and nothing can move off it). Also a selected
    HMC that is not connected (``hmc.connection``): its whole last error."""
    status = CheckStatus(check.status)
    icon, style = _ICONS[status]
    body = Text.assemble((check.title, "bold"), "\n", visible(check.reason))
    if check.fix:
        body.append("\n")
        body.append("fix: ", palette.accent)
        body.append(visible(check.fix))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(icon, getattr(palette, style)), body)
    what = (
        " · not connected: no partitions are listed from this console"
        if check.rule_id == "hmc.connection"
        else " · no partition can migrate from this frame"
    )
    head = Text.assemble((visible(frame), "bold"), (what, ""))
    return Group(head, Text(""), grid)


class DetailPane(VerticalScroll):
    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        scrollbar-gutter: stable;  /* a short text then long checks: one layout, not two */
        & > Static { width: 1fr; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.palette = Palette.from_variables({})
        self.view: DetailView | None = None
        self.frame_notice: tuple[str, Check] | None = None
        self.frame: tuple[str, FrameSnapshot] | None = None
        self.ranking: Located | None = None
        self._shown: tuple | None = None

    def compose(self):
        yield Static(Text(EMPTY, self.palette.muted), id="detail-body")

    def show(
        self,
        view: DetailView | None,
        frame_notice: tuple[str, Check] | None = None,
        frame: tuple[str, FrameSnapshot] | None = None,
        *,
        ranking: Located | None = None,
    ) -> None:
        """A frame chosen in the tree ((hmc, frame)); else the partition's checks (or, while
        they are ranked, ``ranking``: the partition alone); with no partition, why a selected
        frame has none (if it is not Operating), else a hint."""
        shown = (detail_key(view), frame_notice, frame, ranking, self.palette)
        if shown == self._shown:
            return  # the same checks: repainting them would only re-send the same bytes
        self._shown = shown
        self.view, self.frame_notice, self.frame = view, frame_notice, frame
        self.ranking = ranking
        body = self.query_one("#detail-body", Static)
        if ranking is not None:
            body.update(render_ranking(ranking, self.palette))
        elif frame is not None:
            body.update(render_frame_summary(*frame, self.palette))
        elif view is not None:
            body.update(render_detail(view, self.palette))
        elif frame_notice is not None:
            body.update(render_frame_notice(*frame_notice, self.palette))
        else:
            body.update(Text(EMPTY, self.palette.muted))

    def restyle(self, palette: Palette) -> None:
        self.palette = palette
        if self.is_mounted:
            self.show(self.view, self.frame_notice, self.frame, ranking=self.ranking)
