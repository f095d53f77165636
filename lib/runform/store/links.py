"""Runner links: create, resolve, list and revoke (tokens kept only as hashes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from runform.access import new_token, token_hash
from runform.errors import InvalidInput, NotFound
from runform.store.connection import Connection, check_athlete, scalar, table, transaction


def create(con: Connection, athlete_id: int, days: int, now: datetime) -> tuple[int, str]:
    """A new link for the runner, valid for `days`; returns (link id, token). The token is
    shown once: only its hash is stored.

    Raises Forbidden on another runner's cursor, InvalidInput (field "days") outside 1–365 and
    NotFound for an unknown runner.
    """
    check_athlete(con, athlete_id)
    if not 1 <= days <= 365:
        raise InvalidInput({"days": "a link lasts 1 to 365 days"})
    token = new_token()
    with transaction(con):
        if scalar(con, "SELECT count(*) FROM athletes WHERE id = ?", [athlete_id]) == 0:
            raise NotFound(f"unknown runner {athlete_id}")
        link_id = scalar(
            con,
            f"INSERT INTO {table(con, 'runner_links')} (athlete_id, token_sha256, expires_at) "
            "VALUES (?, ?, ?) RETURNING id",
            [athlete_id, token_hash(token), now + timedelta(days=days)],
        )
    return link_id, token


def resolve(con: Connection, token: str, now: datetime) -> int | None:
    """The runner a token opens, or None when it is unknown, expired or revoked."""
    if not token or len(token) > 200:
        return None
    return scalar(
        con,
        "SELECT athlete_id FROM runner_links WHERE token_sha256 = ? AND revoked_at IS NULL "
        "AND expires_at > ?",
        [token_hash(token), now],
    )


def revoke(con: Connection, link_id: int, now: datetime) -> None:
    with transaction(con):
        con.execute(
            f"UPDATE {table(con, 'runner_links')} SET revoked_at = ? WHERE id = ?", [now, link_id]
        )


def for_athlete(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT id, created_at, expires_at, revoked_at FROM runner_links WHERE athlete_id = ? "
        "ORDER BY id DESC",
        [athlete_id],
    ).df()
