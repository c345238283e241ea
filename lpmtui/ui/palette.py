"""Rich styles resolved from the current Textual theme's variables.

DataTable cells and Tree labels are Rich ``Text``, which cannot reference ``$error`` directly, so
the colours are looked up in ``app.theme_variables`` whenever the theme changes. No colour is
ever written as a literal.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color, ColorParseError
from rich.style import Style


@dataclass(frozen=True, slots=True)
class Palette:
    ok: Style
    warn: Style
    fail: Style
    muted: Style
    accent: Style
    stale: Style

    @classmethod
    def from_variables(cls, variables: dict[str, str]) -> Palette:
        def colour(name: str) -> Color | None:
            try:  # theme values may be Textual-only forms ("auto 60%", "#rrggbbaa")
                return Color.parse(variables.get(name, ""))
            except ColorParseError:
                return None

        return cls(
            ok=Style(color=colour("success")),
            warn=Style(color=colour("warning")),
            fail=Style(color=colour("error"), bold=True),
            muted=Style(color=colour("foreground"), dim=True),
            accent=Style(color=colour("primary"), bold=True),
            stale=Style(color=colour("warning"), italic=True),
        )

    def for_status(self, status: str) -> Style:
        """Style for a check/verdict status word: pass, warn, fail, unknown."""
        return {"pass": self.ok, "warn": self.warn, "fail": self.fail}.get(status, self.muted)
