"""Open a DuckDB file and bring its schema up to date with ordered migrations.

Migrations are the numbered SQL files beside this module; each one runs in its own transaction
together with its row in `schema_version`, so a failed upgrade leaves the file as it was.
"""

from __future__ import annotations

import errno
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path

import duckdb

from runform.errors import Conflict, Forbidden, StorageUnavailable

Connection = duckdb.DuckDBPyConnection
_open: set[int] = set()  # connections (cursors) inside a transaction(); each is used by one thread


def migrations() -> list[tuple[int, str]]:
    files = resources.files("runform.store") / "migrations"
    # By name: a Traversable need not be orderable (sorting Paths in one folder is by name too).
    found = sorted((f for f in files.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(int(f.name.split("_", 1)[0]), f.read_text()) for f in found]


def schema_version(con: Connection) -> int:
    exists = scalar(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    )
    if not exists:
        return 0
    return scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version")


def migrate(con: Connection) -> int:
    """Apply every migration newer than the file's version; return the resulting version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    current = schema_version(con)
    known = max(v for v, _ in migrations())
    if current > known:
        raise NewerSchema(
            f"was written by a newer RunForm (schema version {current}; this one knows up to "
            f"{known})"
        )
    for version, sql in migrations():
        if version <= current:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [version])
        current = version
    return current


class NewerSchema(RuntimeError):
    """The file's schema is newer than this code: opening it could damage what it holds."""


# What is wrong with the file, and what to do, for each fault a coach can meet.
LOCKED = (
    "is open in another program (another RunForm or a DuckDB shell)",
    "close that program, or point RUNFORM_DB at another file, then reload the page",
)
DAMAGED = (
    "is damaged or is not a DuckDB database",
    "restore the latest backup (python -m runform restore DIR --db FILE) or move the file away",
)
BAD_WAL = (
    "has a damaged write-ahead log (its .wal file)",
    "changes made since the last checkpoint may be lost. Move the .wal file aside to open "
    "what was checkpointed, or restore the latest backup (python -m runform restore DIR --db "
    "FILE)",
)
READ_ONLY = (
    "is on a read-only disk",
    "move it to a writable disk or point RUNFORM_DB at a writable location",
)
NO_PERMISSION = (
    "cannot be written by this user",
    "fix the file's permissions or point RUNFORM_DB at a writable location",
)
DISK_FULL = (
    "cannot grow: the disk is full",
    "free some disk space, then reload the page; nothing saved before is lost",
)
NO_MEMORY = (
    "needs more memory than this machine has free",
    "close other programs or narrow what the page shows, then reload the page",
)
FORBIDDEN_BY_SETTINGS = (
    "cannot be reached: DuckDB's settings forbid access to files",
    "remove the setting that disables it (enable_external_access, allowed_directories), then "
    "restart RunForm",
)
INVALIDATED = (
    "was closed after a serious error",
    "restart RunForm (Ctrl+C in the terminal running 'streamlit run', then start it again); "
    "what was saved before the error is kept",
)
# An OSError says by its number what happened to the file.
ERRNO_FAULTS = {
    errno.ENOSPC: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
}
# DuckDB's IOException covers a lock, a damaged file, a full or read-only disk alike (and a WAL
# that fails to replay is a plain duckdb.Error), so there the message says which one it is.
IO_MESSAGES = (
    ("could not set lock", LOCKED),
    ("not a valid duckdb database", DAMAGED),
    ("read-only file system", READ_ONLY),
    ("permission denied", NO_PERMISSION),
    ("no space left", DISK_FULL),
    ("wal file", BAD_WAL),  # last: a folder's name may hold "wal" too
)


def _fault(error: BaseException) -> tuple[str, str] | None:
    """What is wrong and what to do: by the exception's type, then its errno, then its text."""
    if isinstance(error, duckdb.OutOfMemoryException):
        return NO_MEMORY
    if isinstance(error, duckdb.FatalException | duckdb.InternalException):
        return INVALIDATED
    if isinstance(error, OSError) and error.errno in ERRNO_FAULTS:
        return ERRNO_FAULTS[error.errno]
    if isinstance(error, duckdb.PermissionException):
        return FORBIDDEN_BY_SETTINGS
    if isinstance(error, duckdb.SerializationException):
        return DAMAGED
    if isinstance(error, duckdb.IOException | OSError) or type(error) is duckdb.Error:
        text = str(error).lower()
        return next((fault for needle, fault in IO_MESSAGES if needle in text), None)
    return None


def named(error: BaseException, path: str | Path) -> StorageUnavailable | Conflict | None:
    """The named error for a fault of the file or a clash of two writes; None for anything else
    (a bug stays itself, with its traceback).

    Two writes that clashed (DuckDB's ConstraintException or TransactionException, another
    device's change) are a Conflict: nothing was saved, and doing it again works. A fault of the
    file is StorageUnavailable, saying what is wrong and what to do.
    """
    if isinstance(error, NewerSchema):
        return StorageUnavailable(
            f"The database {path} {error}. What to do: update RunForm (pip install -U) before "
            "opening it; nothing in it was changed."
        )
    if isinstance(error, duckdb.ConstraintException | duckdb.TransactionException):
        return Conflict(
            "Another device changed the same data at the same moment, so this change was not "
            "saved. What to do: reload the page and make the change again."
        )
    fault = _fault(error)
    if fault is None:
        return None
    what, todo = fault
    return StorageUnavailable(f"The database {path} {what}. What to do: {todo}.")


def explain(error: BaseException, path: str | Path) -> StorageUnavailable | Conflict:
    """Turn any DuckDB or OS error met opening the file into a message a coach can act on."""
    found = named(error, path)
    if found is not None:
        return found
    text = str(error)
    first = text.splitlines()[0] if text else type(error).__name__
    return StorageUnavailable(
        f"The database {path} cannot be used ({first}). The action that failed saved "
        "nothing. If the file or its write-ahead log (.wal) is damaged, changes since the last "
        "checkpoint may be lost: restore the latest backup (python -m runform restore DIR --db "
        "FILE) if data is missing."
    )


def connect(path: str | Path) -> Connection:
    """A migrated connection to the DuckDB file at `path` (created when missing)."""
    path = Path(path)
    try:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        migrate(con)
    except (duckdb.Error, OSError, NewerSchema) as e:
        if "con" in locals():
            con.close()
        raise explain(e, path) from e
    return con


def checkpoint(con: Connection) -> None:
    """Write the write-ahead log into the database file (after a bulk load, so the next start
    need not replay it)."""
    con.execute("CHECKPOINT")


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """One unit of work: everything inside commits together or not at all.

    Nested use joins the outer transaction, so store functions compose into one larger unit.
    """
    key = id(con)
    if key in _open:
        yield con  # the outermost transaction commits or rolls back
        return
    _open.add(key)
    try:
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                with suppress(duckdb.Error):  # a failed commit or a lost file has nothing to undo
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except (duckdb.Error, OSError) as e:
            # a fault of the file or a clash with another device, said so callers catch one
            # named error (runform.errors) and a coach reads what to do
            found = named(e, database_path(con))
            if found is None:
                raise
            raise found from e
    finally:
        _open.discard(key)


def database_path(con: Connection) -> str:
    """The file behind `con` (for messages); "the database" when DuckDB cannot say."""
    try:
        row = one(
            con,
            "SELECT coalesce(path, database_name) FROM duckdb_databases() "
            "WHERE database_name = current_database()",
        )
    except duckdb.Error:
        row = None
    return str(row[0]) if row else "(unknown file)"


def one(con: Connection, sql: str, params: list | tuple = ()) -> tuple | None:
    """The first row, reading the result to its end (DuckDB keeps a half-read result open)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def scalar(con: Connection, sql: str, params: list | tuple = ()):
    row = one(con, sql, params)
    return None if row is None else row[0]


# --- a runner's scope -------------------------------------------------------------------------
# A runner's link gets a cursor on which every table holding athlete data is shadowed by a
# temporary view of that runner's rows only, so every read through the store is restricted
# without a page having to remember it. Writes name the real tables (`table`) and first check
# ownership through those views (`check_athlete`, or by reading the row back).

_SCOPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_EPISODE_ROWS = "episode_id IN (SELECT id FROM {db}.injury_episodes WHERE athlete_id = {a})"
SCOPED_ROWS = {
    "athletes": "id = {a}",
    "assessments": "athlete_id = {a}",
    "screen_values": "assessment_id IN (SELECT id FROM {db}.assessments WHERE athlete_id = {a})",
    "findings": "assessment_id IN (SELECT id FROM {db}.assessments WHERE athlete_id = {a})",
    "pain_reports": "athlete_id = {a}",
    "plans": "athlete_id = {a}",
    "plan_versions": "plan_id IN (SELECT id FROM {db}.plans WHERE athlete_id = {a})",
    "plan_weeks": "plan_id IN (SELECT id FROM {db}.plans WHERE athlete_id = {a})",
    "plan_sessions": "plan_id IN (SELECT id FROM {db}.plans WHERE athlete_id = {a})",
    "planned_session_status": "athlete_id = {a}",
    "session_logs": "athlete_id = {a}",
    "exercise_logs": "log_id IN (SELECT id FROM {db}.session_logs WHERE athlete_id = {a})",
    "run_records": "log_id IN (SELECT id FROM {db}.session_logs WHERE athlete_id = {a})",
    "comments": "log_id IN (SELECT id FROM {db}.session_logs WHERE athlete_id = {a})",
    "wellness": "athlete_id = {a}",
    "runner_links": "false",
    "injury_episodes": "athlete_id = {a}",
    "injury_status": _EPISODE_ROWS,
    "ostrc_answers": "athlete_id = {a}",
    "ladder_events": _EPISODE_ROWS,
    "capacity_tests": _EPISODE_ROWS,
    "plan_bases": "plan_id IN (SELECT id FROM {db}.plans WHERE athlete_id = {a})",
}


def scoped(con: Connection, athlete_id: int) -> Connection:
    """A cursor that sees only `athlete_id`'s rows, whatever query runs on it."""
    cur = con.cursor()
    catalog = scalar(cur, "SELECT current_database()")
    db = '"' + catalog.replace('"', '""') + '".main'
    a = int(athlete_id)  # an id from a verified link, never text: safe to place in the DDL
    existing = {
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    for name, rows in SCOPED_ROWS.items():
        if name in existing:
            where = rows.format(a=a, db=db)
            cur.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {db}.{name} WHERE {where}")
    _SCOPES[cur] = (a, db)
    return cur


def scope_of(con: Connection) -> int | None:
    """The runner a cursor is restricted to, or None for a coach's (unrestricted) cursor."""
    found = _SCOPES.get(con)
    return None if found is None else found[0]


def table(con: Connection, name: str) -> str:
    """The real table to write to: on a runner's cursor its name is shadowed by a view."""
    found = _SCOPES.get(con)
    return name if found is None else f"{found[1]}.{name}"


def check_athlete(con: Connection, athlete_id: int | None) -> None:
    """Refuse (Forbidden) a runner's cursor acting on another runner, or on a new one."""
    scope = scope_of(con)
    if scope is not None and athlete_id != scope:
        raise Forbidden("this runner link can only see and change its own runner's data")
