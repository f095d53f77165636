"""The Plan page's week: a calendar of session cards (steps, exercises and why), each run a
watch can follow with its workout file, each session with a link to present it, and the week's
workouts in one ZIP."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from pages.core import nav
from pages.widgets import plan_files
from runform import plantext
from runform.models import PlanSession, PlanWeek
from runform.plaintext import md
from runform.services import plans as plan_service
from runform.vocab import LOGGED_ROLES


def calendar(
    athlete_id: int,
    plan_id: int,
    version: int,
    week: PlanWeek,
    first: date,
    files: plan_service.WeekFiles,
) -> None:
    """The week from `first` (its Monday) in seven columns, one card per session."""
    n = week.index
    if files.week is not None:
        plan_files.button(
            f"Watch workouts for week {n} (ZIP)",
            files.week,
            plan_files.later(plan_service.export_plan, plan_id, "fit", version, n),
            key=f"fit_week_{n}",
            icon=":material/watch:",
            help="One FIT workout file per structured run of the week, for a watch.",
        )
    for i, column in enumerate(st.columns(7)):
        day = first + timedelta(days=i)
        with column:
            st.markdown(f"**{day:%a %d %b}**")
            for position, session in enumerate(week.sessions):
                if session.date == day:
                    card(athlete_id, plan_id, version, n, position, session, files)


def card(
    athlete_id: int,
    plan_id: int,
    version: int,
    week: int,
    position: int,
    session: PlanSession,
    files: plan_service.WeekFiles,
) -> None:
    """One session: its title, steps, main exercises and drills with their doses, and why."""
    with st.container(border=True):
        st.markdown(f"**{plantext.session_title(session)}**")
        if session.steps:
            st.markdown("\n".join(f"1. {md(t)}" for t in plantext.steps_text(session.steps)))
        for e in session.exercises:
            if e.role in LOGGED_ROLES:
                st.markdown(f"- {e.name}  \n  {plantext.dose_text(e)}")
        st.caption(session.reason)
        if position in files.workouts:
            plan_files.button(
                "Watch workout",
                files.workouts[position],
                plan_files.later(plan_service.workout, plan_id, version, week, position),
                key=f"fit_{week}_{position}",
                icon=":material/watch:",
                help="A FIT workout file: copy it to the watch's GARMIN/NewFiles folder, or "
                "import it in the watch's app.",
            )
        st.page_link(
            nav.page("present"),
            label="Present",
            icon=":material/slideshow:",
            query_params={
                "athlete": str(athlete_id),
                "plan": str(plan_id),
                "week": str(week),
                "session": str(position),
            },
        )
