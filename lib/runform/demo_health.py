"""The demo team's health: one runner on the return-to-run ladder after a knee episode, one with
an open Achilles episode that keeps them from running, and weekly OSTRC-O2 answers for them and
for the runner whose knee flares up. Pure: what to store, worked out from the day; the seed
(`services.seed`) stores it.

The logs the demo generated from the plan before the episode are made to follow it afterwards
(`follow`): a run on a day the reshaped plan has none is dropped, one on a ladder day becomes the
ladder's session. So the shared random stream, and every other runner's history, stay as they
were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from runform import availability
from runform.models import Plan
from runform.vocab import Availability, FindingSide, Region


@dataclass(frozen=True)
class Episode:
    """A demo runner's episode: days are counted back from today."""

    runner: int  # the runner's place in the team (as `demo.traits` counts them)
    region: Region
    side: FindingSide | None
    diagnosis: str
    status: Availability
    onset_ago: int
    opened_ago: int
    reason: str
    notes: str
    # the ladder: (days ago, stage, action, reason), the first its start
    ladder: tuple[tuple[int, int, str, str], ...] = ()
    # capacity tests: (days ago, test id, passed)
    tests: tuple[tuple[int, str, bool], ...] = ()


LADDER_RUNNER, OUT_RUNNER, FLARE_RUNNER = 7, 9, 2

EPISODES = (
    Episode(
        runner=LADDER_RUNNER,
        region="knee",
        side="right",
        diagnosis="patellofemoral pain (physio)",
        status="modified",
        onset_ago=30,
        opened_ago=24,
        reason="walks and stairs without pain; running hurts after 10 minutes",
        notes="Physio on Fridays: hip and quads strength, taping for the first runs.",
        ladder=(
            (24, 0, "start", "The episode is modified training in a region running loads."),
            (22, 1, "advance", "On to stage 1: the capacity tests passed."),
            (16, 2, "advance", "On to stage 2: stage 1 run twice within the pain limits."),
            (10, 3, "advance", "On to stage 3: stage 2 run twice within the pain limits."),
        ),
        tests=(
            (22, "brisk_walk", True),
            (22, "heel_raises", True),
            (22, "single_leg_squat", True),
        ),
    ),
    Episode(
        runner=OUT_RUNNER,
        region="calf",
        side="left",
        diagnosis="Achilles tendinopathy (physio)",
        status="unavailable",
        onset_ago=8,
        opened_ago=5,
        reason="morning stiffness and pain on the first steps",
        notes="Heavy slow calf raises from the physio; no running until reviewed.",
    ),
)

# The weekly OSTRC-O2 answers (question 1–4 answer indexes), oldest week first, this week last.
ANSWERS: dict[int, tuple[Region, tuple[tuple[int, int, int, int], ...]]] = {
    LADDER_RUNNER: ("knee", ((3, 4, 4, 2), (2, 3, 2, 2), (2, 2, 1, 1), (1, 2, 1, 1))),
    OUT_RUNNER: ("calf", ((1, 1, 1, 1), (3, 4, 4, 2))),
    FLARE_RUNNER: ("knee", ((1, 0, 0, 1), (1, 1, 1, 1), (2, 2, 2, 2), (2, 3, 2, 3))),
}


def episode_of(runner: int, n: int) -> Episode | None:
    """The demo episode of runner `runner` of a team of `n` (small teams have none)."""
    return next((e for e in EPISODES if e.runner == runner and runner < n), None)


def title(ep: Episode) -> str:
    return f"{ep.region.capitalize()} ({ep.side}): {ep.diagnosis}"


def shaped(plan: Plan, ep: Episode, today: date, equipment: set[str]) -> Plan:
    """`plan` as the episode has shaped it day by day: from its opening, then from the day after
    each stage change (as the ladder moves after a log)."""
    steps = [(ep.opened_ago, 0)] if not ep.ladder else [(a, s) for a, s, _, _ in ep.ladder]
    current = plan
    for k, (ago, stage) in enumerate(steps):
        opened = availability.Open(1, ep.region, ep.status, title(ep), stage if ep.ladder else None)
        day = today - timedelta(days=ago) + timedelta(days=1 if k else 0)
        current = availability.shape(
            plan, current, availability.Situation((opened,)), day, equipment
        ).plan
    return current


def follow(
    rows: dict[str, list], plan_id: int, plan: Plan, ep: Episode, today: date, rng: random.Random
) -> None:
    """The logs generated from the first version of plan `plan_id` made to follow its reshaped
    version `plan` from the episode's opening: a run (or drills) on a day without one is dropped
    with its exercises and pain, a run on a ladder day becomes that session (easy, its minutes
    and distance), with a little pain during and a quiet next morning as the ladder needs. Run
    once every runner's logs are generated (their local ids stay unique)."""
    since = today - timedelta(days=ep.opened_ago)
    runs = {s.date: s for _, s in plan.sessions() if s.kind in availability.RUNNING_KINDS}
    dropped: set[int] = set()
    kept: list[tuple] = []
    for row in rows["logs"]:
        log_id, athlete_id, day, kind, planned = row[0], row[1], row[2], row[3], row[4]
        if planned != plan_id or day < since or kind not in availability.RUNNING_KINDS:
            kept.append(row)
            continue
        session = runs.get(day)
        if session is None:
            dropped.add(log_id)
            continue
        km = session.run_km
        kept.append((*row[:3], session.kind, *row[4:8], float(session.minutes), 3.0, km, *row[11:]))
        if rng.random() < 0.5:
            rows["pain"].append((athlete_id, log_id, day, ep.region, ep.side, 1, "during_run"))
        morning = day + timedelta(days=1)
        if morning <= today:
            rows["pain"].append((athlete_id, None, morning, ep.region, ep.side, 0, "next_morning"))
    rows["logs"][:] = kept
    rows["exercises"][:] = [e for e in rows["exercises"] if e[0] not in dropped]
    rows["pain"][:] = [p for p in rows["pain"] if p[1] not in dropped]


def weekly_answers(runner: int, n: int, today: date) -> list[tuple[date, Region, tuple, date]]:
    """(week's Monday, region, answers, answered on) for the runner's weeks, this week last."""
    if runner >= n or runner not in ANSWERS:
        return []
    region, weeks = ANSWERS[runner]
    monday = today - timedelta(days=today.weekday())
    out = []
    for back, answers in enumerate(reversed(weeks)):
        start = monday - timedelta(weeks=back)
        out.append((start, region, answers, min(today, start + timedelta(days=6))))
    return list(reversed(out))
