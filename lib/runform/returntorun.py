"""The return-to-run ladder: walk–run stages (data/returntorun.toml, a labelled convention) and
the one rule that moves a runner along it.

A stage advances only when the pain-monitoring model accepts the region's pain at the return
limit (during ≤ 3/10, settled by next morning, no rise week to week: `painmodel.verdict` with
protocols §5's limit), the stage was run often enough and the next stage's capacity tests pass;
new pain above the model goes back one stage; anything else holds, saying what it waits for.
Stage 0 is "not running yet": the first run waits for the stage-1 capacity tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from runform import painmodel, planconfig, workouts
from runform.datafile import Section, Strict, read
from runform.vocab import MORNING

Seconds = Annotated[int, Field(ge=0, le=3600)]


class Stage(Strict):
    run_s: Annotated[int, Field(ge=30, le=3600)]
    walk_s: Seconds
    reps: Annotated[int, Field(ge=1, le=30)]

    @model_validator(mode="after")
    def _shape(self) -> Stage:
        if (self.walk_s == 0) != (self.reps == 1):
            raise ValueError("continuous running has walk_s = 0 and reps = 1; walk–run has both")
        return self

    def run_minutes(self) -> float:
        return self.run_s * self.reps / 60

    def words(self) -> str:
        if self.walk_s == 0:
            return f"{_clock(self.run_s)} continuous running"
        return f"{_clock(self.run_s)} run / {_clock(self.walk_s)} walk × {self.reps}"


def _clock(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


class LadderRules(Section):
    warmup_walk_s: Seconds
    sessions_to_advance: Annotated[int, Field(ge=1, le=10)]
    min_days_between: Annotated[int, Field(ge=1, le=7)]
    stages: Annotated[list[Stage], Field(min_length=2, max_length=20)]

    @model_validator(mode="after")
    def _rising(self) -> LadderRules:
        minutes = [s.run_minutes() for s in self.stages]
        if minutes != sorted(minutes) or self.stages[-1].walk_s != 0:
            raise ValueError("stages must add running stage by stage and end continuous")
        return self


class Test(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    name: Annotated[str, Field(min_length=3)]
    passes: Annotated[str, Field(min_length=10)]
    before_stage: Annotated[int, Field(ge=1)]


class Capacity(Section):
    tests: Annotated[list[Test], Field(min_length=1)]


class Episodes(Section):
    suggest_after_weeks: Annotated[int, Field(ge=1, le=8)]
    ostrc_recent_days: Annotated[int, Field(ge=7, le=60)]


class ReturnConfig(Strict):
    ladder: LadderRules
    capacity: Capacity
    episodes: Episodes

    @model_validator(mode="after")
    def _tests_fit(self) -> ReturnConfig:
        ids = [t.id for t in self.capacity.tests]
        if len(ids) != len(set(ids)):
            raise ValueError("capacity: test ids must be unique")
        if any(t.before_stage > len(self.ladder.stages) for t in self.capacity.tests):
            raise ValueError("capacity: a test names a stage the ladder does not have")
        return self

    def top(self) -> int:
        return len(self.ladder.stages)

    def tests_by_id(self) -> dict[str, Test]:
        return {t.id: t for t in self.capacity.tests}


@cache
def load(path: Path | None = None) -> ReturnConfig:
    return read(ReturnConfig, "returntorun.toml", path)


def return_limit() -> float:
    """The pain during running a return accepts (protocols §5: at most 3/10)."""
    return float(planconfig.load_config()["pain_running"]["max_pain"])


def stage_words(stage: int, cfg: ReturnConfig | None = None) -> str:
    """A stage in words: "Stage 2 of 8: 2 min run / 1 min walk × 7"; stage 0 before running."""
    cfg = cfg or load()
    if stage <= 0:
        return "Not running yet: the capacity tests come first"
    return f"Stage {stage} of {cfg.top()}: {cfg.ladder.stages[stage - 1].words()}"


def workout(
    stage: int, pacing: workouts.Pacing, cfg: ReturnConfig | None = None
) -> workouts.Workout:
    """The structured run of a stage (1 to the top), for the plan and the watch."""
    cfg = cfg or load()
    s = cfg.ladder.stages[stage - 1]
    return workouts.walk_run(s.run_s, s.walk_s, s.reps, cfg.ladder.warmup_walk_s, pacing)


@dataclass(frozen=True)
class Position:
    """Where a runner is on the ladder: the stage (0 before running) and the day it was set."""

    stage: int
    since: date


Number = float | int | str


class Decision(BaseModel):
    """What the ladder does next, by which rule, with the numbers behind it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    action: Literal["advance", "hold", "regress"]
    stage_from: int
    stage_to: int
    rule: str
    reason: str
    numbers: dict[str, Number] = Field(default_factory=dict)
    complete: bool = False


def _hold(at: Position, rule: str, reason: str, **numbers: Number) -> Decision:
    return Decision(
        action="hold",
        stage_from=at.stage,
        stage_to=at.stage,
        rule=rule,
        reason=reason,
        numbers=numbers,
    )


def decide(
    at: Position,
    region: str,
    today: date,
    run_days: Sequence[date],
    pain: pd.DataFrame,
    tests: Mapping[str, bool],
    cfg: ReturnConfig | None = None,
) -> Decision:
    """Advance, hold or regress one stage on `today`.

    `run_days`: the days runs were logged; those after `at.since` count for the stage. `pain`:
    the runner's pain reports (day, region, score, when). `tests`: each capacity test's latest
    result in the episode (True: passed without pain).
    """
    cfg = cfg or load()
    limit = return_limit()
    verdict = painmodel.verdict(pain, today, [region], during_max=limit) if not pain.empty else None
    if verdict is not None and verdict.day > at.since:
        rule = f"pain-monitoring model: {verdict.rule}"
        numbers: dict[str, Number] = {"score": verdict.score, "limit": verdict.limit}
        if at.stage == 0:
            return _hold(at, rule, f"Not running yet: {verdict.text}.", **numbers)
        return Decision(
            action="regress",
            stage_from=at.stage,
            stage_to=at.stage - 1,
            rule=rule,
            reason=f"Back one stage, to {stage_words(at.stage - 1, cfg).lower()}: {verdict.text}.",
            numbers=numbers,
        )
    if verdict is not None:
        return _hold(
            at,
            f"pain-monitoring model: {verdict.rule}",
            f"Held until the pain settles ({verdict.text}; the stage changed on "
            f"{at.since:%a %d %b} for it).",
        )
    if at.stage >= cfg.top():
        done = [d for d in run_days if at.since < d <= today]
        return Decision(
            action="hold",
            stage_from=at.stage,
            stage_to=at.stage,
            rule="return-to-run ladder",
            reason=f"The top of the ladder ({stage_words(at.stage, cfg).lower()}): "
            "the coach can set the episode to full training or close it.",
            numbers={"sessions": len(done)},
            complete=len(done) >= cfg.ladder.sessions_to_advance,
        )
    if at.stage >= 1:
        done = sorted(d for d in run_days if at.since < d <= today)
        need = cfg.ladder.sessions_to_advance
        if len(done) < need:
            return _hold(
                at,
                "sessions at this stage",
                f"{len(done)} of {need} sessions at stage {at.stage} done since "
                f"{at.since:%a %d %b}.",
                sessions=len(done),
                needed=need,
            )
        if not _settled_after(pain, region, done[-1], today):
            return _hold(
                at,
                "settled by next morning",
                f"Waiting for the next-morning check after the run of {done[-1]:%a %d %b}.",
            )
    missing = [
        t
        for t in cfg.capacity.tests
        if t.before_stage <= at.stage + 1 and not tests.get(t.id, False)
    ]
    if missing:
        names = "; ".join(f"{t.name} ({t.passes})" for t in missing)
        return _hold(
            at,
            "capacity tests",
            f"Before {stage_words(at.stage + 1, cfg).lower()}: {names}.",
            missing=", ".join(t.id for t in missing),
        )
    return Decision(
        action="advance",
        stage_from=at.stage,
        stage_to=at.stage + 1,
        rule="return-to-run ladder",
        reason=(
            f"On to {stage_words(at.stage + 1, cfg).lower()}: "
            + (
                "the capacity tests passed and no pain above the model."
                if at.stage == 0
                else f"stage {at.stage} run {cfg.ladder.sessions_to_advance} times with pain at "
                f"most {limit:g}/10, settled by the next morning and not rising week to week, "
                "and the capacity tests passed."
            )
        ),
        numbers={"limit": limit},
    )


def _settled_after(pain: pd.DataFrame, region: str, run_day: date, today: date) -> bool:
    """A next-morning report for `region` after `run_day` (its score is the model's to judge)."""
    if pain.empty:
        return False
    days = pd.to_datetime(pain["day"]).dt.date
    mornings = (pain["when"] == MORNING) & (pain["region"] == region)
    return bool((mornings & (days > run_day) & (days <= today)).any())
