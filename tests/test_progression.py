"""Progression rules (protocols §3): double progression, the pain-monitoring model, the single-run
spike and monotony, on small hand-built plans and log frames shaped like the store's."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from runform.exercises import by_id, load_library
from runform.models import Plan, PlanExercise, PlanSession, PlanWeek
from runform.progression import Decision, Progression, pain_breach, progress

TODAY = date(2024, 3, 12)  # a Tuesday in week 2
START = date(2024, 3, 4)
LIB = by_id(load_library())
GB = LIB["glute_bridge"]  # 12–15 reps, starts its chain, harder single_leg_glute_bridge
SP = LIB["side_plank"]  # 30 s, easier side_plank_knees, harder side_plank_hip_abduction

# Strength days already past (planned with the exercise), and the ones still to come.
PAST_STRENGTH = [date(2024, 3, 4), date(2024, 3, 7), date(2024, 3, 11)]
NEXT_STRENGTH = [date(2024, 3, 14), date(2024, 3, 18), date(2024, 3, 21)]

EX_COLUMNS = {
    "day": "datetime64[us]",
    "log_id": "int32",
    "exercise_id": "object",
    "sets": "int32",
    "reps": "Int32",
    "seconds": "Int32",
    "load_kg": "float64",
    "rpe": "float64",
    "skipped": "bool",
    "session_rpe": "float64",
}
PAIN_COLUMNS = {
    "day": "datetime64[us]",
    "region": "object",
    "side": "object",
    "score": "int32",
    "when": "object",
}
RUN_COLUMNS = {"day": "datetime64[us]", "run_km": "float64", "minutes": "float64", "rpe": "float64"}


def test_library_doses_are_what_these_tests_assume():
    assert (GB.dose.reps_low, GB.dose.reps_high, GB.dose.seconds) == (12, 15, None)
    assert (GB.easier, GB.harder) == (None, "single_leg_glute_bridge")
    assert LIB["single_leg_glute_bridge"].easier == "glute_bridge"
    assert "hip" in GB.regions and "calf" not in GB.regions
    assert SP.dose.seconds == 30 and SP.dose.reps_low is None
    assert SP.harder == "side_plank_hip_abduction"
    assert LIB["single_leg_glute_bridge"].dose.reps_low == 8
    assert LIB["side_plank_hip_abduction"].dose.reps_low == 6
    # chain ends used below: the full Nordic (reps) and the back-extension hold (timed)
    assert LIB["nordic_hamstring_curl"].harder is None
    assert (LIB["nordic_hamstring_curl"].dose.reps_high, LIB["back_extension_hold"].harder) == (
        12,
        None,
    )
    assert LIB["back_extension_hold"].dose.seconds == 30
    for ex in ("glute_bridge", "single_leg_glute_bridge", "side_plank_hip_abduction"):
        assert LIB[ex].equipment == []


# --- builders ------------------------------------------------------------------------------


def gb(reps: int = 12, load_kg: float | None = None, sets: int = 3) -> PlanExercise:
    return PlanExercise(
        id="glute_bridge", name=GB.name, sets=sets, reps=reps, load_kg=load_kg, targets=["x"]
    )


def sp(seconds: int = 30) -> PlanExercise:
    return PlanExercise(id="side_plank", name=SP.name, sets=3, seconds=seconds, per_side=True)


def make_plan(*exercises: PlanExercise) -> Plan:
    """Three weeks from Mon 4 Mar 2024: strength with `exercises` Mon/Thu, runs Tue/Sat."""

    def strength(d: date) -> PlanSession:
        return PlanSession(
            date=d, kind="strength", minutes=30, exercises=[e.model_copy() for e in exercises]
        )

    def run(d: date, km: float, kind: str = "easy_run") -> PlanSession:
        return PlanSession(date=d, kind=kind, minutes=int(km * 6), run_km=km)

    d = START
    weeks = [
        PlanWeek(
            index=1,
            run_km=13,
            sessions=[
                strength(d),
                run(d + timedelta(2), 5),
                strength(d + timedelta(3)),
                run(d + timedelta(5), 8, "long_run"),
            ],
        ),
        PlanWeek(
            index=2,
            run_km=15,
            sessions=[
                strength(d + timedelta(7)),
                run(d + timedelta(8), 5),  # on TODAY: not upcoming
                strength(d + timedelta(10)),
                run(d + timedelta(12), 10, "long_run"),
            ],
        ),
        PlanWeek(
            index=3,
            run_km=17,
            sessions=[
                strength(d + timedelta(14)),
                run(d + timedelta(15), 5),
                strength(d + timedelta(17)),
                run(d + timedelta(19), 12, "long_run"),
            ],
        ),
    ]
    return Plan(start=START, weeks=weeks)


def frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    return df.astype(columns)


def ex_log(day: date, exercise_id: str = "glute_bridge", **kw) -> dict:
    row = {
        "day": pd.Timestamp(day),
        "log_id": 1,
        "exercise_id": exercise_id,
        "sets": 3,
        "reps": None,
        "seconds": None,
        "load_kg": None,
        "rpe": None,
        "skipped": False,
        "session_rpe": 5.0,
    }
    row.update(kw)
    return row


def exercises(*rows: dict) -> pd.DataFrame:
    rows = [dict(r, log_id=i + 1) for i, r in enumerate(rows)]
    return frame(rows, EX_COLUMNS)


def gb_logs(*sessions: dict) -> pd.DataFrame:
    """glute_bridge logged on the past strength days (last ones last), e.g. dict(reps=15, rpe=6)."""
    days = PAST_STRENGTH[-len(sessions) :]
    return exercises(*(ex_log(d, **s) for d, s in zip(days, sessions, strict=True)))


def pains(*rows: tuple) -> pd.DataFrame:
    """(days before TODAY, region, score, when) rows."""
    return frame(
        [
            {"day": pd.Timestamp(TODAY - timedelta(ago)), "region": r, "side": None}
            | {"score": score, "when": when}
            for ago, r, score, when in rows
        ],
        PAIN_COLUMNS,
    )


def runs(*rows: tuple[date, float]) -> pd.DataFrame:
    return frame(
        [{"day": pd.Timestamp(d), "run_km": km, "minutes": km * 6, "rpe": 4.0} for d, km in rows],
        RUN_COLUMNS,
    )


def no_exercises() -> pd.DataFrame:
    return frame([], EX_COLUMNS)


def no_pain() -> pd.DataFrame:
    return frame([], PAIN_COLUMNS)


def no_runs() -> pd.DataFrame:
    return frame([], RUN_COLUMNS)


def run_progress(
    plan: Plan,
    ex: pd.DataFrame | None = None,
    pain: pd.DataFrame | None = None,
    run: pd.DataFrame | None = None,
    today: date = TODAY,
    longest: float = 10.0,
    monotony: float | None = None,
    equipment: set[str] | None = None,
) -> Progression:
    return progress(
        plan,
        today,
        no_exercises() if ex is None else ex,
        no_pain() if pain is None else pain,
        no_runs() if run is None else run,
        equipment or set(),
        longest,
        monotony,
    )


def decision(result: Progression, subject: str) -> Decision:
    found = [d for d in result.decisions if d.subject == subject]
    assert len(found) == 1, result.decisions
    return found[0]


def upcoming(plan: Plan, position: int = 0, today: date = TODAY) -> list[PlanExercise]:
    out = [
        s.exercises[position]
        for w in plan.weeks
        for s in w.sessions
        if s.date > today and s.kind == "strength"
    ]
    assert len(out) >= 2
    return out


def assert_past_unchanged(before: Plan, after: Plan, today: date = TODAY) -> None:
    old = [s for w in before.weeks for s in w.sessions if s.date <= today]
    new = [s for w in after.weeks for s in w.sessions if s.date <= today]
    assert new == old


def assert_upcoming_unchanged(before: Plan, after: Plan, today: date = TODAY) -> None:
    old = [s for w in before.weeks for s in w.sessions if s.date > today]
    new = [s for w in after.weeks for s in w.sessions if s.date > today]
    assert new == old


# --- double progression ---------------------------------------------------------------------


def test_top_of_range_twice_at_target_without_load_gives_harder_variant():
    plan = make_plan(gb(reps=15))
    for s in plan.weeks[2].sessions:  # a deload week: fewer sets, kept by the new variant
        for e in s.exercises:
            e.sets = 2
    result = run_progress(plan, gb_logs(dict(reps=15, rpe=7.0), dict(reps=15, rpe=6.0)))

    d = decision(result, "glute_bridge")
    assert d.action == "advance"
    assert "Harder variant" in d.reason and "15 reps twice at RPE ≤ 7" in d.reason
    assert [e.sets for e in upcoming(result.plan)] == [3, 2, 2]
    for e in upcoming(result.plan):
        assert e.id == "single_leg_glute_bridge"
        assert e.name == LIB["single_leg_glute_bridge"].name
        assert (e.reps, e.seconds, e.load_kg) == (8, None, None)
        assert e.per_side is True
        assert e.role == "main" and e.targets == ["x"]
        assert "progression" in e.reason
    assert_past_unchanged(plan, result.plan)


def test_top_of_range_twice_with_load_adds_a_load_step_and_resets_reps():
    plan = make_plan(gb(reps=15, load_kg=10.0))
    logs = gb_logs(
        dict(reps=15, rpe=7.0, load_kg=10.0),
        dict(reps=15, rpe=7.0, load_kg=10.0),
    )
    result = run_progress(plan, logs)

    d = decision(result, "glute_bridge")
    assert d.action == "advance"
    assert "load step" in d.reason and "15 reps twice at RPE ≤ 7" in d.reason
    for e in upcoming(result.plan):
        assert e.id == "glute_bridge"
        assert e.load_kg == 12.5
        assert e.reps == GB.dose.reps_low == 12
        assert e.sets == 3
    assert_past_unchanged(plan, result.plan)


def test_top_of_range_only_once_is_not_yet():
    plan = make_plan(gb(reps=15))
    result = run_progress(plan, gb_logs(dict(reps=14, rpe=6.0), dict(reps=15, rpe=6.0)))

    d = decision(result, "glute_bridge")
    assert d.action == "hold"
    assert "target effort" in d.reason
    for e in upcoming(result.plan):
        assert (e.id, e.reps, e.load_kg) == ("glute_bridge", 15, None)
    assert_upcoming_unchanged(plan, result.plan)


def test_below_top_at_target_effort_adds_one_rep():
    plan = make_plan(gb(reps=12))
    result = run_progress(plan, gb_logs(dict(reps=12, rpe=6.0), dict(reps=12, rpe=6.5)))

    d = decision(result, "glute_bridge")
    assert d.action == "advance"
    assert "13 reps" in d.reason and "12 done at RPE ≤ 7" in d.reason
    for e in upcoming(result.plan):
        assert (e.id, e.sets, e.reps) == ("glute_bridge", 3, 13)
    assert_past_unchanged(plan, result.plan)


def test_rpe_above_target_holds():
    plan = make_plan(gb(reps=15))
    result = run_progress(plan, gb_logs(dict(reps=15, rpe=8.0), dict(reps=15, rpe=8.0)))

    d = decision(result, "glute_bridge")
    assert d.action == "hold"
    assert "target effort" in d.reason
    assert_upcoming_unchanged(plan, result.plan)


@pytest.mark.parametrize(
    ("session_rpe", "action", "new_id"),
    [(6.0, "advance", "single_leg_glute_bridge"), (8.0, "hold", "glute_bridge")],
)
def test_missing_exercise_rpe_falls_back_to_session_rpe(session_rpe, action, new_id):
    plan = make_plan(gb(reps=15))
    logs = gb_logs(
        dict(reps=15, rpe=None, session_rpe=session_rpe),
        dict(reps=15, rpe=None, session_rpe=session_rpe),
    )
    result = run_progress(plan, logs)

    assert decision(result, "glute_bridge").action == action
    assert {e.id for e in upcoming(result.plan)} == {new_id}


def test_no_rpe_at_all_does_not_count_as_easy():
    plan = make_plan(gb(reps=15))
    logs = gb_logs(
        dict(reps=15, rpe=None, session_rpe=None),
        dict(reps=15, rpe=None, session_rpe=None),
    )
    result = run_progress(plan, logs)
    assert decision(result, "glute_bridge").action == "hold"
    assert_upcoming_unchanged(plan, result.plan)


def test_skipped_last_time_holds():
    plan = make_plan(gb(reps=15))
    logs = gb_logs(
        dict(reps=15, rpe=6.0),
        dict(reps=15, rpe=6.0),
        dict(sets=0, skipped=True),
    )
    result = run_progress(plan, logs)

    d = decision(result, "glute_bridge")
    assert d.action == "hold"
    assert "skipped last time" in d.reason
    assert_upcoming_unchanged(plan, result.plan)


def test_missed_planned_session_holds():
    # Top of the range twice on 4 and 7 Mar would advance, but 11 Mar was planned and not logged.
    plan = make_plan(gb(reps=15))
    logs = exercises(
        ex_log(PAST_STRENGTH[0], reps=15, rpe=6.0),
        ex_log(PAST_STRENGTH[1], reps=15, rpe=6.0),
    )
    result = run_progress(plan, logs)

    d = decision(result, "glute_bridge")
    assert d.action == "hold"
    assert "missed" in d.reason
    assert_upcoming_unchanged(plan, result.plan)


def test_same_logs_without_the_missed_session_advance():
    # The control for the test above: the same two logs, today just after the second one.
    plan = make_plan(gb(reps=15))
    logs = exercises(
        ex_log(PAST_STRENGTH[0], reps=15, rpe=6.0),
        ex_log(PAST_STRENGTH[1], reps=15, rpe=6.0),
    )
    result = run_progress(plan, logs, today=date(2024, 3, 8))
    assert decision(result, "glute_bridge").action == "advance"


def test_no_logs_holds():
    plan = make_plan(gb(reps=12))
    before_start = START - timedelta(days=1)
    result = run_progress(plan, today=before_start)

    d = decision(result, "glute_bridge")
    assert d.action == "hold"
    assert "not logged yet" in d.reason
    assert_upcoming_unchanged(plan, result.plan, today=before_start)


# --- timed work -----------------------------------------------------------------------------


def sp_logs(seconds: int, rpe: float = 6.0) -> pd.DataFrame:
    return exercises(
        *(ex_log(d, "side_plank", seconds=seconds, rpe=rpe) for d in PAST_STRENGTH[-2:])
    )


@pytest.mark.parametrize(("planned", "expected"), [(30, 35), (40, 45), (43, 45)])
def test_timed_hold_adds_five_seconds_up_to_one_and_a_half_times_the_library(planned, expected):
    plan = make_plan(sp(planned))
    result = run_progress(plan, sp_logs(planned))

    d = decision(result, "side_plank")
    assert d.action == "advance"
    assert f"+{expected - planned} s" in d.reason and f"{planned} s held" in d.reason
    for e in upcoming(result.plan):
        assert (e.id, e.seconds, e.reps) == ("side_plank", expected, None)
    assert_past_unchanged(plan, result.plan)


def test_timed_hold_at_the_cap_gives_harder_variant():
    cap = int(SP.dose.seconds * 1.5)
    plan = make_plan(sp(cap))
    result = run_progress(plan, sp_logs(cap))

    d = decision(result, "side_plank")
    assert d.action == "advance"
    assert "Harder variant" in d.reason and "longest hold" in d.reason
    for e in upcoming(result.plan):
        assert e.id == "side_plank_hip_abduction"
        assert (e.sets, e.reps, e.seconds) == (3, 6, None)
    assert_past_unchanged(plan, result.plan)


def test_timed_hold_too_hard_or_too_short_holds():
    plan = make_plan(sp(40))
    assert decision(run_progress(plan, sp_logs(40, rpe=8.0)), "side_plank").action == "hold"
    assert decision(run_progress(plan, sp_logs(35)), "side_plank").action == "hold"


# --- pain-monitoring model -------------------------------------------------------------------

ADVANCING = dict(reps=12, rpe=6.0)  # without pain this would be +1 rep


@pytest.mark.parametrize("when", ["during_run", "after_run"])
def test_pain_above_five_in_a_loaded_region_gives_easier_variant(when):
    slgb = LIB["single_leg_glute_bridge"]
    planned = PlanExercise(id=slgb.id, name=slgb.name, sets=3, reps=10, per_side=True)
    plan = make_plan(planned)
    logs = exercises(
        *(ex_log(d, slgb.id, reps=10, rpe=6.0) for d in PAST_STRENGTH[-2:]),
    )
    result = run_progress(plan, logs, pains((2, "hip", 6, when), (2, "calf", 1, when)))

    d = decision(result, slgb.id)
    assert d.action == "regress"
    assert d.reason.startswith("Easier variant: hip pain 6/10")
    assert "pain-monitoring model" in d.reason
    for e in upcoming(result.plan):
        assert e.id == "glute_bridge"
        assert (e.sets, e.reps, e.load_kg) == (3, GB.dose.reps_low, None)
        assert "pain-monitoring model" in e.reason
    assert_past_unchanged(plan, result.plan)


@pytest.mark.parametrize(
    ("planned", "load_kg", "expected"),
    [(12, None, 11), (14, None, 12), (14, 10.0, 12), (12, 10.0, 12)],
)
def test_pain_at_the_start_of_a_chain_lowers_the_dose(planned, load_kg, expected):
    """No easier variant: the same exercise, back to the bottom of its range without added load,
    or one rep step less when it is already there."""
    plan = make_plan(gb(reps=planned, load_kg=load_kg))
    logs = gb_logs(dict(reps=planned, rpe=6.0), dict(reps=planned, rpe=6.0))
    result = run_progress(plan, logs, pains((2, "hip", 6, "during_run")))

    d = decision(result, "glute_bridge")
    assert d.action == "regress"
    assert d.reason.startswith("Lower dose: hip pain 6/10")
    assert "no easier variant" in d.reason
    for e in upcoming(result.plan):
        assert (e.id, e.sets, e.reps, e.load_kg) == ("glute_bridge", 3, expected, None)
        assert "pain-monitoring model" in e.reason
    assert_past_unchanged(plan, result.plan)


def test_top_of_range_at_the_end_of_a_chain_holds():
    nordic = LIB["nordic_hamstring_curl"]
    plan = make_plan(PlanExercise(id=nordic.id, name=nordic.name, sets=3, reps=12))
    logs = exercises(*(ex_log(d, nordic.id, reps=12, rpe=6.0) for d in PAST_STRENGTH[-2:]))
    result = run_progress(plan, logs)

    d = decision(result, nordic.id)
    assert d.action == "hold"
    assert "end of the progression chain" in d.reason
    assert_upcoming_unchanged(plan, result.plan)


def test_longest_hold_at_the_end_of_a_chain_holds():
    back = LIB["back_extension_hold"]
    cap = int(back.dose.seconds * 1.5)
    plan = make_plan(PlanExercise(id=back.id, name=back.name, sets=3, seconds=cap))
    logs = exercises(*(ex_log(d, back.id, seconds=cap, rpe=6.0) for d in PAST_STRENGTH[-2:]))
    result = run_progress(plan, logs, equipment={"bench"})

    d = decision(result, back.id)
    assert d.action == "hold"
    assert "end of the progression chain" in d.reason
    assert_upcoming_unchanged(plan, result.plan)


def test_pain_five_during_is_accepted():
    plan = make_plan(gb(reps=12))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pains((2, "hip", 5, "during_run")))
    d = decision(result, "glute_bridge")
    assert d.action == "advance"
    assert {e.id for e in upcoming(result.plan)} == {"glute_bridge"}


def test_pain_above_five_older_than_the_window_is_ignored():
    plan = make_plan(gb(reps=12))
    pain = pains((8, "hip", 7, "during_run"))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)
    assert decision(result, "glute_bridge").action == "advance"


def test_next_morning_pain_above_the_baseline_regresses():
    plan = make_plan(gb(reps=12))
    baseline = [(ago, "hip", s, "next_morning") for ago, s in [(10, 1), (15, 1), (20, 2)]]
    pain = pains(*baseline, (1, "hip", 3, "next_morning"))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)

    d = decision(result, "glute_bridge")
    assert d.action == "regress"
    assert "next-morning pain 3/10, above the usual 1/10" in d.reason
    assert {e.id for e in upcoming(result.plan)} == {"glute_bridge"}


def test_next_morning_pain_at_the_baseline_is_accepted():
    plan = make_plan(gb(reps=12))
    baseline = [(ago, "hip", s, "next_morning") for ago, s in [(10, 1), (15, 1), (20, 2)]]
    pain = pains(*baseline, (1, "hip", 1, "next_morning"))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)
    assert decision(result, "glute_bridge").action == "advance"


def test_pain_rising_week_to_week_regresses():
    plan = make_plan(gb(reps=12))
    pain = pains((10, "hip", 2, "during_run"), (2, "hip", 4, "during_run"))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)

    d = decision(result, "glute_bridge")
    assert d.action == "regress"
    assert "pain rose from 2/10 last week to 4/10 this week" in d.reason
    assert {e.id for e in upcoming(result.plan)} == {"glute_bridge"}


def test_pain_steady_week_to_week_is_accepted():
    plan = make_plan(gb(reps=12))
    pain = pains((10, "hip", 4, "during_run"), (2, "hip", 4, "during_run"))
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)
    assert decision(result, "glute_bridge").action == "advance"


def test_pain_in_an_unrelated_region_has_no_effect():
    plan = make_plan(gb(reps=12))
    pain = pains(
        (2, "calf", 9, "during_run"),
        (1, "calf", 6, "next_morning"),
        (10, "calf", 1, "after_run"),
    )
    result = run_progress(plan, gb_logs(ADVANCING, ADVANCING), pain)
    d = decision(result, "glute_bridge")
    assert d.action == "advance"
    assert "pain" not in d.reason
    assert {e.id for e in upcoming(result.plan)} == {"glute_bridge"}


def test_pain_breach_direct():
    cfg = {"during_max": 5, "window_days": 7, "baseline_days": 28}
    assert pain_breach(no_pain(), ["hip"], TODAY, cfg) is None
    p = pains((1, "knee", 8, "during_run"))
    assert pain_breach(p, ["hip"], TODAY, cfg) is None
    assert "knee pain 8/10 during run" in pain_breach(p, ["knee", "hip"], TODAY, cfg)


# --- running volume ------------------------------------------------------------------------


def next_week_runs(plan: Plan) -> list[float]:
    return [
        s.run_km
        for w in plan.weeks
        for s in w.sessions
        if TODAY < s.date <= TODAY + timedelta(7) and s.run_km
    ]


def test_run_spike_cuts_next_weeks_runs_by_ten_percent():
    plan = make_plan(gb(reps=12))
    logged = runs((date(2024, 3, 1), 12.0), (date(2024, 3, 6), 5.0), (date(2024, 3, 10), 15.0))
    result = run_progress(plan, run=logged, longest=10.0)

    d = decision(result, "run volume")
    assert d.action == "regress"
    assert "Frandsen" in d.reason
    assert "15 km" in d.reason and "(12 km)" in d.reason
    assert next_week_runs(plan) == [10, 5]
    assert next_week_runs(result.plan) == [9, 4.5]
    assert (d.before, d.after) == ("15 km", "13.5 km")
    # the week totals follow; runs after next week and on or before today stay as planned
    assert [w.run_km for w in result.plan.weeks] == [13, 14, 16.5]
    assert result.plan.weeks[2].sessions[3].run_km == 12
    assert_past_unchanged(plan, result.plan)


@pytest.mark.parametrize(("longest", "run"), [(10.0, 11.0), (12.0, 13.2)])
def test_run_of_exactly_110_percent_is_not_a_spike(longest, run):
    plan = make_plan(gb(reps=12))
    logged = runs((date(2024, 3, 1), longest), (date(2024, 3, 10), run))
    result = run_progress(plan, run=logged, longest=8.0)

    d = decision(result, "run volume")
    assert d.action == "hold"
    assert "Frandsen" not in d.reason
    assert next_week_runs(result.plan) == [10, 5]


def test_intake_longest_run_counts_for_the_spike():
    plan = make_plan(gb(reps=12))
    result = run_progress(plan, run=runs((date(2024, 3, 10), 15.0)), longest=14.0)
    assert decision(result, "run volume").action == "hold"
    result = run_progress(plan, run=runs((date(2024, 3, 10), 15.0)), longest=13.0)
    assert decision(result, "run volume").action == "regress"


def test_high_monotony_holds_next_weeks_runs():
    plan = make_plan(gb(reps=12))
    result = run_progress(plan, monotony=2.3)

    d = decision(result, "run volume")
    assert d.action == "hold"
    assert "monotony" in d.reason and "2.3" in d.reason
    assert d.before == d.after == "15 km"
    assert next_week_runs(result.plan) == [10, 5]


def test_monotony_of_two_is_not_flagged():
    at_flag = decision(run_progress(make_plan(gb(reps=12)), monotony=2.0), "run volume")
    unknown = decision(run_progress(make_plan(gb(reps=12)), monotony=None), "run volume")
    above = decision(run_progress(make_plan(gb(reps=12)), monotony=2.01), "run volume")
    assert at_flag == unknown
    assert above.reason != unknown.reason


# --- the result -----------------------------------------------------------------------------


def test_changed_is_true_only_when_a_dose_changes():
    plan = make_plan(gb(reps=12))
    held = run_progress(plan, gb_logs(dict(reps=12, rpe=9.0), dict(reps=12, rpe=9.0)), monotony=3)
    assert all(d.before == d.after for d in held.decisions)
    assert held.changed() is False

    advanced = run_progress(plan, gb_logs(ADVANCING, ADVANCING))
    assert advanced.changed() is True

    cut = run_progress(plan, run=runs((date(2024, 3, 10), 15.0)), longest=10.0)
    assert cut.changed() is True

    def dec(before: str, after: str) -> Decision:
        return Decision(subject="x", name="x", action="hold", reason="", before=before, after=after)

    assert not Progression(decisions=[], notes=[], plan=plan).changed()
    assert not Progression(decisions=[dec("a", "a")], notes=[], plan=plan).changed()
    assert Progression(decisions=[dec("a", "a"), dec("a", "b")], notes=[], plan=plan).changed()


def test_input_plan_is_not_mutated():
    plan = make_plan(gb(reps=15), sp(40))
    snapshot = plan.model_dump()
    logs = exercises(
        *(ex_log(d, reps=15, rpe=6.0) for d in PAST_STRENGTH[-2:]),
        *(ex_log(d, "side_plank", seconds=40, rpe=6.0) for d in PAST_STRENGTH[-2:]),
    )
    result = run_progress(plan, logs, run=runs((date(2024, 3, 10), 15.0)), longest=10.0)

    assert result.changed()
    assert result.plan is not plan
    assert plan.model_dump() == snapshot
    assert upcoming(plan)[0].id == "glute_bridge"
    assert upcoming(result.plan)[0].id == "single_leg_glute_bridge"
    assert upcoming(result.plan, 1)[0].seconds == 45


def test_input_frames_are_not_mutated():
    ex = gb_logs(ADVANCING, ADVANCING)
    ex["day"] = ex["day"].dt.date  # plain dates, as a caller may pass them
    pain = pains((2, "calf", 1, "during_run"))
    pain["day"] = pain["day"].dt.date
    ex_copy, pain_copy = ex.copy(), pain.copy()
    run_progress(make_plan(gb(reps=12)), ex, pain)
    pd.testing.assert_frame_equal(ex, ex_copy)
    pd.testing.assert_frame_equal(pain, pain_copy)


def test_rep_exercise_logged_without_reps_holds_instead_of_crashing():
    plan = make_plan(gb(reps=12))
    logs = gb_logs(dict(reps=12, rpe=6.0), dict(reps=None, rpe=6.0))
    result = run_progress(plan, logs)
    assert decision(result, "glute_bridge").action == "hold"
