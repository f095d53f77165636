"""A file made by the first released schema opens, upgrades and keeps every row; backups restore
into identical tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from runform.cli import main
from runform.errors import NotFound
from runform.models import AthleteProfile, Goal, Plan
from runform.store import athletes, backup, plans
from runform.store import connection as conn_mod
from runform.store.connection import connect, schema_version
from tests.fixtures.make_schema_fixture import manifest, table_digest

FIXTURES = Path(__file__).parent / "fixtures"


# What migration 9 moved out of a table (one copy of each fact): checked apart, by what it became.
MOVED = {
    "athletes": {  # the profile: the latest assessment's
        "name",
        "birth_year",
        "sex",
        "running_years",
        "weekly_km",
        "runs_per_week",
        "longest_run_km",
        "goal_event",
        "goal_date",
        "available_days",
        "minutes_per_day",
        "equipment",
        "injury_history",
    },
    "plan_versions": {"body"},  # rebuilt from the header, plan_weeks and plan_sessions
    "plan_sessions": {"deload"},  # in plan_weeks
}


def test_first_released_schema_upgrades_with_every_row_intact(tmp_path):
    expected = json.loads((FIXTURES / "first_release.json").read_text())
    path = tmp_path / "old.duckdb"
    shutil.copy(FIXTURES / "first_release.duckdb", path)
    old = duckdb.connect(str(FIXTURES / "first_release.duckdb"), read_only=True)
    con = connect(path)
    assert schema_version(con) == max(v for v, _ in conn_mod.migrations())
    assert schema_version(con) >= expected["schema_version"]
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()]
    assert versions[: expected["tables"]["schema_version"]["rows"]] == list(
        range(1, expected["schema_version"] + 1)
    )
    for table, info in expected["tables"].items():
        if table == "schema_version":  # grows by one row per later migration, checked above
            continue
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        assert rows == info["rows"], table
        assert table_digest(old, table, info["columns"]) == info["digest"], table
        kept = [c for c in info["columns"] if c not in MOVED.get(table, set())]
        assert table_digest(con, table, kept) == table_digest(old, table, kept), table
    assert_moved_facts_intact(old, con)
    old.close()
    con.close()


def assert_moved_facts_intact(old, con) -> None:
    """Every plan version loads as the plan its body held; every runner's profile is the one
    their row held; every week's deload is the one its sessions carried."""
    bodies = old.execute("SELECT plan_id, version, body FROM plan_versions").fetchall()
    assert bodies
    for plan_id, version, body in bodies:
        assert plans.load(con, plan_id, version) == Plan.model_validate_json(body)
    columns = sorted(MOVED["athletes"])
    for row in old.execute(f"SELECT id, {', '.join(columns)} FROM athletes").fetchall():
        r = dict(zip(["id", *columns], row, strict=True))
        goal = Goal(event=r["goal_event"], date=r["goal_date"]) if r["goal_event"] else None
        was = AthleteProfile(
            **{k: v for k, v in r.items() if k not in ("id", "goal_event", "goal_date")},
            goal=goal,
        )
        assert athletes.get(con, r["id"]) == was
    deloads = "SELECT DISTINCT plan_id, version, week, deload FROM {} ORDER BY ALL"
    assert (
        con.execute(deloads.format("plan_weeks")).fetchall()
        == old.execute(deloads.format("plan_sessions")).fetchall()
    )


def test_backup_restores_identical_tables(tmp_path):
    shutil.copy(FIXTURES / "first_release.duckdb", tmp_path / "src.duckdb")
    src = connect(tmp_path / "src.duckdb")
    backup.backup(src, tmp_path / "backup")
    restored = backup.restore(tmp_path / "backup", tmp_path / "restored.duckdb")
    assert manifest(restored) == manifest(src)
    # sequences carry on where they were, so new rows do not collide
    assert (
        restored.execute("SELECT nextval('log_id_seq')").fetchall()
        == src.execute("SELECT nextval('log_id_seq')").fetchall()
    )


def test_backup_refuses_a_non_empty_folder_and_restore_an_existing_file(tmp_path):
    src = connect(tmp_path / "src.duckdb")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(FileExistsError):
        backup.backup(src, tmp_path / "full")
    backup.backup(src, tmp_path / "b")
    with pytest.raises(FileExistsError):
        backup.restore(tmp_path / "b", tmp_path / "src.duckdb")
    with pytest.raises(NotFound, match="is not a RunForm backup"):
        backup.restore(tmp_path / "full", tmp_path / "new.duckdb")


def test_cli_backup_and_restore(tmp_path, capsys):
    shutil.copy(FIXTURES / "first_release.duckdb", tmp_path / "src.duckdb")
    assert main(["backup", str(tmp_path / "b"), "--db", str(tmp_path / "src.duckdb")]) == 0
    assert main(["restore", str(tmp_path / "b"), "--db", str(tmp_path / "r.duckdb")]) == 0
    assert main(["restore", str(tmp_path / "b"), "--db", str(tmp_path / "r.duckdb")]) == 2
    assert "pass --replace" in capsys.readouterr().err
    assert (
        main(["restore", str(tmp_path / "b"), "--db", str(tmp_path / "r.duckdb"), "--replace"]) == 0
    )
    assert manifest(connect(tmp_path / "r.duckdb")) == manifest(connect(tmp_path / "src.duckdb"))


def test_a_damaged_file_gets_a_message_with_what_to_do(tmp_path):
    from runform.errors import StorageUnavailable

    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(StorageUnavailable, match="damaged.*restore the latest backup"):
        connect(bad)


def test_a_file_locked_by_another_process_gets_a_message(tmp_path):
    import subprocess
    import sys

    from runform.errors import StorageUnavailable

    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
            "print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StorageUnavailable, match="another program"):
            connect(path)
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("page", [None, "log", "plan"])
def test_the_app_shows_the_fault_instead_of_a_traceback(tmp_path, monkeypatch, page):
    """At the start address and at a deep link alike: the fault and what to do, nothing else."""
    from tests.apptest import open_page

    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("RUNFORM_DB", str(bad))
    at = open_page(page, {"athlete": "1"})
    assert not at.exception
    assert any("damaged" in e.value and "What to do" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert not at.tabs and not at.dataframe and not at.sidebar.selectbox


@pytest.mark.parametrize(
    ("error", "says"),
    [
        ("IO Error: No space left on device", "the disk is full"),
        ("IO Error: Read-only file system", "read-only disk"),
    ],
)
def test_a_failing_write_shows_what_to_do(demo_db, monkeypatch, error, says):
    import duckdb

    from runform.store import logs
    from tests.apptest import open_page

    def count() -> int:
        con = duckdb.connect(str(demo_db))
        try:
            return con.execute("SELECT count(*) FROM session_logs").fetchone()[0]
        finally:
            con.close()

    at = open_page("log", {"athlete": "1", "log_tab": "Unplanned session"})
    assert not at.exception
    before = count()

    def fail(*args, **kwargs):
        raise duckdb.IOException(error)

    # inside the store's transaction, where a fault of the file becomes StorageUnavailable
    monkeypatch.setattr(logs, "_children", fail)
    at.selectbox(key="u_kind").set_value("strength")
    at.button(key="u_save").click().run()
    assert not at.exception
    assert any(says in e.value and "What to do" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert not at.success, "a failed write is never reported as saved"
    assert count() == before
