"""Runners: an id in `athletes`; the profile is the latest assessment's.

The profile is stored once, on each assessment (what it was that day, which plans and the
single-run spike read). A runner's current profile is the one of the latest assessment, by
assessed_on and then id, so a back-dated entry never hides a newer profile. Runners are created
with their intake (`assessments.save`), so every runner has one.
"""

from __future__ import annotations

import pandas as pd

from runform.errors import Forbidden
from runform.models import AthleteProfile
from runform.store.connection import Connection, one, scalar, scope_of, table

# Each runner's latest assessment: the one whose profile is current.
LATEST = """
    SELECT athlete_id, id AS assessment_id, assessed_on, profile
    FROM assessments
    QUALIFY row_number() OVER (PARTITION BY athlete_id ORDER BY assessed_on DESC, id DESC) = 1
"""


def reserve_ids(con: Connection, n: int) -> list[int]:
    return [
        r[0] for r in con.execute("SELECT nextval('athlete_id_seq') FROM range(?)", [n]).fetchall()
    ]


def insert(con: Connection, athlete_id: int | None = None) -> int:
    """A new runner's row (with `athlete_id` from `reserve_ids`, or a new one); returns the id.

    The profile comes with the runner's first assessment, in the same transaction
    (`assessments.save` does both).
    """
    if scope_of(con) is not None:
        raise Forbidden("a runner link cannot create runners")
    if athlete_id is None:
        athlete_id = reserve_ids(con, 1)[0]
    con.execute(f"INSERT INTO {table(con, 'athletes')} (id) VALUES (?)", [athlete_id])
    return athlete_id


def exists(con: Connection, athlete_id: int) -> bool:
    return scalar(con, "SELECT count(*) FROM athletes WHERE id = ?", [athlete_id]) > 0


def count(con: Connection) -> int:
    return scalar(con, "SELECT count(*) FROM athletes")


def roster(con: Connection) -> pd.DataFrame:
    """One row per athlete with the date of the latest assessment, for pickers and lists."""
    return con.execute(
        f"""
        WITH latest AS ({LATEST}),
        counted AS (SELECT athlete_id, count(*) AS assessments FROM assessments GROUP BY ALL)
        SELECT a.id, l.profile ->> 'name' AS name,
               TRY_CAST(l.profile ->> 'weekly_km' AS DOUBLE) AS weekly_km,
               l.profile ->> '$.goal.event' AS goal_event,
               TRY_CAST(l.profile ->> '$.goal.date' AS DATE) AS goal_date,
               l.assessed_on AS last_assessed, coalesce(c.assessments, 0) AS assessments
        FROM athletes a
        LEFT JOIN latest l ON l.athlete_id = a.id
        LEFT JOIN counted c ON c.athlete_id = a.id
        ORDER BY name, a.id
        """
    ).df()


def get(con: Connection, athlete_id: int) -> AthleteProfile | None:
    """The runner's current profile: the latest assessment's; None for an unknown runner."""
    row = one(
        con,
        "SELECT profile FROM assessments WHERE athlete_id = ? "
        "ORDER BY assessed_on DESC, id DESC LIMIT 1",
        [athlete_id],
    )
    return None if row is None else AthleteProfile.model_validate_json(row[0])
