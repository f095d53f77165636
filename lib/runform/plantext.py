"""The plan in words: session titles, doses and structured-run steps, as people read them.

Every view (the Plan page, Present mode, the Log) and every export (CSV, iCalendar, PDF, watch
workouts) words a plan with these functions, so it reads the same everywhere.
"""

from __future__ import annotations

from runform.models import PlanExercise, PlanSession, Step, StepTarget
from runform.paces import pace_text
from runform.vocab import KIND_LABELS, STEP_LABELS, label


def kind_label(kind: str) -> str:
    """The label for a session kind, tolerating kinds added to the model after this table."""
    return KIND_LABELS.get(kind, label(KIND_LABELS, kind).capitalize())


def km_text(x: float) -> str:
    """Kilometres as people write them: 8, 8.5 (never 8.0 or 8.499999)."""
    return f"{round(x, 1):g}"


def dose_text(ex: PlanExercise) -> str:
    """One line a runner can follow, e.g. "3 × 10 per side, tempo 3-1-1-0, rest 60 s"."""
    if ex.reps is not None and ex.seconds is not None:
        work = f"{ex.sets} × {ex.reps} × {ex.seconds} s"
    elif ex.reps is not None:
        work = f"{ex.sets} × {ex.reps}"
    elif ex.seconds is not None:
        work = f"{ex.sets} × {ex.seconds} s"
    else:
        work = f"{ex.sets} set" + ("" if ex.sets == 1 else "s")
    parts = [work + (" per side" if ex.per_side else "")]
    if ex.tempo:
        parts.append(f"tempo {ex.tempo}")
    if ex.rest_s:
        parts.append(f"rest {ex.rest_s} s")
    return ", ".join(parts)


def session_title(session: PlanSession) -> str:
    """A calendar-sized title, e.g. "Easy run 8 km (45 min)" or "Strength (35 min)"."""
    title = kind_label(session.kind)
    if session.run_km > 0:
        title += f" {km_text(session.run_km)} km"
    if session.minutes > 0:
        title += f" ({session.minutes} min)"
    return title


# --- structured runs (protocols §1 "steps") --------------------------------------------------

LAP_BUTTON = "until lap button"
STEPS_SEPARATOR = " | "  # between steps in one CSV cell
_EASY_RPE = 4  # a target whose RPE tops out here is easy running (protocols §5: easy 2–3)


def _n(x: float) -> str:
    return f"{x:g}"


def _band(lo: float, hi: float, unit: str = "") -> str:
    """ "2–3", or "7" when both ends agree; the unit after the band."""
    text = _n(lo) if lo == hi else f"{_n(lo)}–{_n(hi)}"
    return text + (f" {unit}" if unit else "")


def duration_text(seconds: int) -> str:
    """A step's time as runners say it: "90 s" is "1 min 30 s"; "15 min", "1 h 15 min"."""
    if seconds < 60:
        return f"{seconds} s"
    m, s = divmod(seconds, 60)
    if s:
        return f"{m} min {s} s"
    h, m = divmod(m, 60)
    if not h:
        return f"{m} min"
    return f"{h} h {m} min" if m else f"{h} h"


def distance_text(metres: int) -> str:
    """A step's distance: "400 m", "1200 m", "1 km", "5 km", "21.1 km"."""
    if metres < 1000 or (metres < 2000 and metres % 1000):
        return f"{metres} m"
    return f"{round(metres / 1000, 2):g} km"


def amount_text(step: Step) -> str:
    """How long a step lasts: a time, a distance, or until the runner presses the lap button."""
    if step.duration_s is not None:
        return duration_text(step.duration_s)
    if step.distance_m is not None:
        return distance_text(step.distance_m)
    return LAP_BUTTON


def target_where(target: StepTarget | None) -> str:
    """The pace and heart-rate part of a target: "at 4:48–5:00 /km or 117–146 bpm", or ""."""
    if target is None:
        return ""
    where = []
    if target.pace_s_per_km is not None:
        fast, slow = target.pace_s_per_km
        pace = pace_text(fast) if fast == slow else f"{pace_text(fast)}–{pace_text(slow)}"
        where.append(f"{pace} /km")
    if target.hr_bpm is not None:
        where.append(_band(*target.hr_bpm, "bpm"))
    return ("at " + " or ".join(where)) if where else ""


def effort_text(target: StepTarget | None) -> str:
    """The CR-10 effort of a target: "RPE 7–8", or "" without a target."""
    return f"RPE {_band(*target.rpe)}" if target is not None else ""


def is_easy(target: StepTarget | None) -> bool:
    return target is None or target.rpe[1] <= _EASY_RPE


def step_head(step: Step, *, label: bool) -> str:
    """Amount, "easy" where that says it all, pace and heart rate; led by the step's name if
    `label` ("Warm-up 15 min easy"), else as it reads inside a repeat ("400 m jog")."""
    amount = amount_text(step)
    where = target_where(step.target)
    if step.kind in ("warmup", "cooldown"):
        easy = "easy" if not where and is_easy(step.target) else ""
        name = STEP_LABELS[step.kind] if label else ""
        order = (name, easy, amount) if amount == LAP_BUTTON else (name, amount, easy)
        head = " ".join(p for p in order if p)
    elif step.kind == "recover":
        head = f"{STEP_LABELS['recover']} {amount}" if label else _jog(amount, step.note)
    elif is_easy(step.target):  # work at an easy effort: "Easy 40 min", in a repeat "4 min easy"
        head = f"Easy {amount}" if label else f"{amount} easy"
    else:
        head = amount
    return " ".join(p for p in (head, where) if p)


def _core(step: Step, *, label: bool) -> str:
    """A step's line without its note: the head, then the RPE (a recovery in a repeat without:
    "400 m jog" says it, and the watch file still has the band)."""
    effort = "" if step.kind == "recover" and not label else effort_text(step.target)
    return ", ".join(p for p in (step_head(step, label=label), effort) if p)


def _jog(amount: str, note: str = "") -> str:
    """A recovery inside a repeat: a jog, or a walk where the step says so (run–walk)."""
    how = "walk" if note.lower().startswith("walk") else "jog"
    return f"{how} {amount}" if amount == LAP_BUTTON else f"{amount} {how}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_notes(text: str, notes: list[str]) -> str:
    """The text, then its notes after a dash ("— fast but relaxed; walk back"); a note the text
    already says ("jog" after "2 min jog") or a repeated one is left out."""
    kept: list[str] = []
    for note in notes:
        if note and note.lower() not in text.lower() and note not in kept:
            kept.append(note)
    return text + (f" — {'; '.join(kept)}" if kept else "")


def step_text(step: Step) -> str:
    """One step in words a runner follows.

    "Warm-up 15 min easy, RPE 2–3"; "Easy 40 min at 6:10–7:18 /km or 117–146 bpm, RPE 2–3";
    "6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog"; "Until lap button, RPE 5–6"; notes
    (drills, "metronome at 172 spm") follow after a dash, a repeat's and its steps' together.
    """
    if step.kind != "repeat":
        return _with_notes(capital(_core(step, label=True)), [step.note])
    parts = [_core(s, label=False) for s in step.steps]
    body = ", ".join(parts)
    if len(parts) > 2 or sum(s.kind != "recover" for s in step.steps) > 1:
        body = f"({body})"
    return _with_notes(f"{step.repeat} × {body}", [step.note, *(s.note for s in step.steps)])


def steps_text(steps: list[Step]) -> list[str]:
    """A structured run as lines, one per step (a repeat is one line: "6 × 800 m ...")."""
    return [step_text(s) for s in steps]
