"""Opening the app through Streamlit's AppTest the way a browser opens an address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
from streamlit.testing.v1 import AppTest

from runform import clock
from runform.store import links
from tests.conftest import ROOT


def open_page(
    page: str | None = None,
    query: Mapping[str, str | list[str]] | None = None,
    *,
    state: Mapping[str, Any] | None = None,
    timeout: float = 60,
) -> AppTest:
    """app.py at /`page` with `query` in the address (as a first visit, a reload or a shared
    link would open it), and `state` already in the session (a signed-in coach, say).

    Pages are functions registered under their module's name, so the page is chosen before the
    first run, as a browser's address chooses it.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        at.switch_page(f"pages/{page}.py")
    return at.run()


def param(at: AppTest, name: str) -> list[str]:
    """A query parameter's values, whatever shape AppTest gives them."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def runner_link(db_path, athlete: int, days: int = 30) -> str:
    """A fresh personal link for `athlete`, written straight into the database file."""
    con = duckdb.connect(str(db_path))
    try:
        return links.create(con, athlete, days, clock.now())[1]
    finally:
        con.close()
