"""data/planning.toml, validated at load: every planning number lives there once, with its source.

Sections are strict (a misspelt key is an error, not a silently ignored setting), shares are
checked against what protocols §5 allows (a taper cut of 41–60 %, a deload of 30 %), and the
planner reads the validated values as plain dicts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runform.datafile import Section, read

Share = Annotated[float, Field(gt=0, le=1)]
Count = Annotated[int, Field(ge=0, le=50)]
Minutes = Annotated[int, Field(ge=0, le=600)]
Band = tuple[float, float]
Levels = dict[str, Count]
LEVELS = {"beginner", "intermediate", "advanced"}


def _band(v: Band) -> Band:
    if v[0] > v[1]:
        raise ValueError("a band's low end comes first")
    return v


class Protocol(Section):
    deload_cut: Annotated[float, Field(ge=0.3, le=0.3)]  # protocols §3: −30 %
    # the single-run spike (110 % of the 30-day longest) lives in thresholds.toml [spike]


class LevelRules(Section):
    beginner_below_km: float
    beginner_below_years: float
    advanced_from_km: float
    advanced_from_runs: Count


class Runs(Section):
    easy_pace: dict[str, Annotated[float, Field(ge=3, le=12)]]
    min_run_km: Annotated[float, Field(gt=0, le=10)]
    round_km: Annotated[float, Field(gt=0, le=1)]
    easy_max_of_long: Share

    @field_validator("easy_pace")
    @classmethod
    def _levels(cls, v: dict) -> dict:
        if set(v) != LEVELS:
            raise ValueError(f"give a pace for each of {sorted(LEVELS)}")
        return v


class Sessions(Section):
    mobility_block_max_min: Minutes
    mobility_block_min_min: Minutes
    strength_min_min: Minutes
    reassessment_min: Minutes
    drill_reserve_max_min: Minutes
    strength_sessions: Count
    rep_step: Count
    seconds_step: Count


class Adapt(Section):
    travel_session_share: Share
    illness_rest_days: Count
    illness_return_share: Share
    niggle_run_share: Share
    taper_run_share: Share
    taper_set_share: Share


class Bookends(Section):
    run_warmup: list[str]
    run_cooldown: list[str]
    strength_warmup: list[str]
    strength_cooldown: list[str]
    mobility_warmup: list[str]
    mobility_cooldown: list[str]


class General(Section):
    strength: list[str]
    mobility: list[str]


class Paces(Section):
    easy: Band
    marathon: Band
    threshold: Band
    interval: Band
    repetition: Band
    _ordered = field_validator("easy", "marathon", "threshold", "interval", "repetition")(
        classmethod(lambda cls, v: _band(v))
    )


class HeartRate(Section):
    easy_max_share: Share
    easy_min_share: Share


class RaceLimits(Section):
    records: dict[str, Annotated[float, Field(gt=0)]]
    walking_min_per_km: Annotated[float, Field(gt=5, le=30)]


class Periodisation(Section):
    taper_shares: list[Annotated[float, Field(ge=0.40, le=0.59)]]  # a 41–60 % cut (Bosquet)
    marathon_taper_shares: list[Annotated[float, Field(ge=0.40, le=0.59)]]
    marathon_from_km: float
    peak_weeks: Count
    build_weeks: Count
    ceiling_share: Annotated[float, Field(ge=1, le=1.5)]  # protocols §5: at most 1.5 ×
    recovery_easy_days: Annotated[int, Field(ge=5, le=14)]  # protocols §5: at least 5 days
    recovery_share: Annotated[float, Field(gt=0, le=0.5)]  # protocols §5: at most half the peak
    rest_days_after_race: Count
    new_base_share: Annotated[float, Field(gt=0, lt=1)]  # never back at the peak (§5)

    @model_validator(mode="after")
    def _taper_weeks(self) -> Periodisation:
        if not 1 <= len(self.taper_shares) <= 2 or not 2 <= len(self.marathon_taper_shares) <= 3:
            raise ValueError("taper: about 2 weeks, 2–3 for a marathon (protocols §5)")
        return self


class LongRun(Section):
    cap_km: dict[str, Annotated[float, Field(gt=0, le=50)]]
    marathon_cap_min: Minutes
    no_goal_cap_km: Annotated[float, Field(gt=0, le=50)]
    max_share: Annotated[float, Field(gt=0, le=0.3)]  # protocols §5: at most about 30 %
    max_share_from_runs: Count
    share_by_runs: dict[str, Share]


class Quality(Section):
    threshold_max_share: Annotated[float, Field(gt=0, le=0.10)]  # Daniels: 10 %
    interval_max_share: Annotated[float, Field(gt=0, le=0.08)]  # Daniels: 8 % ...
    interval_max_km: Annotated[float, Field(gt=0, le=10)]  # ... or 10 km
    repetition_max_share: Annotated[float, Field(gt=0, le=0.05)]  # Daniels: 5 % ...
    repetition_max_km: Annotated[float, Field(gt=0, le=8)]  # ... or 8 km
    warmup_min: Minutes
    cooldown_min: Minutes
    threshold_rep_min: Minutes
    threshold_jog_min: Minutes
    threshold_min_work_min: Minutes
    interval_reps_m: list[Annotated[int, Field(ge=100, le=2000)]]
    interval_min_reps: Count
    interval_jog_share: Share
    strides: Count
    min_strides: Count
    stride_s: Count
    stride_recover_s: Annotated[int, Field(ge=0, le=300)]
    fartlek_reps: Count
    fartlek_on_s: Annotated[int, Field(ge=10, le=600)]
    fartlek_off_s: Annotated[int, Field(ge=10, le=600)]


class Rpe(Section):
    easy: Band
    long: Band
    threshold: Band
    interval: Band
    strides: Band
    race: Band
    cross_training: Band
    walk: Band


class PainRunning(Section):
    max_pain: Annotated[int, Field(ge=0, le=3)]  # protocols §5: at most 3/10
    run_walk_run_s: Annotated[int, Field(ge=30, le=1800)]
    run_walk_walk_s: Annotated[int, Field(ge=10, le=600)]


class Cadence(Section):
    low: Annotated[float, Field(ge=1.05, le=1.10)]  # protocols §5: +5–10 %
    high: Annotated[float, Field(ge=1.05, le=1.10)]
    convention: Annotated[str, Field(min_length=10)]
    bin_kmh: Annotated[float, Field(gt=0, le=2)]
    min_runs: Annotated[int, Field(ge=1, le=20)]
    baseline_days: Annotated[int, Field(ge=7, le=366)]

    @model_validator(mode="after")
    def _ordered(self) -> Cadence:
        if self.low > self.high:
            raise ValueError("cadence low must not exceed high")
        return self


class QualityByPhase(Section):
    base: Levels
    build: Levels
    peak: Levels
    taper: Levels
    race: Levels
    recovery: Levels


class Prefer(Section):
    overstriding: str


class PlanningConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    protocol: Protocol
    levels: LevelRules
    runs: Runs
    sessions: Sessions
    adapt: Adapt
    bookends: Bookends
    general: General
    paces: Paces
    heart_rate: HeartRate
    race_limits: RaceLimits
    periodisation: Periodisation
    long_run: LongRun
    quality: Quality
    rpe: Rpe
    pain_running: PainRunning
    cadence: Cadence
    quality_by_phase: QualityByPhase
    prefer: Prefer


@cache
def load_config(path: Path | None = None) -> dict[str, Any]:
    """The validated planning table as plain dicts (read once; read-only at run time)."""
    return read(PlanningConfig, "planning.toml", path).model_dump()
