"""Credentials for one SSH login, kept in memory only, and the Prompter the UI implements.

Passwords and decrypted keys live in this store for the session (so a reconnect needs no new
prompt) and nowhere else: not in config objects' repr, CommandEvents, logs or error text
(``scrub`` removes any known secret from a string before it leaves the transport).
"""

from __future__ import annotations

import asyncio
import hmac
import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import asyncssh

from lpmtui.config.model import AuthConfig
from lpmtui.hmc.redact import REDACTED, argv_secrets
from lpmtui.ssh.hostkeys import HostKeyInfo


class Prompter(Protocol):
    """What the transport may ask the user. Each returns None (or False) when refused."""

    async def confirm_host_key(self, info: HostKeyInfo) -> bool: ...

    async def ask_password(self, label: str) -> str | None: ...

    async def ask_passphrase(self, path: str) -> str | None: ...


class CredentialError(Exception):
    """No usable credential (nothing entered, env var gone, key unreadable). Never retried."""


@dataclass(slots=True)
class LoginAttempt:
    """The secrets one connect attempt used; committed to the store only when login succeeds."""

    key: tuple[str, str, int]
    password: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"LoginAttempt(key={self.key!r})"


class CredentialStore:
    def __init__(self, prompter: Prompter | None = None) -> None:
        self.prompter = prompter
        self._passwords: dict[tuple[str, str, int], str] = {}
        self._keys: dict[str, asyncssh.SSHKey] = {}
        self._secrets: set[str] = set()
        # Digests (keyed with a per-process random salt) of passwords a server refused: such a
        # password is never sent to that user@host:port again, whatever its source.
        self._refused: dict[tuple[str, str, int], set[bytes]] = {}
        self._salt = os.urandom(16)

    def __repr__(self) -> str:
        return f"CredentialStore({len(self._passwords)} passwords, {len(self._keys)} keys)"

    # -- scrubbing -----------------------------------------------------------------------------

    def _remember(self, secret: str) -> None:
        if len(secret) >= 3:
            self._secrets.add(secret)

    def remember_argv_secrets(self, argv: Sequence[str]) -> None:
        """Passwords passed to HMC commands (mkauthkeys --passwd) are masked like ours."""
        for secret in argv_secrets(argv):
            self._remember(secret)

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    # -- options for asyncssh.connect ----------------------------------------------------------

    def will_prompt(self, host: str, port: int, user: str, auth: AuthConfig) -> bool:
        """True when logging in would ask the user (so the host key is checked first)."""
        if auth.method == "key":
            return any(path not in self._keys for path in auth.key_files)
        return (
            auth.method == "password"
            and auth.password_source == "prompt"
            and (user, host, port) not in self._passwords
        )

    async def login_options(
        self, label: str, host: str, port: int, user: str, auth: AuthConfig
    ) -> tuple[dict, LoginAttempt]:
        """asyncssh.connect keyword arguments for one login, and the attempt to commit later.

        Secrets are obtained before connecting, so a slow prompt never eats the login timeout.
        """
        attempt = LoginAttempt((user, host, port))
        if auth.method == "password":
            password = await self._password(label, auth, attempt)
            self._remember(password)
            attempt.password = password
            # One method per login: no keys, no agent (each offered key counts at the HMC).
            return {
                "client_keys": None,
                "agent_path": None,
                "preferred_auth": "keyboard-interactive,password",
                "password": password,
            }, attempt
        if auth.method == "key":
            keys = [await self._load_key(path) for path in auth.key_files]
            return {
                "client_keys": keys,
                "agent_path": None,
                "preferred_auth": "publickey",
                "password": None,
            }, attempt
        sock = os.environ.get("SSH_AUTH_SOCK", "")
        if not sock:
            raise CredentialError("no ssh-agent: SSH_AUTH_SOCK is not set")
        return {
            "client_keys": None,
            "agent_path": sock,
            "preferred_auth": "publickey",
            "password": None,
        }, attempt

    def commit(self, attempt: LoginAttempt) -> None:
        if attempt.password is not None:
            self._passwords[attempt.key] = attempt.password
        attempt.password = None

    def forget(self, user: str, host: str, port: int) -> None:
        self._passwords.pop((user, host, port), None)

    def _digest(self, password: str) -> bytes:
        return hmac.new(self._salt, password.encode("utf-8", "surrogatepass"), "sha256").digest()

    def refused(self, attempt: LoginAttempt, *, wrong: bool = True) -> None:
        """The server refused this login: drop the cached password and, when the refusal was
        for the password itself (not a locked account), never send that password there again."""
        self.forget(*attempt.key)
        if wrong and attempt.password is not None:
            self._refused.setdefault(attempt.key, set()).add(self._digest(attempt.password))
        attempt.password = None

    def _check_not_refused(self, key: tuple[str, str, int], password: str, source: str) -> str:
        if self._digest(password) in self._refused.get(key, ()):
            user, host, port = key
            raise CredentialError(
                f"{source} was already refused for {user}@{host}:{port}; it is not sent again "
                "(an HMC locks the account after 3 failed logins)"
            )
        return password

    async def _password(self, label: str, auth: AuthConfig, attempt: LoginAttempt) -> str:
        source = {
            "env": f"the password in ${auth.password_env}",
            "insecure": "the insecure_password from the config",
            "keyring": f"the password in keyring service {auth.keyring_service!r}",
        }.get(auth.password_source, "the password given")
        value = await self._find_password(label, auth, attempt)
        return self._check_not_refused(attempt.key, value, source)

    async def _find_password(self, label: str, auth: AuthConfig, attempt: LoginAttempt) -> str:
        cached = self._passwords.get(attempt.key)
        if cached is not None:
            return cached
        if auth.password_source == "env":
            value = os.environ.get(auth.password_env)
            if not value:
                raise CredentialError(f"${auth.password_env} is unset or empty")
            return value
        if auth.password_source == "insecure":
            if not auth.insecure_password:
                raise CredentialError("insecure_password is empty")
            return auth.insecure_password
        if auth.password_source == "keyring":
            user = f"{attempt.key[0]}@{attempt.key[1]}"
            value = await asyncio.to_thread(_keyring_password, auth.keyring_service, user)
            if not value:
                raise CredentialError(
                    f"no password for {user} in keyring service {auth.keyring_service!r}"
                )
            return value
        if self.prompter is None:
            raise CredentialError(f"a password is needed for {label} and nobody can be asked")
        value = await self.prompter.ask_password(label)
        if not value:
            raise CredentialError(f"no password given for {label}")
        return value

    async def _load_key(self, path: str) -> asyncssh.SSHKey:
        if path in self._keys:
            return self._keys[path]
        try:
            key = asyncssh.read_private_key(path)
        except asyncssh.KeyImportError as exc:
            if "assphrase" not in str(exc):
                raise CredentialError(f"cannot use key {path}: {exc}") from None
            key = await self._decrypt(path)
        except OSError as exc:
            raise CredentialError(f"cannot read key {path}: {exc.strerror}") from None
        self._keys[path] = key
        return key

    async def _decrypt(self, path: str) -> asyncssh.SSHKey:
        if self.prompter is None:
            raise CredentialError(f"key {path} needs a passphrase and nobody can be asked")
        passphrase = await self.prompter.ask_passphrase(path)
        if not passphrase:
            raise CredentialError(f"no passphrase given for {path}")
        try:
            return asyncssh.read_private_key(path, passphrase)
        except (asyncssh.KeyImportError, asyncssh.KeyEncryptionError):
            raise CredentialError(f"wrong passphrase for {path}") from None
        finally:
            del passphrase


def _keyring_password(service: str, username: str) -> str | None:
    try:
        keyring = importlib.import_module("keyring")
    except ImportError:
        raise CredentialError("the Python module 'keyring' is not installed") from None
    try:
        return keyring.get_password(service, username)
    except Exception as exc:  # keyring backends raise their own types
        raise CredentialError(f"keyring lookup failed: {type(exc).__name__}") from None
