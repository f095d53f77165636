"""data/scales.toml, validated at load: the labels shown beside the effort and wellness inputs.

Strict (a misspelt key is an error) and complete: one label per point of each scale, so a slider
can never show a number without its meaning. Read once; every caller gets the same frozen object.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from runform.datafile import read
from runform.vocab import WELLNESS_ITEMS

Label = Annotated[str, Field(min_length=1, max_length=40)]
Source = Annotated[str, Field(min_length=10)]
Five = Annotated[tuple[Label, Label, Label, Label, Label], Field()]


class Rpe(BaseModel):
    """The modified CR-10 scale: labels for 0–10 (11 points)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Source
    labels: Annotated[tuple[Label, ...], Field(min_length=11, max_length=11)]

    def label(self, value: int) -> str:
        return f"{value} · {self.labels[value]}"


class WellnessScales(BaseModel):
    """The five McLean et al. 2010 items, each rated 1–5 (5 the best state): labels for 1–5."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Source
    sleep_quality: Five
    fatigue: Five
    soreness: Five
    stress: Five
    mood: Five

    def labels(self, item: str) -> tuple[str, ...]:
        if item not in WELLNESS_ITEMS:
            raise KeyError(f"unknown wellness item {item!r}; known: {', '.join(WELLNESS_ITEMS)}")
        return getattr(self, item)

    def label(self, item: str, value: int) -> str:
        return f"{value} · {self.labels(item)[value - 1]}"


class Scales(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rpe: Rpe
    wellness: WellnessScales


@cache
def load(path: Path | None = None) -> Scales:
    return read(Scales, "scales.toml", path)
