"""The simulated HMC's restricted shell: one command line in, (stdout, rc) out.

The line is split as bash would (POSIX shlex: quotes and backslashes), leading ``NAME=value``
environment assignments are accepted and ignored, and the command runs against the world.
Errors go to stdout with rc 1 as on a real HMC; unknown commands give bash's own message.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from lpmtui.sim import messages
from lpmtui.sim.commands import hw as commands_hw
from lpmtui.sim.commands import ls as commands_ls
from lpmtui.sim.commands import lslparmigr as commands_lslparmigr
from lpmtui.sim.commands import migr as commands_migr
from lpmtui.sim.commands import refcode as commands_refcode
from lpmtui.sim.commands.context import Command, CommandError, Context
from lpmtui.sim.world.state import World

_ENV_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ShellResult:
    stdout: str
    rc: int


def _commands() -> dict[str, Command]:
    table: dict[str, Command] = {}
    modules = (commands_ls, commands_hw, commands_migr, commands_lslparmigr, commands_refcode)
    for module in modules:
        table.update(module.COMMANDS)
    return table


class HmcShell:
    """One user's restricted shell on one simulated HMC."""

    _table: dict[str, Command] | None = None

    def __init__(self, world: World, hmc_name: str, user: str = "hscroot") -> None:
        if hmc_name not in world.hmcs:
            raise KeyError(f"no HMC named {hmc_name!r} in this world")
        self.world = world
        self.hmc_name = hmc_name
        self.user = user

    @classmethod
    def commands(cls) -> dict[str, Command]:
        if cls._table is None:
            cls._table = _commands()
        return cls._table

    async def run(self, command_line: str) -> ShellResult:
        try:
            argv = shlex.split(command_line, comments=False, posix=True)
        except ValueError:
            self.world.received[self.hmc_name].append((command_line,))
            return ShellResult(
                "/bin/bash: -c: line 1: unexpected EOF while looking for matching quote\n", 2
            )
        self.world.received[self.hmc_name].append(tuple(argv))
        while argv and _ENV_ASSIGNMENT.fullmatch(argv[0]):
            argv.pop(0)
        if not argv:
            return ShellResult("", 0)
        command = self.commands().get(argv[0])
        if command is None:
            return ShellResult(f"/bin/bash: {argv[0]}: command not found\n", 127)
        self.world.update()
        try:
            out = await command(Context(self.world, self.hmc_name, self.user, argv))
        except CommandError as exc:
            text = exc.text if exc.text.endswith("\n") else exc.text + "\n"
            return ShellResult(text, exc.rc)
        except Exception as exc:  # a simulator bug must not kill the SSH session
            return ShellResult(
                messages.text("INTERNAL", error=f"{type(exc).__name__}: {exc}") + "\n", 1
            )
        return ShellResult(out, 0)
