"""The demo team stored: what a coach demonstrates on and the benchmarks measure."""

from __future__ import annotations

import random
from datetime import date

from runform import clock, demo
from runform.models import AssessmentRecord
from runform.services.checks import coach_only
from runform.store import assessments, athletes, logs, plans
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

            for plan, options, assessment_id, until in demo.plans_for(visits, today, runs_so_far):
                plan_id = plans.create(
                    con, athlete_id, plan, options, assessment_id, "generated (demo)"
                )
                demo.log_rows(rng, athlete_id, plan_id, plan, until, today, traits, rows)
            demo.wellness_rows(rng, athlete_id, first.assessed_on, today, traits, rows["wellness"])
        logs.save_demo(con, rows)
    checkpoint(con)  # the next start need not replay a long write-ahead log
    return len(ids)
