"""The single-run spike (protocols §3, Frandsen et al. 2025): no run longer than 110 % of the
longest run of the previous 30 days.

One definition for the planner (what may be planned), progression (a logged run that broke it)
and the team flag. The intake's longest recent run is a run on the assessment day: it counts only
while that day is inside the 30 days, like any logged run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from runform import thresholds

Run = tuple[date, float]


def history(logged: Iterable[Run], intake_km: float | None, assessed_on: date | None) -> list[Run]:
    """Every run the rule knows: the logged ones and the intake's longest, dated on its day."""
    runs = [(d, float(km)) for d, km in logged if km and km > 0]
    if intake_km and intake_km > 0 and assessed_on is not None:
        runs.append((assessed_on, float(intake_km)))
    return sorted(runs)


def longest_before(runs: Iterable[Run], day: date) -> float:
    """The longest run of the `window_days` before `day` (the day itself excluded); 0 if none."""
    window = thresholds.load().spike.window_days
    return max((km for d, km in runs if 0 < (day - d).days <= window), default=0.0)


def cap(longest: float) -> float:
    """The longest run allowed after a 30-day longest of `longest` km."""
    return thresholds.load().spike.ratio * longest


def breaks(km: float, longest: float) -> bool:
    """Whether a run of `km` breaks the rule; with no run in the window nothing can break it."""
    tolerance = thresholds.load().real_change.float_tolerance
    return longest > 0 and km > cap(longest) + tolerance


def ratios(runs: pd.DataFrame, since: date) -> pd.DataFrame:
    """Each logged run from `since` on with its 30-day longest and their ratio, per athlete.

    `runs` has athlete_id, day, run_km and logged (False for an intake's longest run, which
    counts as history but is not itself a run to flag).
    """
    columns = ["athlete_id", "day", "run_km", "longest_before", "ratio", "spike"]
    known: dict[int, list[Run]] = {}
    todo: list[tuple[int, date, float]] = []
    days = pd.to_datetime(runs["day"]).dt.date
    for athlete_id, day, km, logged in zip(
        runs["athlete_id"], days, runs["run_km"], runs["logged"], strict=True
    ):
        known.setdefault(athlete_id, []).append((day, float(km)))
        if logged and day >= since:
            todo.append((athlete_id, day, float(km)))
    rows = []
    for athlete_id, day, km in todo:
        longest = longest_before(known[athlete_id], day)
        ratio = km / longest if longest > 0 else None
        rows.append((athlete_id, day, km, longest, ratio, breaks(km, longest)))
    return pd.DataFrame(rows, columns=columns)
