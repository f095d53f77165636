"""Training load (protocols §3) against hand-computed weeks and series.

Monotony uses the sample standard deviation (n − 1) of the seven daily loads. Foster (1998, 2001)
says only "standard deviation of daily load"; the spreadsheet STDEV used with his method is the
sample one and so is pandas' default. The week Mon 6×50, Wed 5×40, Sat 7×90 gives daily loads
[300, 0, 200, 0, 0, 630, 0]: load 1130, mean 161.43, sample SD 239.61, monotony 0.67, strain
761.29 (the population SD, 221.84, would give 0.73 and 822.3, so the tests tell them apart).
"""

from __future__ import annotations

import importlib.util
import math
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from runform import clock, load, thresholds
from runform.services.reviews import acwr, daily_load, weekly_load
from runform.store import loads

MON = date(2024, 1, 1)  # a Monday


def day(n: int) -> date:
    """The n-th day counted from MON, which is day 1."""
    return MON + timedelta(days=n - 1)


def log(con, athlete: int, when: date, minutes: float, rpe: float, km: float = 0.0) -> None:
    con.execute(
        "INSERT INTO session_logs (athlete_id, day, kind, minutes, rpe, run_km) "
        "VALUES (?, ?, 'easy_run', ?, ?, ?)",
        [athlete, when, minutes, rpe, km],
    )


def series(con, athlete: int, first: date, loads: list[float]) -> None:
    """One 10-minute session a day with RPE load/10, so each day's load is `loads[i]`."""
    rows = pd.DataFrame(
        {
            "athlete_id": athlete,
            "day": [first + timedelta(days=i) for i in range(len(loads))],
            "minutes": 10.0,
            "rpe": [x / 10 for x in loads],
        }
    )
    rows = rows[rows["rpe"] > 0]
    con.register("new_logs", rows)
    con.execute(
        "INSERT INTO session_logs (athlete_id, day, kind, minutes, rpe) "
        "SELECT athlete_id, day, 'easy_run', minutes, rpe FROM new_logs"
    )
    con.unregister("new_logs")


def at(df: pd.DataFrame, when: date, athlete: int = 1) -> pd.Series:
    row = df[(df["athlete_id"] == athlete) & (df["day"] == pd.Timestamp(when))]
    assert len(row) == 1
    return row.iloc[0]


@pytest.fixture
def week(con):
    """The hand-computed week of the module docstring for athlete 1."""
    log(con, 1, day(1), 50, 6, 8.0)
    log(con, 1, day(3), 40, 5, 6.0)
    log(con, 1, day(6), 90, 7, 15.0)
    return con


# Daily load


def test_daily_load_counts_rest_days_as_zero(week):
    df = daily_load(week, end=day(7))
    assert list(df["day"]) == [pd.Timestamp(day(i)) for i in range(1, 8)]
    assert list(df["load"]) == [300, 0, 200, 0, 0, 630, 0]
    assert list(df["run_km"]) == [8, 0, 6, 0, 0, 15, 0]
    assert list(df.columns) == ["athlete_id", "day", "load", "run_km"]


def test_two_sessions_on_one_day_sum(con):
    log(con, 1, day(1), 50, 6, 8.0)
    log(con, 1, day(1), 30, 4, 2.5)
    d = daily_load(con, end=day(1))
    assert list(d["load"]) == [420]
    assert list(d["run_km"]) == [10.5]
    w = weekly_load(con, end=day(7))
    assert w.loc[0, "sessions"] == 2
    assert w.loc[0, "load"] == 420


def test_daily_load_end_defaults_to_today(con):
    today = clock.today()
    log(con, 1, today - timedelta(days=2), 30, 5)
    df = daily_load(con)
    assert list(df["day"]) == [pd.Timestamp(today - timedelta(days=i)) for i in (2, 1, 0)]
    assert list(df["load"]) == [150, 0, 0]


def test_daily_load_filters_by_dates(week):
    df = daily_load(week, start=day(3), end=day(6))
    assert list(df["load"]) == [200, 0, 0, 630]
    # Before the first log there is no record, which is not rest: the calendar starts there.
    df = daily_load(week, start=MON - timedelta(days=10), end=day(2))
    assert list(df["day"]) == [pd.Timestamp(day(1)), pd.Timestamp(day(2))]
    # A log after `end` does not count.
    assert daily_load(week, end=day(5))["load"].sum() == 500
    assert daily_load(week, start=day(8), end=day(7)).empty


# Weekly load, monotony and strain


def test_weekly_load_monotony_and_strain_hand_computed(week):
    w = weekly_load(week, end=day(7))
    assert len(w) == 1
    row = w.iloc[0]
    assert row["week_start"] == pd.Timestamp(MON)
    assert row["load"] == 1130
    assert row["run_km"] == 29
    assert row["sessions"] == 3
    assert row["monotony"] == pytest.approx(0.67, abs=0.005)  # 161.43 / 239.61 (sample SD)
    assert row["strain"] == pytest.approx(761.29, abs=0.005)  # 1130 × 0.6737
    assert not row["monotony_flag"]
    assert row["complete"]


def test_identical_days_give_null_monotony_not_infinity(con):
    for i in range(1, 8):
        log(con, 1, day(i), 50, 6)
    row = weekly_load(con, end=day(7)).iloc[0]
    assert row["load"] == 2100
    assert pd.isna(row["monotony"]) and pd.isna(row["strain"])
    assert not row["monotony_flag"]


def test_monotony_above_two_is_flagged(con):
    # Six days of 300 and a rest day: mean 257.14, sample SD 113.39, monotony 2.27.
    for i in range(1, 7):
        log(con, 1, day(i), 50, 6)
    row = weekly_load(con, end=day(7)).iloc[0]
    assert row["monotony"] == pytest.approx(2.27, abs=0.005)
    assert row["strain"] == pytest.approx(4082.02, abs=0.005)
    assert row["monotony_flag"]


def test_days_before_the_first_log_in_its_week_count_as_rest(con):
    # One session of 200 on Wednesday: [0, 0, 200, 0, 0, 0, 0], mean 28.57, SD 75.59 → 0.38.
    # Dropping Monday and Tuesday would give mean 40, SD 89.44 → 0.45.
    log(con, 1, day(3), 40, 5)
    row = weekly_load(con, end=day(7)).iloc[0]
    assert row["week_start"] == pd.Timestamp(MON)
    assert row["monotony"] == pytest.approx(0.38, abs=0.005)


def test_unfinished_week_has_no_monotony(week):
    w = weekly_load(week, end=day(3))
    row = w.iloc[0]
    assert row["load"] == 500  # Saturday has not happened yet
    assert not row["complete"]
    assert pd.isna(row["monotony"]) and pd.isna(row["strain"])


def test_weeks_are_whole_iso_weeks(week):
    log(week, 1, day(8), 30, 4)  # the next Monday
    w = weekly_load(week, start=day(4), end=day(14))
    assert list(w["week_start"]) == [pd.Timestamp(MON), pd.Timestamp(day(8))]
    assert list(w["load"]) == [1130, 120]  # the Monday before `start` is still in its week
    assert list(w["sessions"]) == [3, 1]
    assert list(w["complete"]) == [True, True]
    w = weekly_load(week, start=day(8), end=day(14))
    assert list(w["week_start"]) == [pd.Timestamp(day(8))]


# Acute:chronic ratio


@pytest.fixture
def ramp(con):
    """Athlete 1: 28 days of 100, then 7 days of 200 (days 29–35)."""
    series(con, 1, MON, [100] * 28 + [200] * 7)
    return con


def test_rolling_ratio_hand_checked(ramp):
    df = acwr(ramp, end=day(35))
    last = at(df, day(35))
    assert last["acute"] == pytest.approx(200)
    assert last["chronic"] == pytest.approx(125)  # (21 × 100 + 7 × 200) / 28
    assert last["ratio"] == pytest.approx(1.6)
    assert last["flag"]
    first_full = at(df, day(28))
    assert first_full["ratio"] == pytest.approx(1.0)
    assert not first_full["flag"]
    mid = at(df, day(31))  # acute (4×100 + 3×200)/7, chronic (25×100 + 3×200)/28
    assert mid["acute"] == pytest.approx(1000 / 7)
    assert mid["chronic"] == pytest.approx(3100 / 28)


def test_ratio_null_before_28_days(ramp):
    df = acwr(ramp, end=day(35))
    early = df[df["day"] < pd.Timestamp(day(28))]
    assert len(early) == 27
    assert early["ratio"].isna().all() and early["chronic"].isna().all()
    assert early["ewma_ratio"].isna().all()
    assert not early["flag"].any() and not early["ewma_flag"].any()
    assert at(df, day(7))["acute"] == pytest.approx(100)
    assert pd.isna(at(df, day(6))["acute"])


def test_ratio_null_when_chronic_load_is_zero(con):
    log(con, 1, day(1), 10, 10)  # one session of 100, then 40 days of rest
    df = acwr(con, end=day(41))
    assert at(df, day(28))["ratio"] == pytest.approx(0.0)  # acute 0, chronic 100/28
    after = df[df["day"] > pd.Timestamp(day(28))]
    assert (after["chronic"] == 0).all()
    assert after["ratio"].isna().all()
    assert not after["flag"].any()
    assert not df["ratio"].map(math.isinf).any()


def test_ewma_first_three_days_hand_computed(con):
    log(con, 1, day(1), 50, 6)  # 300
    log(con, 1, day(3), 40, 5)  # 200
    df = acwr(con, end=day(3))
    # λa = 2/8 = 0.25: 300; 0.75 × 300 = 225; 0.25 × 200 + 0.75 × 225 = 218.75
    assert list(df["ewma_acute"]) == pytest.approx([300, 225, 218.75])
    # λc = 2/29: 300; 27/29 × 300 = 279.31; 2/29 × 200 + 27/29 × 279.31 = 273.84
    assert df["ewma_chronic"].round(2).tolist() == [300, 279.31, 273.84]
    assert df["ewma_ratio"].isna().all()


def test_ewma_after_a_step_hand_computed(ramp):
    # Seeded at 100 and flat for 28 days, k days of 200 give 200 − 100 × (1 − λ)^k.
    row = at(acwr(ramp, end=day(35)), day(35))
    assert row["ewma_acute"] == pytest.approx(186.65, abs=0.005)  # 200 − 100 × 0.75^7
    assert row["ewma_chronic"] == pytest.approx(139.36, abs=0.005)  # 200 − 100 × (27/29)^7
    assert row["ewma_ratio"] == pytest.approx(1.34, abs=0.005)
    assert not row["ewma_flag"]  # while the rolling ratio (1.6) is flagged
    assert at(acwr(ramp, end=day(28)), day(28))["ewma_ratio"] == pytest.approx(1.0)


def test_custom_windows(con):
    series(con, 1, MON, [100] * 21 + [200] * 3)
    df = acwr(con, end=day(24), chronic_days=21, acute_days=3)
    row = at(df, day(24))
    assert row["chronic"] == pytest.approx(2400 / 21)  # (18 × 100 + 3 × 200) / 21
    assert row["ratio"] == pytest.approx(1.75)
    assert pd.isna(at(df, day(20))["ratio"]) and at(df, day(21))["ratio"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        acwr(con, chronic_days=7, acute_days=28)


def test_athletes_do_not_mix(ramp):
    series(ramp, 2, day(20), [300] * 16)  # days 20–35
    both = acwr(ramp, end=day(35))
    one = acwr(ramp, athlete_ids=[1], end=day(35))
    pd.testing.assert_frame_equal(both[both["athlete_id"] == 1].reset_index(drop=True), one)
    second = both[both["athlete_id"] == 2]
    assert second["day"].min() == pd.Timestamp(day(20))
    assert second["ewma_acute"].iloc[0] == 300  # seeded with its own first day
    assert (second["ewma_chronic"] == 300).all()
    assert second["ratio"].isna().all()  # only 16 days of its own history
    assert at(both, day(35), 2)["acute"] == pytest.approx(300)
    assert at(both, day(26), 2)["acute"] == pytest.approx(300)  # its 7th day: a full window
    assert pd.isna(at(both, day(25), 2)["acute"])
    daily = daily_load(ramp, end=day(35))
    assert daily.groupby("athlete_id")["load"].sum().to_dict() == {1: 4200, 2: 4800}
    weekly = weekly_load(ramp, end=day(35))
    assert weekly.groupby("athlete_id")["sessions"].sum().to_dict() == {1: 35, 2: 16}


def test_athlete_filter(ramp):
    series(ramp, 2, day(1), [50] * 3)
    for fn in (daily_load, weekly_load, acwr):
        assert set(fn(ramp, athlete_ids=[2], end=day(35))["athlete_id"]) == {2}
        assert set(fn(ramp, end=day(35))["athlete_id"]) == {1, 2}
        assert fn(ramp, athlete_ids=[], end=day(35)).empty
        assert fn(ramp, athlete_ids=[99], end=day(35)).empty


def test_acwr_start_trims_rows_but_keeps_history(ramp):
    trimmed = acwr(ramp, start=day(33), end=day(35))
    assert list(trimmed["day"]) == [pd.Timestamp(day(i)) for i in (33, 34, 35)]
    full = acwr(ramp, end=day(35)).tail(3).reset_index(drop=True)
    pd.testing.assert_frame_equal(trimmed, full)
    assert trimmed["ratio"].iloc[-1] == pytest.approx(1.6)
    # `end` cuts the history: on day 28 the later 200s are not yet there.
    assert acwr(ramp, end=day(28))["ratio"].iloc[-1] == pytest.approx(1.0)


def test_empty_database_gives_empty_frames(con):
    assert daily_load(con).empty
    assert weekly_load(con).empty
    df = acwr(con)
    assert df.empty and "ewma_ratio" in df.columns


# The rules over frames (what the team view and the pages call)


def test_monotony_is_mean_over_sample_sd_and_undefined_for_identical_days():
    assert load.monotony(300.0, 150.0) == pytest.approx(2.0)
    assert math.isnan(load.monotony(300.0, 0.0))
    assert math.isnan(load.monotony(300.0, 1e-12))  # below thresholds.monotony.sd_epsilon
    assert load.monotony_flag([2.0, 2.01, float("nan")]).tolist() == [False, True, False]


def test_weekly_over_a_frame_counts_missing_days_as_rest():
    # Only Wednesday's 200 in the frame: [0, 0, 200, 0, 0, 0, 0] gives 0.38, as from the store.
    frame = pd.DataFrame({"athlete_id": [1], "day": [pd.Timestamp(day(3))], "load": [200.0]})
    frame["run_km"] = 0.0
    row = load.weekly(frame, day(7)).iloc[0]
    assert row["monotony"] == pytest.approx(0.38, abs=0.005)
    assert row["sessions"] == 1 and row["complete"]
    assert pd.isna(load.weekly(frame, day(6)).iloc[0]["monotony"])  # Sunday not over yet


def test_weekly_of_the_store_calendar_equals_weekly_load(week):
    pd.testing.assert_frame_equal(
        load.weekly(loads.daily(week, None, None, day(7)), day(7)), weekly_load(week, end=day(7))
    )


def test_acute_chronic_without_ewma_keeps_the_rolling_ratio(ramp):
    daily = loads.daily(ramp, None, None, day(35))
    rolling = load.acute_chronic(daily, ewma=False)
    assert "ewma_ratio" not in rolling
    full = load.acute_chronic(daily)
    pd.testing.assert_series_equal(rolling["ratio"], full["ratio"])
    assert rolling["flag"].tolist() == full["flag"].tolist()


def test_a_calendar_cut_28_days_back_gives_todays_rolling_ratio(ramp):
    """The team view reads only the last 28 days: the same ratio on the last day."""
    cut = load.acute_chronic(loads.daily(ramp, None, day(8), day(35)))
    assert cut["ratio"].iloc[-1] == pytest.approx(at(acwr(ramp, end=day(35)), day(35))["ratio"])
    # and a runner with under 28 days of calendar has no ratio either way
    assert pd.isna(load.acute_chronic(loads.daily(ramp, None, day(9), day(35)))["ratio"].iloc[-1])


def test_windows_and_flags_come_from_thresholds():
    cfg = thresholds.load()
    assert (cfg.acwr.acute_days, cfg.acwr.chronic_days) == (7, 28)
    assert (cfg.acwr.usual_low, cfg.acwr.usual_high) == (0.8, 1.3)
    assert (cfg.acwr.flag, cfg.monotony.flag) == (1.5, 2.0)


def test_acwr_note_states_its_limits():
    note = thresholds.load().acwr.note_text()
    assert "\n" not in note
    for needed in ("Impellizzeri", "Lolli", "not a forecast", "0.8", "1.3", "1.5"):
        assert needed in note


def test_benchmark_runs_at_ci_size(capsys, monkeypatch):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_load.py"
    monkeypatch.syspath_prepend(str(path.parent))  # as running the script does: its _common
    spec = importlib.util.spec_from_file_location("bench_load", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--runners", "3", "--years", "0.2", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "weekly_load" in out and "acwr" in out and "under 100 ms" in out
