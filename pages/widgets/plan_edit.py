"""The Plan page's changes to a week: the sessions and exercises tables, the exercise swap, the
adapt form, and the versions with a restore. Each returns what the coach asked for (None until a
button is pressed) with the slots its errors go to; the page hands it to a service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from runform import plantext
from runform.models import PlanSession, PlanWeek
from runform.services.plans import Swappable
from runform.vocab import (
    ADAPT_EVENTS,
    ADAPT_LABELS,
    LOGGED_ROLES,
    REGION_LABELS,
    REGIONS,
    VERSION_STATUS_LABELS,
    AdaptEvent,
    Region,
    label,
)

SESSION_COLUMNS = ["position", "date", "session", "run_km", "delete"]
EXERCISE_COLUMNS = ["position", "exercise", "session", "name", "id", "sets", "amount", "unit"]


@dataclass
class WeekEdit:
    sessions: list[dict[Any, Any]]  # the tables' rows, as edited
    exercises: list[dict[Any, Any]]
    confirmed: bool
    slots: Slots


@dataclass
class Swap:
    position: int
    index: int
    to: str
    slots: Slots


@dataclass
class Adapt:
    event: AdaptEvent
    region: Region | None
    slots: Slots


def short_name(session: PlanSession) -> str:
    """A session as the tables name it: "Tue Strength"."""
    return f"{session.date:%a} {plantext.kind_label(session.kind)}"


def week_tables(week: PlanWeek, first: date, key: str) -> WeekEdit | None:
    """The week's sessions (day, distance, delete) and exercises (doses) as editable tables."""
    sessions = pd.DataFrame(
        [
            {
                "position": p,
                "date": s.date,
                "session": plantext.session_title(s),
                "run_km": s.run_km,
                "delete": False,
            }
            for p, s in enumerate(week.sessions)
        ],
        columns=SESSION_COLUMNS,
    )
    exercises = [
        {
            "position": p,
            "exercise": i,
            "session": short_name(s),
            "name": e.name,
            "id": e.id,
            "sets": e.sets,
            "amount": e.reps if e.reps is not None else e.seconds,
            "unit": "reps" if e.reps is not None else "s",
        }
        for p, s in enumerate(week.sessions)
        for i, e in enumerate(s.exercises)
        if e.role in LOGGED_ROLES  # the calendar's rows: warm-ups and cool-downs stay in it
    ]
    st.markdown("**Sessions**: change the day (within the week), the distance, or delete.")
    edited_sessions = st.data_editor(
        sessions,
        hide_index=True,
        disabled=["position", "session"],
        column_order=["date", "session", "run_km", "delete"],
        column_config={
            "date": st.column_config.DateColumn(
                "Day", min_value=first, max_value=first + timedelta(days=6), format="ddd D MMM"
            ),
            "session": "Session",
            "run_km": st.column_config.NumberColumn(
                "Run (km)", min_value=0, max_value=100, step=0.5, format="%.1f"
            ),
            "delete": st.column_config.CheckboxColumn("Delete"),
        },
        key=f"sessions_{key}",
    )
    st.markdown("**Exercises**: change a dose (reps, or seconds for a hold).")
    edited_exercises = st.data_editor(
        # the columns named, so a week of plain runs (no exercise) still gets its table
        pd.DataFrame(exercises, columns=EXERCISE_COLUMNS),
        hide_index=True,
        disabled=["position", "exercise", "session", "name", "id", "unit"],
        column_order=["session", "name", "sets", "amount", "unit"],
        column_config={
            "session": "Session",
            "name": "Exercise",
            "sets": st.column_config.NumberColumn(
                "Sets", min_value=1, max_value=10, step=1, format="%d"
            ),
            "amount": st.column_config.NumberColumn(
                "Reps or seconds", min_value=1, max_value=3600, step=1, format="%d"
            ),
            "unit": "Unit",
        },
        key=f"exercises_{key}",
    )
    to_delete = int(edited_sessions["delete"].sum())
    slots = Slots()
    confirmed = st.checkbox(
        f"Yes, delete {to_delete} session(s)", disabled=not to_delete, key=f"confirm_{key}"
    )
    slots.add("confirm")
    pressed = st.button("Save changes as a new version", type="primary", key=f"save_{key}")
    slots.add(FORM)
    if not pressed:
        return None
    return WeekEdit(
        edited_sessions.to_dict("records"),
        [doses(r) for r in edited_exercises.to_dict("records")],
        confirmed,
        slots,
    )


def doses(row: dict[Any, Any]) -> dict[Any, Any]:
    """An edited exercise row as the service reads it: its amount as reps or seconds."""
    reps = row["unit"] == "reps"
    out = {k: v for k, v in row.items() if k not in ("amount", "unit")}
    return out | {
        "reps": row["amount"] if reps else None,
        "seconds": None if reps else row["amount"],
    }


def swap_picker(week: PlanWeek, swappable: list[Swappable], key: str) -> Swap | None:
    """One exercise of the week and what to swap it for (alternatives that fit the equipment)."""
    st.markdown(
        "**Swap an exercise** for an easier, harder or related one that fits the equipment."
    )
    by_place = {(s.position, s.index): s for s in swappable}
    c1, c2, c3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    picked = c1.selectbox(
        "Exercise",
        list(by_place),
        format_func=lambda pi: (
            f"{short_name(week.sessions[pi[0]])} · {week.sessions[pi[0]].exercises[pi[1]].name}"
        ),
        key=f"swap_from_{key}",
    )
    choices = by_place[picked].choices if picked else []
    names: dict[str, str] = {c.id: c.name for c in choices}
    to = c2.selectbox("Swap to", list(names), format_func=lambda i: names[i], key=f"swap_to_{key}")
    pressed = c3.button("Swap", key=f"swap_{key}", disabled=not choices)
    slots = Slots()
    slots.add(FORM)
    if not (pressed and picked and to):
        return None
    return Swap(picked[0], picked[1], to, slots)


def adapt_form(key: str) -> Adapt | None:
    """What happened this week (travel, illness, a niggle and where, race week)."""
    slots = Slots()
    with st.form(f"adapt_{key}", enter_to_submit=False):
        event = st.radio(
            "What happened this week?",
            ADAPT_EVENTS,
            format_func=lambda e: label(ADAPT_LABELS, e),
            key=f"adapt_kind_{key}",
        )
        region = st.selectbox(
            "Region (for a niggle)",
            [None, *REGIONS],
            format_func=lambda r: "—" if r is None else label(REGION_LABELS, r),
            key=f"adapt_region_{key}",
        )
        slots.add("region")
        slots.add(FORM)
        pressed = st.form_submit_button("Adapt the week", type="primary", key=f"adapt_go_{key}")
    if not pressed:
        return None
    return Adapt(event, region, slots)


def version_label(version: int, status: str, note: str, current: int) -> str:
    """A version as the Version box names it: the current one and a proposal marked."""
    if version == current:
        mark = " — current"
    elif status == "proposed":
        mark = " — proposed, waiting for you"
    elif status == "rejected":
        mark = " — rolled back"
    else:
        mark = ""
    return f"v{version}{mark}: {note}"


def version_picker(history: pd.DataFrame, current: int, key: str) -> int:
    """The Version box: opens on the current (latest accepted) version, never on a proposal."""
    rows = history.set_index("version")
    options = [int(v) for v in history["version"]]
    chosen = st.selectbox(
        "Version",
        options,
        index=options.index(current),
        format_func=lambda v: version_label(
            v, str(rows.at[v, "status"]), str(rows.at[v, "note"]), current
        ),
        key=key,
    )
    assert chosen is not None  # a plan has at least its first version
    return chosen


def versions(history: pd.DataFrame, version: int, current: int, key: str) -> Slots | None:
    """Every version of the plan with what changed; a button that makes the version being
    viewed the current plan again (the slots its errors go to once pressed; None until then)."""
    st.dataframe(
        history.assign(status=[label(VERSION_STATUS_LABELS, s) for s in history["status"]]),
        hide_index=True,
        column_config={
            "version": "Version",
            "created_at": st.column_config.DatetimeColumn("Saved", format="YYYY-MM-DD HH:mm"),
            "note": "What changed",
            "status": "Status",
        },
    )
    if version == current:
        return None
    slots = Slots()
    pressed = st.button(f"Restore v{version} as the current plan", key=f"restore_{key}")
    slots.add(FORM)
    return slots if pressed else None
