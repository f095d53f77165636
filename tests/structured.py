"""A hand-built plan with structured runs, stored straight into a test database.

Built from the models directly (not by the planner), so page and browser tests of steps and watch
workouts do not depend on how the planner shapes its sessions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fitdecode

from runform import clock
from runform.models import (
    Plan,
    PlanExercise,
    PlanOptions,
    PlanSession,
    PlanWeek,
    Step,
    StepTarget,
)
from runform.store import plans
from runform.store.connection import connect

INTERVALS_TEXT = "6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog"
EASY_TEXT = "Easy 40 min at 6:10–7:18 /km or 117–146 bpm, RPE 2–3 — metronome at 172 spm"


def intervals() -> list[Step]:
    return [
        Step(kind="warmup", duration_s=900, target=StepTarget(rpe=(2, 3))),
        Step(
            kind="repeat",
            repeat=6,
            steps=[
                Step(
                    kind="work",
                    distance_m=800,
                    target=StepTarget(rpe=(7, 8), pace_s_per_km=(288, 300)),
                ),
                Step(kind="recover", distance_m=400, target=StepTarget(rpe=(1, 2))),
            ],
        ),
        Step(kind="cooldown", duration_s=600, target=StepTarget(rpe=(2, 3))),
    ]


def easy() -> list[Step]:
    return [
        Step(
            kind="work",
            duration_s=2400,
            target=StepTarget(rpe=(2, 3), pace_s_per_km=(370, 438), hr_bpm=(117, 146)),
            note="metronome at 172 spm",
        )
    ]


def plan(start: dt.date) -> Plan:
    """Two weeks from `start` (a Monday): week 1 has intervals on Tuesday, strength on Wednesday
    and an easy run on Thursday (positions 0, 1, 2); week 2 one easy run."""
    day = lambda n: start + dt.timedelta(days=n)  # noqa: E731
    squat = PlanExercise(id="goblet_squat", name="Goblet squat", sets=3, reps=10)
    return Plan(
        start=start,
        weeks=[
            PlanWeek(
                index=1,
                phase="build",
                run_km=18,
                sessions=[
                    PlanSession(
                        date=day(1),
                        kind="intervals",
                        minutes=55,
                        run_km=9,
                        steps=intervals(),
                        reason="VO2max intervals",
                    ),
                    PlanSession(date=day(2), kind="strength", minutes=30, exercises=[squat]),
                    PlanSession(date=day(3), kind="easy_run", minutes=40, run_km=6, steps=easy()),
                ],
            ),
            PlanWeek(
                index=2,
                phase="taper",
                run_km=6,
                sessions=[
                    PlanSession(date=day(8), kind="easy_run", minutes=40, run_km=6, steps=easy())
                ],
            ),
        ],
    )


def next_monday() -> dt.date:
    today = clock.today()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def seed(db: Path, athlete_id: int = 1) -> int:
    """Store :func:`plan` for `athlete_id` in the database file `db`; returns the plan id."""
    start = next_monday()
    con = connect(db)
    try:
        return plans.create(con, athlete_id, plan(start), PlanOptions(start=start, weeks=4))
    finally:
        con.close()


def fit_workout(data: bytes) -> tuple[str, list[dict]]:
    """(file type, workout steps) of a FIT file: decoded with fitdecode, CRCs checked."""
    kind, steps = "", []
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as fit:
        for frame in fit:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "file_id":
                kind = str(frame.get_value("type"))
            elif frame.name == "workout_step":
                steps.append({f.name: f.value for f in frame.fields})
    return kind, steps
