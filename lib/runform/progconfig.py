"""data/progression.toml, validated at load: the progression engine's own numbers, once each.

Strict sections (a misspelt key is an error), bounded where protocols §3 bounds the number, and
read once. The pain-model limits, the spike ratio and window and the monotony flag are not here:
they live in data/thresholds.toml, shared with the flags and the planner.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field

from runform.datafile import Section, Strict, read

Share = Annotated[float, Field(gt=0, lt=1)]
Days = Annotated[int, Field(ge=1, le=28)]


class ExerciseRules(Section):
    target_rpe: Annotated[float, Field(ge=1, le=10)]
    sessions_at_top: Annotated[int, Field(ge=2, le=2)]  # protocols §3: two sessions in a row
    load_step_kg: Annotated[float, Field(gt=0, le=20)]
    rep_step: Annotated[int, Field(ge=1, le=5)]
    seconds_step: Annotated[int, Field(ge=1, le=60)]
    longest_hold_share: Annotated[float, Field(gt=1, le=3)]


class RunRules(Section):
    spike_cut: Share
    horizon_days: Days


class PainRules(Section):
    run_cut: Annotated[float, Field(ge=0.3, le=0.3)]  # the deload's −30 % (protocols §3)


class ProgressionConfig(Strict):
    exercise: ExerciseRules
    runs: RunRules
    pain: PainRules


@cache
def load(path: Path | None = None) -> ProgressionConfig:
    """The validated progression table (read once; every caller gets the same frozen object)."""
    return read(ProgressionConfig, "progression.toml", path)
