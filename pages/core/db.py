"""The database: one cached connection per server, one cursor per script run."""

from __future__ import annotations

import os
import sys
import threading

import streamlit as st

from pages.core.roles import coach_password_hash, current_role, oidc_configured
from runform import clock
from runform.errors import StorageUnavailable
from runform.paths import default_db_path
from runform.services import assessments, seed
from runform.store.connection import Connection, connect, scoped


def _announce() -> None:
    """Say on the server's console who can reach this app (once per server start)."""
    address = st.get_option("server.address") or "every network interface"
    if coach_password_hash() or oidc_configured():
        print(f"RunForm: coach sign-in is on; listening on {address}.", file=sys.stderr)
    elif address in ("127.0.0.1", "localhost", "::1"):
        print(
            "RunForm: open demo mode (no coach password): listening on this machine only "
            f"({address}). Set a coach password before serving a team on a network.",
            file=sys.stderr,
        )
    else:
        print(
            f"RunForm: WARNING: open demo mode on {address}: anyone who can reach this machine "
            "can see and change everything. Set RUNFORM_COACH_PASSWORD_HASH first.",
            file=sys.stderr,
        )


@st.cache_resource(show_spinner="Opening the database…")
def _database(path: str) -> Connection:
    _announce()
    con = connect(path)
    if assessments.roster(con).empty and os.environ.get("RUNFORM_DEMO", "1") != "0":
        seed.demo_team(con, today=clock.today())
    return con


def server_connection() -> Connection:
    """The server's connection outside a page (the calendar feed); StorageUnavailable when the
    database cannot be opened."""
    return _database(str(default_db_path()))


def connection() -> Connection:
    """The server's connection; a database that cannot be opened stops the page, saying why."""
    try:
        return _database(str(default_db_path()))
    except StorageUnavailable as e:
        st.error(str(e), icon=":material/database:")
        st.stop()


_run = threading.local()  # Streamlit runs each script run on its own thread: one cursor per run


def db() -> Connection:
    """A cursor for this script run (DuckDB wants one per thread). A runner's link gets a cursor
    that sees only that runner's rows: the store enforces it, whatever a page asks."""
    role, base = current_role(), connection()
    cached = getattr(_run, "cursor", None)
    if cached is not None and cached[0] == (role, id(base)):
        return cached[1]
    cur = scoped(base, role.athlete_id) if role.athlete_id is not None else base.cursor()
    _run.cursor = ((role, id(base)), cur)  # another database (RUNFORM_DB changed): a new cursor
    return cur
