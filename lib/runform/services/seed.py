"""The demo team stored: what a coach demonstrates on and the benchmarks measure."""

from __future__ import annotations

import random
from datetime import date, timedelta

from runform import clock, demo, demo_health
from runform.health import CapacityEntry, EpisodeInput, OstrcEntry
from runform.models import AssessmentRecord, Plan
from runform.services.checks import coach_only
from runform.store import assessments, athletes, injuries, logs, plans
from runform.store.connection import Connection, checkpoint, transaction


def demo_team(
    con: Connection, n: int = 12, weeks: int = 16, seed: int = 7, today: date | None = None
) -> int:
    """Store `demo.build_team`'s runners with their plans and months of logs, wellness and pain,
    in one transaction; returns how many runners. Deterministic for a seed and a day."""
    coach_only(con, "load the demo team")
    today = today or clock.today()
    records = demo.build_team(n, weeks, seed, today)
    rng = random.Random(seed + 1)
    rows: dict[str, list] = {"logs": [], "exercises": [], "pain": [], "wellness": []}
    follows: list[tuple[int, Plan, demo_health.Episode, int]] = []  # plans an episode reshaped
    with transaction(con):
        names = list(dict.fromkeys(r.intake.athlete.name for r in records))
        ids = dict(zip(names, athletes.reserve_ids(con, len(names)), strict=True))
        for aid in ids.values():
            athletes.insert(con, aid)  # the profile comes with each runner's assessments
        saved = assessments.save(
            con,
            [r.model_copy(update={"athlete_id": ids[r.intake.athlete.name]}) for r in records],
        )
        by_athlete: dict[int, list[tuple[AssessmentRecord, int]]] = {}
        for rec, (athlete_id, assessment_id) in zip(records, saved, strict=True):
            by_athlete.setdefault(athlete_id, []).append((rec, assessment_id))
        for k, (athlete_id, visits) in enumerate(by_athlete.items()):
            visits.sort(key=lambda v: v[0].intake.assessed_on)
            first = visits[0][0].intake
            traits = demo.traits(rng, k, n, first)
            first_log = len(rows["logs"])

            def runs_so_far(first_log: int = first_log) -> list[tuple[date, float]]:
                return [(r[2], r[10]) for r in rows["logs"][first_log:] if r[10] > 0]

            ep = demo_health.episode_of(k, n)
            for plan, options, assessment_id, until in demo.plans_for(visits, today, runs_so_far):
                plan_id = plans.create(
                    con, athlete_id, plan, options, assessment_id, "generated (demo)"
                )
                demo.log_rows(rng, athlete_id, plan_id, plan, until, today, traits, rows)
                if ep is not None:
                    follows.append((plan_id, plan, ep, seed + k))
            demo.wellness_rows(rng, athlete_id, first.assessed_on, today, traits, rows["wellness"])
            _health(con, athlete_id, k, n, today)
        for plan_id, plan, ep, rng_seed in follows:
            _follow_episode(con, plan_id, plan, ep, today, rows, rng_seed)
        logs.save_demo(con, rows)
    checkpoint(con)  # the next start need not replay a long write-ahead log
    return len(ids)


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
