"""Small wins, found automatically and shown first: the article asks for progress markers that
celebrate them. Each comes from data the review queries already return."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict

from runform import adherence, cadence, compare
from runform.compensations import load_rules, normal_bands
from runform.screens import load_catalogue


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: date | None
    kind: str
    title: str
    detail: str


def resolved_findings(status: pd.DataFrame, on: date | None) -> list[Milestone]:
    """Findings `compare.status_table` calls resolved: re-tested at the latest assessment and no
    longer found (a finding whose tests were not done again is "not re-tested", never a win)."""
    titles = load_rules().titles()
    return [
        Milestone(
            day=on,
            kind="finding resolved",
            title=f"{titles[row.finding_id]}: resolved",
            detail="Present at the previous assessment; re-tested at the latest ("
            + ", ".join(compare.screen_names(row.screens))
            + ") and no longer found.",
        )
        # An itertuples row's fields have their columns' types (`screens` is a list);
        # pandas-stubs types every field as a scalar.
        for row in cast("Iterator[Any]", status[status["status"] == "resolved"].itertuples())
    ]


def improved_screens(screens: pd.DataFrame, measured: pd.DataFrame) -> list[Milestone]:
    """Screens re-tested at the latest assessment and better than their first value by a real
    change (`compare.screen_progress`, `change.is_real`); never a win for a test not done this
    time."""
    progress = compare.screen_progress(screens, measured)
    if progress.empty:
        return []
    specs = load_catalogue().by_id()
    bands = normal_bands()
    out = []
    row: Any  # an itertuples row, as in resolved_findings
    for row in progress[progress["real"]].itertuples():
        low, high = bands.get(row.screen_id, (None, None))
        if low is None and high is None:
            continue
        better = row.change if low is not None else -row.change
        if better <= 0:
            continue
        spec = specs[row.screen_id]
        side = f" ({row.side})" if row.side in ("left", "right") else ""
        out.append(
            Milestone(
                day=_day(row.assessed_on),
                kind="screen improved",
                title=f"{spec.name}{side}: {row.baseline:g} → {row.value:g} {spec.unit}",
                detail=f"Re-tested at the latest assessment: a real change since "
                f"{_day(row.baseline_on):%d %b %Y}, larger than the minimal detectable change "
                f"({row.figure}).",
            )
        )
    return out


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def completed_weeks(planned: pd.DataFrame, today: date) -> list[Milestone]:
    """The current streak of weeks with every planned session done (two weeks or more).

    `planned` is `review.adherence` (one row per planned session in force, with `done`), counted
    per week by `adherence.weekly`; a week not over by `today` is left out.
    """
    if planned.empty:
        return []
    weeks = adherence.weekly(planned).groupby("week_start")[["planned", "done"]].sum()
    weeks = weeks[pd.to_datetime(weeks.index) + pd.Timedelta(days=7) <= pd.Timestamp(today)]
    streak = 0
    for planned, done in zip(weeks["planned"][::-1], weeks["done"][::-1], strict=True):
        if planned and done >= planned:
            streak += 1
        else:
            break
    if streak < 2:
        return []
    return [
        Milestone(
            day=pd.Timestamp(weeks.index[-1]).date(),
            kind="streak",
            title=f"{streak} weeks in a row with every session done",
            detail="Consistency is what makes new movement habits stick.",
        )
    ]


def pain_free_long_run(long_runs: pd.DataFrame) -> list[Milestone]:
    free = long_runs[long_runs["pain"].isna() | (long_runs["pain"] == 0)]
    if free.empty:
        return []
    last = free.iloc[-1]
    return [
        Milestone(
            day=pd.Timestamp(last["day"]).date(),
            kind="long run without pain",
            title=f"Long run of {last['run_km']:g} km without pain",
            detail="No pain reported during or after it.",
        )
    ]


def cadence_target() -> float:
    """The overstriding rule's cadence mark (data/rules.toml, a convention): the fallback only."""
    return cadence.fallback_spm()


def cadence_held(form: pd.DataFrame, runs: pd.DataFrame | None = None) -> list[Milestone]:
    """The cadence target held in each of the last weeks with runs (two or more).

    With the runner's own baseline (`runs`: `cadence.per_run`, each run with its target at its own
    speed; `own` when the runner has a baseline), a week holds when its runs' median
    cadence-to-target ratio is at least 1: the typical run at or above 5 % over the runner's own
    rate at that speed. Without a baseline, the week's average cadence against the rule table's
    mark (a convention).
    """
    if runs is not None and not runs.empty and bool(runs["own"].any()):
        return _held_own(runs.dropna(subset=["target_spm"]))
    target = cadence_target()
    weeks = form.dropna(subset=["cadence_spm"])
    held = 0
    for value in weeks["cadence_spm"][::-1]:
        if value >= target:
            held += 1
        else:
            break
    if held < 2:
        return []
    return [
        Milestone(
            day=pd.Timestamp(weeks.iloc[-1]["week_start"]).date(),
            kind="cadence",
            title=f"Cadence at {target:g}+ spm for {held} weeks",
            detail="A quicker step lowers hip and knee load (Heiderscheit et al. 2011).",
        )
    ]


def _held_own(runs: pd.DataFrame) -> list[Milestone]:
    days = pd.to_datetime(runs["day"])
    week = days.dt.to_period("W-SUN").dt.start_time
    ratio = (runs["cadence_spm"] / runs["target_spm"]).groupby(week.to_numpy()).median()
    held = 0
    for value in ratio.sort_index()[::-1]:
        if value >= 1.0:
            held += 1
        else:
            break
    if held < 2:
        return []
    return [
        Milestone(
            day=pd.Timestamp(ratio.index.max()).date(),
            kind="cadence",
            title=f"Cadence target held for {held} weeks",
            detail="Runs at or above 5 % over your own step rate at the same speed: a quicker "
            "step lowers hip and knee load (Heiderscheit et al. 2011).",
        )
    ]


def find(
    status,
    on,
    screens,
    adherence,
    long_runs,
    form,
    today: date,
    *,
    measured: pd.DataFrame,
    cadence_runs: pd.DataFrame | None = None,
) -> list[Milestone]:
    """Every small win, newest first; `measured` is `review.measured_screens` (what the latest
    assessment re-tested), `cadence_runs` each run against its own target (`cadence.per_run`)."""
    wins = [
        *resolved_findings(status, on),
        *improved_screens(screens, measured),
        *completed_weeks(adherence, today),
        *pain_free_long_run(long_runs),
        *cadence_held(form, cadence_runs),
    ]
    return sorted(wins, key=lambda m: m.day or date.min, reverse=True)
