"""Team: who is improving, who needs attention, and why; a row opens the runner's progress."""

from __future__ import annotations

from datetime import timedelta

import plotly.express as px
import streamlit as st

from pages import common
from pages.core import nav
from runform import adherence, clock, thresholds
from runform.compensations import load_rules
from runform.team import flag_labels, percent

FLAGS = flag_labels()


def render() -> None:
    common.require(*common.COACH_KINDS)
    st.title("Team")
    today = clock.today()
    team = common.query("team.flags", today)
    team["flags"] = team[list(FLAGS)].sum(axis=1)

    wanted = [f for f in st.query_params.get_all("flag") if f in FLAGS]
    chosen = st.multiselect(
        "Show runners flagged for",
        list(FLAGS),
        default=wanted,
        format_func=FLAGS.get,
        key="team_flags",
        placeholder="everyone",
    )
    st.query_params["view"] = "team"
    if chosen:
        st.query_params["flag"] = chosen
    else:
        st.query_params.pop("flag", None)
    shown = team[team[chosen].any(axis=1)] if chosen else team
    shown = shown.sort_values(["flags", "name"], ascending=[False, True])

    c1, c2, c3 = st.columns(3)
    c1.metric("Runners", len(team))
    c2.metric("Need attention", int((team["flags"] > 0).sum()))
    c3.metric("Pain above the model", int(team["flag_pain"].sum()))

    st.caption("Select a row to open that runner's progress. Click a column header to sort.")
    picked = st.dataframe(
        shown,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="team_table",
        column_order=[
            "name",
            "flags",
            *FLAGS,
            "adherence",
            "acwr",
            "monotony",
            "pain_during",
            "pain_reason",
            "wellness",
            "last_assessed",
        ],
        column_config={
            "name": "Runner",
            "flags": st.column_config.NumberColumn("Flags", help="How many flags are raised"),
            **{k: st.column_config.CheckboxColumn(v) for k, v in FLAGS.items()},
            "adherence": st.column_config.ProgressColumn(
                f"Adherence {thresholds.load().adherence.window_days} d",
                min_value=0,
                max_value=1,
                format="percent",
            ),
            "acwr": "A:C ratio",
            "monotony": "Monotony",
            "pain_during": f"Pain ({thresholds.load().pain.window_days} d)",
            "pain_reason": "Pain: why",
            "wellness": "Wellness",
            "last_assessed": st.column_config.DateColumn("Last assessed", format="D MMM YYYY"),
        },
    )
    rows = picked.selection.rows if picked else []
    if rows:
        nav.show(int(shown.iloc[rows[0]]["athlete_id"]))
        st.switch_page(common.page("progress"), query_params=dict(st.query_params))
    common.csv_button(shown.drop(columns=["flags"]), "team", "dl_team")

    titles = load_rules().titles()
    left, right = st.columns(2)
    with left:
        prevalence = common.query("prevalence")
        prevalence = prevalence.assign(finding=prevalence["finding_id"].map(titles))
        fig = px.bar(
            prevalence,
            x="runners",
            y="finding",
            color="severity",
            orientation="h",
            title="Findings at the latest assessment",
            color_discrete_map={"high": "#C0392B", "moderate": "#E67E22", "info": "#2E86C1"},
        )
        fig.update_layout(yaxis={"categoryorder": "total ascending"}, height=520)
        common.chart(fig, "prevalence_chart")
        common.csv_button(prevalence, "findings-prevalence", "dl_prevalence")
    with right:
        weeks = common.query(
            "team.adherence_weeks", today - timedelta(weeks=6), today - timedelta(days=1)
        )
        if not weeks.empty:
            per = adherence.per_runner(weeks).merge(team[["athlete_id", "name"]], on="athlete_id")
            fig = px.bar(
                per.sort_values("adherence"),
                x="adherence",
                y="name",
                orientation="h",
                range_x=[0, 1],
                title="Adherence over the last 6 weeks",
            )
            low = thresholds.load().adherence.low
            fig.add_vline(x=low, line_dash="dot", annotation_text=percent(low))
            fig.update_layout(height=520)
            common.chart(fig, "team_adherence_chart")
            named = weeks.merge(team[["athlete_id", "name"]], on="athlete_id")
            common.csv_button(named, "team-adherence", "dl_team_adherence")


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
