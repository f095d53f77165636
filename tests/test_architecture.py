"""The house has one way through it (docs/architecture.md): thin pages over services, services
over the rules and the store, SQL only in the store, one helper that clears the caches."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

LIB = ROOT / "lib" / "runform"
PAGES = ROOT / "pages"
PAGE_FILES = sorted(p for p in PAGES.glob("*.py") if p.name != "__init__.py")
MAX_PAGE_LINES = 150


def python_files(*folders: Path) -> list[Path]:
    return sorted(f for folder in folders for f in folder.rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_a_page_is_one_short_function(page):
    lines = page.read_text().splitlines()
    assert len(lines) <= MAX_PAGE_LINES, f"{rel(page)} has {len(lines)} lines"
    tree = ast.parse(page.read_text())
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert "render" in functions


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_pages_call_services_never_the_store(page):
    found = imports(page)
    assert not [m for m in found if m.startswith(("runform.store", "duckdb"))], rel(page)


SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CHECKPOINT)\b"
)


def test_only_the_store_knows_sql():
    outside = [
        f
        for f in python_files(LIB, PAGES)
        if "store" not in f.relative_to(LIB if f.is_relative_to(LIB) else PAGES).parts
    ] + [ROOT / "app.py"]
    offenders = []
    for f in outside:
        text = f.read_text()
        if "duckdb" in imports(f) or re.search(r"\.(execute|sql)\(", text) or SQL.search(text):
            offenders.append(rel(f))
    assert offenders == []


def test_the_store_does_not_read_file_formats_or_rules():
    rules = {"runform.fitfile", "runform.planning", "runform.progression", "runform.services"}
    for f in python_files(LIB / "store"):
        assert not {m for m in imports(f) if m.split(".")[:2] and m in rules}, rel(f)


def test_the_library_never_draws():
    for f in python_files(LIB):
        assert not [m for m in imports(f) if m.startswith(("streamlit", "pages"))], rel(f)


def test_rules_do_not_read_the_store():
    """Rules are pure: only services (and the store itself, the CLI and the demo builder's
    loader through services) put the store and the rules together."""
    allowed = {"services", "store", "cli"}
    for f in python_files(LIB):
        if f.relative_to(LIB).parts[0] in allowed:
            continue
        assert not [m for m in imports(f) if m.startswith("runform.store")], rel(f)


def test_caches_are_cleared_by_the_one_helper_only():
    calls = [
        rel(f)
        for f in python_files(PAGES) + [ROOT / "app.py"]
        if re.search(r"data_changed\(\)", f.read_text())
    ]
    assert calls == ["pages/core/cache.py", "pages/core/run.py"]
