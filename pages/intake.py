"""Intake: record a runner's profile, pain and screens; show findings; open earlier assessments."""

from __future__ import annotations

from typing import cast

import streamlit as st

from pages.core import auth, cache, nav
from pages.core.db import db
from pages.core.roles import EVERYONE
from pages.core.run import run
from pages.widgets import assessment, findings
from pages.widgets.assessment import Entered
from runform import urlparams
from runform.models import AthleteProfile
from runform.plaintext import md
from runform.services import assessments
from runform.vocab import AssessmentMode

MODES = {"coach": "Coach: full battery", "self": "Self-assessment: step by step"}
SAVED = "saved_assessment"  # the assessment just saved: the next run shows its findings


def render() -> None:
    role = auth.require(*EVERYONE)
    athlete_id = nav.selected_athlete()
    profile = cache.read(assessments.profile, athlete_id) if athlete_id else None
    st.title("Intake assessment")
    st.caption(f"Runner: **{md(profile.name) if profile else 'new runner'}**")

    saved = st.session_state.pop(SAVED, None)
    if saved is not None:
        st.success(
            "Assessment saved. Findings, highest severity first:", icon=":material/check_circle:"
        )
        findings.ranked(
            cache.read(assessments.findings, saved), cache.read(assessments.intake, saved).screens
        )

    # a runner's link: the step-by-step form only
    mode = "self" if role.kind == "runner" else choose_mode()
    st.query_params["mode"] = mode
    new_tab, history_tab = st.tabs(["New assessment", "Earlier assessments"])
    with new_tab:
        if mode == "coach":
            coach(athlete_id, profile)
        else:
            self_assessment(athlete_id, profile)
    with history_tab:
        if athlete_id:
            earlier(athlete_id)
        else:
            st.info("Pick a runner in the sidebar to see their earlier assessments.")


def choose_mode() -> AssessmentMode:
    """The coach's choice of form, as the address says (`?mode=self`) or the full battery."""
    wanted = nav.from_address(lambda a: urlparams.choice(a, "mode", list(MODES)))
    chosen = st.radio(
        "Mode",
        list(MODES),
        format_func=MODES.get,
        horizontal=True,
        index=list(MODES).index(wanted or "coach"),
        key="intake_mode",
    )
    return cast(AssessmentMode, chosen)


def coach(athlete_id: int, profile: AthleteProfile | None) -> None:
    """The full battery on one form, the assessor offered as whoever assessed last."""
    assessor = cache.read(assessments.last_assessor, athlete_id) if athlete_id else None
    entered = assessment.coach_form(athlete_id, profile, assessor)
    if entered is not None and save(entered, athlete_id, "coach"):
        st.rerun()


def self_assessment(athlete_id: int, profile: AthleteProfile | None) -> None:
    """One step per screen; saved at the review step, then started afresh."""
    entered = assessment.self_steps(athlete_id, profile)
    if entered is not None and save(entered, athlete_id, "self"):
        assessment.forget(athlete_id)
        st.rerun()


def save(entered: Entered, athlete_id: int, mode: AssessmentMode) -> bool:
    """Record the intake (a new runner when there is none yet) and view its runner from now on;
    on an error, each message goes next to its field and nothing is written."""

    def record() -> assessments.IntakeSaved:
        entered.check()
        return assessments.record_intake(db(), entered.raw, athlete_id or None, mode)

    saved = run(record, entered.slots)
    if saved is None:
        return False
    st.session_state[SAVED] = saved.assessment_id
    nav.show(saved.athlete_id)
    return True


def earlier(athlete_id: int) -> None:
    """The runner's assessments: open one, and compare it with another."""
    past = cache.read(assessments.history, athlete_id)
    if past.empty:
        st.info("No assessments yet for this runner.")
        return
    assessment.history_table(past)
    names = assessment.names(past)
    ids = list(names)
    for key in ("open_assessment", "compare_with"):  # another runner's pick: start afresh
        if st.session_state.get(key) not in (None, *ids):
            del st.session_state[key]
    c1, c2 = st.columns(2)
    chosen = c1.selectbox(
        "Open assessment", ids, format_func=lambda i: names[i], key="open_assessment"
    )
    base = c2.selectbox(
        "Compare with",
        [None, *(i for i in ids if i != chosen)],
        key="compare_with",
        format_func=lambda i: "no comparison" if i is None else names[i],
    )
    if base is not None:
        findings.comparison(cache.read(assessments.comparison, base, chosen), names)
    findings.ranked(
        cache.read(assessments.findings, chosen), cache.read(assessments.intake, chosen).screens
    )


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
