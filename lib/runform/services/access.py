"""Access: runners' personal links (create, list, revoke, resolve) and backups.

A link is a token shown once; only its hash is stored. It opens one runner's own pages and
nothing else, until it expires or the coach revokes it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, Field

from runform.errors import NotFound
from runform.services.checks import coach_only, validated
from runform.store import athletes, backup, links
from runform.store.connection import Connection

#: How a link stands now, in the order the Access page lists them.
LINK_STATES = ("active", "expired", "revoked")


class LinkRequest(BaseModel):
    """What the coach asks for: a link for this runner, valid this many days."""

    athlete_id: int
    days: Annotated[int, Field(ge=1, le=365, strict=True)] = 90


class LinkCreated(BaseModel):
    link_id: int
    token: str
    expires_at: datetime


def create_link(con: Connection, raw: object, now: datetime) -> LinkCreated:
    """A new personal link for a runner; the token is in the result and nowhere else."""
    coach_only(con, "create runner links")
    asked = validated(LinkRequest, raw)
    if not athletes.exists(con, asked.athlete_id):
        raise NotFound(f"There is no runner {asked.athlete_id}.")
    link_id, token = links.create(con, asked.athlete_id, asked.days, now)
    return LinkCreated(link_id=link_id, token=token, expires_at=now + timedelta(days=asked.days))


class LinkRevoked(BaseModel):
    link_id: int
    revoked_at: datetime


def revoke_link(con: Connection, link_id: int, now: datetime) -> LinkRevoked:
    """The link stops working at once (pages already open with it close on the next click)."""
    coach_only(con, "revoke runner links")
    links.revoke(con, link_id, now)
    return LinkRevoked(link_id=link_id, revoked_at=now)


def links_of(con: Connection, athlete_id: int, now: datetime) -> pd.DataFrame:
    """The runner's links, newest first, each with its `state` now."""
    coach_only(con, "see runner links")
    found = links.for_athlete(con, athlete_id)
    expired = pd.to_datetime(found["expires_at"]) <= pd.Timestamp(now)
    state = expired.map({True: "expired", False: "active"}).where(found["revoked_at"].isna())
    return found.assign(state=state.fillna("revoked").astype("object"))


def resolve(con: Connection, token: str, now: datetime) -> int | None:
    """The runner a link opens now, or None (unknown, expired or revoked)."""
    return links.resolve(con, token, now)


def backup_zip(con: Connection) -> bytes:
    """A full copy of the database as a ZIP of Parquet files (`runform restore` reads it)."""
    coach_only(con, "download a backup")
    with tempfile.TemporaryDirectory() as tmp:
        folder = backup.backup(con, Path(tmp) / "runform-backup")
        archive = shutil.make_archive(str(Path(tmp) / "runform-backup"), "zip", folder)
        return Path(archive).read_bytes()
