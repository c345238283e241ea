"""Typed access to the fleet file's YAML with one-line errors naming file and key path."""

from __future__ import annotations

from typing import Any


class FleetError(ValueError):
    """A fleet file that cannot be loaded; the message is one line naming file and key."""


class FleetReader:
    """Typed access to one YAML mapping with error messages that name the key path."""

    def __init__(self, source: str, path: str, data: Any) -> None:
        self.source = source
        self.path = path
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.fail(path, data, "a mapping")
        self.data: dict[str, Any] = data

    def fail(self, key: str, found: Any, expected: str) -> None:
        raise FleetError(f"{self.source}: {key}: found {found!r}; expected {expected}")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def str(self, name: str, default: str = "") -> str:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(self.key(name), value, "a string")
        return str(value)

    def int(self, name: str, default: int | None = None) -> int:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self.key(name), value, "an integer")
        return value

    def opt_int(self, name: str) -> int | None:
        return self.int(name) if self.data.get(name) is not None else None

    def float(self, name: str, default: float) -> float:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(self.key(name), value, "a number")
        return float(value)

    def bool(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(self.key(name), value, "true or false")
        return value

    def list(self, name: str) -> list[Any]:
        value = self.data.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(self.key(name), value, "a list")
        return value

    def strs(self, name: str, default: list[str] | None = None) -> list[str]:
        if name not in self.data:
            return list(default or [])
        value = self.data[name]
        if isinstance(value, str):
            return [value]
        items = self.list(name)
        for item in items:
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                self.fail(self.key(name), item, "a list of strings")
        return [str(i) for i in items]

    def ints(self, name: str, default: list[int]) -> list[int]:
        if name not in self.data:
            return list(default)
        value = self.data[name]
        items = [value] if isinstance(value, int) and not isinstance(value, bool) else None
        if items is None:
            items = self.list(name)
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int):
                self.fail(self.key(name), item, "a list of integers")
        return items

    def children(self, name: str) -> list[FleetReader]:
        return [
            FleetReader(self.source, f"{self.key(name)}[{i}]", d)
            for i, d in enumerate(self.list(name))
        ]

    def check_known(self, allowed: set[str]) -> None:
        for name in self.data:
            if name not in allowed:
                self.fail(self.key(str(name)), name, "one of " + ", ".join(sorted(allowed)))
