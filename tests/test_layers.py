"""Layering, checked in a fresh interpreter: the model and the HMC layer use the standard library
only, and the core never pulls in the UI, Textual or the simulator."""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HMC_DIR = ROOT / "lpmtui" / "hmc"
CORE = ("config", "transport", "fleet", "eligibility", "migration", "audit", "journal")


def loaded_after_import(modules: list[str]) -> set[str]:
    """The top-level names in sys.modules after importing ``modules`` in a new interpreter."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout))


def hmc_modules() -> list[str]:
    return [f"lpmtui.hmc.{m.name}" for m in pkgutil.iter_modules([str(HMC_DIR)])]


def test_the_hmc_layer_is_all_found():
    found = hmc_modules()
    for name in ("records", "commands", "parse", "errors", "runner"):
        assert f"lpmtui.hmc.{name}" in found


def test_model_and_hmc_layer_import_no_third_party_ui_or_ssh():
    loaded = loaded_after_import(["lpmtui.model", *hmc_modules()])
    assert "lpmtui.hmc.parse" in loaded
    for banned in ("textual", "asyncssh", "yaml"):
        assert banned not in loaded, f"{banned} was imported by the model/hmc layer"
    assert not any(m.startswith(("lpmtui.ui", "lpmtui.sim", "lpmtui.transport")) for m in loaded)


def _core_modules() -> list[str]:
    """The named core modules that exist, every module of a core package, and every other
    top-level module but the glue (simlink) and the entry point (__main__)."""
    top = {m.name for m in pkgutil.iter_modules([str(ROOT / "lpmtui")]) if not m.ispkg}
    names = list(CORE) + sorted(top - set(CORE) - {"__main__", "simlink"})
    present = []
    for name in names:
        full = f"lpmtui.{name}"
        if importlib.util.find_spec(full) is None:
            continue
        present.append(full)
        spec = importlib.util.find_spec(full)
        if spec.submodule_search_locations:  # a package: every module in it
            present += [
                f"{full}.{m.name}" for m in pkgutil.walk_packages(spec.submodule_search_locations)
            ]
    return present


@pytest.mark.parametrize("module", _core_modules() or ["(none yet)"])
def test_core_never_imports_ui_textual_or_sim(module):
    if module == "(none yet)":
        pytest.skip("no core module exists yet")
    loaded = loaded_after_import([module])
    assert "textual" not in loaded, f"{module} imports textual"
    bad = sorted(m for m in loaded if m.startswith(("lpmtui.ui", "lpmtui.sim", "lpmtui.simlink")))
    assert not bad, f"{module} imports {bad}"
