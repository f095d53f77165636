"""The demo team stored: what a coach demonstrates on and the benchmarks measure."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from runform import clock, demo, demo_health
from runform.health import CapacityEntry, EpisodeInput, OstrcEntry
from runform.models import AssessmentRecord, Plan
from runform.services.checks import coach_only
from runform.spike import Run
from runform.store import assessments, athletes, injuries, logs, plans
from runform.store.connection import Connection, checkpoint, memory_limit, transaction

# Runners whose plans and logs are gathered before they are written: enough that each INSERT
# carries thousands of rows, few enough that a chunk's rows (some 30 MB of plan JSON for ten
# runners with three years of plans) stay small beside the team.
CHUNK_RUNNERS = 10
# DuckDB's memory while the team is written. The transaction's rows stay in memory until the
# limit is reached (DuckDB's default: 80 % of the machine), then go to disk: a thousand runners
# over three years are several GB of plan sessions, so the limit is what bounds the build.
MEMORY_LIMIT = "1GB"

GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation

NOTE = "generated (demo)"  # each demo plan's first version
Visits = list[tuple[AssessmentRecord, int]]


def demo_team(
    con: Connection, n: int = 12, weeks: int = 16, seed: int = 7, today: date | None = None
) -> int:
    """Store `demo.build_team`'s runners with their plans and months of logs, wellness and pain,
    in one transaction; returns how many runners. Deterministic for a seed and a day.

    Runners are built and written a chunk at a time (`CHUNK_RUNNERS`), each table with one
    INSERT per chunk, and DuckDB's memory is capped meanwhile (`MEMORY_LIMIT`) so it spills the
    transaction's rows to disk: memory stays bounded however big the team, and it stays one
    transaction, so a failed build leaves nothing behind.
    """
    coach_only(con, "load the demo team")
    today = today or clock.today()
    records = demo.build_team(n, weeks, seed, today)
    rng = random.Random(seed + 1)
    with _fewer_collections(), memory_limit(con, MEMORY_LIMIT), transaction(con):
        names = list(dict.fromkeys(r.intake.athlete.name for r in records))
        ids = dict(zip(names, athletes.reserve_ids(con, len(names)), strict=True))
        for aid in ids.values():
            athletes.insert(con, aid)  # the profile comes with each runner's assessments
        saved = assessments.save(
            con,
            [r.model_copy(update={"athlete_id": ids[r.intake.athlete.name]}) for r in records],
        )
        by_athlete: dict[int, Visits] = {}
        for rec, (athlete_id, assessment_id) in zip(records, saved, strict=True):
            by_athlete.setdefault(athlete_id, []).append((rec, assessment_id))
        team = list(by_athlete.items())
        for first in range(0, len(team), CHUNK_RUNNERS):
            _store_runners(con, team[first : first + CHUNK_RUNNERS], first, n, rng, today, seed)
    checkpoint(con)  # the next start need not replay a long write-ahead log
    return len(ids)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector runs less often meanwhile, then as before: the planner makes
    millions of short-lived objects, and a collection every 700 of them (the default) cost
    about a tenth of a big team's build for no cycle worth finding."""
    before = gc.get_threshold()
    if before[0]:  # 0: automatic collection is off, and stays off
        gc.set_threshold(max(before[0], GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _store_runners(
    con: Connection,
    runners: list[tuple[int, Visits]],
    first: int,
    n: int,
    rng: random.Random,
    today: date,
    seed: int,
) -> None:
    """Plans, logs, wellness and health records of a chunk of runners (runner `first` onward of
    `n`), built and then written with one insert per table. The random draws come in the same
    order as when the team was built in one piece, so the chunk size changes nothing stored."""
    for _, visits in runners:
        visits.sort(key=lambda v: v[0].intake.assessed_on)
    blocks = [demo.plan_blocks(visits, today) for _, visits in runners]
    plan_ids = iter(plans.reserve_ids(con, sum(map(len, blocks))))
    new_plans = plans.PlanRows()
    rows: dict[str, list] = {"logs": [], "exercises": [], "pain": [], "wellness": []}
    follows: list[tuple[int, Plan, demo_health.Episode, int]] = []  # plans an episode reshaped
    for j, (athlete_id, visits) in enumerate(runners):
        intake = visits[0][0].intake
        traits = demo.traits(rng, first + j, n, intake)
        ep = demo_health.episode_of(first + j, n)
        runs: list[Run] = []  # this runner's logged runs so far, for the next plan's spike rule
        for plan, options, assessment_id, until in demo.plans_for(blocks[j], runs):
            plan_id = next(plan_ids)
            new_plans.add_plan(plan_id, athlete_id, plan, options, assessment_id, NOTE)
            logged = len(rows["logs"])
            demo.log_rows(rng, athlete_id, plan_id, plan, until, today, traits, rows)
            runs.extend((r[2], r[10]) for r in rows["logs"][logged:] if r[10] > 0)
            if ep is not None:
                follows.append((plan_id, plan, ep, seed + first + j))
        demo.wellness_rows(rng, athlete_id, intake.assessed_on, today, traits, rows["wellness"])
    new_plans.write(con)
    for j, (athlete_id, _) in enumerate(runners):
        _health(con, athlete_id, first + j, n, today)
    for plan_id, plan, ep, rng_seed in follows:  # the plans are stored: a version follows each
        _follow_episode(con, plan_id, plan, ep, today, rows, rng_seed)
    logs.save_demo(con, rows)


def _follow_episode(
    con: Connection,
    plan_id: int,
    plan: Plan,
    ep: demo_health.Episode,
    today: date,
    rows: dict[str, list],
    seed: int,
) -> None:
    """A demo plan reshaped by the runner's episode as a new version (the first kept as its
    base), and the block's logs made to follow it."""
    profile = athletes.get(con, plans.athlete_of(con, plan_id) or 0)
    equipment: set[str] = set(profile.equipment) if profile else set()
    shaped = demo_health.shaped(plan, ep, today, equipment)
    if shaped == plan:
        return
    plans.add_version(con, plan_id, shaped, f"Health: {demo_health.title(ep)} (demo)")
    injuries.set_base(con, plan_id, 1, today - timedelta(days=ep.opened_ago))
    demo_health.follow(rows, plan_id, shaped, ep, today, random.Random(seed))


def _health(con: Connection, athlete_id: int, k: int, n: int, today: date) -> None:
    """Runner `k`'s demo episode with its status, ladder and capacity tests, and their weekly
    health check answers."""
    ep = demo_health.episode_of(k, n)
    if ep is not None:

        def ago(days: int) -> date:
            return today - timedelta(days=days)

        raw = EpisodeInput(
            athlete_id=athlete_id,
            region=ep.region,
            side=ep.side,
            onset=ago(ep.onset_ago),
            diagnosis=ep.diagnosis,
            status=ep.status,
            notes=ep.notes,
            reason=ep.reason,
        )
        episode_id = injuries.create(con, raw, ago(ep.opened_ago), "coach")
        for days, stage, action, reason in ep.ladder:
            rule = "return-to-run ladder"
            injuries.add_ladder_event(
                con, episode_id, ago(days), stage, action, rule, reason, "ladder"
            )
        for days, test_id, passed in ep.tests:
            injuries.save_capacity(
                con, episode_id, CapacityEntry(day=ago(days), results={test_id: passed})
            )
    for _, region, answers, answered_on in demo_health.weekly_answers(k, n, today):
        entry = OstrcEntry(athlete_id=athlete_id, day=answered_on, region=region, answers={})
        injuries.save_ostrc(con, entry, dict(zip(("q1", "q2", "q3", "q4"), answers, strict=True)))
