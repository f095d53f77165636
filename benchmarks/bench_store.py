"""Time the store's plan and adherence queries on a demo team, so one copy of each fact stays fast.

Builds a demo team with `python -m runform demo` (or reuses one with --db FILE --reuse), works on
a copy of it (plan saves add versions), and prints the median of --repeat timings of:

- loading one plan version (`plans.load`, what the Plan, Log and Present pages do on every rerun),
- one runner's adherence over the Progress page's default 16 weeks (`review.adherence`),
- the team's adherence over the flag's 14 days (`review.adherence(con, None, …)`),
- the Log page's planned sessions of a day and whether each is done (`logs.planned_on`),
- saving a plan version (`plans.add_version`: a coach's edit or a progression proposal).

    python benchmarks/bench_store.py --runners 100 --weeks 104          # the figures in README
    python benchmarks/bench_store.py --runners 6 --weeks 8 --repeat 1   # CI-sized

"Today" is RUNFORM_TODAY (default 2026-11-25), so the team and the windows agree. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from _common import build, timings_ms

os.environ.setdefault("RUNFORM_TODAY", "2026-11-25")


def main(argv: list[str] | None = None) -> int:
    from runform import clock
    from runform.store import logs, plans, review
    from runform.store.connection import connect, scalar

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104, help="weeks of history")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="the demo database to build (or reuse with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="keep a database built before")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(args.db) if args.db else Path(tmp) / "team.duckdb"
        if not (args.reuse and source.exists()):
            build(source, args.runners, args.weeks)
        work = Path(tmp) / "work.duckdb"
        shutil.copy(source, work)
        con = connect(work)
        today = clock.today()
        athlete = scalar(con, "SELECT min(id) FROM athletes")
        plan_id = plans.latest_for(con, athlete)
        version = plans.current_version(con, plan_id)
        plan = plans.load(con, plan_id, version)
        assert plan is not None
        sessions = sum(len(w.sessions) for w in plan.weeks)
        day = next((s.date for _, s in plan.sessions() if s.date <= today), plan.start)
        versions = scalar(con, "SELECT count(*) FROM plan_versions")
        print(
            f"{args.runners} runners × {args.weeks} weeks, today {today}: {versions} plan "
            f"versions; plan {plan_id} v{version} has {len(plan.weeks)} weeks, {sessions} sessions"
        )
        cases: dict[str, Callable[[], object]] = {
            "plans.load (one version)": lambda: plans.load(con, plan_id, version),
            "review.adherence (one runner, 16 weeks)": lambda: review.adherence(
                con, athlete, today - timedelta(weeks=16), today
            ),
            "review.adherence (team, 14 days)": lambda: review.adherence(
                con, None, today - timedelta(days=14), today - timedelta(days=1)
            ),
        }
        if hasattr(logs, "planned_on"):
            cases["logs.planned_on (one day)"] = lambda: logs.planned_on(con, athlete, day)
        else:  # the code before it: the Log page's done_planned
            cases["logs.done_planned (one plan)"] = lambda: logs.done_planned(con, athlete, plan_id)
        cases["plans.add_version (a save)"] = lambda: plans.add_version(
            con, plan_id, plan, "benchmark", "proposed"
        )
        for name, fn in cases.items():
            times = timings_ms(fn, args.repeat)
            print(
                f"{name:42s} median {statistics.median(times):8.1f} ms "
                f"(min {min(times):.1f}, max {max(times):.1f}) over {len(times)} runs"
            )
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
