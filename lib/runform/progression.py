"""The next dose after each log: advance, hold or regress every exercise, and hold or cut next
week's running, each with its reason in plain words (protocols §3).

Pure: a plan, the logs and pain reports in; decisions and the updated upcoming plan out.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from runform import workouts
from runform.exercises import Exercise, Library, by_id, easier_variant, load_library
from runform.models import Plan, PlanExercise
from runform.paths import data_dir

Action = Literal["advance", "hold", "regress"]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str  # an exercise id, or "run volume"
    name: str
    action: Action
    reason: str
    before: str
    after: str


class Progression(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decisions: list[Decision]
    notes: list[str]
    plan: Plan

    def changed(self) -> bool:
        return any(d.before != d.after for d in self.decisions)


@cache
def load_config(path: Path | None = None) -> dict[str, Any]:
    with open(path or data_dir() / "progression.toml", "rb") as f:
        return tomllib.load(f)


def _dose(e: PlanExercise, named: bool = False) -> str:
    work = f"{e.reps} reps" if e.reps is not None else f"{e.seconds} s"
    load = f" at {e.load_kg:g} kg" if e.load_kg else ""
    return f"{e.name}: " * named + f"{e.sets} × {work}{load}"


def pain_breach(pain: pd.DataFrame, regions: list[str], today: date, cfg: dict) -> str | None:
    """Why the pain-monitoring model says regress for these regions, or None."""
    if pain.empty:
        return None
    p = pain[pain["region"].isin(regions)]
    recent = p[p["day"] > pd.Timestamp(today - timedelta(days=cfg["window_days"]))]
    during = recent[recent["when"].isin(["during_run", "after_run"])]
    if not during.empty and during["score"].max() > cfg["during_max"]:
        top = during.loc[during["score"].idxmax()]
        return (
            f"{top['region'].replace('_', ' ')} pain {top['score']}/10 "
            f"{top['when'].replace('_', ' ')}, above the {cfg['during_max']}/10 the "
            "pain-monitoring model accepts"
        )
    morning = p[p["when"] == "next_morning"]
    start = pd.Timestamp(today - timedelta(days=cfg["window_days"]))
    before = morning[
        (morning["day"] <= start)
        & (morning["day"] > start - pd.Timedelta(days=cfg["baseline_days"]))
    ]
    latest = morning[morning["day"] > start]
    if not latest.empty:
        baseline = before["score"].median() if not before.empty else 0
        worst = latest["score"].max()
        if worst > baseline:
            return (
                f"next-morning pain {worst}/10, above the usual {baseline:g}/10: it did "
                "not settle overnight"
            )
    week = p[p["when"].isin(["during_run", "after_run"])]
    this = week[week["day"] > start]["score"].max()
    last = week[(week["day"] <= start) & (week["day"] > start - pd.Timedelta(days=7))][
        "score"
    ].max()
    if pd.notna(this) and pd.notna(last) and this > last and this > 0:
        return f"pain rose from {last}/10 last week to {this}/10 this week"
    return None


def exercise_decision(
    e: PlanExercise,
    ex: Exercise,
    logs: pd.DataFrame,
    missed: bool,
    pain: str | None,
    lib: Library,
    equipment: set[str],
    cfg: dict,
) -> tuple[Action, str, PlanExercise]:
    """Double progression with the pain model on top; returns the action, why, and the new dose."""
    index = by_id(lib)
    if pain:
        easier = easier_variant(lib, ex.id, equipment, spare_impact=True)
        if easier is None:
            return _lower_dose(e, ex, pain, cfg)
        return "regress", f"Easier variant: {pain}.", _variant(e, easier, "pain-monitoring model")
    if missed:
        return "hold", "Hold: the last planned session with it was missed.", e
    done = logs[~logs["skipped"]].fillna({"reps": 0, "seconds": 0})
    if done.empty:
        return "hold", "Hold: not logged yet.", e
    if logs.iloc[-1]["skipped"]:
        return "hold", "Hold: skipped last time.", e
    last = done.tail(cfg["sessions_at_top"])
    rpe = last["rpe"].fillna(last["session_rpe"])
    easy_enough = bool((rpe <= cfg["target_rpe"]).all()) and rpe.notna().all()
    if e.reps is not None and ex.dose.reps_high is not None:
        top = ex.dose.reps_high
        at_top = len(last) == cfg["sessions_at_top"] and bool((last["reps"] >= top).all())
        if at_top and easy_enough:
            loaded = last["load_kg"].fillna(0).iloc[-1]
            if loaded > 0:
                new = e.model_copy(
                    update={
                        "load_kg": float(loaded) + cfg["load_step_kg"],
                        "reps": ex.dose.reps_low,
                    }
                )
                return (
                    "advance",
                    (f"Next load step: {top} reps twice at RPE ≤ {cfg['target_rpe']:g}."),
                    new,
                )
            if ex.harder is None:
                return (
                    "hold",
                    (
                        f"Hold: {top} reps twice at RPE ≤ {cfg['target_rpe']:g}, and this is the "
                        "end of the progression chain; keep the dose or add load."
                    ),
                    e,
                )
            harder = index[ex.harder]
            if harder.fits(equipment):
                return (
                    "advance",
                    (f"Harder variant: {top} reps twice at RPE ≤ {cfg['target_rpe']:g}."),
                    _variant(e, harder, "progression"),
                )
            return "hold", "Hold: top of the range, but the harder variant needs equipment.", e
        reps = int(done.iloc[-1]["reps"] or 0)
        if reps >= (e.reps or 0) and easy_enough:
            new_reps = min(top, max(e.reps or 0, reps) + cfg["rep_step"])
            if new_reps > (e.reps or 0):
                return (
                    "advance",
                    f"{new_reps} reps next time: {reps} done at RPE ≤ {cfg['target_rpe']:g}.",
                    e.model_copy(update={"reps": new_reps}),
                )
        return "hold", "Hold: repeat the dose until it is done at the target effort.", e
    if e.seconds is not None and ex.dose.seconds is not None:
        held = int(done.iloc[-1]["seconds"] or 0)
        if held >= e.seconds and easy_enough:
            cap = int(ex.dose.seconds * 1.5)
            if e.seconds >= cap:
                if ex.harder is None:
                    return (
                        "hold",
                        "Hold: the longest hold was reached, and this is the end of the "
                        "progression chain.",
                        e,
                    )
                harder = index[ex.harder]
                if harder.fits(equipment):
                    return (
                        "advance",
                        "Harder variant: the longest hold was reached.",
                        _variant(e, harder, "progression"),
                    )
                return "hold", "Hold: longest hold reached; the harder variant needs equipment.", e
            new = min(cap, e.seconds + cfg["seconds_step"])
            return (
                "advance",
                f"+{new - e.seconds} s: {held} s held at the target effort.",
                e.model_copy(update={"seconds": new}),
            )
    return "hold", "Hold: repeat the dose until it is done at the target effort.", e


def _lower_dose(
    e: PlanExercise, ex: Exercise, pain: str, cfg: dict
) -> tuple[Action, str, PlanExercise]:
    """Pain with no easier variant (the exercise starts its chain): keep it, take off any added
    load and go back to the bottom of its range; already there, one rep or seconds step less."""
    d = ex.dose
    if e.reps is not None:
        low = d.reps_low if d.reps_low is not None else e.reps
        reps = min(e.reps, low) if e.load_kg or e.reps > low else max(1, e.reps - cfg["rep_step"])
        update: dict = {"reps": reps}
    elif e.seconds is not None:
        base = d.seconds if d.seconds is not None else e.seconds
        step = cfg["seconds_step"]
        seconds = (
            min(e.seconds, base) if e.load_kg or e.seconds > base else max(1, e.seconds - step)
        )
        update = {"seconds": seconds}
    else:
        update = {}
    new = e.model_copy(
        update={
            **update,
            "load_kg": None,
            "reason": f"pain-monitoring model: lower dose of {e.name}, which has no easier variant",
        }
    )
    return (
        "regress",
        (
            f"Lower dose: {pain}. {ex.name} starts its progression chain (no easier variant), "
            "so it stays with less work and no added load."
        ),
        new,
    )


def _variant(e: PlanExercise, ex: Exercise, why: str) -> PlanExercise:
    d = ex.dose
    return e.model_copy(
        update={
            "id": ex.id,
            "name": ex.name,
            "cues": ex.coaching_cues(e.role),
            "reps": d.reps_low,
            "seconds": d.seconds,
            "per_side": d.per_side,
            "tempo": d.tempo,
            "rest_s": d.rest_s,
            "load_kg": None,
            "reason": f"{why}: replaces {e.name}",
        }
    )


def progress(
    plan: Plan,
    today: date,
    exercises: pd.DataFrame,
    pain: pd.DataFrame,
    runs: pd.DataFrame,
    equipment: set[str],
    longest_at_start: float,
    monotony: float | None = None,
    lib: Library | None = None,
) -> Progression:
    """Decisions for every exercise still to come, and next week's running."""
    lib = lib or load_library()
    index = by_id(lib)
    cfg = load_config()
    plan = plan.model_copy(deep=True)
    exercises, pain, runs = (
        f.assign(day=pd.to_datetime(f["day"])) if not f.empty else f
        for f in (exercises, pain, runs)
    )
    upcoming = [s for w in plan.weeks for s in w.sessions if s.date > today]
    past = [s for w in plan.weeks for s in w.sessions if s.date <= today]
    logged_days = set(exercises["day"].dt.date) if not exercises.empty else set()
    decisions: list[Decision] = []
    decided: dict[str, tuple[Action, str, PlanExercise]] = {}
    for s in upcoming:
        for i, e in enumerate(s.exercises):
            if e.role != "main" or e.id not in index:
                continue
            if e.id not in decided:
                ex = index[e.id]
                mine = (
                    exercises[exercises["exercise_id"] == e.id]
                    if not exercises.empty
                    else exercises
                )
                last_planned = max(
                    (p.date for p in past if any(x.id == e.id for x in p.exercises)), default=None
                )
                missed = (
                    last_planned is not None
                    and last_planned < today
                    and last_planned not in logged_days
                )
                why_pain = pain_breach(pain, ex.regions, today, cfg["pain"])
                decided[e.id] = exercise_decision(
                    e, ex, mine, missed, why_pain, lib, equipment, cfg["exercise"]
                )
                action, reason, new = decided[e.id]
                decisions.append(
                    Decision(
                        subject=e.id,
                        name=e.name,
                        action=action,
                        reason=reason,
                        before=_dose(e),
                        after=_dose(new, named=new.id != e.id),
                    )
                )
            action, _, new = decided[e.id]
            if action != "hold":
                s.exercises[i] = new.model_copy(
                    update={"sets": e.sets, "role": e.role, "targets": e.targets}
                )
    notes: list[str] = []
    decisions += _runs(plan, today, runs, longest_at_start, monotony, cfg["runs"], notes)
    for w in plan.weeks:
        w.run_km = round(sum(s.run_km for s in w.sessions), 1)
    return Progression(
        decisions=decisions, notes=notes, plan=Plan.model_validate(plan.model_dump())
    )


def _runs(
    plan: Plan,
    today: date,
    runs: pd.DataFrame,
    longest_at_start: float,
    monotony: float | None,
    cfg: dict,
    notes: list[str],
) -> list[Decision]:
    """Next week's run volume: cut after a single-run spike, held when monotony is high."""
    next_week = [
        s
        for w in plan.weeks
        for s in w.sessions
        if today < s.date <= today + timedelta(days=7) and s.run_km
    ]
    if not next_week:
        return []
    before = sum(s.run_km for s in next_week)
    spike = None
    if not runs.empty:
        recent = runs[runs["day"] > pd.Timestamp(today - timedelta(days=7))]
        for _, r in recent.iterrows():
            window = runs[
                (runs["day"] < r["day"])
                & (runs["day"] >= r["day"] - pd.Timedelta(days=cfg["spike_window_days"]))
            ]
            longest = max([longest_at_start, *window["run_km"].tolist()])
            if longest and r["run_km"] > cfg["spike"] * longest:
                spike = (r, longest)
    if spike is not None:
        r, longest = spike
        for s in next_week:
            km = math.floor(s.run_km * (1 - cfg["spike_cut"]) * 2) / 2
            s.steps = workouts.resize(s.steps, s.run_km, km, plan.pace_min_per_km)
            s.run_km = km
        after = sum(s.run_km for s in next_week)
        return [
            Decision(
                subject="run volume",
                name="Next week's running",
                action="regress",
                reason=(
                    f"Cut {cfg['spike_cut']:.0%}: the {r['run_km']:g} km run on "
                    f"{r['day']:%a %d %b} was longer than {cfg['spike']:.0%} of the longest run of "
                    f"the previous 30 days ({longest:g} km); such spikes raised injury risk "
                    "(Frandsen et al. 2025)."
                ),
                before=f"{before:g} km",
                after=f"{after:g} km",
            )
        ]
    if monotony is not None and monotony > cfg["monotony_flag"]:
        return [
            Decision(
                subject="run volume",
                name="Next week's running",
                action="hold",
                reason=(
                    f"Held: last week's monotony was {monotony:.1f} (above "
                    f"{cfg['monotony_flag']:g}); vary easy and hard days before adding volume."
                ),
                before=f"{before:g} km",
                after=f"{before:g} km",
            )
        ]
    return [
        Decision(
            subject="run volume",
            name="Next week's running",
            action="hold",
            reason="As planned: no spike and no monotony flag.",
            before=f"{before:g} km",
            after=f"{before:g} km",
        )
    ]
