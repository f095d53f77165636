"""Backups as DuckDB's own EXPORT DATABASE / IMPORT DATABASE (Parquet files and the schema).

A restore never touches the live file until its replacement is proven: the backup is checked,
imported into a temporary file beside the target, migrated and counted against the backup, and
only then renamed into place (an atomic rename on one file system). A backup of a database that
the app holds open is taken from a snapshot copy, so scheduled backups work while coaches work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import cast

import duckdb

from runform.errors import InvalidInput, NotFound
from runform.store.connection import Connection, connect


class BackupError(InvalidInput):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


class NotABackup(BackupError, NotFound):
    """The folder is missing or is not a RunForm backup."""


def _literal(path: Path) -> str:
    """A path as a SQL string literal: these statements take no parameters, so quote it."""
    return "'" + str(path).replace("'", "''") + "'"


def backup(con: Connection, directory: Path) -> Path:
    """Write every table, view and sequence of the database into `directory` (must be empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty: choose a new folder for the backup")
    directory.mkdir(parents=True, exist_ok=True)
    con.execute(f"EXPORT DATABASE {_literal(directory)} (FORMAT parquet)")
    return directory


def in_use(path: Path) -> bool:
    """Whether another process holds the database file open (DuckDB's file lock says so)."""
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            return True
        raise
    return False


def backup_file(path: Path, directory: Path) -> tuple[Path, bool]:
    """Back up the database file at `path` into `directory`; True when it was taken from a
    snapshot copy because a running app holds the file."""
    path, directory = Path(path), Path(directory)
    if not path.exists():
        raise BackupError(f"{path}: no such database file")
    if not in_use(path):
        con = connect(path)
        try:
            return backup(con, directory), False
        finally:
            con.close()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy2(path, copy)
        wal = Path(f"{path}.wal")
        if wal.exists():
            shutil.copy2(wal, Path(f"{copy}.wal"))
        try:
            con = duckdb.connect(str(copy))
        except duckdb.Error as e:
            raise BackupError(
                f"{path} is in use and a snapshot of it could not be read ({e}); the app was "
                "probably writing at that moment. Run the backup again, or download one from "
                "the Access page."
            ) from e
        try:
            return backup(con, directory), True
        finally:
            con.close()


def _parquet_counts(directory: Path) -> dict[str, int]:
    """Rows per table file of a backup; an unreadable file refuses the whole backup."""
    counts = {}
    con = duckdb.connect()
    try:
        for f in sorted(directory.glob("*.parquet")):
            try:
                # count(*) always returns one row
                counts[f.stem] = cast(
                    tuple[int],
                    con.execute(f"SELECT count(*) FROM read_parquet({_literal(f)})").fetchone(),
                )[0]
            except duckdb.Error as e:
                raise BackupError(f"{f.name} in {directory} is damaged ({e}).") from e
    finally:
        con.close()
    return counts


def check(directory: Path) -> dict[str, int]:
    """The row count of each table in the backup at `directory`, or why it cannot be restored."""
    directory = Path(directory)
    if not directory.is_dir():
        raise NotABackup(f"{directory} is not a folder")
    for needed in ("schema.sql", "load.sql"):
        if not (directory / needed).exists():
            raise NotABackup(f"{directory} is not a RunForm backup (no {needed})")
    return _parquet_counts(directory)


def restore(directory: Path, path: Path, *, replace: bool = False) -> Connection:
    """The database file at `path` holding exactly the backup in `directory`.

    With `replace`, an existing file is swapped for the restored one only after the restore is
    proven, and never while another process (the app) has it open.
    """
    directory, path = Path(directory), Path(path)
    counts = check(directory)
    if path.exists() and not replace:
        raise FileExistsError(f"{path} exists: restore into a new file")
    if path.exists() and in_use(path):
        raise BackupError(
            f"{path} is open in a running RunForm (or another DuckDB program). Stop it first "
            "(Ctrl+C in the terminal running 'streamlit run'), then restore again; nothing was "
            "changed."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".restoring", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB creates the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"IMPORT DATABASE {_literal(directory)}")
            for table, expected in counts.items():
                got = cast(tuple[int], con.execute(f'SELECT count(*) FROM "{table}"').fetchone())[0]
                if got != expected:
                    raise BackupError(f"{table}: {got} rows restored, the backup has {expected}")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        connect(tmp).close()  # brings a backup from an older schema up to date
        Path(f"{path}.wal").unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    return connect(path)
