"""Present mode: one session at a time in large type for a projector: a structured run's steps
with a step timer that walks through them, and the exercises with a hold and rest timer.

The address (?athlete=…&plan=…&week=…&session=…) opens the same session on any screen. Without
a plan it is the runner's newest; a plan of another runner than the sidebar's (picked since)
gives way to this runner's newest.
"""

from __future__ import annotations

import streamlit as st

from pages.core import auth, cache, nav, projector
from pages.core.roles import COACH_KINDS
from pages.widgets import handover, metronome, plan_address, present
from runform import plantext
from runform.services import cadence
from runform.services import plans as plan_service
from runform.vocab import PHASE_LABELS, label


def render() -> None:
    auth.require(*COACH_KINDS)
    projector.layout()
    st.html(present.STYLE)
    athlete_id = nav.selected_athlete()
    mine = cache.read(plan_service.plans_of, athlete_id)["id"].tolist() if athlete_id else []
    plan_id = plan_address.plan_id(mine, lambda n: f"There is no plan {n}.")
    if plan_id is None:
        st.title("Present a session")
        st.info("Pick a runner with a plan in the sidebar, or open a session from the Plan page.")
        return
    version = cache.read(plan_service.current_version, plan_id)
    plan = cache.plan(plan_id, version)
    flat = [(w, p, s) for w in plan.weeks for p, s in enumerate(w.sessions)]
    week_no = plan_address.week(plan)
    position_no = plan_address.session(plan, week_no)
    current = next(
        (i for i, (w, p, _) in enumerate(flat) if w.index == week_no and p == position_no), 0
    )
    week, position, session = flat[current]
    st.query_params.update(
        {"plan": str(plan_id), "week": str(week.index), "session": str(position)}
    )

    buttons = st.columns([1, 6, 1])
    if buttons[0].button(
        "◀ Previous", disabled=current == 0, width="stretch", key="present_previous"
    ):
        w, p, _ = flat[current - 1]
        st.query_params.update({"week": str(w.index), "session": str(p)})
        st.rerun()
    if buttons[2].button(
        "Next ▶", disabled=current == len(flat) - 1, width="stretch", key="present_next"
    ):
        w, p, _ = flat[current + 1]
        st.query_params.update({"week": str(w.index), "session": str(p)})
        st.rerun()
    buttons[1].markdown(
        f"### Week {week.index} · {label(PHASE_LABELS, week.phase)}"
        f"{' · deload' if week.deload else ''} · {session.date:%A %d %B}\n"
        f"## {plantext.session_title(session)}"
    )
    st.caption(session.reason)

    if session.steps:
        files = cache.read(plan_service.week_files, plan_id, version, week.index)
        workout = files.workouts.get(position)
        present.steps_panel(plan_id, version, week.index, position, session, workout)
    if session.exercises:
        if session.steps:
            st.markdown("### Exercises")
        present.exercises_panel(plan_id, week.index, position, session)
    elif not session.steps:
        st.info("This session has no steps or exercises to present.")
    if athlete_id and cadence.has_drill(session):
        metronome.player(cache.read(cadence.target, athlete_id), key="present_metronome")
    st.caption(f"Session {current + 1} of {len(flat)}.")
    handover.on_projector(athlete_id)


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
