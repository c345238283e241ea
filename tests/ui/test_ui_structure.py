"""The shape of lpmtui/ui: no import cycles (every import statement counts), small modules, no
mixins reaching into a host, no HMC command building, and pure helpers free of Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lpmtui

PACKAGE = Path(lpmtui.__file__).parent
UI = PACKAGE / "ui"
MAX_LINES = 400
PURE = ("lpmtui.ui.format", "lpmtui.ui.rows", "lpmtui.ui.verdicts", "lpmtui.ui.events")
# What builds or quotes HMC commands: the ui shows the core's argv, it never makes one.
BUILDERS = (
    "lpmtui.hmc.commands",
    "lpmtui.hmc.command_args",
    "lpmtui.hmc.command_fields",
    "lpmtui.hmc.commands_migration",
    "lpmtui.migration.hmc_io",
    "lpmtui.sim",
)
BUILDER_NAMES = {"stop_argv", "recover_argv", "migrate_argv", "mkauthkeys", "command_args"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _ui_modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(UI.rglob("*.py"))}


def _imported(module: str, path: Path, tree: ast.AST) -> set[str]:
    """Every module named by an import statement anywhere in the file (functions and
    TYPE_CHECKING blocks included), with ``from a import b`` counted as a and a.b."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _ui_modules()
    return {
        name: {dep for dep in _imported(name, path, ast.parse(path.read_text())) if dep in modules}
        - {name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative enough for
    a package this size)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph[node]):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    source = "def f():\n    from lpmtui.ui.screens import dashboard\n"
    imported = _imported("lpmtui.ui.providers", UI / "providers.py", ast.parse(source))
    assert "lpmtui.ui.screens.dashboard" in imported


def test_no_import_cycles_inside_ui():
    graph = _graph()
    assert "lpmtui.ui.screens.fleet_view" in graph["lpmtui.ui.screens.dashboard"]
    assert _cycles(graph) == []


def test_every_ui_module_is_under_the_size_limit():
    sizes = {name: len(path.read_text().splitlines()) for name, path in _ui_modules().items()}
    assert {name: n for name, n in sizes.items() if n >= MAX_LINES} == {}


def test_no_method_annotates_self_with_another_class():
    found = []
    for name, path in _ui_modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.args.args:
                    first = item.args.args[0]
                    if first.arg == "self" and first.annotation is not None:
                        found.append(f"{name}.{node.name}.{item.name}")
    assert found == []


def test_the_dashboard_composes_its_controllers_instead_of_mixing_them_in():
    from textual.screen import Screen

    from lpmtui.ui.screens.dashboard import DashboardScreen

    assert DashboardScreen.__bases__ == (Screen,)
    screen = DashboardScreen()
    view = screen.fleet_view
    assert screen.checks.view is view
    assert screen.migration_actions.view is view and screen.evacuation_actions.view is view
    assert view.table is screen.table and screen.migration_actions.panel is screen.panel


def test_the_ui_builds_no_hmc_command():
    found = []
    for name, path in _ui_modules().items():
        tree = ast.parse(path.read_text())
        for dep in _imported(name, path, tree):
            if dep.startswith(BUILDERS):
                found.append(f"{name} imports {dep}")
        for node in ast.walk(tree):
            ident = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
            if isinstance(node, ast.Name | ast.Attribute) and ident in BUILDER_NAMES:
                found.append(f"{name} uses {ident}")
    assert found == []


def test_pure_helpers_do_not_load_textual():
    code = f"import sys; import {', '.join(PURE)}; print('textual' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
