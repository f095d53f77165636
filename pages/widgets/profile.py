"""A runner's profile: who they are, their running, their goal, their week and their paces.

Each function draws its widgets pre-filled from a stored profile (blank for a new runner), adds
an error slot under each field (`athlete.<field>`), and returns the raw values for a service.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.core.run import Slots
from runform import clock
from runform.models import EARLIEST, AthleteProfile
from runform.vocab import (
    EQUIPMENT,
    EQUIPMENT_LABELS,
    SEX_LABELS,
    SEXES,
    WEEKDAY_LABELS,
    WEEKDAYS,
    label,
)

#: What a new runner's form starts from (numbers a coach adjusts rather than types).
BLANK = AthleteProfile(name="Runner", available_days=["tue", "thu", "sat"])


def profile_fields(prefix: str, p: AthleteProfile | None, slots: Slots) -> dict[str, Any]:
    """The profile widgets, pre-filled from `p` (blank for a new runner); returns raw values."""
    new = p is None
    p = p or BLANK
    c1, c2, c3 = st.columns(3)
    raw: dict[str, Any] = {}
    with c1:
        raw["name"] = st.text_input("Name", "" if new else p.name, key=f"{prefix}name")
        slots.add("athlete.name")
        raw["birth_year"] = st.number_input(
            "Birth year",
            value=None if new else p.birth_year,
            step=1,
            key=f"{prefix}birth_year",
            placeholder="e.g. 1990",
        )
        slots.add("athlete.birth_year")
        sexes = [None, *SEXES]
        raw["sex"] = st.selectbox(
            "Sex",
            sexes,
            index=sexes.index(None if new else p.sex),
            format_func=lambda s: "not given" if s is None else label(SEX_LABELS, s),
            key=f"{prefix}sex",
        )
        raw["running_years"] = st.number_input(
            "Years running",
            value=None if new else p.running_years,
            step=1.0,
            key=f"{prefix}years",
            format="%.0f",
        )
        slots.add("athlete.running_years")
    with c2:
        raw["weekly_km"] = st.number_input(
            "Current weekly km",
            value=float(p.weekly_km),
            step=1.0,
            key=f"{prefix}weekly_km",
            format="%.1f",
        )
        slots.add("athlete.weekly_km")
        raw["runs_per_week"] = st.number_input(
            "Runs per week", value=p.runs_per_week, step=1, key=f"{prefix}runs"
        )
        slots.add("athlete.runs_per_week")
        raw["longest_run_km"] = st.number_input(
            "Longest run in the last 30 days (km)",
            value=float(p.longest_run_km),
            step=0.5,
            key=f"{prefix}longest",
            format="%.1f",
        )
        slots.add("athlete.longest_run_km")
        raw["minutes_per_day"] = st.number_input(
            "Minutes available per training day",
            value=p.minutes_per_day,
            step=5,
            key=f"{prefix}minutes",
        )
        slots.add("athlete.minutes_per_day")
    with c3:
        raw["goal"] = goal_fields(prefix, None if new else p, slots)
        raw["available_days"] = st.multiselect(
            "Days available for training",
            WEEKDAYS,
            default=p.available_days,
            format_func=lambda d: label(WEEKDAY_LABELS, d),
            key=f"{prefix}days",
        )
        raw["equipment"] = st.multiselect(
            "Equipment at hand",
            EQUIPMENT,
            default=p.equipment,
            format_func=lambda e: label(EQUIPMENT_LABELS, e),
            key=f"{prefix}equipment",
        )
    raw.update(week_fields(prefix, None if new else p, slots))
    raw.update(pace_fields(prefix, None if new else p, slots))
    raw["injury_history"] = st.text_area(
        "Injury history", "" if new else p.injury_history, key=f"{prefix}injuries", height=68
    )
    slots.add("athlete.injury_history")
    return raw


def goal_fields(prefix: str, p: AthleteProfile | None, slots: Slots) -> dict[str, Any] | None:
    """The goal event, its date and distance; None when neither an event nor a distance is given."""
    goal = p.goal if p else None
    event = st.text_input(
        "Goal event",
        goal.event if goal else "",
        key=f"{prefix}goal_event",
        placeholder="e.g. half marathon",
    )
    goal_date = st.date_input(
        "Goal date", goal.date if goal else None, key=f"{prefix}goal_date", format="YYYY-MM-DD"
    )
    goal_km = st.number_input(
        "Goal distance (km), if the event names none",
        value=goal.distance_km if goal else None,
        step=0.5,
        format="%.1f",
        key=f"{prefix}goal_distance_km",
        placeholder="e.g. 30 for a trail race",
        help='"5k", "10 km", "half marathon" or "marathon" in the event are read from it.',
    )
    slots.add("athlete.goal.distance_km")
    slots.add("athlete.goal")
    if not event and goal_km is None:
        return None
    return {"event": event, "date": goal_date, "distance_km": goal_km}


def week_fields(prefix: str, p: AthleteProfile | None, slots: Slots) -> dict[str, Any]:
    """The long-run day and minutes on particular days, one field a row (phones)."""
    days = [None, *WEEKDAYS]
    long_day = st.selectbox(
        "Long-run day",
        days,
        index=days.index(p.long_run_day if p else None),
        format_func=lambda d: "weekend default" if d is None else label(WEEKDAY_LABELS, d),
        key=f"{prefix}long_run_day",
        help="One of the days available for training; by default the available weekend day.",
    )
    slots.add("athlete.long_run_day")
    by_day: dict[str, int] = {str(d): m for d, m in p.minutes_by_day.items()} if p else {}
    minutes: dict[str, int] = {}
    with st.expander("Minutes on particular days", expanded=bool(by_day)):
        st.caption(
            "Only for days chosen above as available; leave a day empty to use the minutes "
            "available per training day."
        )
        for day in WEEKDAYS:
            v = st.number_input(
                f"Minutes on {label(WEEKDAY_LABELS, day)}",
                value=by_day.get(day),
                step=5,
                key=f"{prefix}minutes_{day}",
                placeholder="everyday minutes",
            )
            slots.add(f"athlete.minutes_by_day.{day}")
            if v is not None:
                minutes[day] = v
        slots.add("athlete.minutes_by_day")
    return {"long_run_day": long_day, "minutes_by_day": minutes}


def pace_fields(prefix: str, p: AthleteProfile | None, slots: Slots) -> dict[str, Any]:
    """A recent race and maximum heart rate, from which runs get pace and heart-rate targets."""
    race = p.recent_race if p else None
    with st.expander("Recent race and maximum heart rate", expanded=bool(race or (p and p.max_hr))):
        st.caption("For pace and heart-rate targets; without them runs carry effort (RPE) only.")
        km = st.number_input(
            "Race distance (km)",
            value=race.distance_km if race else None,
            step=0.1,
            format="%.1f",
            key=f"{prefix}recent_race_km",
            placeholder="e.g. 10",
            help="5, 10, 21.1 for a half marathon, 42.2 for a marathon.",
        )
        slots.add("athlete.recent_race.distance_km")
        time = st.text_input(
            "Race time (hours:minutes:seconds)",
            race.time if race else "",
            key=f"{prefix}recent_race_time",
            placeholder="00:52:30",
        )
        slots.add("athlete.recent_race.time")
        day = st.date_input(
            "Race date",
            race.date if race else None,
            min_value=EARLIEST,
            max_value=clock.today(),
            key=f"{prefix}recent_race_date",
            format="YYYY-MM-DD",
        )
        slots.add("athlete.recent_race.date")
        slots.add("athlete.recent_race")
        max_hr = st.number_input(
            "Maximum heart rate (bpm)",
            value=p.max_hr if p else None,
            step=1,
            key=f"{prefix}max_hr",
            placeholder="e.g. 185",
            help="Measured in a hard effort or a race; leave empty if not known.",
        )
        slots.add("athlete.max_hr")
    given = {
        k: v
        for k, v in {"distance_km": km, "time": time, "date": day}.items()
        if v not in (None, "")
    }
    return {"recent_race": given or None, "max_hr": max_hr}
