"""The layers stay apart: forensics knows nothing of the designation workflow (its
findings become evidence on the designation side), and neither the web pages, the API
nor the core import the command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sanctio"


def _imports(folder: str) -> dict[str, set[str]]:
    """Every module under ``folder`` and the sanctio modules it imports (anywhere in it,
    function-level imports included)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = {n for n in names if n.startswith("sanctio")}
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("forensics", "sanctio.designation"),
        ("web", "sanctio.cli"),
        ("api", "sanctio.cli"),
        ("registry", "sanctio.cli"),
        ("screening", "sanctio.cli"),
        ("designation", "sanctio.cli"),
    ],
)
def test_layer_does_not_import(folder: str, forbidden: str) -> None:
    modules = _imports(folder)
    assert modules, f"no modules found under {folder}"
    offending = {
        module: sorted(n for n in names if n == forbidden or n.startswith(forbidden + "."))
        for module, names in modules.items()
    }
    assert {m: n for m, n in offending.items() if n} == {}
