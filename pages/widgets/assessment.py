"""The two ways an assessment is entered, and the list of earlier ones.

The coach's full battery is one form; a runner's self-assessment is one step per screen (on a
phone), with Back, Skip this test and Next, each step checked before the next and nothing typed
lost. Both return what was entered (`Entered`) for the page to hand to the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from pages.widgets.pain import no_pain, pain_rows
from pages.widgets.profile import profile_fields
from pages.widgets.screens import battery, refuse, screen_field
from runform import clock
from runform.errors import InvalidInput
from runform.models import AthleteProfile
from runform.services import assessments
from runform.vocab import MODE_LABELS, PainWhen, label

PAIN_ROWS = 3
#: The timings the intake asks about, running first: a runner's pain is most often felt running.
PAIN_WHENS: tuple[PainWhen, ...] = ("during_run", "after_run", "next_morning", "rest")


@dataclass(frozen=True)
class Entered:
    """A submitted form: the raw intake for the service, the form's error slots, and what the
    widgets themselves refused (see `screens.refuse`)."""

    raw: dict[str, Any]
    slots: Slots
    refused: dict[str, str] = field(default_factory=dict)

    def check(self) -> None:
        refuse(self.refused)


def coach_form(
    athlete_id: int, profile: AthleteProfile | None, assessor: str | None
) -> Entered | None:
    """The full battery on one form (`assessor`: the field's default); None until saved."""
    prefix = f"c{athlete_id}_"
    slots = Slots()
    refused: dict[str, str] = {}  # what the widgets cannot accept
    st.subheader("Pain")  # first: it decides whether loading is safe at all
    none = no_pain(prefix)
    with st.form(f"coach_intake_{athlete_id}", enter_to_submit=False):
        pain = [] if none else pain_rows(prefix, slots, rows=PAIN_ROWS, whens=PAIN_WHENS)
        st.subheader("Profile")
        athlete = profile_fields(prefix, profile, slots)
        c1, c2 = st.columns(2)
        with c1:
            assessed_on = st.date_input(
                "Assessed on", clock.today(), key=f"{prefix}assessed_on", format="YYYY-MM-DD"
            )
            slots.add("assessed_on")
        with c2:
            who = st.text_input(
                "Assessor",
                assessor or "",
                max_chars=80,
                key=f"{prefix}assessor",
                placeholder="who measures today",
                help="Who took the measurements. "
                + assessments.real_change_rule()
                + " Left empty, the larger figure applies.",
            )
            slots.add("assessor")
        values = battery(prefix, slots, refused)
        slots.add(FORM)
        submitted = st.form_submit_button("Save assessment", type="primary")
    if not submitted:
        return None
    raw = {"athlete": athlete, "assessed_on": assessed_on, "pain": pain, "screens": values}
    return Entered({**raw, "assessor": who}, slots, refused)


# --- the runner's self-assessment, one step per screen -----------------------------------------


def _state(athlete_id: int) -> dict[str, Any]:
    """What the runner has entered so far, kept in the session across steps."""
    new: dict[str, Any] = {
        "step": 0,
        "athlete": None,
        "pain": [],
        "no_pain": False,
        "screens": {},
    }
    state: dict[str, Any] = st.session_state.setdefault(f"self_{athlete_id}", new)
    return state


def forget(athlete_id: int) -> None:
    """Start the self-assessment afresh (after it was saved)."""
    st.session_state.pop(f"self_{athlete_id}", None)


def self_steps(athlete_id: int, profile: AthleteProfile | None) -> Entered | None:
    """The step the runner is at, with progress and instructions; the intake once they save."""
    specs = {s.id: s for s in assessments.catalogue().screens}
    steps = assessments.self_assessment_steps()
    state = _state(athlete_id)
    step, title = steps[state["step"]].id, steps[state["step"]].title
    st.progress(
        state["step"] / (len(steps) - 1), text=assessments.progress_text(steps, state["step"])
    )
    slots = Slots()
    refused: dict[str, str] = {}  # what the widgets cannot accept
    prefix = f"s{athlete_id}_"
    none = step == "pain" and no_pain(prefix, value=state["no_pain"])
    with st.form(f"self_step_{athlete_id}_{step}", enter_to_submit=False):
        st.subheader(title)
        value: Any = None
        if step == "profile":
            value = profile_fields(prefix, state["athlete"] or profile, slots)
        elif step == "pain" and none:
            value = []
            st.write("No pain today: nothing to add.")
        elif step == "pain":
            st.write("Any pain now or when running? Leave the region at 'no pain' if none.")
            value = pain_rows(prefix, slots, rows=PAIN_ROWS, whens=PAIN_WHENS, had=state["pain"])
        elif step == "review":
            done = [specs[s].name for s in state["screens"]]
            st.write(
                f"**{len(done)} of {len(specs)} tests done.** "
                + (f"Done: {', '.join(done)}." if done else "")
            )
            n = len(state["pain"])
            st.write(f"Pain reports: {n}." if n else "No pain today.")
        else:
            st.info(specs[step].instructions, icon=":material/straighten:")
            had = state["screens"].get(step)
            value = screen_field(specs[step], prefix, had, slots, refused, title=False)
        slots.add(FORM)
        cols = st.columns(3)
        back = cols[0].form_submit_button("Back", disabled=state["step"] == 0)
        skip = cols[1].form_submit_button("Skip this test", disabled=step not in specs)
        forward = cols[2].form_submit_button(
            "Save assessment" if step == "review" else "Next", type="primary"
        )
    if back or skip:
        if skip:
            state["screens"].pop(step, None)
        state["step"] += -1 if back else 1
        st.rerun()
    if not forward:
        return None
    if step == "review":
        raw = {"athlete": state["athlete"], "pain": state["pain"], "screens": state["screens"]}
        raw |= {"assessed_on": clock.today(), "assessor": assessments.SELF_ASSESSOR}
        return Entered(raw, slots)
    try:
        _keep(step, value, state, refused)
    except InvalidInput as e:  # stay on this step, each message under its field
        slots.show(e.fields)
        return None
    state["step"] += 1
    st.rerun()


def _keep(step: str, value: Any, state: dict[str, Any], refused: dict[str, str]) -> None:
    """Check a step's answer and keep it, or raise InvalidInput naming the fields."""
    refuse(refused)
    if step == "profile":
        state["athlete"] = assessments.check_profile(value)
    elif step == "pain":
        assessments.check_pain(value)
        state["pain"] = value  # as typed, to fill the rows again on Back
        state["no_pain"] = not value
    elif value is None:
        state["screens"].pop(step, None)
    else:
        state["screens"][step] = assessments.check_screen(step, value)


# --- earlier assessments -----------------------------------------------------------------------


def names(past: pd.DataFrame) -> dict[int, str]:
    """Each assessment of `history` (newest first) in words: "2026-03-01 · Coach"."""
    rows = zip(past["id"], past["assessed_on"], past["mode"], strict=True)
    return {int(i): f"{on:%Y-%m-%d} · {label(MODE_LABELS, mode)}" for i, on, mode in rows}


def history_table(past: pd.DataFrame) -> None:
    """The runner's assessments with their findings counted by severity."""
    st.dataframe(
        past.assign(mode=past["mode"].map(lambda m: label(MODE_LABELS, m))),
        hide_index=True,
        column_order=["assessed_on", "mode", "assessor", "high", "moderate", "info"],
        column_config={
            "assessed_on": st.column_config.DateColumn("Assessed on", format="YYYY-MM-DD"),
            "mode": "Entered by",
            "assessor": "Assessor",
            "high": "High findings",
            "moderate": "Moderate findings",
            "info": "Info findings",
        },
    )
