"""Time, in a real browser, a page change from Intake to Team and to Progress: until the first chart
is drawn.

AppTest (bench_pages.py) times the script run alone; a coach also waits for the websocket, the
browser drawing the page and plotly drawing the figure. For each of Team and Progress this starts
`streamlit run app.py` on localhost (as tests/e2e/conftest.py does) on a copy of a demo database,
opens Intake in headless Chromium (Playwright), then --tries times clicks the page in the sidebar
and waits until a plotly chart has drawn its traces, then goes back to Intake. The first try is
the first after the server started (nothing cached); the others are warm. It reports each try,
their median, when the script run finished, and the server process's peak memory (VmHWM).

    python benchmarks/bench_browser.py --reuse                 # 100 runners × 104 weeks
    python benchmarks/bench_browser.py --runners 12 --weeks 16 --tries 2   # small

Needs Chromium at /usr/bin/chromium. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path
from typing import IO, Any

from _common import ROOT, build, db_bytes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FROM = "Intake"  # the landing page: no chart on it that could be taken for the next page's
PAGES = ["Team", "Progress"]
# A plotly chart that has drawn a trace (svg) or a WebGL canvas, not its empty frame.
CHART_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].some(
    (c) => c.querySelector('.main-svg .trace, .main-svg .hm, canvas') !== null)"""
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM in /proc/PID/status), None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Server:
    """`streamlit run app.py` on `db` at a free localhost port, in open demo mode."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "RUNFORM_COACH_PASSWORD_HASH"}
        env.update(RUNFORM_DB=str(db), RUNFORM_DEMO="0")
        self.out: IO[str] = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.log = log
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
        cmd += ["--server.port", str(self.port), "--server.address", "127.0.0.1"]
        cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        # a deployed server does not watch its sources: no polling thread in the figures
        cmd += ["--server.fileWatcherType", "none"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.out, stderr=self.out)

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds until Streamlit answers its health check."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not start:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.close()


def nav_link(page: Any, title: str) -> Any:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)


def go(page: Any, title: str, timeout_ms: float) -> tuple[float, float]:
    """Click `title` in the sidebar: seconds until a chart is drawn, and until the run ends."""
    t0 = time.perf_counter()
    nav_link(page, title).click()
    page.wait_for_url(f"**/{title.lower()}**", timeout=timeout_ms)
    page.wait_for_function(CHART_DRAWN, timeout=timeout_ms)
    drawn = time.perf_counter() - t0
    page.wait_for_function(SETTLED, timeout=timeout_ms)
    return drawn, time.perf_counter() - t0


def leave(page: Any, timeout_ms: float) -> None:
    """Back to the page without charts, its run finished and the last page's charts gone."""
    nav_link(page, FROM).click()
    page.wait_for_url(lambda url: all(f"/{p.lower()}" not in url for p in PAGES))
    page.wait_for_function(SETTLED, timeout=timeout_ms)
    page.wait_for_function(f"() => !({CHART_DRAWN})()", timeout=timeout_ms)


def measure(browser: Any, db: Path, title: str, args: argparse.Namespace, work: Path) -> str:
    """One server start, then the tries at `title`: a line of the report."""
    server = Server(db, work / f"streamlit-{title.lower()}.log")
    timeout_ms = args.timeout * 1000
    try:
        ready = server.wait_ready()
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        page = ctx.new_page()
        page.set_default_timeout(timeout_ms)
        try:
            t0 = time.perf_counter()
            page.goto(server.url)
            page.wait_for_function(SETTLED)
            landed = time.perf_counter() - t0
            drawn, done = [], []
            for _ in range(args.tries):
                chart, run = go(page, title, timeout_ms)
                drawn.append(chart)
                done.append(run)
                leave(page, timeout_ms)
        finally:
            ctx.close()
        rss = peak_rss_mb(server.proc.pid)
    finally:
        server.stop()
    tries = ", ".join(f"{s:.2f}" for s in drawn)
    warm = f"{statistics.median(drawn[1:]):.2f}" if len(drawn) > 1 else ""
    return (
        f"| {title} | {tries} | {statistics.median(drawn):.2f} | {warm} | "
        f"{statistics.median(done):.2f} | {landed:.2f} | {ready:.1f} | "
        + (f"{rss:,.0f}" if rss is not None else "unreadable")
        + " |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104, help="weeks of history")
    parser.add_argument("--tries", type=int, default=3, help="page changes timed per page")
    parser.add_argument("--reuse", action="store_true", help="reuse a database built before")
    parser.add_argument(
        "--dir", default=str(Path(tempfile.gettempdir()) / "runform-bench"), help="where"
    )
    parser.add_argument("--db", help="the demo database (default: DIR/bench-RxW.duckdb)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per wait")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()}")
    if not CHROMIUM.exists():
        print(f"not measured: no Chromium at {CHROMIUM} (apt-get install chromium)")
        return 0
    try:
        name = f"bench-{args.runners}x{args.weeks}.duckdb"
        source = Path(args.db) if args.db else Path(args.dir) / name
        if args.reuse and source.exists():
            print(f"reusing {source}", flush=True)
        else:
            source.parent.mkdir(parents=True, exist_ok=True)
            build(source, args.runners, args.weeks)
        report(source, args)
    except Exception as e:  # report and go on: a benchmark never fails
        traceback.print_exc()
        print(f"not measured: {type(e).__name__}: {e}")
    return 0


def report(source: Path, args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # a copy: the server takes DuckDB's write lock, and nothing it does reaches the original
        db = work / "bench.duckdb"
        shutil.copy(source, db)
        wal = source.with_name(source.name + ".wal")
        if wal.exists():
            shutil.copy(wal, db.with_name(db.name + ".wal"))
        print(f"{source.name}: {db_bytes(db) / 2**20:,.1f} MB", flush=True)
        lines = [
            "| page | first chart drawn, each try s | median s | warm median s | "
            "run finished, median s | Intake landed s | server ready s | server peak RSS MB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                for title in PAGES:
                    try:
                        lines.append(measure(browser, db, title, args, work))
                    except Exception as e:  # report and go on
                        traceback.print_exc(limit=3)
                        lines.append(f"| {title} | not measured: {type(e).__name__} |" + " |" * 6)
                    print(f"  {title} done", flush=True)
            finally:
                browser.close()
    print()
    print(f"### In Chromium: {FROM} → page, {args.tries} tries each, one server start per page")
    print()
    print(
        "Each try is a click in the sidebar until a plotly chart has drawn; the first is the "
        "first after the server started, the others warm (the page's reads cached)."
    )
    print()
    print("\n".join(lines))
    print()
    print(f"Load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    raise SystemExit(main())
