"""Progress-review queries: one runner over time, and the whole team at a glance.

All aggregation happens here in DuckDB SQL; callers get tidy frames ready to chart. Every query
takes parameters, never formatted text.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from runform.store.connection import Connection

# Protocol numbers used by the flags (shared/protocols.md §3), in one place.
PAIN_DURING_MAX = 5
SPIKE = 1.10
ACWR_FLAG = 1.5
MONOTONY_FLAG = 2.0
ADHERENCE_MIN = 0.70
WELLNESS_SD = 1.5
REASSESS_DAYS = 28


def screens(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Every numeric screen value by assessment and side, with its first value (the baseline)."""
    return con.execute(
        """
        SELECT a.id AS assessment_id, a.assessed_on, v.screen_id, v.side, v.value,
               first(v.value ORDER BY a.assessed_on, a.id) OVER (
                   PARTITION BY v.screen_id, v.side ORDER BY a.assessed_on, a.id
               ) AS baseline
        FROM screen_values v JOIN assessments a ON a.id = v.assessment_id
        WHERE a.athlete_id = ? AND v.item = ''
        ORDER BY v.screen_id, v.side, a.assessed_on
        """,
        [athlete_id],
    ).df()


def asymmetry(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Left–right difference of each bilateral screen at each assessment."""
    return con.execute(
        """
        SELECT a.assessed_on, v.screen_id,
               max(v.value) FILTER (WHERE v.side = 'left') AS "left",
               max(v.value) FILTER (WHERE v.side = 'right') AS "right",
               abs("left" - "right") AS difference
        FROM screen_values v JOIN assessments a ON a.id = v.assessment_id
        WHERE a.athlete_id = ? AND v.item = '' AND v.side IN ('left', 'right')
        GROUP BY ALL HAVING "left" IS NOT NULL AND "right" IS NOT NULL
        ORDER BY v.screen_id, a.assessed_on
        """,
        [athlete_id],
    ).df()


def findings_by_assessment(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        """
        SELECT a.id AS assessment_id, a.assessed_on, f.finding_id, f.severity, f.side
        FROM findings f JOIN assessments a ON a.id = f.assessment_id
        WHERE a.athlete_id = ? ORDER BY a.assessed_on, a.id
        """,
        [athlete_id],
    ).df()


def finding_status(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Each finding of the last two assessments: resolved, persisting or new."""
    return con.execute(
        """
        WITH ranked AS (
            SELECT id, row_number() OVER (ORDER BY assessed_on DESC, id DESC) AS n
            FROM assessments WHERE athlete_id = ?
        ),
        latest AS (SELECT finding_id, severity FROM findings
                   WHERE assessment_id = (SELECT id FROM ranked WHERE n = 1)),
        previous AS (SELECT finding_id, severity FROM findings
                     WHERE assessment_id = (SELECT id FROM ranked WHERE n = 2))
        SELECT coalesce(l.finding_id, p.finding_id) AS finding_id,
               coalesce(l.severity, p.severity) AS severity,
               CASE WHEN l.finding_id IS NULL THEN 'resolved'
                    WHEN p.finding_id IS NULL AND (SELECT count(*) FROM ranked) > 1 THEN 'new'
                    WHEN p.finding_id IS NULL THEN 'baseline'
                    ELSE 'persisting' END AS status
        FROM latest l FULL OUTER JOIN previous p ON l.finding_id = p.finding_id
        ORDER BY status, finding_id
        """,
        [athlete_id],
    ).df()


def pain(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    return con.execute(
        """
        SELECT reported_on AS day, region, side, score, "when"
        FROM pain_reports WHERE athlete_id = ? AND reported_on BETWEEN ? AND ?
        ORDER BY reported_on
        """,
        [athlete_id, start, end],
    ).df()


def adherence(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """Planned against done, by week and kind of session (planned sessions in force, to `end`)."""
    return con.execute(
        """
        SELECT date_trunc('week', p.day)::DATE AS week_start, p.kind,
               count(*) AS planned,
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM session_logs l
                   WHERE l.plan_id = p.plan_id AND l.day = p.day AND l.kind = p.kind
               )) AS done
        FROM planned_sessions p
        WHERE p.athlete_id = ? AND p.day BETWEEN ? AND ?
        GROUP BY ALL ORDER BY week_start, p.kind
        """,
        [athlete_id, start, end],
    ).df()


def form(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """Running form by week: cadence, ground contact, oscillation, consistency, long-run fade."""
    return con.execute(
        """
        SELECT date_trunc('week', day)::DATE AS week_start,
               avg(cadence_spm) AS cadence_spm,
               avg(ground_contact_ms) AS ground_contact_ms,
               avg(vertical_oscillation_cm) AS vertical_oscillation_cm,
               avg(cadence_cv_pct) AS cadence_cv_pct,
               avg(cadence_fade_pct) FILTER (WHERE kind = 'long_run') AS long_run_cadence_fade,
               avg(ground_contact_fade_pct) FILTER (WHERE kind = 'long_run')
                   AS long_run_contact_fade,
               count(*) AS runs
        FROM session_logs
        WHERE athlete_id = ? AND run_km > 0 AND day BETWEEN ? AND ?
        GROUP BY ALL ORDER BY week_start
        """,
        [athlete_id, start, end],
    ).df()


def wellness(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """Daily wellness sum against the runner's own rolling 28-day mean and SD (protocols §3)."""
    return con.execute(
        """
        WITH w AS (
            SELECT day, sleep_hours,
                   sleep_quality + fatigue + soreness + stress + mood AS total
            FROM wellness WHERE athlete_id = ? AND day <= ?
        ), r AS (
            SELECT *,
                   avg(total) OVER past AS baseline,
                   stddev_samp(total) OVER past AS sd
            FROM w
            WINDOW past AS (ORDER BY day RANGE BETWEEN INTERVAL 28 DAY PRECEDING
                                              AND INTERVAL 1 DAY PRECEDING)
        )
        SELECT day, sleep_hours, total, baseline, sd,
               total < baseline - ? * sd AS flag
        FROM r WHERE day >= ? ORDER BY day
        """,
        [athlete_id, end, WELLNESS_SD, start],
    ).df()


def progression_history(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        """
        SELECT v.created_at, v.plan_id, v.version, v.status, v.note
        FROM plan_versions v JOIN plans p ON p.id = v.plan_id
        WHERE p.athlete_id = ? AND v.version > 1
        ORDER BY v.created_at DESC, v.version DESC
        """,
        [athlete_id],
    ).df()


def long_runs(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """Long runs with their worst pain during or after, for the "long run without pain" win."""
    return con.execute(
        """
        SELECT l.day, l.run_km,
               (SELECT max(score) FROM pain_reports p WHERE p.log_id = l.id) AS pain
        FROM session_logs l
        WHERE l.athlete_id = ? AND l.kind = 'long_run' AND l.day BETWEEN ? AND ?
        ORDER BY l.day
        """,
        [athlete_id, start, end],
    ).df()


def team(con: Connection, today: date) -> pd.DataFrame:
    """One row per runner with every status flag of the team view, computed in one query."""
    return con.execute(
        """
        WITH daily AS (
            SELECT athlete_id, day, sum(rpe * minutes) AS load
            FROM session_logs WHERE day BETWEEN $today::DATE - 34 AND $today::DATE
            GROUP BY ALL
        ),
        history AS (
            SELECT athlete_id, min(day) AS first_day FROM session_logs GROUP BY athlete_id
        ),
        loads AS (
            SELECT athlete_id,
                   sum(load) FILTER (WHERE day > $today::DATE - 7) / 7 AS acute,
                   sum(load) FILTER (WHERE day > $today::DATE - 28) / 28 AS chronic,
                   -- last complete Monday–Sunday week, rest days as zeros
            FROM daily GROUP BY athlete_id
        ),
        last_week AS (  -- the last complete Monday–Sunday week, rest days as zeros
            SELECT a.id AS athlete_id, coalesce(d.load, 0) AS load
            FROM athletes a
            CROSS JOIN generate_series($week_start - 7, $week_start - 1, INTERVAL 1 DAY) c(day)
            LEFT JOIN daily d ON d.athlete_id = a.id AND d.day = c.day::DATE
        ),
        monotony AS (
            SELECT athlete_id, avg(load) AS mean, stddev_samp(load) AS sd
            FROM last_week GROUP BY athlete_id
        ),
        all_runs AS (  -- logged runs, and the intake's longest recent run on its assessment day
            SELECT athlete_id, day, run_km, true AS logged
            FROM session_logs WHERE run_km > 0 AND day BETWEEN $today::DATE - 37 AND $today::DATE
            UNION ALL
            SELECT s.athlete_id, s.assessed_on, (s.profile ->> 'longest_run_km')::DOUBLE, false
            FROM assessments s WHERE s.assessed_on BETWEEN $today::DATE - 37 AND $today::DATE
        ),
        runs AS (
            SELECT athlete_id, day, run_km, logged,
                   max(run_km) OVER (PARTITION BY athlete_id ORDER BY day
                                     RANGE BETWEEN INTERVAL 30 DAY PRECEDING
                                     AND INTERVAL 1 DAY PRECEDING) AS longest_before
            FROM all_runs
        ),
        spikes AS (
            SELECT athlete_id, max(run_km / longest_before) AS spike_ratio
            FROM runs WHERE logged AND day > $today::DATE - 7 AND longest_before > 0
            GROUP BY athlete_id
        ),
        pain_now AS (
            SELECT athlete_id,
                   max(score) FILTER (WHERE "when" IN ('during_run', 'after_run')
                                      AND reported_on > $today::DATE - 7) AS during,
                   max(score) FILTER (WHERE "when" = 'next_morning'
                                      AND reported_on > $today::DATE - 7) AS morning,
                   median(score) FILTER (WHERE "when" = 'next_morning'
                                         AND reported_on BETWEEN $today::DATE - 35
                                         AND $today::DATE - 7) AS morning_baseline
            FROM pain_reports WHERE reported_on > $today::DATE - 35 GROUP BY athlete_id
        ),
        adherence AS (
            SELECT p.athlete_id, count(*) AS planned,
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM session_logs l WHERE l.plan_id = p.plan_id
                       AND l.day = p.day AND l.kind = p.kind)) AS done
            FROM planned_sessions p
            WHERE p.day >= $today::DATE - 14 AND p.day < $today::DATE
            GROUP BY p.athlete_id
        ),
        well AS (
            SELECT athlete_id, day,
                   sleep_quality + fatigue + soreness + stress + mood AS total,
                   avg(sleep_quality + fatigue + soreness + stress + mood) OVER past AS base,
                   stddev_samp(sleep_quality + fatigue + soreness + stress + mood) OVER past AS sd
            FROM wellness WHERE day > $today::DATE - 35
            WINDOW past AS (PARTITION BY athlete_id ORDER BY day
                            RANGE BETWEEN INTERVAL 28 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
            QUALIFY row_number() OVER (PARTITION BY athlete_id ORDER BY day DESC) = 1
        ),
        assessed AS (
            SELECT athlete_id, id, assessed_on,
                   row_number() OVER (PARTITION BY athlete_id ORDER BY assessed_on DESC, id DESC)
                       AS n
            FROM assessments
        ),
        new_high AS (
            SELECT l.athlete_id, count(*) AS new_high
            FROM assessed l
            JOIN findings f ON f.assessment_id = l.id AND f.severity = 'high'
            LEFT JOIN assessed p ON p.athlete_id = l.athlete_id AND p.n = 2
            WHERE l.n = 1 AND NOT EXISTS (
                SELECT 1 FROM findings g WHERE g.assessment_id = p.id
                AND g.finding_id = f.finding_id AND g.severity = 'high')
            GROUP BY l.athlete_id
        )
        SELECT a.id AS athlete_id, a.name,
               last.assessed_on AS last_assessed,
               -- the ratio needs 28 days of history (as load.acwr); monotony is undefined
               -- when the week's days barely differ (as load.weekly_load)
               CASE WHEN history.first_day <= $today::DATE - 27
                    THEN loads.acute / nullif(loads.chronic, 0) END AS acwr_raw,
               CASE WHEN monotony.sd > 1e-9 THEN monotony.mean / monotony.sd END AS monotony_raw,
               round(acwr_raw, 2) AS acwr,
               round(monotony_raw, 2) AS monotony,
               round(spikes.spike_ratio, 2) AS spike_ratio,
               pain_now.during AS pain_during, pain_now.morning AS pain_morning,
               adherence.planned AS planned_14d, adherence.done AS done_14d,
               round(adherence.done / nullif(adherence.planned, 0), 2) AS adherence,
               well.total AS wellness, round(well.base, 1) AS wellness_baseline,
               coalesce(pain_now.during > $pain, false)
                   OR coalesce(pain_now.morning > coalesce(pain_now.morning_baseline, 0), false)
                   AS flag_pain,
               coalesce(spikes.spike_ratio > $spike, false) AS flag_spike,
               coalesce(acwr_raw > $acwr, false) AS flag_acwr,
               coalesce(monotony_raw > $monotony, false) AS flag_monotony,
               coalesce(adherence.done / nullif(adherence.planned, 0) < $adherence, false)
                   AS flag_adherence,
               coalesce(well.total < well.base - $wellness * well.sd, false) AS flag_wellness,
               coalesce($today::DATE - last.assessed_on >= $reassess, true) AS flag_reassess,
               coalesce(new_high.new_high > 0, false) AS flag_new_high
        FROM athletes a
        LEFT JOIN loads ON loads.athlete_id = a.id
        LEFT JOIN history ON history.athlete_id = a.id
        LEFT JOIN monotony ON monotony.athlete_id = a.id
        LEFT JOIN spikes ON spikes.athlete_id = a.id
        LEFT JOIN pain_now ON pain_now.athlete_id = a.id
        LEFT JOIN adherence ON adherence.athlete_id = a.id
        LEFT JOIN well ON well.athlete_id = a.id
        LEFT JOIN assessed last ON last.athlete_id = a.id AND last.n = 1
        LEFT JOIN new_high ON new_high.athlete_id = a.id
        ORDER BY a.name, a.id
        """,
        {
            "today": today,
            "week_start": today - timedelta(days=today.weekday()),
            "pain": PAIN_DURING_MAX,
            "spike": SPIKE,
            "acwr": ACWR_FLAG,
            "monotony": MONOTONY_FLAG,
            "adherence": ADHERENCE_MIN,
            "wellness": WELLNESS_SD,
            "reassess": REASSESS_DAYS,
        },
    ).df()


def prevalence(con: Connection) -> pd.DataFrame:
    """How many runners have each finding at their latest assessment."""
    return con.execute(
        """
        WITH latest AS (
            SELECT id FROM assessments
            QUALIFY row_number() OVER (PARTITION BY athlete_id ORDER BY assessed_on DESC, id DESC)
                = 1
        )
        SELECT f.finding_id, f.severity, count(*) AS runners
        FROM findings f JOIN latest l ON l.id = f.assessment_id
        GROUP BY f.finding_id, f.severity
        ORDER BY runners DESC, f.finding_id,
                 CASE f.severity WHEN 'high' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END
        """
    ).df()


def team_adherence(con: Connection, start: date, end: date) -> pd.DataFrame:
    """Planned against done per runner and week, for the team chart."""
    return con.execute(
        """
        SELECT p.athlete_id, a.name, date_trunc('week', p.day)::DATE AS week_start,
               count(*) AS planned,
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM session_logs l WHERE l.plan_id = p.plan_id
                   AND l.day = p.day AND l.kind = p.kind)) AS done
        FROM planned_sessions p JOIN athletes a ON a.id = p.athlete_id
        WHERE p.day BETWEEN ? AND ?
        GROUP BY ALL ORDER BY week_start, a.name
        """,
        [start, end],
    ).df()
