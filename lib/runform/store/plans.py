"""Plans and their versions: every edit is a new version, so nothing a coach built is lost."""

from __future__ import annotations

import pandas as pd

from runform.models import Plan, PlanOptions
from runform.store.connection import (
    Connection,
    check_athlete,
    one,
    scalar,
    scope_of,
    table,
    transaction,
)


def _write_version(
    con: Connection, plan_id: int, version: int, plan: Plan, note: str, status: str = "accepted"
) -> None:
    con.execute(
        f"INSERT INTO {table(con, 'plan_versions')} "
        "(plan_id, version, note, body, status) VALUES (?, ?, ?, ?, ?)",
        [plan_id, version, note, plan.model_dump_json(), status],
    )
    rows = pd.DataFrame(
        [
            (plan_id, version, w.index, i, s.date, s.kind, s.minutes, s.run_km, w.deload)
            for w in plan.weeks
            for i, s in enumerate(w.sessions)
        ],
        columns=[
            "plan_id",
            "version",
            "week",
            "position",
            "day",
            "kind",
            "minutes",
            "run_km",
            "deload",
        ],
    )
    con.register("new_plan_sessions", rows)
    try:
        con.execute(f"INSERT INTO {table(con, 'plan_sessions')} SELECT * FROM new_plan_sessions")
    finally:
        con.unregister("new_plan_sessions")


def create(
    con: Connection,
    athlete_id: int,
    plan: Plan,
    options: PlanOptions,
    assessment_id: int | None = None,
    note: str = "generated",
) -> int:
    """A new plan with its first version; returns the plan id."""
    check_athlete(con, athlete_id)
    with transaction(con):
        plan_id = scalar(
            con,
            f"INSERT INTO {table(con, 'plans')} "
            "(athlete_id, assessment_id, options) VALUES (?, ?, ?) RETURNING id",
            [athlete_id, assessment_id, options.model_dump_json()],
        )
        _write_version(con, plan_id, 1, plan, note)
    return plan_id


def add_version(
    con: Connection, plan_id: int, plan: Plan, note: str, status: str = "accepted"
) -> int:
    """Save an edited plan as the next version; returns its number.

    A "proposed" version (from progression) waits for the coach: the current plan stays the
    latest accepted one until it is accepted.
    """
    if scalar(con, "SELECT count(*) FROM plans WHERE id = ?", [plan_id]) == 0:
        raise ValueError(f"unknown plan id {plan_id}")
    with transaction(con):
        version = scalar(
            con,
            "SELECT coalesce(max(version), 0) + 1 FROM plan_versions WHERE plan_id = ?",
            [plan_id],
        )
        if version == 1:
            raise ValueError(f"unknown plan id {plan_id}")
        _write_version(con, plan_id, version, plan, note, status)
    return version


def current_version(con: Connection, plan_id: int) -> int | None:
    """The latest accepted version: what the runner follows."""
    return scalar(
        con,
        "SELECT max(version) FROM plan_versions WHERE plan_id = ? AND status = 'accepted'",
        [plan_id],
    )


def load(con: Connection, plan_id: int, version: int | None = None) -> Plan | None:
    """A version of the plan; by default the current (latest accepted) one."""
    version = version or current_version(con, plan_id)
    row = one(
        con, "SELECT body FROM plan_versions WHERE plan_id = ? AND version = ?", [plan_id, version]
    )
    return None if row is None else Plan.model_validate_json(row[0])


def proposal(con: Connection, plan_id: int) -> tuple[int, str] | None:
    """The newest proposed version after the current one, with its note, if any."""
    row = one(
        con,
        "SELECT version, note FROM plan_versions WHERE plan_id = ? AND status = 'proposed' "
        "AND version > ? ORDER BY version DESC LIMIT 1",
        [plan_id, current_version(con, plan_id) or 0],
    )
    return None if row is None else (row[0], row[1])


def decide(con: Connection, plan_id: int, version: int, accept: bool) -> None:
    """Accept a proposed version (it becomes current) or roll it back (the current one stays)."""
    if scope_of(con) is not None:
        raise PermissionError("only the coach accepts or rolls back plan changes")
    with transaction(con):
        status = scalar(
            con,
            "SELECT status FROM plan_versions WHERE plan_id = ? AND version = ?",
            [plan_id, version],
        )
        if status != "proposed":
            raise ValueError(f"version {version} is not a pending proposal")
        con.execute(
            f"UPDATE {table(con, 'plan_versions')} "
            "SET status = ? WHERE plan_id = ? AND version = ?",
            ["accepted" if accept else "rejected", plan_id, version],
        )


def latest_for(con: Connection, athlete_id: int) -> int | None:
    """The athlete's newest plan."""
    return scalar(con, "SELECT max(id) FROM plans WHERE athlete_id = ?", [athlete_id])


def options(con: Connection, plan_id: int) -> PlanOptions | None:
    row = one(con, "SELECT options FROM plans WHERE id = ?", [plan_id])
    return None if row is None else PlanOptions.model_validate_json(row[0])


def for_athlete(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The athlete's plans, newest first, with their latest version."""
    return con.execute(
        """
        SELECT p.id, p.created_at, p.assessment_id, max(v.version) AS versions,
               min(s.day) AS first_day, max(s.day) AS last_day
        FROM plans p
        JOIN plan_versions v ON v.plan_id = p.id
        LEFT JOIN plan_sessions s ON s.plan_id = p.id AND s.version = 1
        WHERE p.athlete_id = ?
        GROUP BY ALL ORDER BY p.id DESC
        """,
        [athlete_id],
    ).df()


def versions(con: Connection, plan_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT version, created_at, note, status FROM plan_versions WHERE plan_id = ? "
        "ORDER BY version DESC",
        [plan_id],
    ).df()


def athlete_of(con: Connection, plan_id: int) -> int | None:
    return scalar(con, "SELECT athlete_id FROM plans WHERE id = ?", [plan_id])
