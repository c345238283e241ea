"""``m``: migrate a partition. Target, kind, MSPs, pool, ids, remote HMC, adapter mappings;
the HMC validates first, then the exact command is shown and the partition's name must be
typed. Cancel has the focus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from lpmtui.common.visible import visible
from lpmtui.eligibility import Verdict
from lpmtui.migration.choices import Choices, Remote, fetch_choices, remote_for
from lpmtui.migration.types import MigrationRequest
from lpmtui.model import FleetSnapshot, ValidationResult
from lpmtui.ui.rows import Located
from lpmtui.ui.screens.target_picker import option_label

AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Confirmed:
    request: MigrationRequest
    typed_name: str


class MigrateDialog(ModalScreen[Confirmed | None]):
    CSS_PATH = Path(__file__).with_name(
        "migrate_dialog.tcss"
    )  # absolute: subclasses live elsewhere
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="migrate.cancel")]

    def __init__(
        self,
        located: Located,
        ranked: list[Verdict],
        target: str | None,
        snapshot: FleetSnapshot,
        manager: Any,
        fleet: Any,
    ) -> None:
        super().__init__()
        self.located = located
        self.ranked = {v.target_system: v for v in ranked}
        self.target = (
            target if target in self.ranked else (ranked[0].target_system if ranked else "")
        )
        self.snapshot = snapshot
        self.manager = manager
        self.fleet = fleet
        self.choices = Choices()
        self.validation: ValidationResult | None = None
        self.validated_request: MigrationRequest | None = None

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.located.partition
        with Vertical(id="dialog") as box:
            box.border_title = f"Migrate {visible(p.name)}"
            with VerticalScroll(id="form"):
                yield Static(
                    Content.from_markup(
                        "[b]$name[/b] (id $id) on [b]$src[/b] via $hmc · $state",
                        name=visible(p.name),
                        id=str(p.lpar_id),
                        src=visible(p.system),
                        hmc=self.located.hmc,
                        state=p.state,
                    )
                )
                yield Label("Target frame (ranked, best first)")
                yield Select(
                    [(option_label(v), name) for name, v in self.ranked.items()],
                    value=self.target or Select.BLANK,
                    allow_blank=False,
                    id="target",
                )
                yield Static(id="kind")
                with Horizontal(classes="pair"):
                    with Vertical():
                        yield Label("MSP pair")
                        yield Select([], prompt="HMC chooses", id="msp")
                    with Vertical():
                        yield Label("Shared processor pool on the target")
                        yield Select([], prompt="HMC chooses", id="pool")
                with Horizontal(classes="pair"):
                    with Vertical():
                        yield Label("Destination partition id (optional)")
                        yield Input(placeholder="HMC chooses", id="dest-id", type="integer")
                    with Vertical():
                        yield Label("Profile name on the target (optional)")
                        yield Input(placeholder="current profile", id="profile")
                with Vertical(id="remote-box"):
                    yield Static(id="remote")
                    yield Label("Remote HMC user")
                    yield Input(value="hscroot", id="remote-user")
                yield Checkbox("Use the HMC's suggested adapter mappings", id="use-mappings")
                yield Static(id="mappings")
                yield Static(id="validation")
                yield Static(id="command")
                yield Label("Type the partition's name to confirm")
                yield Input(placeholder=p.name, id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button("Migrate", id="migrate", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._target_changed()

    # -- request ---------------------------------------------------------------------------

    @property
    def verdict(self) -> Verdict | None:
        return self.ranked.get(self.target)

    @property
    def remote(self) -> Remote | None:
        verdict = self.verdict
        if verdict is None:
            return None
        return remote_for(self.snapshot, self.located.hmc, verdict.target_hmc)

    def request(self) -> MigrationRequest:
        p = self.located.partition
        msp = self.query_one("#msp", Select).value
        pool = self.query_one("#pool", Select).value
        dest = self.query_one("#dest-id", Input).value.strip()
        remote = self.remote
        source_msp = dest_msp = None
        if isinstance(msp, str) and msp != AUTO and msp is not Select.BLANK:
            source_msp, dest_msp = (part.split(":", 1) for part in msp.split("|", 1))
        mappings = (
            self.choices.mappings if self.query_one("#use-mappings", Checkbox).value else None
        )
        return MigrationRequest(
            partition=p.name,
            source=p.system,
            target=self.target,
            lpar_id=p.lpar_id,
            kind=self.verdict.kind if self.verdict else None,
            dest_lpar_id=int(dest) if dest.isdigit() else None,
            profile_name=self.query_one("#profile", Input).value.strip(),
            source_msp_name=source_msp[1] if source_msp else "",
            source_msp_id=int(source_msp[0]) if source_msp else None,
            dest_msp_name=dest_msp[1] if dest_msp else "",
            dest_msp_id=int(dest_msp[0]) if dest_msp else None,
            shared_proc_pool_name=pool if isinstance(pool, str) and pool != AUTO else "",
            virtual_scsi_mappings=mappings.suggested_scsi if mappings else (),
            virtual_fc_mappings=mappings.suggested_fc if mappings else (),
            remote_hmc=remote.address if remote else "",
            remote_user=self.query_one("#remote-user", Input).value.strip() if remote else "",
        )

    # -- reacting to the form ---------------------------------------------------------------

    @on(Select.Changed, "#target")
    def _target_selected(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.target:
            self.target = event.value
            self._target_changed()

    def _target_changed(self) -> None:
        verdict = self.verdict
        kind = self.query_one("#kind", Static)
        if verdict is None:
            kind.update(Content.from_markup("[$error]No target frame in the fleet.[/]"))
            return
        kind.update(
            Content.from_markup(
                "Mobility: [b]$k[/b] — $why",
                k=verdict.kind or "not possible",
                why=verdict.kind_reason or "",
            )
        )
        remote = self.remote
        box = self.query_one("#remote-box")
        box.display = remote is not None
        if remote is not None:
            user = self.query_one("#remote-user", Input).value or "hscroot"
            trust = {
                True: "[$success]trusted[/]",
                False: "[$error]NOT trusted[/]",
                None: "[$warning]trust not checked[/]",
            }[remote.trusted]
            text = Content.from_markup(
                f"Target managed by [b]$hmc[/b] ($addr): {trust}",
                hmc=remote.hmc,
                addr=remote.address,
            )
            if remote.trusted is not True:
                text = Content.assemble(
                    text,
                    Content.from_markup(
                        "\nSet up trust on $src first: [b]$cmd[/b]",
                        src=self.located.hmc,
                        cmd=remote.setup_command(user),
                    ),
                )
            self.query_one("#remote", Static).update(text)
        self._fetch_choices()

    @work(exclusive=True, group="migrate-choices", exit_on_error=False)
    async def _fetch_choices(self) -> None:
        self.query_one("#validation", Static).update(
            Content.from_markup("[dim]asking the HMC for MSPs, pools and mappings…[/dim]")
        )
        p = self.located.partition
        choices = Choices(problems=("no connection to the source HMC",))
        link = self.fleet.link_for_system(p.system) if self.fleet is not None else None
        if link is not None and self.target:
            user = self.query_one("#remote-user", Input).value.strip() or "hscroot"
            try:
                choices = await fetch_choices(
                    link, p.system, self.target, p.lpar_id, self.remote, user
                )
            except Exception as error:  # a dropped link: say so, keep the dialog usable
                choices = Choices(problems=(f"could not ask {self.located.hmc}: {error}",))
        self.choices = choices
        msp_options = [("HMC chooses", AUTO)] + [
            (
                Content(f"{pair.source_msp_name} → {dest}"),  # HMC names: never markup
                f"{pair.source_msp_id}:{pair.source_msp_name}|{dest_id}:{dest}",
            )
            for pair in choices.msp_pairs
            for dest, dest_id in zip(pair.dest_msp_names, pair.dest_msp_ids, strict=False)
        ]
        self.query_one("#msp", Select).set_options(msp_options)
        self.query_one("#pool", Select).set_options(
            [("HMC chooses", AUTO)]
            + [(Content(f"{pool.name} (id {pool.id})"), pool.name) for pool in choices.pools]
        )
        mappings = choices.mappings
        lines = []
        if mappings is not None:
            lines += [
                f"vSCSI suggested: {', '.join(mappings.suggested_scsi) or 'none'}",
                f"vFC suggested: {', '.join(mappings.suggested_fc) or 'none'}",
            ]
        lines += [f"⚠ {problem}" for problem in choices.problems]
        self.query_one("#mappings", Static).update(Content("\n".join(lines)))
        self._validate()

    @on(Select.Changed, "#msp, #pool")
    @on(Checkbox.Changed)
    @on(Input.Submitted, "#dest-id, #profile, #remote-user")
    def _options_changed(self) -> None:
        if self.validated_request is not None and self.request() != self.validated_request:
            self._validate()

    @work(exclusive=True, group="migrate-validate", exit_on_error=False)
    async def _validate(self) -> None:
        if self.verdict is None:
            return
        request = self.request()
        self.validated_request = None
        self._refresh_confirm()
        self.query_one("#validation", Static).update(
            Content.from_markup("HMC validation: [$accent]running migrlpar -o v…[/]")
        )
        self.query_one("#command", Static).update(
            Content.from_markup("Command: [b]$c[/b]", c=visible(self.manager.command_line(request)))
        )
        try:
            result = await self.manager.validate(request)
        except Exception as error:
            self.query_one("#validation", Static).update(
                Content.from_markup("HMC validation: [$error]could not run[/] — $e", e=str(error))
            )
            return
        self.validation, self.validated_request = result, request
        self.query_one("#validation", Static).update(validation_content(result))
        self._refresh_confirm()
        if result.ok:
            self.query_one("#confirm", Input).focus()  # the next step: type the name

    @on(Input.Changed, "#confirm")
    def _refresh_confirm(self) -> None:
        typed = self.query_one("#confirm", Input).value
        ready = (
            self.validation is not None
            and self.validation.ok
            and self.validated_request is not None
            and typed == self.located.partition.name
        )
        self.query_one("#migrate", Button).disabled = not ready

    @on(Button.Pressed, "#migrate")
    @on(Input.Submitted, "#confirm")
    def _migrate(self) -> None:
        if self.query_one("#migrate", Button).disabled:
            return
        if self.validated_request is None or self.request() != self.validated_request:
            self._validate()
            return
        self.dismiss(Confirmed(self.validated_request, self.query_one("#confirm", Input).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def validation_content(result: ValidationResult) -> Content:
    if result.ok:
        head = Content.from_markup("HMC validation: [b $success]passed[/]")
    elif result.rc is None:
        head = Content.from_markup("HMC validation: [b $warning]no answer (connection lost)[/]")
    else:
        head = Content.from_markup(
            "HMC validation: [b $error]failed[/] (rc $rc)", rc=str(result.rc)
        )
    lines = [head]
    lines += [
        Content.from_markup("  [$error]✗[/] $id $t", id=m.id, t=m.text) for m in result.errors
    ]
    lines += [
        Content.from_markup("  [$warning]![/] $id $t", id=m.id, t=m.text) for m in result.warnings
    ]
    return Content("\n").join(lines)
