"""The page benchmark's pure helpers: its schedule, its table and its profiler's frames.

Speed itself is never asserted here: the benchmarks report it (benchmarks/README.md).
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """benchmarks/bench_pages.py loaded as running it would: its folder first on sys.path."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location("bench_pages", BENCHMARKS / "bench_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_pages", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_round_robin_times_every_page_once_a_round_in_a_rotated_order(bench):
    rounds = bench.round_robin(["a", "b", "c"], 4)
    assert rounds == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]
    assert all(sorted(r) == ["a", "b", "c"] for r in rounds)
    assert bench.round_robin([], 3) == []


def test_median_and_p95(bench):
    median, p95 = bench.median_p95([10.0, 20.0, 30.0, 40.0, 1000.0])
    assert median == 30.0
    assert 40.0 < p95 < 1000.0  # between the two slowest: interpolated
    assert all(math.isnan(x) for x in bench.median_p95([]))


def test_each_page_is_timed_for_what_it_shows(bench):
    kinds = {it.name: it.kinds for it in bench.items(sections=True)}
    assert kinds["Team"] == ("warm", "fresh", "cold")  # the whole team: no runner to pick
    assert "pick" in kinds["Log"] and "range" not in kinds["Log"]
    assert kinds["Progress · Load"] == ("warm", "fresh", "cold", "pick", "range")
    assert kinds[bench.FLOOR] == kinds[bench.PEER] == ("warm", "fresh", "cold")
    sections = [it.section for it in bench.items(sections=True) if it.page == "progress"]
    assert sorted(sections) == sorted(bench.SECTIONS)
    assert len([it for it in bench.items(sections=False) if it.page == "progress"]) == 1


def test_table_gives_median_p95_and_the_targets_missed(bench):
    rows = [
        bench.Row(bench.FLOOR, {"warm": [2.0, 2.0], "fresh": [3.0], "cold": [3.0]}),
        bench.Row("Plan", {"warm": [100.0, 120.0], "pick": [400.0, 420.0], "fresh": []}),
        bench.Row("Team", {"warm": [20.0, 20.0], "fresh": [30.0], "cold": [90.0]}),
        bench.Row("Log", {}, error="PageFailed: boom"),
    ]
    lines = bench.table(rows, {"warm": 150.0, "pick": 300.0}).splitlines()
    assert lines[0].startswith("| page | warm rerun ms | first render ms |")
    assert len({line.count("|") for line in lines}) == 1  # every row has every column
    plan = next(line for line in lines if line.startswith("| Plan "))
    assert "| 110 / 119 |" in plan and "| 55.0 |" in plan
    assert plan.endswith("**missed**: runner pick |")
    assert next(line for line in lines if line.startswith("| Team ")).endswith("| met |")
    assert "error: PageFailed: boom" in next(line for line in lines if line.startswith("| Log "))
    assert bench.worst_misses(rows, {"warm": 100.0, "pick": 300.0}) == [
        ("Plan", "pick"),
        ("Plan", "warm"),
    ]


def test_targets_by_team_size(bench):
    assert bench.targets(100) == {"warm": 150.0, "pick": 300.0}
    assert bench.targets(1000)["warm"] == 500.0
    assert bench.targets(1000)["fresh"] == bench.targets(1000)["pick"] == 1000.0


def test_sampler_counts_a_frame_without_a_line_number(bench):
    code = SimpleNamespace(co_filename=str(bench.ROOT / "pages" / "team.py"))
    between_lines = SimpleNamespace(f_code=code, f_lineno=None, f_back=None)
    assert bench.frame_place(between_lines) == ("pages/team.py:?", "")
    outside = SimpleNamespace(f_code=SimpleNamespace(co_filename="/usr/lib/x.py"), f_lineno=3)
    assert bench.frame_place(outside) is None

    sampler = bench.Sampler()
    sampler._record(SimpleNamespace(f_code=code, f_lineno=5, f_back=between_lines))
    assert sampler.samples == 1
    assert set(sampler.lines) == {
        f"pages/team.py:5 {bench.linecache.getline(code.co_filename, 5).strip()[:60]}",
        "pages/team.py:? ",
    }
