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
from tests.conftest import ROOT

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
    assert [s.value for s in at.success] == ["Link created. It is shown only now."]
    # no address known (AppTest has no browser, no RUNFORM_BASE_URL): the part to add to it
    [code] = [c.value for c in at.code]
    token = code.removeprefix("?runner=")
    assert code == f"?runner={token}"
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
    token = at.code[0].value.rsplit("?runner=", 1)[1]
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


def test_with_a_base_url_the_full_link_and_its_qr_code_are_shown_and_present_can_show_it(
    demo_db, monkeypatch
):
    monkeypatch.setenv("RUNFORM_BASE_URL", "https://runform.example/club/access?x=1")
    at = create(access_page(), 30)
    [code, feed] = [c.value for c in at.code]
    assert code.startswith("https://runform.example/club/?runner=")
    token = code.rsplit("=", 1)[1]
    assert feed == f"https://runform.example/club/feed/{token}.ics"  # the runner's calendar feed
    con = duckdb.connect(str(demo_db))
    try:
        assert access.resolve(con, token, clock.now()) == RUNNER
    finally:
        con.close()
    [image] = at.get("image")
    assert image.captions == ["Scan to open the runner's link"]
    assert any("RUNFORM_BASE_URL" in c.value for c in at.caption)
    # the next run (any click) no longer shows it: the token is shown once
    at.run()
    assert not at.code and not at.get("image")
    # Present, in the same session, can put that link's code on the projector
    made = at.session_state["handover_links"]
    at = open_page("present", {"athlete": str(RUNNER)}, state={"handover_links": made})
    assert not at.exception, at.exception
    assert [c.value for c in at.code] == [code]
    assert len(at.get("image")) == 1


def test_present_without_a_link_made_in_this_session_says_where_to_make_one(demo_db):
    at = open_page("present", {"athlete": str(RUNNER)}, timeout=60)
    assert not at.exception, at.exception
    assert not at.get("image")
    assert any("Create a link on the Access page first" in m.value for m in at.markdown)


def test_without_a_base_url_the_link_comes_from_the_coachs_own_address(demo_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["athlete"] = str(RUNNER)
    at.context["url"] = "http://192.168.1.20:8501/access"  # what the coach's browser shows
    at.switch_page("pages/access.py")
    at = create(at.run(), 30)
    [code, feed] = [c.value for c in at.code]
    assert code.startswith("http://192.168.1.20:8501/?runner=")
    assert feed.startswith("http://192.168.1.20:8501/feed/") and feed.endswith(".ics")
    assert any("the address you are using" in c.value for c in at.caption)
