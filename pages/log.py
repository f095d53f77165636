"""Log: the day's planned sessions first, unplanned sessions, watch files, check-ins, history."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.core import auth, nav
from pages.core.cache import read
from pages.core.db import db
from pages.core.roles import EVERYONE, is_runner
from pages.core.run import FORM, run
from pages.widgets import checkins, flash, log_history, next_dose, session_form
from pages.widgets.session_form import Submitted
from runform import clock, plantext, urlparams
from runform.services import plans, training_log

TABS = ("Planned sessions", "Unplanned session", "Check-ins", "History")


def _save(form: Submitted | None, log_id: int | None = None) -> None:
    """A submitted session stored (a new one, or `log_id` edited), then the page again with
    what it changed; on an error the form keeps what was typed and says what to fix."""
    if form is None:
        return
    raw, fit, slots = form
    if log_id is None:
        saved = run(lambda: training_log.log_session(db(), raw, fit), slots)
    else:
        saved = run(lambda: training_log.update_log(db(), log_id, raw), slots)
    if saved is not None:
        next_dose.remember(saved)
        session_form.forget_submissions()
        st.rerun()


def _next_dose(athlete_id: int) -> None:
    """The last save's outcome, and the plan change waiting for the coach."""
    flash.show()
    next_dose.saved_message()
    plan_id = read(plans.latest_for, athlete_id)
    waiting = read(plans.proposal, plan_id) if plan_id is not None else None
    if plan_id is None or waiting is None:
        return
    version, note = waiting
    decided = next_dose.pending(version, note, coach=not is_runner())
    if decided is not None:
        accept, slots = decided
        done = run(lambda: plans.decide(db(), plan_id, version, accept), slots)
        if done is not None:
            flash.later(next_dose.decided_message(version, accept, done.version))
            st.rerun()


def _planned(athlete_id: int, day: date) -> None:
    """The day's planned sessions, each a form; those done (· logged) folded."""
    todays = read(training_log.planned_on, athlete_id, day)
    if not todays:
        st.info("Nothing planned for this day. Log an unplanned session in the next tab.")
    for p in todays:
        title = plantext.session_title(p.session) + (" · logged" if p.done else "")
        with st.expander(title, expanded=not p.done):
            prefix = f"p{p.ref.week}_{p.ref.position}_"
            _save(session_form.session_form(prefix, athlete_id, day, planned=p))


def _checkins(athlete_id: int, day: date) -> None:
    """The next-morning pain check and the daily wellness check-in, for `day`."""
    whose = {"athlete_id": athlete_id, "day": day}
    morning = checkins.morning_pain(day)
    if morning is not None:
        answer, slots = morning
        if answer is None:
            zeros = run(lambda: training_log.record_no_morning_pain(db(), athlete_id, day), slots)
            if zeros is not None:
                slots[FORM].success(checkins.no_pain_saved(zeros))
        else:
            pain = {**whose, **answer}
            if run(lambda: training_log.record_morning_pain(db(), pain), slots):
                slots[FORM].success("Morning check saved.")
    wellness = checkins.wellness()
    if wellness is not None:
        raw, slots = wellness
        if run(lambda: training_log.record_wellness(db(), {**whose, **raw}), slots):
            slots[FORM].success("Wellness saved.")


def _history(athlete_id: int) -> None:
    """The latest sessions; the one opened can be edited, deleted and commented on."""
    past = read(training_log.recent, athlete_id)
    if past.empty:
        st.info("No sessions logged yet.")
        return
    log_history.table(past)
    chosen = log_history.pick(past, athlete_id)
    existing = read(training_log.find, chosen)
    if existing is None:  # deleted meanwhile by a program that shares no cache with this one
        st.info(f"Session {chosen} is no longer in the log (deleted on another device?).")
        return
    with st.expander("Edit this session"):
        form = session_form.session_form(f"e{chosen}_", athlete_id, existing.day, existing=existing)
        _save(form, log_id=chosen)
    if (
        log_history.delete_asked(chosen)
        and run(lambda: training_log.delete_log(db(), chosen)) is not None
    ):
        log_history.forget_pick()
        st.rerun()
    author = "runner" if is_runner() else "coach"  # the service writes it from the cursor too
    comment = log_history.comments(chosen, read(training_log.comments, chosen), author)
    if comment is not None:
        body, slots = comment
        if run(lambda: training_log.add_comment(db(), chosen, body), slots, summary="") is not None:
            st.rerun()


def render() -> None:
    auth.require(*EVERYONE)
    athlete_id = nav.selected_athlete()
    st.title("Training log")
    if not athlete_id:
        st.info("Pick a runner in the sidebar.")
        st.stop()
    wanted = nav.from_address(lambda a: urlparams.day(a, "day"))
    day = st.date_input("Day", wanted or clock.today(), format="YYYY-MM-DD", key="log_day")
    st.query_params["day"] = day.isoformat()
    _next_dose(athlete_id)
    # Only the open tab runs (each holds a form of many inputs); the address names it, so a link
    # can open the check-ins. An unsent form is left behind on switching, as on leaving the page.
    planned_tab, unplanned_tab, checkin_tab, history_tab = st.tabs(
        list(TABS), key="log_tab", bind="query-params"
    )
    if planned_tab.open:
        with planned_tab:
            _planned(athlete_id, day)
    if unplanned_tab.open:
        with unplanned_tab:
            _save(session_form.session_form("u_", athlete_id, day))
    if checkin_tab.open:
        with checkin_tab:
            _checkins(athlete_id, day)
    if history_tab.open:
        with history_tab:
            _history(athlete_id)


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
