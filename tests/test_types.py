"""lib/runform type-checks clean under mypy with the project's configuration (pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_clean() -> None:
    config = ROOT / "pyproject.toml"
    stdout, stderr, status = api.run(["--config-file", str(config), str(ROOT / "lib" / "runform")])
    assert status == 0, f"mypy found errors:\n{stdout}{stderr}"
