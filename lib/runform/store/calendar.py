"""The calendar's input: planned sessions in force with the log that did them, and the logs that
match no planned session, of one runner or everyone in scope, over a range of days.

Planned and done come from the one view `planned_session_status` (the Log page and every
review read the same match); the colours are `runform.compliance`'s, never SQL's.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform.store.connection import Connection

COLUMNS = [
    "athlete_id",
    "day",
    "kind",
    "planned",
    "planned_minutes",
    "plan_id",
    "version",
    "week",
    "position",
    "log_id",
    "done_minutes",
    "rpe",
]

_SESSIONS = """
WITH p AS (SELECT $1::INTEGER AS athlete, $2::DATE AS first_day, $3::DATE AS last_day),
planned AS (
    SELECT s.athlete_id, s.day, s.kind, true AS planned, s.minutes::DOUBLE AS planned_minutes,
           s.plan_id, s.version, s.week, s.position, s.log_id
    FROM planned_session_status s, p
    WHERE (p.athlete IS NULL OR s.athlete_id = p.athlete)
      AND s.day BETWEEN p.first_day AND p.last_day
),
logs AS (
    SELECT l.id, l.athlete_id, l.day, l.kind, l.minutes, l.rpe
    FROM session_logs l, p
    WHERE (p.athlete IS NULL OR l.athlete_id = p.athlete)
      AND l.day BETWEEN p.first_day AND p.last_day
)
SELECT pl.*, l.minutes AS done_minutes, l.rpe
FROM planned pl LEFT JOIN logs l ON l.id = pl.log_id
UNION ALL
SELECT l.athlete_id, l.day, l.kind, false, NULL, NULL, NULL, NULL, NULL, l.id, l.minutes, l.rpe
FROM logs l
WHERE NOT EXISTS (SELECT 1 FROM planned pl WHERE pl.log_id = l.id)
ORDER BY athlete_id, day, planned DESC, week, position, log_id
"""


def sessions(con: Connection, athlete_id: int | None, start: date, end: date) -> pd.DataFrame:
    """From `start` to `end`: each planned session in force (`planned` true) with its `log_id`,
    `done_minutes` and `rpe` when done, and each log that did no planned session (`planned`
    false: unplanned, or a second log of a session already done). Of one runner or (None)
    everyone in scope, sorted by runner and day."""
    frame = con.execute(_SESSIONS, [athlete_id, start, end]).df()
    types = {c: "Int64" for c in ("plan_id", "version", "week", "position", "log_id")}
    return frame.astype(types)[COLUMNS]
