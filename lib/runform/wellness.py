"""The wellness baseline (protocols §3): each check-in's sum against the runner's own recent days.

The five items (McLean et al. 2010, 1–5 each) are summed; the baseline is the mean and sample SD
of the sums of the `thresholds.wellness.baseline_days` days before the check-in (the day itself
excluded), and a sum more than `sd_below` SD under it is flagged (a convention). One definition
for the Progress chart and the team flag, over the rows of `store.review.wellness`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from runform import thresholds
from runform.vocab import WELLNESS_ITEMS

COLUMNS = ["athlete_id", "day", "sleep_hours", "total", "baseline", "sd", "flag"]


def first_needed(start: date) -> date:
    """The earliest check-in the baseline of a day from `start` on can use."""
    return start - timedelta(days=thresholds.load().wellness.baseline_days)


def baseline(rows: pd.DataFrame) -> pd.DataFrame:
    """Per athlete and check-in: total, baseline (mean), sd and flag, sorted by athlete and day.

    The baseline is null with no check-in in the window, the SD with fewer than two; neither
    flags.
    """
    cfg = thresholds.load().wellness
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    w = rows.assign(
        day=pd.to_datetime(rows["day"]), total=rows[list(WELLNESS_ITEMS)].sum(axis=1).astype(float)
    ).sort_values(["athlete_id", "day"], kind="stable")
    w = w.reset_index(drop=True)
    # [day − N days, day): the N days before, as DuckDB's RANGE N DAY PRECEDING … 1 DAY PRECEDING
    past = w.groupby("athlete_id", sort=False).rolling(
        f"{cfg.baseline_days}D", on="day", closed="left"
    )["total"]
    w["baseline"] = past.mean().to_numpy()  # groups in row order: sorted by athlete, day
    w["sd"] = past.std().to_numpy()
    w["flag"] = flag(w["total"], w["baseline"], w["sd"])
    return w[COLUMNS]


def flag(total: pd.Series, mean: pd.Series, sd: pd.Series) -> pd.Series:
    """A sum more than `thresholds.wellness.sd_below` SD under the baseline mean."""
    k = thresholds.load().wellness.sd_below
    return pd.Series(total < mean - k * sd).fillna(False).astype(bool)


def band(frame: pd.DataFrame) -> pd.Series:
    """The flag's edge per row (baseline − k × SD), for the chart."""
    return frame["baseline"] - thresholds.load().wellness.sd_below * frame["sd"]
