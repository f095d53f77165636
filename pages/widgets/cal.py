"""The calendar of planned against done (`services.calendar`): a month or a week of one runner's
days, each session a link coloured by its compliance, rest days and the goal race marked; the
form that moves a planned session to another available day; the team's week for a projector;
and the fitness, fatigue and form chart.

Each session opens where it lives: a done or unplanned one the Log's history at its day, a
planned one its card on the Plan page (a runner's link: the Log at that day).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from pages.core import cache, nav
from pages.core.roles import is_runner
from pages.core.run import FORM, Slots
from pages.widgets.charts import chart, csv_button
from runform import calview, compliance, figures, fitness, plantext, urlparams
from runform.models import PlanWeek
from runform.services import calendar as calendar_service
from runform.services import plans as plan_service
from runform.services.plans import PlanSaved
from runform.store.connection import Connection
from runform.vocab import COMPLIANCE_COLOURS, COMPLIANCE_LABELS, KIND_LABELS, label

VIEWS = ("Month", "Week")
#: A mark that says each status without colour (for a screen reader, a printout, a colour-blind
#: coach): a character in each session's chip and in the team's table, and the legend's key.
MARKS = {
    "green": "✓",
    "yellow": "≈",
    "red": "!",
    "missed": "✗",
    "planned": "○",
    "unplanned": "+",
}
ICONS = {
    "green": ":material/check_circle:",
    "yellow": ":material/change_circle:",
    "red": ":material/error:",
    "missed": ":material/cancel:",
    "planned": ":material/schedule:",
    "unplanned": ":material/add_circle:",
}
HISTORY_TAB = "History"  # pages.log.TABS: the Log's tab that lists (and opens) logged sessions


def view() -> str:
    """Month or week (kept in the address as ?cal=)."""
    chosen = st.segmented_control(
        "Calendar", VIEWS, default=VIEWS[0], key="cal", bind="query-params", width="content"
    )
    return chosen or VIEWS[0]


@dataclass(frozen=True)
class Span:
    first: date
    last: date
    month: tuple[date, date] | None  # the month shown (its days drawn in full), or a week


def span_of(week_first: date) -> Span:
    """Month or week (the address's `cal`) around the Plan page's week from `week_first`."""
    if view() == "Week":
        return Span(*calview.whole_weeks(week_first, week_first), None)
    month = calview.month(week_first)
    return Span(*month, month)


def plan_month(athlete_id: int, week_first: date, today: date) -> None:
    """The Plan page's calendar of planned against done: the month (or week) of its week."""
    shown = span_of(week_first)
    found = cache.read(calendar_service.runner_calendar, athlete_id, shown.first, shown.last, today)
    grid(found.weeks, athlete_id, shown.month)
    legend()


def span(around: date) -> Span:
    """Month or week, and which (the address's `cal_day`, else `around`; put back into it)."""
    shown = view()
    wanted = nav.from_address(lambda a: urlparams.day(a, "cal_day")) or around
    picked = st.date_input(
        f"{shown} of", wanted, format="YYYY-MM-DD", key="cal_day_input", width=220
    )
    st.query_params["cal_day"] = picked.isoformat()
    if shown == "Week":
        return Span(*calview.whole_weeks(picked, picked), None)
    month = calview.month(picked)
    return Span(*month, month)


def minutes(item: calview.Item) -> str:
    """ "42/45 min" done against planned, "45 min" planned, "42 min" logged."""
    if item.planned_minutes is not None and item.done_minutes is not None:
        return f"{item.done_minutes:.0f}/{item.planned_minutes:.0f} min"
    shown = item.planned_minutes if item.planned_minutes is not None else item.done_minutes
    return f"{shown or 0:.0f} min"


def target(item: calview.Item, day: date, athlete_id: int) -> tuple[str, dict[str, str]]:
    """The page and address a session opens."""
    if item.log_id is not None or item.plan_id is None or is_runner():
        tab = {"log_tab": HISTORY_TAB} if item.log_id is not None else {}
        return "log", {"athlete": str(athlete_id), "day": day.isoformat(), **tab}
    return "plan", {
        "athlete": str(athlete_id),
        "plan": str(item.plan_id),
        "week": str(item.week),
        "session": str(item.position),
    }


def swatch(status: str, text: str) -> str:
    """`text` in white on the status's solid colour (the team's week uses the same): Markdown's
    named backgrounds are too pale to tell green from grey on a projector."""
    return f':color[{text}]{{foreground="#FFFFFF" background="{COMPLIANCE_COLOURS[status]}"}}'


def session_link(item: calview.Item, day: date, athlete_id: int) -> None:
    page, address = target(item, day, athlete_id)
    st.page_link(
        nav.page(page),
        label=swatch(item.status, f"{MARKS[item.status]} {KIND_LABELS[item.kind]} {minutes(item)}"),
        icon=ICONS[item.status],
        query_params=address,
        help=f"{label(COMPLIANCE_LABELS, item.status)}: {minutes(item)} (logged/planned minutes)",
        width="stretch",
    )


def day_head(d: calview.Day, month: tuple[date, date] | None) -> str:
    """The day's heading: its date (greyed outside the month shown), the goal race, rest."""
    text = f"**{d.day:%a %d}**" if month is None or month[0] <= d.day <= month[1] else ""
    text = text or f":gray[{d.day:%a %d}]"
    if d.goal:
        text += "  \n:red-background[🏁 Goal race]"
    elif d.rest:
        text += "  \n:gray[Rest]"
    return text


def grid(
    weeks: list[list[calview.Day]], athlete_id: int, month: tuple[date, date] | None = None
) -> None:
    """Weeks of days in seven columns, each day its heading and its sessions' links."""
    for week in weeks:
        for column, d in zip(st.columns(7, gap="small", border=True), week, strict=True):
            with column:
                st.markdown(day_head(d, month))
                for item in d.items:
                    session_link(item, d.day, athlete_id)


def legend() -> None:
    """What each colour and mark means (the chips, the team's table and the legend share them)."""
    # the marks, not the icons: an icon in a caption is a font ligature that reads as its name
    marks = {s: swatch(s, MARKS[s]) for s in MARKS}
    st.caption(" · ".join(f"{marks[s]} {t}" for s, t in compliance.legend().items()))
    st.caption(compliance.note())


def curve(frame: pd.DataFrame) -> None:
    """Fitness, fatigue and form, with what it is and is not under it."""
    if frame.empty:
        st.info("No logged or planned sessions to draw fitness, fatigue and form from.")
        return
    chart(figures.fitness(frame), "fitness_chart")
    st.caption(fitness.note())
    csv_button(frame, "fitness-fatigue-form", "dl_fitness")


# --- moving a session --------------------------------------------------------------------------


@dataclass
class Move:
    """A session to move: `write` (the service call, for the page's `run`), where its errors go
    and what to say once saved."""

    write: Callable[[Connection], PlanSaved]
    slots: Slots
    message: str


def move_form(plan_id: int, version: int, week: PlanWeek, key: str) -> Move | None:
    """Move one planned session of the week to another of the runner's available days (only
    those are offered, by `plans.move_choices`)."""
    choices = cache.read(plan_service.move_choices, plan_id, version, week.index)
    st.markdown("**Move a session** to another day the runner is available this week.")
    movable = [p for p, days in choices.items() if days]
    if not movable:
        st.caption("No session of this week can move: no other available day is free of it.")
        return None
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    position = c1.selectbox(
        "Session",
        movable,
        format_func=lambda p: (
            f"{week.sessions[p].date:%a %d %b}: {plantext.session_title(week.sessions[p])}"
        ),
        key=f"move_session_{key}",
    )
    days = choices.get(position, []) if position is not None else []
    day = c2.selectbox(
        "To", days, format_func=lambda d: f"{d:%A %d %b}", key=f"move_day_{key}_{position}"
    )
    pressed = c3.button("Move", key=f"move_{key}", type="primary")
    slots = Slots()
    slots.add("day")
    slots.add(FORM)
    if not (pressed and position is not None and day is not None):
        return None
    at = (week.index, position, day)
    return Move(
        lambda con: plan_service.move_session(con, plan_id, version, *at),
        slots,
        f"{plan_service.MOVED.capitalize()}: saved as v{{v}}.",
    )


# --- the team's week ---------------------------------------------------------------------------

_CELL = "padding:.25rem .4rem;border:1px solid #ddd;vertical-align:top"


def _chip(item: calview.Item) -> str:
    colour = COMPLIANCE_COLOURS[item.status]
    mark = MARKS[item.status]
    words = html.escape(f"{mark} {KIND_LABELS[item.kind]} {minutes(item)}")
    title = html.escape(label(COMPLIANCE_LABELS, item.status))
    return (
        f'<div title="{title}" style="background:{colour};color:#fff;border-radius:.3rem;'
        f'padding:.1rem .35rem;margin:.1rem 0;white-space:nowrap">{words}</div>'
    )


def team_week(week: calendar_service.TeamWeek) -> None:
    """The team's week as one table (one element, so 100 runners redraw at once): runners as
    rows, days as columns, each session a coloured chip; large type for a projector."""
    first, rows = week.first, week.rows
    st.subheader(f"The week from {first:%a %d %b}: planned against done")
    days = [first + timedelta(days=i) for i in range(7)]
    head = "".join(f'<th style="{_CELL}">{d:%a %d %b}</th>' for d in days)
    body = (
        "<tbody>"
        + "".join(
            f'<tr><th style="{_CELL};text-align:left;white-space:nowrap">{html.escape(r.name)}</th>'
            + "".join(
                f'<td style="{_CELL}">'
                + ("".join(_chip(i) for i in its) or '<span style="color:#888">Rest</span>')
                + "</td>"
                for its in r.days
            )
            + "</tr>"
            for r in rows
        )
        + "</tbody>"
    )
    table = '<table style="border-collapse:collapse;width:100%;font-size:1.15rem">'
    st.html(f'{table}<thead><tr><th style="{_CELL}">Runner</th>{head}</tr></thead>{body}</table>')
    legend()
