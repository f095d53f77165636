"""How long a bulk import takes and how much memory it holds: a Strava-style export of N runs.

The export mixes the formats as Strava's does (FIT gzipped, GPX, TCX gzipped), 30–70 minutes
each, one record a second, and holds a runner with a plan, so every run goes through decoding,
matching, the duplicate checks and its own transaction. It reports the wall time, the time per
activity and the process's memory high-water mark (the archive is built in another process),
against the archive's size: what "never read into memory at once" means in numbers. Reports and
exits 0; CI runs it small. Usage: python benchmarks/bench_import.py [--activities 500]
"""

from __future__ import annotations

import argparse
import copy
import gzip
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # for tests.* when run as a script
    sys.path.insert(0, str(ROOT))

from runform import clock  # noqa: E402
from runform.services import assessments, imports, plans  # noqa: E402
from runform.store.connection import connect  # noqa: E402
from tests.activitygen import gpx, tcx  # noqa: E402
from tests.conftest import EXAMPLE  # noqa: E402
from tests.fitgen import write_run  # noqa: E402

TARGET_S_PER_ACTIVITY = 0.5


def build(path: Path, count: int, stored: bool = False) -> int:
    """Write the export: one run a day back from yesterday, formats in turn; return its size
    (`stored`: members uncompressed, so the archive is as large as its contents)."""
    today = clock.today()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        rows = ["Activity ID,Activity Date,Activity Name,Activity Type,Filename"]
        for n in range(count):
            day = today - timedelta(days=n + 1)
            start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
            seconds = (30 + n % 41) * 60
            speed = 2.6 + (n % 9) * 0.1
            if n % 3 == 0:
                name, data = (
                    f"activities/{n}.fit.gz",
                    gzip.compress(write_run(None, seconds=seconds, speed_mps=speed, start=start)),
                )
            elif n % 3 == 1:
                name, data = f"activities/{n}.gpx", gpx(seconds, speed_mps=speed, start=start)
            else:
                name, data = (
                    f"activities/{n}.tcx.gz",
                    gzip.compress(tcx(seconds, speed_mps=speed, start=start)),
                )
            z.writestr(name, data)
            rows.append(f'{n},"{start:%b %d, %Y, %I:%M:%S %p}",Run {n},Run,{name}')
        z.writestr("activities.csv", "\n".join(rows) + "\n")
    return path.stat().st_size


def _rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (or its high-water mark, VmHWM) in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=500, help="runs in the export (500)")
    parser.add_argument("--build", metavar="ZIP", help=argparse.SUPPRESS)  # the child's task
    parser.add_argument(
        "--stored",
        action="store_true",
        help="members uncompressed: an archive as large as its files",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also report the peak of Python's allocations (slows the import two- to threefold)",
    )
    args = parser.parse_args(argv)
    count = max(1, args.activities)
    if args.build:
        build(Path(args.build), count, args.stored)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "export.zip"
        started = time.perf_counter()
        # built in another process, so this one's memory high-water mark is the import's own
        script = [sys.executable, __file__, "--build", str(archive), "--activities", str(count)]
        script += ["--stored"] if args.stored else []
        subprocess.run(script, check=True)
        size = archive.stat().st_size
        print(
            f"built {count} activities, {size / 1e6:.1f} MB zipped, "
            f"in {time.perf_counter() - started:.0f} s (not timed)"
        )
        con = connect(Path(tmp) / "bench.duckdb")
        raw = copy.deepcopy(EXAMPLE)
        raw["athlete"]["goal"] = None
        raw["assessed_on"] = (clock.today() - timedelta(days=count + 2)).isoformat()
        athlete = assessments.record_intake(con, raw).athlete_id
        monday = clock.today() - timedelta(days=clock.today().weekday(), weeks=8)
        plans.generate(con, athlete, {"weeks": 12, "start": monday.isoformat()})

        before = _rss_mb()
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        with archive.open("rb") as f:
            report = imports.import_files(con, athlete, [("export.zip", f)], rpe=3.0)
        took = time.perf_counter() - started
        peak_py = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        tracemalloc.stop()
        con.close()
    counts = {s: report.count(s) for s in ("imported", "duplicate", "skipped", "failed")}
    per = took / count
    verdict = "met" if per <= TARGET_S_PER_ACTIVITY else "missed"
    print(f"imported: {counts}")
    print(
        f"wall time {took:.1f} s, {per * 1000:.0f} ms an activity (target "
        f"{TARGET_S_PER_ACTIVITY * 1000:.0f} ms: {verdict})"
    )
    print(
        f"memory: resident {before:.0f} MB before the import, high-water mark "
        f"{_rss_mb('VmHWM'):.0f} MB (archive {size / 1e6:.0f} MB)"
    )
    if peak_py is not None:
        print(f"peak of Python's allocations during the import {peak_py / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
