"""The transport's Prompter, answered by modal screens (one prompt at a time)."""

from __future__ import annotations

import asyncio
from typing import Any

from lpmtui.ui.screens.prompts import HostKeyScreen, SecretScreen


class ScreenPrompter:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._one_at_a_time = asyncio.Lock()

    async def _ask(self, screen: Any) -> Any:
        async with self._one_at_a_time:
            answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

            def settle(result: Any) -> None:
                if not answer.done():
                    answer.set_result(result)

            self.app.push_screen(screen, callback=settle)
            return await answer

    async def confirm_host_key(self, info: Any) -> bool:
        return bool(await self._ask(HostKeyScreen(info)))

    async def ask_password(self, label: str) -> str | None:
        return await self._ask(SecretScreen("Password", f"Password for {label} (not stored):"))

    async def ask_passphrase(self, path: str) -> str | None:
        return await self._ask(SecretScreen("Key passphrase", f"Passphrase for {path}:"))
