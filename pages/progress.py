"""Progress: one runner against their baseline, with small wins first."""

from __future__ import annotations

from datetime import timedelta

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from pages import common
from runform import clock, load, milestones, urlparams
from runform.compensations import load_rules, normal_bands
from runform.plaintext import md
from runform.screens import load_catalogue
from runform.store import athletes


def render() -> None:
    common.require(*common.EVERYONE)
    con = common.db()
    athlete_id = common.selected_athlete()
    st.title("Progress")
    if not athlete_id:
        st.info("Pick a runner in the sidebar, or open one from the Team page.")
        st.stop()
    profile = athletes.get(con, athlete_id)
    st.caption(f"Runner: **{md(profile.name)}**")

    today = clock.today()
    asked = common.address()
    first = common.from_address(lambda: urlparams.day(asked, "from"))
    last = common.from_address(lambda: urlparams.day(asked, "to"))
    picked = st.date_input(
        "Date range",
        (first or today - timedelta(weeks=16), last or today),
        format="YYYY-MM-DD",
        key="progress_range",
    )
    start, end = (picked[0], picked[1]) if len(picked) == 2 else (picked[0], today)
    st.query_params.update({"from": start.isoformat(), "to": end.isoformat()})

    status = common.query("finding_status", athlete_id)
    found = common.query("findings_by_assessment", athlete_id)
    screens = common.query("screens", athlete_id)
    adherence = common.query("adherence", athlete_id, start, min(end, today - timedelta(days=1)))
    long_runs = common.query("long_runs", athlete_id, start, end)
    form = common.query("form", athlete_id, start, end)
    latest_on = found["assessed_on"].max() if not found.empty else None
    wins = milestones.find(
        status,
        latest_on.date() if latest_on is not None else None,
        screens,
        adherence,
        long_runs,
        form,
        today,
    )

    st.subheader("Small wins")
    if wins:
        cols = st.columns(min(3, len(wins)))
        for i, m in enumerate(wins[:6]):
            with cols[i % len(cols)].container(border=True):
                st.markdown(f"**{m.title}**")
                st.caption(f"{m.kind} · {m.day:%d %b %Y}" if m.day else m.kind)
                st.write(m.detail)
    else:
        st.info("No milestone yet in this range: they appear as screens, logs and runs come in.")

    titles = load_rules().titles()
    specs = load_catalogue().by_id()
    bands = normal_bands()
    SECTIONS = [
        "Findings",
        "Screens",
        "Load",
        "Pain",
        "Adherence",
        "Form",
        "Wellness",
        "Progression",
    ]
    wanted = common.from_address(lambda: urlparams.choice(common.address(), "section", SECTIONS))
    section = st.radio(
        "Show",
        SECTIONS,
        index=SECTIONS.index(wanted or "Findings"),
        horizontal=True,
        key="progress_section",
    )
    st.query_params["section"] = section

    if section == "Findings":
        if status.empty:
            st.info("No assessment yet.")
        else:
            cols = st.columns(3)
            for col, kind in zip(cols, ["resolved", "persisting", "new"], strict=True):
                rows = status[status["status"] == kind]
                col.markdown(f"**{kind.capitalize()}** ({len(rows)})")
                for r in rows.itertuples():
                    col.write(f"- {titles.get(r.finding_id, r.finding_id)} ({r.severity})")
            counts = found.groupby(["assessed_on", "severity"]).size().reset_index(name="findings")
            fig = px.bar(
                counts,
                x="assessed_on",
                y="findings",
                color="severity",
                title="Findings per assessment",
                color_discrete_map={"high": "#C0392B", "moderate": "#E67E22", "info": "#2E86C1"},
            )
            common.chart(fig, "findings_chart")
            common.csv_button(found, "findings", "dl_findings")

    if section == "Screens":
        numeric = screens[screens["screen_id"].map(lambda s: specs[s].kind == "number")]
        if numeric.empty:
            st.info("No screen values yet.")
        else:
            ids = list(dict.fromkeys(numeric["screen_id"]))
            cols = 3
            rows = -(-len(ids) // cols)
            fig = make_subplots(
                rows=rows,
                cols=cols,
                subplot_titles=[specs[i].name for i in ids],
                vertical_spacing=0.12 / max(1, rows / 3),
            )
            colours = {"left": "#0B6E4F", "right": "#E67E22", "none": "#34495E"}
            legend: set[str] = set()
            for n, sid in enumerate(ids):
                r, c = n // cols + 1, n % cols + 1
                part = numeric[numeric["screen_id"] == sid]
                for side, g in part.groupby("side"):
                    fig.add_trace(
                        go.Scatter(
                            x=g["assessed_on"],
                            y=g["value"],
                            mode="lines+markers",
                            name="single" if side == "none" else side,
                            legendgroup=side,
                            showlegend=side not in legend,
                            line={"color": colours.get(side)},
                        ),
                        row=r,
                        col=c,
                    )
                    legend.add(side)
                low, high = bands.get(sid, (None, None))
                for edge in (low, high):
                    if edge is not None:
                        fig.add_hline(y=edge, line_dash="dot", line_color="#7F8C8D", row=r, col=c)
            fig.update_layout(height=280 * rows, title="Screens against the normal edge (dotted)")
            common.chart(fig, "screens_chart")
            st.caption(
                "Dotted line: the rule table's edge of normal (values past it raise a finding). "
                "A change counts as real only beyond the minimal detectable change (knee-to-wall "
                "1.9 cm, Powden et al. 2015) or, without a published figure, 10 % of baseline."
            )
            asym = common.query("asymmetry", athlete_id)
            if not asym.empty:
                asym = asym.assign(screen=asym["screen_id"].map(lambda s: specs[s].name))
                fig = px.line(
                    asym,
                    x="assessed_on",
                    y="difference",
                    color="screen",
                    markers=True,
                    title="Left–right difference over time",
                )
                common.chart(fig, "asymmetry_chart")
            common.csv_button(screens, "screens", "dl_screens")

    if section == "Load":
        weekly = common.query("load.weekly_load", [athlete_id], start, end)
        ratio = common.query("load.acwr", [athlete_id], start, end)
        if weekly.empty:
            st.info("No logged sessions in this range.")
        else:
            fig = make_subplots(specs=[[{"secondary_y": True}]])
            fig.add_trace(
                go.Bar(
                    x=weekly["week_start"],
                    y=weekly["load"],
                    name="weekly load (AU)",
                    marker_color="#0B6E4F",
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=weekly["week_start"],
                    y=weekly["monotony"],
                    name="monotony",
                    mode="lines+markers",
                    line_color="#E67E22",
                ),
                secondary_y=True,
            )
            fig.add_hline(
                y=2.0,
                line_dash="dot",
                line_color="#E67E22",
                secondary_y=True,
                annotation_text="monotony 2.0",
            )
            fig.update_layout(title="Weekly load (sRPE × minutes) and monotony")
            common.chart(fig, "load_chart")
            fig = px.line(ratio, x="day", y=["ratio", "ewma_ratio"], title="Acute:chronic ratio")
            fig.add_hrect(y0=0.8, y1=1.3, fillcolor="#0B6E4F", opacity=0.08, line_width=0)
            fig.add_hline(y=1.5, line_dash="dot", line_color="#C0392B", annotation_text="1.5")
            common.chart(fig, "acwr_chart")
            st.caption(load.ACWR_NOTE)
            st.dataframe(
                weekly,
                hide_index=True,
                column_config={
                    "week_start": st.column_config.DateColumn("Week", format="D MMM YYYY"),
                    "load": "Load (AU)",
                    "run_km": "Km",
                    "sessions": "Sessions",
                    "monotony": "Monotony",
                    "strain": "Strain",
                    "monotony_flag": "Monotony > 2",
                    "complete": "Complete week",
                },
            )
            common.csv_button(weekly, "weekly-load", "dl_load")

    if section == "Pain":
        pain = common.query("pain", athlete_id, start, end)
        if pain.empty:
            st.success("No pain reported in this range.")
        else:
            fig = px.scatter(
                pain,
                x="day",
                y="score",
                color="region",
                symbol="when",
                title="Pain over time (0–10)",
                range_y=[-0.5, 10.5],
            )
            fig.update_traces(marker={"size": 12})
            fig.add_hline(
                y=5,
                line_dash="dot",
                line_color="#C0392B",
                annotation_text="5/10: the pain-monitoring model's limit",
            )
            common.chart(fig, "pain_chart")
            st.caption(
                "Pain during work up to 5/10 is acceptable if it settles by the next morning "
                "and does not rise week to week (Silbernagel et al. 2007)."
            )
            common.csv_button(pain, "pain", "dl_pain")

    if section == "Adherence":
        if adherence.empty:
            st.info("No planned sessions in this range.")
        else:
            weekly_adh = adherence.groupby("week_start")[["planned", "done"]].sum().reset_index()
            weekly_adh["adherence"] = weekly_adh["done"] / weekly_adh["planned"]
            fig = px.bar(
                weekly_adh,
                x="week_start",
                y=["done", "planned"],
                barmode="overlay",
                title="Sessions done against planned, by week",
            )
            common.chart(fig, "adherence_chart")
            by_kind = adherence.groupby("kind")[["planned", "done"]].sum().reset_index()
            by_kind["adherence"] = (by_kind["done"] / by_kind["planned"]).round(2)
            fig = px.bar(
                by_kind,
                x="kind",
                y="adherence",
                range_y=[0, 1],
                title="Adherence by kind of session",
            )
            fig.add_hline(y=0.7, line_dash="dot", annotation_text="70 %")
            common.chart(fig, "adherence_kind_chart")
            common.csv_button(adherence, "adherence", "dl_adherence")

    if section == "Form":
        if form.empty:
            st.info("No runs with form metrics in this range.")
        else:
            long = form.melt(
                id_vars="week_start",
                value_vars=[
                    "cadence_spm",
                    "ground_contact_ms",
                    "vertical_oscillation_cm",
                    "cadence_cv_pct",
                    "long_run_cadence_fade",
                    "long_run_contact_fade",
                ],
                var_name="metric",
            )
            fig = px.line(
                long,
                x="week_start",
                y="value",
                facet_col="metric",
                facet_col_wrap=3,
                markers=True,
                title="Running form by week",
            )
            fig.update_yaxes(matches=None, showticklabels=True)
            fig.for_each_annotation(
                lambda a: a.update(text=a.text.split("=")[-1].replace("_", " "))
            )
            fig.update_layout(height=560)
            common.chart(fig, "form_chart")
            st.caption(
                "Targets: cadence 166 spm or more at easy pace, vertical oscillation 10 cm or less "
                "(rule table); typical easy-pace ground contact 160–300 ms (protocols §4). Fade: "
                "last quarter of a long run against the first, in %."
            )
            common.csv_button(form, "form", "dl_form")

    if section == "Wellness":
        well = common.query("wellness", athlete_id, start, end)
        if well.empty:
            st.info("No wellness check-ins in this range.")
        else:
            fig = go.Figure()
            band = well.dropna(subset=["baseline", "sd"])
            fig.add_trace(
                go.Scatter(
                    x=band["day"],
                    y=band["baseline"] - 1.5 * band["sd"],
                    name="baseline − 1.5 SD",
                    line={"dash": "dot", "color": "#C0392B"},
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=band["day"],
                    y=band["baseline"],
                    name="own 28-day baseline",
                    line={"color": "#7F8C8D"},
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=well["day"],
                    y=well["total"],
                    name="wellness (5–25)",
                    mode="lines+markers",
                    line={"color": "#0B6E4F"},
                )
            )
            fig.update_layout(title="Wellness against the runner's own baseline")
            common.chart(fig, "wellness_chart")
            common.csv_button(well, "wellness", "dl_wellness")

    if section == "Progression":
        history = common.query("progression_history", athlete_id)
        if history.empty:
            st.info("No progression or plan change yet.")
        else:
            st.dataframe(
                history,
                hide_index=True,
                column_config={
                    "created_at": st.column_config.DatetimeColumn(
                        "When", format="D MMM YYYY HH:mm"
                    ),
                    "plan_id": "Plan",
                    "version": "Version",
                    "status": "Status",
                    "note": "What changed",
                },
            )
            common.csv_button(history, "progression", "dl_history")


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
