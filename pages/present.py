"""Present mode: one session at a time in large type for a projector: a structured run's steps
with a step timer that walks through them, and the exercises with a hold and rest timer.

The URL (?athlete=…&plan=…&week=…&session=…) opens the same session on any screen.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from pages import common
from runform import paces, plantext, steptimer, urlparams, watch, workouts
from runform.exercises import by_id, load_library
from runform.models import PlanSession, PlanWeek
from runform.plaintext import md
from runform.store import plans

STYLE = """
<style>
[data-testid="stMainBlockContainer"] { font-size: 1.35rem; }
[data-testid="stMainBlockContainer"] li { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stMetricValue"] { font-size: 4rem; }
</style>
"""


def render() -> None:
    common.require(*common.COACH_KINDS)
    con = common.db()
    st.html(STYLE)
    asked = common.address()
    plan_id = common.from_address(lambda: urlparams.number(asked, "plan"))
    if plan_id is not None and plans.athlete_of(con, plan_id) is None:
        common.bad_address(urlparams.BadAddress("plan", f"There is no plan {plan_id}."))
    plan_id = plan_id or st.session_state.get("plan_id")
    if not plan_id:
        athlete_id = common.selected_athlete()
        mine = plans.for_athlete(con, athlete_id) if athlete_id else None
        if mine is None or mine.empty:
            st.title("Present a session")
            st.info(
                "Pick a runner with a plan in the sidebar, or open a session from the Plan page."
            )
            st.stop()
        plan_id = int(mine["id"].iloc[0])
    plan = common.plan(plan_id)
    flat = [(w, p, s) for w in plan.weeks for p, s in enumerate(w.sessions)]
    week_no = common.from_address(
        lambda: urlparams.in_range(
            "week", urlparams.number(asked, "week") or 1, len(plan.weeks), "this plan"
        )
    )
    position_no = common.from_address(
        lambda: urlparams.in_range(
            "session",
            urlparams.number(asked, "session", minimum=0) or 0,
            len(plan.weeks[week_no - 1].sessions) - 1,
            f"week {week_no} (positions from 0)",
        )
    )
    current = next(
        (i for i, (w, p, _) in enumerate(flat) if w.index == week_no and p == position_no), 0
    )
    week, position, session = flat[current]
    st.query_params.update(
        {"plan": str(plan_id), "week": str(week.index), "session": str(position)}
    )

    nav = st.columns([1, 6, 1])
    if nav[0].button(
        "◀ Previous", disabled=current == 0, use_container_width=True, key="present_previous"
    ):
        w, p, _ = flat[current - 1]
        st.query_params.update({"week": str(w.index), "session": str(p)})
        st.rerun()
    if nav[2].button(
        "Next ▶",
        disabled=current == len(flat) - 1,
        use_container_width=True,
        key="present_next",
    ):
        w, p, _ = flat[current + 1]
        st.query_params.update({"week": str(w.index), "session": str(p)})
        st.rerun()
    nav[1].markdown(
        f"### Week {week.index} · {week.phase}{' · deload' if week.deload else ''}"
        f" · {session.date:%A %d %B}\n"
        f"## {plantext.session_title(session)}"
    )
    st.caption(session.reason)

    if session.steps:
        steps_panel(plan_id, week, position, session)
    if session.exercises:
        if session.steps:
            st.markdown("### Exercises")
        exercises_panel(plan_id, week, position, session)
    elif not session.steps:
        st.info("This session has no steps or exercises to present.")
    st.caption(f"Session {current + 1} of {len(flat)}.")


def steps_panel(plan_id: int, week: PlanWeek, position: int, session: PlanSession) -> None:
    """The run's steps in large type, and a step timer that walks through them."""
    items = steptimer.flat_steps(session.steps)
    base = f"{plan_id}_{week.index}_{position}"
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
        st.download_button(
            "Watch workout (.fit)",
            watch.workout_fit(session, watch.workout_name(session)),
            watch.filename(session, week.index),
            "application/vnd.ant.fit",
            key="present_fit",
            icon=":material/watch:",
            disabled=not workouts.structured_run(session),
        )
    with right:
        nav = st.columns(4)
        nav[0].button(
            "◀ Previous step",
            on_click=go,
            args=(-1,),
            disabled=index == 0,
            use_container_width=True,
            key="step_previous",
        )
        nav[1].button(
            "Next step ▶",
            on_click=go,
            args=(1,),
            disabled=index == len(items) - 1,
            type="primary",
            use_container_width=True,
            key="step_next",
        )
        nav[2].button(
            "Start step timer",
            on_click=start,
            disabled=started is not None,
            use_container_width=True,
            key="step_start",
        )
        nav[3].button("Reset", on_click=reset, use_container_width=True, key="step_reset")

        @st.fragment(run_every=1.0 if started is not None else None)
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
                if left_s is not None:
                    label = "Time left" if begun is not None else "Duration"
                    st.metric(label, clock_text(left_s))
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


def clock_text(seconds: float) -> str:
    return paces.clock(math.ceil(seconds))


def exercises_panel(plan_id: int, week: PlanWeek, position: int, session: PlanSession) -> None:
    library = by_id(load_library())
    names = [f"{i + 1}. {e.name}" for i, e in enumerate(session.exercises)]
    chosen = st.radio("Exercise", range(len(names)), format_func=names.__getitem__, horizontal=True)
    ex = session.exercises[chosen]
    known = library.get(ex.id)
    left, right = st.columns([3, 2])
    with left, st.container(border=True):
        st.markdown(f"## {ex.name}")
        st.markdown(f"### {plantext.dose_text(ex)}")
        st.markdown("**Cues**\n" + "\n".join(f"- {c}" for c in ex.cues))
        if known:
            st.markdown("**Common faults**\n" + "\n".join(f"- {f}" for f in known.faults))
        if ex.reason:
            st.caption(ex.reason)

    with right:
        hold = (
            ex.seconds or (ex.reps or 0) * 4
        )  # reps at about 4 s each, as the planner counts them
        work = "Hold" if ex.seconds else "Work"
        key = f"timer_{plan_id}_{week.index}_{position}_{chosen}"
        c1, c2 = st.columns(2)
        if c1.button("Start timer", type="primary", use_container_width=True, key="timer_start"):
            st.session_state[key] = time.time()
        if c2.button("Reset", use_container_width=True, key="timer_reset"):
            st.session_state.pop(key, None)
        started = st.session_state.get(key)

        @st.fragment(run_every=1.0 if started else None)
        def timer() -> None:
            if started is None:
                st.metric(work, f"{hold} s", help=f"then rest {ex.rest_s} s")
                return
            elapsed = time.time() - started
            if elapsed < hold:
                st.metric(work, f"{math.ceil(hold - elapsed)} s")
            elif elapsed < hold + ex.rest_s:
                st.metric("Rest", f"{math.ceil(hold + ex.rest_s - elapsed)} s")
            else:
                st.metric("Set done", "✓")

        timer()
        st.caption(f"{work} {hold} s{' per side' if ex.per_side else ''}, then rest {ex.rest_s} s.")


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
