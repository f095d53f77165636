"""Backups as DuckDB's own EXPORT DATABASE / IMPORT DATABASE (Parquet files and the schema)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from runform.store.connection import Connection, connect


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


def restore(directory: Path, path: Path) -> Connection:
    """A new database file at `path` holding exactly the backup in `directory`."""
    directory, path = Path(directory), Path(path)
    if not (directory / "schema.sql").exists():
        raise FileNotFoundError(f"{directory} is not a RunForm backup (no schema.sql)")
    if path.exists():
        raise FileExistsError(f"{path} exists: restore into a new file")
    con = duckdb.connect(str(path))
    try:
        con.execute(f"IMPORT DATABASE {_literal(directory)}")
    except Exception:
        con.close()
        path.unlink(missing_ok=True)
        raise
    con.close()
    return connect(path)  # brings a backup from an older schema up to date
