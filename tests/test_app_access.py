"""The Access page through AppTest on the demo team: a runner's link created, listed and revoked
through the access service, and the backup."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform import access as tokens
from runform import clock
from runform.errors import Forbidden
from runform.services import access
from runform.store.connection import connect, scoped
from tests.apptest import open_page

RUNNER = 3


def links_in(db_path) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(
            "SELECT id, athlete_id, expires_at, revoked_at FROM runner_links ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def access_page() -> AppTest:
    at = open_page("access", {"athlete": str(RUNNER)}, timeout=60)
    assert not at.exception, at.exception
    assert [t.value for t in at.main.title] == ["Access"]
    return at


def create(at: AppTest, days: int) -> AppTest:
    at.number_input(key="link_days").set_value(days)
    [submit] = [b for b in at.button if b.label == "Create a link"]
    submit.click().run()
    assert not at.exception, at.exception
    return at


def listed(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Link ")]


def test_a_created_link_is_shown_once_opens_that_runner_and_is_listed_active(demo_db):
    at = create(access_page(), 30)
    assert [s.value for s in at.success] == [
        "Send this link to the runner (add it to this app's address):"
    ]
    [code] = [c.value for c in at.code]
    token = code.removeprefix("?runner=")
    [(link_id, athlete, expires, revoked)] = links_in(demo_db)
    assert athlete == RUNNER and revoked is None
    assert expires.date() == (clock.now() + timedelta(days=30)).date()
    con = duckdb.connect(str(demo_db))
    try:
        assert access.resolve(con, token, clock.now()) == RUNNER
    finally:
        con.close()
    assert len(listed(at)) == 1 and listed(at)[0].startswith(f"Link {link_id}: created")
    assert listed(at)[0].endswith("· **active**")
    assert [b.key for b in at.button if b.key and b.key.startswith("revoke_")] == [
        f"revoke_{link_id}"
    ]


@pytest.mark.parametrize("days", [0, 366])
def test_a_link_outside_1_to_365_days_is_refused_under_its_field_and_nothing_is_written(
    demo_db, days
):
    at = create(access_page(), days)
    assert any("between 1 and 365" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success and not at.code
    assert links_in(demo_db) == []


def test_revoking_a_link_stops_it_and_lists_it_revoked(demo_db):
    at = create(access_page(), 30)
    token = at.code[0].value.removeprefix("?runner=")
    [(link_id, *_)] = links_in(demo_db)
    at.button(key=f"revoke_{link_id}").click().run()
    assert not at.exception, at.exception
    [(_, _, _, revoked)] = links_in(demo_db)
    assert revoked is not None
    assert listed(at)[0].endswith("· **revoked**")
    assert not [b for b in at.button if b.key == f"revoke_{link_id}"], "nothing left to revoke"
    con = duckdb.connect(str(demo_db))
    try:
        assert access.resolve(con, token, clock.now()) is None
    finally:
        con.close()


def test_an_expired_link_is_listed_expired_without_a_revoke_button(demo_db):
    con = duckdb.connect(str(demo_db))
    try:
        con.execute(
            "INSERT INTO runner_links (athlete_id, token_sha256, expires_at) VALUES (?, ?, ?)",
            [RUNNER, tokens.token_hash(tokens.new_token()), clock.now() - timedelta(days=1)],
        )
    finally:
        con.close()
    at = access_page()
    [line] = listed(at)
    assert line.endswith("· **expired**")
    assert not [b for b in at.button if b.key and b.key.startswith("revoke_")]


def test_the_backup_is_a_zip_of_parquet_files_for_the_coach_only(demo_db):
    at = access_page()
    assert [b.key for b in at.download_button] == ["dl_backup"]
    con = connect(demo_db)
    try:
        archive = zipfile.ZipFile(io.BytesIO(access.backup_zip(con)))
        names = archive.namelist()
        assert any(n.endswith("athletes.parquet") for n in names), names
        with pytest.raises(Forbidden):
            access.backup_zip(scoped(con, RUNNER))
    finally:
        con.close()
