"""Shared fixtures: a fresh DuckDB file per test and an intake builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runform.store.connection import connect

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary database file that the app and the library both use (RUNFORM_DB)."""
    path = tmp_path / "runform.duckdb"
    monkeypatch.setenv("RUNFORM_DB", str(path))
    return path


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "unit.duckdb")
    yield c
    c.close()


def pytest_report_header(config: pytest.Config) -> str:
    chromium = "yes" if Path("/usr/bin/chromium").exists() else "no"
    return f"CI={os.environ.get('CI', '')}; chromium={chromium}"
