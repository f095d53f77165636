"""Present mode's panels, in large type for a projector: a structured run's steps with a step
timer that walks through them, and the exercises with a timer over every set, side and rest."""

from __future__ import annotations

import math
import time

import streamlit as st

from pages.core import projector
from pages.widgets import plan_files, settimer
from runform import paces, plantext, steptimer
from runform.models import PlanSession
from runform.plaintext import md
from runform.services import plans as plan_service

STYLE = """
<style>
[data-testid="stMainBlockContainer"] { font-size: 1.35rem; }
[data-testid="stMainBlockContainer"] li { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stMetricValue"] { font-size: 4rem; }
</style>
"""


def clock_text(seconds: float) -> str:
    return paces.clock(math.ceil(seconds))


def steps_panel(
    plan_id: int,
    version: int,
    week: int,
    position: int,
    session: PlanSession,
    workout: plan_service.ExportFile | None,
) -> None:
    """The run's steps in large type with its watch workout (`workout`: None for a session a
    watch cannot follow), and a step timer that walks through them."""
    items = steptimer.flat_steps(session.steps)
    base = f"{plan_id}_{week}_{position}"
    at, since = f"step_{base}", f"step_started_{base}"
    index, started = steptimer.advance(
        items, st.session_state.get(at, 0), st.session_state.get(since), time.time()
    )
    st.session_state[at], st.session_state[since] = index, started

    def go(delta: int) -> None:
        i = max(0, min(st.session_state.get(at, 0) + delta, len(items) - 1))
        st.session_state[at] = i
        if st.session_state.get(since) is not None:
            st.session_state[since] = time.time()  # the new step starts now

    def start() -> None:
        st.session_state[since] = time.time()

    def reset() -> None:
        st.session_state[at], st.session_state[since] = 0, None

    left, right = st.columns([2, 3])
    with left, st.container(border=True):
        st.markdown("## Steps")
        st.markdown("\n".join(f"1. {md(t)}" for t in plantext.steps_text(session.steps)))
        plan_files.button(
            "Watch workout (.fit)",
            workout,
            plan_files.later(plan_service.workout, plan_id, version, week, position),
            key="present_fit",
            icon=":material/watch:",
        )
    with right:
        nav = st.columns(4)
        nav[0].button(
            "◀ Previous step",
            on_click=go,
            args=(-1,),
            disabled=index == 0,
            width="stretch",
            key="step_previous",
        )
        nav[1].button(
            "Next step ▶",
            on_click=go,
            args=(1,),
            disabled=index == len(items) - 1,
            type="primary",
            width="stretch",
            key="step_next",
        )
        nav[2].button(
            "Start step timer",
            on_click=start,
            disabled=started is not None,
            width="stretch",
            key="step_start",
        )
        nav[3].button("Reset", on_click=reset, width="stretch", key="step_reset")

        # the page reruns when a timed step ends (the browser counts the seconds down)
        ends_in = steptimer.remaining_s(items[index], started, time.time()) if started else None
        rerun_in = ends_in + 0.3 if ends_in and index < len(items) - 1 else None

        @st.fragment(run_every=rerun_in)
        def step_timer() -> None:
            now = time.time()
            i, begun = steptimer.advance(
                items, st.session_state.get(at, 0), st.session_state.get(since), now
            )
            if i != st.session_state.get(at, 0):
                st.session_state[at], st.session_state[since] = i, begun
                st.rerun()  # the whole page: the buttons and the step list follow
            item = items[i]
            with st.container(border=True):
                st.caption(f"Step {i + 1} of {len(items)}")
                st.markdown(f"# {md(item.text())}")
                left_s = steptimer.remaining_s(item, begun, now)
                if left_s is not None and begun is not None:
                    settimer.countdown(left_s, large=projector.on())
                elif left_s is not None:
                    st.metric("Duration", clock_text(left_s))
                elif item.distance_m is not None:
                    st.metric("Distance", plantext.distance_text(item.distance_m))
                    st.caption("Press Next step at the end of the distance.")
                else:
                    st.metric("Until", "Lap button")
                    st.caption("Press Next step when the runner presses the lap button.")
                if i + 1 < len(items):
                    st.markdown(f"### Next: {md(items[i + 1].text())}")
                else:
                    st.markdown("### Last step")

        step_timer()


def exercises_panel(plan_id: int, week: int, position: int, session: PlanSession) -> None:
    """One exercise at a time: dose, cues and common faults, and a set timer."""
    names = [f"{i + 1}. {e.name}" for i, e in enumerate(session.exercises)]
    chosen = st.radio(
        "Exercise",
        range(len(names)),
        format_func=names.__getitem__,
        horizontal=True,
        key=f"present_exercise_{plan_id}_{week}_{position}",
    )
    ex = session.exercises[chosen]
    faults = plan_service.faults(ex.id)
    left, right = st.columns([3, 2])
    with left, st.container(border=True):
        st.markdown(f"## {ex.name}")
        st.markdown(f"### {plantext.dose_text(ex)}")
        st.markdown("**Cues**\n" + "\n".join(f"- {c}" for c in ex.cues))
        if faults:
            st.markdown("**Common faults**\n" + "\n".join(f"- {f}" for f in faults))
        if ex.reason:
            st.caption(ex.reason)

    with right:
        settimer.exercise_timer(steptimer.exercise_phases(ex), large=projector.on())
