"""The pain-monitoring model (Silbernagel et al. 2007; protocols §3, and §5 for running).

Pain during or after work up to 5/10 is acceptable if it settles by the next morning and does not
rise week to week. One function decides, for exercises (their loaded regions), for the running
(the lower limb) and for the team flag (any region), and says which rule and which numbers.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Literal, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict

from runform import thresholds
from runform.vocab import DURING, MORNING

Rule = Literal["pain during work", "pain next morning", "pain rising week to week"]


class Verdict(BaseModel):
    """Why the model says regress: the rule, the region and the numbers, in words and as data."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: Rule
    region: str
    day: date
    score: float
    limit: float  # the score had to stay at or under this
    baseline: float | None = None  # the morning baseline, or last week's worst
    text: str


def _region(r: str) -> str:
    return r.replace("_", " ")


def row_at_max(frame: pd.DataFrame, column: str) -> pd.Series:
    """The row holding the column's largest value (the first, on ties).

    The frames here have a unique integer index, so the label is an int and `.loc` gives one row;
    pandas-stubs types `idxmax()` as any Hashable and `.loc[label]` as row or frame.
    """
    return cast(pd.Series, frame.loc[cast(int, frame[column].idxmax())])


def watched(reports: pd.DataFrame, today: date) -> list[tuple[str, str | None]]:
    """The regions (with their sides) the model reads on `today`: those with pain during or
    after work or next morning in its week or the baseline days before it, first seen first.

    A "no pain this morning" answer is a score of 0 for each of them (that region settled); a
    region the model does not watch gets nothing, so a 0 never becomes a region's baseline that
    the runner did not report (a first morning up to 2/10 stays the baseline there)."""
    cfg = thresholds.load().pain
    if reports.empty:
        return []
    p = reports[reports["when"].isin([*DURING, MORNING])]
    days = pd.to_datetime(p["day"]).dt.date
    start = today - timedelta(days=cfg.window_days + cfg.baseline_days)
    p = p[(days > start) & (days <= today)].sort_values("day", kind="stable")
    out: list[tuple[str, str | None]] = []
    for region, side in zip(p["region"], p["side"], strict=True):
        pair = (str(region), None if pd.isna(side) else str(side))
        if pair not in out:
            out.append(pair)
    return out


def verdict(
    reports: pd.DataFrame,
    today: date,
    regions: Collection[str] | None = None,
    during_max: float | None = None,
) -> Verdict | None:
    """The first rule the last week's pain breaks, or None when the model accepts it.

    `reports` has day, region, score and when (rest pain is not a response to work and is left
    out). Each region has its own morning baseline: the median of its next-morning scores in the
    28 days before the week; with none, the first score this week, up to 2/10 (convention).
    `during_max` is a lower limit for pain during work where one applies (a return to running
    accepts at most 3/10, protocols §5); by default the model's own 5/10.
    """
    cfg = thresholds.load().pain
    during_limit = cfg.during_max if during_max is None else during_max
    if reports.empty:
        return None
    p = reports[reports["when"].isin([*DURING, MORNING])]
    if regions is not None:
        p = p[p["region"].isin(list(regions))]
    if p.empty:
        return None
    p = p.assign(day=pd.to_datetime(p["day"]).dt.date).sort_values("day", kind="stable")
    start = today - timedelta(days=cfg.window_days)
    week = p[(p["day"] > start) & (p["day"] <= today)]
    work = week[week["when"].isin(DURING)]
    if not work.empty and work["score"].max() > during_limit:
        top = row_at_max(work, "score")
        return Verdict(
            rule="pain during work",
            region=top["region"],
            day=top["day"],
            score=float(top["score"]),
            limit=during_limit,
            text=(
                f"{_region(top['region'])} pain {top['score']:g}/10 {_region(top['when'])} on "
                f"{top['day']:%a %d %b}, above the {during_limit:g}/10 the pain-monitoring model "
                "accepts"
                + ("" if during_max is None else " for a return to running")
                + " (Silbernagel et al. 2007)"
            ),
        )
    earlier = p[(p["day"] <= start) & (p["day"] > start - timedelta(days=cfg.baseline_days))]
    for region, mornings in week[week["when"] == MORNING].groupby("region", sort=True):
        before = earlier[(earlier["region"] == region) & (earlier["when"] == MORNING)]
        if before.empty:
            baseline = min(float(mornings.iloc[0]["score"]), cfg.first_baseline_max)
            how = f"a first morning taken as the baseline, at most {cfg.first_baseline_max:g}/10"
        else:
            baseline = float(before["score"].median())
            how = f"the median of {len(before)} earlier mornings"
        top = row_at_max(mornings, "score")
        limit = baseline + cfg.morning_tolerance
        if top["score"] > limit:
            return Verdict(
                rule="pain next morning",
                region=str(region),
                day=top["day"],
                score=float(top["score"]),
                limit=limit,
                baseline=baseline,
                text=(
                    f"next-morning {_region(str(region))} pain {top['score']:g}/10 on "
                    f"{top['day']:%a %d %b}, more than {cfg.morning_tolerance:g} above the usual "
                    f"{baseline:g}/10 ({how}): it did not settle overnight"
                ),
            )
    last_week = earlier[
        earlier["when"].isin(DURING) & (earlier["day"] > start - timedelta(days=cfg.window_days))
    ]
    for region, now in work.groupby("region", sort=True):
        then = last_week[last_week["region"] == region]
        if then.empty:
            continue
        this, last = float(now["score"].max()), float(then["score"].max())
        if this > last + cfg.morning_tolerance:
            top = row_at_max(now, "score")
            return Verdict(
                rule="pain rising week to week",
                region=str(region),
                day=top["day"],
                score=this,
                limit=last + cfg.morning_tolerance,
                baseline=last,
                text=(
                    f"{_region(str(region))} pain rose from {last:g}/10 last week to {this:g}/10 "
                    f"this week, more than {cfg.morning_tolerance:g} up"
                ),
            )
    return None
