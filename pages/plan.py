"""Plan: generate from the latest assessment, view week by week, edit, adapt, export, present.

The address names what is viewed (?athlete=…&plan=…&week=…); every change is a new version.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from pages.core import auth, cache, nav, projector
from pages.core.db import Connection, db
from pages.core.roles import COACH_KINDS
from pages.core.run import Slots, run
from pages.widgets import cal, flash, plan_address, plan_edit, plan_files, plan_generate, plan_week
from runform import clock
from runform.plaintext import md
from runform.services import assessments
from runform.services import plans as plan_service
from runform.services.plans import PlanSaved
from runform.vocab import PHASE_LABELS, label

NOTHING_SAVED = "Nothing was saved."


def render() -> None:
    auth.require(*COACH_KINDS)
    projector.layout()
    athlete_id = nav.selected_athlete()
    st.title("Training plan")
    flash.show()
    if not athlete_id:
        st.info("Pick a runner in the sidebar, or record an intake for a new one first.")
        return
    profile = cache.read(assessments.profile, athlete_id)
    st.caption(f"Runner: **{md(profile.name)}**")
    history = cache.read(assessments.history, athlete_id)
    asked = plan_generate.form(profile, history, clock.today())
    if asked is not None:
        new = run(
            lambda: plan_service.generate(db(), athlete_id, asked.options),
            asked.slots,
            summary=NOTHING_SAVED,
        )
        if new is not None:
            st.query_params.update({"plan": str(new.plan_id), "week": "1"})
            st.rerun()

    mine = cache.read(plan_service.plans_of, athlete_id)
    ids = mine["id"].tolist()
    wanted = plan_address.plan_id(ids, lambda n: f"{md(profile.name)} has no plan {n}.")
    if wanted is None:
        st.info("No plan yet: generate one above.")
        return
    first_days = mine.set_index("id")["first_day"]
    plan_id = st.selectbox(
        "Plan",
        ids,
        index=ids.index(wanted),
        format_func=lambda i: f"Plan {i}: from {first_days[i]:%Y-%m-%d}",
    )
    st.query_params["plan"] = str(plan_id)
    versions = cache.read(plan_service.versions, plan_id)
    current = cache.read(plan_service.current_version, plan_id)
    version = plan_edit.version_picker(versions, current, f"version_{plan_id}_{len(versions)}")
    latest = int(versions["version"].max())
    plan = cache.plan(plan_id, version)
    for note in plan.notes:
        st.caption(note)

    n_weeks = len(plan.weeks)
    week_no = st.select_slider(
        "Week", options=list(range(1, n_weeks + 1)), value=plan_address.week(plan)
    )
    st.query_params["week"] = str(week_no)
    week = plan.weeks[week_no - 1]
    first = plan.start + timedelta(weeks=week_no - 1)
    phase = label(PHASE_LABELS, week.phase) + (" · deload" if week.deload else "")
    st.subheader(f"Week {week_no} · {phase} · {week.run_km:g} km")
    for note in week.notes:
        st.warning(note, icon=":material/info:")
    files = cache.read(plan_service.week_files, plan_id, version, week_no)
    key = f"{plan_id}_{version}_{week_no}"

    calendar, done, edit, adapt, history_tab, exports = st.tabs(
        ["Calendar", "Planned against done", "Edit", "Adapt this week", "Versions", "Export"]
    )
    with calendar:
        plan_week.calendar(athlete_id, plan_id, version, week, first, files)
    with done:
        cal.plan_month(athlete_id, first, clock.today())
        if moved := cal.move_form(plan_id, version, week, key):
            save(moved.write, moved.slots, moved.message)
    with edit:
        if version != current:
            st.info(f"Editing starts from v{version}; saving makes it v{latest + 1}.")
        if edited := plan_edit.week_tables(week, first, key):
            rows, confirmed = (edited.sessions, edited.exercises), edited.confirmed
            save(
                lambda con: plan_service.edit_week(
                    con, plan_id, version, week_no, *rows, confirmed=confirmed
                ),
                edited.slots,
                "Saved as v{v}. The previous version is kept.",
            )
        choices = cache.read(plan_service.swap_choices, plan_id, version, week_no)
        if swap := plan_edit.swap_picker(week, choices, key):
            at = (week_no, swap.position, swap.index, swap.to)
            save(
                lambda con: plan_service.swap_exercise(con, plan_id, version, *at),
                swap.slots,
                "Saved as v{v}.",
            )
    with adapt:
        if asked_adapt := plan_edit.adapt_form(key):
            why = (asked_adapt.event, asked_adapt.region)
            save(
                lambda con: plan_service.adapt_week(con, plan_id, version, week_no, *why),
                asked_adapt.slots,
                f"Week {week_no} adapted and saved as v{{v}}.",
            )
    with history_tab:
        if (restore := plan_edit.versions(versions, version, current, key)) is not None:
            save(
                lambda con: plan_service.restore(con, plan_id, version),
                restore,
                f"v{version} restored as v{{v}}.",
            )
    with exports:
        plan_files.exports(plan_id, version, files)


def save(write: Callable[[Connection], PlanSaved | None], slots: Slots, message: str) -> None:
    """`write` (a plan service) run on this run's cursor: a new version says `message` and is
    shown; nothing changed says so; a refusal is drawn in `slots`."""
    outcome = run(lambda: (write(db()),), slots, summary=NOTHING_SAVED)
    if outcome is None:
        return
    if outcome[0] is None:
        st.info("No changes to save.")
        return
    flash.later(message.format(v=outcome[0].version))
    st.rerun()


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
