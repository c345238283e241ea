"""The one redactor: how an HMC command may be shown, logged or audited without its secrets.

A secret is the argument after ``--passwd``/``--password`` (mkauthkeys; on the HMC ``-p`` is a
partition), the value of ``--passwd=…``, or a ``password=``/``passwd=`` value inside an
attribute list (``-i "a=1,password=x"``).
"""

from __future__ import annotations

from collections.abc import Sequence

from lpmtui.hmc.command_args import command_line

REDACTED = "******"  # as the console always showed it
PASSWORD_FLAGS = ("--passwd", "--password")
_SECRET_ATTRS = ("password", "passwd")


def _split_attributes(arg: str) -> list[tuple[str, str, str]]:
    return [piece.partition("=") for piece in arg.split(",")]


def _is_secret_attr(name: str) -> bool:
    return name.strip().lower().endswith(_SECRET_ATTRS)


def _walk(argv: Sequence[str]):
    """Yield (shown, secrets) for each argument."""
    hide = False
    for arg in argv:
        if hide:
            hide = False
            yield REDACTED, [arg]
            continue
        flag, eq, value = arg.partition("=")
        if flag in PASSWORD_FLAGS and eq:
            yield f"{flag}={REDACTED}", [value]
            continue
        if arg in PASSWORD_FLAGS:
            hide = True
            yield arg, []
            continue
        pieces = _split_attributes(arg)
        if any(sep and _is_secret_attr(name) for name, sep, _ in pieces):
            shown = ",".join(
                f"{name}={REDACTED}" if sep and _is_secret_attr(name) else name + sep + value
                for name, sep, value in pieces
            )
            yield shown, [v for n, s, v in pieces if s and _is_secret_attr(n)]
            continue
        yield arg, []


def redact_argv(argv: Sequence[str]) -> tuple[str, ...]:
    """argv as it may be shown or logged: every secret value replaced by ``REDACTED``."""
    return tuple(shown for shown, _ in _walk(argv))


def argv_secrets(argv: Sequence[str]) -> list[str]:
    """The secret values in argv (so they can be scrubbed from whatever the HMC answers)."""
    return [s for _, secrets in _walk(argv) for s in secrets if s]


def shown_command(argv: Sequence[str]) -> str:
    """The command line as sent, shell-quoted, with its secrets redacted."""
    return command_line(redact_argv(argv))
