"""Training load rules (protocols §3): weekly load, monotony, strain and acute:chronic ratios.

The rules are pure pandas over the daily calendar of `runform.store.loads.daily` (one row per
athlete and day, rest days as 0), so the Progress charts, the team flags and progression compute
each one the same way; their numbers come from data/thresholds.toml (`thresholds.load()`). The
ratios are information with known limits (`thresholds.load().acwr.note_text()`), never a
prediction of injury. `runform.services.reviews` reads the calendar and applies them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from runform import thresholds

# Protocols §3: session load = sRPE (CR-10) × minutes, in arbitrary units (Foster 2001).
# Weekly monotony = mean ÷ SD of the 7 daily loads (rest days 0), Foster 1998. The SD is the sample
# SD (n − 1): Foster gives "standard deviation" without saying which, the spreadsheet STDEV used in
# practice is the sample one, and so is pandas' default.
WEEK_DAYS = 7

WEEKLY_COLUMNS = [
    "athlete_id",
    "week_start",
    "load",
    "run_km",
    "sessions",
    "monotony",
    "strain",
    "monotony_flag",
    "complete",
]
ACWR_COLUMNS = [
    "athlete_id",
    "day",
    "load",
    "acute",
    "chronic",
    "ratio",
    "ewma_acute",
    "ewma_chronic",
    "ewma_ratio",
    "flag",
    "ewma_flag",
]


# --- the rules, over frames -------------------------------------------------------------------


def session_load(rpe: ArrayLike, minutes: ArrayLike) -> np.ndarray:
    """Foster's session load: session RPE (CR-10) × minutes, in arbitrary units (AU). The SQL of
    `store.loads.daily` sums the same product over logged sessions; the fitness projection
    (`runform.fitness.planned_load`) applies it to planned minutes and target RPEs."""
    return np.asarray(rpe, dtype=float) * np.asarray(minutes, dtype=float)


def monotony(mean: ArrayLike, sd: ArrayLike) -> np.ndarray:
    """Foster's monotony, mean ÷ sample SD of a week's daily loads; NaN where it is undefined.

    An SD under `thresholds.monotony.sd_epsilon` means identical days: the ratio would be
    infinite or float noise, so it is left undefined rather than flagged.
    """
    mean, sd = np.asarray(mean, dtype=float), np.asarray(sd, dtype=float)
    eps = thresholds.load().monotony.sd_epsilon
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd >= eps, mean / sd, np.nan)


def monotony_flag(value: ArrayLike) -> np.ndarray:
    """Monotony above `thresholds.monotony.flag` (2.0, Foster 1998); undefined is not flagged."""
    return np.asarray(value, dtype=float) > thresholds.load().monotony.flag


def week_start(days: pd.Series) -> pd.Series:
    """The Monday of each day's ISO week, as a timestamp."""
    days = pd.to_datetime(days)
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def weekly(daily: pd.DataFrame, end: date) -> pd.DataFrame:
    """Per athlete and ISO week (Monday first): load, run_km, sessions, monotony and strain.

    `daily` is the calendar of `store.loads.daily`. Each week is summed over its seven days; a
    day of the week missing from `daily` (before the first log) counts as rest. Monotony is null
    for a week that is not over by `end` (`complete` false), whose later days have not happened.
    """
    if daily.empty:
        return pd.DataFrame(columns=WEEKLY_COLUMNS)
    d = daily.assign(week_start=week_start(daily["day"]))
    if "sessions" not in d:
        d["sessions"] = (d["load"] > 0).astype(int)
    g = d.groupby(["athlete_id", "week_start"], sort=True)
    w = g[["load", "run_km", "sessions"]].sum()
    spread = g["load"].agg(["size", "mean", "var"])
    w = w.join(spread.set_axis(["days", "mean_present", "var_present"], axis=1)).reset_index()
    # The 7 daily loads are the days present plus (7 − n) zeros: combine the two groups' sums of
    # squared deviations (Chan et al.'s parallel formula) instead of re-indexing the calendar, so
    # identical days keep an SD of exactly 0.
    n = w["days"].to_numpy(dtype=float)
    mean = w["mean_present"].to_numpy(dtype=float)
    spread = mean**2 * n * (WEEK_DAYS - n) / WEEK_DAYS
    m2 = np.nan_to_num(w["var_present"].to_numpy(dtype=float)) * (n - 1) + spread
    sd = np.sqrt(np.clip(m2, 0.0, None) / (WEEK_DAYS - 1))
    complete = (w["week_start"] + pd.Timedelta(days=WEEK_DAYS - 1) <= pd.Timestamp(end)).to_numpy()
    total = w["load"].to_numpy(dtype=float)
    value = np.where(complete, monotony(total / WEEK_DAYS, sd), np.nan)
    w["monotony"] = value
    w["strain"] = total * value
    w["monotony_flag"] = monotony_flag(value)
    w["complete"] = complete
    w["sessions"] = w["sessions"].astype(int)
    return w[WEEKLY_COLUMNS]


def acute_chronic(
    daily: pd.DataFrame,
    acute_days: int | None = None,
    chronic_days: int | None = None,
    ewma: bool = True,
) -> pd.DataFrame:
    """Per athlete and day: rolling and exponentially weighted acute and chronic load and ratios.

    `daily` is the calendar of `store.loads.daily`, whole days sorted by athlete and day; the
    windows default to `thresholds.acwr` (7 and 28 days). Rolling means are null until their
    window is full; both ratios are null until `chronic_days` of calendar, and when the chronic
    load is 0, so a day's rolling ratio depends only on its last `chronic_days` rows. The EWMA
    (λ = 2/(N+1), seeded with the first day's load: pandas `adjust=False`) has values from day
    one, but its ratio waits for the same history because the seed dominates early on. `flag`
    and `ewma_flag`: the ratio above `thresholds.acwr.flag` (1.5). `ewma=False` leaves the
    exponentially weighted columns out (the team flag reads the rolling ratio only).
    """
    cfg = thresholds.load().acwr
    acute_days = cfg.acute_days if acute_days is None else acute_days
    chronic_days = cfg.chronic_days if chronic_days is None else chronic_days
    if not 1 <= acute_days <= chronic_days:
        raise ValueError("need 1 <= acute_days <= chronic_days")
    df = daily[["athlete_id", "day", "load"]].reset_index(drop=True)
    # Rows are whole calendars sorted by athlete and day, so a window of N rows is N days and the
    # rolling sums are differences of each athlete's running total (rounded to drop float drift).
    by_athlete = df.groupby("athlete_id", sort=False)["load"]
    history = by_athlete.cumcount() + 1
    total = by_athlete.cumsum()
    for column, days in (("acute", acute_days), ("chronic", chronic_days)):
        before = total.shift(days).where(history > days, 0.0)
        df[column] = ((total - before).round(6) / days).where(history >= days)
        if ewma:
            weighted = by_athlete.ewm(alpha=2 / (days + 1), adjust=False).mean()
            df[f"ewma_{column}"] = weighted.reset_index(level=0, drop=True)
    full = history >= chronic_days
    for prefix in ("", "ewma_") if ewma else ("",):
        chronic = df[f"{prefix}chronic"]
        df[f"{prefix}ratio"] = (df[f"{prefix}acute"] / chronic).where(full & (chronic > 0))
        df[f"{prefix}flag"] = ratio_flag(df[f"{prefix}ratio"])
    return df[[c for c in ACWR_COLUMNS if c in df]]


def ratio_flag(ratio: ArrayLike) -> np.ndarray:
    """An acute:chronic ratio above `thresholds.acwr.flag`: information for a coach to look at."""
    return np.asarray(ratio, dtype=float) > thresholds.load().acwr.flag


def last_complete_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the last Monday–Sunday week that is over by `today`."""
    monday = today - timedelta(days=today.weekday() + WEEK_DAYS)
    return monday, monday + timedelta(days=WEEK_DAYS - 1)
