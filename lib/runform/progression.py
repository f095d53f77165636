"""The next dose after each log: advance, hold, regress or pause every exercise, and hold or cut
the next week's running, each decision naming its rule and the numbers behind it (protocols §3,
and §5 for pain and the running).

Pure: a plan, the logs and pain reports in; decisions and the updated upcoming plan out. The
rules it applies live elsewhere, once each: the pain-monitoring model in `painmodel`, the
single-run spike in `spike`, the regression for pain in `exercises.pain_regression`, the
thresholds in data/thresholds.toml and the engine's own numbers in data/progression.toml.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, Literal, cast

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from runform import painmodel, planconfig, progconfig, spike, thresholds, workouts
from runform.exercises import (
    LOAD_EQUIPMENT,
    Exercise,
    Library,
    by_id,
    chain,
    load_library,
    pain_regression,
)
from runform.models import (
    EARLIEST,
    ExerciseLog,
    Plan,
    PlanExercise,
    PlanSession,
    SessionPain,
    Strict,
)
from runform.planning import minutes as exercise_minutes
from runform.vocab import (
    DISTANCE_KINDS,
    DURING,
    LOWER_LIMB,
    MORNING,
    Action,
    Equipment,
    FindingSide,
    Region,
    SessionKind,
)

Number = float | int | str

#: Session kinds that are quality running (tempo, threshold, fartlek and intervals are planned
#: as these two kinds); strides ride inside easy runs and are taken out with them.
QUALITY_KINDS: tuple[str, ...] = ("tempo", "intervals")
#: Equipment that carries a load in kilograms, so a load step can be added (bands cannot).
WEIGHTS: frozenset[str] = LOAD_EQUIPMENT - {"band", "mini_band"}

DOUBLE = "double progression"
MISSED = "missed session"
SPIKE = "single-run spike"
MONOTONY = "monotony"


class Decision(BaseModel):
    """One change (or deliberate non-change): what, which rule, the figures that triggered it."""

    model_config = ConfigDict(extra="forbid")
    subject: str  # an exercise id, "run volume", or "run YYYY-MM-DD" for one session
    name: str
    action: Action
    rule: str
    reason: str
    before: str
    after: str
    numbers: dict[str, Number] = Field(default_factory=dict)


class Progression(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decisions: list[Decision]
    notes: list[str]
    plan: Plan

    def changed(self) -> bool:
        return any(d.before != d.after for d in self.decisions)


RUN_VOLUME = "run volume"


def concerns(log_kind: str, run_km: float, exercise_ids: Iterable[str]) -> set[str]:
    """The decision subjects a logged session concerns: its exercises, and the running when it
    was a run (a kind with a distance, or any distance logged)."""
    return set(exercise_ids) | ({RUN_VOLUME} if log_kind in DISTANCE_KINDS or run_km else set())


def worth_a_line(
    decisions: Iterable[Decision], logged: set[str]
) -> tuple[list[Decision], list[Decision]]:
    """The decisions a runner reads one by one (those that change the plan, and those about what
    was `logged`), and the rest: holds of things not logged, which change nothing and are said
    together in one line."""
    shown: list[Decision] = []
    rest: list[Decision] = []
    for d in decisions:
        (shown if d.before != d.after or d.subject in logged else rest).append(d)
    return shown, rest


def _dose(e: PlanExercise, named: bool = False) -> str:
    work = f"{e.reps} reps" if e.reps is not None else f"{e.seconds} s"
    load = f" at {e.load_kg:g} kg" if e.load_kg else ""
    return f"{e.name}: " * named + f"{e.sets} × {work}{load}"


# --- the sessions of an exercise ------------------------------------------------------------


@dataclass(frozen=True)
class Outing:
    """One session of an exercise: done, skipped, or planned and missed, with that day's dose."""

    day: date
    status: Literal["done", "skipped", "missed"]
    prescribed: PlanExercise
    sets: int = 0
    reps: int | None = None
    seconds: int | None = None
    load_kg: float | None = None
    rpe: float | None = None

    def easy(self, target: float) -> bool:
        """Done at the target effort: an RPE (the exercise's, else the session's) at most it."""
        return self.rpe is not None and self.rpe <= target

    def all_sets(self) -> bool:
        return self.status == "done" and self.sets >= self.prescribed.sets


def _num(v: Any) -> float | None:
    """A number from a frame's cell, or None when it is missing (None, NaN, NA)."""
    return None if v is None or pd.isna(v) else float(v)


def outings(
    plan: Plan, ex_id: str, logs: pd.DataFrame, today: date, current: PlanExercise
) -> list[Outing]:
    """The sessions of an exercise in order: the planned sessions on or before today that
    contain it, plus any day it was logged. A planned day before today without a log of it is
    missed; today's, not yet logged, is still to come. A logged day's prescription is the plan's
    session that day, else the current one (an unplanned log)."""
    planned: dict[date, PlanExercise] = {}
    for _, s in plan.sessions():
        if s.date <= today:
            for e in s.exercises:
                if e.id == ex_id:
                    planned.setdefault(s.date, e)
    mine = logs[logs["exercise_id"] == ex_id] if not logs.empty else logs
    by_day = {d: g for d, g in mine.groupby(mine["day"].dt.date)} if not mine.empty else {}
    out: list[Outing] = []
    for day in sorted(set(planned) | {d for d in by_day if d <= today}):
        prescribed = planned.get(day, current)
        rows = by_day.get(day)
        if rows is None:
            if day < today:
                out.append(Outing(day, "missed", prescribed))
            continue
        done = rows[~rows["skipped"].astype(bool)]
        if done.empty:
            out.append(Outing(day, "skipped", prescribed))
            continue
        r = done.iloc[-1]
        rpe = _num(r["rpe"])
        if rpe is None and "session_rpe" in r:
            rpe = _num(r["session_rpe"])
        reps, seconds = _num(r["reps"]), _num(r["seconds"])
        out.append(
            Outing(
                day,
                "done",
                prescribed,
                sets=int(_num(r["sets"]) or 0),
                reps=None if reps is None else int(reps),
                seconds=None if seconds is None else int(seconds),
                load_kg=_num(r["load_kg"]),
                rpe=rpe,
            )
        )
    return out


# --- one exercise -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    action: Action
    rule: str
    reason: str
    new: PlanExercise | None  # None: paused (taken out of the upcoming sessions)
    numbers: dict[str, Number]


def _days(items: Iterable[Outing]) -> str:
    return " and ".join(f"{o.day:%a %d %b}" for o in items)


def loadable(ex: Exercise, e: PlanExercise, history: list[Outing], equipment: set[str]) -> bool:
    """Whether the next step is a load step: the exercise already carries a load (prescribed or
    logged, or it is done with weights), or the library gives it a load cue, it is not impact
    or fast work, and a weight is at hand to add (a load cue on bodyweight work with nothing to
    hold falls through to the harder variant)."""
    if e.load_kg or any(o.load_kg for o in history) or set(ex.equipment) & WEIGHTS:
        return True
    return bool(ex.load_cue) and not (ex.impact or ex.fast) and bool(set(equipment) & WEIGHTS)


def _pain_outcome(
    e: PlanExercise, ex: Exercise, v: painmodel.Verdict, lib: Library, equipment: set[str]
) -> Outcome:
    rule = f"pain-monitoring model: {v.rule}"
    numbers = _verdict_numbers(v)
    other = pain_regression(lib, ex.id, equipment, v.region)
    region = v.region.replace("_", " ")
    if other is None:
        return Outcome(
            "pause",
            rule,
            (
                f"Paused until the {region} pain settles: {v.text}. No easier variant or "
                f"alternative in the library spares the {region} with this equipment, so "
                f"{ex.name} leaves the coming sessions."
            ),
            None,
            numbers,
        )
    easier = other.id in {x.id for x in chain(lib, ex.id, "easier")}
    kind = "Easier variant" if easier else "Alternative"
    why = "an easier variant" if easier else "an alternative sharing its target"
    return Outcome(
        "regress",
        rule,
        f"{kind} that spares the {region} ({other.name}): {v.text}.",
        _variant(e, other, f"pain-monitoring model, {why} that spares the {region}"),
        numbers | {"replacement": other.id},
    )


def exercise_decision(
    e: PlanExercise,
    ex: Exercise,
    history: list[Outing],
    verdict: painmodel.Verdict | None,
    lib: Library,
    equipment: set[str],
) -> Outcome | None:
    """Double progression under the pain-monitoring model; None when there is nothing to say
    (never logged and no pain)."""
    cfg = progconfig.load().exercise
    if verdict is not None:
        return _pain_outcome(e, ex, verdict, lib, equipment)
    if not any(o.status != "missed" for o in history):
        return None
    last = history[-1]
    if last.status != "done":
        what = "was missed" if last.status == "missed" else "was skipped"
        return Outcome(
            "hold",
            MISSED,
            (
                f"Hold: the session on {last.day:%a %d %b} {what}, so the count of sessions "
                "in a row at the top starts again."
            ),
            e,
            {"day": last.day.isoformat(), "status": last.status},
        )
    target = cfg.target_rpe
    recent = history[-cfg.sessions_at_top :]
    two = len(recent) == cfg.sessions_at_top and all(o.status == "done" for o in recent)
    base: dict[str, Number] = {
        "sets_done": last.sets,
        "sets_prescribed": last.prescribed.sets,
        "target_rpe": target,
    }
    if last.rpe is not None:
        base["rpe"] = last.rpe
    if e.reps is not None and ex.dose.reps_high is not None:
        top = ex.dose.reps_high
        base |= {"reps_done": last.reps or 0, "top_of_range": top}

        def at_top(o: Outing) -> bool:
            return o.all_sets() and (o.reps or 0) >= top and o.easy(target)

        if two and all(at_top(o) for o in recent):
            what = f"every set at {top} reps at RPE ≤ {target:g} in two sessions in a row"
            return _step(e, ex, history, lib, equipment, f"{what} ({_days(recent)})", base)
        reps = last.reps or 0
        # against the current dose too, so a session counts towards one step only
        goal = max(last.prescribed.reps or 0, e.reps)
        if last.all_sets() and reps >= goal and last.easy(target):
            new_reps = min(top, max(e.reps, reps) + cfg.rep_step)
            if new_reps > e.reps:
                return Outcome(
                    "advance",
                    DOUBLE,
                    (
                        f"{new_reps} reps next time: every set ({last.sets} × {reps}) done at "
                        f"RPE ≤ {target:g}."
                    ),
                    e.model_copy(update={"reps": new_reps}),
                    base | {"new_reps": new_reps},
                )
            if reps >= top:
                return Outcome(
                    "hold",
                    DOUBLE,
                    (
                        f"Hold: every set at {top} reps at RPE ≤ {target:g} once; a second "
                        "session in a row at the top moves it on."
                    ),
                    e,
                    base,
                )
        return Outcome("hold", DOUBLE, f"Hold: {_short(last, target)}.", e, base)
    if e.seconds is not None and ex.dose.seconds is not None:
        cap = int(ex.dose.seconds * cfg.longest_hold_share)
        base |= {"seconds_held": last.seconds or 0, "longest_hold": cap}

        hold_s = e.seconds  # narrowed to int above; a nested function cannot see that

        def held(o: Outing) -> bool:  # the current hold, so a session counts for one step
            goal = max(o.prescribed.seconds or 0, hold_s)
            return o.all_sets() and (o.seconds or 0) >= goal and o.easy(target)

        if two and all(held(o) for o in recent):
            what = (
                f"every set held {last.seconds} s at RPE ≤ {target:g} in two sessions in a row "
                f"({_days(recent)})"
            )
            if e.seconds >= cap:
                return _step(e, ex, history, lib, equipment, f"the longest hold: {what}", base)
            new = min(cap, e.seconds + cfg.seconds_step)
            return Outcome(
                "advance",
                DOUBLE,
                f"+{new - e.seconds} s: {what}.",
                e.model_copy(update={"seconds": new}),
                base | {"new_seconds": new},
            )
        if last.all_sets() and held(last):
            return Outcome(
                "hold",
                DOUBLE,
                "Hold: every set held at the target effort once; a second session in a row "
                "moves it on.",
                e,
                base,
            )
        return Outcome("hold", DOUBLE, f"Hold: {_short(last, target)}.", e, base)
    return Outcome(
        "hold", DOUBLE, "Hold: repeat the dose until it is done at the target effort.", e, base
    )


def _short(o: Outing, target: float) -> str:
    """What kept the last session from counting, in words."""
    if o.sets < o.prescribed.sets:
        return (
            f"{o.sets} of the {o.prescribed.sets} prescribed sets done on {o.day:%a %d %b}; "
            "every set counts"
        )
    if o.rpe is None:
        return "no effort (RPE) logged, so the session cannot count as done at the target effort"
    if o.rpe > target:
        return f"RPE {o.rpe:g}, above the target {target:g}: repeat the dose at the target effort"
    return "repeat the dose until it is done at the target effort"


def _step(
    e: PlanExercise,
    ex: Exercise,
    history: list[Outing],
    lib: Library,
    equipment: set[str],
    what: str,
    numbers: dict[str, Number],
) -> Outcome:
    """Two sessions at the top: the next load step where the exercise is loaded, else the
    harder variant, else hold at the end of the chain."""
    cfg = progconfig.load().exercise
    index = by_id(lib)
    if loadable(ex, e, history, equipment):
        logged = next((o.load_kg for o in reversed(history) if o.load_kg), None)
        kg = (logged or e.load_kg or 0.0) + cfg.load_step_kg
        update: dict = {"load_kg": kg}
        if e.reps is not None:
            update["reps"] = ex.dose.reps_low
        else:
            update["seconds"] = ex.dose.seconds
        return Outcome(
            "advance",
            DOUBLE,
            (
                f"Next load step, +{cfg.load_step_kg:g} kg to {kg:g} kg and back to the bottom "
                f"of the range (a load step comes before a harder variant): {what}."
            ),
            e.model_copy(update=update),
            numbers | {"load_kg": kg, "step": "load"},
        )
    if ex.harder is None:
        return Outcome(
            "hold",
            DOUBLE,
            (
                f"Hold: {what}, and this is the end of the progression chain; keep the dose or "
                "add load."
            ),
            e,
            numbers | {"step": "end of chain"},
        )
    harder = index[ex.harder]
    if not harder.fits(equipment):
        needs = ", ".join(sorted(set(harder.equipment) - set(equipment)))
        return Outcome(
            "hold",
            DOUBLE,
            f"Hold: {what}, but the harder variant ({harder.name}) needs {needs}.",
            e,
            numbers | {"step": "variant needs equipment"},
        )
    return Outcome(
        "advance",
        DOUBLE,
        f"Harder variant ({harder.name}; unloaded, so no load step): {what}.",
        _variant(e, harder, "progression"),
        numbers | {"step": "variant", "variant": harder.id},
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


def _verdict_numbers(v: painmodel.Verdict) -> dict[str, Number]:
    out: dict[str, Number] = {
        "region": v.region,
        "score": v.score,
        "limit": v.limit,
        "day": v.day.isoformat(),
    }
    if v.baseline is not None:
        out["baseline"] = v.baseline
    return out


# --- the whole plan ---------------------------------------------------------------------------


def _as_days(f: pd.DataFrame) -> pd.DataFrame:
    return f.assign(day=pd.to_datetime(f["day"])) if not f.empty else f


def progress(
    plan: Plan,
    today: date,
    exercises: pd.DataFrame,
    pain: pd.DataFrame,
    runs: pd.DataFrame,
    equipment: set[str],
    intake_run: spike.Run | None = None,
    monotony: float | None = None,
    lib: Library | None = None,
    governed: str | None = None,
) -> Progression:
    """Decisions for every exercise still to come, and the next week's running.

    `intake_run` is the latest assessment's longest recent run and its day: it counts for the
    single-run spike only inside the 30 days after that day (`spike.history`). `governed` says
    why an open injury episode leads the running (paused, or the return-to-run ladder:
    `availability.Situation.running`): the running then holds as the episode has it.
    """
    lib = lib or load_library()
    index = by_id(lib)
    plan = plan.model_copy(deep=True)
    exercises, pain, runs = (_as_days(f) for f in (exercises, pain, runs))
    upcoming = [s for w in plan.weeks for s in w.sessions if s.date > today]
    decisions: list[Decision] = []
    decided: dict[str, Outcome | None] = {}
    for s in upcoming:
        for e in s.exercises:
            if e.role != "main" or e.id not in index or e.id in decided:
                continue
            ex = index[e.id]
            history = outings(plan, e.id, exercises, today, e)
            verdict = painmodel.verdict(pain, today, ex.regions)
            out = decided[e.id] = exercise_decision(e, ex, history, verdict, lib, equipment)
            if out is not None:
                decisions.append(
                    Decision(
                        subject=e.id,
                        name=e.name,
                        action=out.action,
                        rule=out.rule,
                        reason=out.reason,
                        before=_dose(e),
                        after="paused" if out.new is None else _dose(out.new, out.new.id != e.id),
                        numbers=out.numbers,
                    )
                )
    for s in upcoming:
        kept: list[PlanExercise] = []
        for e in s.exercises:
            out = decided.get(e.id) if e.role == "main" else None
            if out is None or out.action == "hold":
                kept.append(e)
            elif out.new is None:
                s.minutes = max(0, math.floor(s.minutes - exercise_minutes(e)))
                s.reason = f"{s.reason} {e.name} paused: {out.reason}".strip()
            else:
                kept.append(
                    out.new.model_copy(
                        update={"sets": e.sets, "role": e.role, "targets": e.targets}
                    )
                )
        s.exercises = kept
    notes: list[str] = []
    if governed is not None:
        decisions += _governed_runs(plan, today, governed)
    else:
        decisions += _runs(plan, today, runs, pain, intake_run, monotony, notes, lib)
    for w in plan.weeks:
        w.run_km = round(sum(s.run_km for s in w.sessions), 1)
    return Progression(
        decisions=decisions, notes=notes, plan=Plan.model_validate(plan.model_dump())
    )


# --- the running ------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    return kind.replace("_", " ")


def logged_spike(
    runs: pd.DataFrame, today: date, intake_run: spike.Run | None
) -> tuple[date, float, float] | None:
    """The logged run of the last days that broke the single-run spike rule the most: its day,
    its km and the longest run of the 30 days before it (the intake's run counting there)."""
    if runs.empty:
        return None
    look = thresholds.load().spike.recent_days
    logged = [(d.date(), float(km)) for d, km in zip(runs["day"], runs["run_km"], strict=True)]
    assessed_on, intake_km = intake_run if intake_run else (None, None)
    known = spike.history(logged, intake_km, assessed_on)
    worst: tuple[date, float, float] | None = None
    for day, km in logged:
        if not today - timedelta(days=look) < day <= today:
            continue
        longest = spike.longest_before(known, day)
        if spike.breaks(km, longest) and (worst is None or km / longest > worst[1] / worst[2]):
            worst = (day, km, longest)
    return worst


def _runs(
    plan: Plan,
    today: date,
    runs: pd.DataFrame,
    pain: pd.DataFrame,
    intake_run: spike.Run | None,
    monotony: float | None,
    notes: list[str],
    lib: Library,
) -> list[Decision]:
    """The next week's running: regressed under the pain-monitoring model (lower limb), cut
    after a single-run spike, held when monotony is high, else as planned."""
    cfg = progconfig.load()
    th = thresholds.load()
    horizon = [
        s
        for w in plan.weeks
        for s in w.sessions
        if today < s.date <= today + timedelta(days=cfg.runs.horizon_days) and s.run_km
    ]
    if not horizon:
        return []
    before = sum(s.run_km for s in horizon)
    found = logged_spike(runs, today, intake_run)
    verdict = painmodel.verdict(pain, today, LOWER_LIMB)
    if verdict is not None:
        earlier = painmodel.verdict(pain, today - timedelta(days=th.pain.window_days), LOWER_LIMB)
        if found is not None:
            day, km, longest = found
            notes.append(
                f"The {km:g} km run on {day:%a %d %b} also broke the single-run spike rule "
                f"(longest of the previous 30 days {longest:g} km); the pain cut is the larger."
            )
        return _pain_runs(plan, today, horizon, verdict, earlier, lib)
    name = running_ahead(today)
    if found is not None:
        day, km, longest = found
        for s in horizon:
            if s.kind == "race":
                continue
            new = math.floor(s.run_km * (1 - cfg.runs.spike_cut) * 2) / 2
            s.steps = workouts.resize(s.steps, s.run_km, new, plan.pace_min_per_km)
            s.run_km = new
        after = sum(s.run_km for s in horizon)
        return [
            Decision(
                subject=RUN_VOLUME,
                name=name,
                action="regress",
                rule=SPIKE,
                reason=(
                    f"Cut {cfg.runs.spike_cut * 100:g} % (a convention): the {km:g} km run on "
                    f"{day:%a %d %b} was longer than {th.spike.ratio * 100:g} % of the longest "
                    f"run of the previous {th.spike.window_days} days ({longest:g} km); such "
                    "spikes raised injury risk (Frandsen et al. 2025)."
                ),
                before=f"{before:g} km",
                after=f"{after:g} km",
                numbers={
                    "run_km": km,
                    "day": day.isoformat(),
                    "longest_before_km": longest,
                    "ratio": round(km / longest, 3),
                    "limit_ratio": th.spike.ratio,
                    "cut": cfg.runs.spike_cut,
                },
            )
        ]
    flag = th.monotony.flag
    if monotony is not None and monotony > flag:
        return [
            Decision(
                subject=RUN_VOLUME,
                name=name,
                action="hold",
                rule=MONOTONY,
                reason=(
                    f"Held: last week's monotony was {monotony:.1f} (above {flag:g}, Foster "
                    "1998); vary easy and hard days before adding volume."
                ),
                before=f"{before:g} km",
                after=f"{before:g} km",
                numbers={"monotony": round(monotony, 2), "flag": flag},
            )
        ]
    worst = _worst_lower_limb(pain, today)
    if worst is not None:
        region, score = worst
        return [
            Decision(
                subject=RUN_VOLUME,
                name=name,
                action="hold",
                rule="pain-monitoring model: within the model",
                reason=(
                    f"As planned: {region.replace('_', ' ')} pain up to {score:g}/10 this week "
                    "stays within the pain-monitoring model (it settles by the next morning and "
                    "does not rise week to week), so the running holds rather than regresses."
                ),
                before=f"{before:g} km",
                after=f"{before:g} km",
                numbers={"region": region, "score": score, "during_max": th.pain.during_max},
            )
        ]
    return [
        Decision(
            subject=RUN_VOLUME,
            name=name,
            action="hold",
            rule=f"{SPIKE} and {MONOTONY}",
            reason="As planned: no single-run spike, no monotony flag and no pain above the model.",
            before=f"{before:g} km",
            after=f"{before:g} km",
            numbers=cast(
                dict[str, Number],
                {"spike_limit_ratio": th.spike.ratio, "monotony_flag": flag}
                | ({} if monotony is None else {"monotony": round(monotony, 2)}),
            ),
        )
    ]


def _governed_runs(plan: Plan, today: date, why: str) -> list[Decision]:
    """The running held as an open injury episode has it (its own rules move it)."""
    days = progconfig.load().runs.horizon_days
    km = sum(
        s.run_km
        for w in plan.weeks
        for s in w.sessions
        if today < s.date <= today + timedelta(days)
    )
    return [
        Decision(
            subject=RUN_VOLUME,
            name=running_ahead(today),
            action="hold",
            rule="injury episode",
            reason=f"As the injury episode has it: {why}.",
            before=f"{km:g} km",
            after=f"{km:g} km",
        )
    ]


def running_ahead(today: date) -> str:
    """The running decision's name: the days its kilometres cover (the next `horizon_days`
    after today, which is not the plan's calendar week), said as dates."""
    end = today + timedelta(days=progconfig.load().runs.horizon_days)
    return f"Running {today + timedelta(days=1):%a %d %b}–{end:%a %d %b}"


def _worst_lower_limb(pain: pd.DataFrame, today: date) -> tuple[str, float] | None:
    """The worst lower-limb pain of the model's week (to name it when the model accepts it)."""
    if pain.empty:
        return None
    start = pd.Timestamp(today - timedelta(days=thresholds.load().pain.window_days))
    p = pain[
        pain["region"].isin(list(LOWER_LIMB))
        & pain["when"].isin([*DURING, MORNING])
        & (pain["day"] > start)
        & (pain["day"] <= pd.Timestamp(today))
        & (pain["score"] > 0)
    ]
    if p.empty:
        return None
    top = painmodel.row_at_max(p, "score")
    return str(top["region"]), float(top["score"])


def _change_words(old_kind: str, how: str, dropped: list[str]) -> str:
    if old_kind in QUALITY_KINDS:
        easy = "run–walk" if how == "run–walk" else "an easy run"
        return f"This {_kind(old_kind)} session becomes {easy}: no quality running"
    if how == "run–walk":
        return "This run becomes run–walk"
    return f"This run keeps easy running only, without {', '.join(dropped)}"


def _pain_runs(
    plan: Plan,
    today: date,
    horizon: list[PlanSession],
    verdict: painmodel.Verdict,
    earlier: painmodel.Verdict | None,
    lib: Library,
) -> list[Decision]:
    """Pain above the model in the lower limb regresses the running (protocols §3, §5): the next
    week's runs cut, quality running turned easy, impact and fast drills and strides out, and
    run–walk where the pain persists from the week before."""
    cfg = progconfig.load().pain
    plan_cfg = planconfig.load_config()
    walk = plan_cfg["pain_running"]
    pacing = workouts.Pacing.make(plan_cfg, plan.pace_min_per_km, None, None)
    index = by_id(lib)
    rule = f"pain-monitoring model: {verdict.rule}"
    persists = earlier is not None
    before = sum(s.run_km for s in horizon)
    changes: list[Decision] = []
    for s in horizon:
        if s.kind == "race":
            continue
        old_kind, old_km = s.kind, s.run_km
        km = min(s.run_km, max(0.5, math.floor(s.run_km * (1 - cfg.run_cut) * 2) / 2))
        fast = [
            e
            for e in s.exercises
            if e.role == "drill" and e.id in index and (index[e.id].impact or index[e.id].fast)
        ]
        s.exercises = [e for e in s.exercises if e not in fast]
        strides = any("stride" in c.note for c in workouts.flat(s.steps))
        if s.kind in QUALITY_KINDS:
            s.kind = "easy_run"
        extras = [
            (e.name, e.sets, e.seconds, e.reps, e.rest_s, "")
            for e in s.exercises
            if e.role == "drill"
        ]
        if persists or old_kind in QUALITY_KINDS or strides or fast:
            long = s.kind == "long_run"
            if old_kind in QUALITY_KINDS and not persists:
                s.steps = workouts.easy_instead(
                    km, plan.pace_min_per_km, tuple(plan_cfg["rpe"]["easy"])
                )
            else:
                s.steps = workouts.easy(
                    km, pacing, long=long, extras=extras, run_walk=persists
                ).steps
        else:
            s.steps = workouts.resize(s.steps, s.run_km, km, plan.pace_min_per_km)
        s.run_km = km
        own = sum(exercise_minutes(e) for e in s.exercises if e.role != "drill")
        run_min = (
            workouts.steps_minutes(s.steps, plan.pace_min_per_km)
            if s.steps
            else km * plan.pace_min_per_km
        )
        s.minutes = min(600, math.ceil(own + run_min))
        how = "run–walk" if persists else _kind(s.kind)
        region = verdict.region.replace("_", " ")
        s.reason = f"Pain-monitoring model: {how} while the {region} settles. {s.reason}".strip()
        if old_kind in QUALITY_KINDS or persists or strides or fast:
            dropped = [e.name for e in fast] + (["strides"] if strides else [])
            what = f"{how} {km:g} km" + (f", without {', '.join(dropped)}" if dropped else "")
            changes.append(
                Decision(
                    subject=f"run {s.date.isoformat()}",
                    name=f"{_kind(old_kind).capitalize()} on {s.date:%a %d %b}",
                    action="regress",
                    rule=rule,
                    reason=(
                        f"{_change_words(old_kind, how, dropped)} (or cross-train for the same "
                        "minutes: bike, elliptical, pool running) while the pain is above the "
                        f"model: {verdict.text}."
                    ),
                    before=f"{_kind(old_kind)} {old_km:g} km",
                    after=what,
                    numbers=_verdict_numbers(verdict)
                    | {"km": km, "run_walk": str(persists).lower()},
                )
            )
    after = sum(s.run_km for s in horizon)
    reason = (
        f"Cut {cfg.run_cut * 100:g} % (the size of a deload, protocols §3; a convention for pain), "
        f"quality running replaced by easy running or cross-training: {verdict.text}."
    )
    numbers = _verdict_numbers(verdict) | {"cut": cfg.run_cut, "persists": str(persists).lower()}
    if earlier is not None:
        reason += (
            f" The pain persists from the week before ({earlier.text}), so easy runs become "
            f"run–walk ({walk['run_walk_run_s']} s running, {walk['run_walk_walk_s']} s "
            f"walking; stop or walk if the pain passes {walk['max_pain']}/10)."
        )
        numbers |= {
            "earlier_score": earlier.score,
            "run_walk_run_s": walk["run_walk_run_s"],
            "run_walk_walk_s": walk["run_walk_walk_s"],
        }
    volume = Decision(
        subject=RUN_VOLUME,
        name=running_ahead(today),
        action="regress",
        rule=rule,
        reason=reason,
        before=f"{before:g} km",
        after=f"{after:g} km",
        numbers=numbers,
    )
    return [volume, *changes]


# --- the command line's input: logs as JSON ---------------------------------------------------


def _not_after_today(v: date, info: ValidationInfo) -> date:
    if v < EARLIEST:
        raise ValueError(f"must be {EARLIEST} or later")
    today = (info.context or {}).get("today")
    if today is not None and v > today:
        raise ValueError(f"{v.isoformat()} is after today ({today.isoformat()})")
    return v


class LoggedSession(Strict):
    """A session as done (a lean `models.SessionLog`: no athlete, no watch figures)."""

    day: date
    kind: SessionKind
    rpe: Annotated[float, Field(ge=0, le=10, strict=True)] | None = None  # session RPE
    minutes: Annotated[float, Field(gt=0, le=600, strict=True)] | None = None
    run_km: Annotated[float, Field(ge=0, le=100, strict=True)] = 0.0
    exercises: list[ExerciseLog] = Field(default_factory=list)
    pain: list[SessionPain] = Field(default_factory=list)

    _day = field_validator("day")(_not_after_today)

    @model_validator(mode="after")
    def _run_fields(self) -> LoggedSession:
        if self.run_km and self.kind not in DISTANCE_KINDS:
            raise ValueError(f"run_km: a {self.kind} session has no run distance")
        return self


class MorningReport(Strict):
    """Next-morning pain (a lean `models.MorningPain`)."""

    day: date
    region: Region
    side: FindingSide | None = None
    score: Annotated[int, Field(ge=0, le=10, strict=True)]

    _day = field_validator("day")(_not_after_today)


class IntakeRun(Strict):
    """The latest assessment's longest recent run, on the assessment day."""

    km: Annotated[float, Field(gt=0, le=250, strict=True)]
    assessed_on: date


class ProgressionInput(Strict):
    """Everything the engine needs besides the plan (`python -m runform next --logs`)."""

    sessions: list[LoggedSession] = Field(default_factory=list)
    morning_pain: list[MorningReport] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)
    intake_longest_run: IntakeRun | None = None

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The exercise, pain and run frames in the store's shapes (`store.logs`)."""
        ex_rows: list[dict[str, Any]] = []
        pain_rows: list[dict[str, Any]] = []
        run_rows: list[dict[str, Any]] = []
        for i, s in enumerate(self.sessions, start=1):
            day = pd.Timestamp(s.day)
            for e in s.exercises:
                ex_rows.append(
                    {
                        "day": day,
                        "log_id": i,
                        "exercise_id": e.exercise_id,
                        "sets": e.sets,
                        "reps": e.reps,
                        "seconds": e.seconds,
                        "load_kg": e.load_kg,
                        "rpe": e.rpe,
                        "skipped": e.skipped,
                        "session_rpe": s.rpe,
                    }
                )
            pain_rows += [
                {"day": day, "region": p.region, "side": p.side, "score": p.score, "when": p.when}
                for p in s.pain
            ]
            if s.run_km:
                run_rows.append(
                    {"day": day, "run_km": s.run_km, "minutes": s.minutes, "rpe": s.rpe}
                )
        pain_rows += [
            {
                "day": pd.Timestamp(m.day),
                "region": m.region,
                "side": m.side,
                "score": m.score,
                "when": "next_morning",
            }
            for m in self.morning_pain
        ]
        ex_cols = ["day", "log_id", "exercise_id", "sets", "reps", "seconds", "load_kg", "rpe"]
        ex = pd.DataFrame(ex_rows, columns=[*ex_cols, "skipped", "session_rpe"])
        pain = pd.DataFrame(pain_rows, columns=["day", "region", "side", "score", "when"])
        runs = pd.DataFrame(run_rows, columns=["day", "run_km", "minutes", "rpe"])
        for f, cols in (
            (ex, ["reps", "seconds", "load_kg", "rpe", "session_rpe"]),
            (runs, ["run_km"]),
        ):
            for c in cols:
                f[c] = pd.to_numeric(f[c])
        return ex.sort_values("day", kind="stable"), pain, runs.sort_values("day", kind="stable")


class NextDose(BaseModel):
    """What `python -m runform next` prints: the proposed next week and every decision."""

    model_config = ConfigDict(extra="forbid")
    today: date
    changed: bool
    next_week: list[PlanSession]
    decisions: list[Decision]
    notes: list[str]


def next_dose(
    plan: Plan, given: ProgressionInput, today: date, lib: Library | None = None
) -> NextDose:
    """The engine over a plan and logs given as data (no database)."""
    ex, pain, runs = given.frames()
    intake = (
        (given.intake_longest_run.assessed_on, given.intake_longest_run.km)
        if given.intake_longest_run
        else None
    )
    result = progress(plan, today, ex, pain, runs, set(given.equipment), intake, None, lib)
    horizon = today + timedelta(days=progconfig.load().runs.horizon_days)
    return NextDose(
        today=today,
        changed=result.changed(),
        next_week=[s for _, s in result.plan.sessions() if today < s.date <= horizon],
        decisions=result.decisions,
        notes=result.notes,
    )
