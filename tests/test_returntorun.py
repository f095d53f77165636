"""The return-to-run ladder (data/returntorun.toml, a convention): at every boundary a stage
advances only with its sessions done, the pain settled by the next morning and within the return
limit (≤ 3/10 during, no rise week to week: the pain-monitoring model) and the next stage's
capacity tests passed; new pain above the model goes back one stage; anything else holds."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from pydantic import ValidationError

from runform import planconfig, returntorun, watch, workouts
from runform.models import PlanSession
from runform.returntorun import Position, decide

TODAY = date(2026, 3, 20)
SINCE = TODAY - timedelta(days=6)
CFG = returntorun.load()
TOP = CFG.top()
ALL_TESTS = {t.id: True for t in CFG.capacity.tests}
PACING = workouts.Pacing.make(planconfig.load_config(), 6.0, None, None)


def pain(*rows: tuple[date, int, str]) -> pd.DataFrame:
    """(day, score, when) rows for the knee."""
    return pd.DataFrame(
        [
            {"day": pd.Timestamp(d), "region": "knee", "side": "left", "score": s, "when": w}
            for d, s, w in rows
        ],
        columns=["day", "region", "side", "score", "when"],
    )


NONE = pain()
RUNS = [SINCE + timedelta(days=1), SINCE + timedelta(days=3)]
# each run within the limit, and a next-morning check after the last
SETTLED = pain(
    (RUNS[0], 2, "during_run"),
    (RUNS[0] + timedelta(days=1), 1, "next_morning"),
    (RUNS[1], 2, "during_run"),
    (RUNS[1] + timedelta(days=1), 1, "next_morning"),
)


def at(stage: int) -> Position:
    return Position(stage=stage, since=SINCE)


def needed_by(stage: int) -> dict[str, bool]:
    """Every test a stage needs passed, the others not done."""
    return {t.id: True for t in CFG.capacity.tests if t.before_stage <= stage}


# --- stage 0: before the first run -------------------------------------------------------------


def test_the_first_run_waits_for_the_capacity_tests():
    d = decide(at(0), "knee", TODAY, [], NONE, {})
    assert (d.action, d.stage_to, d.rule) == ("hold", 0, "capacity tests")
    assert "Single-leg heel raises" in d.reason and "Single-leg squat" in d.reason


def test_the_capacity_tests_passed_start_the_running():
    d = decide(at(0), "knee", TODAY, [], NONE, needed_by(1))
    assert (d.action, d.stage_from, d.stage_to) == ("advance", 0, 1)


def test_one_failed_test_holds_the_first_run():
    d = decide(at(0), "knee", TODAY, [], NONE, needed_by(1) | {"heel_raises": False})
    assert (d.action, d.stage_to) == ("hold", 0)
    assert d.numbers["missing"] == "heel_raises"


def test_pain_before_the_first_run_has_no_lower_stage():
    hurt = pain((TODAY - timedelta(days=1), 5, "during_run"))
    d = decide(at(0), "knee", TODAY, [], hurt, ALL_TESTS)
    assert (d.action, d.stage_to) == ("hold", 0)
    assert d.rule == "pain-monitoring model: pain during work"


# --- every boundary between two stages ---------------------------------------------------------

BOUNDARIES = list(range(1, TOP))


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_advance_after_the_stage_ran_twice_within_the_model_and_the_tests_passed(stage):
    d = decide(at(stage), "knee", TODAY, RUNS, SETTLED, needed_by(stage + 1))
    assert (d.action, d.stage_from, d.stage_to) == ("advance", stage, stage + 1)
    assert "3/10" in d.reason


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_hold_until_the_stage_ran_often_enough(stage):
    d = decide(at(stage), "knee", TODAY, RUNS[:1], SETTLED, ALL_TESTS)
    assert (d.action, d.stage_to, d.rule) == ("hold", stage, "sessions at this stage")
    assert d.numbers == {"sessions": 1, "needed": CFG.ladder.sessions_to_advance}


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_runs_before_the_stage_began_do_not_count(stage):
    earlier = [SINCE - timedelta(days=3), SINCE]
    d = decide(at(stage), "knee", TODAY, earlier, SETTLED, ALL_TESTS)
    assert (d.action, d.numbers["sessions"]) == ("hold", 0)


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_hold_until_the_morning_after_the_last_run_is_checked(stage):
    unchecked = SETTLED[SETTLED["day"] <= pd.Timestamp(RUNS[1])]
    d = decide(at(stage), "knee", TODAY, RUNS, unchecked, ALL_TESTS)
    assert (d.action, d.stage_to, d.rule) == ("hold", stage, "settled by next morning")


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_hold_at_a_boundary_whose_capacity_test_is_not_passed(stage):
    needed = [t.id for t in CFG.capacity.tests if t.before_stage <= stage + 1]
    passed = {t: True for t in needed} | {needed[-1]: False}
    d = decide(at(stage), "knee", TODAY, RUNS, SETTLED, passed)
    assert (d.action, d.stage_to, d.rule) == ("hold", stage, "capacity tests")


def test_the_hop_test_guards_its_stage_only():
    hops = next(t for t in CFG.capacity.tests if t.id == "hops")
    before = decide(at(hops.before_stage - 2), "knee", TODAY, RUNS, SETTLED, needed_by(1))
    into = decide(at(hops.before_stage - 1), "knee", TODAY, RUNS, SETTLED, needed_by(1))
    assert before.action == "advance"
    assert (into.action, into.numbers["missing"]) == ("hold", "hops")


@pytest.mark.parametrize("stage", [*BOUNDARIES, TOP])
@pytest.mark.parametrize("score", [4, 6])
def test_pain_above_the_return_limit_goes_back_one_stage(stage, score):
    """4/10 is within the model's 5/10 for training but above the return's 3/10."""
    hurt = pd.concat([SETTLED, pain((RUNS[1], score, "during_run"))], ignore_index=True)
    d = decide(at(stage), "knee", TODAY, RUNS, hurt, ALL_TESTS)
    assert (d.action, d.stage_from, d.stage_to) == ("regress", stage, stage - 1)
    assert d.rule == "pain-monitoring model: pain during work"
    assert d.numbers == {"score": score, "limit": 3.0}


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_three_out_of_ten_is_within_the_return_limit(stage):
    within = pd.concat([SETTLED, pain((RUNS[1], 3, "during_run"))], ignore_index=True)
    assert decide(at(stage), "knee", TODAY, RUNS, within, ALL_TESTS).action == "advance"


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_pain_that_does_not_settle_overnight_goes_back_one_stage(stage):
    hurt = pd.concat(
        [SETTLED, pain((RUNS[1] + timedelta(days=1), 4, "next_morning"))], ignore_index=True
    )
    d = decide(at(stage), "knee", TODAY, RUNS, hurt, ALL_TESTS)
    assert (d.action, d.stage_to, d.rule) == (
        "regress",
        stage - 1,
        "pain-monitoring model: pain next morning",
    )


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_pain_rising_week_to_week_goes_back_one_stage(stage):
    last_week = SINCE - timedelta(days=4)
    hurt = pd.concat(
        [
            pain((last_week, 0, "during_run"), (last_week + timedelta(1), 0, "next_morning")),
            SETTLED,
        ],
        ignore_index=True,
    )
    d = decide(at(stage), "knee", TODAY, RUNS, hurt, ALL_TESTS)
    assert (d.action, d.stage_to, d.rule) == (
        "regress",
        stage - 1,
        "pain-monitoring model: pain rising week to week",
    )


@pytest.mark.parametrize("stage", BOUNDARIES)
def test_pain_the_ladder_already_went_back_for_holds(stage):
    """A regress set the stage on the day of the pain: the same report does not regress again."""
    hurt = pain((SINCE, 5, "during_run"))
    d = decide(at(stage), "knee", TODAY, RUNS, hurt, ALL_TESTS)
    assert (d.action, d.stage_to) == ("hold", stage)
    assert d.rule == "pain-monitoring model: pain during work"


def test_another_regions_pain_does_not_move_the_ladder():
    other = pain((RUNS[1], 7, "during_run")).assign(region="shoulder")
    d = decide(at(2), "knee", TODAY, RUNS, pd.concat([SETTLED, other]), ALL_TESTS)
    assert d.action == "advance"


def test_the_top_of_the_ladder_holds_and_is_complete_once_run():
    top = decide(at(TOP), "knee", TODAY, RUNS, SETTLED, ALL_TESTS)
    assert (top.action, top.stage_to, top.complete) == ("hold", TOP, True)
    first = decide(at(TOP), "knee", TODAY, [], NONE, ALL_TESTS)
    assert (first.action, first.complete) == ("hold", False)


# --- the stages as runs ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", range(1, TOP + 1))
def test_each_stage_is_a_structured_run_a_watch_can_follow(stage):
    s = CFG.ladder.stages[stage - 1]
    w = returntorun.workout(stage, PACING)
    flat = workouts.flat(w.steps)
    runs = [x for x in flat if x.kind == "work"]
    assert len(runs) == s.reps and all(x.duration_s == s.run_s for x in runs)
    assert all(x.target is not None and "3/10" in x.note for x in runs)
    assert flat[0].kind == "warmup" and flat[0].duration_s == CFG.ladder.warmup_walk_s
    session = PlanSession(
        date=TODAY, kind="easy_run", minutes=round(w.minutes), run_km=round(w.km, 1), steps=w.steps
    )
    assert watch.workout_fit(session, watch.workout_name(session))[8:12] == b".FIT"


def test_the_ladder_runs_from_one_minute_by_ten_to_thirty_minutes_continuous():
    first, last = CFG.ladder.stages[0], CFG.ladder.stages[-1]
    assert (first.run_s, first.walk_s, first.reps) == (60, 60, 10)
    assert (last.run_s, last.walk_s, last.reps) == (1800, 0, 1)
    assert returntorun.stage_words(1) == "Stage 1 of 8: 1 min run / 1 min walk × 10"
    assert "convention" in CFG.ladder.source and "convention" in CFG.capacity.source


def test_a_ladder_that_does_not_build_up_is_refused():
    bad = CFG.ladder.model_dump()
    bad["stages"] = list(reversed(bad["stages"]))
    with pytest.raises(ValidationError, match="stages must add running"):
        returntorun.LadderRules.model_validate(bad)
    with pytest.raises(ValidationError, match="continuous running has walk_s = 0"):
        returntorun.Stage(run_s=60, walk_s=0, reps=4)
