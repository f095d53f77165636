"""Progress: one runner against their baseline, with small wins first."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from pages import common
from runform import adherence as rules_adherence
from runform import change, clock, compare, milestones, thresholds, urlparams
from runform import wellness as rules_wellness
from runform.compensations import load_rules, normal_bands, threshold
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

    found = common.query("findings_by_assessment", athlete_id)
    measured = common.query("measured_screens", athlete_id)
    status = compare.status_table(found, measured)  # only what was measured again is compared
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
        measured=measured,
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
    retested = retested_text(measured)
    if retested:
        st.caption(retested)

    titles = load_rules().titles()
    limits = thresholds.load()
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
        if measured.empty:
            st.info("No assessment yet.")
        elif status.empty:
            st.info("No findings at the latest two assessments.")
        else:
            changes = ["resolved", "persisting", "new", "not re-tested"]
            kinds = ["baseline"] if set(status["status"]) == {"baseline"} else changes
            cols = st.columns(len(kinds))
            for col, kind in zip(cols, kinds, strict=True):
                rows = status[status["status"] == kind]
                col.markdown(f"**{kind.capitalize()}** ({len(rows)})")
                for r in rows.itertuples():
                    why = (
                        f"; {', '.join(compare.screen_names(r.not_remeasured))} not measured again"
                        if len(r.not_remeasured)
                        else ""
                    )
                    col.write(f"- {titles.get(r.finding_id, r.finding_id)} ({r.severity}{why})")
            st.caption(
                "Between the latest two assessments. Resolved: the tests that raised it were done "
                "again and no longer raise it; not re-tested: those tests were not all done again, "
                "so nothing is known yet."
            )
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
                + change.rule_text()
            )
            progress = compare.screen_progress(screens, measured)
            if not progress.empty:
                st.markdown("**Re-tested at the latest assessment, against the first value**")
                st.dataframe(
                    progress.assign(screen=progress["screen_id"].map(lambda s: specs[s].name)),
                    hide_index=True,
                    column_order=[
                        "screen",
                        "side",
                        "baseline_on",
                        "baseline",
                        "value",
                        "change",
                        "real",
                        "figure",
                    ],
                    column_config={
                        "screen": "Screen",
                        "side": "Side",
                        "baseline_on": st.column_config.DateColumn("First", format="YYYY-MM-DD"),
                        "baseline": "First value",
                        "value": "Latest",
                        "change": "Change",
                        "real": st.column_config.CheckboxColumn("Real change"),
                        "figure": "Figure used",
                    },
                    key="screen_progress",
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
                y=limits.monotony.flag,
                line_dash="dot",
                line_color="#E67E22",
                secondary_y=True,
                annotation_text=f"monotony {limits.monotony.flag:g}",
            )
            fig.update_layout(title="Weekly load (sRPE × minutes) and monotony")
            common.chart(fig, "load_chart")
            fig = px.line(ratio, x="day", y=["ratio", "ewma_ratio"], title="Acute:chronic ratio")
            a = limits.acwr
            fig.add_hrect(
                y0=a.usual_low, y1=a.usual_high, fillcolor="#0B6E4F", opacity=0.08, line_width=0
            )
            fig.add_hline(
                y=a.flag, line_dash="dot", line_color="#C0392B", annotation_text=f"{a.flag:g}"
            )
            common.chart(fig, "acwr_chart")
            st.caption(a.note_text())
            st.caption(f"Monotony: {limits.monotony.source}.")
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
                    "monotony_flag": f"Monotony > {limits.monotony.flag:g}",
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
            model = limits.pain
            fig.add_hline(
                y=model.during_max,
                line_dash="dot",
                line_color="#C0392B",
                annotation_text=f"{model.during_max:g}/10: the pain-monitoring model's limit",
            )
            common.chart(fig, "pain_chart")
            st.caption(
                f"Pain during work up to {model.during_max:g}/10 is acceptable if it settles by "
                "the next morning and does not rise week to week; next-morning pain more than "
                f"{model.morning_tolerance:g} above the runner's usual regresses ({model.source}). "
                f"{model.convention}"
            )
            common.csv_button(pain, "pain", "dl_pain")

    if section == "Adherence":
        if adherence.empty:
            st.info("No planned sessions in this range.")
        else:
            weekly_adh = rules_adherence.weekly(adherence)
            fig = px.bar(
                weekly_adh,
                x="week_start",
                y=["done", "planned"],
                barmode="overlay",
                title="Sessions done against planned, by week",
            )
            common.chart(fig, "adherence_chart")
            by_kind = rules_adherence.by_kind(adherence)
            by_kind["adherence"] = by_kind["adherence"].round(2)
            fig = px.bar(
                by_kind,
                x="kind",
                y="adherence",
                range_y=[0, 1],
                title="Adherence by kind of session",
            )
            low = limits.adherence.low
            fig.add_hline(y=low, line_dash="dot", annotation_text=f"{low * 100:g} %")
            common.chart(fig, "adherence_kind_chart")
            st.caption(f"Dotted line: {limits.adherence.source}.")
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
            cadence = threshold("overstriding", "cadence_spm")
            bounce = threshold("high_vertical_oscillation", "vertical_oscillation_cm", "above")
            st.caption(
                f"Targets: cadence {cadence:g} spm or more at easy pace, vertical oscillation "
                f"{bounce:g} cm or less (rule table); typical easy-pace ground contact 160–300 ms "
                "(protocols §4). Fade: last quarter of a long run against the first, in %."
            )
            common.csv_button(form, "form", "dl_form")

    if section == "Wellness":
        rows = common.query("wellness", athlete_id, rules_wellness.first_needed(start), end)
        well = rules_wellness.baseline(rows)
        well = well[well["day"] >= pd.Timestamp(start)]
        if well.empty:
            st.info("No wellness check-ins in this range.")
        else:
            fig = go.Figure()
            band = well.dropna(subset=["baseline", "sd"])
            fig.add_trace(
                go.Scatter(
                    x=band["day"],
                    y=rules_wellness.band(band),
                    name=f"baseline − {limits.wellness.sd_below:g} SD",
                    line={"dash": "dot", "color": "#C0392B"},
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=band["day"],
                    y=band["baseline"],
                    name=f"own {limits.wellness.baseline_days}-day baseline",
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
            st.caption(limits.wellness.source + ".")
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


def retested_text(measured) -> str:
    """Which screens the latest assessment re-tested, said beside the small wins."""
    on, again = compare.latest_retested(measured)
    if on is None:
        return ""
    names = ", ".join(compare.screen_names(again)) if again else "none"
    return (
        f"The latest assessment ({on:%d %b %Y}) re-tested {len(again)} of the previous one's "
        f"screens: {names}. Screen wins and resolved findings count only re-tested screens."
    )


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
