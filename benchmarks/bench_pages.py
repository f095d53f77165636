"""Time what a coach waits for on each page, through Streamlit's AppTest, on demo teams.

For each size (runners × weeks of history) it builds a demo database with `python -m runform
demo` (or reuses one with --reuse) and times, for Intake, Plan, Log, Present, Team, Progress and
each Progress section (`?section=`):

- warm rerun: a rerun with nothing changed (every cached read a hit);
- first render: a new session's first run, with the data cache warm from other sessions;
- cold: a new session's first run right after `st.cache_data.clear()` (every write clears it);
- runner pick: the sidebar picker (`athlete_picker`) set to a runner the cache has not seen since
  its last clear (pages that show one runner);
- date range: the Progress range (`progress_range`) set to a range never asked for before.

An empty page (the floor: Streamlit's own cost) and a naive peer page (one SQL query over the
whole team's logs and one plotly express chart, nothing cached) are timed in the same run. The
run is round-robin: each round times every page once per kind, in an order rotated each round, so
machine noise falls on all pages alike. Pages that miss a target get a sampled profile. After each
size it prints this process's peak memory (AppTest stands in for the server) and the database's
size per runner. AppTest is made to run pages as a running server does (`run_as_a_server`).

    python benchmarks/bench_pages.py --reuse                   # 100x104 and 1000x156
    python benchmarks/bench_pages.py --sizes 12x16 --reruns 3 --cold 1 --profiles 0  # CI

Targets (medians): at 100 runners a warm rerun under 150 ms and a runner pick under 300 ms; at
1,000 runners a warm rerun under 500 ms, a first render (warm or cold) and a runner pick under
1 s. Always exits 0.
"""

from __future__ import annotations

import argparse
import linecache
import logging
import os
import random
import resource
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from _common import ROOT, build, db_bytes, median_p95

T = TypeVar("T")

FLOOR_SCRIPT = 'import streamlit as st\n\nst.write("")\n'
# A page as a first Streamlit app would write it: the connection kept (as st.connection does),
# the query and the figure redone on every run. duckdb.connect on the file the app already has
# open shares the app's database instance (same process, same configuration).
PEER_SCRIPT = """import os

import duckdb
import plotly.express as px
import streamlit as st


@st.cache_resource
def connection():
    return duckdb.connect(os.environ["RUNFORM_DB"])


st.title("Weekly minutes")
weeks = connection().cursor().execute(
    "SELECT athlete_id, date_trunc('week', day) AS week, sum(minutes) AS minutes "
    "FROM session_logs GROUP BY ALL"
).df()
grid = weeks.pivot(index="athlete_id", columns="week", values="minutes")
st.plotly_chart(px.imshow(grid, aspect="auto", labels={"color": "minutes"}))
"""
PAGES = ["intake", "plan", "log", "present", "team", "progress"]
ONE_RUNNER = {"intake", "plan", "log", "present", "progress"}  # Team shows the whole team
SECTIONS = [
    "Findings",
    "Screens",
    "Load",
    "Pain",
    "Adherence",
    "Calendar",
    "Form",
    "Wellness",
    "Progression",
]
PICKER, RANGE = "athlete_picker", "progress_range"  # the widgets' keys (pages.core.nav, progress)
DEFAULT_WEEKS = 16  # the Progress page's range without one in the address
FLOOR, PEER = "empty page (floor)", "naive peer page"
KINDS = {  # kind: column heading
    "warm": "warm rerun",
    "fresh": "first render",
    "cold": "cold first render",
    "pick": "runner pick",
    "range": "date range",
}


def targets(runners: int) -> dict[str, float]:
    """Median targets in ms by kind; a kind without one is reported, not judged."""
    if runners <= 100:
        return {"warm": 150.0, "pick": 300.0}
    return {"warm": 500.0, "fresh": 1000.0, "cold": 1000.0, "pick": 1000.0}


@dataclass(frozen=True)
class Item:
    """One thing timed: a page of app.py (a Progress section), the floor or the peer."""

    name: str
    page: str | None = None  # pages/<page>.py through app.py; None: `script` on its own
    section: str | None = None
    script: str | None = None  # "floor" or "peer"

    @property
    def kinds(self) -> tuple[str, ...]:
        kinds = ["warm", "fresh", "cold"]
        if self.page in ONE_RUNNER:
            kinds.append("pick")
        if self.page == "progress":
            kinds.append("range")
        return tuple(kinds)


def items(sections: bool) -> list[Item]:
    """The floor, the peer, each page, and (with `sections`) each Progress section but the
    default one (Findings), which the Progress page itself stands for."""
    todo = [Item(FLOOR, script="floor"), Item(PEER, script="peer")]
    todo += [Item(p.capitalize(), p, "Findings" if p == "progress" else None) for p in PAGES]
    if sections:
        todo += [Item(f"Progress · {s}", "progress", s) for s in SECTIONS if s != "Findings"]
    return todo


def round_robin(things: Sequence[T], rounds: int) -> list[list[T]]:
    """`rounds` rounds of every thing once, each round's order rotated by one from the last, so
    no thing always comes first, or always right after the same other one."""
    n = len(things)
    return [[things[(r + i) % n] for i in range(n)] for r in range(rounds)] if n else []


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        runners, _, weeks = part.strip().partition("x")
        sizes.append((int(runners), int(weeks)))
    return sizes


def summary(path: Path) -> tuple[str, list[int]]:
    """What the database holds, in words, and its runners' ids."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("athletes", "assessments", "plan_sessions", "session_logs", "wellness")
        ]
        ids = [r[0] for r in con.execute("SELECT id FROM athletes ORDER BY id").fetchall()]
    finally:
        con.close()
    names = ("runners", "assessments", "planned sessions", "logs", "check-ins")
    return ", ".join(f"{n:,} {name}" for n, name in zip(counts, names, strict=True)), ids


def run_as_a_server() -> list[str]:
    """Make AppTest run a page the way a running server does; what it changed, in words.

    AppTest makes a new script cache on every run, so every run recompiled the script; a server
    compiles it once. And it forgets on every run that app.py uses st.navigation, so with a
    pages/ folder beside app.py every run took Streamlit's old multipage path: the page file run
    as a script, which runs app.py again (`pages.core.nav.run_app`), compiled each time; a
    server takes that path only for the first request after it starts. Nothing is changed on a
    Streamlit without these names.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    done = []
    modules = (app_test, local_script_runner)
    if all(getattr(m, "ScriptCache", None) is ScriptCache for m in modules):
        shared = ScriptCache()
        for module in modules:
            module.ScriptCache = lambda: shared  # type: ignore[attr-defined]
        done.append("one script cache for all runs")
    if getattr(app_test, "PagesManager", None) is PagesManager and hasattr(
        PagesManager, "uses_pages_directory"
    ):

        class ServerPages(PagesManager):  # type: ignore[misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                PagesManager.uses_pages_directory = False  # as app.py's st.navigation leaves it

        app_test.PagesManager = ServerPages  # type: ignore[attr-defined]
        done.append("app.py run by st.navigation, not through the page file")
    return done


def compile_ms(path: Path, repeat: int = 7) -> float:
    """Compiling a script as Streamlit does (magic included): the least of `repeat` tries."""
    from streamlit.runtime.scriptrunner import magic

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        body = magic.add_magic(path.read_text(encoding="utf-8"), str(path))
        compile(body, str(path), "exec", flags=0, dont_inherit=True, optimize=-1)
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)  # the intrinsic cost: on a busy machine the median drifts up


def clear_data_cache() -> None:
    import streamlit as st

    st.cache_data.clear()


def quiet_streamlit() -> None:
    """Only errors from Streamlit's loggers: outside a server it warns at every new session and
    every cache clear. (Its logger.level option is applied again on each run; a filter stays.)"""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logger = logging.getLogger(name)
            if _errors_only not in logger.filters:
                logger.addFilter(_errors_only)


def _errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shown_runner(at: Any) -> int | None:
    """The runner a session shows: the `athlete` its address holds after the run."""
    value = at.query_params.get("athlete")
    if isinstance(value, list):
        value = value[-1] if value else None
    return int(value) if value else None


class PageFailed(RuntimeError):
    pass


@dataclass
class Bench:
    """The AppTest sessions of one size, what the data cache holds, and the times taken.

    After a clear (a cold run's, or once every runner has been picked) a session's view is
    cached again by an untimed run before its next timed one, so a warm rerun stays warm and a
    pick misses only what depends on the runner.
    """

    scripts: dict[str, Path]  # "app", "floor", "peer"
    todo: list[Item]
    athletes: list[int]
    timeout: float
    today: date = field(default_factory=date.today)
    times: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    clears: int = 0  # clears so that picks stay misses (every runner seen)
    stale_choices: set[str] = field(default_factory=set)  # select boxes unset before a run
    _sessions: dict[str, Any] = field(default_factory=dict)
    _seen: set[int] = field(default_factory=set)  # runners with cached reads
    _stale: set[str] = field(default_factory=set)  # sessions whose view is not cached
    _stale_default: set[str] = field(default_factory=set)  # pages whose default view is not
    _ranges: int = 0
    _components: Any = None

    def __post_init__(self) -> None:
        self.times = {it.name: {k: [] for k in it.kinds} for it in self.todo}
        # picks in a fixed shuffled order: not always the neighbour of the last one
        self._order = random.Random(15).sample(self.athletes, len(self.athletes))

    def live(self) -> list[Item]:
        return [it for it in self.todo if it.name not in self.errors]

    # --- sessions ---------------------------------------------------------------------------

    def _new_session(self, item: Item) -> Any:
        from streamlit.testing.v1 import AppTest

        script = self.scripts[item.script or "app"]
        at = AppTest.from_file(str(script), default_timeout=self.timeout)
        if self._components is not None and hasattr(at, "_bidi_component_manager"):
            # AppTest looks for custom components in every new session (about 50 ms); a server
            # does it once at start
            at._bidi_component_manager = self._components
        if item.section:
            at.query_params["section"] = item.section
        if item.page:
            at.switch_page(f"pages/{item.page}.py")  # before the first run: the page's address
        return at

    def _forget_stale(self, at: Any) -> None:
        """Unset a select box holding a value that is not among its options (the last runner's
        session or assessment after a pick). AppTest keeps such a value and then cannot send it
        (KeyError); a browser falls back to the first option, as an unset box does."""
        for box in at.selectbox:
            try:
                box.index  # noqa: B018 (formats the value: raises for a stale one)
            except (KeyError, ValueError):
                self.stale_choices.add(str(box.key or box.label))
                box.set_value(None)

    def _run(self, at: Any) -> float:
        self._forget_stale(at)
        t0 = time.perf_counter()
        at.run()
        ms = (time.perf_counter() - t0) * 1000
        if at.exception:
            failure = at.exception[0]
            print("\n".join(["  the page failed:", *failure.stack_trace[-12:]]), flush=True)
            raise PageFailed(failure.message)
        self._components = getattr(at, "_bidi_component_manager", None) or self._components
        runner = shown_runner(at)
        if runner is not None:
            self._seen.add(runner)
        return ms

    def _session(self, item: Item) -> Any:
        """The item's own session, its view cached again (untimed) if a clear dropped it."""
        at = self._sessions[item.name]
        if item.name in self._stale:
            self._run(at)
            self._stale.discard(item.name)
        return at

    def _clear(self) -> None:
        clear_data_cache()
        self._seen.clear()
        self._stale = {it.name for it in self.todo}
        self._stale_default = set(self._stale)

    def open(self) -> None:
        """Each item's own session, run twice untimed: imports, the connection and the first
        write of the address are paid here, and each page's default view is cached."""
        for item in self.todo:
            self._attempt(item, self._open_one)
            quiet_streamlit()  # the loggers of what the page imported too

    def _open_one(self, item: Item) -> None:
        at = self._new_session(item)
        self._run(at)
        self._run(at)
        self._sessions[item.name] = at

    def _attempt(self, item: Item, action: Callable[[Item], object]) -> None:
        if item.name in self.errors:
            return
        try:
            action(item)
        except Exception as e:  # report and go on: a benchmark never fails
            traceback.print_exc(limit=-3)
            self.errors[item.name] = f"{type(e).__name__}: {e}"[:160]

    # --- what is timed ------------------------------------------------------------------------

    def _unseen(self, avoid: int | None) -> int | None:
        return next((a for a in self._order if a not in self._seen and a != avoid), None)

    def warm(self, item: Item) -> float:
        return self._run(self._session(item))

    def fresh(self, item: Item) -> float:
        if item.name in self._stale_default:
            self._run(self._new_session(item))
            self._stale_default.discard(item.name)
        return self._run(self._new_session(item))

    def cold(self, item: Item) -> float:
        at = self._new_session(item)
        self._clear()
        ms = self._run(at)
        self._stale_default.discard(item.name)
        return ms

    def pick(self, item: Item) -> float:
        """The picker set to a runner not seen by the data cache since its last clear; when
        every runner has been, clear it first (and cache this session's view again)."""
        at = self._session(item)
        athlete = self._unseen(shown_runner(at))
        if athlete is None:
            self._clear()
            self.clears += 1
            at = self._session(item)
            athlete = self._unseen(shown_runner(at))
        if athlete is None:  # a team of one: nobody else to pick
            raise PageFailed("no other runner to pick")
        at.selectbox(key=PICKER).select(athlete)
        return self._run(at)

    def range(self, item: Item) -> float:
        """A range starting one day earlier than any asked for before, ending today."""
        self._ranges += 1
        at = self._session(item)
        start = self.today - timedelta(weeks=DEFAULT_WEEKS, days=self._ranges)
        at.date_input(key=RANGE).set_value((start, self.today))
        return self._run(at)

    def time(self, item: Item, kind: str) -> None:
        self._attempt(item, lambda it: self.times[it.name][kind].append(getattr(self, kind)(it)))

    def measure(self, reruns: int, cold: int) -> None:
        """Round-robin: each round, each kind over every page in the round's order."""
        rounds = round_robin(self.todo, max(reruns, cold, 1))
        t0 = time.perf_counter()
        for r, order in enumerate(rounds):
            if r < reruns:
                for kind in ("warm", "pick", "range", "fresh"):
                    for item in order:
                        if kind in item.kinds:
                            self.time(item, kind)
            if r < cold:
                for item in order:
                    self.time(item, "cold")
            took = time.perf_counter() - t0
            print(f"  round {r + 1}/{len(rounds)} done ({took:.0f} s)", flush=True)


@dataclass
class Row:
    name: str
    times: dict[str, list[float]]
    error: str = ""


def cell(times: list[float] | None) -> str:
    if not times:
        return ""
    median, p95 = median_p95(times)
    return f"{median:.0f} / {p95:.0f}"


def missed(row: Row, goals: dict[str, float]) -> list[str]:
    """The kinds whose median is at or over its target."""
    return [
        kind
        for kind, goal in goals.items()
        if row.times.get(kind) and median_p95(row.times[kind])[0] >= goal
    ]


def worst_misses(rows: list[Row], goals: dict[str, float]) -> list[tuple[str, str]]:
    """(page, kind) of every missed target, the furthest over its target first: what to
    profile when only a few profiles fit."""
    late = [
        (median_p95(r.times[k])[0] / goals[k], r.name, k)
        for r in rows
        if r.name not in (FLOOR, PEER) and not r.error
        for k in missed(r, goals)
    ]
    return [(name, kind) for _, name, kind in sorted(late, reverse=True)]


def table(rows: list[Row], goals: dict[str, float]) -> str:
    """A Markdown table: median / p95 ms of each kind, the warm median over the floor's, and
    which targets each page met (the floor and the peer are not judged)."""
    floor = next((median_p95(r.times["warm"])[0] for r in rows if r.name == FLOOR), float("nan"))
    head = ["page", *(f"{h} ms" for h in KINDS.values()), "warm × floor", "targets"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"| {r.name} | error: {r.error} |" + " |" * (len(head) - 2))
            continue
        warm = median_p95(r.times.get("warm", []))[0]
        ratio = f"{warm / floor:.1f}" if floor > 0 and warm == warm else ""
        if r.name in (FLOOR, PEER):
            verdict = ""
        else:
            late = missed(r, goals)
            verdict = "**missed**: " + ", ".join(KINDS[k] for k in late) if late else "met"
        cells = [cell(r.times.get(k)) for k in KINDS]
        lines.append("| " + " | ".join([r.name, *cells, ratio, verdict]) + " |")
    return "\n".join(lines)


# --- the sampling profiler -------------------------------------------------------------------


def frame_place(frame: FrameType) -> tuple[str, str] | None:
    """An app frame's `path:line` and its source line; None for code outside the app.

    `f_lineno` is None in a frame between lines (a generator being set up, say): such a frame
    is still counted, as `path:?` without a source line.
    """
    path = frame.f_code.co_filename
    if not path.startswith(str(ROOT)) or "/benchmarks/" in path:
        return None
    rel = Path(path).relative_to(ROOT)
    line = frame.f_lineno
    if line is None:
        return f"{rel}:?", ""
    return f"{rel}:{line}", linecache.getline(path, line).strip()


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

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            threads = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if threads.get(ident, "").startswith("ScriptRunner"):
                    self._record(frame)

    def _record(self, frame: FrameType | None) -> None:
        if frame is None:
            return
        self.samples += 1
        self.leaf[_package(frame.f_code.co_filename)] += 1
        seen = set()
        while frame is not None:
            place = frame_place(frame)
            if place is not None and place[0] not in seen:
                seen.add(place[0])
                self.lines[f"{place[0]} {place[1][:60]}"] += 1
            frame = frame.f_back

    def report(self, top: int = 12) -> str:
        if not self.samples:
            return "    no samples"
        out = ["    lines of the app on the stack (share of the samples, cumulative):"]
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


def profile(bench: Bench, item: Item, kind: str, runs: int) -> str:
    """Where `runs` more of one kind of run of a page spend their time (untimed)."""
    action = getattr(bench, kind)
    with Sampler() as sampler:
        for _ in range(runs):
            action(item)
    return sampler.report()


# --- one size ----------------------------------------------------------------------------------


def run_size(args: argparse.Namespace, runners: int, weeks: int, scripts: dict[str, Path]) -> None:
    path = Path(args.dir) / f"bench-{runners}x{weeks}.duckdb"
    if args.reuse and path.exists():
        print(f"reusing {path}", flush=True)
    else:
        build(path, runners, weeks)
    words, athletes = summary(path)
    size = db_bytes(path)
    print(f"{runners} runners × {weeks} weeks: {words}", flush=True)

    import streamlit as st

    os.environ["RUNFORM_DB"] = str(path)
    os.environ["RUNFORM_DEMO"] = "0"
    st.cache_data.clear()
    st.cache_resource.clear()  # the last size's connection and the peer's

    bench = Bench(scripts, items(args.sections), athletes, args.timeout)
    t0 = time.perf_counter()
    bench.open()
    print(f"  sessions opened ({time.perf_counter() - t0:.0f} s)", flush=True)
    bench.measure(args.reruns, args.cold)

    goals = targets(runners)
    rows = [Row(it.name, bench.times[it.name], bench.errors.get(it.name, "")) for it in bench.todo]
    counts = {k: max((len(r.times.get(k, [])) for r in rows), default=0) for k in KINDS}
    print()
    print(f"### {runners} runners × {weeks} weeks")
    print()
    print(
        "Median / p95 in ms of "
        + ", ".join(f"{n} {KINDS[k]}s" for k, n in counts.items() if n)
        + " per page; targets: "
        + ", ".join(f"{KINDS[k]} under {ms:,.0f} ms" for k, ms in goals.items())
        + "."
    )
    print()
    print(table(rows, goals))
    print()
    print(
        f"Peak memory of this process (AppTest, standing in for the server): "
        f"{peak_rss_mb():,.0f} MB. Database {size / 2**20:,.1f} MB, "
        f"{size / max(1, runners) / 1024:,.0f} KB per runner. Load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    if bench.clears:
        print(
            f"The data cache was cleared {bench.clears} time(s) between picks, once every runner "
            "had been picked, so that each pick stays a cache miss."
        )
    if bench.stale_choices:
        print(
            "Select boxes that kept a value no longer among their options (the last runner's) "
            "were unset before the next run, as a browser does (AppTest cannot send them): "
            f"{', '.join(sorted(bench.stale_choices))}."
        )
    print()

    late = worst_misses(rows, goals)
    named = {it.name: it for it in bench.live()}
    for name, kind in [(n, k) for n, k in late if n in named][: args.profiles]:
        item = named[name]
        print(f"where a {KINDS[kind]} of {item.name} spends its time (sampled over 5 runs):")
        try:
            print(profile(bench, item, kind, 5))
        except Exception as e:  # report and go on
            print(f"    profile failed: {type(e).__name__}: {e}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100x104,1000x156", help="RUNNERSxWEEKS,…")
    parser.add_argument(
        "--reruns", type=int, default=15, help="rounds of warm reruns, picks, ranges, new sessions"
    )
    parser.add_argument("--cold", type=int, default=3, help="rounds of cold first renders")
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
    parser.add_argument("--profiles", type=int, default=20, help="profile up to N misses")
    parser.add_argument("--timeout", type=float, default=600.0, help="AppTest run timeout, s")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()}")
    try:
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(ROOT))  # app.py imports the pages package
        os.chdir(ROOT)
        changed = run_as_a_server()
        quiet_streamlit()
        app_ms = compile_ms(ROOT / "app.py")
    except Exception:  # report and go on
        traceback.print_exc()
        return 0
    print(
        "AppTest made to run pages as a server does: "
        + ("; ".join(changed) if changed else "not possible on this Streamlit")
        + f". app.py compiles in {app_ms:.1f} ms: "
        + (
            "paid once here, as on a server."
            if len(changed) == 2
            else "every figure below includes it (and the page file's own run)."
        )
        + " The pages are functions, imported once."
    )
    with tempfile.TemporaryDirectory() as d:
        scripts = {"app": ROOT / "app.py"}
        for name, text in (("floor", FLOOR_SCRIPT), ("peer", PEER_SCRIPT)):
            scripts[name] = Path(d) / f"{name}.py"
            scripts[name].write_text(text)
        for runners, weeks in parse_sizes(args.sizes):
            try:
                run_size(args, runners, weeks, scripts)
            except Exception as e:  # report and go on
                traceback.print_exc()
                print(f"{runners}x{weeks}: not measured ({e})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
