"""Compliance: how a planned session was done, in TrainingPeaks' colours, one rule for every caller.

A done session is coloured by the logged minutes ÷ the planned minutes as a whole percent
(`percent`, rounded half up as TrainingPeaks shows it, so the bands meet without a gap) and the
bands of data/thresholds.toml [compliance] (`band`): green 80–120 %, yellow 50–79 % and
121–150 %, red under 50 % or over 150 %. A planned session with no log is missed (grey) once its
day is over and still planned before; a log that matches no planned session is unplanned.
Duration, not load: every planned session has minutes, while a planned load needs a target RPE
that strength and mobility sessions lack. The input is `store.calendar.sessions`; the Plan and
Progress calendars, the team week and the Team board's column all colour with `statuses`.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from runform import adherence, thresholds
from runform.vocab import COMPLIANCE, COMPLIANCE_LABELS, Compliance

#: Float noise allowance when rounding half up: 100 × 159 ÷ 200 must be 80, never 79.
_EPS = 1e-9
SUMMARY_COLUMNS = ["athlete_id", "planned_minutes", "done_minutes", "compliance", "band"]


def percent(done_minutes: ArrayLike, planned_minutes: ArrayLike) -> np.ndarray:
    """Logged ÷ planned minutes as whole percents, rounded half up (79.5 % is 80 %); NaN where
    nothing (0 minutes) was planned."""
    done = np.asarray(done_minutes, dtype=float)
    planned = np.asarray(planned_minutes, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.where(planned > 0, 100.0 * done / planned, np.nan)
    return np.floor(exact + 0.5 + _EPS)


def bands(pct: ArrayLike, limits: thresholds.Compliance | None = None) -> np.ndarray:
    """Each whole percent's band: "green" within green_low–green_high (both included),
    "yellow" from yellow_low up to it or above it up to yellow_high (both included), else "red"
    (a NaN percent, nothing planned to compare with, counts as done: green)."""
    c = limits or thresholds.load().compliance
    p = np.asarray(pct, dtype=float)
    green = np.isnan(p) | ((p >= c.green_low) & (p <= c.green_high))
    yellow = (p >= c.yellow_low) & (p <= c.yellow_high)
    return np.where(green, "green", np.where(yellow, "yellow", "red"))


def band(pct: float, limits: thresholds.Compliance | None = None) -> Compliance:
    """One percent's band (`bands`)."""
    found: Compliance = str(bands([pct], limits)[0])  # type: ignore[assignment]
    return found


def statuses(sessions: pd.DataFrame, today: date) -> pd.Series:
    """Each session's `Compliance`: a planned one done by its band, missed when its day is before
    `today` with no log, planned otherwise (today is not over); a log with no plan unplanned.

    `sessions` has `planned` (bool), `day`, `planned_minutes`, `done_minutes` and `log_id`.
    """
    if sessions.empty:
        return pd.Series([], dtype=object, index=sessions.index)
    done = sessions["log_id"].notna().to_numpy()
    coloured = bands(percent(sessions["done_minutes"], sessions["planned_minutes"]))
    over = (pd.to_datetime(sessions["day"]) < pd.Timestamp(today)).to_numpy()
    planned = sessions["planned"].to_numpy(dtype=bool)
    out = np.where(
        ~planned, "unplanned", np.where(done, coloured, np.where(over, "missed", "planned"))
    )
    return pd.Series(out, index=sessions.index, dtype=object)


def recent(sessions: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per runner over the adherence window before `today` (the last 14 days, today excluded):
    the planned minutes, the minutes logged for them, and that compliance as a whole percent with
    its band, as TrainingPeaks sums a week. A missed session adds its planned minutes and none
    done; unplanned logs do not count. Runners with nothing planned have no row."""
    start, end = adherence.window(today)
    days = pd.to_datetime(sessions["day"])
    rows = sessions[
        sessions["planned"].astype(bool)
        & (days >= pd.Timestamp(start))
        & (days <= pd.Timestamp(end))
    ]
    if rows.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    summed = (
        rows.assign(done_minutes=rows["done_minutes"].fillna(0.0))
        .groupby("athlete_id", sort=True)[["planned_minutes", "done_minutes"]]
        .sum()
        .reset_index()
    )
    summed = summed[summed["planned_minutes"] > 0]
    pct = percent(summed["done_minutes"], summed["planned_minutes"])
    return summed.assign(compliance=pct, band=bands(pct))[SUMMARY_COLUMNS].reset_index(drop=True)


def legend(limits: thresholds.Compliance | None = None) -> dict[Compliance, str]:
    """The calendar's legend: each status's words (`vocab.COMPLIANCE_LABELS`) with its band."""
    c = limits or thresholds.load().compliance
    more = {
        "green": f"{c.green_low}–{c.green_high} % of the planned minutes",
        "yellow": f"{c.yellow_low}–{c.green_low - 1} % or {c.green_high + 1}–{c.yellow_high} %",
        "red": f"under {c.yellow_low} % or over {c.yellow_high} %",
        "missed": "planned, day over, not logged",
        "planned": "still to come",
        "unplanned": "logged, not in the plan",
    }
    return {s: f"{COMPLIANCE_LABELS[s]} ({more[s]})" for s in COMPLIANCE}


def note(limits: thresholds.Compliance | None = None) -> str:
    """Where the colours come from, for a caption under the calendar."""
    c = limits or thresholds.load().compliance
    return (
        "Colours compare the logged minutes with the planned minutes of each session, as a "
        f"whole percent. Source: {c.source}."
    )
