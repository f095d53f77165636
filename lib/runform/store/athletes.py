"""Athlete profiles."""

from __future__ import annotations

import pandas as pd

from runform.models import AthleteProfile, Goal, RecentRace
from runform.store.connection import Connection, check_athlete, one, scalar, scope_of, table

COLUMNS = (
    "name, birth_year, sex, running_years, weekly_km, runs_per_week, longest_run_km, goal_event, "
    "goal_date, available_days, minutes_per_day, equipment, injury_history, minutes_by_day, "
    "long_run_day, recent_race_km, recent_race_time, recent_race_date, max_hr, goal_distance_km"
)
NAMES = [c.strip() for c in COLUMNS.split(",")]
# A placeholder per column; the map is cast so that a Python dict binds as a MAP, not a STRUCT.
PLACEHOLDERS = ", ".join(
    "?::MAP(VARCHAR, INTEGER)" if c == "minutes_by_day" else "?" for c in NAMES
)


def _values(p: AthleteProfile) -> list:
    race = p.recent_race
    return [
        p.name,
        p.birth_year,
        p.sex,
        p.running_years,
        p.weekly_km,
        p.runs_per_week,
        p.longest_run_km,
        p.goal.event if p.goal else None,
        p.goal.date if p.goal else None,
        list(p.available_days),
        p.minutes_per_day,
        list(p.equipment),
        p.injury_history,
        dict(p.minutes_by_day) or None,
        p.long_run_day,
        race.distance_km if race else None,
        race.time if race else None,
        race.date if race else None,
        p.max_hr,
        p.goal.distance_km if p.goal else None,
    ]


def reserve_ids(con: Connection, n: int) -> list[int]:
    return [
        r[0] for r in con.execute("SELECT nextval('athlete_id_seq') FROM range(?)", [n]).fetchall()
    ]


def insert(con: Connection, profile: AthleteProfile, athlete_id: int | None = None) -> int:
    if scope_of(con) is not None:
        raise PermissionError("a runner link cannot create runners")
    if athlete_id is None:
        athlete_id = reserve_ids(con, 1)[0]
    con.execute(
        f"INSERT INTO {table(con, 'athletes')} (id, {COLUMNS}) VALUES (?, {PLACEHOLDERS})",
        [athlete_id, *_values(profile)],
    )
    return athlete_id


def update(con: Connection, athlete_id: int, profile: AthleteProfile) -> None:
    check_athlete(con, athlete_id)
    sets = ", ".join(
        f"{c} = ?::MAP(VARCHAR, INTEGER)" if c == "minutes_by_day" else f"{c} = ?" for c in NAMES
    )
    con.execute(
        f"UPDATE {table(con, 'athletes')} SET {sets} WHERE id = ?", [*_values(profile), athlete_id]
    )


def exists(con: Connection, athlete_id: int) -> bool:
    return scalar(con, "SELECT count(*) FROM athletes WHERE id = ?", [athlete_id]) > 0


def count(con: Connection) -> int:
    return scalar(con, "SELECT count(*) FROM athletes")


def roster(con: Connection) -> pd.DataFrame:
    """One row per athlete with the date of the latest assessment, for pickers and lists."""
    return con.execute(
        """
        SELECT a.id, a.name, a.weekly_km, a.goal_event, a.goal_date,
               max(s.assessed_on) AS last_assessed, count(s.id) AS assessments
        FROM athletes a LEFT JOIN assessments s ON s.athlete_id = a.id
        GROUP BY ALL ORDER BY a.name, a.id
        """
    ).df()


def get(con: Connection, athlete_id: int) -> AthleteProfile | None:
    row = one(con, f"SELECT {COLUMNS} FROM athletes WHERE id = ?", [athlete_id])
    if row is None:
        return None
    r = dict(zip(NAMES, row, strict=True))
    goal = None
    if r["goal_event"]:
        goal = Goal(event=r["goal_event"], date=r["goal_date"], distance_km=r["goal_distance_km"])
    race = None
    if r["recent_race_km"] is not None:
        race = RecentRace(
            distance_km=r["recent_race_km"], time=r["recent_race_time"], date=r["recent_race_date"]
        )
    return AthleteProfile(
        name=r["name"],
        birth_year=r["birth_year"],
        sex=r["sex"],
        running_years=r["running_years"],
        weekly_km=r["weekly_km"],
        runs_per_week=r["runs_per_week"],
        longest_run_km=r["longest_run_km"],
        goal=goal,
        available_days=r["available_days"],
        minutes_per_day=r["minutes_per_day"],
        equipment=r["equipment"],
        injury_history=r["injury_history"],
        minutes_by_day=r["minutes_by_day"] or {},
        long_run_day=r["long_run_day"],
        recent_race=race,
        max_hr=r["max_hr"],
    )
