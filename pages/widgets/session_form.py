"""The session form of the Log: a planned session, an unplanned one, or a logged one to edit.

It reads what the runner did (exercises, minutes, effort, the run's figures or the watch file,
pain, a note) and hands it back as the raw log for `training_log.log_session` or `update_log`;
it writes nothing itself.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, NamedTuple

import streamlit as st

from pages.core import cache
from pages.core.run import FORM, Slots
from pages.widgets import metronome
from pages.widgets.pain import pain_rows
from runform import activities, plantext, scales
from runform.models import ExerciseLog, PlanExercise, PlannedRef, PlanSession, SessionLog
from runform.services import cadence, training_log
from runform.vocab import (
    KIND_LABELS,
    LOGGED_ROLES,
    RUN_KINDS,
    SESSION_KINDS,
    SESSION_PAIN_WHEN,
    label,
)

SCALES = scales.load()
RUN_FIELDS = ("run_km", "cadence_spm", "ground_contact_ms", "vertical_oscillation_cm")
_SUBMISSION = "submission"  # ends the key of a new log's submission id, per form


class Submitted(NamedTuple):
    """A submitted form: the raw log, the watch file's bytes (FIT, GPX or TCX, if one was
    uploaded), its slots."""

    raw: dict[str, Any]
    fit: bytes | None
    slots: Slots


def rpe_label(value: int) -> str:
    """An effort as a number and its CR-10 words ("4 · Somewhat hard")."""
    return SCALES.rpe.label(value)


def forget_submissions() -> None:
    """After a save: the next submission of any form is a new one."""
    for key in [k for k in st.session_state if str(k).endswith(_SUBMISSION)]:
        del st.session_state[key]


def _exercises(
    prefix: str,
    planned: training_log.Planned | None,
    existing: SessionLog | None,
    slots: Slots,
) -> list[dict[str, Any]]:
    """One row per exercise (a logged session's, or the planned main work and drills)."""
    items: list[tuple[str, ExerciseLog | None, PlanExercise | None]] = (
        [(e.exercise_id, e, None) for e in existing.exercises]
        if existing
        else [(e.id, None, e) for e in planned.session.exercises if e.role in LOGGED_ROLES]
        if planned
        else []
    )
    if items:
        st.markdown("**Exercises**: what you did (top set).")
    done = []
    for pos, (ex_id, logged, plan_ex) in enumerate(items):
        c0, c1, c2, c3, c4 = st.columns([3, 1, 1, 1, 1], vertical_alignment="bottom")
        if plan_ex is not None:
            c0.markdown(f"{plan_ex.name}  \n:gray[{plantext.dose_text(plan_ex)}]")
        else:
            c0.markdown(training_log.exercise_name(ex_id))
        src = logged or plan_ex
        assert src is not None  # every item has one or the other
        timed = src.seconds is not None and src.reps is None
        sets = c1.number_input("Sets", value=src.sets, step=1, key=f"{prefix}ex{pos}_sets")
        amount = c2.number_input(
            "Seconds" if timed else "Reps",
            value=src.seconds if timed else src.reps,
            step=1,
            key=f"{prefix}ex{pos}_amount",
        )
        load_kg = c3.number_input(
            "Load (kg)",
            value=logged.load_kg if logged else None,
            step=0.5,
            format="%.1f",
            key=f"{prefix}ex{pos}_load",
        )
        skipped = c4.checkbox(
            "Skipped", value=bool(logged and logged.skipped), key=f"{prefix}ex{pos}_skip"
        )
        done.append(
            {
                "exercise_id": ex_id,
                "position": pos,
                "sets": 0 if skipped else sets,
                "reps": None if timed else amount,
                "seconds": amount if timed else None,
                "load_kg": load_kg,
                "skipped": skipped,
            }
        )
    slots.add("exercises")
    return done


# The running-form figures a runner types: field, label, key suffix, step, display precision.
FORM_FIGURES = (
    ("cadence_spm", "Cadence (steps/min)", "cad", 1.0, "%.0f"),
    ("ground_contact_ms", "Ground contact (ms)", "gct", 1.0, "%.0f"),
    ("vertical_oscillation_cm", "Vertical oscillation (cm)", "vo", 0.1, "%.1f"),
)


def _run(
    prefix: str, base: SessionLog | PlanSession | None, existing: SessionLog | None
) -> tuple[dict[str, Any], bytes | None]:
    """The run's figures (typed), and the watch file for a new log."""
    st.markdown("**Run**: type the figures, or upload the file your watch or app saved.")
    c1, c2, c3, c4 = st.columns(4)
    figures = {
        "run_km": c1.number_input(
            "Distance (km)",
            value=float(base.run_km) if base else None,
            step=0.5,
            format="%.1f",
            key=f"{prefix}km",
        ),
    }
    for column, (field, words, suffix, step, fmt) in zip((c2, c3, c4), FORM_FIGURES, strict=True):
        figures[field] = column.number_input(
            words,
            value=getattr(existing, field) if existing else None,
            step=step,
            format=fmt,
            key=f"{prefix}{suffix}",
        )
    if existing is not None:
        return figures, None
    upload = st.file_uploader(
        f"Watch or app file (.fit, .gpx or .tcx, gzipped too; up to {activities.MAX_FILE_MB} MB)",
        type=["fit", "gpx", "tcx", "gz"],
        key=f"{prefix}fit",
        max_upload_size=activities.MAX_FILE_MB,
    )
    return figures, upload.getvalue() if upload else None


def session_form(
    prefix: str,
    athlete_id: int,
    day: date,
    *,
    planned: training_log.Planned | None = None,
    existing: SessionLog | None = None,
) -> Submitted | None:
    """The form (every key starts with `prefix`); what was submitted, or None until then.

    A planned session logs its kind and exercises; an unplanned one asks for the kind; an
    existing log (`existing`) is edited as it was stored.
    """
    slots = Slots()
    base = existing or (planned.session if planned else None)
    if planned is not None and cadence.has_drill(planned.session):
        metronome.player(cache.read(cadence.target, athlete_id), key=f"{prefix}metronome")
    with st.form(f"{prefix}form", enter_to_submit=False):
        if planned is not None:
            kind = planned.session.kind
        else:
            kind = st.selectbox(
                "Kind of session",
                SESSION_KINDS,
                index=SESSION_KINDS.index(existing.kind if existing else "easy_run"),
                format_func=lambda k: label(KIND_LABELS, k),
                key=f"{prefix}kind",
            )
        done = _exercises(prefix, planned, existing, slots)
        c1, c2 = st.columns(2)
        minutes = c1.number_input(
            "Duration (minutes)",
            value=float(base.minutes) if base else 45.0,
            step=5.0,
            format="%.0f",  # a watch file's 23.9 min is kept, shown whole as in the history
            key=f"{prefix}minutes",
        )
        slots.add("minutes")
        with c2:
            rpe = st.select_slider(
                "Session effort (RPE, CR-10)",
                options=list(range(11)),
                value=int(existing.rpe) if existing else 4,
                format_func=rpe_label,
                key=f"{prefix}rpe",
                help=SCALES.rpe.source,
            )
        slots.add("rpe")
        figures: dict[str, Any] = {}
        fit = None
        if kind in RUN_KINDS:
            figures, fit = _run(prefix, base, existing)
            for field in (*RUN_FIELDS, "fit"):
                slots.add(field)
        had = [p.model_dump() for p in existing.pain] if existing else []
        pain = pain_rows(prefix, slots, rows=2, whens=SESSION_PAIN_WHEN, had=had)
        note = st.text_area(
            "Note", existing.note if existing else "", key=f"{prefix}note", height=68
        )
        slots.add("note")
        match = _match(prefix, athlete_id, existing) if existing else None
        slots.add("planned")
        slots.add(FORM)
        button = "Save changes" if existing else "Save log"
        if not st.form_submit_button(button, type="primary", key=f"{prefix}save"):
            return None
    ref = planned.ref if planned else match if existing else None
    raw: dict[str, Any] = {
        "athlete_id": athlete_id,
        "day": day,
        "kind": kind,
        "minutes": minutes,
        "rpe": float(rpe),
        "exercises": done,
        "pain": pain,
        "note": note,
        "planned": ref.model_dump() if ref else None,
        **{k: v for k, v in figures.items() if v is not None},
    }
    if existing is None:  # a retried or double-clicked submission finds the log it wrote
        raw["submission_id"] = st.session_state.setdefault(
            f"{prefix}{_SUBMISSION}", secrets.token_urlsafe(32)
        )
    return Submitted(raw, fit, slots)


def _match(prefix: str, athlete_id: int, existing: SessionLog) -> PlannedRef | None:
    """Which planned session of its day a logged session fulfils (an import's match), or none."""
    todays = cache.read(training_log.planned_on, athlete_id, existing.day)
    choices: dict[str, PlannedRef | None] = {"Unplanned": None}
    for p in todays:
        title = plantext.session_title(p.session)
        choices[title if title not in choices else f"{title} ({p.ref.position + 1})"] = p.ref
    now = next((k for k, v in choices.items() if v == existing.planned), None)
    if now is None:  # a plan since replaced: keep the stored match as it is
        choices["As logged (an earlier plan)"] = existing.planned
        now = "As logged (an earlier plan)"
    picked = st.selectbox(
        "Planned session it fulfils",
        list(choices),
        index=list(choices).index(now),
        key=f"{prefix}planned",
        help="An imported run is matched to the day's planned run of the closest duration; "
        "change it here. A run takes the kind of the planned run it fulfils.",
    )
    return choices[picked]
