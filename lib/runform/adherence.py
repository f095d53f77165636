"""Adherence: planned sessions against the ones done, one definition for every caller.

The input is `store.review.adherence`: one row per planned session in force (the latest accepted
version of the plan in force on its day) with `done`, its match to a log on (plan, day, kind).
The Progress charts, the small-wins streak and the team flag all count from those rows here; the
flag mark is `thresholds.adherence` (under 70 % of the last 14 days' sessions, a convention).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from runform import load, thresholds

COLUMNS = ["planned", "done", "adherence"]


def ratio(done: pd.Series, planned: pd.Series) -> pd.Series:
    """Done ÷ planned; undefined (NaN) where nothing was planned."""
    planned = pd.Series(planned, dtype=float)
    return (pd.Series(done, dtype=float) / planned).where(planned > 0)


def flag(value: pd.Series) -> pd.Series:
    """Adherence under `thresholds.adherence.low`; nothing planned is not flagged."""
    return pd.Series(value, dtype=float).lt(thresholds.load().adherence.low)


def window(today: date) -> tuple[date, date]:
    """The days the flag reads: the `window_days` before `today` (today itself is not over)."""
    return today - timedelta(days=thresholds.load().adherence.window_days), today - timedelta(1)


def count(planned: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Planned and done sessions and their ratio, per group of `by` (sorted by it).

    `planned` is one row per planned session (`done` true or false), or rows already counted
    (`planned` and `done` columns, e.g. `weekly`), which are summed.
    """
    if planned.empty:
        return pd.DataFrame(columns=[*by, *COLUMNS])
    if "planned" in planned:
        out = planned.groupby(by, sort=True)[["planned", "done"]].sum().reset_index()
    else:
        g = planned.groupby(by, sort=True)["done"]
        out = pd.concat([g.size().rename("planned"), g.sum().rename("done")], axis=1)
        out = out.reset_index()
    out["done"] = out["done"].astype(int)
    out["adherence"] = ratio(out["done"], out["planned"])
    return out


def weekly(planned: pd.DataFrame) -> pd.DataFrame:
    """Per athlete and ISO week (Monday): planned, done, adherence."""
    if "week_start" in planned:
        return count(planned, ["athlete_id", "week_start"])
    rows = planned.assign(week_start=load.week_start(planned["day"]))
    return count(rows, ["athlete_id", "week_start"])


def by_kind(planned: pd.DataFrame) -> pd.DataFrame:
    """Per kind of session: planned, done, adherence."""
    return count(planned, ["kind"])


def per_runner(planned: pd.DataFrame) -> pd.DataFrame:
    """Per athlete: planned, done, adherence and `flag` (under the mark)."""
    out = count(planned, ["athlete_id"])
    out["flag"] = flag(out["adherence"])
    return out


def recent(planned: pd.DataFrame, today: date) -> pd.DataFrame:
    """`per_runner` over the flag's `window` before `today`: what the team view shows."""
    start, end = window(today)
    days = pd.to_datetime(planned["day"])
    return per_runner(planned[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))])
