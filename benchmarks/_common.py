"""What the benchmark scripts share: building a demo team, timing a call, median and p95.

A sibling module, imported as `_common`: Python puts a script's own folder first on sys.path, so
`python benchmarks/bench_pages.py` finds it without installing the benchmarks as a package.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, runners: int, weeks: int) -> None:
    """Write a demo team with the CLI (`runform demo`), with a heartbeat while it works: the
    1,000-runner team takes many minutes, and a silent CI log looks hung."""
    cmd = [sys.executable, "-m", "runform", "demo", "--athletes", str(runners)]
    cmd += ["--weeks", str(weeks), "--db", str(path), "--replace"]
    print(f"building {path.name}: {' '.join(cmd[1:])}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while proc.poll() is None:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"  … still building ({time.perf_counter() - t0:.0f} s)", flush=True)
    out = proc.stdout.read().decode().strip() if proc.stdout else ""
    if proc.returncode != 0:
        raise RuntimeError(f"demo build failed ({proc.returncode}): {out}")
    print(f"  {out} in {time.perf_counter() - t0:.0f} s", flush=True)


def timings_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of `repeat` calls after one warm-up call (the first call pays for planning)."""
    fn()
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def median_p95(times: Sequence[float]) -> tuple[float, float]:
    """The median and 95th percentile (linear interpolation); NaN for no times. With under 20
    times the p95 lies between the two slowest: it says how bad the bad runs are, no more."""
    if not times:
        return float("nan"), float("nan")
    return float(np.median(times)), float(np.percentile(times, 95))


def db_bytes(path: Path) -> int:
    """A DuckDB file's size on disk with its write-ahead log, if any."""
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
