"""Injury episodes, the weekly OSTRC-O2 answers, capacity tests and a coach's stage override: the
models a form or the store hands over, validated once at the service (`services.injuries`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runform import returntorun
from runform.models import EARLIEST, Strict, Whole, not_in_future
from runform.vocab import (
    REGION_LABELS,
    SIDE_LABELS,
    Author,
    Availability,
    FindingSide,
    Region,
    label,
)

Diagnosis = Annotated[str, Field(max_length=120)]
Notes = Annotated[str, Field(max_length=2000)]
Reason = Annotated[str, Field(max_length=300)]


def _recent(d: dt.date) -> dt.date:
    if d < EARLIEST:
        raise ValueError(f"must be {EARLIEST} or later")
    return not_in_future(d)


class EpisodeInput(Strict):
    """A new episode: where, since when, what it is called (the runner's or a clinician's
    words) and how much training it allows."""

    athlete_id: int
    region: Region
    side: FindingSide | None = None
    onset: dt.date
    diagnosis: Diagnosis = ""
    status: Availability = "modified"
    notes: Notes = ""
    reason: Reason = ""

    _onset = field_validator("onset")(classmethod(lambda cls, v: _recent(v)))


class EpisodeUpdate(Strict):
    """A status change (from `day`, with its reason) and the episode's words brought up to date."""

    day: dt.date
    status: Availability
    reason: Reason = ""
    diagnosis: Diagnosis = ""
    notes: Notes = ""

    _day = field_validator("day")(classmethod(lambda cls, v: _recent(v)))


class EpisodeClose(Strict):
    ended_on: dt.date
    reason: Reason = ""

    _ended = field_validator("ended_on")(classmethod(lambda cls, v: _recent(v)))


class OstrcEntry(Strict):
    """One week's OSTRC-O2 answers for one region: question id → the chosen answer's index
    (checked against the questionnaire by `ostrc.answer_problems` at the service)."""

    athlete_id: int
    day: dt.date  # any day of the week answered
    region: Region
    answers: dict[str, Any]

    _day = field_validator("day")(classmethod(lambda cls, v: _recent(v)))

    def week(self) -> dt.date:
        """The Monday of the week the answers are for."""
        return self.day - dt.timedelta(days=self.day.weekday())


class CapacityEntry(Strict):
    """Capacity tests done on `day`: test id → passed without pain."""

    day: dt.date
    results: Annotated[dict[str, bool], Field(min_length=1)]

    _day = field_validator("day")(classmethod(lambda cls, v: _recent(v)))

    @model_validator(mode="after")
    def _known(self) -> CapacityEntry:
        known = returntorun.load().tests_by_id()
        for test_id in self.results:
            if test_id not in known:
                raise ValueError(f"results.{test_id}: is not one of the capacity tests")
        return self


class StageOverride(Strict):
    """The coach sets the ladder's stage, saying why."""

    day: dt.date
    stage: Annotated[Whole, Field(ge=0, strict=True)]
    reason: Annotated[str, Field(max_length=300, validate_default=True)] = ""

    _day = field_validator("day")(classmethod(lambda cls, v: _recent(v)))

    @field_validator("reason")
    @classmethod
    def _said(cls, v: str) -> str:
        if len(v) < 3:
            raise ValueError("say why the stage changes, in a few words")
        return v

    @field_validator("stage")
    @classmethod
    def _on_the_ladder(cls, v: int) -> int:
        top = returntorun.load().top()
        if v > top:
            raise ValueError(f"must be a number between 0 and {top}, got {v}")
        return v


class Episode(BaseModel):
    """An episode as stored, with its current status (its latest status change)."""

    model_config = ConfigDict(frozen=True)
    id: int
    athlete_id: int
    region: Region
    side: FindingSide | None
    onset: dt.date
    diagnosis: str
    notes: str
    ended_on: dt.date | None
    status: Availability
    opened_by: Author

    def is_open(self) -> bool:
        return self.ended_on is None

    def place(self) -> str:
        """ "Knee (left)", "Lower back"."""
        side = f" ({label(SIDE_LABELS, self.side).lower()})" if self.side else ""
        return label(REGION_LABELS, self.region) + side

    def title(self) -> str:
        """ "Knee (left): patellar tendinopathy", or the place alone."""
        return self.place() + (f": {self.diagnosis}" if self.diagnosis else "")
