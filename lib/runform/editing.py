"""Changes to a saved plan: swap an exercise, change a dose, move or delete a session, and adapt a
whole week to travel, illness, a niggle or race week. Pure: a plan in, a new plan out."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from runform import workouts
from runform.errors import InvalidInput
from runform.exercises import (
    Exercise,
    Library,
    by_id,
    chain,
    equipment_free,
    load_library,
    pain_regression,
)
from runform.models import Plan, PlanExercise, PlanSession, PlanWeek
from runform.planning import load_config, minutes, session_minutes
from runform.vocab import ADAPT_LABELS, KIND_LABELS, LOWER_LIMB, AdaptEvent


def _easy_rpe() -> tuple[float, float]:
    lo, hi = load_config()["rpe"]["easy"]
    return (lo, hi)


class EditError(InvalidInput):
    """An edit that cannot apply (unknown week, session or exercise); the message says which."""


def _week(plan: Plan, index: int) -> PlanWeek:
    for w in plan.weeks:
        if w.index == index:
            return w
    raise EditError(f"week {index} is not in this plan (1–{len(plan.weeks)})")


def session_at(plan: Plan, week: int, position: int) -> PlanSession:
    """The session at `position` of week `week`; EditError when there is none."""
    w = _week(plan, week)
    if not 0 <= position < len(w.sessions):
        raise EditError(f"week {week} has no session {position + 1}")
    return w.sessions[position]


def exercise_at(plan: Plan, week: int, position: int, index: int) -> PlanExercise:
    """The exercise at `index` of that session; EditError when there is none."""
    s = session_at(plan, week, position)
    if not 0 <= index < len(s.exercises):
        raise EditError(f"that session has no exercise {index + 1}")
    return s.exercises[index]


def _retime(plan: Plan, week: int) -> Plan:
    """The changed week's session minutes and total follow from its exercises and distances."""
    retime(_week(plan, week), plan.pace_min_per_km)
    return Plan.model_validate(plan.model_dump())


def retime(w: PlanWeek, pace_min_per_km: float) -> None:
    """A week's session minutes and run total from its exercises, steps and distances (a
    reassessment keeps its planned time, which is not made of exercises), in place."""
    for s in w.sessions:
        retime_session(s, pace_min_per_km)
    w.sessions.sort(key=lambda s: s.date)
    w.run_km = round(sum(s.run_km for s in w.sessions), 1)


def retime_session(s: PlanSession, pace_min_per_km: float) -> None:
    """A session's minutes from its exercises and its steps (or distance), in place."""
    if s.steps:
        own = sum(minutes(e) for e in s.exercises if e.role != "drill")
        s.minutes = math.ceil(own + workouts.steps_minutes(s.steps, pace_min_per_km))
    elif s.kind != "reassessment":
        s.minutes = session_minutes(s.exercises, s.run_km, pace_min_per_km)


def alternatives(ex_id: str, equipment: set[str], lib: Library | None = None) -> list[Exercise]:
    """What a coach may swap in: the easier and harder variants, then others sharing a target."""
    lib = lib or load_library()
    index = by_id(lib)
    ex = index[ex_id]
    linked = [index[i] for i in (ex.easier, ex.harder) if i is not None]
    shared = [
        o
        for o in lib.exercises
        if o.id != ex.id and set(o.targets) & set(ex.targets) and o not in linked
    ]
    return [o for o in [*linked, *shared] if o.fits(equipment) and o.id != ex.id]


def _from_library(ex: Exercise, old: PlanExercise, reason: str) -> PlanExercise:
    d = ex.dose
    return PlanExercise(
        id=ex.id,
        name=ex.name,
        targets=old.targets,
        sets=old.sets,
        reps=d.reps_low if d.reps_low is not None else None,
        seconds=d.seconds,
        per_side=d.per_side,
        tempo=d.tempo,
        rest_s=d.rest_s,
        role=old.role,
        cues=ex.coaching_cues(old.role),
        reason=reason,
    )


def swap_exercise(
    plan: Plan, week: int, position: int, exercise: int, new_id: str, lib: Library | None = None
) -> Plan:
    lib = lib or load_library()
    plan = plan.model_copy(deep=True)
    s = session_at(plan, week, position)
    if not 0 <= exercise < len(s.exercises):
        raise EditError(f"that session has no exercise {exercise + 1}")
    index = by_id(lib)
    if new_id not in index:
        raise EditError(f"unknown exercise id {new_id!r}")
    old = s.exercises[exercise]
    s.exercises[exercise] = _from_library(
        index[new_id], old, f"swapped in by the coach for {old.name}"
    )
    return _retime(plan, week)


def set_dose(
    plan: Plan,
    week: int,
    position: int,
    exercise: int,
    *,
    sets: int | None,  # None (a cleared cell in the week editor) fails validation, as 0 does
    reps: int | None,
    seconds: int | None,
) -> Plan:
    plan = plan.model_copy(deep=True)
    s = session_at(plan, week, position)
    if not 0 <= exercise < len(s.exercises):
        raise EditError(f"that session has no exercise {exercise + 1}")
    ex = s.exercises[exercise]
    s.exercises[exercise] = PlanExercise.model_validate(
        {**ex.model_dump(), "sets": sets, "reps": reps, "seconds": seconds}
    )
    return _retime(plan, week)


def move_sessions(plan: Plan, week: int, moves: dict[int, date]) -> Plan:
    """Move sessions (by position) to other days of the same week, all at once."""
    plan = plan.model_copy(deep=True)
    first = plan.start + timedelta(weeks=week - 1)
    sessions = [session_at(plan, week, p) for p in moves]
    for s, day in zip(sessions, moves.values(), strict=True):
        if not first <= day <= first + timedelta(days=6):
            raise EditError(f"move within week {week}: {first} to {first + timedelta(days=6)}")
        s.date = day
    return _retime(plan, week)


def delete_session(plan: Plan, week: int, position: int) -> Plan:
    plan = plan.model_copy(deep=True)
    session_at(plan, week, position)
    del _week(plan, week).sessions[position]
    return _retime(plan, week)


def spare_region(
    s: PlanSession, region: str, equipment: set[str], label: str, lib: Library | None = None
) -> list[PlanExercise]:
    """The pain-led rule for one session (protocols §3, §5): each main exercise that loads
    `region` becomes its pain regression (`exercises.pain_regression`: an easier variant or an
    alternative that spares it), or is paused when none does. Changes `s` in place; returns the
    exercises paused. `label` heads each replacement's reason."""
    lib = lib or load_library()
    index = by_id(lib)
    paused: list[PlanExercise] = []
    for i, e in enumerate(s.exercises):
        if e.id not in index or region not in index[e.id].regions or e.role != "main":
            continue
        other = pain_regression(lib, e.id, equipment, region)
        if other is None:
            paused.append(e)
            continue
        easier = {x.id for x in chain(lib, e.id, "easier")}
        what = "easier variant" if other.id in easier else "alternative"
        new = _from_library(other, e, f"{label}: {what} that spares the {region} while it settles")
        new.sets = e.sets
        s.exercises[i] = new
    s.exercises = [e for e in s.exercises if e not in paused]
    return paused


def adapt_week(
    plan: Plan,
    week: int,
    kind: AdaptEvent,
    *,
    equipment: set[str],
    region: str | None = None,
    lib: Library | None = None,
) -> Plan:
    """The article's flexible protocol in one action; each change says why in its reason."""
    lib = lib or load_library()
    cfg = load_config()["adapt"]
    index = by_id(lib)
    plan = plan.model_copy(deep=True)
    w = _week(plan, week)
    if kind == "niggle" and not region:
        raise EditError("choose the region of the niggle")
    label = ADAPT_LABELS[kind]

    def replace(s: PlanSession, i: int, ex: Exercise, why: str) -> None:
        old = s.exercises[i]
        new = _from_library(ex, old, f"{label}: {why}")
        new.sets = old.sets
        s.exercises[i] = new

    def scale_sets(s: PlanSession, share: float) -> None:
        for e in s.exercises:
            if e.role == "main":
                e.sets = max(1, math.floor(e.sets * share))

    def run(s: PlanSession, share: float, easy: bool = False) -> None:
        km = math.floor(s.run_km * share * 2) / 2
        planned = f"{KIND_LABELS[s.kind].lower()} {s.run_km:g} km"
        if easy and s.kind in ("tempo", "intervals", "long_run"):
            s.kind = "easy_run"
            s.steps = workouts.easy_instead(km, plan.pace_min_per_km, _easy_rpe())
        else:
            s.steps = workouts.resize(s.steps, s.run_km, km, plan.pace_min_per_km)
        s.run_km = km
        # the planner's reason described the run as planned ("Long steady run: 8 km, …"): it
        # gives way to what the run is now, so the card's title, steps and reason agree
        now = f"{KIND_LABELS[s.kind].lower()} {km:g} km"
        s.reason = f"{label}: {now} instead of the {planned} planned."

    first = plan.start + timedelta(weeks=week - 1)
    if kind == "travel":
        for s in w.sessions:
            for i, e in enumerate(s.exercises):
                if e.id in index and index[e.id].equipment:
                    replace(s, i, equipment_free(lib, e.id), f"equipment-free for {e.name}")
            scale_sets(s, cfg["travel_session_share"])
            if s.run_km:
                run(s, cfg["travel_session_share"])
    elif kind == "illness":
        rest_until = first + timedelta(days=cfg["illness_rest_days"])
        w.sessions = [
            s
            for s in w.sessions
            if s.date >= rest_until and s.kind not in ("strength", "tempo", "intervals")
        ]
        for s in w.sessions:
            if s.run_km:
                run(s, cfg["illness_return_share"], easy=True)
        w.notes.append(
            f"{label}: no training until {rest_until:%a %d %b}, then easy; stop if it feels "
            "worse and see a doctor if symptoms persist."
        )
    elif kind == "niggle":
        assert region is not None  # checked at the top
        for s in w.sessions:
            for e in spare_region(s, region, equipment, label, lib):
                w.notes.append(
                    f"{label}: {e.name} paused on {s.date:%a %d %b} until the {region} settles "
                    "(no easier variant or alternative spares it)."
                )
            if s.run_km and region in LOWER_LIMB:
                run(s, cfg["niggle_run_share"], easy=True)
        w.notes.append(f"{label} ({region.replace('_', ' ')}): see a clinician if it persists.")
    else:
        for s in w.sessions:
            scale_sets(s, cfg["taper_set_share"])
            if s.run_km:
                run(s, cfg["taper_run_share"])
        w.notes.append(f"{label}: less volume, same rhythm, so the legs are fresh on race day.")
    if kind == "travel":
        w.notes.append(label)
    return _retime(plan, week)


def set_run_km(plan: Plan, week: int, position: int, km: float) -> Plan:
    plan = plan.model_copy(deep=True)
    s = session_at(plan, week, position)
    if not s.run_km and km:
        raise EditError(f"{s.kind.replace('_', ' ')} on {s.date} is not a run")
    s.steps = workouts.resize(s.steps, s.run_km, km, plan.pace_min_per_km)
    s.run_km = km
    return _retime(plan, week)


def apply_week_edits(
    plan: Plan,
    week: int,
    sessions: list[dict],
    exercises: list[dict],
) -> tuple[Plan, list[str]]:
    """Apply a coach's table edits to one week; return the new plan and what changed.

    `sessions` rows: position, date, run_km, delete. `exercises` rows: position (session),
    exercise (index in it), id, sets, reps, seconds.
    Doses go first, then distances and moves, then deletions, so positions hold.
    """
    w = _week(plan, week)
    changes: list[str] = []
    for row in exercises:
        pos, i = int(row["position"]), int(row["exercise"])
        old = session_at(plan, week, pos).exercises[i]
        dose = (_whole(row.get("sets")), _whole(row.get("reps")), _whole(row.get("seconds")))
        if dose != (old.sets, old.reps, old.seconds):
            try:
                plan = set_dose(plan, week, pos, i, sets=dose[0], reps=dose[1], seconds=dose[2])
            except ValueError as e:
                raise EditError(f"{old.name}: sets 1–10, reps 1–100, seconds 1–3600 ({e})") from e
            changes.append(f"{old.name}: {dose[0]} sets")
    for row in sessions:
        pos = int(row["position"])
        s = session_at(plan, week, pos)
        km = float(row.get("run_km") or 0)
        if not math.isfinite(km) or not 0 <= km <= 100:
            raise EditError(f"{s.date}: run distance must be 0–100 km")
        if km != s.run_km:
            plan = set_run_km(plan, week, pos, km)
            changes.append(f"{s.date:%a}: run {km:g} km")
    deleted = sorted(int(r["position"]) for r in sessions if r.get("delete"))
    moves = {
        int(r["position"]): r["date"]
        for r in sessions
        if int(r["position"]) not in deleted and r["date"] != w.sessions[int(r["position"])].date
    }
    # Deleting keeps the order of the rest, so delete first and shift the moves' positions.
    for p in reversed(deleted):
        plan = delete_session(plan, week, p)
    changes += [f"deleted session {p + 1}" for p in deleted]
    if moves:
        shifted = {p - sum(d < p for d in deleted): day for p, day in moves.items()}
        plan = move_sessions(plan, week, shifted)
        changes += [f"moved session {p + 1} to {day:%a %d %b}" for p, day in moves.items()]
    return plan, changes


def _whole(v: Any) -> int | None:
    """A whole number from an edited cell, or None when it is blank (None or NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v)
