"""Every caller of a rule gives the same answer on the same data (issue 12, "one definition").

One small database holds a runner per case; for each rule the team flag (`runform.team`), the
rule module itself and the other callers (the Progress frames, `reviews.last_monotony`,
`milestones`, progression and the planner) are asked about the same runner on the same day and
must agree. `TODAY` is fixed: nothing here depends on the calendar.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from runform import (
    adherence,
    milestones,
    painmodel,
    planning,
    progression,
    spike,
    thresholds,
)
from runform import wellness as wellness_rule
from runform.models import AthleteProfile, PlanOptions
from runform.services import reviews
from runform.store import logs, review
from runform.store.connection import connect
from runform.vocab import FLAGS
from tests.test_review import assess, do, log, make_plan, morning, runner, wellness

TODAY = date(2026, 6, 17)  # a Wednesday: the last complete week is Mon 8 – Sun 14 June
LAST_MONDAY = date(2026, 6, 8)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One database, one runner per case; returns (connection, {name: athlete_id})."""
    con = connect(tmp_path_factory.mktemp("agree") / "agree.duckdb")
    ids: dict[str, int] = {}

    # --- spike: an old 28 km intake run, then 60 days of 10 km runs, then 25 km yesterday
    aid = ids["old intake"] = runner(con, "old intake", longest=28.0)
    assess(con, aid, ago(62))
    for n in range(60, 1, -3):
        log(con, aid, ago(n), "easy_run", minutes=60, rpe=4, km=10.0)
    log(con, aid, ago(1), "long_run", minutes=150, rpe=6, km=25.0)
    # the intake's 12 km run counts within 30 days: 13.3 km after it is a spike, 13.2 km is not
    for name, km in [("intake 13.3", 13.3), ("intake 13.2", 13.2)]:
        aid = ids[name] = runner(con, name, longest=12.0)
        assess(con, aid, ago(10))
        log(con, aid, ago(6), "easy_run", minutes=50, rpe=4, km=8.0)
        log(con, aid, ago(2), "long_run", minutes=80, rpe=5, km=km)

    # --- load: a ramp for the acute:chronic ratio and an uneven last complete week
    aid = ids["ramp"] = runner(con, "ramp")
    for n in range(40, 6, -1):
        log(con, aid, ago(n), minutes=20, rpe=5)  # 100 AU a day
    for n in range(6, -1, -1):
        log(con, aid, ago(n), minutes=50, rpe=5)  # 250 AU a day, the last 7 days
    aid = ids["monotony"] = runner(con, "monotony")
    for d, au in enumerate([200, 200, 200, 200, 200, 0, 200]):  # 6/√7 = 2.27
        if au:
            log(con, aid, LAST_MONDAY + timedelta(days=d), minutes=au / 5, rpe=5)
    log(con, aid, LAST_MONDAY - timedelta(days=2), minutes=60, rpe=9)  # outside the week

    # --- adherence: two full weeks, then 6 of 10 sessions in the 14 days before today
    week = [(0, "strength"), (2, "easy_run"), (4, "strength"), (6, "long_run")]
    aid = ids["all done"] = runner(con, "all done")
    plan_id = make_plan(con, aid, date(2026, 6, 1), [week] * 3)
    for w in (1, 2):
        for position in range(4):
            do(con, aid, plan_id, w, position)
    do(con, aid, plan_id, 3, 0)  # Monday 15 June; the window is 3–16 June
    aid = ids["6 of 10"] = runner(con, "6 of 10")
    plan_id = make_plan(con, aid, date(2026, 6, 1), [week + [(5, "mobility")]] * 3)
    # in the window: 3, 5, 6, 7 June, 8, 10, 12, 13, 14 June and 15 June
    for w, position in [(1, 1), (1, 2), (1, 3), (2, 0), (2, 1), (2, 2)]:
        do(con, aid, plan_id, w, position)

    # --- wellness: a steady baseline, then a low day today (16 against 20 ± 2.31)
    aid = ids["low wellness"] = runner(con, "low wellness")
    for n, items in [(28, (4, 4, 4, 3, 3)), (3, (5, 5, 4, 4, 4)), (2, (4, 4, 4, 3, 3))]:
        wellness(con, aid, ago(n), items)
    wellness(con, aid, ago(1), (5, 5, 4, 4, 4))
    wellness(con, aid, TODAY, (4, 3, 3, 3, 3))
    aid = ids["steady wellness"] = runner(con, "steady wellness")
    for n in (20, 10, 5, 2, 0):
        wellness(con, aid, ago(n), (4, 4, 4, 4, 4))

    # --- pain: during a run, next morning, rising, settled
    aid = ids["pain 6 during"] = runner(con, "pain 6 during")
    log(con, aid, ago(2), "easy_run", km=6.0, pain=[("during_run", 6)])
    aid = ids["pain morning"] = runner(con, "pain morning")
    for n in (30, 20, 10):
        morning(con, aid, ago(n), 1)
    morning(con, aid, ago(1), 3)  # more than 1 above the usual 1/10
    aid = ids["pain rising"] = runner(con, "pain rising")
    log(con, aid, ago(9), "easy_run", km=6.0, pain=[("during_run", 1)])
    log(con, aid, ago(2), "easy_run", km=6.0, pain=[("during_run", 3)])
    aid = ids["pain settled"] = runner(con, "pain settled")
    log(con, aid, ago(9), "easy_run", km=6.0, pain=[("during_run", 3)])
    log(con, aid, ago(2), "easy_run", km=6.0, pain=[("during_run", 3)])
    morning(con, aid, ago(1), 2)
    yield con, ids
    con.close()


@pytest.fixture(scope="module")
def flags(db) -> pd.DataFrame:
    con, _ = db
    return reviews.team_board(con, TODAY).set_index("athlete_id")


def runs_known(con, aid: int) -> list[spike.Run]:
    runs = logs.runs(con, aid)
    return list(zip(runs["day"].dt.date, runs["run_km"], strict=True))


# --- single-run spike ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "is_spike"), [("old intake", True), ("intake 13.3", True), ("intake 13.2", False)]
)
def test_spike_team_flag_rule_progression_and_planner_agree(db, flags, name, is_spike):
    con, ids = db
    aid = ids[name]
    intake = logs.intake_run(con, aid)
    known = spike.history(runs_known(con, aid), intake[1], intake[0])
    last_day, last_km = runs_known(con, aid)[-1]
    longest = spike.longest_before(known, last_day)
    assert spike.breaks(last_km, longest) is is_spike
    assert bool(flags.loc[aid, "flag_spike"]) is is_spike
    assert flags.loc[aid, "spike_ratio"] == pytest.approx(round(last_km / longest, 2))
    # progression checks the same logged runs with the same intake run
    worst = progression.logged_spike(logs.runs(con, aid), TODAY, intake)
    assert (worst is not None) is is_spike
    # the planner, starting on that run's day with the runs before it, caps every run at 110 % of
    # the 30-day longest it knows: the same longest, so the logged run is over its cap exactly
    # when the team flags it
    profile = AthleteProfile(
        name=name,
        weekly_km=60,
        runs_per_week=4,
        longest_run_km=intake[1],
        available_days=["tue", "thu", "sat", "sun"],
        minutes_per_day=200,
    )
    before = [(d, km) for d, km in runs_known(con, aid) if d < last_day]
    plan = planning.build_plan(
        [],
        profile,
        PlanOptions(start=last_day, weeks=4),
        known_runs=runs_known(con, aid),  # the run on the start day itself is left out
        assessed_on=intake[0],
    )
    planned = sorted((s.date, s.run_km) for s in plan.weeks[0].sessions if s.run_km)
    assert planned
    history = spike.history(before, intake[1], intake[0])
    for d, km in planned:
        assert km <= spike.cap(spike.longest_before(history, d)) + 1e-9, (d, km, history)
        history.append((d, km))
    # the week's long run is held by that same cap (18 km would be 30 % of 60 km), rounded down
    # to the planner's 0.5 km step: 11 km after the 10 km runs, 13 km after the 12 km intake run
    assert max(km for _, km in planned) == math.floor(spike.cap(longest) * 2 + 1e-9) / 2
    assert (last_km > spike.cap(longest) + 1e-9) is is_spike
    if name == "old intake":
        # the 28 km intake run is 61 days old: the 10 km runs decide
        assert longest == pytest.approx(10.0)


def test_spike_old_intake_run_is_out_of_the_window_the_recent_one_in(db):
    con, ids = db
    old = logs.intake_run(con, ids["old intake"])
    assert spike.longest_before(spike.history([], old[1], old[0]), ago(1)) == 0.0
    recent = logs.intake_run(con, ids["intake 13.3"])
    assert spike.longest_before(spike.history([], recent[1], recent[0]), ago(2)) == 12.0


# --- monotony -----------------------------------------------------------------------------------


def test_monotony_team_weekly_load_and_last_monotony_agree(db, flags):
    con, ids = db
    aid = ids["monotony"]
    weekly = reviews.weekly_load(con, [aid], LAST_MONDAY, LAST_MONDAY + timedelta(days=6))
    [value] = weekly["monotony"].tolist()
    assert value == pytest.approx(6 / 7**0.5)
    assert reviews.last_monotony(con, aid, TODAY) == pytest.approx(value)
    assert flags.loc[aid, "monotony_raw"] == pytest.approx(value)
    assert bool(weekly["monotony_flag"].iloc[0]) is bool(flags.loc[aid, "flag_monotony"]) is True
    # a runner with no logs that week: undefined everywhere, flagged nowhere
    empty = ids["low wellness"]
    assert reviews.last_monotony(con, empty, TODAY) is None
    assert pd.isna(flags.loc[empty, "monotony_raw"]) and not flags.loc[empty, "flag_monotony"]


# --- acute:chronic ------------------------------------------------------------------------------


def test_acute_chronic_team_and_load_acwr_agree(db, flags):
    con, ids = db
    for aid in ids.values():
        series = reviews.acwr(con, [aid], end=TODAY)
        now = series[series["day"] == pd.Timestamp(TODAY)]
        ratio = now["ratio"].iloc[0] if len(now) else float("nan")
        if pd.isna(ratio):
            assert pd.isna(flags.loc[aid, "acwr_raw"]), aid
        else:
            assert flags.loc[aid, "acwr_raw"] == pytest.approx(ratio), aid
        assert bool(flags.loc[aid, "flag_acwr"]) is bool(len(now) and now["flag"].iloc[0]), aid
    # the ramp: acute 250, chronic (21 × 100 + 7 × 250) / 28 = 137.5 → 1.82, flagged
    ramp = ids["ramp"]
    assert flags.loc[ramp, "acwr_raw"] == pytest.approx(250 / 137.5)
    assert flags.loc[ramp, "flag_acwr"]


# --- adherence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "share", "low"), [("all done", 1.0, False), ("6 of 10", 0.6, True)]
)
def test_adherence_team_progress_and_streak_agree(db, flags, name, share, low):
    con, ids = db
    aid = ids[name]
    start, end = adherence.window(TODAY)
    weekly = adherence.weekly(review.adherence(con, aid, start, end))  # the Progress chart
    assert weekly["done"].sum() / weekly["planned"].sum() == pytest.approx(share)
    assert flags.loc[aid, "adherence"] == pytest.approx(share)
    assert bool(flags.loc[aid, "flag_adherence"]) is low
    assert bool(adherence.flag(pd.Series([share]))[0]) is low
    # the small-wins streak counts the same weeks: both complete weeks fully done, or not
    rows = review.adherence(con, aid, date(2026, 6, 1), TODAY - timedelta(days=1))
    streak = milestones.completed_weeks(rows, TODAY)
    full = adherence.weekly(rows)
    complete = full[full["week_start"] + pd.Timedelta(days=7) <= pd.Timestamp(TODAY)]
    assert bool(streak) is bool((complete["done"] == complete["planned"]).all())
    assert bool(streak) is (name == "all done")


# --- wellness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "low"), [("low wellness", True), ("steady wellness", False)])
def test_wellness_team_and_progress_agree(db, flags, name, low):
    con, ids = db
    aid = ids[name]
    rows = review.wellness(con, aid, wellness_rule.first_needed(ago(30)), TODAY)
    chart = wellness_rule.baseline(rows)  # what the Progress page draws
    today = chart[chart["day"] == pd.Timestamp(TODAY)].iloc[0]
    assert bool(today["flag"]) is low
    assert bool(flags.loc[aid, "flag_wellness"]) is low
    assert flags.loc[aid, "wellness"] == today["total"]
    assert flags.loc[aid, "wellness_baseline"] == pytest.approx(round(today["baseline"], 1))


# --- pain ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("pain 6 during", "pain during work"),
        ("pain morning", "pain next morning"),
        ("pain rising", "pain rising week to week"),
        ("pain settled", None),
    ],
)
def test_pain_team_flag_and_the_model_agree(db, flags, name, rule):
    con, ids = db
    aid = ids[name]
    cfg = thresholds.load().pain
    reports = review.pain(con, aid, ago(cfg.window_days + cfg.baseline_days), TODAY)
    verdict = painmodel.verdict(reports, TODAY)
    assert (verdict.rule if verdict else None) == rule
    assert bool(flags.loc[aid, "flag_pain"]) is (rule is not None)
    if verdict:
        assert flags.loc[aid, "pain_reason"] == verdict.text
    else:
        assert pd.isna(flags.loc[aid, "pain_reason"])


def test_every_runner_has_one_row_and_only_known_flags(db, flags):
    _, ids = db
    assert sorted(flags.index) == sorted(ids.values())
    assert [c for c in flags.columns if c.startswith("flag_")] == list(FLAGS)
    assert all(flags[c].dtype == bool for c in FLAGS)


def test_the_cadence_target_is_one_for_findings_planner_metronome_win_and_chart(tmp_path):
    """Issue 18: the runner's own target (5–10 % over their easy-pace step rate at matched
    speed, `runform.cadence`) is the same number wherever it is used. Easy runs at 10.2 km/h
    and 160–164 spm give a baseline of 162 spm there, so the target is 170.1–178.2 spm."""
    from runform import cadence
    from runform.services import cadence as cadence_service
    from runform.services import plans

    con = connect(tmp_path / "cadence.duckdb")
    aid = runner(con, "cadence")
    for n, spm in enumerate([160, 162, 164, 161, 163]):
        log(con, aid, ago(40 - n), "easy_run", minutes=30, rpe=3, km=5.1, cadence=spm)
    assess(con, aid, ago(20), {"overstride": True, "cadence_spm": 160})  # overstriding found
    own = cadence_service.target(con, aid)
    assert (own.low_spm, own.high_spm) == pytest.approx((1.05 * 162, 1.10 * 162))
    # findings: once found, judged at the low end of the same target
    mark = cadence_service.finding_marks(con, aid, ago(1))["cadence_spm"]
    assert mark.value == pytest.approx(round(own.low_spm, 1))
    # the small win and the chart judge each run at its speed: 10.2 km/h is the same bin
    runs = cadence_service.review(con, aid, ago(60), ago(0)).runs
    assert runs["target_spm"].tolist() == pytest.approx([own.low_spm] * 5)
    # the metronome starts at the low end; the planner names the same range
    assert own.metronome_bpm() == round(own.low_spm)
    monday = ago(0) + timedelta(days=7 - ago(0).weekday())
    saved = plans.generate(con, aid, {"weeks": 4, "start": monday.isoformat()})
    text = plans.load(con, saved.plan_id).model_dump_json()
    assert f"metronome at {own.range_text()}" in text
    assert cadence.fallback_spm() == 166  # kept only for a runner with nothing known
