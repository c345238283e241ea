"""The one-line header: HMCs connected, frames, partitions, migrations, read-only, data age."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from lpmtui.model import ConnectionState, FleetSnapshot
from lpmtui.ui import format as fmt


@dataclass(frozen=True, slots=True)
class HeaderFacts:
    connected: int
    total: int
    frames: int
    partitions: int
    migrations: int
    age: float | None  # seconds since the oldest connected HMC's data; None = no data yet
    stale: tuple[str, ...]  # HMC names whose data is older than two poll intervals
    paused: bool
    read_only: bool
    title: str = "lpmtui"
    compact: bool = False  # 80-column terminals: shorter words
    evacuation: str = ""  # a running evacuation's few words (EvacuationProgress.short)

    @classmethod
    def of(
        cls,
        snapshot: FleetSnapshot,
        now: float,
        stale: tuple[str, ...],
        *,
        paused: bool,
        read_only: bool,
        migrations: int | None = None,
        title: str = "lpmtui",
    ) -> HeaderFacts:
        connected, total, frames, partitions, running, oldest = _counts(snapshot)
        return cls(
            connected=connected,
            total=total,
            frames=frames,
            partitions=partitions,
            migrations=running if migrations is None else migrations,
            age=now - oldest if oldest is not None else None,
            stale=stale,
            paused=paused,
            read_only=read_only,
            title=title,
        )

    def content(self) -> Content:
        hmc_style = "$success" if self.connected == self.total and self.total else "$warning"
        short = self.compact
        parts = [
            Content.from_markup("[b]$title[/b]", title="lpmtui" if short else self.title),
            # Second, so it is never the part a narrow terminal cuts off.
            *([Content.from_markup("[reverse $warning] PAUSED [/]")] if self.paused else []),
            Content.from_markup(
                f"HMCs [{hmc_style}]$c/$t[/]", c=str(self.connected), t=str(self.total)
            ),
            Content.from_markup("$w [b]$n[/b]", w="fr" if short else "frames", n=str(self.frames)),
            Content.from_markup(
                "$w [b]$n[/b]", w="lpars" if short else "partitions", n=str(self.partitions)
            ),
            Content.from_markup(
                "$w [b $accent]$n[/]" if self.migrations else "$w $n",
                w="migr" if short else "migrating",
                n=str(self.migrations),
            ),
        ]
        if self.evacuation:
            parts.append(Content.from_markup("[b $accent]$e[/]", e=self.evacuation))
        if self.stale:
            parts.append(
                Content.from_markup("[b $warning]STALE $names[/]", names=" ".join(self.stale))
            )
        if self.age is None:  # nothing has arrived yet: there is no age to show
            parts.append(Content("waiting" if short else "waiting for first data"))
        else:
            age = header_age(self.age)
            template = "[$warning]$age old[/]" if self.stale else "$age old"
            parts.append(Content.from_markup(template if short else f"data {template}", age=age))
        if self.read_only:
            parts.append(Content.from_markup("[reverse $error] READ-ONLY [/]"))
        return Content(" │ ").join(parts)


_counted: list = [None, None]  # the last snapshot counted, its counts
_running: dict[str, tuple] = {}  # frame name -> (frame, its migrating partitions' names)


def _counts(snapshot: FleetSnapshot) -> tuple:
    """(connected, HMCs, frames, partitions, migrating, oldest stamp) of a snapshot, counted
    once per snapshot: the header is shown every second, a snapshot arrives every poll."""
    if _counted[0] is snapshot:
        return _counted[1]
    frames = {f.system.name: f for h in snapshot.hmcs for f in h.frames}
    stamps = [h.taken_at for h in snapshot.hmcs if h.taken_at]
    # The HMC lists a migrating partition on its source and its target frame: count names.
    # An unchanged frame (the same object, poll to poll) keeps its names from the last count.
    names: set[str] = set()
    kept = {}
    for name, frame in frames.items():
        was = _running.get(name)
        if was is None or was[0] is not frame:
            was = (frame, [m.name for m in frame.migrations if m.migrating])
        kept[name] = was
        names.update(was[1])
    _running.clear()
    _running.update(kept)
    running = len(names)
    counts = (
        sum(1 for h in snapshot.hmcs if h.state is ConnectionState.CONNECTED),
        len(snapshot.hmcs),
        len(frames),
        sum(len(f.partitions) for f in frames.values()),
        running,
        min(stamps) if stamps else None,
    )
    _counted[:] = [snapshot, counts]
    return counts


def header_age(seconds: float) -> str:
    """The data's age in 10 s steps under a minute (``<10s``, ``20s``): fresh data polled every
    few seconds reads the same from one second to the next, so the header is not repainted
    every second for it; from a minute on (an HMC gone quiet) as ``fmt.age_label``."""
    if seconds >= 60:
        return fmt.age_label(seconds)
    step = int(max(0.0, seconds)) // 10 * 10
    return f"{step}s" if step else "<10s"


class StatusHeader(Static):
    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    _shown: tuple | None = None

    def show(self, facts: HeaderFacts) -> None:
        """Repaint only when the line changed (its text or its colours); its size never does,
        so no layout pass either."""
        content = facts.content()
        shown = (content.plain, tuple(content.spans))
        if shown != self._shown:
            self._shown = shown
            self.update(content, layout=False)
