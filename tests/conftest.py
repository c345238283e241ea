"""Shared test set-up: keep every test away from the developer's own config and state."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _isolated_xdg(tmp_path, monkeypatch):
    """Point the XDG directories into the test's tmp dir so nothing touches ~/.config etc."""
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
    ):
        path = tmp_path / "xdg" / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
