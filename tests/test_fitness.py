"""Fitness, fatigue and form (runform.fitness): the PMC's formulas against a worked example, the
projection from planned sessions, and each planned session's target RPE."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from runform import fitness, load, thresholds
from runform.models import PlanSession, Step, StepTarget

LOADS = [0, 300, 0, 420, 0, 0, 600, 300, 0, 420, 0, 350]
# Fitness (CTL), fatigue (ATL) and form (TSB) of each day, from the table in the test below.
CTL = [0.0, 7.143, 6.973, 16.807, 16.407, 16.016, 29.920, 36.351, 35.485, 44.640, 43.578, 50.873]
ATL = [0.0, 42.857, 36.735, 91.487, 78.417, 67.215, 143.327, 165.709, 142.036, 181.745, 155.782]
ATL += [183.527]
TSB = [0.0, 0.0, -35.714, -29.762, -74.680, -62.011, -51.199, -113.407, -129.358, -106.551]
TSB += [-137.105, -112.204]


def daily(loads: list[float], first: date = date(2026, 1, 1), athlete: int = 1) -> pd.DataFrame:
    days = pd.date_range(first, periods=len(loads), freq="D")
    return pd.DataFrame({"athlete_id": athlete, "day": days, "load": [float(x) for x in loads]})


def test_the_time_constants_are_the_pmcs():
    f = thresholds.load().fitness
    assert (f.ctl_days, f.atl_days) == (42, 7)


def test_twelve_days_worked_by_hand():
    """Twelve days of session load (sRPE × minutes: 5 × 60 = 300, 6 × 70 = 420, 6 × 100 = 600,
    7 × 50 = 350; rest days 0). CTL and ATL start at 0 the day before; each day
    CTL = CTL_yesterday + (load − CTL_yesterday)/42, ATL = ATL_yesterday + (load − ATL_yesterday)/7,
    and TSB = CTL_yesterday − ATL_yesterday (form is yesterday's fitness minus yesterday's fatigue):

    day load  CTL                                ATL                                   TSB
      1    0   0.000 + (  0 -  0.000)/42 =  0.000    0.000 + (  0 -   0.000)/7 =   0.000     0.000
      2  300   0.000 + (300 -  0.000)/42 =  7.143    0.000 + (300 -   0.000)/7 =  42.857     0.000
      3    0   7.143 + (  0 -  7.143)/42 =  6.973   42.857 + (  0 -  42.857)/7 =  36.735   -35.714
      4  420   6.973 + (420 -  6.973)/42 = 16.807   36.735 + (420 -  36.735)/7 =  91.487   -29.762
      5    0  16.807 + (  0 - 16.807)/42 = 16.407   91.487 + (  0 -  91.487)/7 =  78.417   -74.680
      6    0  16.407 + (  0 - 16.407)/42 = 16.016   78.417 + (  0 -  78.417)/7 =  67.215   -62.011
      7  600  16.016 + (600 - 16.016)/42 = 29.920   67.215 + (600 -  67.215)/7 = 143.327   -51.199
      8  300  29.920 + (300 - 29.920)/42 = 36.351  143.327 + (300 - 143.327)/7 = 165.709  -113.407
      9    0  36.351 + (  0 - 36.351)/42 = 35.485  165.709 + (  0 - 165.709)/7 = 142.036  -129.358
     10  420  35.485 + (420 - 35.485)/42 = 44.640  142.036 + (420 - 142.036)/7 = 181.745  -106.551
     11    0  44.640 + (  0 - 44.640)/42 = 43.578  181.745 + (  0 - 181.745)/7 = 155.782  -137.105
     12  350  43.578 + (350 - 43.578)/42 = 50.873  155.782 + (350 - 155.782)/7 = 183.527  -112.204

    (Day 3's TSB: 7.143 − 42.857 = −35.714; day 12's: 43.578 − 155.782 = −112.204.)
    """
    got = fitness.pmc(daily(LOADS))
    assert got["ctl"].round(3).tolist() == pytest.approx(CTL, abs=1e-3)
    assert got["atl"].round(3).tolist() == pytest.approx(ATL, abs=1e-3)
    assert got["tsb"].round(3).tolist() == pytest.approx(TSB, abs=1e-3)
    assert not got["projected"].any()


def test_runners_are_computed_apart():
    both = pd.concat([daily(LOADS, athlete=1), daily([100.0] * 5, athlete=2)], ignore_index=True)
    got = fitness.pmc(both)
    assert got[got["athlete_id"] == 1]["ctl"].round(3).tolist() == pytest.approx(CTL, abs=1e-3)
    second = got[got["athlete_id"] == 2]
    assert second["ctl"].iloc[0] == pytest.approx(100 / 42)
    assert second["tsb"].iloc[0] == 0  # the day before the record: both at 0


def session(kind: str = "strength", minutes: int = 40, steps: list[Step] | None = None):
    return PlanSession(date=date(2026, 1, 5), kind=kind, minutes=minutes, steps=steps or [])


def test_a_sessions_target_rpe_is_its_steps_weighted_by_time():
    steps = [
        Step(kind="warmup", duration_s=600, target=StepTarget(rpe=(2, 3))),
        Step(
            kind="repeat",
            repeat=4,
            steps=[
                Step(kind="work", duration_s=180, target=StepTarget(rpe=(7, 8))),
                Step(kind="recover", duration_s=120, target=StepTarget(rpe=(1, 2))),
            ],
        ),
        Step(kind="cooldown", note="easy until done"),  # lap button: no time, no weight
    ]
    # 10 min at 2.5, 12 min at 7.5, 8 min at 1.5: (25 + 90 + 12) / 30
    assert fitness.target_rpe(session("intervals", 40, steps), 6.0) == pytest.approx(127 / 30)


def test_a_distance_step_is_timed_at_the_plans_pace():
    steps = [
        Step(kind="work", distance_m=2000, target=StepTarget(rpe=(2, 3))),
        Step(kind="work", duration_s=600, target=StepTarget(rpe=(5, 6))),
    ]
    # 2 km at 5 min/km = 10 min at 2.5, 10 min at 5.5
    assert fitness.target_rpe(session("tempo", 30, steps), 5.0) == pytest.approx(4.0)


def test_sessions_without_steps_use_the_data_tables():
    table = thresholds.load().fitness.planned_rpe
    assert fitness.target_rpe(session("strength"), 6.0) == table.strength
    assert fitness.target_rpe(session("mobility"), 6.0) == table.mobility
    assert fitness.target_rpe(session("easy_run"), 6.0) == 2.5  # planning.toml [rpe] easy 2–3


def test_the_projection_carries_on_from_today():
    """The record to today, then planned load (minutes × target RPE): a 40-minute strength
    session at RPE 5 is 200 AU, rest days 0; the curve goes on from today's values."""
    today = date(2026, 1, 12)
    history = daily(LOADS)
    planned = fitness.planned_rows(
        1,
        [
            PlanSession(date=today, kind="strength", minutes=40),  # today: the record's
            PlanSession(date=today + timedelta(days=2), kind="strength", minutes=40),
        ],
        6.0,
    )
    got = fitness.with_projection(history, planned, today)
    assert len(got) == len(LOADS) + 2
    ahead = got[got["projected"]]
    assert ahead["load"].tolist() == [0.0, 200.0]
    assert load.session_load(5, 40) == 200
    ctl13 = CTL[-1] + (0 - CTL[-1]) / 42
    assert ahead["ctl"].iloc[0] == pytest.approx(ctl13, abs=1e-3)
    assert ahead["ctl"].iloc[1] == pytest.approx(ctl13 + (200 - ctl13) / 42, abs=1e-3)
    assert ahead["tsb"].iloc[0] == pytest.approx(CTL[-1] - ATL[-1], abs=1e-3)


def test_no_record_and_no_plan_is_an_empty_curve():
    empty = pd.DataFrame(columns=["athlete_id", "day", "load"])
    planned = pd.DataFrame(columns=fitness.PLANNED_COLUMNS)
    assert fitness.with_projection(empty, planned, date(2026, 1, 1)).empty
    assert fitness.latest_form(empty, date(2026, 1, 1)).empty


def test_form_today_is_yesterdays_fitness_minus_fatigue():
    got = fitness.latest_form(daily(LOADS), date(2026, 1, 12))
    assert got["tsb"].tolist() == pytest.approx([TSB[-1]], abs=1e-3)


def test_the_note_says_it_is_no_injury_prediction():
    text = fitness.note()
    assert "no prediction of injury" in text and "Impellizzeri et al. 2020" in text
    assert "42" in text and "7" in text
