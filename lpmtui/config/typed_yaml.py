"""Typed reads from a composed YAML node tree, so every error can name FILE:LINE and the key.

``yaml.compose`` keeps each node's position; values are built one scalar at a time with
pyyaml's safe constructor, so YAML typing (ints, bools, null) is the standard one.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from lpmtui.config.model import ConfigError

_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:str": "a string",
    "tag:yaml.org,2002:timestamp": "a date",
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class YamlDoc:
    """One YAML file being read: positions, constructed values and error helpers."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._constructor = yaml.SafeLoader("")

    def line(self, node: yaml.Node | None) -> int | None:
        return node.start_mark.line + 1 if node is not None else None

    def error(self, node: yaml.Node | None, key: str, found: str, expected: str) -> ConfigError:
        return ConfigError(self.file, self.line(node), key, found, expected)

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
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(node, key, self.describe(node), expected)
        return value

    def seconds(self, node: yaml.Node, key: str, low: float, high: float) -> float:
        expected = f"a number of seconds from {low:g} to {high:g}"
        value = self._scalar(node, key, expected)
        if isinstance(value, bool) or not isinstance(value, int | float):
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
