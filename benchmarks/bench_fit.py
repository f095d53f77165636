"""How long decoding a long watch file takes: a 3-hour run at one record a second (10,800 records).

Target: under 1 s per decode, so an upload feels immediate. This reports and always exits 0; CI
runs it with `--repeat 1`. Usage: python benchmarks/bench_fit.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # for tests.fitgen when run as a script
    sys.path.insert(0, str(ROOT))

from runform.fitfile import decode  # noqa: E402
from tests.fitgen import write_run  # noqa: E402

TARGET_S = 1.0
SECONDS = 3 * 60 * 60


def _cadence(i: int) -> float:
    return 168.0 + (i % 11) * 0.5  # varied, so the fractional field is exercised


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="decodes to time (default 5)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run_3h.fit"
        started = time.perf_counter()
        write_run(
            path,
            seconds=SECONDS,
            cadence_spm=_cadence,
            stance_ms=lambda i: 240.0 + (i % 7),
            vo_mm=85.0,
            vertical_ratio=7.5,
            balance=49.6,
        )
        built = time.perf_counter() - started
        data = path.read_bytes()

    print(f"generated {SECONDS:,} records, {len(data):,} bytes in {built:.1f} s (not timed)")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        summary, frame = decode(data)
        times.append(time.perf_counter() - started)
    if not summary.records == len(frame) == SECONDS:
        print(f"warning: decoded {summary.records} records, expected {SECONDS}")

    median, worst = statistics.median(times), max(times)
    verdict = "met" if median < TARGET_S else "NOT met"
    print(f"decode x{repeat}: median {median:.3f} s, max {worst:.3f} s")
    print(f"target: under {TARGET_S:.0f} s (median) - {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
