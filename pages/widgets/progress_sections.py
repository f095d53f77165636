"""The Progress page's small wins and its eight sections, each drawing what one service read
returned (`runform.services.reviews`) with the figures of `runform.figures`."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages.widgets.charts import chart, csv_button
from runform import figures, thresholds
from runform.milestones import Milestone
from runform.services import assessments, reviews
from runform.vocab import (
    CHANGE_STATUSES,
    SEVERITY_LABELS,
    SIDE_LABELS,
    VERSION_STATUS_LABELS,
    label,
)

#: The weekly-load table's columns in words, with units and a sensible precision.
LOAD_COLUMNS = {
    "week_start": st.column_config.DateColumn("Week starting", format="D MMM YYYY"),
    "load": st.column_config.NumberColumn("Load (AU)", format="%.0f"),
    "run_km": st.column_config.NumberColumn("Running (km)", format="%.1f"),
    "sessions": st.column_config.NumberColumn("Sessions", format="%d"),
    "monotony": st.column_config.NumberColumn("Monotony", format="%.2f"),
    "strain": st.column_config.NumberColumn("Strain (AU)", format="%.0f"),
    "monotony_flag": None,
    "complete": st.column_config.CheckboxColumn("Complete week"),
}
SECTIONS = [
    *("Findings", "Screens", "Load", "Pain"),
    "Health",  # the weekly OSTRC-O2 by region (pages.widgets.health)
    "Adherence",
    "Calendar",  # planned against done, and fitness, fatigue and form
    *("Form", "Wellness", "Progression"),
]


def small_wins(wins: list[Milestone], retested: tuple[date | None, list[str]]) -> None:
    """Up to six milestones, three to a row, and which screens the latest assessment re-tested."""
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
    on, again = retested
    if on is not None:
        st.caption(
            f"The latest assessment ({on:%d %b %Y}) re-tested {len(again)} of the previous "
            f"one's screens: {', '.join(again) if again else 'none'}. Screen wins and resolved "
            "findings count only re-tested screens."
        )


def findings(seen: reviews.Findings) -> None:
    """The latest two assessments compared, finding by finding, and findings per assessment."""
    status = seen.status
    if seen.measured.empty:
        st.info("No assessment yet.")
        return
    if status.empty:
        st.info("No findings at the latest two assessments.")
        return
    kinds = ["baseline"] if set(status["status"]) == {"baseline"} else list(CHANGE_STATUSES)
    for col, kind in zip(st.columns(len(kinds)), kinds, strict=True):
        rows = status[status["status"] == kind]
        col.markdown(f"**{kind.capitalize()}** ({len(rows)})")
        for r in rows.itertuples():
            names = list(r.not_remeasured_names)
            why = f"; {', '.join(names)} not measured again" if names else ""
            col.write(f"- {r.title} ({label(SEVERITY_LABELS, r.severity).lower()}{why})")
    st.caption(
        "Between the latest two assessments. Resolved: the tests that raised it were done "
        "again and no longer raise it; not re-tested: those tests were not all done again, "
        "so nothing is known yet."
    )
    chart(figures.findings(seen.by_assessment), "findings_chart")
    csv_button(seen.by_assessment, "findings", "dl_findings")


def screens(seen: reviews.ScreenReview) -> None:
    """Each number screen against the edge of normal, what was re-tested against its first
    value, and the left–right differences."""
    if seen.numbers.empty:
        st.info("No screen values yet.")
        return
    chart(figures.screen_values(seen.numbers), "screens_chart")
    st.caption(figures.screens_note())
    if not seen.progress.empty:
        st.markdown("**Re-tested at the latest assessment, against the first value**")
        st.dataframe(
            progress_table(seen.progress),
            hide_index=True,
            column_order=[
                "screen",
                "side",
                "baseline_on",
                "baseline",
                "value",
                "change",
                "unit",
                "real",
                "figure",
            ],
            column_config={
                "screen": "Screen",
                "side": "Side",
                "baseline_on": st.column_config.DateColumn("First measured", format="D MMM YYYY"),
                "baseline": st.column_config.NumberColumn("First value", format="%g"),
                "value": st.column_config.NumberColumn("Latest value", format="%g"),
                "change": st.column_config.NumberColumn("Change", format="%+g"),
                "unit": "Unit",
                "real": st.column_config.CheckboxColumn("Real change"),
                "figure": "Smallest real change",
            },
            key="screen_progress",
        )
    if not seen.asymmetry.empty:
        chart(figures.asymmetry(seen.asymmetry), "asymmetry_chart")
    csv_button(seen.values, "screens", "dl_screens")


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    """The re-tested screens in words: each side named (blank for a screen measured once), each
    value with its screen's unit, numbers to a tenth."""
    units = {s.id: s.unit for s in assessments.catalogue().screens}
    return progress.assign(
        side=[label(SIDE_LABELS, s) if s in SIDE_LABELS else "" for s in progress["side"]],
        unit=[units.get(str(i), "") for i in progress["screen_id"]],
        baseline=progress["baseline"].round(1),
        value=progress["value"].round(1),
        change=progress["change"].round(1),
    )


def load(weekly: pd.DataFrame, ratio: pd.DataFrame) -> None:
    """Weekly load and monotony, the acute:chronic ratio, and the weeks as a table."""
    if weekly.empty:
        st.info("No logged sessions in this range.")
        return
    chart(figures.weekly_load(weekly), "load_chart")
    chart(figures.acwr(ratio), "acwr_chart")
    st.caption(figures.acwr_note())
    st.caption(figures.monotony_note())
    st.dataframe(
        weekly,
        hide_index=True,
        column_order=list(LOAD_COLUMNS),
        column_config={
            **LOAD_COLUMNS,
            "monotony_flag": st.column_config.CheckboxColumn(
                f"Monotony above {thresholds.load().monotony.flag:g}"
            ),
        },
        key="load_table",
    )
    csv_button(weekly, "weekly-load", "dl_load")


def pain(reports: pd.DataFrame) -> None:
    if reports.empty:
        st.success("No pain reported in this range.")
        return
    chart(figures.pain(reports), "pain_chart")
    st.caption(figures.pain_note())
    csv_button(reports, "pain", "dl_pain")


def adherence(summary: reviews.Adherence) -> None:
    if summary.planned.empty:
        st.info("No planned sessions in this range.")
        return
    chart(figures.adherence_weeks(summary.weekly), "adherence_chart")
    chart(figures.adherence_kinds(summary.by_kind), "adherence_kind_chart")
    st.caption(figures.adherence_note())
    csv_button(summary.planned, "adherence", "dl_adherence")


def form(seen: reviews.FormReview) -> None:
    """Form by week, then cadence against speed (like with like: step rate rises with speed)."""
    weeks, own = seen.weeks, seen.cadence
    if weeks.empty:
        st.info("No runs with form metrics in this range.")
        return
    chart(figures.form(weeks), "form_chart")
    st.caption(figures.form_note(own.target))
    csv_button(weeks, "form", "dl_form")
    if own.runs.empty:
        return
    chart(figures.cadence_speed(own.runs, own.baseline), "cadence_speed_chart")
    st.caption(figures.cadence_speed_note(own.baseline))
    csv_button(own.runs, "cadence-by-speed", "dl_cadence_speed")


def wellness(well: pd.DataFrame) -> None:
    if well.empty:
        st.info("No wellness check-ins in this range.")
        return
    chart(figures.wellness_trend(well), "wellness_chart")
    st.caption(figures.wellness_note())
    csv_button(well, "wellness", "dl_wellness")


def progression(history: pd.DataFrame) -> None:
    """Every plan change after the first version, its status in words."""
    if history.empty:
        st.info("No progression or plan change yet.")
        return
    st.dataframe(
        history.assign(status=[label(VERSION_STATUS_LABELS, s) for s in history["status"]]),
        hide_index=True,
        column_order=["created_at", "plan_id", "version", "status", "note"],
        column_config={
            "created_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY HH:mm"),
            "plan_id": st.column_config.NumberColumn("Plan", format="%d"),
            "version": st.column_config.NumberColumn("Version", format="%d"),
            "status": "Status",
            "note": "What changed",
        },
        key="progression_table",
    )
    csv_button(history, "progression", "dl_history")
