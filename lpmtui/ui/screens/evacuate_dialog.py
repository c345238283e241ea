"""``e`` / ``H``: evacuate a frame, or bring its partitions home. The plan (what moves where,
the exact commands, what stays and why) is shown first; the frame's name must be typed to
start every move at once. The name field has the focus and sits below the scrolling plan, so it
is in view at 80×24 (Cancel has the focus when nothing can move); read-only shows the plan and
nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from lpmtui.common.visible import visible
from lpmtui.evacuation.plan import EVACUATE, EvacuationPlan
from lpmtui.evacuation.run import drop_refused, validation_line
from lpmtui.migration.types import MigrationRequest
from lpmtui.model import ValidationResult


@dataclass(frozen=True, slots=True)
class PlanConfirmed:
    plan: EvacuationPlan
    typed_name: str


def plan_content(
    plan: EvacuationPlan,
    command_line: Callable[[MigrationRequest], str],
    validations: Mapping[str, ValidationResult] | None = None,
) -> Content:
    """The plan as the dialog shows it: moves with their commands (and the HMC's validation
    once asked), then what stays."""
    validations = validations or {}
    parts: list[Content] = []
    if plan.moves:
        parts.append(
            Content.from_markup(
                "[b]Moves[/b] (queued in this order; they start as "
                "the frames' migration limits allow)"
            )
        )
    for m in plan.moves:
        parts.append(
            Content.from_markup(
                "  [b]$name[/b]  $kind · $mem GB · $proc u  →  [b]$target[/b] ($hmc)",
                name=visible(m.partition),
                kind=m.kind,
                mem=str(m.mem_mb // 1024),
                proc=f"{m.proc_units:g}",
                target=visible(m.target),
                hmc=m.target_hmc,
            )
        )
        for note in m.notes:
            parts.append(Content.from_markup("      [$warning]$note[/]", note=note))
        parts.append(
            Content.from_markup("      [dim]$ $cmd[/]", cmd=visible(command_line(m.request)))
        )
        result = validations.get(m.partition)
        if result is not None:
            style = "$success" if result.ok else "$error"
            parts.append(
                Content.from_markup(f"      [{style}]$line[/]", line=validation_line(result))
            )
    if plan.stays:
        parts.append(Content.from_markup("\n[b]Stays[/b] (nothing is sent for these)"))
    for s in plan.stays:
        parts.append(
            Content.from_markup("  [b]$name[/b]  [$error]$why[/]", name=s.partition, why=s.reason)
        )
    if not parts:
        parts.append(Content("No client partitions on this frame."))
    return Content("\n").join(parts)


class EvacuateDialog(ModalScreen[PlanConfirmed | None]):
    CSS_PATH = Path(__file__).with_name("evacuate_dialog.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="evacuate.cancel"),
        Binding("ctrl+r", "replan", "Re-plan", id="evacuate.replan"),
    ]

    def __init__(
        self,
        make_plan: Callable[[tuple[str, ...]], EvacuationPlan],
        command_line: Callable[[MigrationRequest], str],
        *,
        read_only: bool,
        validate: Callable[[EvacuationPlan], Awaitable[dict[str, ValidationResult]]] | None = None,
    ) -> None:
        """``make_plan(avoid)`` plans from the latest inventory, keeping off the frames named
        in ``avoid`` (an evacuation only); ``validate(plan)`` asks the HMC about every move."""
        super().__init__()
        self.make_plan = make_plan
        self.command_line = command_line
        self.read_only = read_only
        self.validate = validate
        self.validations: dict[str, ValidationResult] = {}
        self.validating = False
        self.avoid: tuple[str, ...] = ()
        self.plan = make_plan(self.avoid)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = self.plan.title
            with VerticalScroll(id="form"):
                if self.plan.action == EVACUATE:
                    yield Label("Frames to keep partitions off (comma-separated; enter re-plans)")
                    yield Input(placeholder="none", id="avoid")
                yield Static(id="summary")
                yield Static(id="plan")
                if self.read_only:
                    yield Static(
                        Content.from_markup(
                            "\n[b $error]read-only console:[/] the plan is shown; nothing can be "
                            "started"
                        )
                    )
            if not self.read_only:  # outside the scroll: always in view, however long the plan
                yield Label(id="confirm-label")
                yield Input(placeholder=self.plan.frame, id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button("Re-plan", id="replan")
                if self.validate is not None:
                    yield Button("Validate on HMC", id="validate")
                if not self.read_only:
                    yield Button("Start all", id="start", variant="error", disabled=True)

    def on_mount(self) -> None:
        self._show()
        typing = not self.read_only and bool(self.plan.moves)
        self.query_one("#confirm" if typing else "#cancel").focus()

    def _show(self) -> None:
        plan = self.plan
        one = len(plan.moves) == 1
        verb = ("leave" if plan.action == EVACUATE else "return") + ("s" if one else "")
        avoided = f" · keeping off {', '.join(self.avoid)}" if self.avoid else ""
        checked = ""
        if self.validating:
            checked = " · HMC validation running…"
        elif self.validations:
            ok = sum(r.ok for r in self.validations.values())
            refused = len(self.validations) - ok
            checked = f" · HMC validation: {ok} ok, {refused} refused" + (
                " (they stay)" if refused else ""
            )
        self.query_one("#summary", Static).update(
            Content.from_markup(
                "\n[b]$moves[/b] $partitions $verb, [b]$stays[/b] $stay"
                " · via $hmc$avoided$checked\n",
                moves=str(len(plan.moves)),
                partitions="partition" if one else "partitions",
                verb=verb,
                stays=str(len(plan.stays)),
                stay="stays" if len(plan.stays) == 1 else "stay",
                hmc=plan.hmc,
                avoided=avoided,
                checked=checked,
            )
        )
        self.query_one("#plan", Static).update(
            plan_content(plan, self.command_line, self.validations)
        )
        if not self.read_only:
            label = (
                f"Type the frame's name ({plan.frame}) to start "
                + ("its one migration" if one else f"all {len(plan.moves)} migrations")
                if plan.moves
                else "Nothing can move: each partition above says why (Re-plan once that is fixed)"
            )
            self.query_one("#confirm-label", Label).update(label)
            confirm = self.query_one("#confirm", Input)
            confirm.display = bool(plan.moves)
            if not plan.moves and confirm.has_focus:
                self.query_one("#cancel", Button).focus()
            self._refresh_confirm()

    def action_replan(self) -> None:
        if self.query("#avoid"):
            typed = self.query_one("#avoid", Input).value
            self.avoid = tuple(n.strip() for n in typed.split(",") if n.strip())
        self.plan = self.make_plan(self.avoid)
        self.validations = {}  # they were about the old plan
        self._show()
        self.notify("plan made again from the latest inventory", timeout=2, markup=False)

    @on(Button.Pressed, "#replan")
    @on(Input.Submitted, "#avoid")
    def _replan_pressed(self) -> None:
        self.action_replan()

    @on(Button.Pressed, "#validate")
    def _validate_pressed(self) -> None:
        if self.validate is None or self.validating or not self.plan.moves:
            return
        self.validating = True
        self.query_one("#validate", Button).disabled = True
        self._show()
        self._run_validation(self.plan)

    @work(group="evacuate-validate", exit_on_error=False)
    async def _run_validation(self, plan: EvacuationPlan) -> None:
        try:
            found = await self.validate(plan)
        except Exception as error:  # the dialog stays; the user can try again or start
            self.notify(f"HMC validation: {error}", severity="error", markup=False)
            found = {}
        finally:
            self.validating = False
            self.query_one("#validate", Button).disabled = False
        if plan is self.plan:  # not re-planned meanwhile: what the HMC refuses stays
            self.validations = found
            self.plan = drop_refused(plan, found)
        self._show()
        if not self.read_only and self.plan.moves:
            self.query_one("#confirm", Input).focus()  # the next step: type the name

    @on(Input.Changed, "#confirm")
    def _refresh_confirm(self) -> None:
        typed = self.query_one("#confirm", Input).value
        ready = bool(self.plan.moves) and typed == self.plan.frame
        self.query_one("#start", Button).disabled = not ready

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#confirm")
    def _start(self) -> None:
        if self.read_only or self.query_one("#start", Button).disabled:
            return
        self.dismiss(PlanConfirmed(self.plan, self.query_one("#confirm", Input).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
