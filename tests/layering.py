"""Reads every import statement of a source tree with ``ast`` and checks lpmtui's layer rules.

Every ``import`` and ``from ... import`` counts: at module level, inside functions and under
``TYPE_CHECKING``. Relative imports are resolved against the importing module, and
``from pkg import name`` where ``pkg.name`` is a module of the tree is an import of that module.
Strings (``"lpmtui.sim.main:main"`` in the entry point's lazy dispatch table) are not imports.

Used by tests/test_layers.py on lpmtui/ itself and on small synthetic trees that break each
rule on purpose, so the tests show they catch what they claim to.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CORE = (
    "config",
    "ssh",
    "fleet",
    "eligibility",
    "migration",
    "evacuation",
    "store",
    "report",
    "cli",
    "wiring",
)
ARGV_BUILDERS = (
    "lpmtui.hmc.commands",
    "lpmtui.hmc.command_args",
    "lpmtui.hmc.commands_migration",
    "lpmtui.migration.hmc_io",
)
SIM_MAY_USE = ("lpmtui.hmc", "lpmtui.model", "lpmtui.common")
BRIDGE = "lpmtui.simlink"
MAX_LINES = 400


@dataclass(frozen=True, slots=True)
class Import:
    """One imported module, as one import statement of ``importer`` names it."""

    importer: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


@dataclass(frozen=True, slots=True)
class Tree:
    """The modules of one package tree and every import they make."""

    root: Path  # the directory that holds the top package
    modules: dict[str, Path]
    imports: tuple[Import, ...]

    def internal_edges(self) -> dict[str, set[str]]:
        """module -> the modules of this tree it imports."""
        edges: dict[str, set[str]] = {name: set() for name in self.modules}
        for imp in self.imports:
            if imp.target in self.modules and imp.target != imp.importer:
                edges[imp.importer].add(imp.target)
        return edges


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_base(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".")
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    base = ".".join(parts)
    return f"{base}.{node.module}" if node.module else base


def _imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_base(name, is_package, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield Import(name, sub if sub in modules else base, node.lineno)


def scan(root: Path, package: str = "lpmtui") -> Tree:
    """Every module under ``root/package`` and its imports (``root`` is the directory above)."""
    modules = {module_name(root, p): p for p in sorted((root / package).rglob("*.py"))}
    imports = tuple(
        imp for name, path in modules.items() for imp in _imports_of(name, path, modules)
    )
    return Tree(root, modules, imports)


# -- layer rules ---------------------------------------------------------------------------------


def within(name: str, *prefixes: str) -> bool:
    """``name`` is one of ``prefixes`` or a module inside one of them."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


@dataclass(frozen=True, slots=True)
class Rule:
    """Imports by modules ``applies`` to must satisfy ``allowed``."""

    name: str
    applies: Callable[[str], bool]
    allowed: Callable[[str], bool]

    def violations(self, imports: Iterable[Import]) -> list[Import]:
        return [i for i in imports if self.applies(i.importer) and not self.allowed(i.target)]


CORE_PACKAGES = tuple(f"lpmtui.{c}" for c in CORE)

RULES = (
    Rule(
        "model imports the standard library only",
        lambda m: within(m, "lpmtui.model"),
        lambda t: is_stdlib(t) or within(t, "lpmtui.model"),
    ),
    Rule(
        "hmc imports the standard library and the model only",
        lambda m: within(m, "lpmtui.hmc"),
        lambda t: is_stdlib(t) or within(t, "lpmtui.model", "lpmtui.hmc"),
    ),
    Rule(
        "common imports the standard library (and yaml) only",
        lambda m: within(m, "lpmtui.common"),
        lambda t: is_stdlib(t) or within(t, "yaml", "lpmtui.common"),
    ),
    Rule(
        "the core never imports textual, the UI or the simulator",
        lambda m: within(m, *CORE_PACKAGES),
        lambda t: not within(t, "textual", "lpmtui.ui", "lpmtui.sim"),
    ),
    Rule(
        "the UI never imports the HMC argv builders",
        lambda m: within(m, "lpmtui.ui"),
        lambda t: not within(t, *ARGV_BUILDERS),
    ),
    Rule(
        "the simulator uses only the client's hmc, model and common",
        lambda m: within(m, "lpmtui.sim"),
        lambda t: not within(t, "lpmtui") or within(t, "lpmtui.sim", *SIM_MAY_USE),
    ),
    Rule(
        "only simlink bridges the client and the simulator",
        lambda m: not within(m, "lpmtui.sim", BRIDGE),
        lambda t: not within(t, "lpmtui.sim"),
    ),
)


def rule_named(name: str) -> Rule:
    return next(r for r in RULES if r.name == name)


def bridges(tree: Tree) -> set[str]:
    """The modules outside the simulator that import it."""
    return {
        i.importer
        for i in tree.imports
        if within(i.target, "lpmtui.sim") and not within(i.importer, "lpmtui.sim")
    }


# -- cycles (Tarjan's strongly connected components) ---------------------------------------------


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (or a module importing
    itself), each sorted, the list sorted: a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    for start in sorted(edges):
        if start in index:
            continue
        # iterative depth-first search: (node, iterator over its successors)
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        found.append(sorted(component))
    return sorted(found)


def describe_cycle(component: list[str], tree: Tree) -> str:
    """The component and the import lines that tie it together."""
    members = set(component)
    lines = [f"  {i}" for i in tree.imports if i.importer in members and i.target in members]
    return " <-> ".join(component) + "\n" + "\n".join(sorted(set(lines)))


# -- size and shape ------------------------------------------------------------------------------


def long_modules(tree: Tree, limit: int = MAX_LINES) -> list[str]:
    found = []
    for name, path in tree.modules.items():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append(f"{name}: {count} lines")
    return found


def prefix_families(directory: Path) -> list[list[str]]:
    """Groups of modules directly in ``directory`` named ``x.py`` / ``x_*.py``: one family
    spread over files where a package would do."""
    families: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.py")):
        if path.stem.startswith("__"):
            continue
        families.setdefault(path.stem.split("_")[0], []).append(path.name)
    return [names for names in families.values() if len(names) > 1]


def _annotation_name(node: ast.expr) -> str:
    text = ast.unparse(node)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    return text.strip().strip("'\"").rpartition(".")[2]


def foreign_self_annotations(tree: Tree) -> list[str]:
    """Methods whose ``self`` is annotated with a class other than their own (a mixin that
    pretends to be its host)."""
    found = []
    for name, path in tree.modules.items():
        module = ast.parse(path.read_text(encoding="utf-8"))
        for cls in ast.walk(module):
            if not isinstance(cls, ast.ClassDef):
                continue
            for item in cls.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                args = item.args.posonlyargs + item.args.args
                if not args or args[0].arg != "self" or args[0].annotation is None:
                    continue
                annotated = _annotation_name(args[0].annotation)
                if annotated not in (cls.name, "Self"):
                    found.append(f"{name}:{item.lineno} {cls.name}.{item.name}(self: {annotated})")
    return found
