"""What an open injury episode does to the plan (a pure function of the plan, its base and the
episodes): `unavailable` pauses the running and keeps mobility and strength that spares the
region; `modified` in the lower limb makes the return-to-run ladder the running; the end of the
episodes gives the plan from before back. Also: which runners are suggested an episode, the Team
board's availability columns, and progression holding the running an episode leads."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from runform import availability, planconfig, returntorun, workouts
from runform.availability import Open, Situation, shape
from runform.compensations import assess
from runform.exercises import by_id, load_library
from runform.models import Intake, PlanOptions
from runform.planning import build_plan
from runform.progression import progress
from runform.vocab import RUN_KINDS
from tests.conftest import EXAMPLE

START = date(2026, 11, 30)  # a Monday
DAY = date(2026, 12, 2)  # the status changes on the Wednesday of week 1
EQUIPMENT = {"band", "dumbbells", "box"}
LIB = by_id(load_library())


@pytest.fixture(scope="module")
def plan():
    intake = Intake.model_validate(EXAMPLE)
    return build_plan(assess(intake), intake.athlete, PlanOptions(weeks=6, start=START))


def knee(status: str, stage: int | None = None) -> Situation:
    return Situation((Open(1, "knee", status, "Knee (left)", stage),))


def sessions(p, since=DAY):
    return [s for _, s in p.sessions() if s.date >= since]


def before(p):
    return [s for _, s in p.sessions() if s.date < DAY]


def test_the_plan_has_runs_to_pause(plan):
    assert {s.kind for s in sessions(plan)} & set(RUN_KINDS)


def test_unavailable_pauses_the_running_and_keeps_mobility_and_spared_strength(plan):
    paused = shape(plan, plan, knee("unavailable"), DAY, EQUIPMENT).plan
    later = sessions(paused)
    assert not [s for s in later if s.kind in availability.RUNNING_KINDS]
    assert {s.kind for s in later} == {"mobility", "strength", "reassessment"}
    assert len([s for s in later if s.kind == "mobility"]) == len(
        [s for s in sessions(plan) if s.kind == "mobility"]
    )
    assert not [
        e.id
        for s in later
        for e in s.exercises
        if e.role == "main" and e.id in LIB and "knee" in LIB[e.id].regions
    ]
    assert before(paused) == before(plan)  # the days before the change stay as they were
    assert all(w.run_km == round(sum(s.run_km for s in w.sessions), 1) for w in paused.weeks)
    assert any(n.startswith("Health: running paused") for w in paused.weeks for n in w.notes)


def test_resuming_gives_back_the_plan_from_before(plan):
    paused = shape(plan, plan, knee("unavailable"), DAY, EQUIPMENT).plan
    resumed = shape(plan, paused, Situation(), DAY, EQUIPMENT).plan
    assert resumed == plan


def test_resuming_later_keeps_the_paused_days_that_are_past(plan):
    paused = shape(plan, plan, knee("unavailable"), DAY, EQUIPMENT).plan
    back_on = DAY + timedelta(days=9)
    resumed = shape(plan, paused, Situation(), back_on, EQUIPMENT).plan
    assert sessions(resumed, back_on) == sessions(plan, back_on)
    middle = [s for _, s in resumed.sessions() if DAY <= s.date < back_on]
    assert middle == [s for _, s in paused.sessions() if DAY <= s.date < back_on]
    assert not [s for s in middle if s.kind in RUN_KINDS]


@pytest.mark.parametrize(
    "situation",
    [knee("unavailable"), knee("modified", 0), knee("modified", 3), knee("modified", 8)],
)
def test_reshaping_again_changes_nothing(plan, situation):
    once = shape(plan, plan, situation, DAY, EQUIPMENT).plan
    assert shape(plan, once, situation, DAY, EQUIPMENT).plan == once


def test_before_the_first_stage_there_is_no_running(plan):
    waiting = shape(plan, plan, knee("modified", 0), DAY, EQUIPMENT).plan
    assert not [s for s in sessions(waiting) if s.kind in availability.RUNNING_KINDS]
    assert any("capacity tests" in n for w in waiting.weeks for n in w.notes)


@pytest.mark.parametrize("stage", [1, 4, 8])
def test_the_ladder_is_the_running_at_most_every_other_day(plan, stage):
    laddered = shape(plan, plan, knee("modified", stage), DAY, EQUIPMENT).plan
    runs = [s for s in sessions(laddered) if s.kind in availability.RUNNING_KINDS]
    expected = returntorun.workout(
        stage, workouts.Pacing.make(planconfig.load_config(), plan.pace_min_per_km, None, None)
    )
    assert runs and all(s.kind == "easy_run" and s.steps == expected.steps for s in runs)
    assert all(f"stage {stage} of 8" in s.reason for s in runs)
    days = [s.date for s in runs]
    assert all((b - a).days >= 2 for a, b in zip(days, days[1:], strict=False))
    planned = {s.date for s in sessions(plan) if s.kind in RUN_KINDS}
    assert set(days) <= planned  # on the runner's own run days
    assert not [e for s in runs for e in s.exercises if e.role == "drill"]


def test_no_impact_or_fast_work_while_a_lower_limb_episode_is_open(plan):
    laddered = shape(plan, plan, knee("modified", 5), DAY, EQUIPMENT).plan
    assert not [
        e.id
        for s in sessions(laddered)
        for e in s.exercises
        if e.id in LIB and (LIB[e.id].impact or LIB[e.id].fast)
    ]


def test_a_modified_shoulder_keeps_the_running_and_spares_the_shoulder(plan):
    shoulder = Situation((Open(1, "shoulder", "modified", "Shoulder"),))
    shaped = shape(plan, plan, shoulder, DAY, EQUIPMENT).plan
    planned_runs = [s for s in sessions(plan) if s.kind in availability.RUNNING_KINDS]
    assert [s for s in sessions(shaped) if s.kind in availability.RUNNING_KINDS] == planned_runs
    assert not [
        e.id
        for s in sessions(shaped)
        for e in s.exercises
        if e.role == "main" and e.id in LIB and "shoulder" in LIB[e.id].regions
    ]


def test_unavailable_anywhere_outranks_a_ladder():
    both = Situation(
        (Open(1, "knee", "modified", "Knee", 3), Open(2, "lower_back", "unavailable", "Back"))
    )
    assert both.status() == "unavailable" and both.ladder() is None
    assert both.running() == "running paused: Back (unavailable)"
    two = Situation(
        (Open(1, "knee", "modified", "Knee", 3), Open(2, "calf", "modified", "Calf", 1))
    )
    assert two.ladder().episode_id == 2  # the lower stage leads
    assert availability.worst([]) == "full"
    assert availability.worst(["full", "modified"]) == "modified"


def test_with_no_open_episode_progression_runs_as_usual_and_with_one_it_holds(plan):
    empty = pd.DataFrame(columns=["day", "region", "side", "score", "when"])
    ex = pd.DataFrame(
        columns=[
            "day",
            "log_id",
            "exercise_id",
            "sets",
            "reps",
            "seconds",
            "load_kg",
            "rpe",
            "skipped",
            "session_rpe",
        ]
    )
    runs = pd.DataFrame(columns=["day", "run_km", "minutes", "rpe"])
    laddered = shape(plan, plan, knee("modified", 2), DAY, EQUIPMENT).plan
    why = knee("modified", 2).running()
    result = progress(laddered, DAY, ex, empty, runs, EQUIPMENT, governed=why)
    running = [d for d in result.decisions if d.subject == "run volume"]
    assert [(d.action, d.rule) for d in running] == [("hold", "injury episode")]
    assert why in running[0].reason
    assert [s for _, s in result.plan.sessions() if s.kind in RUN_KINDS] == [
        s for _, s in laddered.sessions() if s.kind in RUN_KINDS
    ]


# --- suggesting an episode ---------------------------------------------------------------------

TODAY = date(2026, 12, 10)


def pains(*rows: tuple[int, str, int, str]) -> pd.DataFrame:
    """(days before TODAY, region, score, when)."""
    return pd.DataFrame(
        [
            {"day": pd.Timestamp(TODAY - timedelta(days=ago)), "region": r, "side": None}
            | {"score": s, "when": w}
            for ago, r, s, w in rows
        ],
        columns=["day", "region", "side", "score", "when"],
    )


def test_pain_above_the_model_two_weeks_running_suggests_an_episode():
    twice = pains((2, "knee", 7, "during_run"), (9, "knee", 6, "during_run"))
    [found] = availability.suggest(twice, TODAY, [])
    assert (found.region, found.rule) == ("knee", "pain during work")
    assert availability.suggest(twice, TODAY, ["knee"]) == []  # an episode is open for it


def test_one_week_of_pain_or_pain_within_the_model_suggests_nothing():
    once = pains((2, "knee", 7, "during_run"), (9, "knee", 2, "during_run"))
    within = pains((2, "calf", 4, "during_run"), (9, "calf", 4, "during_run"))
    assert availability.suggest(once, TODAY, []) == []
    assert availability.suggest(within, TODAY, []) == []


# --- the Team board ----------------------------------------------------------------------------


def test_team_columns_read_the_least_available_episode_and_the_latest_ostrc_week():
    episodes = pd.DataFrame(
        [
            {"athlete_id": 1, "region": "knee", "side": "left", "diagnosis": "PFP"}
            | {"status": "modified"},
            {"athlete_id": 1, "region": "calf", "side": None, "diagnosis": ""}
            | {"status": "unavailable"},
            {"athlete_id": 2, "region": "hip", "side": "right", "diagnosis": ""}
            | {"status": "modified"},
        ]
    )
    monday = TODAY - timedelta(days=TODAY.weekday())
    answers = pd.DataFrame(
        [
            # last week: substantial, then this week better: the latest week counts
            {"athlete_id": 2, "week_start": monday - timedelta(days=7), "region": "hip"}
            | {"q1": 2, "q2": 3, "q3": 2, "q4": 2},
            {"athlete_id": 2, "week_start": monday, "region": "hip"}
            | {"q1": 1, "q2": 1, "q3": 0, "q4": 1},
            {"athlete_id": 3, "week_start": monday - timedelta(days=35), "region": "knee"}
            | {"q1": 3, "q2": 4, "q3": 4, "q4": 3},  # too old for the board
        ]
    )
    board = availability.team([1, 2, 3], episodes, answers, TODAY).set_index("athlete_id")
    assert board["availability"].to_dict() == {1: "unavailable", 2: "modified", 3: "full"}
    assert board.loc[1, "episodes"] == "Knee (left): PFP · modified training; Calf · unavailable"
    assert board["open_episodes"].to_dict() == {1: 2, 2: 1, 3: 0}
    assert board.loc[2, "ostrc_severity"] == 22 and not board.loc[2, "ostrc_substantial"]
    assert pd.isna(board.loc[3, "ostrc_severity"])


def test_the_trend_is_scored_by_week_and_region_and_drawn_a_line_each():
    from runform import figures

    answers = pd.DataFrame(
        [
            {"athlete_id": 1, "week_start": date(2026, 11, 23), "region": "knee"}
            | {"q1": 2, "q2": 2, "q3": 1, "q4": 2},
            {"athlete_id": 1, "week_start": date(2026, 11, 30), "region": "knee"}
            | {"q1": 1, "q2": 1, "q3": 0, "q4": 1},
            {"athlete_id": 1, "week_start": date(2026, 11, 30), "region": "calf"}
            | {"q1": 0, "q2": 0, "q3": 0, "q4": 1},
        ]
    )
    trend = availability.trend(answers)
    assert trend[["region", "severity", "substantial"]].values.tolist() == [
        ["knee", 53, True],
        ["knee", 22, False],
        ["calf", 8, False],
    ]
    fig = figures.ostrc_trend(trend)
    assert [t.name for t in fig.data] == ["Calf", "Knee"]  # in the vocabulary's order
    assert list(fig.data[1].y) == [53, 22] and list(fig.data[1].marker.size) == [16, 9]
    assert availability.trend(answers.iloc[0:0]).empty
