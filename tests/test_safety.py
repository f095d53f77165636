"""Nothing lost: restore proves its replacement first, backups work while the app runs, and the
database messages say what is true."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from runform import cli, clock
from runform.errors import StorageUnavailable
from runform.services import seed
from runform.store import backup, connection
from runform.store.connection import connect


def team(path: Path) -> dict[str, int]:
    con = connect(path)
    seed.demo_team(con, n=2, weeks=3, today=clock.today())
    counts = rows(con)
    con.close()
    return counts


def rows(con) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def counts_of(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path))
    try:
        return rows(con)
    finally:
        con.close()


@pytest.fixture
def live(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "live.duckdb"
    return path, team(path)


def test_restore_replace_from_a_missing_folder_keeps_the_live_database(live, tmp_path, capsys):
    path, before = live
    code = cli.main(["restore", str(tmp_path / "nowhere"), "--db", str(path), "--replace"])
    assert code == 2
    assert "is not a folder" in capsys.readouterr().err
    assert counts_of(path) == before


def test_restore_replace_from_a_truncated_backup_keeps_the_live_database(live, tmp_path, capsys):
    path, before = live
    folder = tmp_path / "bak"
    con = connect(path)
    backup.backup(con, folder)
    con.close()
    victim = max(folder.glob("*.parquet"), key=lambda f: f.stat().st_size)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    code = cli.main(["restore", str(folder), "--db", str(path), "--replace"])
    err = capsys.readouterr().err
    assert code == 2
    assert "damaged" in err and "Traceback" not in err
    assert counts_of(path) == before
    assert not list(tmp_path.glob("*.restoring*")), "the temporary file is cleaned up"


def test_restore_replace_swaps_in_a_proven_copy(live, tmp_path):
    path, before = live
    folder = tmp_path / "bak"
    con = connect(path)
    backup.backup(con, folder)
    con.execute("DELETE FROM wellness")
    con.close()
    assert counts_of(path)["wellness"] == 0 < before["wellness"]
    assert cli.main(["restore", str(folder), "--db", str(path), "--replace"]) == 0
    assert counts_of(path) == before


HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("INSERT INTO wellness SELECT * FROM wellness LIMIT 0")
    print("ready", flush=True)
    time.sleep(60)
    """
)


@pytest.fixture
def held(live):
    """The database held open by another process, as a running app holds it."""
    path, before = live
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    yield path, before
    proc.kill()
    proc.wait()


def test_restore_refuses_while_the_app_holds_the_file(held, tmp_path, capsys):
    path, before = held
    folder = tmp_path / "bak"
    source = tmp_path / "other.duckdb"
    team(source)
    con = connect(source)
    backup.backup(con, folder)
    con.close()
    code = cli.main(["restore", str(folder), "--db", str(path), "--replace"])
    err = capsys.readouterr().err
    assert code == 2
    assert "running RunForm" in err and "Stop it first" in err
    assert backup.in_use(path)


def test_backup_works_while_the_app_holds_the_file(held, tmp_path, capsys):
    path, before = held
    folder = tmp_path / "bak"
    assert cli.main(["backup", str(folder), "--db", str(path)]) == 0
    assert "snapshot" in capsys.readouterr().out
    restored = tmp_path / "restored.duckdb"
    backup.restore(folder, restored).close()
    assert counts_of(restored) == before


def test_a_newer_schema_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "future.duckdb"
    connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version (version) VALUES (999)")
    con.close()
    before = path.read_bytes()
    with pytest.raises(StorageUnavailable, match="newer RunForm.*update RunForm"):
        connect(path)
    assert path.read_bytes() == before


def test_the_wal_message_says_what_may_be_lost(tmp_path):
    error = duckdb.Error("Failure while replaying WAL file: checksum mismatch")
    message = str(connection.explain(error, tmp_path / "x.duckdb"))
    assert "may be lost" in message and "intact" not in message
    other = str(connection.explain(duckdb.Error("something odd"), tmp_path / "x.duckdb"))
    assert "intact" not in other and "saved nothing" in other
