"""Athlete profiles."""

from __future__ import annotations

import pandas as pd

from runform.models import AthleteProfile, Goal
from runform.store.connection import Connection, check_athlete, one, scalar, scope_of, table

COLUMNS = (
    "name, birth_year, sex, running_years, weekly_km, runs_per_week, longest_run_km, goal_event, "
    "goal_date, available_days, minutes_per_day, equipment, injury_history"
)


def _values(p: AthleteProfile) -> list:
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
        f"INSERT INTO {table(con, 'athletes')} (id, {COLUMNS}) VALUES (?, {', '.join('?' * 13)})",
        [athlete_id, *_values(profile)],
    )
    return athlete_id


def update(con: Connection, athlete_id: int, profile: AthleteProfile) -> None:
    check_athlete(con, athlete_id)
    sets = ", ".join(f"{c.strip()} = ?" for c in COLUMNS.split(","))
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
    (
        name,
        birth_year,
        sex,
        running_years,
        weekly_km,
        runs_per_week,
        longest,
        goal_event,
        goal_date,
        days,
        minutes,
        equipment,
        injury_history,
    ) = row
    return AthleteProfile(
        name=name,
        birth_year=birth_year,
        sex=sex,
        running_years=running_years,
        weekly_km=weekly_km,
        runs_per_week=runs_per_week,
        longest_run_km=longest,
        goal=Goal(event=goal_event, date=goal_date) if goal_event else None,
        available_days=days,
        minutes_per_day=minutes,
        equipment=equipment,
        injury_history=injury_history,
    )
