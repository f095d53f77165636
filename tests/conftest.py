"""Shared fixtures: a fresh DuckDB file per test, the demo team built once, the day of the run.

`pytest --today 2027-02-28` runs the whole suite as if that were the calendar day (time-machine
moves the clock of this process; RUNFORM_TODAY tells the app, the demo builder and every
`streamlit run` server the tests start). Without it the suite runs on the real day, fixed for the
whole session, so a run that crosses midnight still agrees with itself.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest

from runform.models import AssessmentRecord
from runform.services import seed
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


def add_runner(con, profile, on: date | None = None) -> int:
    """A new runner, created as the app creates one: with an intake (the profile is stored on
    assessments only). Here the intake has no screens, pain or findings and is dated `on`, by
    default the oldest day RunForm stores: no recent assessment, intake run or finding."""
    from runform.models import EARLIEST, Intake
    from runform.store import assessments

    intake = Intake(athlete=profile, assessed_on=on or EARLIEST)
    [(athlete_id, _)] = assessments.save(con, [AssessmentRecord(intake=intake, findings=[])])
    return athlete_id


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today", default=None, help="run the suite as if today were this day (YYYY-MM-DD)"
    )


def pytest_configure(config: pytest.Config) -> None:
    day = config.getoption("--today")
    if day:
        import time_machine

        when = datetime.combine(date.fromisoformat(day), time(10, 0))
        config._runform_travel = time_machine.travel(when, tick=True)  # type: ignore[attr-defined]
        config._runform_travel.start()  # type: ignore[attr-defined]
        os.environ["RUNFORM_TODAY"] = day
    else:
        os.environ.setdefault("RUNFORM_TODAY", date.today().isoformat())


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = getattr(config, "_runform_travel", None)
    if travel is not None:
        travel.stop()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary database file that the app and the library both use (RUNFORM_DB)."""
    import streamlit as st

    st.cache_data.clear()  # cached queries are keyed by their arguments, not by database file
    path = tmp_path / "runform.duckdb"
    monkeypatch.setenv("RUNFORM_DB", str(path))
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo team as the app writes it on a first start, built once per test session."""
    from runform import clock

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = connect(path)
    seed.demo_team(con, today=clock.today())
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def demo_db(db_path: Path, demo_template: Path) -> Path:
    """`db_path` holding a copy of the demo team (so the app does not rebuild it)."""
    shutil.copy(demo_template, db_path)
    return db_path


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "unit.duckdb")
    yield c
    c.close()


def pytest_report_header(config: pytest.Config) -> str:
    chromium = "yes" if Path("/usr/bin/chromium").exists() else "no"
    return f"CI={os.environ.get('CI', '')}; chromium={chromium}"


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three demo runners with eight weeks of history, built once for each test module."""
    from runform import clock

    path = tmp_path_factory.mktemp("team") / "team.duckdb"
    con = connect(path)
    seed.demo_team(con, n=3, weeks=8, today=clock.today())
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def team_db(tmp_path: Path, team_template: Path) -> Path:
    path = tmp_path / "team.duckdb"
    shutil.copy(team_template, path)
    return path
