"""Plan edits and week adaptations, and plans stored with versions."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from runform import editing
from runform.compensations import assess
from runform.exercises import by_id, load_library
from runform.models import AssessmentRecord, Intake, PlanOptions
from runform.planning import build_plan
from runform.store import plans
from tests.conftest import ROOT

LIB = by_id(load_library())
INTAKE = {
    "athlete": {
        "name": "Ana",
        "weekly_km": 30,
        "runs_per_week": 3,
        "longest_run_km": 12,
        "available_days": ["mon", "wed", "fri", "sat"],
        "minutes_per_day": 60,
        "equipment": ["band", "dumbbells", "box"],
    },
    "assessed_on": "2026-11-20",
    "pain": [],
    "screens": {
        "knee_to_wall_cm": {"left": 8.5, "right": 11.0},
        "hip_hinge": 2,
        "single_leg_bridge_reps": {"left": 15, "right": 22},
        "overstride": True,
    },
}


@pytest.fixture(scope="module")
def intake() -> Intake:
    return Intake.model_validate(INTAKE)


@pytest.fixture(scope="module")
def plan(intake):
    return build_plan(
        assess(intake), intake.athlete, PlanOptions(weeks=8, start=date(2026, 11, 30))
    )


def main_exercise(plan, week=1):
    for p, s in enumerate(plan.weeks[week - 1].sessions):
        for i, e in enumerate(s.exercises):
            if e.role == "main" and e.sets > 1:
                return p, i, e
    raise AssertionError("no main exercise in week 1")


def test_alternatives_fit_the_equipment_and_start_with_the_linked_variants():
    alts = editing.alternatives("hip_thrust_dumbbell", {"dumbbells"})
    ex = LIB["hip_thrust_dumbbell"]
    assert all(set(a.equipment) <= {"dumbbells"} for a in alts)
    linked = [i for i in (ex.easier, ex.harder) if set(LIB[i].equipment) <= {"dumbbells"}]
    assert [a.id for a in alts[: len(linked)]] == linked
    assert "hip_thrust_dumbbell" not in [a.id for a in alts]


def test_swap_changes_one_exercise_and_retimes_only_that_week(plan):
    p, i, old = main_exercise(plan)
    new_id = editing.alternatives(old.id, {"band", "dumbbells", "box"})[0].id
    swapped = editing.swap_exercise(plan, 1, p, i, new_id)
    assert swapped.weeks[0].sessions[p].exercises[i].id == new_id
    assert swapped.weeks[0].sessions[p].exercises[i].sets == old.sets
    assert "swapped in by the coach" in swapped.weeks[0].sessions[p].exercises[i].reason
    assert swapped.weeks[1:] == plan.weeks[1:]
    assert plan.weeks[0].sessions[p].exercises[i].id == old.id  # the input is not changed


def test_set_dose_validates(plan):
    p, i, _ = main_exercise(plan)
    changed = editing.set_dose(plan, 1, p, i, sets=2, reps=9, seconds=None)
    assert changed.weeks[0].sessions[p].exercises[i].sets == 2
    assert changed.weeks[0].sessions[p].minutes < plan.weeks[0].sessions[p].minutes
    with pytest.raises(ValueError):
        editing.set_dose(plan, 1, p, i, sets=0, reps=9, seconds=None)


def test_apply_week_edits_moves_deletes_and_changes_doses(plan):
    week = plan.weeks[0]
    first = plan.start
    sessions = [
        {"position": p, "date": s.date, "run_km": s.run_km, "delete": False}
        for p, s in enumerate(week.sessions)
    ]
    sessions[0]["delete"] = True
    run = next(p for p, s in enumerate(week.sessions) if s.run_km and p != 0)
    free_day = next(
        first + timedelta(days=d)
        for d in range(7)
        if all(s.date != first + timedelta(days=d) for s in week.sessions)
    )
    sessions[run]["date"] = free_day
    p, i, ex = next(
        (p, i, e)
        for p, s in enumerate(week.sessions)
        if p not in (0, run)
        for i, e in enumerate(s.exercises)
        if e.role == "main"
    )
    exercises = [
        {
            "position": p,
            "exercise": i,
            "id": ex.id,
            "sets": ex.sets + 1,
            "reps": ex.reps,
            "seconds": ex.seconds,
        }
    ]
    new, changes = editing.apply_week_edits(plan, 1, sessions, exercises)
    assert len(new.weeks[0].sessions) == len(week.sessions) - 1
    assert any(
        s.date == free_day and s.kind == week.sessions[run].kind for s in new.weeks[0].sessions
    )
    assert any("deleted" in c for c in changes) and any("moved" in c for c in changes)
    assert any(
        e.sets == ex.sets + 1 and e.id == ex.id for s in new.weeks[0].sessions for e in s.exercises
    )


def test_move_outside_the_week_is_refused(plan):
    with pytest.raises(editing.EditError, match="within week 1"):
        editing.move_sessions(plan, 1, {0: plan.start + timedelta(days=9)})


def test_unknown_week_or_session_is_refused(plan):
    with pytest.raises(editing.EditError, match="week 99"):
        editing.delete_session(plan, 99, 0)
    with pytest.raises(editing.EditError, match="no session"):
        editing.delete_session(plan, 1, 99)


def test_travel_week_is_equipment_free_and_shorter(plan):
    adapted = editing.adapt_week(plan, 2, "travel", equipment={"band", "dumbbells", "box"})
    week, before = adapted.weeks[1], plan.weeks[1]
    assert all(not LIB[e.id].equipment for s in week.sessions for e in s.exercises)
    assert sum(s.minutes for s in week.sessions) < sum(s.minutes for s in before.sessions)
    assert week.run_km <= before.run_km
    assert adapted.weeks[0] == plan.weeks[0]


def test_illness_rests_then_returns_gently(plan):
    adapted = editing.adapt_week(plan, 2, "illness", equipment=set())
    week = adapted.weeks[1]
    first = plan.start + timedelta(weeks=1)
    assert all(s.date >= first + timedelta(days=3) for s in week.sessions)
    assert all(s.kind not in ("strength", "tempo", "intervals", "long_run") for s in week.sessions)
    assert any("no training until" in n for n in week.notes)


def test_niggle_regresses_the_region(plan):
    """One rule with progression (exercises.pain_regression): a main exercise loading the hip
    is replaced by one that spares it, or paused with a note; none is left loading the hip."""
    adapted = editing.adapt_week(
        plan, 1, "niggle", equipment={"band", "dumbbells", "box"}, region="hip"
    )
    changes = 0
    for old_s, new_s in zip(plan.weeks[0].sessions, adapted.weeks[0].sessions, strict=True):
        old_main = [e for e in old_s.exercises if e.role == "main"]
        new_main = [e for e in new_s.exercises if e.role == "main"]
        assert not [e.id for e in new_main if "hip" in LIB[e.id].regions]
        fresh = [e for e in new_main if e.id not in {o.id for o in old_main}]
        assert all("spares the hip" in e.reason for e in fresh)
        changes += len(fresh) + len(old_main) - len(new_main)
    assert changes, "a hip niggle regresses something"
    with pytest.raises(editing.EditError, match="region"):
        editing.adapt_week(plan, 1, "niggle", equipment=set())


def test_race_week_tapers(plan):
    adapted = editing.adapt_week(plan, 3, "race", equipment=set())
    assert adapted.weeks[2].run_km <= round(plan.weeks[2].run_km * 0.6, 1) + 0.5
    assert any("taper" in n.lower() for n in adapted.weeks[2].notes)


def test_plans_keep_every_version(con, plan, intake):
    from runform.errors import NotFound
    from runform.store import assessments

    [(athlete, _)] = assessments.save(con, [AssessmentRecord(intake=intake, findings=[])])
    options = PlanOptions(weeks=8, start=date(2026, 11, 30))
    plan_id = plans.create(con, athlete, plan, options)
    edited = editing.delete_session(plan, 1, 0)
    assert plans.add_version(con, plan_id, edited, "deleted one") == 2
    assert plans.load(con, plan_id, 1) == plan
    assert plans.load(con, plan_id) == edited
    assert plans.options(con, plan_id) == options
    assert plans.versions(con, plan_id)["note"].tolist() == ["deleted one", "generated"]
    tidy = con.execute(
        "SELECT count(*) FROM plan_sessions WHERE plan_id = ? AND version = 2", [plan_id]
    ).fetchall()[0][0]
    assert tidy == sum(len(w.sessions) for w in edited.weeks)
    with pytest.raises(NotFound, match="unknown plan id"):
        plans.add_version(con, 999, plan, "x")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_plan_is_byte_identical_and_follows_the_shape(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(INTAKE))
    a = run_cli(
        "plan",
        str(path),
        "--weeks",
        "6",
        "--start",
        "2026-11-30",
        "--deload-every",
        "3",
        "--ramp",
        "5",
    )
    b = run_cli(
        "plan",
        str(path),
        "--weeks",
        "6",
        "--start",
        "2026-11-30",
        "--deload-every",
        "3",
        "--ramp",
        "5",
    )
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    out = json.loads(a.stdout)
    assert out["start"] == "2026-11-30"
    assert [w["deload"] for w in out["weeks"]] == [False, False, True] * 2
    session = out["weeks"][0]["sessions"][0]
    assert {"date", "kind", "minutes", "run_km", "exercises"} <= set(session)
    assert {"id", "name", "targets", "sets", "reps", "seconds", "cues"} <= set(
        session["exercises"][0]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "30", "--start", "2026-11-30"], "--weeks: must be a number between 4 and 24"),
        (["--weeks", "6", "--start", "2026-11-30", "--ramp", "50"], "--ramp: must be a number"),
        (["--weeks", "6", "--start", "2026-11-30", "--deload-every", "1"], "--deload-every"),
        (["--weeks", "6", "--start", "not-a-date"], "--start"),
    ],
)
def test_cli_plan_bad_options_exit_2(tmp_path, args, message):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(INTAKE))
    r = run_cli("plan", str(path), *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert r.stdout == ""


def test_cli_plan_without_days_exit_2(tmp_path):
    data = json.loads(json.dumps(INTAKE))
    data["athlete"]["available_days"] = []
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data))
    r = run_cli("plan", str(path), "--weeks", "6", "--start", "2026-11-30")
    assert r.returncode == 2
    assert "available_days" in r.stderr


@pytest.mark.parametrize("event", ["travel", "illness", "niggle", "race"])
def test_an_adapted_run_says_what_it_is_now_in_its_title_steps_and_reason(plan, event):
    """Not "Easy run 4 km" over "Long steady run: 8 km": the planner's reason described the
    run as planned, so an adapted run's reason names it as it is now."""
    from runform import plantext
    from runform.vocab import KIND_LABELS

    region = "knee" if event == "niggle" else None
    changed = 0
    for n in range(1, len(plan.weeks) + 1):
        adapted = editing.adapt_week(plan, n, event, equipment=set(), region=region)
        for s in adapted.weeks[n - 1].sessions:
            if not s.run_km:
                continue
            changed += 1
            now = f"{KIND_LABELS[s.kind].lower()} {s.run_km:g} km instead of"
            assert now in s.reason, (plantext.session_title(s), s.reason)
            others = {"easy_run": "Easy run,", "long_run": "Long steady run:"}
            assert not [w for k, w in others.items() if w in s.reason], s.reason
            assert plantext.session_title(s).startswith(KIND_LABELS[s.kind])
    assert changed
