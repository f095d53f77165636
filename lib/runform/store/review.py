"""Progress-review queries: one runner over time, and the inputs of the team view's flags.

SQL computes inputs, never a rule: the flags and chart bands are computed from these frames by
the rule modules (`load`, `adherence`, `wellness`, `spike`, `painmodel`; `runform.team` puts the
team view together). Every query takes parameters, never formatted text.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform.store.connection import Connection
from runform.vocab import SEVERITIES


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
    """Every finding of every assessment, with its evidence (JSON), for charts and for
    `compare.status_table`."""
    return con.execute(
        """
        SELECT a.id AS assessment_id, a.assessed_on, f.finding_id, f.severity, f.side,
               f.evidence, f.explanation, f.source
        FROM findings f JOIN assessments a ON a.id = f.assessment_id
        WHERE a.athlete_id = ? ORDER BY a.assessed_on, a.id
        """,
        [athlete_id],
    ).df()


def measured_screens(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Which screens (and sides) each assessment measured, with who assessed: one row per
    assessment, screen and side, and one row with a null screen for an assessment that measured
    none. Inputs only: what counts as re-tested is `compare.finding_status`."""
    return con.execute(
        """
        SELECT a.id AS assessment_id, a.assessed_on, a.mode, a.assessor, v.screen_id, v.side
        FROM assessments a
        LEFT JOIN (SELECT DISTINCT assessment_id, screen_id, side FROM screen_values) v
               ON v.assessment_id = a.id
        WHERE a.athlete_id = ?
        ORDER BY a.assessed_on, a.id, v.screen_id, v.side
        """,
        [athlete_id],
    ).df()


def pain(con: Connection, athlete_id: int | None, start: date, end: date) -> pd.DataFrame:
    """Pain reports from `start` to `end`, of one runner or (None) of everyone in scope."""
    return con.execute(
        """
        SELECT athlete_id, reported_on AS day, region, side, score, "when"
        FROM pain_reports
        WHERE ($1::INTEGER IS NULL OR athlete_id = $1) AND reported_on BETWEEN $2 AND $3
        ORDER BY athlete_id, reported_on, id
        """,
        [athlete_id, start, end],
    ).df()


def adherence(con: Connection, athlete_id: int | None, start: date, end: date) -> pd.DataFrame:
    """One row per planned session in force from `start` to `end`, with `done` and the `log_id`
    that did it: the `planned_session_status` view, whose match (a log of the same plan, day and
    kind) the Log page uses too. Of one runner or (None) everyone in scope.

    In force: the latest accepted version of the plan in force on that day. Count them with
    `runform.adherence`.
    """
    frame = con.execute(
        """
        SELECT athlete_id, plan_id, day, kind, done, log_id
        FROM planned_session_status
        WHERE ($1::INTEGER IS NULL OR athlete_id = $1) AND day BETWEEN $2 AND $3
        ORDER BY athlete_id, day, kind, plan_id, week, position
        """,
        [athlete_id, start, end],
    ).df()
    return frame.astype({"log_id": "Int64"})  # a whole number, or missing when not done


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


def wellness(con: Connection, athlete_id: int | None, start: date, end: date) -> pd.DataFrame:
    """Wellness check-ins from `start` to `end` (one runner, or None for everyone): the input of
    `runform.wellness.baseline`, which needs the days before `start` too (`first_needed`)."""
    return con.execute(
        """
        SELECT athlete_id, day, sleep_hours, sleep_quality, fatigue, soreness, stress, mood
        FROM wellness
        WHERE ($1::INTEGER IS NULL OR athlete_id = $1) AND day BETWEEN $2 AND $3
        ORDER BY athlete_id, day
        """,
        [athlete_id, start, end],
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


def runners(con: Connection) -> pd.DataFrame:
    """Every runner in scope with their name (the latest assessment's profile), their latest
    assessment and how many high findings it has that the assessment before did not (all of them
    at a first assessment)."""
    return con.execute(
        """
        WITH assessed AS (
            SELECT athlete_id, id, assessed_on, profile,
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
        SELECT a.id AS athlete_id, last.profile ->> 'name' AS name,
               last.assessed_on AS last_assessed, coalesce(new_high.new_high, 0) AS new_high
        FROM athletes a
        LEFT JOIN assessed last ON last.athlete_id = a.id AND last.n = 1
        LEFT JOIN new_high ON new_high.athlete_id = a.id
        ORDER BY name, a.id
        """
    ).df()


def runs(con: Connection, start: date, end: date) -> pd.DataFrame:
    """The single-run spike's input for everyone in scope: logged runs from `start` to `end`
    (`logged` true) and the latest assessment's intake longest recent run dated on its
    assessment day (`logged` false: history, not a run to flag), as `logs.intake_run` gives it
    to progression."""
    return con.execute(
        """
        WITH latest AS (
            SELECT athlete_id, assessed_on, TRY_CAST(profile ->> 'longest_run_km' AS DOUBLE) AS km
            FROM assessments WHERE assessed_on <= $2
            QUALIFY row_number() OVER (PARTITION BY athlete_id ORDER BY assessed_on DESC, id DESC)
                = 1
        )
        SELECT athlete_id, day, run_km, true AS logged
        FROM session_logs WHERE run_km > 0 AND day BETWEEN $1 AND $2
        UNION ALL
        SELECT athlete_id, assessed_on, km, false
        FROM latest WHERE assessed_on >= $1 AND km > 0
        ORDER BY athlete_id, day
        """,
        [start, end],
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
        ORDER BY runners DESC, f.finding_id, list_position($severities, f.severity)
        """,
        {"severities": list(SEVERITIES)},
    ).df()
