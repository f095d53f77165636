"""Time the calendar's reruns through Streamlit's AppTest on a demo team (issue 16).

Three views, each opened at its address, run once to warm the caches, then rerun --reruns times
(what a coach waits for after touching a widget), and once right after `st.cache_data.clear()`
("cold": what every write costs):

- Progress · Calendar of one runner with a two-year range: the month grid and the fitness,
  fatigue and form chart over the two years and the plan ahead;
- Plan · its "Planned against done" tab (every tab of the Plan page runs on each rerun);
- Team: the board with its compliance and form columns and the team's week, every runner.

It also times the parts alone (the service reads, cold, and the fitness figure).

    python benchmarks/bench_calendar.py --db /tmp/runform-bench/bench-100x104.duckdb

The database is copied first (never modified); "today" is the day after its last log unless
RUNFORM_TODAY says otherwise. Target: rerun median under 150 ms at 100 runners. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
from _common import timings_ms

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150.0


def last_day(db: Path) -> date:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT max(day) FROM session_logs").fetchone()[0]
    finally:
        con.close()


def page_rows(today: date, reruns: int) -> list[tuple[str, list[float], float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    two_years = (today - timedelta(days=730)).isoformat()
    views = [
        (
            "Progress · Calendar (2-year range)",
            "progress",
            {"athlete": "1", "section": "Calendar", "from": two_years, "to": today.isoformat()},
        ),
        ("Plan (with Planned against done)", "plan", {"athlete": "1"}),
        ("Team (columns and week)", "team", {}),
    ]
    rows = []
    for name, page, query in views:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for k, v in query.items():
            at.query_params[k] = v
        at.switch_page(f"pages/{page}.py").run()
        if at.exception:
            print(f"{name}: {at.exception[0].message}", file=sys.stderr)
            continue
        times = timings_ms(at.run, reruns)
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.run()
        cold = (time.perf_counter() - t0) * 1000
        rows.append((name, times, cold))
    return rows


def part_rows(today: date, repeat: int) -> list[tuple[str, list[float]]]:
    from runform import calview, figures
    from runform.services import calendar
    from runform.store.connection import connect

    con = connect(os.environ["RUNFORM_DB"])
    first, last = calview.month(today)
    start = today - timedelta(days=730)
    curve = calendar.fitness_curve(con, 1, start, None, today)
    parts = [
        (
            "runner_calendar (a month, 1 runner)",
            lambda: calendar.runner_calendar(con, 1, first, last, today),
        ),
        (
            "fitness_curve (2 years + plan ahead)",
            lambda: calendar.fitness_curve(con, 1, start, None, today),
        ),
        ("figures.fitness (2 years + plan ahead)", lambda: figures.fitness(curve)),
        ("team_week (every runner)", lambda: calendar.team_week(con, today, today)),
        ("team_board with compliance and form", lambda: calendar.team_board(con, today)),
    ]
    out = [(name, timings_ms(fn, repeat)) for name, fn in parts]
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/runform-bench/bench-100x104.duckdb"))
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no database at {args.db}: build one with python -m runform demo", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, db)
        today = date.fromisoformat(os.environ.get("RUNFORM_TODAY", "") or "1970-01-01")
        if today.year == 1970:
            today = last_day(db) + timedelta(days=1)
        os.environ.update({"RUNFORM_DB": str(db), "RUNFORM_TODAY": today.isoformat()})
        os.environ.setdefault("RUNFORM_DEMO", "0")
        print(f"{args.db.name}, today {today}, {args.reruns} reruns each")
        print(f"{'view':<40} {'median ms':>10} {'p95 ms':>8} {'cold ms':>8}  target")
        for name, times, cold in page_rows(today, args.reruns):
            median, p95 = float(np.median(times)), float(np.percentile(times, 95))
            met = "met" if median < TARGET_MS else "missed"
            print(f"{name:<40} {median:>10.0f} {p95:>8.0f} {cold:>8.0f}  {met}")
        print(f"\n{'part (uncached)':<40} {'median ms':>10}")
        for name, times in part_rows(today, args.repeat):
            print(f"{name:<40} {float(np.median(times)):>10.1f}")


if __name__ == "__main__":
    main()
