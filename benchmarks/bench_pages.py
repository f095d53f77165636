"""Time page reruns through Streamlit's AppTest on demo teams, against an empty page as the floor.

For each size (runners × weeks of history) it builds a demo database with
`python -m runform demo` (or reuses one with --reuse), points RUNFORM_DB at it, opens each page
through app.py at its address, runs it once to warm up, then times --reruns reruns. A rerun is
what a coach waits for after touching a widget: the cached queries (`common.query`) are warm, so
the "cold" column also times a run right after `st.cache_data.clear()` (the queries included).
Pages that miss the target get a sampled profile of where a rerun spends its time.

    python benchmarks/bench_pages.py                           # 100x104 and 1000x156
    python benchmarks/bench_pages.py --sizes 12x16 --reruns 5  # CI-sized
    python benchmarks/bench_pages.py --reuse                   # keep the databases built before

Targets (rerun median): under 150 ms at 100 runners, under 500 ms at 1,000. Always exits 0.
"""

from __future__ import annotations

import argparse
import linecache
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FLOOR_SCRIPT = 'import streamlit as st\n\nst.write("")\n'
PAGES = ["intake", "plan", "log", "team", "progress"]
SECTIONS = ["Findings", "Screens", "Load", "Pain", "Adherence", "Form", "Wellness", "Progression"]


def target_ms(runners: int) -> float:
    return 150.0 if runners <= 100 else 500.0


@dataclass
class Row:
    page: str
    times: list[float]
    cold: list[float]
    error: str = ""

    @property
    def median(self) -> float:
        return float(np.median(self.times)) if self.times else float("nan")

    @property
    def p95(self) -> float:
        return float(np.percentile(self.times, 95)) if self.times else float("nan")


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        runners, _, weeks = part.strip().partition("x")
        sizes.append((int(runners), int(weeks)))
    return sizes


def build(path: Path, runners: int, weeks: int) -> None:
    """Write the demo team with the CLI, printing a heartbeat while it works."""
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


def summary(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("athletes", "assessments", "plan_sessions", "session_logs", "wellness")
        ]
    finally:
        con.close()
    names = ("runners", "assessments", "planned sessions", "logs", "check-ins")
    return ", ".join(f"{n:,} {name}" for n, name in zip(counts, names, strict=True))


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


def time_runs(at, reruns: int, cold: int) -> tuple[list[float], list[float]]:
    """Rerun times (warm caches), then runs right after clearing the data cache."""
    times = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    colds = []
    for _ in range(cold):
        clear_caches()
        t0 = time.perf_counter()
        at.run()
        colds.append((time.perf_counter() - t0) * 1000)
    at.run()  # leave the caches warm for whatever comes next
    return times, colds


def open_page(page: str, section: str | None, timeout: float):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if section:
        at.query_params["section"] = section
    at.switch_page(f"pages/{page}.py").run()  # the warm-up run of the page (its address)
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return at


def measure(name: str, make, reruns: int, cold: int) -> Row:
    try:
        at = make()
        times, colds = time_runs(at, reruns, cold)
        return Row(name, times, colds)
    except Exception as e:  # report and go on: a benchmark never fails
        traceback.print_exc(limit=3)
        return Row(name, [], [], f"{type(e).__name__}: {e}"[:120])


def floor_row(reruns: int, cold: int, timeout: float) -> Row:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as d:
        script = Path(d) / "floor.py"
        script.write_text(FLOOR_SCRIPT)

        def make():
            at = AppTest.from_file(str(script), default_timeout=timeout)
            at.run()
            return at

        return measure("empty page (floor)", make, reruns, cold)


class Sampler:
    """A sampling profiler for AppTest's script thread (cProfile sees only the calling thread).

    Every few milliseconds it records, for the thread running the page, the page and library
    lines on its stack (cumulative) and the package of the innermost frame (self time).
    """

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.samples = 0
        self.lines: Counter[str] = Counter()
        self.leaf: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            threads = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if threads.get(ident, "").startswith("ScriptRunner"):
                    self._record(frame)

    def _record(self, frame) -> None:
        self.samples += 1
        self.leaf[_package(frame.f_code.co_filename)] += 1
        seen = set()
        while frame is not None:
            path = frame.f_code.co_filename
            if path.startswith(str(ROOT)) and "/benchmarks/" not in path:
                where = f"{Path(path).relative_to(ROOT)}:{frame.f_lineno}"
                if where not in seen:
                    seen.add(where)
                    line = linecache.getline(path, frame.f_lineno).strip()
                    self.lines[f"{where} {line[:60]}"] += 1
            frame = frame.f_back

    def report(self, top: int = 12) -> str:
        if not self.samples:
            return "    no samples"
        out = ["    lines of the app on the stack (share of the rerun, cumulative):"]
        for where, n in self.lines.most_common(top):
            out.append(f"      {100 * n / self.samples:5.1f} %  {where}")
        out.append("    innermost frame by package (self time):")
        for package, n in self.leaf.most_common(8):
            out.append(f"      {100 * n / self.samples:5.1f} %  {package}")
        return "\n".join(out)


def _package(path: str) -> str:
    """Where a frame's code lives; C extensions (DuckDB, pyarrow) count as their Python caller."""
    if path.startswith(str(ROOT)):
        folder = str(Path(path).relative_to(ROOT).parent)
        if folder == "lib/runform/store":
            return "lib/runform/store (DuckDB queries)"
        return "app.py" if folder == "." else folder
    parts = Path(path).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        return rest[0].removesuffix(".py") if rest else path
    return Path(path).stem  # the standard library, by module


def compile_ms(page: str, repeat: int = 7) -> float:
    """Compiling app.py and the page as Streamlit does (magic included). AppTest makes a new
    script cache on every run, so each timed rerun pays this; a server compiles once."""
    from streamlit.runtime.scriptrunner import magic

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for path in (ROOT / "app.py", ROOT / "pages" / f"{page}.py"):
            body = magic.add_magic(path.read_text(encoding="utf-8"), str(path))
            compile(body, str(path), "exec", flags=0, dont_inherit=True, optimize=-1)
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)  # the intrinsic cost: on a busy machine the median drifts up


def profile(page: str, section: str | None, runs: int, timeout: float) -> str:
    """Where warm reruns of a page spend their time, sampled in the script thread."""
    at = open_page(page, section, timeout)
    with Sampler() as sampler:
        for _ in range(runs):
            at.run()
    return sampler.report()


def table(rows: list[Row], floor: float, target: float) -> str:
    head = "| page | median ms | p95 ms | × floor | cold ms | target |"
    lines = [head, "|---|---|---|---|---|---|"]
    for r in rows:
        if r.error:
            lines.append(f"| {r.page} | error | | | | {r.error} |")
            continue
        cold = f"{np.median(r.cold):.0f}" if r.cold else ""
        is_floor = r.page.startswith("empty")
        verdict = "" if is_floor else ("met" if r.median < target else "**missed**")
        ratio = r.median / floor if floor == floor and floor > 0 else float("nan")
        lines.append(
            f"| {r.page} | {r.median:.0f} | {r.p95:.0f} | {ratio:.1f} | {cold} | {verdict} |"
        )
    return "\n".join(lines)


def run_size(args, runners: int, weeks: int) -> None:
    path = Path(args.dir) / f"bench-{runners}x{weeks}.duckdb"
    if args.reuse and path.exists():
        print(f"reusing {path}", flush=True)
    else:
        build(path, runners, weeks)
    print(f"{runners} runners × {weeks} weeks: {summary(path)}", flush=True)

    import streamlit as st

    os.environ["RUNFORM_DB"] = str(path)
    os.environ["RUNFORM_DEMO"] = "0"
    st.cache_data.clear()
    st.cache_resource.clear()  # the cached connection is keyed by path, but let it go

    target = target_ms(runners)
    rows = [floor_row(args.reruns, args.cold, args.timeout)]
    todo: list[tuple[str, str, str | None]] = [(p.capitalize(), p, None) for p in PAGES]
    if args.sections:
        todo += [(f"Progress · {s}", "progress", s) for s in SECTIONS if s != "Findings"]
    for name, page, section in todo:
        t0 = time.perf_counter()
        row = measure(
            name,
            lambda page=page, section=section: open_page(page, section, args.timeout),
            args.reruns,
            args.cold,
        )
        rows.append(row)
        took = time.perf_counter() - t0
        state = row.error or f"median {row.median:.0f} ms"
        print(f"  {name}: {state} ({took:.0f} s)", flush=True)

    floor = rows[0].median
    recompile = {p: compile_ms(p) for p in PAGES}
    print()
    print(
        f"### {runners} runners × {weeks} weeks — {args.reruns} reruns each, "
        f"target: median under {target:.0f} ms"
    )
    print()
    print(table(rows, floor, target))
    print()
    print(
        "AppTest recompiles app.py and the page on every run (a server compiles once): "
        + ", ".join(f"{p} {ms:.0f} ms" for p, ms in recompile.items())
        + f". Load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    print()
    missed = [(r, s) for r, (_, _, s) in zip(rows[1:], todo, strict=True) if r.median >= target]
    for row, section in missed[: args.profiles]:
        page = "progress" if row.page.startswith("Progress") else row.page.lower()
        print(f"where reruns of {row.page} spend their time (sampled over 5 reruns):")
        try:
            print(profile(page, section, 5, args.timeout))
        except Exception as e:
            print(f"    profile failed: {e}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100x104,1000x156", help="RUNNERSxWEEKS,…")
    parser.add_argument("--reruns", type=int, default=15, help="timed reruns per page")
    parser.add_argument("--cold", type=int, default=3, help="timed runs after a cache clear")
    parser.add_argument("--reuse", action="store_true", help="reuse databases already built")
    parser.add_argument(
        "--dir", default=str(Path(tempfile.gettempdir()) / "runform-bench"), help="where"
    )
    parser.add_argument(
        "--no-sections",
        dest="sections",
        action="store_false",
        help="time only the Progress page's default section",
    )
    parser.add_argument("--profiles", type=int, default=20, help="profile up to N slow pages")
    parser.add_argument("--timeout", type=float, default=600.0, help="AppTest run timeout, s")
    args = parser.parse_args(argv)
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))  # app.py imports the pages package
    os.chdir(ROOT)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()}")
    for runners, weeks in parse_sizes(args.sizes):
        try:
            run_size(args, runners, weeks)
        except Exception as e:  # report and go on
            traceback.print_exc()
            print(f"{runners}x{weeks}: not measured ({e})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
