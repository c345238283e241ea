"""The simulator's invented message ids stay in the simulator: the console knows its
validation messages by their text (lpmtui.hmc.topics), so every text must name its topic's
phrase and no other, and the evidenced texts are the ones lpmtui.hmc.messages holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lpmtui.hmc import messages as hmc_messages
from lpmtui.hmc.topics import PHRASES, topics_of
from lpmtui.sim.messages import CATALOGUE, TOPICS

ROOT = Path(__file__).resolve().parents[2] / "lpmtui"


class _Sample(dict):
    def __missing__(self, key: str) -> str:
        return f"x{len(key)}"


def _rendered(key: str) -> str:
    return CATALOGUE[key].text.format_map(_Sample())


@pytest.mark.parametrize("key", sorted(TOPICS))
def test_each_validation_message_names_its_topic_and_no_other(key):
    assert topics_of(_rendered(key)) == (TOPICS[key],), _rendered(key)


@pytest.mark.parametrize("key", sorted(set(CATALOGUE) - set(TOPICS)))
def test_other_messages_name_no_topic(key):
    assert topics_of(_rendered(key)) == ()


def test_every_topic_has_a_simulated_message():
    assert set(TOPICS.values()) == set(PHRASES)


def test_every_validation_id_below_40_has_a_topic():
    synthetic = {
        k for k, m in CATALOGUE.items() if m.id.startswith("HSCLSIM") and int(m.id[7:]) < 40
    }
    assert synthetic <= set(TOPICS)


def test_evidenced_messages_come_from_the_hmc_vocabulary():
    evidenced = {m.id: m.text for m in CATALOGUE.values() if m.evidenced and m.id}
    assert evidenced == {i: hmc_messages.TEXTS[i] for i in evidenced}
    assert CATALOGUE["BAD_PARAMETER"].text == hmc_messages.BAD_PARAMETER_TEXT


def test_the_core_does_not_know_invented_ids():
    for path in ROOT.rglob("*.py"):
        if "sim" in path.relative_to(ROOT).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "HSCLSIM" not in node.value, f"{path}: {node.value[:60]!r}"
