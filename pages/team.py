"""Team: who is improving, who needs attention, and why; a row opens the runner's progress."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from pages.core import auth, cache, nav, projector
from pages.core.roles import COACH_KINDS
from pages.widgets import cal, health
from pages.widgets.charts import (
    chart,
    csv_button,
    flagged,
    pain_reasons,
    team_board,
    team_metrics,
)
from runform import clock, figures
from runform.services import calendar, injuries, reviews
from runform.team import flag_labels

ADHERENCE_WEEKS = 6  # the team's adherence chart: the last six weeks


def render() -> None:
    auth.require(*COACH_KINDS)
    projector.layout()
    st.title("Team")
    today = clock.today()
    flags = flag_labels()
    board = health.with_availability(
        cache.read(calendar.team_board, today), cache.read(injuries.team_health, today)
    )

    wanted = [f for f in st.query_params.get_all("flag") if f in flags]
    chosen = st.multiselect(
        "Show runners flagged for",
        list(flags),
        default=wanted,
        format_func=flags.get,
        key="team_flags",
        placeholder="everyone",
    )
    st.query_params["view"] = "team"
    if chosen:
        st.query_params["flag"] = chosen
    else:
        st.query_params.pop("flag", None)
    shown = health.availability_filter(flagged(board, flags, chosen))

    team_metrics(board, flags)
    st.caption("Click a runner to open their progress. Click a column header to sort.")
    picked = team_board(shown)
    pain_reasons(shown)
    health.episode_lines(shown)
    if picked is not None:
        nav.show(picked)
        st.switch_page(nav.page("progress"), query_params=dict(st.query_params))
    csv_button(shown.drop(columns=["flags", "availability_chip"]), "team", "dl_team")

    cal.team_week(cache.read(calendar.team_week, today, today))

    left, right = st.columns(2)
    with left:
        prevalence = cache.read(reviews.prevalence)
        chart(figures.prevalence(prevalence), "prevalence_chart")
        csv_button(prevalence, "findings-prevalence", "dl_prevalence")
    with right:
        first = today - timedelta(weeks=ADHERENCE_WEEKS)
        done = cache.read(reviews.team_adherence_summary, first, today - timedelta(days=1))
        if not done.weeks.empty:
            chart(figures.team_adherence(done.runners, ADHERENCE_WEEKS), "team_adherence_chart")
            csv_button(done.weeks, "team-adherence", "dl_team_adherence")


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
