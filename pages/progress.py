"""Progress: one runner against their baseline, with small wins first."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from pages.core import auth, cache, nav
from pages.core.roles import EVERYONE
from pages.widgets import cal, health
from pages.widgets import progress_sections as sections
from runform import clock, urlparams
from runform.plaintext import md
from runform.services import assessments, calendar, injuries, reviews


def render() -> None:
    auth.require(*EVERYONE)
    athlete_id = nav.selected_athlete()
    st.title("Progress")
    if not athlete_id:
        st.info("Pick a runner in the sidebar, or open one from the Team page.")
        st.stop()
    st.caption(f"Runner: **{md(cache.read(assessments.profile, athlete_id).name)}**")

    today = clock.today()
    start, end = date_range(today)
    sections.small_wins(
        cache.read(reviews.small_wins, athlete_id, start, end, today),
        cache.read(reviews.retested, athlete_id),
    )
    section = chosen_section()
    if section == "Findings":
        sections.findings(cache.read(reviews.findings, athlete_id))
    elif section == "Screens":
        sections.screens(cache.read(reviews.screen_review, athlete_id))
    elif section == "Load":
        sections.load(
            cache.read(reviews.weekly_load, [athlete_id], start, end),
            cache.read(reviews.acwr, [athlete_id], start, end),
        )
    elif section == "Pain":
        sections.pain(cache.read(reviews.pain, athlete_id, start, end))
    elif section == "Health":
        health.trend(cache.read(injuries.ostrc_trend, athlete_id, start, end))
    elif section == "Adherence":
        sections.adherence(cache.read(reviews.adherence_summary, athlete_id, start, end, today))
    elif section == "Calendar":
        shown = cal.span(today)
        found = cache.read(calendar.runner_calendar, athlete_id, shown.first, shown.last, today)
        cal.grid(found.weeks, athlete_id, shown.month)
        cal.legend()
        cal.curve(cache.read(calendar.fitness_curve, athlete_id, start, None, today))
    elif section == "Form":
        sections.form(cache.read(reviews.form, athlete_id, start, end))
    elif section == "Wellness":
        sections.wellness(cache.read(reviews.wellness_trend, athlete_id, start, end))
    else:
        sections.progression(cache.read(reviews.progression_history, athlete_id))


def date_range(today: date) -> tuple[date, date]:
    """The range picked (the address's `from` and `to`, else the last 16 weeks), put back into
    the address."""
    first = nav.from_address(lambda a: urlparams.day(a, "from"))
    last = nav.from_address(lambda a: urlparams.day(a, "to"))
    picked = st.date_input(
        "Date range",
        (first or today - timedelta(weeks=16), last or today),
        format="YYYY-MM-DD",
        key="progress_range",
    )
    start, end = (picked[0], picked[1]) if len(picked) == 2 else (picked[0], today)
    st.query_params.update({"from": start.isoformat(), "to": end.isoformat()})
    return start, end


def chosen_section() -> str:
    """The section shown (the address's `section`, else Findings), put back into the address."""
    wanted = nav.from_address(lambda a: urlparams.choice(a, "section", sections.SECTIONS))
    section = st.radio(
        "Show",
        sections.SECTIONS,
        index=sections.SECTIONS.index(wanted or "Findings"),
        horizontal=True,
        key="progress_section",
    )
    st.query_params["section"] = section
    return section


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
