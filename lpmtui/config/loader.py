"""lpmtui configuration: ``load(path)`` reads the YAML file into frozen Settings.

Every error is one line, ``FILE:LINE: KEY: found X; expected Y``. The documented example of
every key is config.example.yaml at the top of the repository.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import replace
from pathlib import Path

from lpmtui.config.model import (
    AuthConfig,
    ConfigError,
    HmcConfig,
    JumpHostConfig,
    Settings,
    default_config_path,
)
from lpmtui.config.parse import SettingsParser

__all__ = [
    "AuthConfig",
    "ConfigError",
    "HmcConfig",
    "JumpHostConfig",
    "Settings",
    "default_config_path",
    "load",
    "load_paths",
    "loads",
]

log = logging.getLogger("lpmtui.config")


def loads(text: str, file: str = "<config>") -> Settings:
    """Parse YAML text; ``file`` names it in errors and anchors relative paths."""
    settings = SettingsParser(text, file).parse()
    for warning in settings.warnings:
        log.warning("%s", warning)
    return settings


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the config file (default: $XDG_CONFIG_HOME/lpmtui/config.yaml)."""
    file = Path(path) if path is not None else default_config_path()
    text = _read(file)
    settings = loads(text, str(file))
    warnings = settings.warnings
    mode = _mode(file)
    if mode & 0o077 and _holds_password(settings):
        warning = (
            f"{file}: holds a password (insecure_password) and is readable by others "
            f"(mode {mode:04o}); chmod 600 it"
        )
        log.warning("%s", warning)
        warnings = (*warnings, warning)
    return replace(settings, source_path=file, warnings=warnings)


def load_paths(path: str | os.PathLike[str] | None = None) -> Settings:
    """Only the config's ``paths`` (state, log, audit, journal files), for tools that read local
    files: no HMC is parsed, so no password variable, keyring or key file is needed."""
    file = Path(path) if path is not None else default_config_path()
    settings = SettingsParser(_read(file), str(file)).parse_paths()
    return replace(settings, source_path=file)


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            str(file),
            None,
            "config file",
            "no file at this path",
            "a YAML file (start from config.example.yaml)",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            str(file), None, "config file", "bytes that are not UTF-8", "a UTF-8 YAML file"
        ) from None
    except OSError as exc:
        raise ConfigError(
            str(file),
            None,
            "config file",
            f"an unreadable file ({exc.strerror})",
            "a readable YAML file",
        ) from None


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0


def _holds_password(settings: Settings) -> bool:
    auths = [h.auth for h in settings.hmcs] + [j.auth for j in settings.jump_hosts.values()]
    return any(a.insecure_password for a in auths)
