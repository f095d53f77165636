"""Time weekly_load and acwr for a whole team, so the load pages stay quick as logs pile up.

Builds an in-memory DuckDB through `connect` (all migrations), fills session_logs with synthetic
runners training about five days a week, then prints the median of `--repeat` timings. Then it
runs `bench_store.py` (plan loads and saves, adherence) on a demo team of the same size, so CI,
which runs this script small, times the store too (`--no-store` leaves it out).

    python benchmarks/bench_load.py                      # 100 runners × 2 years, 5 repeats
    python benchmarks/bench_load.py --runners 5 --years 0.25 --repeat 1   # CI-sized
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from _common import timings_ms

from runform.services import reviews
from runform.store.connection import Connection, connect
from runform.vocab import RUN_KINDS

TARGET_MS = 100.0
KINDS = np.array(["easy_run", "long_run", "tempo", "intervals", "strength", "mobility"])


def build(runners: int, years: float, seed: int = 1) -> tuple[Connection, date]:
    """A migrated in-memory database with about five sessions a week per runner; returns end."""
    rng = np.random.default_rng(seed)
    days = max(1, round(365 * years))
    end = date(2026, 1, 4)
    first = end - timedelta(days=days - 1)
    trained = rng.random((runners, days)) < 5 / 7  # about five training days a week
    athlete, offset = np.nonzero(trained)
    n = len(athlete)
    kind = KINDS[rng.integers(0, len(KINDS), n)]
    logs = pd.DataFrame(
        {
            "athlete_id": (athlete + 1).astype("int32"),
            "day": pd.Timestamp(first) + pd.to_timedelta(offset, unit="D"),
            "kind": kind,
            "minutes": rng.integers(20, 120, n).astype(float),
            "rpe": rng.integers(2, 9, n).astype(float),
            "run_km": np.where(np.isin(kind, RUN_KINDS), rng.uniform(4, 25, n), 0.0),
        }
    )
    con = connect(":memory:")
    con.register("bench_logs", logs)
    con.execute(
        "INSERT INTO session_logs (athlete_id, day, kind, minutes, rpe, run_km) "
        "SELECT athlete_id, CAST(day AS DATE), kind, minutes, rpe, run_km FROM bench_logs"
    )
    con.unregister("bench_logs")
    return con, end


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-store", action="store_true", help="skip bench_store.py")
    args = parser.parse_args(argv)

    con, end = build(args.runners, args.years)
    sessions = con.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    print(f"{args.runners} runners × {args.years:g} years: {sessions} sessions, end {end}")
    for name, fn in (
        ("weekly_load", lambda: reviews.weekly_load(con, end=end)),
        ("acwr", lambda: reviews.acwr(con, end=end)),
    ):
        times = timings_ms(fn, args.repeat)
        ms = statistics.median(times)
        verdict = "met" if ms < TARGET_MS else "missed"
        print(
            f"{name:12s} median {ms:7.1f} ms (min {min(times):.1f}) over {len(times)} runs; "
            f"target under {TARGET_MS:.0f} ms: {verdict}"
        )
    con.close()
    if not args.no_store:
        weeks = max(2, round(args.years * 52))
        store = [str(Path(__file__).with_name("bench_store.py")), "--runners", str(args.runners)]
        store += ["--weeks", str(weeks), "--repeat", str(args.repeat)]
        subprocess.run([sys.executable, *store], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
