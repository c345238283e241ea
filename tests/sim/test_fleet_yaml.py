"""The fleet file's fast YAML reading: the safe loader's values and errors, less work per node."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from yaml.constructor import BaseConstructor
from yaml.resolver import BaseResolver

from lpmtui.sim.generate import generate_yaml
from lpmtui.sim.world import fleet_yaml, load

SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ODD_YAML = [
    # integers the safe loader reads by YAML 1.1 rules: octal, hex, binary, signs, _, base 60
    "[0, 7, 0400, 0x1F, 0b101, -12, +12, 1_024, '12', 1:30, 08, 00, !!int '12', !!str 12]",
    "[1.5, 1.0e+3, 1e3, .inf, -.Inf, .NaN, 1_0.5, 1:30.5, !!float 3, 3.]",
    "[yes, No, TRUE, off, ~, null, Null, '', 2001-12-14, 2001-12-14 21:59:43.10 -5, !!binary aGk=]",
    "{a: 1, a: 2, 5: x, 1.5: y, yes: z, ~: n, 2001-12-14: d}",
    "base: &b {name: h, n: [1, 2]}\nx: *b\ny: {<<: *b, name: i}\nz: {<<: [*b, {m: 3}], =: v}",
    "a: &a [*a]",
    "a: !!set {x, y}\nb: !!omap [x: 1, y: 2]\nc: !!pairs [x: 1]",
    "- {[a]: b}",
    "- {? !!set {a: null} : x}",
    "{a: {b: !!foo x}, c: !!bar y}",
    "[!!int abc]",
    "a: *nope",
    "a:\n\t- b",
    "---\na: 1\n---\nb: 2\n",
    "",
    "~",
]


def _outcome(load_text):
    try:
        return "value", repr(load_text())
    except Exception as exc:  # every error, typed or not, must be the same one
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("text", ODD_YAML)
def test_odd_yaml_reads_as_the_safe_loader_reads_it(text):
    assert _outcome(lambda: fleet_yaml.load(text)) == _outcome(lambda: yaml.load(text, SAFE))


def test_a_generated_fleet_reads_the_same():
    text = generate_yaml(2, 4, 200)
    assert fleet_yaml.load(text) == yaml.load(text, SAFE)


def test_a_fleet_file_resolves_each_plain_text_once_and_builds_strings_and_ints_directly(
    monkeypatch,
):
    text = generate_yaml(1, 2, 80)
    scalars = [n for n in _walk(yaml.compose(text, SAFE)) if isinstance(n, yaml.ScalarNode)]
    distinct = {n.value for n in scalars if not n.style}  # plain: type from its text alone
    resolved, constructed = Counter(), Counter()
    resolve, construct = BaseResolver.resolve, BaseConstructor.construct_object

    def counting_resolve(self, kind, value, implicit):
        resolved[kind.__name__] += 1
        return resolve(self, kind, value, implicit)

    def counting_construct(self, node, deep=False):
        constructed[node.tag.rsplit(":", 1)[-1]] += 1
        return construct(self, node, deep)

    monkeypatch.setattr(BaseResolver, "resolve", counting_resolve)
    monkeypatch.setattr(BaseConstructor, "construct_object", counting_construct)
    load.load_fleet(text)
    assert len(scalars) > 4 * len(distinct)
    assert resolved["ScalarNode"] == len(distinct)
    assert constructed["str"] == constructed["int"] == 0
    assert constructed["float"] > 0  # the rest still goes through the safe constructor


def _walk(node):
    yield node
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _walk(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)


def test_a_path_resolver_still_decides_by_position():
    # the per-text cache of plain scalars' types would give 'a' the type 'b' got
    class Loader(fleet_yaml.FleetLoader):
        pass

    Loader.add_constructor("!up", lambda loader, node: node.value.upper())
    Loader.add_path_resolver("!up", ["a"], yaml.ScalarNode)
    assert yaml.load("b: hi\na: hi\n", Loader=Loader) == {"b": "hi", "a": "HI"}
