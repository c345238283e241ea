"""Layering, read from the source with ``ast`` (tests/layering.py): every import statement counts,
at module level, inside functions and under TYPE_CHECKING.

The model and the HMC layer use the standard library only, ``common`` adds yaml, the core never
imports Textual, the UI or the simulator, the UI never builds HMC argv, the simulator uses only
the client's hmc/model/common, and only ``lpmtui.simlink`` bridges client and simulator. There
are no import cycles, no module over 400 lines, no ``x.py``/``x_*.py`` families at the top of
lpmtui/, and no method whose ``self`` is annotated as another class.

The second half runs the same checks on small synthetic trees that break each rule on purpose.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.layering import (
    BRIDGE,
    RULES,
    bridges,
    cycles,
    describe_cycle,
    foreign_self_annotations,
    long_modules,
    prefix_families,
    rule_named,
    scan,
)

ROOT = Path(__file__).resolve().parent.parent
TREE = scan(ROOT)


def test_the_scan_sees_the_whole_tree_and_its_lazy_imports():
    for name in ("lpmtui.model", "lpmtui.hmc.parse", "lpmtui.wiring.backend", "lpmtui.simlink"):
        assert name in TREE.modules
    targets = {(i.importer, i.target) for i in TREE.imports}
    # imported inside a method, not at module level
    assert ("lpmtui.wiring.backend", "lpmtui.migration.manager") in targets
    # under TYPE_CHECKING
    assert ("lpmtui.wiring.backend", "lpmtui.ssh.transport") in targets


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_layer_rule(rule):
    bad = rule.violations(TREE.imports)
    assert not bad, f"{rule.name}:\n" + "\n".join(f"  {i}" for i in bad)


def test_simlink_is_the_only_module_outside_the_simulator_that_imports_it():
    assert bridges(TREE) == {BRIDGE}


def test_the_entry_point_names_the_simulator_as_a_string_not_an_import():
    main = TREE.modules["lpmtui.__main__"].read_text()
    assert '"lpmtui.sim.main:main"' in main
    assert not [i for i in TREE.imports if i.importer == "lpmtui.__main__" and "sim" in i.target]


def test_no_import_cycles():
    edges = TREE.internal_edges()
    found = cycles(edges)
    assert not found, "import cycles:\n" + "\n".join(describe_cycle(c, TREE) for c in found)


def test_no_module_over_400_lines():
    assert not long_modules(TREE)


def test_no_family_of_top_level_modules_sharing_a_prefix():
    assert not prefix_families(ROOT / "lpmtui")


def test_no_method_annotates_self_with_another_class():
    assert not foreign_self_annotations(TREE)


# -- the checker catches what it claims to -------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    for directory in {p.parent for p in root.rglob("*.py")}:
        (directory / "__init__.py").touch()
    return root


CLEAN = {
    "lpmtui/model/__init__.py": "from lpmtui.model.inventory import Frame\n",
    "lpmtui/model/inventory.py": "import re\nfrom dataclasses import dataclass\n",
    "lpmtui/hmc/commands.py": "from lpmtui.model import Frame\nfrom . import records\n",
    "lpmtui/hmc/records.py": "import shlex\n",
    "lpmtui/common/clock.py": "import yaml\nimport time\n",
    "lpmtui/fleet/fleet.py": "from lpmtui.hmc import commands\nimport asyncssh\n",
    "lpmtui/ui/app.py": "import textual\nfrom lpmtui.fleet.fleet import Fleet\n",
    "lpmtui/migration/hmc_io.py": "from lpmtui.hmc.commands import line\n",
    "lpmtui/sim/world.py": (
        "from lpmtui.hmc.records import parse\nfrom lpmtui.common import clock\n"
    ),
    "lpmtui/simlink.py": "from lpmtui.sim import world\n",
    "lpmtui/__main__.py": 'TABLE = {"sim": "lpmtui.sim.main:main"}\n',
}


def violated(tmp_path: Path, extra: dict[str, str]) -> dict[str, list[str]]:
    tree = scan(write_tree(tmp_path, {**CLEAN, **extra}))
    return {r.name: [str(i) for i in r.violations(tree.imports)] for r in RULES}


def test_a_clean_synthetic_tree_breaks_no_rule(tmp_path):
    tree = scan(write_tree(tmp_path, CLEAN))
    assert all(not bad for bad in violated(tmp_path, {}).values())
    assert not cycles(tree.internal_edges())
    # `from . import records` in lpmtui.hmc.commands is the module lpmtui.hmc.records
    assert any(
        i.importer == "lpmtui.hmc.commands" and i.target == "lpmtui.hmc.records"
        for i in tree.imports
    )


BREAKS = [
    ("model imports the standard library only", "lpmtui/model/extra.py", "import yaml\n"),
    (
        "hmc imports the standard library and the model only",
        "lpmtui/hmc/extra.py",
        "def f():\n    import asyncssh\n",
    ),
    (
        "hmc imports the standard library and the model only",
        "lpmtui/hmc/extra.py",
        "from lpmtui.fleet import fleet\n",
    ),
    (
        "common imports the standard library (and yaml) only",
        "lpmtui/common/extra.py",
        "from lpmtui.model import Frame\n",
    ),
    (
        "the core never imports textual, the UI or the simulator",
        "lpmtui/fleet/extra.py",
        "def later():\n    from textual.app import App\n",
    ),
    (
        "the core never imports textual, the UI or the simulator",
        "lpmtui/wiring/extra.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from lpmtui.ui import app\n",
    ),
    (
        "the core never imports textual, the UI or the simulator",
        "lpmtui/cli/extra.py",
        "from ..sim.world import World\n",
    ),
    (
        "the UI never imports the HMC argv builders",
        "lpmtui/ui/extra.py",
        "from lpmtui.hmc import commands\n",
    ),
    (
        "the UI never imports the HMC argv builders",
        "lpmtui/ui/extra.py",
        "from lpmtui.migration import hmc_io\n",
    ),
    (
        "the simulator uses only the client's hmc, model and common",
        "lpmtui/sim/extra.py",
        "from lpmtui.fleet.fleet import Fleet\n",
    ),
    (
        "only simlink bridges the client and the simulator",
        "lpmtui/ui/extra.py",
        "import lpmtui.sim.world as w\n",
    ),
]


@pytest.mark.parametrize(("rule", "path", "source"), BREAKS)
def test_each_rule_catches_a_deliberate_violation(tmp_path, rule, path, source):
    found = violated(tmp_path, {path: source})
    module = path.removesuffix(".py").replace("/", ".")
    assert [v for v in found[rule] if v.startswith(module + ":")], found
    assert rule_named(rule).name == rule


def test_a_second_bridge_is_seen(tmp_path):
    tree = scan(
        write_tree(tmp_path, {**CLEAN, "lpmtui/wiring/demo.py": "from lpmtui import sim\n"})
    )
    assert bridges(tree) == {BRIDGE, "lpmtui.wiring.demo"}


def test_a_cycle_is_found_and_printed_with_its_import_lines(tmp_path):
    tree = scan(
        write_tree(
            tmp_path,
            {
                **CLEAN,
                "lpmtui/migration/a.py": "from lpmtui.migration import b\n",
                "lpmtui/migration/b.py": "def f():\n    from .c import x\n",
                "lpmtui/migration/c.py": "import lpmtui.migration.a\n",
                "lpmtui/migration/d.py": "from lpmtui.migration import a\n",  # into, not in
            },
        )
    )
    found = cycles(tree.internal_edges())
    assert found == [["lpmtui.migration.a", "lpmtui.migration.b", "lpmtui.migration.c"]]
    text = describe_cycle(found[0], tree)
    assert "lpmtui.migration.b:2 imports lpmtui.migration.c" in text


def test_a_package_that_imports_back_its_own_init_is_a_cycle(tmp_path):
    tree = scan(
        write_tree(
            tmp_path,
            {
                "lpmtui/model/__init__.py": "from lpmtui.model.snap import Snap\n",
                "lpmtui/model/snap.py": "from lpmtui.model import Frame\n",
            },
        )
    )
    assert cycles(tree.internal_edges()) == [["lpmtui.model", "lpmtui.model.snap"]]


def test_size_families_and_self_annotations_are_caught(tmp_path):
    tree = scan(
        write_tree(
            tmp_path,
            {
                "lpmtui/fleet.py": "x = 1\n" * 401,
                "lpmtui/fleet_cold.py": "x = 1\n" * 400,
                "lpmtui/solo_name.py": "",
                "lpmtui/host.py": (
                    "class Host:\n"
                    "    def ok(self: 'Host') -> None: ...\n"
                    "class Mixin:\n"
                    "    def run(self: Host) -> None: ...\n"
                    "    async def wait(self: 'host.Host') -> None: ...\n"
                ),
            },
        )
    )
    assert long_modules(tree) == ["lpmtui.fleet: 401 lines"]
    assert prefix_families(tmp_path / "lpmtui") == [["fleet.py", "fleet_cold.py"]]
    assert foreign_self_annotations(tree) == [
        "lpmtui.host:4 Mixin.run(self: Host)",
        "lpmtui.host:5 Mixin.wait(self: Host)",
    ]
