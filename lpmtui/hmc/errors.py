"""HMC failures as typed errors, the HMC's own text kept verbatim.

The HMC writes its errors to stdout (not stderr) and exits 1: ``HSCL8012 The partition named X
was not found.``, nested ids on V10 (``HSCL127D: HSCL1288 logical port ...``), a few id-less
messages (missing parameter, invalid attribute, also in the user's locale), and the restricted
shell's own ``/bin/bash: X: command not found``. ``error_from`` classifies; ``check`` raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lpmtui.hmc import messages as ids
from lpmtui.hmc.runner import CommandResult

# A message id (hmc.messages.ID_PATTERN); V10 nests a second id after a colon.
_ID = ids.ID_PATTERN
_LEADING_IDS = re.compile(rf"^\s*({_ID})(?::?\s+({_ID}))?")
_ATTRIBUTE = re.compile(
    r"(?:invalid attribute is|Niepoprawnym atrybutem jest)\s+(\S+?)\.?(?:\s|$)", re.IGNORECASE
)
_COMMAND_NOT_FOUND = re.compile(r"^(?:/bin/)?(?:ba)?sh: (.+?): command not found", re.MULTILINE)


class HmcError(Exception):
    """A command the HMC refused. ``str()`` is the HMC's text, verbatim (first line if long)."""

    def __init__(
        self,
        text: str,
        *,
        ids: Sequence[str] = (),
        rc: int | None = None,
        argv: Sequence[str] = (),
    ) -> None:
        self.text = text
        self.ids = tuple(ids)
        self.rc = rc
        self.argv = tuple(argv)
        super().__init__(self.summary)

    @property
    def id(self) -> str:
        """The outermost message id, or "" for an id-less message."""
        return self.ids[0] if self.ids else ""

    @property
    def summary(self) -> str:
        """One line for a status bar: the first non-empty line of the HMC's text."""
        for line in self.text.splitlines():
            if line.strip():
                return line.strip()
        return f"exit status {self.rc} without a message" if self.rc is not None else ""


class OutcomeUnknownError(HmcError):
    """The connection was lost mid-command: it may or may not have run (never success)."""


class MissingParameterError(HmcError):
    """ "The command entered is either missing a required parameter or ... is invalid." """


class InvalidAttributeError(HmcError):
    """An ``-F``/``-i`` attribute this HMC level does not know; ``attribute`` names it."""

    @property
    def attribute(self) -> str:
        m = _ATTRIBUTE.search(self.text)
        return m.group(1) if m else ""


class CommandNotFoundError(HmcError):
    """The restricted shell has no such command (``/bin/bash: X: command not found``)."""

    @property
    def command(self) -> str:
        m = _COMMAND_NOT_FOUND.search(self.text)
        return m.group(1) if m else ""


class AccountLockedError(HmcError):
    """``The account is locked due to 3 failed logins.``: retrying only prolongs the lock."""


class PermissionDeniedError(HmcError):
    """HSCL350B: the user's task role does not allow this command."""


class NotFoundError(HmcError):
    """HSCL8012: the partition (or other object) named is not on that system."""


class NotOperatingError(HmcError):
    """HSCL0238 (and the Standby variant): the managed system is not in a usable state."""


class RemoteTrustError(HmcError):
    """HSCL3653: SSH keys between this HMC and the remote HMC are not set up (mkauthkeys)."""


class UnsupportedError(HmcError):
    """The managed system does not support what was asked (HSCLA4C0 virtual FC, HSCL8022)."""


_BY_ID: dict[str, type[HmcError]] = {
    ids.PERMISSION_DENIED: PermissionDeniedError,
    ids.LPAR_NOT_FOUND: NotFoundError,
    ids.NOT_OPERATING: NotOperatingError,
    ids.NO_TRUST: RemoteTrustError,
    ids.VFC_UNSUPPORTED: UnsupportedError,
    ids.UNSUPPORTED: UnsupportedError,
}

# Id-less messages, matched by their English text (and the Polish one evidenced in a capture).
_BY_TEXT: tuple[tuple[re.Pattern[str], type[HmcError]], ...] = (
    (re.compile(r"is either missing a required parameter", re.IGNORECASE), MissingParameterError),
    (
        re.compile(r"invalid attribute|niepoprawny atrybut", re.IGNORECASE),
        InvalidAttributeError,
    ),
    (_COMMAND_NOT_FOUND, CommandNotFoundError),
    (re.compile(r"account is locked", re.IGNORECASE), AccountLockedError),
    (re.compile(r"only allowed when the managed system is in the"), NotOperatingError),
    (re.compile(r"does not have the appropriate authority"), PermissionDeniedError),
)


def message_ids(text: str) -> tuple[str, ...]:
    """The ids a message starts with: ``("HSCL127D", "HSCL1288")`` for a nested V10 error."""
    m = _LEADING_IDS.match(text)
    if not m:
        return ()
    return tuple(i for i in m.groups() if i)


def classify(text: str, *, rc: int | None = None, argv: Sequence[str] = ()) -> HmcError:
    """The typed error for a failure message (a plain HmcError when it is not recognised)."""
    body = text.strip("\n")
    ids = message_ids(body)
    for mid in ids:
        if mid in _BY_ID:
            return _BY_ID[mid](body, ids=ids, rc=rc, argv=argv)
    for pattern, cls in _BY_TEXT:
        if pattern.search(body):
            return cls(body, ids=ids, rc=rc, argv=argv)
    return HmcError(body, ids=ids, rc=rc, argv=argv)


def _looks_like_error(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if message_ids(stripped):
        return True
    return any(p.search(stripped) for p, _ in _BY_TEXT)


def error_from(result_or_stdout: CommandResult | str, rc: int | None = None) -> HmcError | None:
    """The HMC error a command's outcome carries, or None when it succeeded.

    With a CommandResult: rc 0 is success, rc None is an unknown outcome (connection lost),
    any other rc is a failure whose stdout (then stderr) holds the HMC's text.
    With bare text: ``rc`` is used when given; without it, the text alone decides (an HMC
    message id or a known id-less message means failure).
    """
    if isinstance(result_or_stdout, CommandResult):
        result = result_or_stdout
        if result.rc == 0:
            return None
        text = result.stdout if result.stdout.strip() else result.stderr
        if result.rc is None:
            reason = text.strip() or "the connection was lost while the command ran"
            return OutcomeUnknownError(reason, argv=result.argv)
        return classify(text, rc=result.rc, argv=result.argv)
    text = result_or_stdout
    if rc == 0:
        return None
    if rc is None:
        return classify(text) if _looks_like_error(text) else None
    return classify(text, rc=rc)


def check(result: CommandResult) -> str:
    """The command's stdout when it succeeded; raise its HmcError otherwise."""
    error = error_from(result)
    if error is not None:
        raise error
    return result.stdout
