"""Record a session and turn the logs into the next prescription (a proposed plan version).

The log is the runner's truth and commits on its own; the proposal is a second step, retried
when another device's proposal took the same version number, and reported apart when it still
fails, so a page never says "nothing saved" about a log that was saved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import duckdb
import pandas as pd

from runform import load, progression
from runform.models import SessionLog
from runform.store import athletes, logs, plans
from runform.store.connection import Connection, explain

PROPOSAL_TRIES = 3


class Recorded(NamedTuple):
    log_id: int
    progression: progression.Progression | None
    proposal_error: str | None = None  # the log is saved; only the proposal failed


def record(con: Connection, log: SessionLog, records: pd.DataFrame | None = None) -> Recorded:
    """Save the log (one transaction), then propose the next doses from everything logged."""
    log_id = logs.save(con, log, records)
    result, error = propose_after_save(con, log.athlete_id, log.day)
    return Recorded(log_id, result, error)


def propose_after_save(
    con: Connection, athlete_id: int, today: date
) -> tuple[progression.Progression | None, str | None]:
    """`propose`, retried on a version-number race; a failure is returned, never raised."""
    for attempt in range(PROPOSAL_TRIES):
        try:
            return propose(con, athlete_id, today), None
        except (duckdb.ConstraintException, duckdb.TransactionException) as e:
            if attempt == PROPOSAL_TRIES - 1:
                return None, f"another device changed the plan at the same moment ({e})"
        except (duckdb.Error, OSError) as e:
            return None, str(explain(e, "in use"))
    return None, None


def last_monotony(con: Connection, athlete_id: int, today: date) -> float | None:
    """Last calendar week's monotony (Foster 1998), from `load.weekly_load`; None if unknown."""
    week_start = today - timedelta(days=today.weekday() + 7)
    weekly = load.weekly_load(con, [athlete_id], start=week_start, end=week_start + timedelta(6))
    if weekly.empty or pd.isna(weekly["monotony"].iloc[-1]):
        return None
    return float(weekly["monotony"].iloc[-1])


def propose(con: Connection, athlete_id: int, today: date) -> progression.Progression | None:
    """Progression over the athlete's current plan; a change is saved as a proposed version."""
    plan_id = plans.latest_for(con, athlete_id)
    profile = athletes.get(con, athlete_id)
    plan = plans.load(con, plan_id) if plan_id is not None else None
    if plan_id is None or plan is None or profile is None:
        return None  # no plan (or it was deleted meanwhile): nothing to progress
    result = progression.progress(
        plan,
        today,
        logs.exercise_history(con, athlete_id),
        logs.pain_history(con, athlete_id),
        logs.runs(con, athlete_id),
        set(profile.equipment),
        logs.intake_run(con, athlete_id),
        last_monotony(con, athlete_id, today),
    )
    if result.changed():
        summary = "; ".join(f"{d.name} {d.action}" for d in result.decisions if d.before != d.after)
        plans.add_version(
            con, plan_id, result.plan, f"progression after {today:%d %b}: {summary}", "proposed"
        )
    return result
