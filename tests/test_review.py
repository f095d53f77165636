"""The progress-review queries and small wins against a small database built by hand.

Every expected number here is worked out by hand from the rows inserted (protocols §3), with a
fixed `today`, so each team flag is checked on and off at its boundary.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from runform import adherence, compare, load, milestones
from runform import wellness as runform_wellness
from runform.models import (
    AthleteProfile,
    Intake,
    MorningPain,
    PainEntry,
    Plan,
    PlannedRef,
    PlanOptions,
    PlanSession,
    PlanWeek,
    SessionLog,
    SessionPain,
    Wellness,
)
from runform.services import assessments as assessment_service
from runform.services import reviews
from runform.store import athletes, logs, plans, review
from tests.conftest import add_runner

TODAY = date(2026, 6, 17)  # a Wednesday: the last complete week is Mon 8 – Sun 14 June
LAST_MONDAY = date(2026, 6, 8)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --- builders ---------------------------------------------------------------------------------


def profile(name: str, longest: float = 10.0) -> AthleteProfile:
    return AthleteProfile(
        name=name,
        weekly_km=30.0,
        runs_per_week=3,
        longest_run_km=longest,
        available_days=["mon", "wed", "sat"],
    )


def runner(con, name: str, longest: float = 10.0) -> int:
    """A runner with their intake long ago (`add_runner`): no recent assessment, run or finding."""
    return add_runner(con, profile(name, longest))


def first_assessed(con, name: str, on: date, screens: dict) -> int:
    """A runner created with their first assessment, `on` with `screens` (a baseline)."""
    form = Intake(athlete=profile(name), assessed_on=on, screens=screens)
    return assessment_service.record_intake(con, form).athlete_id


def assess(con, aid: int, on: date, screens: dict | None = None, pain=()) -> int:
    profile = athletes.get(con, aid)
    form = Intake(athlete=profile, assessed_on=on, screens=screens or {}, pain=list(pain))
    assessment_id = assessment_service.record_intake(con, form, aid).assessment_id
    return assessment_id


def log(
    con,
    aid: int,
    day: date,
    kind: str = "strength",
    minutes: float = 40.0,
    rpe: float = 5.0,
    km: float = 0.0,
    planned: PlannedRef | None = None,
    pain: list[tuple[str, int]] = (),
    cadence: float | None = None,
) -> int:
    return logs.save(
        con,
        SessionLog(
            athlete_id=aid,
            day=day,
            kind=kind,
            minutes=float(minutes),
            rpe=float(rpe),
            run_km=float(km),
            planned=planned,
            cadence_spm=None if cadence is None else float(cadence),
            pain=[SessionPain(region="knee", score=s, when=w) for w, s in pain],
        ),
    )


def morning(con, aid: int, day: date, score: int) -> None:
    logs.save_morning_pain(con, MorningPain(athlete_id=aid, day=day, region="knee", score=score))


def wellness(con, aid: int, day: date, items: tuple[int, int, int, int, int]) -> None:
    q, f, so, st, mo = items
    logs.save_wellness(
        con,
        Wellness(
            athlete_id=aid,
            day=day,
            sleep_hours=7.5,
            sleep_quality=q,
            fatigue=f,
            soreness=so,
            stress=st,
            mood=mo,
        ),
    )


def week_plan(start: date, weeks: list[list[tuple[int, str]]]) -> Plan:
    """A plan from (day offset in the week, kind) per week, starting on Monday `start`."""
    return Plan(
        start=start,
        weeks=[
            PlanWeek(
                index=i + 1,
                sessions=[
                    PlanSession(
                        date=start + timedelta(weeks=i, days=d),
                        kind=k,
                        minutes=30,
                        run_km=6.0 if k.endswith("run") else 0.0,
                    )
                    for d, k in sessions
                ],
            )
            for i, sessions in enumerate(weeks)
        ],
    )


def make_plan(con, aid: int, start: date, weeks: list[list[tuple[int, str]]]) -> int:
    return plans.create(con, aid, week_plan(start, weeks), PlanOptions(start=start, weeks=4))


def do(con, aid: int, plan_id: int, week: int, position: int, version: int = 1) -> int:
    """Log a planned session as done, on its planned day and with its kind."""
    s = plans.load(con, plan_id, version).weeks[week - 1].sessions[position]
    return log(
        con,
        aid,
        s.date,
        kind=s.kind,
        km=s.run_km,
        planned=PlannedRef(plan_id=plan_id, version=version, week=week, position=position),
    )


def team(con) -> pd.DataFrame:
    return reviews.team_board(con, TODAY).set_index("name")


def adherence_table(con, aid: int, start: date, end: date) -> pd.DataFrame:
    """Planned and done per week and kind: `adherence.count` over the store's planned sessions."""
    planned = review.adherence(con, aid, start, end)
    return adherence.count(planned.assign(week_start=load.week_start(planned["day"])), BY)


BY = ["week_start", "kind"]


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    out = []
    for r in frame[list(columns)].itertuples(index=False):
        out.append(tuple(v.date() if isinstance(v, pd.Timestamp) else v for v in r))
    return out


# Wellness item sets (sleep quality, fatigue, soreness, stress, mood) and their sums.
W25 = (5, 5, 5, 5, 5)
W22 = (5, 5, 4, 4, 4)
W18 = (4, 4, 4, 3, 3)
W17 = (4, 4, 3, 3, 3)
W16 = (4, 3, 3, 3, 3)


# --- adherence and the planned_sessions view ---------------------------------------------------


def test_adherence_by_week_and_kind_with_a_newer_plan_replacing_the_older(con):
    aid = runner(con, "Ana")
    week = [(0, "strength"), (2, "easy_run"), (5, "long_run")]
    old = make_plan(con, aid, date(2026, 5, 4), [week] * 4)
    # The new block's first session is on Tuesday of the old plan's third week: from that day on
    # only the new block counts; the old Monday session the day before still does.
    new = make_plan(con, aid, date(2026, 5, 18), [[(1, "mobility"), (3, "easy_run")]] * 2)
    do(con, aid, old, 1, 0)
    do(con, aid, old, 1, 1)
    for position in range(3):
        do(con, aid, old, 2, position)
    do(con, aid, old, 3, 0)  # Monday 18 May: still the old plan's day
    do(con, aid, old, 3, 1)  # Wednesday 20 May, replaced but done anyway: not counted
    do(con, aid, new, 1, 0)
    log(con, aid, date(2026, 5, 27), "easy_run", km=5.0)  # unplanned: not "done" for any plan

    got = adherence_table(con, aid, date(2026, 5, 4), date(2026, 5, 31))
    assert rows(got, "week_start", "kind", "planned", "done") == [
        (date(2026, 5, 4), "easy_run", 1, 1),
        (date(2026, 5, 4), "long_run", 1, 0),
        (date(2026, 5, 4), "strength", 1, 1),
        (date(2026, 5, 11), "easy_run", 1, 1),
        (date(2026, 5, 11), "long_run", 1, 1),
        (date(2026, 5, 11), "strength", 1, 1),
        (date(2026, 5, 18), "easy_run", 1, 0),
        (date(2026, 5, 18), "mobility", 1, 1),
        (date(2026, 5, 18), "strength", 1, 1),
        (date(2026, 5, 25), "easy_run", 1, 0),
        (date(2026, 5, 25), "mobility", 1, 0),
    ]
    # The range cuts by day, not by week: only Mon 4 May to Wed 6 May.
    assert rows(adherence_table(con, aid, date(2026, 5, 4), date(2026, 5, 6)), "kind") == [
        ("easy_run",),
        ("strength",),
    ]


def test_adherence_follows_the_latest_accepted_version_only(con):
    aid = runner(con, "Ben")
    start = date(2026, 5, 4)
    plan_id = make_plan(con, aid, start, [[(0, "strength"), (2, "easy_run")]])
    longer = week_plan(start, [[(0, "strength"), (2, "easy_run"), (4, "mobility")]])
    plans.add_version(con, plan_id, longer, "a proposal", status="proposed")
    end = date(2026, 5, 10)
    assert len(review.adherence(con, aid, start, end)) == 2  # proposed: not in force
    version = plans.add_version(con, plan_id, longer, "accepted edit")
    assert version == 3
    got = adherence.by_kind(review.adherence(con, aid, start, end))
    assert rows(got, "kind", "planned") == [("easy_run", 1), ("mobility", 1), ("strength", 1)]


def test_a_second_plan_starting_the_same_day_replaces_the_first(con):
    aid = runner(con, "Chloé")
    start = date(2026, 5, 4)
    make_plan(con, aid, start, [[(0, "strength"), (2, "easy_run")]])
    make_plan(con, aid, start, [[(0, "strength"), (2, "easy_run"), (4, "long_run")]])
    got = review.adherence(con, aid, start, date(2026, 5, 10))
    assert len(got) == 3


def test_a_log_keeps_its_session_when_a_later_version_deletes_an_earlier_one(con):
    aid = runner(con, "Dev")
    start = date(2026, 5, 4)
    week = [(0, "strength"), (2, "easy_run"), (5, "long_run")]
    plan_id = make_plan(con, aid, start, [week])
    do(con, aid, plan_id, 1, 1)  # Wednesday's easy run, logged against version 1
    # The coach then deletes Monday's missed strength session: version 2 is easy run, long run.
    plans.add_version(con, plan_id, week_plan(start, [week[1:]]), "deleted a session")
    got = adherence.by_kind(review.adherence(con, aid, start, date(2026, 5, 10)))
    assert rows(got, "kind", "planned", "done") == [("easy_run", 1, 1), ("long_run", 1, 0)]


# --- the team view's flags, each on and off at its boundary ---------------------------------


def test_a_runner_with_no_data_raises_only_reassessment(con):
    runner(con, "Empty")
    row = team(con).loc["Empty"]
    flags = {c: bool(row[c]) for c in row.index if c.startswith("flag_")}
    assert flags == {
        "flag_pain": False,
        "flag_spike": False,
        "flag_acwr": False,
        "flag_monotony": False,
        "flag_adherence": False,
        "flag_wellness": False,
        "flag_reassess": True,  # assessed only at the intake, long ago
        "flag_new_high": False,
    }


def test_pain_during_or_after_above_5_in_the_last_7_days(con):
    for name, day, pain in [
        ("five", ago(6), [("during_run", 5)]),
        ("six", ago(6), [("during_run", 6)]),
        ("six after", ago(0), [("after_run", 6)]),
        ("six 7 days ago", ago(7), [("during_run", 6)]),
    ]:
        log(con, runner(con, name), day, "easy_run", km=6.0, pain=pain)
    t = team(con)
    assert t.loc["five", "pain_during"] == 5
    assert not t.loc["five", "flag_pain"]
    assert t.loc["six", "flag_pain"]
    assert t.loc["six after", "flag_pain"]
    assert pd.isna(t.loc["six 7 days ago", "pain_during"])
    assert not t.loc["six 7 days ago", "flag_pain"]


def test_next_morning_pain_more_than_the_tolerance_above_the_median_of_the_28_days_before(con):
    # The pain-monitoring model (painmodel.verdict): the baseline is the median of the
    # next-morning reports of the 28 days before the last 7 (days 34 to 7 before today); a
    # morning more than 1 point above it regresses (a convention, thresholds.toml).
    for name, recent in [("at the tolerance", 3), ("above the tolerance", 4)]:
        aid = runner(con, name)
        for day, score in [(ago(30), 2), (ago(20), 2), (ago(10), 3), (ago(7), 2)]:
            morning(con, aid, day, score)  # median 2
        morning(con, aid, ago(1), recent)
    # A report 35 days ago is outside the baseline: in-window [2, 3] has median 2.5, so a 4 now
    # is above 3.5 (with the old 3 included the median would be 3 and the flag would stay off).
    aid = runner(con, "window edge")
    for day, score in [(ago(35), 3), (ago(34), 2), (ago(8), 3)]:
        morning(con, aid, day, score)
    morning(con, aid, ago(6), 4)
    # No earlier next-morning pain: a first score up to 2/10 is the baseline (a convention).
    aid = runner(con, "first 2 then 3")
    morning(con, aid, ago(4), 2)
    morning(con, aid, ago(2), 3)
    morning(con, runner(con, "first ever 4"), ago(2), 4)  # baseline 2: 4 is above 3
    morning(con, runner(con, "zero"), ago(2), 0)
    # A report exactly 7 days ago belongs to the baseline, not to the last 7 days.
    morning(con, runner(con, "a week ago"), ago(7), 4)

    t = team(con)
    assert not t.loc["at the tolerance", "flag_pain"]
    assert t.loc["above the tolerance", "flag_pain"]
    assert "above the usual 2/10" in t.loc["above the tolerance", "pain_reason"]
    assert t.loc["window edge", "flag_pain"]
    assert not t.loc["first 2 then 3", "flag_pain"]
    assert t.loc["first ever 4", "flag_pain"]
    assert not t.loc["zero", "flag_pain"]
    assert pd.isna(t.loc["zero", "pain_reason"])
    assert pd.isna(t.loc["a week ago", "pain_morning"])
    assert not t.loc["a week ago", "flag_pain"]


def test_pain_rising_week_to_week_is_above_the_model(con):
    # During-run pain 2/10 last week, 4/10 this week: within 5/10 but up by more than 1 point.
    aid = runner(con, "rising")
    log(con, aid, ago(10), "easy_run", km=6.0, pain=[("during_run", 2)])
    log(con, aid, ago(3), "easy_run", km=6.0, pain=[("during_run", 4)])
    aid = runner(con, "steady")
    log(con, aid, ago(10), "easy_run", km=6.0, pain=[("during_run", 3)])
    log(con, aid, ago(3), "easy_run", km=6.0, pain=[("during_run", 4)])
    t = team(con)
    assert t.loc["rising", "flag_pain"]
    assert "rose from 2/10" in t.loc["rising", "pain_reason"]
    assert not t.loc["steady", "flag_pain"]


def test_single_run_spike_above_110_percent_of_the_30_day_longest(con):
    for name, km in [("13.2", 13.2), ("13.3", 13.3)]:
        aid = runner(con, name)
        log(con, aid, ago(20), "long_run", minutes=70, km=12.0)
        log(con, aid, ago(9), "easy_run", minutes=40, km=8.0)
        log(con, aid, ago(2), "long_run", minutes=80, km=km)
    # A 12 km run 40 days ago is not in the 30 days before: the longest is then 8 km.
    aid = runner(con, "old longest")
    log(con, aid, ago(40), "long_run", minutes=70, km=12.0)
    log(con, aid, ago(20), "long_run", minutes=50, km=8.0)
    log(con, aid, ago(2), "long_run", minutes=55, km=9.0)
    # A spike older than the last 7 days is no longer flagged.
    aid = runner(con, "last week's spike")
    log(con, aid, ago(20), "long_run", minutes=50, km=8.0)
    log(con, aid, ago(7), "long_run", minutes=80, km=12.0)

    t = team(con)
    assert t.loc["13.2", "spike_ratio"] == pytest.approx(1.10)
    assert not t.loc["13.2", "flag_spike"]
    assert t.loc["13.3", "spike_ratio"] == pytest.approx(1.11)
    assert t.loc["13.3", "flag_spike"]
    assert t.loc["old longest", "spike_ratio"] == pytest.approx(1.13)
    assert t.loc["old longest", "flag_spike"]
    assert not t.loc["last week's spike", "flag_spike"]


def test_the_intakes_longest_run_counts_for_the_spike(con):
    aid = runner(con, "intake 12 km", longest=12.0)
    assess(con, aid, ago(10))
    log(con, aid, ago(2), "long_run", minutes=80, km=13.3)
    assert team(con).loc["intake 12 km", "flag_spike"]


def test_acute_chronic_ratio_above_1_5(con):
    # Acute: last 7 days ÷ 7; chronic: last 28 days ÷ 28. With acute load A and B in the 21 days
    # before, the ratio is 4A / (A + B): A = 300, B = 500 gives exactly 1.5; B = 490 gives 1.52.
    for name, minutes in [("1.50", 50), ("1.52", 48)]:
        aid = runner(con, name)
        log(con, aid, ago(27), minutes=50, rpe=5)  # 250 AU, inside the 28 days
        log(con, aid, ago(14), minutes=minutes, rpe=5)
        log(con, aid, ago(6), minutes=30, rpe=5)  # 150 AU, inside the 7 days
        log(con, aid, ago(0), minutes=30, rpe=5)
        log(con, aid, ago(28), minutes=300, rpe=10)  # outside both windows
    t = team(con)
    assert t.loc["1.50", "acwr"] == 1.5
    assert not t.loc["1.50", "flag_acwr"]
    assert t.loc["1.52", "acwr"] == 1.52
    assert t.loc["1.52", "flag_acwr"]


def test_acute_chronic_needs_28_days_of_history(con):
    aid = runner(con, "new runner")
    for days in (5, 3, 1):
        log(con, aid, ago(days), "easy_run", minutes=40, rpe=4, km=6.0)
    row = team(con).loc["new runner"]
    assert not row["flag_acwr"]
    assert pd.isna(row["acwr"])


def _week_loads(con, name: str, loads: list[float]) -> int:
    """Sessions on Monday 8 – Sunday 14 June with these daily loads (rpe 5 × minutes)."""
    aid = runner(con, name)
    for d, au in enumerate(loads):
        if au:
            log(con, aid, LAST_MONDAY + timedelta(days=d), minutes=au / 5, rpe=5)
    return aid


def test_monotony_of_the_last_complete_week_with_rest_days_as_zero(con):
    # Six equal days and a rest day: mean/SD = (6/7)x ÷ (x/√7) = 6/√7 = 2.27 (only with the rest
    # day as 0: over the training days alone the SD would be 0).
    aid = _week_loads(con, "six days", [200, 200, 200, 200, 200, 0, 200])
    # Monday's load in two sessions (summed per day), and big loads just outside the week.
    con.execute("DELETE FROM session_logs WHERE athlete_id = ? AND day = ?", [aid, LAST_MONDAY])
    log(con, aid, LAST_MONDAY, minutes=20, rpe=5)
    log(con, aid, LAST_MONDAY, minutes=20, rpe=5)
    log(con, aid, LAST_MONDAY - timedelta(days=1), minutes=180, rpe=9)
    log(con, aid, LAST_MONDAY + timedelta(days=7), minutes=180, rpe=9)
    # Five equal days: 1.46.
    _week_loads(con, "five days", [200, 200, 0, 200, 200, 0, 200])
    # Just under the mark: [100 × 5, 50, 0] gives 1.997.
    _week_loads(con, "1.997", [100, 100, 100, 100, 100, 50, 0])
    t = team(con)
    assert t.loc["six days", "monotony"] == pytest.approx(round(6 / math.sqrt(7), 2))
    assert t.loc["six days", "flag_monotony"]
    assert t.loc["five days", "monotony"] == pytest.approx(1.46)
    assert not t.loc["five days", "flag_monotony"]
    assert t.loc["1.997", "monotony"] == pytest.approx(2.0)
    assert not t.loc["1.997", "flag_monotony"]


def test_monotony_just_above_2_is_flagged(con):
    _week_loads(con, "2.003", [110, 110, 110, 110, 110, 175, 0])
    assert team(con).loc["2.003", "flag_monotony"]


def test_identical_days_give_no_monotony(con):
    aid = runner(con, "streak")
    for d in range(7):
        log(con, aid, LAST_MONDAY + timedelta(days=d), "easy_run", minutes=31.4, rpe=3, km=5.0)
    weekly = reviews.weekly_load(con, [aid], LAST_MONDAY, LAST_MONDAY + timedelta(days=6))
    assert weekly["monotony"].isna().all() and not weekly["monotony_flag"].any()
    row = team(con).loc["streak"]
    assert pd.isna(row["monotony"])
    assert not row["flag_monotony"]


def test_adherence_under_70_percent_over_the_14_days_before_today(con):
    # Window: 3 June (today − 14) to 16 June (today − 1). Sessions on 2 June (one day too early)
    # and on 17 June (today) are planned, not done, and must not count.
    weeks = [
        [(1, "strength"), (2, "strength"), (3, "mobility"), (4, "strength"), (6, "easy_run")],
        [(0, "strength"), (2, "easy_run"), (4, "strength"), (6, "long_run")],
        [(0, "mobility"), (1, "strength"), (2, "strength")],
    ]
    in_window = [(1, 1), (1, 2), (1, 3), (1, 4), (2, 0), (2, 1), (2, 2), (2, 3), (3, 0), (3, 1)]
    for name, done in [("7 of 10", 7), ("6 of 10", 6)]:
        aid = runner(con, name)
        plan_id = make_plan(con, aid, date(2026, 6, 1), weeks)
        for week, position in in_window[:done]:
            do(con, aid, plan_id, week, position)
    t = team(con)
    assert t.loc["7 of 10", ["planned_14d", "done_14d", "adherence"]].tolist() == [10, 7, 0.7]
    assert not t.loc["7 of 10", "flag_adherence"]
    assert t.loc["6 of 10", ["planned_14d", "done_14d", "adherence"]].tolist() == [10, 6, 0.6]
    assert t.loc["6 of 10", "flag_adherence"]


def test_wellness_below_own_baseline_minus_1_5_sd(con):
    # Baseline of today: 28 days before it (28 to 1 days ago) = 18, 22, 18, 22: mean 20, sample
    # SD √(16/3) = 2.31, mark 20 − 3.46 = 16.54. The 25 of 29 days ago is outside the window.
    for name, now in [("16", W16), ("17", W17)]:
        aid = runner(con, name)
        for days, items in [(29, W25), (28, W18), (3, W22), (2, W18), (1, W22)]:
            wellness(con, aid, ago(days), items)
        wellness(con, aid, TODAY, now)
    t = team(con)
    assert t.loc["16", ["wellness", "wellness_baseline"]].tolist() == [16, 20.0]
    assert t.loc["16", "flag_wellness"]
    assert t.loc["17", "wellness"] == 17
    assert not t.loc["17", "flag_wellness"]


def scored_wellness(con, aid: int, start: date, end: date) -> pd.DataFrame:
    """The Progress chart's frame: `wellness.baseline` over the check-ins it needs."""
    rows = review.wellness(con, aid, runform_wellness.first_needed(start), end)
    scored = runform_wellness.baseline(rows)
    return scored[scored["day"] >= pd.Timestamp(start)].reset_index(drop=True)


def test_wellness_baseline_excludes_the_day_itself(con):
    aid = runner(con, "Emma")
    for days, items in [(29, W25), (28, W18), (3, W22), (2, W18), (1, W22)]:
        wellness(con, aid, ago(days), items)
    wellness(con, aid, TODAY, W16)
    got = scored_wellness(con, aid, ago(3), TODAY)
    assert got["day"].dt.date.tolist() == [ago(3), ago(2), ago(1), TODAY]
    last = got.iloc[-1]
    # With the day itself the mean would be 19.2; with the 25 of 29 days ago, 21.
    assert (last["total"], last["baseline"]) == (16, pytest.approx(20.0))
    assert last["sd"] == pytest.approx(math.sqrt(16 / 3))
    assert bool(last["flag"])
    # Three days ago the window (31 to 4 days ago) holds the 25 and the 18: mean 21.5.
    first = got.iloc[0]
    assert (first["total"], first["baseline"]) == (22, pytest.approx(21.5))
    assert first["sd"] == pytest.approx(math.sqrt(24.5))
    assert not first["flag"]
    # Before any earlier check-in there is no baseline, and nothing is flagged.
    start = scored_wellness(con, aid, ago(40), TODAY).iloc[0]
    assert pd.isna(start["baseline"]) and pd.isna(start["sd"]) and not start["flag"]


def test_wellness_flag_reads_only_the_last_weeks_check_in(con):
    # The team view shows the latest check-in of the last 7 days (a convention): a low score
    # eight days ago with nothing since is not "now".
    aid = runner(con, "stale")
    for days, items in [(20, W22), (15, W18), (12, W22), (10, W18)]:
        wellness(con, aid, ago(days), items)
    wellness(con, aid, ago(8), (1, 1, 1, 1, 1))
    row = team(con).loc["stale"]
    assert pd.isna(row["wellness"]) and not row["flag_wellness"]
    assert scored_wellness(con, aid, ago(8), TODAY)["flag"].tolist() == [True]


def test_reassessment_due_at_28_days(con):
    assess(con, runner(con, "27 days"), ago(27))
    assess(con, runner(con, "28 days"), ago(28))
    aid = runner(con, "latest counts")
    assess(con, aid, ago(60))
    assess(con, aid, ago(3))
    t = team(con)
    assert not t.loc["27 days", "flag_reassess"]
    assert t.loc["28 days", "flag_reassess"]
    assert t.loc["latest counts", "last_assessed"].date() == ago(3)
    assert not t.loc["latest counts", "flag_reassess"]


KTW_MODERATE = {"knee_to_wall_cm": {"left": 9.0, "right": 9.0}}  # < 10 cm: moderate
KTW_HIGH = {"knee_to_wall_cm": {"left": 7.0, "right": 7.0}}  # < 8 cm: high
KTW_NORMAL = {"knee_to_wall_cm": {"left": 11.0, "right": 11.0}}


def test_new_high_finding_against_the_previous_assessment(con):
    aid = runner(con, "moderate then high")
    assess(con, aid, ago(60), KTW_MODERATE)
    assess(con, aid, ago(5), KTW_HIGH)
    aid = runner(con, "high twice")
    assess(con, aid, ago(60), KTW_HIGH)
    assess(con, aid, ago(5), KTW_HIGH)
    aid = runner(con, "high resolved")
    assess(con, aid, ago(60), KTW_HIGH)
    assess(con, aid, ago(5), KTW_NORMAL)
    assess(con, runner(con, "first is high"), ago(5), KTW_HIGH)
    # Entered last but dated earlier: the assessment of 5 days ago stays the latest.
    aid = runner(con, "back-dated")
    assess(con, aid, ago(5), KTW_HIGH)
    assess(con, aid, ago(60), KTW_HIGH)
    t = team(con)
    assert t.loc["moderate then high", "flag_new_high"]
    assert not t.loc["high twice", "flag_new_high"]
    assert not t.loc["high resolved", "flag_new_high"]
    assert t.loc["first is high", "flag_new_high"]
    assert not t.loc["back-dated", "flag_new_high"]


# --- one runner over time -------------------------------------------------------------------


def test_asymmetry_is_the_left_right_difference_per_assessment(con):
    aid = runner(con, "Farid")
    assess(
        con,
        aid,
        ago(60),
        {
            "knee_to_wall_cm": {"left": 8.5, "right": 11.0},
            "calf_raise_reps": {"left": 20, "right": 28},
            "hip_ir_deg": {"left": 35},  # one side only: no difference
            "cadence_spm": 164,  # not bilateral
            "single_leg_squat": {
                "left": {"knee_valgus": True},
                "right": {"knee_valgus": False},
            },
        },
    )
    assess(con, aid, ago(5), {"knee_to_wall_cm": {"left": 10.0, "right": 10.5}})
    got = review.asymmetry(con, aid)
    assert rows(got, "assessed_on", "screen_id", "left", "right", "difference") == [
        (ago(60), "calf_raise_reps", 20.0, 28.0, 8.0),
        (ago(60), "knee_to_wall_cm", 8.5, 11.0, 2.5),
        (ago(5), "knee_to_wall_cm", 10.0, 10.5, 0.5),
    ]


def test_screens_carry_their_first_value_as_baseline(con):
    aid = runner(con, "Grace")
    assess(con, aid, ago(60), {"knee_to_wall_cm": {"left": 8.0, "right": 9.0}, "cadence_spm": 160})
    assess(con, aid, ago(30), {"knee_to_wall_cm": {"left": 9.0, "right": 9.5}})
    assess(con, aid, ago(2), {"knee_to_wall_cm": {"left": 10.0}, "cadence_spm": 168})
    got = review.screens(con, aid)
    assert rows(got, "screen_id", "side", "assessed_on", "value", "baseline") == [
        ("cadence_spm", "none", ago(60), 160.0, 160.0),
        ("cadence_spm", "none", ago(2), 168.0, 160.0),
        ("knee_to_wall_cm", "left", ago(60), 8.0, 8.0),
        ("knee_to_wall_cm", "left", ago(30), 9.0, 8.0),
        ("knee_to_wall_cm", "left", ago(2), 10.0, 8.0),
        ("knee_to_wall_cm", "right", ago(60), 9.0, 9.0),
        ("knee_to_wall_cm", "right", ago(30), 9.5, 9.0),
    ]


def finding_status(con, aid: int) -> pd.DataFrame:
    """The status rule (compare.status_table) over the store's inputs, as the Progress page."""
    return compare.status_table(
        review.findings_by_assessment(con, aid), review.measured_screens(con, aid)
    )


def test_finding_status_resolved_persisting_new(con):
    aid = runner(con, "Hiro")
    assert finding_status(con, aid).empty
    # Entered newest first: ranking is by the assessment date, not the id.
    assess(
        con,
        aid,
        ago(5),
        {
            "knee_to_wall_cm": {"left": 9.0, "right": 9.0},
            "navicular_drop_mm": {"left": 12.0, "right": 6.0},
            "cadence_spm": 170,  # re-tested: overstriding is resolved, not merely absent
        },
    )
    first = {"knee_to_wall_cm": {"left": 9.0, "right": 9.0}, "cadence_spm": 160}
    assess(con, aid, ago(60), first)
    got = finding_status(con, aid)
    assert rows(got, "finding_id", "status") == [
        ("overstriding", "resolved"),
        ("limited_ankle_dorsiflexion", "persisting"),
        ("excessive_pronation", "new"),
    ]
    only = first_assessed(con, "Ines", ago(5), first)
    assert set(finding_status(con, only)["status"]) == {"baseline"}


def test_prevalence_counts_only_each_runners_latest_assessment(con):
    a = runner(con, "Jonas")
    assess(con, a, ago(60), {"cadence_spm": 160, "knee_to_wall_cm": {"left": 9.0, "right": 9.0}})
    assess(con, a, ago(5), {"cadence_spm": 170, "knee_to_wall_cm": {"left": 9.0, "right": 9.0}})
    b = runner(con, "Kemi")
    assess(con, b, ago(10), {"cadence_spm": 160, "knee_to_wall_cm": {"left": 7.0, "right": 7.0}})
    got = review.prevalence(con)
    assert rows(got, "finding_id", "severity", "runners") == [
        ("limited_ankle_dorsiflexion", "high", 1),
        ("limited_ankle_dorsiflexion", "moderate", 1),
        ("overstriding", "moderate", 1),
    ]


def test_pain_long_runs_form_and_progression_history(con):
    aid = runner(con, "Lars")
    assess(con, aid, ago(30), pain=[PainEntry(region="calf", score=2, when="during_run")])
    log(con, aid, ago(20), "long_run", 90, 5, 16.0, pain=[("during_run", 3), ("after_run", 4)])
    log(con, aid, ago(13), "long_run", 95, 5, 17.0, cadence=168, pain=[("after_run", 0)])
    log(con, aid, ago(12), "easy_run", 40, 4, 7.0, cadence=164)
    log(con, aid, ago(6), "long_run", 100, 5, 18.0, cadence=166)
    morning(con, aid, ago(19), 2)
    got = review.pain(con, aid, ago(25), TODAY)
    assert rows(got, "day", "score", "when") == [
        (ago(20), 3, "during_run"),
        (ago(20), 4, "after_run"),
        (ago(19), 2, "next_morning"),
        (ago(13), 0, "after_run"),
    ]
    runs = review.long_runs(con, aid, ago(25), TODAY)
    assert rows(runs, "day", "run_km") == [(ago(20), 16.0), (ago(13), 17.0), (ago(6), 18.0)]
    assert runs["pain"].tolist()[:2] == [4, 0] and pd.isna(runs["pain"].iloc[2])
    form = review.form(con, aid, ago(25), TODAY)
    # Weeks of 25 May (16 km), 1 June (17 km + 7 km) and 8 June (18 km).
    assert form["runs"].tolist() == [1, 2, 1]
    assert pd.isna(form["cadence_spm"].iloc[0])
    assert form["cadence_spm"].tolist()[1:] == [166.0, 166.0]

    plan_id = make_plan(con, aid, date(2026, 6, 1), [[(0, "strength")]])
    assert review.progression_history(con, aid).empty  # version 1 is not a change
    plans.add_version(con, plan_id, week_plan(date(2026, 6, 1), [[(1, "strength")]]), "moved")
    plans.add_version(
        con, plan_id, week_plan(date(2026, 6, 1), [[(2, "strength")]]), "progression", "proposed"
    )
    got = review.progression_history(con, aid)
    assert rows(got, "version", "status", "note") == [
        (3, "proposed", "progression"),
        (2, "accepted", "moved"),
    ]


# --- small wins -------------------------------------------------------------------------------


def improved(con, aid: int) -> list[milestones.Milestone]:
    return milestones.improved_screens(review.screens(con, aid), review.measured_screens(con, aid))


def test_milestone_for_a_resolved_finding(con):
    aid = runner(con, "Maya")
    assess(con, aid, ago(60), {"cadence_spm": 160})
    assess(con, aid, ago(5), {"cadence_spm": 170})
    wins = milestones.resolved_findings(finding_status(con, aid), ago(5))
    assert [(w.kind, w.title, w.day) for w in wins] == [
        ("finding resolved", "Overstriding: resolved", ago(5))
    ]
    # Two later assessments without it: nothing is resolved any more between the latest two.
    assess(con, aid, ago(1), {"cadence_spm": 171})
    assert milestones.resolved_findings(finding_status(con, aid), ago(1)) == []


def test_milestone_for_a_screen_improved_beyond_the_mdc(con):
    # Knee-to-wall MDC is 1.9 cm: +2.0 is a real change, +1.8 is not.
    aid = runner(con, "Nico")
    assess(con, aid, ago(60), {"knee_to_wall_cm": {"left": 8.0, "right": 8.0}})
    assess(con, aid, ago(5), {"knee_to_wall_cm": {"left": 10.0, "right": 9.8}})
    wins = improved(con, aid)
    assert [(w.kind, w.title, w.day) for w in wins] == [
        ("screen improved", "Knee-to-wall (weight-bearing lunge) (left): 8 → 10 cm", ago(5))
    ]
    # no assessor recorded: the larger (same-assessor) figure
    assert "minimal detectable change" in wins[0].detail and "1.9 cm" in wins[0].detail
    # Worse by more than the MDC is no win either.
    aid = runner(con, "Olu")
    assess(con, aid, ago(60), {"knee_to_wall_cm": {"left": 12.0, "right": 12.0}})
    assess(con, aid, ago(5), {"knee_to_wall_cm": {"left": 9.0, "right": 12.0}})
    assert improved(con, aid) == []


def test_milestone_without_a_published_mdc_uses_10_percent(con):
    aid = runner(con, "Priya")
    assess(con, aid, ago(60), {"calf_raise_reps": {"left": 20, "right": 20}})
    assess(con, aid, ago(5), {"calf_raise_reps": {"left": 23, "right": 21}})
    wins = improved(con, aid)
    assert [w.title for w in wins] == ["Single-leg heel raise (left): 20 → 23 reps"]
    assert "10 % of baseline" in wins[0].detail


def test_a_change_of_exactly_10_percent_is_not_real(con):
    aid = runner(con, "Quinn")
    assess(con, aid, ago(60), {"hip_ir_deg": {"left": 40.0, "right": 40.0}})
    assess(con, aid, ago(5), {"hip_ir_deg": {"left": 44.0, "right": 40.0}})
    assert improved(con, aid) == []


def test_milestone_for_a_streak_of_completed_weeks(con):
    aid = runner(con, "Rosa")
    start = date(2026, 5, 11)
    plan_id = make_plan(con, aid, start, [[(1, "strength"), (3, "easy_run")]] * 6)
    do(con, aid, plan_id, 1, 0)  # week 1: one of two
    for week in range(2, 6):  # weeks 2–5 (to Sun 14 June): all done
        do(con, aid, plan_id, week, 0)
        do(con, aid, plan_id, week, 1)
    # Week 6 (15 June, not over by today): Tuesday missed, which must not break the streak.
    adherence = review.adherence(con, aid, start, TODAY - timedelta(days=1))
    wins = milestones.completed_weeks(adherence, TODAY)
    assert [(w.kind, w.title, w.day) for w in wins] == [
        ("streak", "4 weeks in a row with every session done", LAST_MONDAY)
    ]
    # Seen on 14 June, week 5 is not over yet: three weeks.
    early = milestones.completed_weeks(adherence, date(2026, 6, 14))
    assert early[0].title.startswith("3 weeks")
    # One complete week is not a streak.
    assert milestones.completed_weeks(adherence, date(2026, 5, 25)) == []


def test_milestone_for_a_long_run_without_pain(con):
    aid = runner(con, "Sami")
    log(con, aid, ago(21), "long_run", 80, 5, 14.0)
    log(con, aid, ago(14), "long_run", 85, 5, 16.0, pain=[("during_run", 3)])
    log(con, aid, ago(7), "long_run", 95, 5, 18.0, pain=[("after_run", 0)])
    log(con, aid, ago(1), "long_run", 100, 5, 19.0, pain=[("during_run", 4)])
    wins = milestones.pain_free_long_run(review.long_runs(con, aid, ago(30), TODAY))
    assert [(w.kind, w.title, w.day) for w in wins] == [
        ("long run without pain", "Long run of 18 km without pain", ago(7))
    ]
    sore = runner(con, "Tess")
    log(con, sore, ago(7), "long_run", 95, 5, 18.0, pain=[("during_run", 1)])
    assert milestones.pain_free_long_run(review.long_runs(con, sore, ago(30), TODAY)) == []


def test_milestone_for_cadence_held_for_two_weeks(con):
    aid = runner(con, "Uma")
    log(con, aid, date(2026, 5, 27), "easy_run", 40, 4, 7.0, cadence=165)
    log(con, aid, date(2026, 6, 3), "easy_run", 40, 4, 7.0, cadence=166)
    log(con, aid, date(2026, 6, 10), "easy_run", 40, 4, 7.0, cadence=170)
    log(con, aid, date(2026, 6, 11), "easy_run", 40, 4, 7.0, cadence=164)  # week mean 167
    form = review.form(con, aid, date(2026, 5, 25), TODAY)
    wins = milestones.cadence_held(form)
    assert [(w.kind, w.title, w.day) for w in wins] == [
        ("cadence", "Cadence at 166+ spm for 2 weeks", LAST_MONDAY)
    ]
    log(con, aid, date(2026, 6, 16), "easy_run", 40, 4, 7.0, cadence=165.9)
    form = review.form(con, aid, date(2026, 5, 25), TODAY)
    assert milestones.cadence_held(form) == []


def test_find_puts_the_newest_win_first(con):
    aid = runner(con, "Viktor")
    assess(con, aid, ago(60), {"knee_to_wall_cm": {"left": 8.0, "right": 8.0}})
    assess(con, aid, ago(20), {"knee_to_wall_cm": {"left": 10.5, "right": 10.5}})
    log(con, aid, ago(3), "long_run", 80, 5, 14.0)
    wins = milestones.find(
        finding_status(con, aid),
        ago(20),
        review.screens(con, aid),
        review.adherence(con, aid, ago(60), TODAY),
        review.long_runs(con, aid, ago(60), TODAY),
        review.form(con, aid, ago(60), TODAY),
        TODAY,
        measured=review.measured_screens(con, aid),
    )
    assert [w.kind for w in wins] == [
        "long run without pain",
        "finding resolved",
        "screen improved",
        "screen improved",
    ]
    assert [w.day for w in wins] == [ago(3), ago(20), ago(20), ago(20)]


def test_status_lists_the_raised_flags_in_board_order():
    from runform import team
    from runform.vocab import FLAGS

    board = pd.DataFrame(
        [
            {f: False for f in FLAGS},
            {**{f: False for f in FLAGS}, "flag_new_high": True, "flag_pain": True},
        ]
    )
    assert team.status(board).tolist() == [[], ["flag_pain", "flag_new_high"]]
    chips = team.flag_chips()
    assert list(chips) == list(FLAGS)
    assert all(len(c) <= 18 for c in chips.values())  # a chip, not a sentence
