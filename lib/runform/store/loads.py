"""The input of every training-load rule: one row per athlete and calendar day, rest days as 0.

The calendar is built in DuckDB so that rest days are real rows instead of gaps (a mean or SD over
logged days alone would leave rest out). The rules themselves (weekly load, monotony, strain,
acute:chronic) are pure pandas in `runform.load`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform import clock
from runform.store.connection import Connection

_DAILY = """
WITH p AS (SELECT ?::INTEGER[] AS ids, ?::DATE AS start_day, ?::DATE AS end_day),
logs AS (
    SELECT s.athlete_id, s.day, sum(s.rpe * s.minutes) AS load, sum(s.run_km) AS run_km,
           count(*) AS sessions
    FROM session_logs s, p
    WHERE (p.ids IS NULL OR list_contains(p.ids, s.athlete_id)) AND s.day <= p.end_day
    GROUP BY s.athlete_id, s.day
),
spans AS (
    SELECT l.athlete_id, greatest(min(l.day), coalesce(any_value(p.start_day), min(l.day)))
               AS first_day,
           any_value(p.end_day) AS last_day
    FROM logs l, p
    GROUP BY l.athlete_id
),
calendar AS (
    SELECT athlete_id,
           CAST(unnest(generate_series(first_day::TIMESTAMP, last_day::TIMESTAMP, INTERVAL 1 DAY))
                AS DATE) AS day
    FROM spans
)
SELECT c.athlete_id, c.day, coalesce(l.load, 0.0) AS load, coalesce(l.run_km, 0.0) AS run_km,
       coalesce(l.sessions, 0)::INTEGER AS sessions
FROM calendar c LEFT JOIN logs l ON l.athlete_id = c.athlete_id AND l.day = c.day
ORDER BY c.athlete_id, c.day
"""


def daily(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """One row per athlete and day, rest days included as 0, sorted by athlete and day.

    Each athlete's days run from their first log, or from `start` when that is later (before the
    first log there is no record, which is not the same as rest), to `end` (default today); logs
    after `end` do not count. Columns: athlete_id, day, load (Σ sRPE × minutes, AU), run_km,
    sessions.
    """
    ids = None if athlete_ids is None else [int(a) for a in athlete_ids]
    return con.execute(_DAILY, [ids, start, end or clock.today()]).df()
