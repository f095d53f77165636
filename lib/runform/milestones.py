"""Small wins, found automatically and shown first: the article asks for progress markers that
celebrate them. Each comes from data the review queries already return."""

from __future__ import annotations

from datetime import date

import pandas as pd
from pydantic import BaseModel, ConfigDict

from runform.compensations import load_rules, normal_bands
from runform.screens import load_catalogue

CADENCE_TARGET = 166  # the overstriding rule's cadence mark (protocols §2, a convention)


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: date | None
    kind: str
    title: str
    detail: str


def resolved_findings(status: pd.DataFrame, on: date | None) -> list[Milestone]:
    titles = load_rules().titles()
    return [
        Milestone(
            day=on,
            kind="finding resolved",
            title=f"{titles[f]}: resolved",
            detail="Present at the previous assessment, gone at the latest.",
        )
        for f in status.loc[status["status"] == "resolved", "finding_id"]
    ]


def improved_screens(screens: pd.DataFrame) -> list[Milestone]:
    """Latest value better than the baseline by more than the minimal detectable change."""
    if screens.empty:
        return []
    specs = load_catalogue().by_id()
    bands = normal_bands()
    latest = screens.sort_values("assessed_on").groupby(["screen_id", "side"]).tail(1)
    out = []
    for row in latest.itertuples():
        low, high = bands.get(row.screen_id, (None, None))
        spec = specs.get(row.screen_id)
        if spec is None or spec.kind != "number" or (low is None and high is None):
            continue
        change = row.value - row.baseline
        better = change if low is not None else -change
        if better > 0 and abs(change) > spec.real_change(row.baseline):
            side = f" ({row.side})" if row.side in ("left", "right") else ""
            how = "published minimal detectable change" if spec.mdc else "10 % of baseline"
            out.append(
                Milestone(
                    day=row.assessed_on.date()
                    if hasattr(row.assessed_on, "date")
                    else row.assessed_on,
                    kind="screen improved",
                    title=f"{spec.name}{side}: {row.baseline:g} → {row.value:g} {spec.unit}",
                    detail=f"A real change: more than the {how}.",
                )
            )
    return out


def completed_weeks(adherence: pd.DataFrame, today: date) -> list[Milestone]:
    """The current streak of weeks with every planned session done (two weeks or more)."""
    if adherence.empty:
        return []
    weeks = adherence.groupby("week_start")[["planned", "done"]].sum().sort_index()
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


def cadence_held(form: pd.DataFrame) -> list[Milestone]:
    """Cadence at or above the target in each of the last weeks with runs (two or more)."""
    weeks = form.dropna(subset=["cadence_spm"])
    held = 0
    for value in weeks["cadence_spm"][::-1]:
        if value >= CADENCE_TARGET:
            held += 1
        else:
            break
    if held < 2:
        return []
    return [
        Milestone(
            day=pd.Timestamp(weeks.iloc[-1]["week_start"]).date(),
            kind="cadence",
            title=f"Cadence at {CADENCE_TARGET}+ spm for {held} weeks",
            detail="A quicker step lowers hip and knee load (Heiderscheit et al. 2011).",
        )
    ]


def find(status, on, screens, adherence, long_runs, form, today: date) -> list[Milestone]:
    wins = [
        *resolved_findings(status, on),
        *improved_screens(screens),
        *completed_weeks(adherence, today),
        *pain_free_long_run(long_runs),
        *cadence_held(form),
    ]
    return sorted(wins, key=lambda m: m.day or date.min, reverse=True)
