"""data/thresholds.toml, validated at load: the numbers flags, progression, planner and charts
share.

One model per section, strict (a misspelt key is an error), bounded where the protocol bounds the
number, and read once: every caller gets the same frozen object.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from runform.datafile import Section, Strict, read

Days = Annotated[int, Field(ge=1, le=366)]
Score = Annotated[float, Field(ge=0, le=10)]


class PainModel(Section):
    during_max: Score
    morning_tolerance: Annotated[float, Field(ge=0, le=3)]
    first_baseline_max: Score
    window_days: Days
    baseline_days: Days
    convention: Annotated[str, Field(min_length=10)]


class Spike(Section):
    ratio: Annotated[float, Field(ge=1.0, le=1.1)]  # protocols §3: 110 %
    window_days: Days
    recent_days: Days


class RealChange(Section):
    default_share: Annotated[float, Field(gt=0, le=0.5)]
    float_tolerance: Annotated[float, Field(ge=0, le=1e-3)]


class Monotony(Section):
    flag: Annotated[float, Field(gt=0)]
    sd_epsilon: Annotated[float, Field(ge=0, le=1e-3)]


class Acwr(Section):
    acute_days: Days
    chronic_days: Days
    usual_low: Annotated[float, Field(gt=0)]
    usual_high: Annotated[float, Field(gt=0)]
    flag: Annotated[float, Field(gt=0)]
    note: Annotated[str, Field(min_length=10)]

    @model_validator(mode="after")
    def _ordered(self) -> Acwr:
        if not self.acute_days <= self.chronic_days:
            raise ValueError("acute_days must not exceed chronic_days")
        if not self.usual_low < self.usual_high <= self.flag:
            raise ValueError("need usual_low < usual_high <= flag")
        return self

    def note_text(self) -> str:
        return self.note.format(
            usual_low=self.usual_low, usual_high=self.usual_high, flag=self.flag
        )


class Adherence(Section):
    low: Annotated[float, Field(gt=0, le=1)]
    window_days: Days


class WellnessBand(Section):
    sd_below: Annotated[float, Field(gt=0, le=5)]
    baseline_days: Days
    recent_days: Days


class Reassessment(Section):
    due_days: Days


Percent = Annotated[int, Field(ge=0, le=1000)]


class Compliance(Section):
    """TrainingPeaks' colours of a done session, on whole percents of the planned minutes."""

    green_low: Percent
    green_high: Percent
    yellow_low: Percent
    yellow_high: Percent

    @model_validator(mode="after")
    def _nested(self) -> Compliance:
        if not 0 < self.yellow_low < self.green_low <= 100 <= self.green_high < self.yellow_high:
            raise ValueError("need 0 < yellow_low < green_low <= 100 <= green_high < yellow_high")
        return self


Rpe = Annotated[float, Field(ge=0, le=10)]


class PlannedRpe(Section):
    """The session RPE a planned session without steps is projected at (a convention)."""

    mobility: Rpe
    strength: Rpe
    drills: Rpe
    reassessment: Rpe


class Fitness(Section):
    """The fitness-fatigue model's time constants (Banister; TrainingPeaks' PMC)."""

    ctl_days: Days
    atl_days: Days
    note: Annotated[str, Field(min_length=10)]
    planned_rpe: PlannedRpe

    @model_validator(mode="after")
    def _ordered(self) -> Fitness:
        if not self.atl_days < self.ctl_days:
            raise ValueError("atl_days (fatigue) must be shorter than ctl_days (fitness)")
        return self

    def note_text(self) -> str:
        return self.note.format(ctl_days=self.ctl_days, atl_days=self.atl_days)


class Thresholds(Strict):
    pain: PainModel
    spike: Spike
    real_change: RealChange
    monotony: Monotony
    acwr: Acwr
    adherence: Adherence
    wellness: WellnessBand
    reassessment: Reassessment
    compliance: Compliance
    fitness: Fitness


@cache
def load(path: Path | None = None) -> Thresholds:
    return read(Thresholds, "thresholds.toml", path)
