"""Assessments: the profile on the day, tidy screen values, pain reports and their findings."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from runform import screens
from runform.errors import NotFound
from runform.models import AssessmentRecord, AthleteProfile, Finding, Intake, PainEntry
from runform.store import athletes
from runform.store.connection import (
    Connection,
    check_athlete,
    one,
    scalar,
    scope_of,
    table,
    transaction,
)
from runform.vocab import SEVERITIES


def save(con: Connection, records: list[AssessmentRecord]) -> list[tuple[int, int]]:
    """Save assessments in one transaction; return (athlete_id, assessment_id) for each.

    A record without an athlete creates the runner. The runner's current profile is the latest
    assessment's (`athletes.get`), so a back-dated entry never hides a newer profile. Raises
    Forbidden for another runner on a runner's cursor and NotFound for an unknown runner.
    """
    for r in records:
        check_athlete(con, r.athlete_id) if scope_of(con) is not None else None
    with transaction(con):
        missing = [
            r.athlete_id
            for r in records
            if r.athlete_id is not None and not athletes.exists(con, r.athlete_id)
        ]
        if missing:
            raise NotFound(f"unknown athlete id {missing[0]}")
        ids = [
            r[0]
            for r in con.execute(
                "SELECT nextval('assessment_id_seq') FROM range(?)", [len(records)]
            ).fetchall()
        ]
        out: list[tuple[int, int]] = []
        for rec, aid in zip(records, ids, strict=True):
            athlete_id = rec.athlete_id
            if athlete_id is None:
                athlete_id = athletes.insert(con)
            out.append((athlete_id, aid))
        assessments = pd.DataFrame(
            [
                (
                    aid,
                    ath,
                    r.intake.assessed_on,
                    r.mode,
                    r.intake.athlete.model_dump_json(),
                    r.intake.assessor,
                )
                for r, (ath, aid) in zip(records, out, strict=True)
            ],
            columns=["id", "athlete_id", "assessed_on", "mode", "profile", "assessor"],
        )
        values = pd.DataFrame(
            [
                (aid, *row)
                for r, (_, aid) in zip(records, out, strict=True)
                for row in screens.to_rows(r.intake.screens)
            ],
            columns=["assessment_id", "screen_id", "side", "item", "value"],
        )
        pain = pd.DataFrame(
            [
                (ath, aid, r.intake.assessed_on, p.region, p.side, p.score, p.when)
                for r, (ath, aid) in zip(records, out, strict=True)
                for p in r.intake.pain
            ],
            columns=[
                "athlete_id",
                "assessment_id",
                "reported_on",
                "region",
                "side",
                "score",
                "when",
            ],
        )
        found = pd.DataFrame(
            [
                (
                    aid,
                    f.id,
                    f.severity,
                    f.side,
                    json.dumps([e.model_dump() for e in f.evidence]),
                    f.explanation,
                    f.source,
                )
                for r, (_, aid) in zip(records, out, strict=True)
                for f in r.findings
            ],
            columns=[
                "assessment_id",
                "finding_id",
                "severity",
                "side",
                "evidence",
                "explanation",
                "source",
            ],
        )
        con.register("new_assessments", assessments)
        con.register("new_values", values)
        con.register("new_pain", pain)
        con.register("new_findings", found)
        try:
            con.execute(
                f"INSERT INTO {table(con, 'assessments')} "
                "(id, athlete_id, assessed_on, mode, profile, assessor) "
                "SELECT id, athlete_id, assessed_on, mode, profile, assessor::VARCHAR "
                "FROM new_assessments"
            )
            con.execute(f"INSERT INTO {table(con, 'screen_values')} SELECT * FROM new_values")
            con.execute(
                f"INSERT INTO {table(con, 'pain_reports')} "
                "(athlete_id, assessment_id, reported_on, region, side, "
                'score, "when") SELECT * FROM new_pain'
            )
            con.execute(f"INSERT INTO {table(con, 'findings')} SELECT * FROM new_findings")
        finally:
            for name in ("new_assessments", "new_values", "new_pain", "new_findings"):
                con.unregister(name)
    return out


def history(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The athlete's assessments, newest first, with their finding counts by severity."""
    return con.execute(
        """
        SELECT s.id, s.assessed_on, s.mode, s.assessor,
               count(f.finding_id) FILTER (WHERE f.severity = 'high') AS high,
               count(f.finding_id) FILTER (WHERE f.severity = 'moderate') AS moderate,
               count(f.finding_id) FILTER (WHERE f.severity = 'info') AS info
        FROM assessments s LEFT JOIN findings f ON f.assessment_id = s.id
        WHERE s.athlete_id = ?
        GROUP BY ALL ORDER BY s.assessed_on DESC, s.id DESC
        """,
        [athlete_id],
    ).df()


def load(con: Connection, assessment_id: int) -> Intake | None:
    row = one(
        con, "SELECT assessed_on, profile, assessor FROM assessments WHERE id = ?", [assessment_id]
    )
    if row is None:
        return None
    values = con.execute(
        "SELECT screen_id, side, item, value FROM screen_values WHERE assessment_id = ?",
        [assessment_id],
    ).fetchall()
    pain = con.execute(
        'SELECT region, side, score, "when" FROM pain_reports WHERE assessment_id = ? ORDER BY id',
        [assessment_id],
    ).fetchall()
    return Intake.model_construct(
        athlete=AthleteProfile.model_validate_json(row[1]),
        assessed_on=row[0],
        pain=[PainEntry(region=r, side=s, score=sc, when=w) for r, s, sc, w in pain],
        screens=screens.from_rows(values),
        assessor=row[2],
    )


def last_assessor(con: Connection, athlete_id: int) -> str | None:
    """Who assessed this runner last in a coach's assessment (not a self-assessment): the
    default for the coach form's Assessor field."""
    return scalar(
        con,
        """SELECT assessor FROM assessments
           WHERE athlete_id = ? AND mode <> 'self' AND coalesce(trim(assessor), '') <> ''
           ORDER BY assessed_on DESC, id DESC LIMIT 1""",
        [athlete_id],
    )


def findings(con: Connection, assessment_id: int) -> list[Finding]:
    rows = con.execute(
        """SELECT finding_id, severity, side, evidence, explanation, source FROM findings
           WHERE assessment_id = ?
           ORDER BY list_position(?, severity)""",
        [assessment_id, list(SEVERITIES)],
    ).fetchall()
    return [
        Finding(id=i, severity=sev, side=side, evidence=json.loads(ev), explanation=ex, source=src)
        for i, sev, side, ev, ex, src in rows
    ]


def first_day(con: Connection, athlete_id: int) -> date | None:
    """The runner's first assessment day (where their cadence baseline ends, `runform.cadence`)."""
    return scalar(
        con, "SELECT min(assessed_on) FROM assessments WHERE athlete_id = ?", [athlete_id]
    )


def found_before(con: Connection, athlete_id: int, finding_id: str, day: date) -> bool:
    """Whether an assessment of the runner up to `day` found `finding_id`."""
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM findings f JOIN assessments s ON s.id = f.assessment_id "
            "WHERE s.athlete_id = ? AND f.finding_id = ? AND s.assessed_on <= ?",
            [athlete_id, finding_id, day],
        )
    )


def latest_screen(con: Connection, athlete_id: int, screen_id: str) -> float | None:
    """A one-sided screen's value at the runner's latest assessment that measured it."""
    return scalar(
        con,
        "SELECT v.value FROM screen_values v JOIN assessments s ON s.id = v.assessment_id "
        "WHERE s.athlete_id = ? AND v.screen_id = ? AND v.side = 'none' "
        "ORDER BY s.assessed_on DESC, s.id DESC LIMIT 1",
        [athlete_id, screen_id],
    )
