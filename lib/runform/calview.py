"""The calendar's shape: whole weeks (Monday first) of days, each with its sessions coloured by
`runform.compliance`, rest days (nothing planned, nothing logged) and the goal race marked; and
the team's week, a runner to a row. Pure: frames in, plain data out, for the pages to draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from runform.vocab import Compliance, SessionKind

WEEK = 7


@dataclass(frozen=True)
class Item:
    """One session on the calendar: planned (with where it sits in its plan) or only logged."""

    kind: SessionKind
    status: Compliance
    planned_minutes: float | None
    done_minutes: float | None
    plan_id: int | None
    version: int | None
    week: int | None
    position: int | None
    log_id: int | None


@dataclass(frozen=True)
class Day:
    day: date
    items: tuple[Item, ...]
    goal: bool  # the goal race's day

    @property
    def rest(self) -> bool:
        """Nothing planned and nothing logged: a rest day."""
        return not self.items


@dataclass(frozen=True)
class TeamRow:
    athlete_id: int
    name: str
    days: tuple[tuple[Item, ...], ...]  # Monday to Sunday


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def whole_weeks(start: date, end: date) -> tuple[date, date]:
    """The Monday of `start`'s week and the Sunday of `end`'s."""
    return monday(start), monday(end) + timedelta(days=WEEK - 1)


def month(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def items(found: pd.DataFrame) -> dict[tuple[int, date], tuple[Item, ...]]:
    """The sessions of `found` (`store.calendar.sessions` with `status`) by runner and day, in
    the store's order (planned first, by week and position)."""
    out: dict[tuple[int, date], list[Item]] = {}
    columns = ["athlete_id", "day", "kind", "status", "planned_minutes", "done_minutes"]
    columns += ["plan_id", "version", "week", "position", "log_id"]
    records: list[dict[Any, Any]] = found[columns].to_dict("records")
    for r in records:
        key = (int(r["athlete_id"]), pd.Timestamp(r["day"]).date())
        out.setdefault(key, []).append(
            Item(
                kind=r["kind"],
                status=r["status"],
                planned_minutes=_float(r["planned_minutes"]),
                done_minutes=_float(r["done_minutes"]),
                plan_id=_int(r["plan_id"]),
                version=_int(r["version"]),
                week=_int(r["week"]),
                position=_int(r["position"]),
                log_id=_int(r["log_id"]),
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def weeks(found: pd.DataFrame, first: date, last: date, goal: date | None) -> list[list[Day]]:
    """The days from `first` (a Monday) to `last` (a Sunday), a week to a row, each with the
    sessions of `found` (one runner's) and whether it is the goal race's day."""
    by_day = {day: its for (_, day), its in items(found).items()}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    cells = [Day(d, by_day.get(d, ()), d == goal) for d in days]
    return [cells[i : i + WEEK] for i in range(0, len(cells), WEEK)]


def team_grid(found: pd.DataFrame, names: pd.DataFrame, first: date) -> list[TeamRow]:
    """Every runner of `names` (athlete_id, name; in its order) with their sessions of the week
    from `first`, Monday to Sunday; a runner with nothing that week has a row of rest days."""
    by_key = items(found)
    days = [first + timedelta(days=i) for i in range(WEEK)]
    ids: list[Any] = names["athlete_id"].tolist()
    return [
        TeamRow(
            athlete_id=int(a),
            name=str(n),
            days=tuple(by_key.get((int(a), d), ()) for d in days),
        )
        for a, n in zip(ids, names["name"].tolist(), strict=True)
    ]
