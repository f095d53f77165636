"""Plans and their versions: every edit is a new version, so nothing a coach built is lost.

A version is stored once, in rows: its header (`plan_versions`: the plan-level fields), its weeks
(`plan_weeks`) and its sessions (`plan_sessions`, with what has no column of its own as `detail`
JSON). The review queries read the rows; `load` puts the Plan back together in one query.
"""

from __future__ import annotations

import json

import pandas as pd

from runform.errors import Conflict, Forbidden, InvalidInput, NotFound
from runform.models import Plan, PlanOptions
from runform.store.connection import (
    Connection,
    check_athlete,
    insert_rows,
    one,
    scalar,
    scope_of,
    table,
    transaction,
)

# A session's fields with a column of their own in plan_sessions; the rest is its `detail`.
SESSION_COLUMNS = {"date", "kind", "minutes", "run_km"}


class VersionTaken(Conflict):
    """Another device saved a version of the same plan at the same moment; nothing was saved."""


class PlanRows:
    """Plans and versions as rows, gathered for one insert per table (`write`).

    One plan or a thousand take the same path: `create` and `add_version` write one, the demo
    builder thousands per chunk of runners, where a round trip per plan was most of its time.
    """

    def __init__(self) -> None:
        self.plans: list[tuple] = []
        self.versions: list[tuple] = []
        self.weeks: list[tuple] = []
        self.sessions: list[tuple] = []

    def __len__(self) -> int:
        return len(self.versions)

    def add_plan(
        self,
        plan_id: int,
        athlete_id: int,
        plan: Plan,
        options: PlanOptions,
        assessment_id: int | None = None,
        note: str = "generated",
    ) -> None:
        """A new plan (its id from `reserve_ids`) with `plan` as its first version."""
        self.plans.append((plan_id, athlete_id, assessment_id, options.model_dump_json()))
        self.add_version(plan_id, 1, plan, note)

    def add_version(
        self, plan_id: int, version: int, plan: Plan, note: str, status: str = "accepted"
    ) -> None:
        """One plan version as its header, its weeks and its sessions (`load` puts them
        together)."""
        indexes = [w.index for w in plan.weeks]
        if indexes != sorted(set(indexes)):
            # `load` returns the weeks in the order of their index, so that order must be the plan's
            raise InvalidInput({"weeks": "weeks must be in the order of their index, each once"})
        self.versions.append(
            (plan_id, version, note, status, plan.model_dump_json(exclude={"weeks"}))
        )
        for w in plan.weeks:
            self.weeks.append(
                (plan_id, version, w.index, w.phase, w.deload, w.run_km, json.dumps(w.notes))
            )
            for i, s in enumerate(w.sessions):
                self.sessions.append(
                    (
                        plan_id,
                        version,
                        w.index,
                        i,
                        s.date,
                        s.kind,
                        s.minutes,
                        s.run_km,
                        s.model_dump_json(exclude=SESSION_COLUMNS),
                    )
                )

    def write(self, con: Connection) -> None:
        """Insert everything gathered, one INSERT … SELECT per table, in one transaction (or
        the caller's). Refuses (Forbidden) another runner's plans on a runner's cursor."""
        for athlete_id in {p[1] for p in self.plans}:
            check_athlete(con, athlete_id)
        with transaction(con):
            insert_rows(con, "plans", ["id", "athlete_id", "assessment_id", "options"], self.plans)
            insert_rows(
                con,
                "plan_versions",
                ["plan_id", "version", "note", "status", "header"],
                self.versions,
            )
            insert_rows(con, "plan_weeks", _WEEK_COLUMNS, self.weeks)
            insert_rows(con, "plan_sessions", _SESSION_ROW_COLUMNS, self.sessions)


_WEEK_COLUMNS = ["plan_id", "version", "week", "phase", "deload", "run_km", "notes"]
_SESSION_ROW_COLUMNS = [
    "plan_id",
    "version",
    "week",
    "position",
    "day",
    "kind",
    "minutes",
    "run_km",
    "detail",
]


def _write_version(
    con: Connection, plan_id: int, version: int, plan: Plan, note: str, status: str = "accepted"
) -> None:
    """One plan version as its header, its weeks and its sessions (`load` puts them together)."""
    rows = PlanRows()
    rows.add_version(plan_id, version, plan, note, status)
    rows.write(con)


def reserve_ids(con: Connection, n: int) -> list[int]:
    """`n` new plan ids, in order (for `PlanRows.add_plan`)."""
    return [
        r[0] for r in con.execute("SELECT nextval('plan_id_seq') FROM range(?)", [n]).fetchall()
    ]


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
    rows = PlanRows()
    with transaction(con):
        plan_id = reserve_ids(con, 1)[0]
        rows.add_plan(plan_id, athlete_id, plan, options, assessment_id, note)
        rows.write(con)
    return plan_id


def add_version(
    con: Connection, plan_id: int, plan: Plan, note: str, status: str = "accepted"
) -> int:
    """Save an edited plan as the next version; returns its number.

    A "proposed" version (from progression) waits for the coach: the current plan stays the
    latest accepted one until it is accepted. Raises NotFound for an unknown plan (or another
    runner's, on a runner's cursor) and VersionTaken when another device took the number.
    """
    if scalar(con, "SELECT count(*) FROM plans WHERE id = ?", [plan_id]) == 0:
        raise NotFound(f"unknown plan id {plan_id}")
    try:
        with transaction(con):
            version = scalar(
                con,
                "SELECT coalesce(max(version), 0) + 1 FROM plan_versions WHERE plan_id = ?",
                [plan_id],
            )
            if version == 1:
                raise NotFound(f"unknown plan id {plan_id}")
            _write_version(con, plan_id, version, plan, note, status)
    except Conflict as e:
        if isinstance(e, VersionTaken):
            raise
        raise VersionTaken(
            f"another device saved a new version of plan {plan_id} at the same moment; "
            "nothing was saved: try again"
        ) from e
    return version


def current_version(con: Connection, plan_id: int) -> int | None:
    """The latest accepted version: what the runner follows."""
    return scalar(
        con,
        "SELECT max(version) FROM plan_versions WHERE plan_id = ? AND status = 'accepted'",
        [plan_id],
    )


# The plan JSON rebuilt from the rows: each week with its sessions in order, merged into the
# header. A session is its `detail` with its four columns merged in (a merge patch drops a key
# whose patch value is null, so the patches are the NOT NULL columns: a null in the stored JSON
# stays null).
_LOAD = """
WITH sessions AS (
    SELECT week,
           to_json(list(
               json_merge_patch(
                   detail,
                   json_object('date', day, 'kind', kind, 'minutes', minutes, 'run_km', run_km))
               ORDER BY position)) AS sessions
    FROM plan_sessions WHERE plan_id = $1 AND version = $2
    GROUP BY week
),
weeks AS (
    SELECT to_json(list(
               json_object('index', w.week, 'deload', w.deload, 'phase', w.phase,
                           'run_km', w.run_km, 'notes', w.notes,
                           'sessions', coalesce(s.sessions, '[]'::JSON))
               ORDER BY w.week)) AS weeks
    FROM plan_weeks w LEFT JOIN sessions s ON s.week = w.week
    WHERE w.plan_id = $1 AND w.version = $2
)
SELECT json_merge_patch(v.header, json_object('weeks', coalesce(weeks.weeks, '[]'::JSON)))
FROM plan_versions v, weeks
WHERE v.plan_id = $1 AND v.version = $2
"""


def load(con: Connection, plan_id: int, version: int | None = None) -> Plan | None:
    """A version of the plan; by default the current (latest accepted) one. None when there is
    no such plan or version (or it is another runner's, on a runner's cursor)."""
    version = version or current_version(con, plan_id)
    row = one(con, _LOAD, [plan_id, version])
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
    """Accept a proposed version (it becomes current) or roll it back (the current one stays).

    Raises Forbidden on a runner's cursor and Conflict when the version is not a pending
    proposal (decided already, here or on another device, or no such version).
    """
    if scope_of(con) is not None:
        raise Forbidden("only the coach accepts or rolls back plan changes")
    try:
        with transaction(con):
            status = scalar(
                con,
                "SELECT status FROM plan_versions WHERE plan_id = ? AND version = ?",
                [plan_id, version],
            )
            if status != "proposed":
                raise Conflict(f"version {version} is not a pending proposal")
            con.execute(
                f"UPDATE {table(con, 'plan_versions')} "
                "SET status = ? WHERE plan_id = ? AND version = ?",
                ["accepted" if accept else "rejected", plan_id, version],
            )
    except Conflict as e:
        if e.__cause__ is None:
            raise  # not a pending proposal: said already
        raise Conflict(
            f"version {version} was decided on another device at the same moment; nothing "
            "was changed"
        ) from e


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
