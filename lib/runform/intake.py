"""Record an intake: run the rules and store everything in one transaction."""

from __future__ import annotations

from runform.compensations import assess
from runform.models import Finding, Intake
from runform.store import assessments
from runform.store.connection import Connection


def record(
    con: Connection, intake: Intake, athlete_id: int | None = None, mode: str = "coach"
) -> tuple[int, int, list[Finding]]:
    """Save an intake with its findings; return (athlete_id, assessment_id, findings)."""
    found = assess(intake)
    [(athlete, assessment)] = assessments.save(
        con, [assessments.Record(intake, found, athlete_id, mode)]
    )
    return athlete, assessment, found
