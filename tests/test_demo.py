"""The demo builder writes in chunks and in bulk (issue 15): what it stores is what the planner
builds from the stored records and logs, whatever the chunk size, in one transaction."""

from __future__ import annotations

import gc
from datetime import date, timedelta

import pytest

from runform import demo
from runform.compensations import assess
from runform.models import PlanOptions
from runform.planning import build_plan
from runform.services import seed
from runform.store import assessments, plans
from runform.store import connection as conn_mod
from runform.store.connection import Connection, connect

TODAY = date(2026, 11, 25)
TIMESTAMPS = {"created_at", "updated_at"}


def content(con: Connection) -> dict[str, list]:
    """Every row of every table but the clock's columns, in order."""
    out = {}
    names = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name <> "
        "'schema_version' ORDER BY 1"
    ).fetchall()
    for (name,) in names:
        columns = [
            f'"{c}"'
            for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [name],
            ).fetchall()
            if c not in TIMESTAMPS
        ]
        out[name] = con.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY ALL").fetchall()
    return out


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory):
    """Six runners over twenty weeks, written two runners a chunk (three chunks)."""
    con = connect(tmp_path_factory.mktemp("demo") / "team.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(seed, "CHUNK_RUNNERS", 2)
        seed.demo_team(con, n=6, weeks=20, today=TODAY)
    yield con
    con.close()


def test_each_stored_plan_is_what_the_planner_builds_from_the_stored_records_and_logs(team):
    """Rebuilt from what is stored (the assessment, the plan's options, the runner's logged
    runs), every demo plan loads back as the planner builds it: the bulk writer loses nothing
    and the spike rule saw the runs logged before each plan."""
    runs: dict[int, list[tuple[date, float]]] = {}
    for athlete_id, day, km in team.execute(
        "SELECT athlete_id, day, run_km FROM session_logs WHERE run_km > 0 ORDER BY id"
    ).fetchall():
        runs.setdefault(athlete_id, []).append((day, km))
    stored = team.execute("SELECT id, athlete_id, assessment_id FROM plans ORDER BY id").fetchall()
    assert len(stored) >= 12 and len(runs) == 6
    for plan_id, athlete_id, assessment_id in stored:
        intake = assessments.load(team, assessment_id)
        options = plans.options(team, plan_id)
        assert intake is not None and options is not None
        athlete = intake.athlete
        if athlete.goal and athlete.goal.date and athlete.goal.date < options.start:
            athlete = athlete.model_copy(update={"goal": None})
        expected = build_plan(
            assess(intake),
            athlete,
            options,
            screens=intake.screens,
            known_runs=runs[athlete_id],  # the planner counts only those before its start
            assessed_on=intake.assessed_on,
        )
        assert plans.load(team, plan_id) == expected, plan_id


def test_the_chunk_size_changes_nothing_stored(team, tmp_path):
    """Ids, random draws and rows come out the same written in one chunk as in three."""
    whole = connect(tmp_path / "whole.duckdb")
    seed.demo_team(whole, n=6, weeks=20, today=TODAY)
    assert content(whole) == content(team)
    assert whole.execute("SELECT count(*) FROM session_logs").fetchone()[0] > 300


def test_duckdbs_memory_limit_is_capped_while_building_and_restored_after(tmp_path, monkeypatch):
    seen: list[str] = []
    real = seed._store_runners

    def store(con, *args):
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        real(con, *args)

    monkeypatch.setattr(seed, "_store_runners", store)
    # DuckDB's default (most of the machine), one set above the cap and one below (it stays)
    for name, limit in (("default", None), ("high", "4GiB"), ("low", "100MiB")):
        con = connect(tmp_path / f"{name}.duckdb")
        if limit is not None:
            con.execute(f"SET memory_limit = '{limit}'")
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        seen.clear()
        seed.demo_team(con, n=2, weeks=4, today=TODAY)
        cap = min(conn_mod.size_bytes(before), conn_mod.size_bytes(seed.MEMORY_LIMIT))
        assert seen and all(conn_mod.size_bytes(s) <= cap for s in seen)
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before
        con.close()


def test_the_cycle_collector_is_as_it_was_after_a_build(tmp_path):
    before = gc.get_threshold()
    seed.demo_team(connect(tmp_path / "gc.duckdb"), n=2, weeks=4, today=TODAY)
    assert gc.get_threshold() == before


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    """Still one transaction: a failure in the last chunk takes the earlier chunks with it."""
    con = connect(tmp_path / "failed.duckdb")
    monkeypatch.setattr(seed, "CHUNK_RUNNERS", 1)
    real, calls = seed._store_runners, []

    def store(con, runners, first, *args):
        calls.append(first)
        if first == 2:
            raise RuntimeError("the disk went away")
        real(con, runners, first, *args)

    monkeypatch.setattr(seed, "_store_runners", store)
    with pytest.raises(RuntimeError):
        seed.demo_team(con, n=3, weeks=4, today=TODAY)
    assert calls == [0, 1, 2]
    assert all(not rows for rows in content(con).values())


def test_the_planner_reads_only_the_runs_inside_the_spike_window():
    """Years of logged runs or only those of the window before the start: the same plan (the
    planner drops the rest, so a long history costs nothing)."""
    for rec in demo.build_team(4, 16, 7, TODAY)[:6]:
        start = rec.intake.assessed_on + timedelta(days=7 - rec.intake.assessed_on.weekday())
        options = PlanOptions(weeks=12, start=start)
        years = [(start - timedelta(days=d), 3.0 + d % 17) for d in range(1, 1100, 2)]
        recent = [(d, km) for d, km in years if (start - d).days <= 30]

        def plan(known, rec=rec, options=options):
            return build_plan(
                rec.findings,
                rec.intake.athlete,
                options,
                screens=rec.intake.screens,
                known_runs=known,
                assessed_on=rec.intake.assessed_on,
            )

        assert plan(years) == plan(recent)
