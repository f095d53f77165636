"""The profile fields for paces and the week (protocols §1): minutes_by_day, long_run_day,
recent_race, max_hr and goal.distance_km, through the store, an upgrade, a backup and the CLI."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pytest

from runform import clock
from runform.models import AssessmentRecord, AthleteProfile, Goal, Intake, RecentRace
from runform.services import seed
from runform.store import assessments, athletes, backup
from runform.store import connection as conn_mod
from runform.store.connection import connect, schema_version
from tests.conftest import EXAMPLE, add_runner
from tests.test_cli import run, write

NEW_COLUMNS = {
    "minutes_by_day": "MAP(VARCHAR, INTEGER)",
    "long_run_day": "VARCHAR",
    "recent_race_km": "DOUBLE",
    "recent_race_time": "VARCHAR",
    "recent_race_date": "DATE",
    "max_hr": "INTEGER",
    "goal_distance_km": "DOUBLE",
}


def full_profile(**changes) -> AthleteProfile:
    raced = clock.today() - timedelta(days=21)
    fields = dict(
        name="Ana",
        birth_year=1991,
        weekly_km=40.0,
        runs_per_week=4,
        longest_run_km=16.0,
        goal=Goal(event="trail race", date=clock.today() + timedelta(weeks=20), distance_km=30.0),
        available_days=["mon", "wed", "fri", "sat"],
        minutes_per_day=60,
        minutes_by_day={"sat": 120, "mon": 40},
        long_run_day="sat",
        recent_race=RecentRace(distance_km=10.0, time="00:52:30", date=raced),
        max_hr=186,
    )
    fields.update(changes)
    return AthleteProfile(**fields)


# --- store -------------------------------------------------------------------------------------
# The profile is stored once, on each assessment (JSON); a runner's current profile is the latest
# assessment's.

# The new fields as stored in the latest assessment's profile, typed.
STORED = """
    SELECT (profile ->> '$.minutes_by_day.sat')::INTEGER, profile ->> 'long_run_day',
           (profile ->> '$.recent_race.distance_km')::DOUBLE, profile ->> '$.recent_race.time',
           (profile ->> 'max_hr')::INTEGER, (profile ->> '$.goal.distance_km')::DOUBLE
    FROM assessments WHERE athlete_id = ? ORDER BY assessed_on DESC, id DESC LIMIT 1
"""


def reassess(con, athlete_id: int, profile: AthleteProfile, on: date | None = None) -> None:
    """A newer assessment carrying `profile`: how a runner's profile changes."""
    intake = Intake(athlete=profile, assessed_on=on or clock.today())
    assessments.save(con, [AssessmentRecord(intake=intake, findings=[], athlete_id=athlete_id)])


def test_store_round_trips_every_new_field(con):
    profile = full_profile()
    athlete_id = add_runner(con, profile)
    assert athletes.get(con, athlete_id) == profile
    assert athletes.get(con, athlete_id).goal.km() == 30.0
    assert con.execute(STORED, [athlete_id]).fetchall() == [
        (120, "sat", 10.0, "00:52:30", 186, 30.0)
    ]


def test_a_newer_profile_clears_fields_to_null(con):
    athlete_id = add_runner(con, full_profile())
    plain = full_profile(
        minutes_by_day={},
        long_run_day=None,
        recent_race=None,
        max_hr=None,
        goal=Goal(event="10 km"),
    )
    reassess(con, athlete_id, plain)
    assert athletes.get(con, athlete_id) == plain
    assert athletes.get(con, athlete_id).goal.km() == 10.0
    assert con.execute(STORED, [athlete_id]).fetchall() == [(None,) * 6]
    assert con.execute(
        "SELECT profile -> 'minutes_by_day' FROM assessments WHERE athlete_id = ? "
        "ORDER BY assessed_on DESC, id DESC LIMIT 1",
        [athlete_id],
    ).fetchall() == [("{}",)]


def test_store_keeps_a_race_time_as_entered(con):
    profile = full_profile(
        recent_race=RecentRace(distance_km=5.0, time="24:10", date=date(2026, 1, 4))
    )
    athlete_id = add_runner(con, profile)
    assert athletes.get(con, athlete_id).recent_race.time == "24:10"
    assert athletes.get(con, athlete_id).recent_race.seconds() == 24 * 60 + 10


def test_a_runner_link_reads_its_own_new_fields(con):
    athlete_id = add_runner(con, full_profile())
    add_runner(con, full_profile(name="Other", max_hr=170))
    scoped = conn_mod.scoped(con, athlete_id)
    assert athletes.get(scoped, athlete_id) == full_profile()
    reassess(scoped, athlete_id, full_profile(max_hr=190))
    assert athletes.get(con, athlete_id).max_hr == 190


def test_an_intake_with_the_fields_stores_them_on_the_athlete_and_the_assessment(con):
    from runform.models import Intake
    from runform.services import assessments as assessment_service

    data = copy.deepcopy(EXAMPLE)
    data["assessed_on"] = clock.today().isoformat()
    data["athlete"] = full_profile().model_dump(mode="json")
    parsed = Intake.model_validate(data)
    saved = assessment_service.record_intake(con, parsed)
    athlete_id, assessment_id = saved.athlete_id, saved.assessment_id
    assert athletes.get(con, athlete_id) == parsed.athlete
    assert assessments.load(con, assessment_id).athlete == parsed.athlete


# --- migration ---------------------------------------------------------------------------------


def test_a_version_6_database_gains_the_columns_with_nulls_and_its_profiles_load(
    tmp_path, monkeypatch
):
    path = tmp_path / "v6.duckdb"
    everything = conn_mod.migrations()
    monkeypatch.setattr(conn_mod, "migrations", lambda: [m for m in everything if m[0] <= 6])
    old = connect(path)
    assert schema_version(old) == 6
    columns = {r[0] for r in old.execute("DESCRIBE athletes").fetchall()}
    assert not columns & set(NEW_COLUMNS)
    old.execute(
        "INSERT INTO athletes (id, name, birth_year, weekly_km, runs_per_week, longest_run_km, "
        "goal_event, goal_date, available_days, minutes_per_day, equipment, injury_history) "
        "VALUES (1, 'Old Runner', 1985, 30, 3, 12, 'half marathon', DATE '2027-05-02', "
        "['tue', 'thu', 'sun'], 50, ['band'], 'calf strain 2024')"
    )
    old_profile = {
        "name": "Old Runner",
        "birth_year": 1985,
        "weekly_km": 30.0,
        "runs_per_week": 3,
        "longest_run_km": 12.0,
        "goal": {"event": "half marathon", "date": "2027-05-02"},
        "available_days": ["tue", "thu", "sun"],
        "minutes_per_day": 50,
        "equipment": ["band"],
        "injury_history": "calf strain 2024",
    }
    old.execute(
        "INSERT INTO assessments (athlete_id, assessed_on, mode, profile) "  # id 1, as the app
        "VALUES (1, DATE '2026-06-01', 'coach', ?)",
        [json.dumps(old_profile)],
    )
    old.close()

    # Migration 7 adds the columns to the runner's row, with nulls ...
    monkeypatch.setattr(conn_mod, "migrations", lambda: [m for m in everything if m[0] <= 8])
    con = connect(path)
    assert schema_version(con) == 8
    types = {r[0]: r[1] for r in con.execute("DESCRIBE athletes").fetchall()}
    assert {c: types.get(c) for c in NEW_COLUMNS} == NEW_COLUMNS
    assert con.execute(f"SELECT {', '.join(NEW_COLUMNS)} FROM athletes").fetchall() == [
        (None,) * len(NEW_COLUMNS)
    ]
    con.close()
    monkeypatch.undo()

    # ... and migration 9 keeps the profile on the assessments only: it loads as it was.
    con = connect(path)
    assert schema_version(con) == max(v for v, _ in conn_mod.migrations()) >= 9
    assert [r[0] for r in con.execute("DESCRIBE athletes").fetchall()] == ["id", "created_at"]
    profile = athletes.get(con, 1)
    assert profile == AthleteProfile.model_validate(old_profile)
    assert (profile.minutes_by_day, profile.long_run_day, profile.recent_race, profile.max_hr) == (
        {},
        None,
        None,
        None,
    )
    assert profile.goal.km() == pytest.approx(21.0975)
    assert assessments.load(con, 1).athlete == profile
    # and the upgraded file takes the new fields
    newer = profile.model_copy(update={"long_run_day": "sun", "max_hr": 181})
    reassess(con, 1, newer, date(2026, 6, 2))
    assert (athletes.get(con, 1).long_run_day, athletes.get(con, 1).max_hr) == ("sun", 181)
    con.close()


def test_backup_and_restore_keep_the_new_fields(tmp_path):
    src = connect(tmp_path / "src.duckdb")
    athlete_id = add_runner(src, full_profile())
    add_runner(src, AthleteProfile(name="Plain"))
    backup.backup(src, tmp_path / "b")
    restored = backup.restore(tmp_path / "b", tmp_path / "restored.duckdb")
    assert athletes.get(restored, athlete_id) == full_profile()
    assert athletes.get(restored, athlete_id + 1) == AthleteProfile(name="Plain")
    assert restored.execute(STORED, [athlete_id]).fetchall() == [
        (120, "sat", 10.0, "00:52:30", 186, 30.0)
    ]
    assert restored.execute("SELECT DISTINCT typeof(profile) FROM assessments").fetchall() == [
        ("JSON",)
    ]


# --- CLI ---------------------------------------------------------------------------------------


def with_athlete(**fields) -> dict:
    d = copy.deepcopy(EXAMPLE)
    d["athlete"].update(fields)
    return d


def _race(time: str, km: float = 10) -> dict:
    raced = (clock.today() - timedelta(days=14)).isoformat()
    return {"distance_km": km, "time": time, "date": raced}


CLI_INVALID = {
    "minutes on a day off": (
        with_athlete(minutes_by_day={"tue": 90}),
        ["athlete.minutes_by_day.tue", "not an available day", "mon, wed, fri, sat"],
    ),
    "minutes out of range": (
        with_athlete(minutes_by_day={"sat": 400}),
        ["athlete.minutes_by_day.sat", "between 10 and 300, got 400"],
    ),
    "long run on a day off": (
        with_athlete(long_run_day="sun"),
        ["athlete.long_run_day", "not an available day", "mon, wed, fri, sat"],
    ),
    "race faster than the world record": (
        with_athlete(recent_race=_race("00:20:00")),
        ["athlete.recent_race.time", "faster than the world record"],
    ),
    "race slower than walking": (
        with_athlete(recent_race=_race("06:00:00")),
        ["athlete.recent_race.time", "slower than walking"],
    ),
    "race time not a clock": (
        with_athlete(recent_race=_race("52 min")),
        ["athlete.recent_race.time", "00:52:30"],
    ),
    "race in the future": (
        with_athlete(
            recent_race={
                "distance_km": 10,
                "time": "00:50:00",
                "date": (clock.today() + timedelta(days=1)).isoformat(),
            }
        ),
        ["athlete.recent_race.date", "in the future"],
    ),
    "max_hr out of range": (
        with_athlete(max_hr=90),
        ["athlete.max_hr", "between 100 and 230, got 90"],
    ),
    "goal distance out of range": (
        with_athlete(goal={"event": "trail race", "distance_km": 0}),
        ["athlete.goal.distance_km", "between 1 and 250"],
    ),
}
PLAN_ARGS = ["--weeks", "4", "--start", "2026-12-07"]
SUBPROCESS = ["minutes on a day off", "long run on a day off", "race faster than the world record"]


@pytest.mark.parametrize("case", SUBPROCESS)
def test_cli_plan_refuses_invalid_profile_fields(tmp_path, case):
    data, expected = CLI_INVALID[case]
    path = write(tmp_path, data)
    proc = run("plan", str(path), *PLAN_ARGS, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for text in expected:
        assert text in proc.stderr
    assert list(tmp_path.iterdir()) == [path]  # nothing written


@pytest.mark.parametrize(("data", "expected"), CLI_INVALID.values(), ids=CLI_INVALID.keys())
def test_cli_plan_refuses_invalid_profile_fields_in_process(tmp_path, capsys, data, expected):
    from runform.cli import main

    path = write(tmp_path, data)
    assert main(["plan", str(path), *PLAN_ARGS]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {path}: invalid intake")
    for text in expected:
        assert text in err


def test_cli_assess_accepts_the_fields(tmp_path):
    data = with_athlete(
        minutes_by_day={"sat": 120},
        long_run_day="sat",
        recent_race=_race("00:52:30"),
        max_hr=186,
        goal={"event": "trail race", "date": "2027-04-11", "distance_km": 30},
    )
    proc = run("assess", str(write(tmp_path, data)), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "findings" in json.loads(proc.stdout)


def test_demo_runners_carry_the_fields(tmp_path):

    con = connect(tmp_path / "demo.duckdb")
    seed.demo_team(con, n=6, weeks=8, today=clock.today())
    profiles = [athletes.get(con, i) for i in range(1, 7)]
    raced = [p for p in profiles if p.recent_race and p.max_hr]
    assert raced and raced[0].recent_race.distance_km == 10.0
    sat = [p for p in profiles if p.long_run_day == "sat"]
    assert sat and sat[0].minutes_on("sat") > sat[0].minutes_per_day
    # deterministic: the same team again
    again = connect(tmp_path / "again.duckdb")
    seed.demo_team(again, n=6, weeks=8, today=clock.today())
    assert [athletes.get(again, i) for i in range(1, 7)] == profiles
    con.close()
    again.close()
