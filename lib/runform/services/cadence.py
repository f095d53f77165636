"""The runner's cadence target, read once for every caller: the findings at an assessment, the
planner's metronome blocks, the metronome in Present mode and on the Log, the "cadence target
held" small win and the Form charts (`runform.cadence` does the arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from runform import cadence, metronome
from runform.compensations import Mark
from runform.models import PlanSession
from runform.planconfig import load_config
from runform.store import assessments, logs
from runform.store.connection import Connection

OVERSTRIDING = "overstriding"


def baseline(con: Connection, athlete_id: int) -> cadence.Baseline:
    """The runner's own step rate by speed, from the easy runs before any retraining."""
    return cadence.baseline(
        logs.cadence_runs(con, athlete_id), assessments.first_day(con, athlete_id)
    )


def target(con: Connection, athlete_id: int) -> cadence.Target:
    """The runner's target at their usual easy speed (else from the intake's cadence, else the
    rule table's mark): what the metronome plays and the plan's cadence blocks name."""
    intake = assessments.latest_screen(con, athlete_id, "cadence_spm")
    return cadence.target(baseline(con, athlete_id), intake)


def finding_marks(con: Connection, athlete_id: int | None, on: date) -> dict[str, Mark]:
    """The runner's own cadence mark for the overstriding rule of an assessment on `on`.

    Once an earlier assessment found overstriding (the runner is retraining it) and the runner's
    easy runs give a step rate by speed, the finding is judged against the runner's own target,
    5–10 % over that rate (its low end), instead of the rule table's 166 spm: it is resolved when
    the runner reaches their own target. Before that, the rule table's mark stands: a runner who
    never overstrode is not told to step 5 % quicker than their own habit.
    """
    if athlete_id is None or not assessments.found_before(con, athlete_id, OVERSTRIDING, on):
        return {}
    b = cadence.baseline(
        logs.cadence_runs(con, athlete_id, on), assessments.first_day(con, athlete_id)
    )
    own = cadence.target_at(b, None)
    if own is None:
        return {}
    return {"cadence_spm": Mark(value=round(own.low_spm, 1), words=f"target {own.words()}")}


@dataclass(frozen=True)
class CadenceReview:
    """The runs of a range, each against the target at its own speed, and the baseline."""

    runs: pd.DataFrame  # runform.cadence.per_run's columns
    baseline: cadence.Baseline
    target: cadence.Target


def review(con: Connection, athlete_id: int, start: date, end: date) -> CadenceReview:
    """Cadence against speed for the Form charts and the small win."""
    b = baseline(con, athlete_id)
    runs = cadence.per_run(logs.cadence_runs(con, athlete_id, end), b)
    in_range = runs[(runs["day"] >= start) & (runs["day"] <= end)].reset_index(drop=True)
    intake = assessments.latest_screen(con, athlete_id, "cadence_spm")
    return CadenceReview(runs=in_range, baseline=b, target=cadence.target(b, intake))


def drill_id() -> str:
    """The exercise that retrains cadence with a metronome (data/planning.toml [prefer])."""
    return str(load_config()["prefer"][OVERSTRIDING])


def has_drill(session: PlanSession) -> bool:
    """Whether a planned session holds the metronome cadence drill (its run's cadence blocks)."""
    drill = drill_id()
    return any(e.id == drill for e in session.exercises)


def metronome_wav(bpm: int) -> bytes:
    """A looping minute of clicks at `bpm` (`runform.metronome`)."""
    return metronome.wav(bpm)
