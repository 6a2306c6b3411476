"""interviews.postings imports without cycles: each module loads on its own in a fresh
interpreter, and no module reaches back to one that imports it, not even from inside a
function (the way analysis.py and llm_extract.py used to hide theirs)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "interviews" / "postings"
MODULES = sorted(f"interviews.postings.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def test_the_package_has_the_modules_this_checks():
    assert {"interviews.postings.analysis", "interviews.postings.llm_extract"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = f"import django; django.setup(); import {module}"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def _imports_within_package(path: Path) -> set[str]:
    """Modules of interviews.postings that `path` imports anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in MODULES}
    return found


def test_no_module_of_the_package_is_in_an_import_cycle():
    graph = {f"interviews.postings.{path.stem}": _imports_within_package(path) for path in PACKAGE.glob("*.py")}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    assert [module for module in MODULES if reaches(module, module, set())] == []
