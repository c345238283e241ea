"""The one typed YAML reader: typed access with one-line ``FILE[:LINE]: KEY: found X; expected Y``.

Two views of a document share the error shape, the scalar rules and the hints:

* ``YamlDoc`` reads a ``yaml.compose`` node tree, so every error names the line (the
  configuration file); values are built one scalar at a time with pyyaml's safe constructor,
  so YAML typing (ints, bools, null) is the standard one.
* ``MappingReader`` reads data already loaded with ``yaml.load`` (the simulator's fleet file,
  which may be generated with thousands of partitions); errors name the key path only.

Each caller passes its own exception class as ``error`` (called with file, line, key, found,
expected), so its messages stay its own.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml

ErrorFactory = Callable[[str, int | None, str, str, str], Exception]

_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:str": "a string",
    "tag:yaml.org,2002:timestamp": "a date",
}


def one_line(file: str, line: int | None, key: str, found: str, expected: str) -> str:
    """``FILE[:LINE]: KEY: found X; expected Y``."""
    where = f"{file}:{line}" if line is not None else file
    return f"{where}: {key}: found {found}; expected {expected}"


class YamlError(ValueError):
    """A typed-read error; ``str()`` is ``one_line``."""

    def __init__(self, file: str, line: int | None, key: str, found: str, expected: str) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.found = found
        self.expected = expected
        super().__init__(one_line(file, line, key, found, expected))


def is_int(value: object) -> bool:
    """An integer that is not a boolean (YAML's ``true`` is a Python int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class YamlDoc:
    """One YAML file being read: positions, constructed values and error helpers."""

    def __init__(self, file: str, error: ErrorFactory = YamlError) -> None:
        self.file = file
        self._error = error
        self._constructor = yaml.SafeLoader("")

    def line(self, node: yaml.Node | None) -> int | None:
        return node.start_mark.line + 1 if node is not None else None

    def error(self, node: yaml.Node | None, key: str, found: str, expected: str) -> Exception:
        return self._error(self.file, self.line(node), key, found, expected)

    def describe(self, node: yaml.Node, *, secret: bool = False) -> str:
        """What the user wrote, in words (never the value of a secret)."""
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        kind = _TYPE_NAMES.get(node.tag, "a value")
        if secret or node.tag == "tag:yaml.org,2002:null":
            return kind if not secret else f"{kind} (value hidden)"
        text = str(node.value)
        if len(text) > 40:
            text = text[:37] + "..."
        return f"{text!r}" if node.tag == "tag:yaml.org,2002:str" else text

    def value(self, node: yaml.Node) -> object:
        return self._constructor.construct_object(node, deep=True)

    # -- containers --------------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, key: str, allowed: Iterable[str], what: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping -> (key node, value node); unknown and duplicate keys are errors."""
        allowed = tuple(allowed)
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, key or "(top level)", self.describe(node), what)
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k_node, v_node in node.value:
            name = self.value(k_node) if isinstance(k_node, yaml.ScalarNode) else None
            path = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str):
                raise self.error(k_node, key or "(top level)", self.describe(k_node), "a key name")
            if name not in allowed:
                raise self.error(
                    k_node,
                    path,
                    "an unknown key" + did_you_mean(name, allowed),
                    "one of " + ", ".join(allowed),
                )
            if name in out:
                first = self.line(out[name][0])
                raise self.error(
                    k_node,
                    path,
                    "a second value for this key",
                    f"each key once (first set on line {first})",
                )
            out[name] = (k_node, v_node)
        return out

    def sequence(self, node: yaml.Node, key: str, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, key, self.describe(node), what)
        return list(node.value)

    # -- scalars -----------------------------------------------------------------------------

    def _scalar(self, node: yaml.Node, key: str, expected: str, *, secret: bool = False):
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, key, self.describe(node, secret=secret), expected)
        return self.value(node)

    def string(
        self,
        node: yaml.Node,
        key: str,
        *,
        secret: bool = False,
        expected: str = "a non-empty string",
    ) -> str:
        value = self._scalar(node, key, expected, secret=secret)
        if not isinstance(value, str) or not value.strip():
            raise self.error(node, key, self.describe(node, secret=secret), expected)
        if any(c in value for c in "\x00\r\n"):
            raise self.error(node, key, "a line break or NUL in the value", expected)
        return value.strip() if not secret else value

    def choice(self, node: yaml.Node, key: str, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        expected = "one of " + ", ".join(choices)
        value = self._scalar(node, key, expected)
        if value not in choices:
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            raise self.error(node, key, self.describe(node) + hint, expected)
        return value

    def boolean(self, node: yaml.Node, key: str) -> bool:
        value = self._scalar(node, key, "true or false")
        if not isinstance(value, bool):
            raise self.error(node, key, self.describe(node), "true or false")
        return value

    def integer(self, node: yaml.Node, key: str, low: int, high: int) -> int:
        expected = f"a whole number from {low} to {high}"
        value = self._scalar(node, key, expected)
        if not is_int(value) or not low <= value <= high:
            raise self.error(node, key, self.describe(node), expected)
        return value

    def seconds(self, node: yaml.Node, key: str, low: float, high: float) -> float:
        expected = f"a number of seconds from {low:g} to {high:g}"
        value = self._scalar(node, key, expected)
        if not is_number(value):
            raise self.error(node, key, self.describe(node), expected)
        if not low <= float(value) <= high:
            raise self.error(node, key, self.describe(node), expected)
        return float(value)

    def names(self, node: yaml.Node, key: str) -> list[tuple[str, yaml.Node]]:
        """A name or a list of names, each with its node (for error positions)."""
        expected = "a name or a list of names"
        if isinstance(node, yaml.SequenceNode):
            return [
                (self.string(n, f"{key}[{i}]", expected=expected), n)
                for i, n in enumerate(node.value)
            ]
        return [(self.string(node, key, expected=expected), node)]

    def path(self, node: yaml.Node, key: str, base: Path) -> Path:
        """A path; ``~`` and $VARS expand, relative paths are relative to the config file."""
        text = self.string(node, key, expected="a file or directory path")
        expanded = Path(os.path.expandvars(os.path.expanduser(text)))
        return expanded if expanded.is_absolute() else base / expanded


class MappingReader:
    """Typed access to one loaded YAML mapping; errors name the key path and repr the value.

    For documents too big to compose node by node (a generated 4000-partition fleet): the
    data comes from ``yaml.load`` and errors carry no line number.
    """

    def __init__(self, source: str, path: str, data: Any, error: ErrorFactory = YamlError) -> None:
        self.source = source
        self.path = path
        self._error = error
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.fail(path, data, "a mapping")
        self.data: dict[str, Any] = data

    def fail(self, key: str, found: Any, expected: str) -> NoReturn:
        raise self._error(self.source, None, key, repr(found), expected)

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    # Each typed read returns early for its exact type (a fleet file makes ~600,000 of them).
    def str(self, name: str, default: str = "") -> str:
        value = self.data.get(name, default)
        if value.__class__ is str:
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(self.key(name), value, "a string")
        return str(value)

    def int(self, name: str, default: int | None = None) -> int:
        value = self.data.get(name, default)
        if value.__class__ is not int and not is_int(value):
            self.fail(self.key(name), value, "an integer")
        return value

    def opt_int(self, name: str) -> int | None:
        return self.int(name) if self.data.get(name) is not None else None

    def float(self, name: str, default: float) -> float:
        value = self.data.get(name, default)
        if value.__class__ is float:
            return value
        if not is_number(value):
            self.fail(self.key(name), value, "a number")
        return float(value)

    def bool(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if value is not True and value is not False:
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
        items = [value] if is_int(value) else None
        if items is None:
            items = self.list(name)
        for item in items:
            if not is_int(item):
                self.fail(self.key(name), item, "a list of integers")
        return items

    def nested(self, name: str) -> MappingReader:
        """The mapping under ``name`` (absent or null: empty)."""
        return MappingReader(self.source, self.key(name), self.data.get(name), self._error)

    def children(self, name: str) -> list[MappingReader]:
        return [
            MappingReader(self.source, f"{self.key(name)}[{i}]", d, self._error)
            for i, d in enumerate(self.list(name))
        ]

    def check_known(self, allowed: set[str]) -> None:
        for name in self.data:
            if name not in allowed:
                self.fail(self.key(str(name)), name, "one of " + ", ".join(sorted(allowed)))
