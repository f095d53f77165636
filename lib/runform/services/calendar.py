"""The calendar: planned against done for one runner or the team's week, fitness, fatigue and form
done and projected, and the runner's calendar feed.

The store gives inputs (`store.calendar`, `store.loads`, `store.plans`); the rules
(`compliance`, `fitness`, `calview`) compute from them; this module only puts them together, so
the Plan and Progress calendars, the Team page and the feed all read the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from runform import adherence, calview, compliance, export, fitness
from runform.errors import NotFound
from runform.models import Plan
from runform.services import reviews
from runform.store import athletes, links, loads, plans, review
from runform.store import calendar as sessions_store
from runform.store.connection import Connection
from runform.vocab import Weekday


@dataclass(frozen=True)
class RunnerCalendar:
    """A runner's days from `start` to `end`, a week (Monday first) to a row."""

    weeks: list[list[calview.Day]]
    goal: date | None  # the goal race's day, from the profile
    available: list[Weekday]  # the runner's available days, from the profile


def coloured(
    con: Connection, athlete_id: int | None, start: date, end: date, today: date
) -> pd.DataFrame:
    """`store.calendar.sessions` with each session's `status` (`compliance.statuses`)."""
    found = sessions_store.sessions(con, athlete_id, start, end)
    return found.assign(status=compliance.statuses(found, today))


def runner_calendar(
    con: Connection, athlete_id: int, start: date, end: date, today: date
) -> RunnerCalendar:
    """The whole weeks from `start`'s Monday to `end`'s Sunday, each day with its sessions
    coloured, rest days and the goal race marked (`calview.weeks`)."""
    profile = athletes.get(con, athlete_id)
    if profile is None:
        raise NotFound(f"There is no runner {athlete_id}.")
    first, last = calview.whole_weeks(start, end)
    goal = profile.goal.date if profile.goal is not None else None
    found = coloured(con, athlete_id, first, last, today)
    return RunnerCalendar(
        weeks=calview.weeks(found, first, last, goal), goal=goal, available=profile.available_days
    )


def _planned_ahead(con: Connection, athlete_id: int, today: date, last: date) -> pd.DataFrame:
    """The planned sessions in force after `today` up to `last`, as `fitness.planned_rows`."""
    ahead = sessions_store.sessions(con, athlete_id, today + timedelta(days=1), last)
    ahead = ahead[ahead["planned"]]
    frames = []
    places: list[tuple[Any, Any, Any, Any]] = list(
        zip(ahead["plan_id"], ahead["version"], ahead["week"], ahead["position"], strict=True)
    )
    for plan_id, version in dict.fromkeys((p, v) for p, v, _, _ in places):
        plan = plans.load(con, int(plan_id), int(version))
        if plan is None:  # removed meanwhile: nothing to project from it
            continue
        weeks = {w.index: w.sessions for w in plan.weeks}
        chosen = [
            weeks[int(w)][int(at)]
            for p, v, w, at in places
            if (p, v) == (plan_id, version) and int(at) < len(weeks.get(int(w), []))
        ]
        frames.append(fitness.planned_rows(athlete_id, chosen, plan.pace_min_per_km))
    if not frames:
        return pd.DataFrame(columns=fitness.PLANNED_COLUMNS)
    return pd.concat(frames, ignore_index=True)


#: How far ahead the projection looks for planned sessions: the longest plan (24 weeks).
AHEAD_DAYS = 24 * 7


def fitness_curve(
    con: Connection, athlete_id: int, start: date, end: date | None, today: date
) -> pd.DataFrame:
    """Fitness, fatigue and form (`fitness.with_projection`) from `start` to `end` (None: to the
    last planned session), computed over the whole record so a value does not depend on
    `start`; after today, projected from the planned sessions in force."""
    ahead = today + timedelta(days=AHEAD_DAYS)
    end = ahead if end is None else end
    daily = loads.daily(con, [athlete_id], None, today)
    planned = _planned_ahead(con, athlete_id, today, min(end, ahead))
    curve = fitness.with_projection(daily, planned, today)
    days = pd.to_datetime(curve["day"])
    return curve[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))].reset_index(drop=True)


@dataclass(frozen=True)
class TeamWeek:
    first: date  # its Monday
    rows: list[calview.TeamRow]  # a runner to a row (`calview.team_grid`)


def team_week(con: Connection, day: date, today: date) -> TeamWeek:
    """Every runner's sessions of `day`'s week (Monday to Sunday), coloured, with their names."""
    monday = calview.monday(day)
    found = coloured(con, None, monday, monday + timedelta(days=6), today)
    names = review.runners(con)[["athlete_id", "name"]]
    return TeamWeek(monday, calview.team_grid(found, names, monday))


def team_board(con: Connection, today: date) -> pd.DataFrame:
    """The Team board (`reviews.team_board`) with each runner's `compliance` (whole percent),
    its `band` and their `tsb` (`team_columns`)."""
    board = reviews.team_board(con, today)
    return board.merge(team_columns(con, today), on="athlete_id", how="left")


def team_columns(con: Connection, today: date) -> pd.DataFrame:
    """Per runner: compliance over the adherence window (`compliance.recent`) and form today
    (`fitness.latest_form`), for the Team board."""
    start, end = adherence.window(today)
    done = compliance.recent(coloured(con, None, start, end, today), today)
    form = fitness.latest_form(loads.daily(con, None, None, today), today)
    return done.merge(form, on="athlete_id", how="outer")


# --- the feed ----------------------------------------------------------------------------------

#: How often a subscribed calendar app is asked to fetch the feed again (a hint: Google Calendar
#: decides for itself, typically every few hours to a day).
FEED_REFRESH_HOURS = 6


def _plan_in_force(con: Connection, athlete_id: int) -> Plan | None:
    plan_id = plans.latest_for(con, athlete_id)
    if plan_id is None:
        return None
    return plans.load(con, plan_id, plans.current_version(con, plan_id))


def feed(con: Connection, token: str, now: datetime) -> bytes | None:
    """The calendar a runner subscribes to with their link's token: their newest plan's current
    version as iCalendar (`export.to_ics`, so its events keep their UIDs across changes). None
    when the token opens nothing (unknown, expired or revoked): the caller refuses, with no
    data. A runner without a plan gets an empty calendar with their name."""
    athlete_id = links.resolve(con, token, now)
    if athlete_id is None:
        return None
    profile = athletes.get(con, athlete_id)
    name = profile.name if profile else "Runner"
    plan = _plan_in_force(con, athlete_id) or Plan(start=now.date(), weeks=[])
    return export.to_ics(plan, name, refresh_hours=FEED_REFRESH_HOURS)
