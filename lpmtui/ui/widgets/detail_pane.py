"""The selected partition: its target, mobility kind, every check inline, and the HMC's view."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from lpmtui.eligibility import Verdict
from lpmtui.eligibility.checks import Agreement, AgreementKind, CheckStatus
from lpmtui.model import ValidationResult
from lpmtui.ui.rows import Located

_ICONS = {
    CheckStatus.PASS: ("✓", "$success"),
    CheckStatus.WARN: ("!", "$warning"),
    CheckStatus.FAIL: ("✗", "$error"),
    CheckStatus.UNKNOWN: ("?", "$foreground-muted"),
}
_ORDER = {CheckStatus.FAIL: 0, CheckStatus.UNKNOWN: 1, CheckStatus.WARN: 2, CheckStatus.PASS: 3}
_AGREEMENT = {
    AgreementKind.AGREE: ("HMC agrees", "$success"),
    AgreementKind.HMC_ONLY: ("HMC objects", "$error"),
    AgreementKind.LOCAL_ONLY: ("HMC does not object", "$warning"),
    AgreementKind.UNKNOWN: ("HMC decides", "$foreground-muted"),
}


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


def _status_content(status: CheckStatus, words: str) -> Content:
    icon, style = _ICONS[status]
    return Content.from_markup(f"[{style}]$icon $words[/]", icon=icon, words=words)


def render_detail(view: DetailView) -> Content:
    p = view.located.partition
    lines: list[Content] = [
        Content.from_markup(
            "[b]$name[/b] (id $id) on $frame via $hmc · $state",
            name=p.name,
            id=str(p.lpar_id),
            frame=p.system,
            hmc=view.located.hmc,
            state=p.state or "state unknown",
        )
    ]
    verdict = view.verdict
    if verdict is None:
        lines.append(Content.from_markup("[$warning]No other frame in the fleet to move to.[/]"))
        return Content("\n").join(lines)
    rank = next(
        (i for i, v in enumerate(view.ranked, 1) if v.target_system == verdict.target_system), None
    )
    how = "chosen" if view.chosen_target else "best"
    rank_note = f"ranked {rank} of {len(view.ranked)}" if rank else "not ranked"
    summary = (
        f"{CheckStatus(verdict.status).value} · {verdict.fails} fail · "
        f"{verdict.unknowns} unknown · {verdict.warns} warn"
    )
    lines.append(
        Content.assemble(
            Content.from_markup(
                "Target [b]$t[/b] ($how, $rank): ", t=verdict.target_system, how=how, rank=rank_note
            ),
            _status_content(CheckStatus(verdict.status), summary),
            Content.from_markup("  [dim]t: change[/dim]"),
        )
    )
    kind = verdict.kind or "not possible"
    lines.append(
        Content.from_markup(
            "Mobility: [b]$kind[/b] — $why", kind=kind, why=verdict.kind_reason or "no reason given"
        )
    )
    lines.append(_validation_line(view))
    agreements = {a.rule_id: a for a in view.agreements}
    # Failures first: the admin should read why a move is impossible before what is fine.
    for check in sorted(verdict.checks, key=lambda c: _ORDER[CheckStatus(c.status)]):
        row = [_status_content(CheckStatus(check.status), f"{check.title}")]
        agreement = agreements.get(check.rule_id)
        if agreement is not None:
            words, style = _AGREEMENT[agreement.kind]
            row.append(Content.from_markup(f"  [{style}]⟨$w⟩[/]", w=words))
        lines.append(Content.assemble(*row))
        if check.reason:
            lines.append(Content.from_markup("    $reason", reason=check.reason))
        if check.fix and check.status is not CheckStatus.PASS:
            lines.append(Content.from_markup("    [$accent]fix:[/] $fix", fix=check.fix))
        if agreement is not None and agreement.hmc:
            for message in agreement.hmc:
                lines.append(Content.from_markup("    [dim]HMC: $m[/dim]", m=message))
    unmapped = [a for a in view.agreements if not a.rule_id]
    for agreement in unmapped:
        for message in agreement.hmc:
            lines.append(Content.from_markup("[$error]HMC only:[/] $m", m=message))
    return Content("\n").join(lines)


def _validation_line(view: DetailView) -> Content:
    if view.validating:
        return Content.from_markup("HMC validation: [$accent]running migrlpar -o v…[/]")
    result = view.validation
    if result is None:
        return Content.from_markup("HMC validation: [dim]not run (v: validate)[/dim]")
    if result.ok:
        verdict = Content.from_markup("[$success]passed[/]")
    elif result.rc is None:
        verdict = Content.from_markup("[$warning]no answer (connection lost)[/]")
    else:
        verdict = Content.from_markup(
            "[$error]failed[/] rc $rc, $n error(s), $w warning(s)",
            rc=str(result.rc),
            n=str(len(result.errors)),
            w=str(len(result.warnings)),
        )
    return Content.assemble(Content.from_markup("HMC validation → $t: ", t=result.target), verdict)


class DetailPane(VerticalScroll):
    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        & > Static { width: 1fr; }
    }
    """

    def compose(self):
        yield Static(
            Content.from_markup("[dim]Select a partition to see its checks.[/dim]"),
            id="detail-body",
        )

    def show(self, view: DetailView | None) -> None:
        body = self.query_one("#detail-body", Static)
        if view is None:
            body.update(Content.from_markup("[dim]Select a partition to see its checks.[/dim]"))
        else:
            body.update(render_detail(view))
