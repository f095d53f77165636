"""The logs store: whole-or-nothing saves, edits, deletes, duplicate watch files, check-ins,
comments, load, concurrent writers, and progression saved as a proposed plan version."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from runform import clock
from runform.errors import Conflict, NotFound
from runform.models import (
    AthleteProfile,
    Comment,
    ExerciseLog,
    MorningPain,
    Plan,
    PlanExercise,
    PlannedRef,
    PlanOptions,
    PlanSession,
    PlanWeek,
    SessionLog,
    SessionPain,
    Wellness,
)
from runform.services import training_log
from runform.store import logs, plans
from tests.conftest import add_runner

TODAY = clock.today()
SHA = "ab" * 32
COUNTED = ("session_logs", "exercise_logs", "pain_reports", "run_records", "comments")


def athlete(con, name: str = "Ana", **kw) -> int:
    return add_runner(con, AthleteProfile(name=name, longest_run_km=10.0, **kw))


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


def strength_log(aid: int, day: date | None = None, **kw) -> SessionLog:
    data = dict(
        athlete_id=aid,
        day=day or TODAY - timedelta(days=2),
        kind="strength",
        minutes=35.0,
        rpe=6.0,
        exercises=[
            ExerciseLog(exercise_id="glute_bridge", position=0, sets=3, reps=12, rpe=6.0),
            ExerciseLog(exercise_id="side_plank", position=1, sets=3, seconds=30, rpe=5.5),
            ExerciseLog(exercise_id="clamshell", position=2, sets=0, skipped=True),
        ],
        pain=[
            SessionPain(region="hip", side="left", score=3, when="during_run"),
            SessionPain(region="knee", score=1, when="after_run"),
        ],
        note="felt fine",
    )
    data.update(kw)
    return SessionLog(**data)


def run_log(aid: int, day: date | None = None, **kw) -> SessionLog:
    data = dict(
        athlete_id=aid,
        day=day or TODAY - timedelta(days=1),
        kind="easy_run",
        minutes=40.0,
        rpe=4.0,
        run_km=7.5,
        cadence_spm=172.0,
        fit_sha256=SHA,
    )
    data.update(kw)
    return SessionLog(**data)


def records(n: int = 5) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "t_s": [float(i) for i in range(n)],
            "distance_m": [i * 3.0 for i in range(n)],
            "cadence_spm": [170.0] * n,
            "ground_contact_ms": [240.0] * n,
            "vertical_oscillation_cm": [8.0] * n,
            "vertical_ratio_pct": [7.5] * n,
            "stance_balance_left_pct": [50.0] * n,
        }
    )


# --- save, get, update, delete --------------------------------------------------------------


def test_save_then_get_round_trips_exercises_and_pain(con):
    aid = athlete(con)
    log = strength_log(aid, planned=PlannedRef(plan_id=7, version=2, week=3, position=1))
    log_id = logs.save(con, log)

    got = logs.get(con, log_id)
    assert got is not None
    assert got.model_dump() == log.model_dump()
    assert [e.exercise_id for e in got.exercises] == ["glute_bridge", "side_plank", "clamshell"]
    assert got.exercises[2].skipped is True
    assert [(p.region, p.side, p.score, p.when) for p in got.pain] == [
        ("hip", "left", 3, "during_run"),
        ("knee", None, 1, "after_run"),
    ]
    assert logs.get(con, log_id + 1000) is None


def test_save_round_trips_a_run_with_its_watch_series(con):
    aid = athlete(con)
    log = run_log(aid)
    log_id = logs.save(con, log, records(6))
    assert logs.get(con, log_id).model_dump() == log.model_dump()
    assert counts(con)["run_records"] == 6
    assert logs.runs(con, aid)["run_km"].tolist() == [7.5]


def test_a_failing_child_insert_leaves_nothing(con, monkeypatch):
    aid = athlete(con)
    real = logs._children

    def children_then_fail(c, log_id, log, recs):
        real(c, log_id, log, recs)  # the parent and every child row are written first
        raise RuntimeError("disk full")

    monkeypatch.setattr(logs, "_children", children_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        logs.save(con, run_log(aid, exercises=strength_log(aid).exercises), records())

    assert counts(con) == dict.fromkeys(COUNTED, 0)
    monkeypatch.undo()
    assert logs.save(con, run_log(aid)) > 0  # the connection is usable afterwards
    assert counts(con)["session_logs"] == 1


def test_a_constraint_failure_in_a_child_row_leaves_no_session_row(con):
    aid = athlete(con)
    clash = [
        ExerciseLog(exercise_id="glute_bridge", position=0, sets=3, reps=12),
        ExerciseLog(exercise_id="side_plank", position=0, sets=3, seconds=30),
    ]
    with pytest.raises(Conflict) as refused:
        logs.save(con, strength_log(aid, exercises=clash))
    assert isinstance(refused.value.__cause__, duckdb.ConstraintException)
    assert counts(con) == dict.fromkeys(COUNTED, 0)


def test_update_replaces_exercises_and_pain_and_keeps_id_comments_and_series(con):
    aid = athlete(con)
    original = strength_log(aid)
    log_id = logs.save(
        con, run_log(aid, exercises=original.exercises, pain=original.pain), records(4)
    )
    logs.add_comment(con, Comment(log_id=log_id, author="coach", body="nice pacing"))
    assert counts(con)["exercise_logs"] == 3 and counts(con)["pain_reports"] == 2

    edited = run_log(
        aid,
        minutes=45.0,
        rpe=5.0,
        note="edited",
        exercises=[ExerciseLog(exercise_id="double_leg_calf_raise", position=0, sets=2, reps=15)],
        pain=[SessionPain(region="calf", side="right", score=4, when="after_run")],
    )
    logs.update(con, log_id, edited)

    got = logs.get(con, log_id)
    assert got.model_dump() == edited.model_dump()
    assert con.execute("SELECT id FROM session_logs").fetchall() == [(log_id,)]
    assert counts(con) == {
        "session_logs": 1,
        "exercise_logs": 1,
        "pain_reports": 1,
        "run_records": 4,
        "comments": 1,
    }
    assert logs.comments(con, log_id)["body"].tolist() == ["nice pacing"]


def test_update_of_a_missing_log_raises_and_writes_nothing(con):
    aid = athlete(con)
    with pytest.raises(NotFound, match="does not exist"):
        logs.update(con, 999, strength_log(aid))
    assert counts(con) == dict.fromkeys(COUNTED, 0)


def test_delete_removes_the_log_and_its_children(con):
    aid = athlete(con)
    keep = logs.save(con, strength_log(aid, day=TODAY - timedelta(days=5)))
    log_id = logs.save(con, run_log(aid, pain=strength_log(aid).pain), records(3))
    logs.add_comment(con, Comment(log_id=log_id, author="runner", body="sore"))
    logs.add_comment(con, Comment(log_id=keep, author="runner", body="kept"))
    before = counts(con)

    logs.delete(con, log_id)

    assert logs.get(con, log_id) is None
    for table in COUNTED:
        column = "id" if table == "session_logs" else "log_id"
        n = con.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [log_id]).fetchone()
        assert n[0] == 0, table
    assert counts(con) == {
        "session_logs": before["session_logs"] - 1,
        "exercise_logs": before["exercise_logs"],
        "pain_reports": before["pain_reports"] - 2,
        "run_records": before["run_records"] - 3,
        "comments": before["comments"] - 1,
    }
    assert logs.get(con, keep) is not None


# --- duplicate watch files ------------------------------------------------------------------


def test_the_same_watch_file_twice_for_one_runner_raises_and_writes_nothing(con):
    aid = athlete(con)
    logs.save(con, run_log(aid), records(3))
    before = counts(con)

    with pytest.raises(logs.DuplicateFile):
        logs.save(con, run_log(aid, day=TODAY, note="again"), records(3))
    assert counts(con) == before


def test_the_same_watch_file_for_another_runner_is_allowed(con):
    ana, ben = athlete(con), athlete(con, "Ben")
    first = logs.save(con, run_log(ana))
    second = logs.save(con, run_log(ben))
    assert first != second
    assert logs.get(con, second).athlete_id == ben
    assert counts(con)["session_logs"] == 2


def test_logs_without_a_watch_file_are_never_duplicates(con):
    aid = athlete(con)
    logs.save(con, run_log(aid, fit_sha256=None))
    logs.save(con, run_log(aid, fit_sha256=None))
    assert counts(con)["session_logs"] == 2


def test_updating_a_log_to_another_logs_watch_file_raises(con):
    aid = athlete(con)
    logs.save(con, run_log(aid))
    other = logs.save(con, run_log(aid, fit_sha256="cd" * 32, note="other"))
    with pytest.raises(logs.DuplicateFile):
        logs.update(con, other, run_log(aid, note="changed"))
    assert logs.get(con, other).note == "other"
    assert logs.get(con, other).fit_sha256 == "cd" * 32


# --- wellness, morning pain, comments, recent ------------------------------------------------


def wellness(aid: int, day: date, **kw) -> Wellness:
    items = dict(sleep_quality=3, fatigue=3, soreness=3, stress=3, mood=3) | kw
    return Wellness(athlete_id=aid, day=day, sleep_hours=7.0, **items)


def test_a_second_check_in_the_same_day_replaces_the_first(con):
    aid, other = athlete(con), athlete(con, "Ben")
    day = TODAY - timedelta(days=1)
    logs.save_wellness(con, wellness(aid, day - timedelta(days=1), mood=2))
    logs.save_wellness(con, wellness(aid, day, fatigue=2, mood=4))
    logs.save_wellness(con, wellness(other, day, fatigue=1))
    logs.save_wellness(con, wellness(aid, day, fatigue=5, mood=1))

    w = logs.wellness(con, aid)
    assert len(w) == 2
    last = w.iloc[-1]
    assert pd.Timestamp(last["day"]).date() == day
    assert (last["fatigue"], last["mood"]) == (5, 1)
    assert logs.wellness(con, other)["fatigue"].tolist() == [1]


def test_morning_pain_lands_as_next_morning(con):
    aid = athlete(con)
    day = TODAY - timedelta(days=1)
    logs.save_morning_pain(con, MorningPain(athlete_id=aid, day=day, region="knee", score=2))

    p = logs.pain_history(con, aid)
    assert len(p) == 1
    row = p.iloc[0]
    assert (row["region"], row["score"], row["when"]) == ("knee", 2, "next_morning")
    assert pd.Timestamp(row["day"]).date() == day
    assert con.execute("SELECT log_id FROM pain_reports").fetchall() == [(None,)]


def test_comments_come_back_in_order(con):
    aid = athlete(con)
    log_id = logs.save(con, strength_log(aid))
    bodies = [("runner", "sore hip"), ("coach", "bridge slower"), ("runner", "will do")]
    ids = [logs.add_comment(con, Comment(log_id=log_id, author=a, body=b)) for a, b in bodies]

    assert ids == sorted(ids) and len(set(ids)) == 3
    c = logs.comments(con, log_id)
    assert list(zip(c["author"], c["body"], strict=True)) == bodies
    assert logs.comments(con, log_id + 1).empty


def test_recent_computes_load_newest_first(con):
    aid, other = athlete(con), athlete(con, "Ben")
    old = logs.save(con, strength_log(aid, day=TODAY - timedelta(days=3), minutes=30.0, rpe=5.0))
    new = logs.save(con, run_log(aid, minutes=50.0, rpe=7.0))
    logs.save(con, run_log(other, minutes=20.0, rpe=2.0))
    logs.add_comment(con, Comment(log_id=old, author="coach", body="good"))

    r = logs.recent(con, aid)
    assert r["id"].tolist() == [new, old]
    assert r["load"].tolist() == [350.0, 150.0]
    assert r["max_pain"].tolist()[1] == 3
    assert r["comments"].tolist() == [0, 1]
    assert len(logs.recent(con, aid, limit=1)) == 1


# --- recording a session proposes the next plan version --------------------------------------


def gb(reps: int = 15) -> PlanExercise:
    return PlanExercise(id="glute_bridge", name="Glute bridge", sets=3, reps=reps)


def plan_around_today() -> Plan:
    days = [TODAY - timedelta(days=6), TODAY - timedelta(days=3)]
    days += [TODAY + timedelta(days=2), TODAY + timedelta(days=5)]
    return Plan(
        start=TODAY - timedelta(days=7),
        weeks=[
            PlanWeek(
                index=1,
                sessions=[
                    PlanSession(date=d, kind="strength", minutes=30, exercises=[gb()]) for d in days
                ],
            )
        ],
    )


def with_plan(con) -> tuple[int, int]:
    aid = athlete(con)
    pid = plans.create(con, aid, plan_around_today(), PlanOptions(start=TODAY - timedelta(days=7)))
    return aid, pid


def bridge_log(aid: int, days_ago: int, rpe: float = 6.0) -> SessionLog:
    return SessionLog(
        athlete_id=aid,
        day=TODAY - timedelta(days=days_ago),
        kind="strength",
        minutes=30.0,
        rpe=rpe,
        exercises=[ExerciseLog(exercise_id="glute_bridge", position=0, sets=3, reps=15, rpe=rpe)],
    )


def upcoming_ids(plan: Plan) -> set[str]:
    return {e.id for s in plan.weeks[0].sessions if s.date > TODAY for e in s.exercises}


def propose_harder(con) -> tuple[int, int, int]:
    aid, pid = with_plan(con)
    logs.save(con, bridge_log(aid, 6))
    saved = training_log.log_session(con, bridge_log(aid, 3))
    log_id, result = saved.log_id, saved.next_dose
    assert logs.get(con, log_id) is not None
    assert result is not None and result.changed()
    return aid, pid, log_id


def test_record_saves_a_proposed_version_and_keeps_the_current_one(con):
    _, pid, _ = propose_harder(con)

    proposal = plans.proposal(con, pid)
    assert proposal is not None and proposal[0] == 2
    assert "glute bridge" in proposal[1].lower()
    assert plans.current_version(con, pid) == 1
    assert upcoming_ids(plans.load(con, pid)) == {"glute_bridge"}
    assert upcoming_ids(plans.load(con, pid, 2)) == {"single_leg_glute_bridge"}
    assert plans.versions(con, pid)["status"].tolist() == ["proposed", "accepted"]


def test_accepting_the_proposal_makes_it_current(con):
    _, pid, _ = propose_harder(con)
    plans.decide(con, pid, 2, accept=True)

    assert plans.current_version(con, pid) == 2
    assert upcoming_ids(plans.load(con, pid)) == {"single_leg_glute_bridge"}
    assert plans.proposal(con, pid) is None
    assert plans.versions(con, pid)["status"].tolist() == ["accepted", "accepted"]


def test_rejecting_the_proposal_keeps_the_old_current_version(con):
    _, pid, _ = propose_harder(con)
    plans.decide(con, pid, 2, accept=False)

    assert plans.current_version(con, pid) == 1
    assert upcoming_ids(plans.load(con, pid)) == {"glute_bridge"}
    assert plans.proposal(con, pid) is None
    assert plans.versions(con, pid)["status"].tolist() == ["rejected", "accepted"]


def test_deciding_a_version_that_is_not_a_pending_proposal_raises(con):
    _, pid, _ = propose_harder(con)
    with pytest.raises(Conflict, match="not a pending proposal"):
        plans.decide(con, pid, 1, accept=True)  # the accepted original
    with pytest.raises(Conflict, match="not a pending proposal"):
        plans.decide(con, pid, 9, accept=True)  # no such version
    plans.decide(con, pid, 2, accept=False)
    with pytest.raises(Conflict, match="not a pending proposal"):
        plans.decide(con, pid, 2, accept=True)  # already decided
    assert plans.current_version(con, pid) == 1
    assert plans.versions(con, pid)["status"].tolist() == ["rejected", "accepted"]


def test_record_without_a_change_saves_no_version(con):
    aid, pid = with_plan(con)
    logs.save(con, bridge_log(aid, 6, rpe=9.0))
    result = training_log.log_session(con, bridge_log(aid, 3, rpe=9.0)).next_dose
    assert result is not None and not result.changed()
    assert plans.versions(con, pid)["version"].tolist() == [1]
    assert plans.proposal(con, pid) is None


def test_record_without_a_plan_saves_the_log_only(con):
    aid = athlete(con)
    saved = training_log.log_session(con, run_log(aid))
    log_id, result = saved.log_id, saved.next_dose
    assert result is None
    assert logs.get(con, log_id) is not None


# --- concurrent writers ---------------------------------------------------------------------


def test_two_threads_with_their_own_cursors_save_all_logs(con):
    aid = athlete(con)
    n = 100
    barrier = threading.Barrier(2, timeout=30)
    saved: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        cursor = con.cursor()
        try:
            log = strength_log(aid, note=f"thread {k}")
            barrier.wait()
            saved[k] = [logs.save(cursor, log) for _ in range(n)]
        except BaseException as e:  # reported below; a thread's exception is otherwise lost
            errors.append(e)
        finally:
            cursor.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)

    ids = saved[0] + saved[1]
    assert len(ids) == len(set(ids)) == 2 * n
    db = con.execute("SELECT id FROM session_logs ORDER BY id").fetchall()
    assert sorted(ids) == [r[0] for r in db]
    assert counts(con)["exercise_logs"] == 3 * 2 * n
    assert counts(con)["pain_reports"] == 2 * 2 * n
    notes = con.execute("SELECT note, count(*) FROM session_logs GROUP BY 1 ORDER BY 1")
    assert notes.fetchall() == [("thread 0", n), ("thread 1", n)]


# --- a save is one truth: idempotent submissions, proposals apart from the log -----------------


def test_the_same_submission_twice_writes_one_log(con):
    aid = athlete(con)
    log = strength_log(aid, submission_id="sub-0123456789abcdef")
    first = logs.save(con, log)
    before = counts(con)
    assert logs.save(con, log) == first
    assert counts(con) == before


def test_a_failed_proposal_is_reported_apart_and_the_log_is_kept(con, monkeypatch):
    aid, _ = with_plan(con)
    logs.save(con, bridge_log(aid, 6))

    def full_disk(*args, **kwargs):
        raise duckdb.IOException("IO Error: No space left on device")

    # inside the store's transaction, where a fault of the file becomes StorageUnavailable
    monkeypatch.setattr(plans, "_write_version", full_disk)
    saved = training_log.log_session(con, bridge_log(aid, 3))
    log_id, result, problem = saved.log_id, saved.next_dose, saved.proposal_problem
    assert logs.get(con, log_id) is not None
    assert result is None and "disk is full" in problem


def test_a_version_race_is_retried(con, monkeypatch):
    aid, pid = with_plan(con)
    logs.save(con, bridge_log(aid, 6))
    real, calls = plans._write_version, []

    def racing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.ConstraintException("Duplicate key: another device took this version")
        return real(*args, **kwargs)

    monkeypatch.setattr(plans, "_write_version", racing)
    saved = training_log.log_session(con, bridge_log(aid, 3))
    result, problem = saved.next_dose, saved.proposal_problem
    assert problem is None and result is not None and len(calls) == 2
    assert plans.proposal(con, pid) is not None


def test_simultaneous_saves_of_one_runner_are_all_stored_and_none_reported_lost(tmp_path):
    import threading

    from runform.store.connection import connect

    shared = connect(tmp_path / "race.duckdb")
    aid, _ = with_plan(shared)
    outcomes: list[object] = []

    def save(i: int) -> None:
        cur = shared.cursor()
        try:
            outcomes.append(training_log.log_session(cur, bridge_log(aid, 1 + i % 5)))
        except Exception as e:  # noqa: BLE001 - the test counts every failure
            outcomes.append(e)
        finally:
            cur.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    stored = shared.execute(
        "SELECT count(*) FROM session_logs WHERE athlete_id = ?", [aid]
    ).fetchone()[0]
    assert stored == 30 == len(outcomes)
    versions = shared.execute("SELECT plan_id, version FROM plan_versions").fetchall()
    assert len(versions) == len(set(versions))
    shared.close()
