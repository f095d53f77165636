"""Training load from session logs: daily and weekly load, monotony, strain, acute:chronic ratios.

Everything is computed over a calendar of days built in DuckDB, so rest days are real rows with a
load of 0 instead of gaps (a mean or SD over logged days alone would leave rest out); the
formulas and thresholds are the contract in protocols.md §3. The ratios are information with
known limits (see `ACWR_NOTE`), never a prediction of injury.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform import clock
from runform.store.connection import Connection

# Protocols §3: session load = sRPE (CR-10) × minutes, in arbitrary units (Foster 2001).
# Protocols §3: weekly monotony = mean ÷ SD of the 7 daily loads (rest days 0); > 2.0 is flagged
# (Foster 1998). The SD is the sample SD (n − 1): Foster gives "standard deviation" without saying
# which, the spreadsheet STDEV used in practice is the sample one, and so is pandas' default.
WEEK_DAYS = 7
MONOTONY_FLAG = 2.0
# Protocols §3: acute:chronic ratio of 7-day ÷ 28-day average daily load and its exponentially
# weighted variant (Williams et al. 2017, λ = 2/(N+1)); 0.8–1.3 shown as the usual range and
# > 1.5 flagged (Gabbett 2016).
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
USUAL_RATIO_LOW = 0.8
USUAL_RATIO_HIGH = 1.3
RATIO_FLAG = 1.5
# A standard deviation below this counts as 0 (identical daily loads): monotony is then undefined.
_SD_EPSILON = 1e-9

ACWR_NOTE = (
    "The acute:chronic ratio compares the last 7 days' average daily load with the last 28 days'. "
    "It is a description of how this week sits against the recent month, not a forecast: the "
    "7 days are part of the 28, so the two numbers are mathematically coupled and the ratio "
    "can show links with injury that come from that coupling alone (Lolli et al. 2019); using it "
    "to judge injury risk has been criticised on conceptual and statistical grounds (Impellizzeri "
    "et al. 2020). Values between 0.8 and 1.3 are the range usually seen; above 1.5 is flagged so "
    "that a coach looks at the recent weeks, not as a prediction that an injury will follow. The "
    "exponentially weighted version gives recent days more weight and depends on where the record "
    "starts during its first weeks."
)

# The parameters come first, as one row, so each `?` is bound once whatever the query.
_PARAMS = "WITH p AS (SELECT ?::INTEGER[] AS ids, ?::DATE AS start_day, ?::DATE AS end_day),"
_LOGS = """
logs AS (
    SELECT s.athlete_id, s.day, sum(s.rpe * s.minutes) AS load, sum(s.run_km) AS run_km,
           count(*) AS sessions
    FROM session_logs s, p
    WHERE (p.ids IS NULL OR list_contains(p.ids, s.athlete_id)) AND s.day <= p.end_day
    GROUP BY s.athlete_id, s.day
),
firsts AS (SELECT athlete_id, min(day) AS first_log FROM logs GROUP BY athlete_id),
"""
# Where each athlete's calendar starts and ends (the span of days that get a row).
_SPAN_DAYS = """
spans AS (
    SELECT f.athlete_id, greatest(f.first_log, coalesce(p.start_day, f.first_log)) AS first_day,
           p.end_day AS last_day
    FROM firsts f, p
),
"""
_SPAN_WEEKS = """
spans AS (
    SELECT f.athlete_id,
           date_trunc('week', greatest(f.first_log, coalesce(p.start_day, f.first_log)))::DATE
               AS first_day,
           (date_trunc('week', p.end_day) + INTERVAL 6 DAY)::DATE AS last_day
    FROM firsts f, p
),
"""
_SPAN_HISTORY = """
spans AS (SELECT f.athlete_id, f.first_log AS first_day, p.end_day AS last_day FROM firsts f, p),
"""
_DAILY = """
calendar AS (
    SELECT athlete_id,
           CAST(unnest(generate_series(first_day::TIMESTAMP, last_day::TIMESTAMP, INTERVAL 1 DAY))
                AS DATE) AS day
    FROM spans
),
daily AS (
    SELECT c.athlete_id, c.day, coalesce(l.load, 0.0) AS load, coalesce(l.run_km, 0.0) AS run_km,
           coalesce(l.sessions, 0) AS sessions
    FROM calendar c LEFT JOIN logs l ON l.athlete_id = c.athlete_id AND l.day = c.day
)
"""


def _params(athlete_ids: list[int] | None, start: date | None, end: date | None) -> list:
    """The leading parameters of every query; `end` defaults to today."""
    ids = None if athlete_ids is None else [int(a) for a in athlete_ids]
    return [ids, start, end or clock.today()]


def daily_load(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """One row per athlete and day, rest days included as 0, so charts and sums need no gaps.

    Each athlete's days run from their first log, or from `start` when that is later (before
    the first log there is no record, which is not the same as rest), to `end` (default today).
    Columns: athlete_id, day, load (Σ sRPE × minutes, AU), run_km.
    """
    sql = (
        _PARAMS
        + _LOGS
        + _SPAN_DAYS
        + _DAILY
        + "SELECT athlete_id, day, load, run_km FROM daily ORDER BY athlete_id, day"
    )
    return con.execute(sql, _params(athlete_ids, start, end)).df()


def weekly_load(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Per athlete and ISO week (Monday first): load, run_km, sessions, monotony and strain.

    Weeks are whole: every week that overlaps `start`..`end` is summed over its seven days, and a
    day before the athlete's first log counts as rest. Monotony is mean ÷ sample SD of the 7 daily
    loads; it is null when the SD is 0 (identical days: undefined, not infinite) and for a week
    that is not over by `end` (`complete` false), whose later days have not happened yet.
    """
    sql = (
        _PARAMS
        + _LOGS
        + _SPAN_WEEKS
        + _DAILY
        + """,
weeks AS (
    SELECT d.athlete_id, date_trunc('week', d.day)::DATE AS week_start, sum(d.load) AS load,
           sum(d.run_km) AS run_km, sum(d.sessions)::INTEGER AS sessions,
           max(d.day) <= any_value(p.end_day) AND count(*) = ? AS complete,
           avg(d.load) AS mean_load, stddev_samp(d.load) AS sd_load
    FROM daily d, p
    GROUP BY d.athlete_id, week_start
),
scored AS (
    SELECT *, CASE WHEN complete AND sd_load > ? THEN mean_load / sd_load END AS monotony
    FROM weeks
)
SELECT athlete_id, week_start, load, run_km, sessions, monotony, load * monotony AS strain,
       coalesce(monotony > ?, false) AS monotony_flag, complete
FROM scored
ORDER BY athlete_id, week_start
"""
    )
    params = _params(athlete_ids, start, end) + [WEEK_DAYS, _SD_EPSILON, MONOTONY_FLAG]
    return con.execute(sql, params).df()


def acwr(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    chronic_days: int = CHRONIC_DAYS,
    acute_days: int = ACUTE_DAYS,
) -> pd.DataFrame:
    """Per athlete and day: rolling and exponentially weighted acute and chronic load and ratios.

    The windows always use the whole history up to `end`; `start` only trims the rows returned, so
    a value on `start` is the same as without it. Rolling means are null until their window is
    full; both ratios are null until `chronic_days` of history, and when the chronic load is 0.
    The EWMA (λ = 2/(N+1), seeded with the first day's load: pandas `adjust=False`) has values
    from day one, but its ratio waits for the same history because the seed dominates early on.
    Columns: athlete_id, day, load, acute, chronic, ratio, ewma_acute, ewma_chronic, ewma_ratio,
    flag (ratio > 1.5), ewma_flag (ewma_ratio > 1.5).
    """
    if not 1 <= acute_days <= chronic_days:
        raise ValueError("need 1 <= acute_days <= chronic_days")
    sql = (
        _PARAMS
        + _LOGS
        + _SPAN_HISTORY
        + _DAILY
        + "SELECT athlete_id, day, load FROM daily ORDER BY athlete_id, day"
    )
    df = con.execute(sql, _params(athlete_ids, None, end)).df()
    # Rows are whole calendars sorted by athlete and day, so a window of N rows is N days and the
    # rolling sums are differences of each athlete's running total (rounded to drop float drift).
    by_athlete = df.groupby("athlete_id", sort=False)["load"]
    history = by_athlete.cumcount() + 1
    total = by_athlete.cumsum()
    for column, days in (("acute", acute_days), ("chronic", chronic_days)):
        before = total.shift(days).where(history > days, 0.0)
        df[column] = ((total - before).round(6) / days).where(history >= days)
        ewma = by_athlete.ewm(alpha=2 / (days + 1), adjust=False).mean()
        df[f"ewma_{column}"] = ewma.reset_index(level=0, drop=True)
    full = history >= chronic_days
    for prefix in ("", "ewma_"):
        chronic = df[f"{prefix}chronic"]
        df[f"{prefix}ratio"] = (df[f"{prefix}acute"] / chronic).where(full & (chronic > 0))
    df["flag"] = df["ratio"].gt(RATIO_FLAG)
    df["ewma_flag"] = df["ewma_ratio"].gt(RATIO_FLAG)
    if start is not None:
        df = df[df["day"] >= pd.Timestamp(start)]
    columns = ["athlete_id", "day", "load", "acute", "chronic", "ratio"]
    columns += ["ewma_acute", "ewma_chronic", "ewma_ratio", "flag", "ewma_flag"]
    return df[columns].reset_index(drop=True)
