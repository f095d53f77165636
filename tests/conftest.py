"""Shared fixtures: a fresh DuckDB file per test and an intake builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runform.store.connection import connect

ROOT = Path(__file__).resolve().parents[1]

# The example of protocols §1, verbatim.
EXAMPLE: dict = {
    "athlete": {
        "name": "Ana",
        "birth_year": 1991,
        "sex": "female",
        "running_years": 6,
        "weekly_km": 40,
        "runs_per_week": 4,
        "longest_run_km": 16,
        "goal": {"event": "half marathon", "date": "2027-04-11"},
        "available_days": ["mon", "wed", "fri", "sat"],
        "minutes_per_day": 60,
        "equipment": ["band", "dumbbells", "box"],
    },
    "assessed_on": "2026-11-20",
    "pain": [{"region": "knee", "side": "left", "score": 3, "when": "during_run"}],
    "screens": {
        "knee_to_wall_cm": {"left": 8.5, "right": 11.0},
        "hip_hinge": 2,
        "single_leg_squat": {
            "left": {
                "knee_valgus": True,
                "pelvic_drop": False,
                "trunk_lean": False,
                "poor_depth": False,
                "loss_of_balance": False,
            },
            "right": {
                "knee_valgus": False,
                "pelvic_drop": False,
                "trunk_lean": False,
                "poor_depth": False,
                "loss_of_balance": False,
            },
        },
        "trunk_flexor_s": 120,
        "trunk_extensor_s": 150,
        "cadence_spm": 164,
        "overstride": True,
    },
}


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
