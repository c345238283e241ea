"""The fleet file's YAML, read faster than ``yaml.load`` with the safe loader, to the same data.

A generated fleet of 20,000 partitions is ~330,000 YAML nodes, nearly all plain strings and
decimal integers. pyyaml's C parser builds the nodes, but resolving each scalar's type (a
regex per candidate type) and constructing it (a generic dispatch) run in Python per node.
Here a plain scalar's type is resolved once per distinct text, strings and decimal integers
are built directly, and mappings without merge keys skip the merge pass. Everything else --
other types, tags, merge keys, anchors -- goes through the safe constructor unchanged, in the
same order, so values and errors are the safe loader's.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when built with it
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MERGE_KEYS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}  # flatten_mapping's

__all__ = ["load"]


class FleetLoader(_BASE):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A plain scalar's implicit type depends on its text alone, unless path resolvers exist.
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node.__class__ is ScalarNode:
            tag, value = node.tag, node.value
            if tag == _STR:
                return value
            # decimal only: a leading 0 is octal, and signs, 0x, 0b, _ and 1:30 have their rules
            if tag == _INT and value.isascii() and value.isdigit() and value[0] != "0":
                return int(value)
        return super().construct_object(node, deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if node.__class__ is not MappingNode or any(k.tag in _MERGE_KEYS for k, _ in node.value):
            return super().construct_mapping(node, deep)
        mapping = {}
        construct = self.construct_object
        for key_node, value_node in node.value:
            key = construct(key_node, deep)
            if key.__class__ is not str and not isinstance(key, Hashable):
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            mapping[key] = construct(value_node, deep)
        return mapping


def load(text: str) -> Any:
    """``yaml.load(text, CSafeLoader)``'s result and errors (yaml.YAMLError), sooner."""
    return yaml.load(text, Loader=FleetLoader)
