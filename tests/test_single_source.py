"""One copy of each fact (issue 13): plans stored once as rows, the profile once on assessments,
one planned-session status for the Log page and the reviews, and the store's named errors."""

from __future__ import annotations

import errno
import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from runform import clock, editing
from runform.compensations import assess
from runform.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RunFormError,
    StorageUnavailable,
)
from runform.models import (
    AssessmentRecord,
    AthleteProfile,
    Comment,
    Intake,
    MorningPain,
    Plan,
    PlannedRef,
    PlanOptions,
    PlanSession,
    PlanWeek,
    SessionLog,
    Wellness,
)
from runform.planning import build_plan
from runform.services import seed
from runform.store import assessments, athletes, backup, links, logs, plans, review
from runform.store import connection as conn_mod
from runform.store.connection import checkpoint, connect, explain, scoped
from tests.conftest import EXAMPLE, add_runner

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = clock.today()
NOW = datetime.combine(TODAY, datetime.min.time())


# --- plans: stored once, loaded back exactly --------------------------------------------------


@pytest.fixture(scope="module")
def saved_team(tmp_path_factory):
    """The demo team, with every plan version the demo builder saved, as it was saved."""
    path = tmp_path_factory.mktemp("single") / "team.duckdb"
    con = connect(path)
    saved: dict[tuple[int, int], Plan] = {}
    real_add_plan, real_add_version = plans.PlanRows.add_plan, plans.add_version

    def add_plan(rows, plan_id, athlete_id, plan, *args, **kwargs):
        real_add_plan(rows, plan_id, athlete_id, plan, *args, **kwargs)
        saved[(plan_id, 1)] = plan.model_copy(deep=True)

    def add_version(con, plan_id, plan, note, status="accepted"):  # an episode's reshaping
        version = real_add_version(con, plan_id, plan, note, status)
        saved[(plan_id, version)] = plan.model_copy(deep=True)
        return version

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plans.PlanRows, "add_plan", add_plan)
        mp.setattr(plans, "add_version", add_version)
        seed.demo_team(con, today=TODAY)
    yield con, saved
    con.close()


def test_every_plan_version_of_the_demo_team_loads_as_it_was_saved(saved_team):
    con, saved = saved_team
    stored = con.execute("SELECT plan_id, version FROM plan_versions ORDER BY ALL").fetchall()
    assert sorted(saved) == stored and len(stored) > 12
    for (plan_id, version), plan in saved.items():
        assert plans.load(con, plan_id, version) == plan, (plan_id, version)


def example_plans() -> list[Plan]:
    """Plans the tests build: the example intake over several options, edits and adaptations,
    the CLI's `next` fixture, and a hand-made plan with awkward values."""
    intake = Intake.model_validate(EXAMPLE)
    found = assess(intake)
    built = [
        build_plan(found, intake.athlete, PlanOptions(weeks=weeks, start=start, deload_every=d))
        for weeks, start, d in [
            (4, date(2026, 11, 30), 2),
            (12, date(2026, 12, 7), 4),
            (24, date(2027, 1, 4), 3),
        ]
    ]
    edited = [
        editing.delete_session(built[1], 1, 0),
        editing.adapt_week(built[1], 2, "travel", equipment=set()),
        editing.adapt_week(built[1], 3, "niggle", equipment=set(), region="knee"),
    ]
    cli_fixture = Plan.model_validate_json((FIXTURES / "next_plan.json").read_text())
    awkward = Plan(
        start=date(2026, 1, 5),
        notes=['quotes " and \\\\ and \u00e9\u00e8 \u2014 \U0001f3c3', ""],
        pace_min_per_km=5.123456789,
        weeks=[
            PlanWeek(index=1, run_km=0.1 + 0.2, notes=["a", "b"], sessions=[]),
            PlanWeek(
                index=2,
                deload=True,
                phase="taper",
                sessions=[
                    PlanSession(date=date(2026, 1, 12), kind="easy_run", minutes=0, run_km=1e-7),
                    PlanSession(date=date(2026, 1, 12), kind="easy_run", minutes=600, run_km=100),
                ],
            ),
            PlanWeek(
                index=5, sessions=[PlanSession(date=date(2026, 2, 2), kind="mobility", minutes=10)]
            ),
        ],
    )
    return [*built, *edited, cli_fixture, awkward]


def test_every_plan_the_tests_build_loads_as_it_was_saved(con):
    aid = add_runner(con, Intake.model_validate(EXAMPLE).athlete)
    examples = example_plans()
    plan_id = plans.create(con, aid, examples[0], PlanOptions(start=examples[0].start))
    versions = {1: examples[0]}
    for plan in examples[1:]:
        versions[plans.add_version(con, plan_id, plan, "example")] = plan
    for version, plan in versions.items():
        assert plans.load(con, plan_id, version) == plan, version
    weeks = con.execute("SELECT count(*) FROM plan_weeks WHERE plan_id = ?", [plan_id]).fetchone()
    assert weeks[0] == sum(len(p.weeks) for p in examples)


def test_a_version_is_stored_once_as_rows(con):
    plan = example_plans()[1]
    aid = add_runner(con, Intake.model_validate(EXAMPLE).athlete)
    plan_id = plans.create(con, aid, plan, PlanOptions(start=plan.start))
    header = con.execute("SELECT header FROM plan_versions WHERE plan_id = ?", [plan_id]).fetchone()
    assert set(json.loads(header[0])) == {"start", "notes", "pace_min_per_km"}
    detail = con.execute(
        "SELECT DISTINCT unnest(json_keys(detail)) FROM plan_sessions WHERE plan_id = ?",
        [plan_id],
    ).fetchall()
    assert {k for (k,) in detail} == {"exercises", "steps", "reason"}
    weeks = con.execute(
        "SELECT week, phase, deload, run_km, notes FROM plan_weeks WHERE plan_id = ? ORDER BY week",
        [plan_id],
    ).fetchall()
    assert weeks == [
        (w.index, w.phase, w.deload, w.run_km, json.dumps(w.notes)) for w in plan.weeks
    ]
    columns = {r[0] for r in con.execute("DESCRIBE plan_versions").fetchall()}
    assert "body" not in columns
    assert "deload" not in {r[0] for r in con.execute("DESCRIBE plan_sessions").fetchall()}


def test_weeks_out_of_order_are_refused_and_nothing_is_written(con):
    aid = add_runner(con, AthleteProfile(name="Ana"))
    plan = Plan(start=date(2026, 1, 5), weeks=[PlanWeek(index=2), PlanWeek(index=1)])
    with pytest.raises(InvalidInput) as info:
        plans.create(con, aid, plan, PlanOptions(start=plan.start))
    assert "weeks" in info.value.fields
    twice = Plan(start=date(2026, 1, 5), weeks=[PlanWeek(index=1), PlanWeek(index=1)])
    with pytest.raises(InvalidInput):
        plans.create(con, aid, twice, PlanOptions(start=plan.start))
    for table in ("plans", "plan_versions", "plan_weeks", "plan_sessions"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_a_runners_cursor_sees_only_their_plan_weeks(saved_team):
    con, _ = saved_team
    mine = scoped(con, 1)
    own = {r[0] for r in con.execute("SELECT id FROM plans WHERE athlete_id = 1").fetchall()}
    seen = {r[0] for r in mine.execute("SELECT DISTINCT plan_id FROM plan_weeks").fetchall()}
    assert seen == own
    status = mine.execute("SELECT DISTINCT athlete_id FROM planned_session_status").fetchall()
    assert status == [(1,)]


# --- the profile: stored once, on the assessments ---------------------------------------------


def test_the_current_profile_is_the_latest_assessments(con):
    intake = Intake.model_validate(EXAMPLE)
    athlete_id = add_runner(con, intake.athlete, on=date(2026, 1, 1))
    later = intake.athlete.model_copy(update={"weekly_km": 55.0})
    same_day = intake.athlete.model_copy(update={"weekly_km": 60.0})
    for profile, on in [(later, date(2026, 3, 1)), (same_day, date(2026, 3, 1))]:
        form = Intake(athlete=profile, assessed_on=on)
        assessments.save(con, [AssessmentRecord(intake=form, findings=[], athlete_id=athlete_id)])
    back_dated = Intake(athlete=intake.athlete, assessed_on=date(2026, 2, 1))
    assessments.save(con, [AssessmentRecord(intake=back_dated, findings=[], athlete_id=athlete_id)])
    assert athletes.get(con, athlete_id) == same_day  # latest day, then the newest on that day
    roster = athletes.roster(con).set_index("id")
    assert roster.loc[athlete_id, "weekly_km"] == 60.0
    assert roster.loc[athlete_id, "assessments"] == 4
    assert roster.loc[athlete_id, "last_assessed"] == pd.Timestamp(2026, 3, 1)
    assert [r[0] for r in con.execute("DESCRIBE athletes").fetchall()] == ["id", "created_at"]
    assert athletes.get(con, 999) is None


def test_roster_and_runners_agree_with_the_profiles(saved_team):
    con, _ = saved_team
    roster = athletes.roster(con)
    profiles = {i: athletes.get(con, i) for i in roster["id"]}
    assert roster["name"].tolist() == [profiles[i].name for i in roster["id"]]
    assert roster["name"].tolist() == sorted(roster["name"])
    for row in roster.itertuples():
        p = profiles[row.id]
        assert row.weekly_km == p.weekly_km
        assert row.goal_event == (p.goal.event if p.goal else None)
    runners = review.runners(con)
    assert dict(zip(runners["athlete_id"], runners["name"], strict=True)) == {
        i: p.name for i, p in profiles.items()
    }


def test_migration_keeps_a_runner_without_an_assessment_as_an_import(tmp_path, monkeypatch):
    everything = conn_mod.migrations()
    monkeypatch.setattr(conn_mod, "migrations", lambda: [m for m in everything if m[0] <= 8])
    path = tmp_path / "v8.duckdb"
    old = connect(path)
    old.execute(
        "INSERT INTO athletes (name, weekly_km, runs_per_week, longest_run_km, goal_event, "
        "goal_date, available_days, minutes_per_day, equipment, minutes_by_day, long_run_day, "
        "recent_race_km, recent_race_time, recent_race_date, max_hr, goal_distance_km, "
        "created_at) VALUES ('No Intake', 20, 2, 8, 'trail race', DATE '2027-06-01', "
        "['tue', 'sat'], 40, ['band'], MAP {'sat': 90}, 'sat', 10, '00:55:00', "
        "DATE '2026-03-01', 180, 30, TIMESTAMP '2026-04-01 10:00:00')"
    )
    old.close()
    monkeypatch.undo()
    con = connect(path)
    assert athletes.get(con, 1) == AthleteProfile.model_validate(
        {
            "name": "No Intake",
            "weekly_km": 20.0,
            "runs_per_week": 2,
            "longest_run_km": 8.0,
            "goal": {"event": "trail race", "date": "2027-06-01", "distance_km": 30.0},
            "available_days": ["tue", "sat"],
            "minutes_per_day": 40,
            "equipment": ["band"],
            "minutes_by_day": {"sat": 90},
            "long_run_day": "sat",
            "recent_race": {"distance_km": 10.0, "time": "00:55:00", "date": "2026-03-01"},
            "max_hr": 180,
        }
    )
    assert con.execute("SELECT assessed_on, mode FROM assessments").fetchall() == [
        (date(2026, 4, 1), "import")
    ]
    con.close()


# --- one planned-session status ---------------------------------------------------------------

# The reviews' query before the status view (migration 4's view and review.adherence of main at
# 7123152), kept here to show the view gives the same answer.
OLD_ADHERENCE = """
WITH starts AS (
    SELECT s.plan_id, p.athlete_id, min(s.day) AS first_day
    FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
    WHERE s.version = 1
    GROUP BY ALL
),
current AS (
    SELECT plan_id, max(version) AS version
    FROM plan_versions WHERE status = 'accepted'
    GROUP BY plan_id
),
planned_sessions AS (
    SELECT st.athlete_id, s.plan_id, s.version, s.week, s.position, s.day, s.kind
    FROM plan_sessions s
    JOIN current v ON v.plan_id = s.plan_id AND v.version = s.version
    JOIN starts st ON st.plan_id = s.plan_id
    WHERE st.plan_id = (
        SELECT o.plan_id FROM starts o
        WHERE o.athlete_id = st.athlete_id AND o.first_day <= s.day
        ORDER BY o.first_day DESC, o.plan_id DESC LIMIT 1
    )
)
SELECT p.athlete_id, p.plan_id, p.day, p.kind,
       EXISTS (
           SELECT 1 FROM session_logs l
           WHERE l.plan_id = p.plan_id AND l.day = p.day AND l.kind = p.kind
       ) AS done
FROM planned_sessions p
WHERE ($1::INTEGER IS NULL OR p.athlete_id = $1) AND p.day BETWEEN $2 AND $3
ORDER BY ALL
"""


def test_adherence_gives_the_old_querys_answer_on_the_demo_team(saved_team):
    con, _ = saved_team
    first = con.execute("SELECT min(day) FROM plan_sessions").fetchone()[0]
    for athlete, start, end in [
        (None, first, TODAY),
        (None, TODAY - timedelta(days=14), TODAY - timedelta(days=1)),
        (3, TODAY - timedelta(weeks=16), TODAY),
    ]:
        new = review.adherence(con, athlete, start, end)
        got = sorted(
            new[["athlete_id", "plan_id", "day", "kind", "done"]].itertuples(index=False, name=None)
        )
        old = con.execute(OLD_ADHERENCE, [athlete, start, end]).fetchall()
        assert [(a, p, pd.Timestamp(d), k, bool(x)) for a, p, d, k, x in old] == [
            (a, p, pd.Timestamp(d), k, bool(x)) for a, p, d, k, x in got
        ]
        assert len(old) > 0
        assert (new["log_id"].notna() == new["done"]).all()


def status_rows(frame: pd.DataFrame) -> list[tuple]:
    """(plan, kind, done, log) per planned session, sorted; -1 for no log."""
    columns = frame[["plan_id", "kind", "done", "log_id"]].fillna({"log_id": -1})
    return sorted((int(p), k, bool(d), int(g)) for p, k, d, g in columns.itertuples(index=False))


def test_the_log_page_and_the_reviews_read_one_status(saved_team):
    con, _ = saved_team
    start, end = TODAY - timedelta(weeks=3), TODAY
    for athlete in (1, 3, 5):
        reviewed = review.adherence(con, athlete, start, end)
        assert not reviewed.empty
        for day, rows in reviewed.groupby("day"):
            on_log = logs.planned_on(con, athlete, day.date())
            assert status_rows(on_log) == status_rows(rows), (athlete, day)


def test_one_view_says_what_is_planned(saved_team):
    con, _ = saved_team
    views = {
        r[0]
        for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    assert "planned_session_status" in views and "planned_sessions" not in views
    deloads = con.execute("SELECT count(*) FROM planned_session_status WHERE deload").fetchone()[0]
    assert deloads > 0


def test_a_log_of_a_planned_session_marks_it_done_on_the_log_page(tmp_path, demo_template):
    path = tmp_path / "team.duckdb"
    shutil.copy(demo_template, path)
    con = connect(path)
    athlete = 1
    ahead = con.execute(
        "SELECT plan_id, version, week, position, day, kind FROM planned_session_status "
        "WHERE athlete_id = ? AND NOT done AND day <= ? ORDER BY day DESC LIMIT 1",
        [athlete, TODAY],
    ).fetchone()
    plan_id, version, week, position, day, kind = ahead
    before = logs.planned_on(con, athlete, day)
    mine = before[(before["week"] == week) & (before["position"] == position)]
    assert mine["done"].tolist() == [False] and mine["log_id"].isna().all()
    log_id = logs.save(
        con,
        SessionLog(
            athlete_id=athlete,
            day=day,
            kind=kind,
            minutes=30.0,
            rpe=4.0,
            planned=PlannedRef(plan_id=plan_id, version=version, week=week, position=position),
        ),
    )
    after = logs.planned_on(con, athlete, day)
    mine = after[(after["week"] == week) & (after["position"] == position)]
    assert mine["done"].tolist() == [True] and mine["log_id"].tolist() == [log_id]
    assert list(after.columns) == [
        "plan_id",
        "version",
        "week",
        "position",
        "kind",
        "done",
        "log_id",
    ]
    con.close()


def test_a_backup_restores_the_views(tmp_path, demo_template):
    shutil.copy(demo_template, tmp_path / "src.duckdb")
    src = connect(tmp_path / "src.duckdb")
    backup.backup(src, tmp_path / "b")
    restored = backup.restore(tmp_path / "b", tmp_path / "restored.duckdb")
    query = "SELECT * FROM planned_session_status ORDER BY ALL"
    assert restored.execute(query).fetchall() == src.execute(query).fetchall()
    first = src.execute("SELECT min(plan_id) FROM plan_versions").fetchone()[0]
    assert plans.load(restored, first, 1) == plans.load(src, first, 1)
    src.close()
    restored.close()


# --- named errors from the store --------------------------------------------------------------


@pytest.fixture
def two(con):
    """Two runners, a plan and a log of runner 2's, and runner 1's cursor."""
    intake = Intake.model_validate(EXAMPLE)
    one = add_runner(con, intake.athlete.model_copy(update={"name": "One"}))
    other = add_runner(con, intake.athlete)
    plan = example_plans()[0]
    plan_id = plans.create(con, other, plan, PlanOptions(start=plan.start))
    log_id = logs.save(
        con, SessionLog(athlete_id=other, day=TODAY, kind="strength", minutes=20.0, rpe=5.0)
    )
    return con, scoped(con, one), other, plan_id, log_id, plan


def test_the_store_refuses_with_forbidden(two):
    con, mine, other, plan_id, log_id, plan = two
    log = SessionLog(athlete_id=other, day=TODAY, kind="strength", minutes=20.0, rpe=5.0)
    refused = {
        "check_athlete": lambda: conn_mod.check_athlete(mine, other),
        "plans.create": lambda: plans.create(mine, other, plan, PlanOptions(start=plan.start)),
        "plans.decide": lambda: plans.decide(mine, plan_id, 1, accept=True),
        "athletes.insert": lambda: athletes.insert(mine),
        "logs.save": lambda: logs.save(mine, log),
        "logs.update": lambda: logs.update(mine, log_id, log),
        "logs.add_comment as coach": lambda: logs.add_comment(
            mine, Comment(log_id=log_id, author="coach", body="x")
        ),
        "logs.save_demo": lambda: logs.save_demo(
            mine, {"logs": [], "exercises": [], "pain": [], "wellness": []}
        ),
        "links.create": lambda: links.create(mine, other, 30, NOW),
    }
    for call in refused.values():
        with pytest.raises(Forbidden):
            call()


def test_the_store_says_not_found(two):
    con, mine, other, plan_id, log_id, plan = two
    log = SessionLog(athlete_id=other, day=TODAY, kind="strength", minutes=20.0, rpe=5.0)
    intake = Intake.model_validate(EXAMPLE)
    missing = {
        "plans.add_version": (lambda: plans.add_version(con, 999, plan, "x"), "unknown plan id"),
        "logs.update": (lambda: logs.update(con, 999, log), "log 999 does not exist"),
        "logs.delete": (lambda: logs.delete(con, 999), "log 999 does not exist"),
        "logs.add_comment": (
            lambda: logs.add_comment(con, Comment(log_id=999, author="coach", body="x")),
            "log 999 does not exist",
        ),
        "links.create": (lambda: links.create(con, 999, 30, NOW), "unknown runner 999"),
        "logs.save_wellness": (
            lambda: logs.save_wellness(
                con,
                Wellness(
                    athlete_id=999,
                    day=TODAY,
                    sleep_hours=7.0,
                    sleep_quality=3,
                    fatigue=3,
                    soreness=3,
                    stress=3,
                    mood=3,
                ),
            ),
            "no runner 999",
        ),
        "logs.save_morning_pain": (
            lambda: logs.save_morning_pain(
                con, MorningPain(athlete_id=999, day=TODAY, region="knee", score=2)
            ),
            "no runner 999",
        ),
        "assessments.save": (
            lambda: assessments.save(
                con, [AssessmentRecord(intake=intake, findings=[], athlete_id=999)]
            ),
            "unknown athlete id 999",
        ),
        "another runner's plan": (
            lambda: plans.add_version(mine, plan_id, plan, "x"),
            f"unknown plan id {plan_id}",
        ),
    }
    for name, (call, says) in missing.items():
        with pytest.raises(NotFound, match=says):
            call()
        assert con.execute("SELECT count(*) FROM runner_links").fetchone()[0] == 0, name


def test_the_store_says_conflict(two, monkeypatch):
    con, _, _, plan_id, _, plan = two
    with pytest.raises(Conflict, match="not a pending proposal"):
        plans.decide(con, plan_id, 1, accept=True)
    assert issubclass(logs.DuplicateFile, Conflict)

    # A version-number race: another device's version 2 commits while this save writes its own.
    holder = con.cursor()
    holder.execute("BEGIN TRANSACTION")
    holder.execute(
        "INSERT INTO plan_versions (plan_id, version, note, status, header) "
        "VALUES (?, 2, 'other device', 'accepted', '{}')",
        [plan_id],
    )
    real = plans._write_version

    def write_then_other_commits(*args, **kwargs):
        real(*args, **kwargs)
        holder.execute("COMMIT")

    monkeypatch.setattr(plans, "_write_version", write_then_other_commits)
    with pytest.raises(Conflict, match="another device saved a new version") as info:
        plans.add_version(con, plan_id, plan, "edited")
    assert isinstance(info.value, plans.VersionTaken)
    assert con.execute(
        "SELECT version, note FROM plan_versions WHERE plan_id = ? ORDER BY version", [plan_id]
    ).fetchall() == [(1, "generated"), (2, "other device")]
    assert con.execute(
        "SELECT count(*) FROM plan_sessions WHERE plan_id = ? AND version = 2", [plan_id]
    ).fetchone() == (0,)


@pytest.mark.parametrize("days", [0, 366, -5])
def test_a_link_outside_1_to_365_days_is_invalid_input(two, days):
    con, _, other, _, _, _ = two
    with pytest.raises(InvalidInput) as info:
        links.create(con, other, days, NOW)
    assert info.value.fields == {"days": "a link lasts 1 to 365 days"}
    assert con.execute("SELECT count(*) FROM runner_links").fetchone()[0] == 0


def test_backup_errors_are_named_and_keep_their_messages(tmp_path):
    with pytest.raises(backup.NotABackup, match="is not a folder") as info:
        backup.check(tmp_path / "nowhere")
    assert isinstance(info.value, NotFound) and isinstance(info.value, backup.BackupError)
    with pytest.raises(backup.BackupError, match="no such database file") as failed:
        backup.backup_file(tmp_path / "missing.duckdb", tmp_path / "b")
    assert isinstance(failed.value, InvalidInput)
    assert str(failed.value) == f"{tmp_path / 'missing.duckdb'}: no such database file"


FAULTS = [
    (duckdb.IOException('IO Error: Could not set lock on file "/x/wal/a.duckdb"'), "another"),
    (duckdb.IOException('The file "/x" exists, but it is not a valid DuckDB database'), "damaged"),
    (duckdb.IOException("IO Error: No space left on device (/data/walter/x.duckdb.wal)"), "full"),
    (duckdb.IOException("IO Error: Read-only file system"), "read-only disk"),
    (duckdb.IOException("IO Error: Permission denied"), "cannot be written by this user"),
    (duckdb.Error("Failure while replaying WAL file: checksum mismatch"), "write-ahead log"),
    (duckdb.OutOfMemoryException("Out of Memory Error: could not allocate"), "more memory"),
    (duckdb.FatalException("FATAL Error: database has been invalidated"), "restart RunForm"),
    (duckdb.InternalException("INTERNAL Error: something"), "restart RunForm"),
    (duckdb.PermissionException("Permission Error: file system disabled"), "settings forbid"),
    (duckdb.SerializationException("Serialization Error: bad data"), "damaged"),
    (OSError(errno.ENOSPC, "whatever the platform says"), "the disk is full"),
    (OSError(errno.EROFS, "whatever"), "read-only disk"),
    (OSError(errno.EACCES, "whatever"), "cannot be written by this user"),
    (OSError(errno.EPERM, "whatever"), "cannot be written by this user"),
]


@pytest.mark.parametrize(("error", "says"), FAULTS, ids=[type(e).__name__ for e, _ in FAULTS])
def test_explain_names_the_fault_by_its_type_and_errno(error, says):
    message = explain(error, "/data/runform.duckdb")
    assert isinstance(message, StorageUnavailable)
    assert says in str(message) and "What to do:" in str(message), str(message)


@pytest.mark.parametrize(
    "error",
    [duckdb.ConstraintException("Duplicate key"), duckdb.TransactionException("Conflict")],
)
def test_explain_calls_two_writes_that_clashed_a_conflict(error):
    message = explain(error, "/data/runform.duckdb")
    assert isinstance(message, Conflict) and "Another device" in str(message)


def test_an_unknown_fault_still_says_what_to_do():
    message = explain(duckdb.CatalogException("Catalog Error: odd"), "/x.duckdb")
    assert isinstance(message, StorageUnavailable) and isinstance(message, RunFormError)
    assert "saved nothing" in str(message) and "Catalog Error: odd" in str(message)


def test_checkpoint_writes_the_log_into_the_file(tmp_path):
    con = connect(tmp_path / "c.duckdb")
    add_runner(con, AthleteProfile(name="Ana"))
    checkpoint(con)
    assert not Path(f"{tmp_path / 'c.duckdb'}.wal").exists()
    con.close()
