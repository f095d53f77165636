"""Storage: migrations, tidy screen values, one transaction per write, demo team."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from runform.compensations import assess
from runform.errors import NotFound
from runform.models import Intake
from runform.services import seed
from runform.services.assessments import record_intake
from runform.store import assessments, athletes
from runform.store import connection as conn_mod
from runform.store.connection import connect, migrate, schema_version


def record(con, intake: Intake, athlete_id: int | None = None):
    """(athlete id, assessment id, findings) of an intake recorded through its service."""
    saved = record_intake(con, intake, athlete_id)
    return saved.athlete_id, saved.assessment_id, saved.findings


INTAKE = {
    "athlete": {
        "name": "Ana",
        "weekly_km": 40,
        "runs_per_week": 4,
        "longest_run_km": 16,
        "available_days": ["mon", "wed"],
        "equipment": ["band"],
    },
    "assessed_on": "2026-11-20",
    "pain": [{"region": "knee", "side": "left", "score": 5, "when": "during_run"}],
    "screens": {
        "knee_to_wall_cm": {"left": 8.5, "right": 11.0},
        "hip_hinge": 2,
        "single_leg_squat": {"left": {"knee_valgus": True}},
        "overstride": True,
    },
}


def tables(con) -> dict[str, list]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1"
        ).fetchall()
    ]
    return {n: sorted(con.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}


def test_empty_file_is_migrated_to_latest(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    latest = max(v for v, _ in conn_mod.migrations())
    assert schema_version(con) == latest
    assert {"athletes", "assessments", "screen_values", "pain_reports", "findings"} <= set(
        tables(con)
    )


def test_existing_file_reopens_without_change(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    record(con, Intake.model_validate(INTAKE))
    before = tables(con)
    con.close()
    con = connect(path)
    assert tables(con) == before
    assert con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == len(
        conn_mod.migrations()
    )


def test_new_migration_upgrades_existing_file_with_rows_intact(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    record(con, Intake.model_validate(INTAKE))
    before = tables(con)
    con.close()
    extra = (999, "ALTER TABLE athletes ADD COLUMN nickname VARCHAR;")
    real = conn_mod.migrations
    monkeypatch.setattr(conn_mod, "migrations", lambda: [*real(), extra])
    con = duckdb.connect(str(path))
    assert migrate(con) == 999
    after = tables(con)
    assert after["screen_values"] == before["screen_values"]
    assert [r[:2] for r in after["athletes"]] == [r[:2] for r in before["athletes"]]
    assert con.execute("SELECT nickname FROM athletes").fetchall() == [(None,)]


def test_failed_migration_leaves_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    version = schema_version(con)
    real = conn_mod.migrations
    broken = (998, "ALTER TABLE athletes ADD COLUMN x INTEGER; SELECT * FROM no_such_table;")
    monkeypatch.setattr(conn_mod, "migrations", lambda: [*real(), broken])
    with pytest.raises(duckdb.CatalogException):
        migrate(con)
    assert schema_version(con) == version
    cols = [r[0] for r in con.execute("DESCRIBE athletes").fetchall()]
    assert "x" not in cols


def test_screen_values_are_tidy_rows(con):
    _, aid, _ = record(con, Intake.model_validate(INTAKE))
    rows = con.execute(
        "SELECT screen_id, side, item, value FROM screen_values "
        "WHERE assessment_id = ? ORDER BY ALL",
        [aid],
    ).fetchall()
    assert ("knee_to_wall_cm", "left", "", 8.5) in rows
    assert ("knee_to_wall_cm", "right", "", 11.0) in rows
    assert ("hip_hinge", "none", "", 2.0) in rows
    assert ("single_leg_squat", "left", "knee_valgus", 1.0) in rows
    assert ("single_leg_squat", "left", "pelvic_drop", 0.0) in rows
    # the right side of the squat was not assessed: no rows, never zeros
    assert not [r for r in rows if r[0] == "single_leg_squat" and r[1] == "right"]
    assert len(rows) == 2 + 1 + 5 + 1


def test_round_trip_and_findings(con):
    intake = Intake.model_validate(INTAKE)
    athlete_id, aid, found = record(con, intake)
    loaded = assessments.load(con, aid)
    assert loaded.screens == intake.screens
    assert loaded.pain == intake.pain
    assert loaded.athlete == intake.athlete
    assert assessments.findings(con, aid) == found
    assert athletes.get(con, athlete_id) == intake.athlete
    hist = assessments.history(con, athlete_id)
    assert hist.loc[0, "high"] == sum(f.severity == "high" for f in found)


def test_second_assessment_attaches_and_backdated_keeps_newer_profile(con):
    intake = Intake.model_validate(INTAKE)
    athlete_id, _, _ = record(con, intake)
    newer = intake.model_copy(
        update={"athlete": intake.athlete.model_copy(update={"weekly_km": 50.0})}
    )
    record(con, newer, athlete_id)
    older = intake.model_copy(
        update={
            "assessed_on": intake.assessed_on - timedelta(days=60),
            "athlete": intake.athlete.model_copy(update={"weekly_km": 20.0}),
        }
    )
    record(con, older, athlete_id)
    assert athletes.get(con, athlete_id).weekly_km == 50.0
    assert athletes.count(con) == 1
    assert len(assessments.history(con, athlete_id)) == 3


def test_failed_write_leaves_database_as_it_was(con, monkeypatch):
    record(con, Intake.model_validate(INTAKE))
    before = tables(con)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(assessments.screens, "to_rows", boom)
    with pytest.raises(RuntimeError):
        record(con, Intake.model_validate(INTAKE))
    assert tables(con) == before


def test_unknown_athlete_id_writes_nothing(con):
    with pytest.raises(NotFound, match="unknown athlete id 42"):
        record(con, Intake.model_validate(INTAKE), athlete_id=42)
    assert athletes.count(con) == 0
    assert con.execute("SELECT count(*) FROM assessments").fetchall()[0][0] == 0


def test_demo_team_is_believable_and_deterministic(con, tmp_path):
    today = date(2026, 11, 25)
    n = seed.demo_team(con, n=12, weeks=16, today=today)
    assert n == 12 == athletes.count(con)
    per = con.execute(
        "SELECT athlete_id, count(*), min(assessed_on), max(assessed_on) "
        "FROM assessments GROUP BY 1"
    ).fetchall()
    assert all(2 <= c <= 3 for _, c, _, _ in per)
    assert all(hi <= today and lo >= today - timedelta(weeks=17) for _, _, lo, hi in per)
    with_pain = con.execute("SELECT count(DISTINCT athlete_id) FROM pain_reports").fetchall()[0][0]
    assert 1 <= with_pain < 12
    assert con.execute("SELECT count(DISTINCT finding_id) FROM findings").fetchall()[0][0] >= 8
    # stored findings are exactly what the rules say about the stored screens
    for (aid,) in con.execute("SELECT id FROM assessments").fetchall():
        assert assessments.findings(con, aid) == assess(assessments.load(con, aid))
    other = connect(tmp_path / "again.duckdb")
    seed.demo_team(other, n=12, weeks=16, today=today)
    assert tables(other)["screen_values"] == tables(con)["screen_values"]
