"""Assessments: record an intake (coach battery or self-assessment), open and compare them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from runform import change, compare, screens
from runform.compensations import assess, load_rules
from runform.errors import InvalidInput, NotFound
from runform.models import (
    AssessmentRecord,
    AthleteProfile,
    Finding,
    Intake,
    PainEntry,
    error_messages,
)
from runform.services import cadence as cadence_service
from runform.services.checks import coach_only, validated
from runform.store import assessments, athletes
from runform.store.connection import Connection, check_athlete
from runform.vocab import AssessmentMode

_PAIN = TypeAdapter(list[PainEntry])
#: The assessor a runner's self-assessment records: they measured themselves.
SELF_ASSESSOR = change.SELF


class IntakeSaved(BaseModel):
    """A recorded assessment: whose, its id, and the findings the rules gave."""

    athlete_id: int
    assessment_id: int
    findings: list[Finding]


def record_intake(
    con: Connection,
    raw: object,
    athlete_id: int | None = None,
    mode: AssessmentMode = "coach",
) -> IntakeSaved:
    """Validate an intake, run the rule library and store it all in one transaction.

    `athlete_id` None adds a new runner (a coach's task); otherwise the runner's profile becomes
    this assessment's unless a later assessment exists.
    """
    intake = validated(Intake, raw)
    if athlete_id is None:
        coach_only(con, "add a runner")
    else:
        check_athlete(con, athlete_id)
    found = assess(intake, marks=cadence_service.finding_marks(con, athlete_id, intake.assessed_on))
    [(athlete, assessment)] = assessments.save(
        con, [AssessmentRecord(intake=intake, findings=found, athlete_id=athlete_id, mode=mode)]
    )
    return IntakeSaved(athlete_id=athlete, assessment_id=assessment, findings=found)


# --- the self-assessment's steps: each checked before the runner moves on ----------------------


def check_profile(raw: object) -> AthleteProfile:
    """The profile step; errors name fields under `athlete.`."""
    return validated(AthleteProfile, raw, prefix="athlete")


def check_pain(raw: object) -> list[PainEntry]:
    """The pain step; errors name fields under `pain.`."""
    try:
        return _PAIN.validate_python(raw)
    except ValidationError as e:
        found = error_messages(e, PainEntry)
        raise InvalidInput({f"pain.{k}": v for k, v in found.items()}) from e


def check_screen(screen_id: str, value: Any) -> Any:
    """One screen's value, normalised; errors name `screens.<id>` (and the side)."""
    try:
        return screens.check_value(screen_id, value)
    except ValueError as e:
        path, sep, message = str(e).partition(": ")
        raise InvalidInput({path: message} if sep else {f"screens.{screen_id}": str(e)}) from e


# --- what the forms and the findings are drawn from ------------------------------------------


def catalogue() -> screens.Catalogue:
    """The screens a form asks for, in groups (data/screens.toml)."""
    return screens.load_catalogue()


def self_assessment_steps() -> list[screens.Step]:
    """The runner's self-assessment, step by step, each with its part and minutes."""
    return screens.self_assessment_steps(screens.load_catalogue())


def progress_text(steps: list[screens.Step], at: int) -> str:
    """ "Step 3 of 21: … · part 3 of 9, Ankle and foot · about 38 min left"."""
    return screens.progress_text(steps, at)


def finding_titles() -> dict[str, str]:
    """Each finding's title, by id (data/rules.toml)."""
    return load_rules().titles()


def screen_names(ids: Sequence[str]) -> list[str]:
    """Display names for screen ids (pain as "pain questions")."""
    return compare.screen_names(ids)


def real_change_rule() -> str:
    """When a change between two assessments is real, in one sentence with its figures."""
    return change.rule_text()


# --- reading -----------------------------------------------------------------------------------


def profile(con: Connection, athlete_id: int) -> AthleteProfile:
    found = athletes.get(con, athlete_id)
    if found is None:
        raise NotFound(f"There is no runner {athlete_id}.")
    return found


def roster(con: Connection) -> pd.DataFrame:
    """Every runner in the asker's view, by name, with the latest assessment day."""
    return athletes.roster(con)


def history(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The runner's assessments, newest first, with their finding counts by severity."""
    return assessments.history(con, athlete_id)


def findings(con: Connection, assessment_id: int) -> list[Finding]:
    """An assessment's findings, most severe first."""
    return assessments.findings(con, assessment_id)


def intake(con: Connection, assessment_id: int) -> Intake:
    found = assessments.load(con, assessment_id)
    if found is None:
        raise NotFound(f"There is no assessment {assessment_id}.")
    return found


def last_assessor(con: Connection, athlete_id: int) -> str | None:
    """Who assessed the runner last in a coach's assessment: the Assessor field's default."""
    return assessments.last_assessor(con, athlete_id)


@dataclass(frozen=True)
class Comparison:
    """Two assessments side by side: only what the later one measured again is compared."""

    before_id: int
    after_id: int
    before: Intake
    after: Intake
    statuses: list[compare.Status]
    retested: list[str]  # screen names measured both times
    screens_before: int  # screens the earlier one measured (pain questions aside)
    same_assessor: bool | None
    changes: pd.DataFrame  # compare.screen_changes


def comparison(con: Connection, first: int, second: int) -> Comparison:
    """Compare two assessments, the earlier (by date, then id) first whatever the order given."""
    a, b = intake(con, first), intake(con, second)
    if (b.assessed_on, second) < (a.assessed_on, first):
        (a, first), (b, second) = (b, second), (a, first)
    was, now = compare.measured_in(a.screens), compare.measured_in(b.screens)
    same = change.same_assessor(a.assessor, b.assessor)
    return Comparison(
        before_id=first,
        after_id=second,
        before=a,
        after=b,
        statuses=compare.finding_status(findings(con, first), findings(con, second), was, now),
        retested=compare.screen_names(compare.retested(was, now)),
        screens_before=len([s for s in was if s != compare.PAIN]),
        same_assessor=same,
        changes=compare.screen_changes(a.screens, b.screens, same),
    )
