"""The footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes itself (every key, repainted) each time a screen refreshes its
bindings; the dashboard does that with every migration update, so an unchanged footer was sent
to the terminal about once a second while a migration ran.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple:
    """What the footer would show for ``screen``: each binding's key, label and state."""
    return tuple(
        (binding.key, binding.description, binding.show, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
    )


class QuietFooter(Footer):
    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            keys = shown_keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
