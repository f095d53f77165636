"""Present mode's timers: a structured run flattened to the steps a runner does in turn, an
exercise's sets, sides and rests as phases, and where a timer stands after some seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from runform.exercises import tempo_seconds
from runform.models import PlanExercise, Step
from runform.plantext import amount_text, capital, effort_text, is_easy, step_head, target_where
from runform.vocab import SIDE_LABELS, STEP_LABELS


class Timed(Protocol):
    """A step or a phase: timed when it has a duration."""

    @property
    def duration_s(self) -> int | None: ...


@dataclass(frozen=True)
class FlatStep:
    """One step of a structured run as the runner meets it, with repeats written out.

    ``label`` says where it is ("Warm-up", "Rep 3 of 6", "Recovery 3 of 6", "Easy", "Cool-down");
    ``what`` its amount and pace ("800 m at 4:48–5:00 /km"), ``effort`` its RPE ("RPE 7–8").
    A step with ``duration_s`` can be counted down; the others end when the runner says so
    (a distance, or the lap button).
    """

    kind: str
    label: str
    what: str
    effort: str
    note: str
    duration_s: int | None
    distance_m: int | None

    @property
    def timed(self) -> bool:
        return self.duration_s is not None

    def text(self) -> str:
        """The item on one line, e.g. "Rep 3 of 6 · 800 m at 4:48–5:00 /km · RPE 7–8"."""
        return " · ".join(p for p in (self.label, self.what, self.effort, self.note) if p)


def _flat(step: Step, label: str) -> FlatStep:
    if step.kind == "work":  # the label says "Easy" or "Rep 3 of 6"; here the amount and pace
        what = " ".join(p for p in (amount_text(step), target_where(step.target)) if p)
    else:
        what = step_head(step, label=False)
    return FlatStep(
        kind=step.kind,
        label=label,
        what=capital(what),
        effort=effort_text(step.target),
        note=step.note,
        duration_s=step.duration_s,
        distance_m=step.distance_m,
    )


def flat_steps(steps: list[Step]) -> list[FlatStep]:
    """The steps in the order they are run: each repeat written out N times, each item labelled.

    In a repeat the work steps are "Rep i of N" and the recoveries "Recovery i of N"; a repeat
    with several work steps numbers its parts too: "Rep 2 of 3 (1/2)" is the first part of the
    second rep. Outside repeats a work step is "Easy" (RPE up to 4) or "Run".
    """
    out: list[FlatStep] = []
    for step in steps:
        if step.kind != "repeat":
            name = STEP_LABELS[step.kind]
            if step.kind == "work":
                name = "Easy" if is_easy(step.target) else "Run"
            out.append(_flat(step, name))
            continue
        n = step.repeat or 1
        works = [s for s in step.steps if s.kind == "work"]
        for i in range(1, n + 1):
            w = 0
            for inner in step.steps:
                if inner.kind == "work":
                    w += 1
                    part = f" ({w}/{len(works)})" if len(works) > 1 else ""
                    label = f"Rep {i} of {n}{part}"
                elif inner.kind == "recover":
                    label = f"Recovery {i} of {n}"
                else:
                    label = f"{STEP_LABELS[inner.kind]} {i} of {n}"
                item = _flat(inner, label)
                if step.note and inner.kind == "work":
                    item = replace(item, note=_join_notes(step.note, inner.note))
                out.append(item)
    return out


def _join_notes(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def advance(
    flat: Sequence[Timed], index: int, started: float | None, now: float
) -> tuple[int, float | None]:
    """Where a running step timer is at `now`: (current step, when that step began).

    A timed step that has run its time hands over to the next step at the moment it ended, so a
    run of timed steps keeps its rhythm; a distance or lap-button step waits for the runner's
    "next". The last step stays the last. Without a start (the timer not running) nothing moves.
    """
    if started is None or not flat:
        return index, started
    index = max(0, min(index, len(flat) - 1))
    while index < len(flat) - 1:
        step = flat[index]
        if step.duration_s is None or now - started < step.duration_s:
            break
        started += step.duration_s
        index += 1
    return index, started


def remaining_s(step: Timed, started: float | None, now: float) -> float | None:
    """Seconds left in a timed step (0 once it is over); None for an untimed one or no timer."""
    if step.duration_s is None:
        return None
    if started is None:
        return float(step.duration_s)
    return max(0.0, step.duration_s - (now - started))


# --- the exercise timer ---------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One phase of an exercise as the set timer walks through it: a set's work (on one side for
    a one-sided exercise) or the rest after a set.

    ``duration_s`` is None for reps without a tempo: nothing in data/ says how long a rep takes,
    so the runner counts them and the coach presses Next (no guessed seconds per rep).
    """

    kind: Literal["work", "rest"]
    label: str
    duration_s: int | None
    note: str = ""

    def text(self) -> str:
        return " · ".join(p for p in (self.label, self.note) if p)


def work_seconds(exercise: PlanExercise) -> int | None:
    """How long one set's work lasts on one side: its hold, or its reps at the prescribed tempo
    (the library's, e.g. 3-1-1-0 = 5 s a rep); None for reps without a tempo."""
    if exercise.seconds is not None:
        return exercise.seconds
    if exercise.reps is not None and exercise.tempo is not None:
        return exercise.reps * tempo_seconds(exercise.tempo)
    return None


def exercise_phases(exercise: PlanExercise) -> list[Phase]:
    """Every phase of the exercise in order: each set's work (left then right side for a
    one-sided exercise, straight after each other), and the prescribed rest after every set but
    the last."""
    seconds = work_seconds(exercise)
    if exercise.seconds is not None:
        note = f"hold {exercise.seconds} s"
    elif seconds is not None:
        note = f"{exercise.reps} reps at tempo {exercise.tempo}"
    else:
        note = f"{exercise.reps} reps: count them, no timer"
    sides: tuple[str | None, ...] = ("left", "right") if exercise.per_side else (None,)
    out: list[Phase] = []
    n = exercise.sets
    for i in range(1, n + 1):
        for side in sides:
            where = f" · {SIDE_LABELS[side].lower()} side" if side else ""
            out.append(Phase("work", f"Set {i} of {n}{where}", seconds, note))
        if i < n and exercise.rest_s > 0:
            out.append(Phase("rest", f"Rest before set {i + 1}", exercise.rest_s))
    return out


def total_seconds(phases: list[Phase]) -> int | None:
    """The whole exercise's time, when every phase is timed."""
    if any(p.duration_s is None for p in phases):
        return None
    return sum(p.duration_s or 0 for p in phases)
