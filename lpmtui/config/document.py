"""The top of a config document: YAML composed with line numbers, one-line errors."""

from __future__ import annotations

import yaml

from lpmtui.common.typed_yaml import YamlDoc
from lpmtui.config.model import ConfigError


def top_mapping(doc: YamlDoc, text: str, keys: tuple[str, ...]) -> tuple[yaml.Node, dict]:
    """(root node, {key: (key node, value node)}) of the document, or a ConfigError."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        problem = problem.removeprefix("but ").removeprefix("found ")
        raise ConfigError(doc.file, line, "YAML", problem, "valid YAML") from None
    except yaml.YAMLError as exc:
        raise doc.error(None, "YAML", str(exc).splitlines()[0], "valid YAML") from None
    if root is None:
        raise doc.error(
            None,
            "(top level)",
            "an empty file",
            "a mapping with at least 'hmcs' (see config.example.yaml)",
        )
    top = doc.mapping(root, "", keys, "a mapping with at least 'hmcs'")
    return root, top
