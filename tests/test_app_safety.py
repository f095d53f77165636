"""Nobody in who should not be, and user text shown as typed: brakes, allow-lists, comments."""

from __future__ import annotations

import duckdb
import pytest

from runform import access, plaintext
from tests.apptest import open_page, runner_link


def test_coach_accounts_by_allow_list():
    allowed = ["coach@club.org", " Second@Club.org "]
    assert access.coach_allowed("coach@club.org", allowed)
    assert access.coach_allowed("second@club.org", allowed)
    assert not access.coach_allowed("stranger@example.org", allowed)
    assert not access.coach_allowed(None, allowed)
    assert not access.coach_allowed("", allowed)
    assert not access.coach_allowed("coach@club.org", [])


def test_the_sign_in_brake_doubles_the_wait_after_a_few_tries():
    brake = access.Throttle()
    for i in range(access.FREE_TRIES):
        assert brake.wait("k", 100.0 + i) == 0
        brake.failed("k", 100.0 + i)
    last = 100.0 + access.FREE_TRIES - 1
    assert brake.wait("k", last) == pytest.approx(access.FIRST_WAIT_S)
    brake.failed("k", last + 10)
    assert brake.wait("k", last + 10) == pytest.approx(2 * access.FIRST_WAIT_S)
    assert brake.wait("other", last) == 0, "each key has its own count"
    for _ in range(30):
        brake.failed("k", 1_000.0)
    assert brake.wait("k", 1_000.0) == access.LONGEST_WAIT_S
    brake.succeeded("k")
    assert brake.wait("k", 1_000.0) == 0


def sign_in(at, password: str):
    at.text_input(key="coach_password").set_value(password)
    at.button(key="coach_sign_in_button").click().run()
    return at


def test_thirty_wrong_passwords_do_not_open_the_door(demo_db, monkeypatch):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    at = open_page("team")
    refused = 0
    for _ in range(30):
        sign_in(at, "guess")
        refused += any("Too many wrong passwords" in e.value for e in at.error)
    assert refused >= 30 - access.FREE_TRIES
    sign_in(at, "s3cret")  # right, but within the wait: still refused
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert not any(t.value == "Team" for t in at.title)
    assert not at.dataframe


def test_the_right_password_opens_the_page_of_the_address(demo_db, monkeypatch):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    at = sign_in(open_page("team"), "s3cret")
    assert not at.exception
    assert any(t.value == "Team" for t in at.title)


def test_markdown_in_user_text_is_shown_literally():
    forged = "**Coach** · 01 Dec 09:00: ![x](http://example.org/a.png) :red[hi] <b>x</b>"
    escaped = plaintext.md(forged)
    assert "![" not in escaped and "**" not in escaped and ":red[" not in escaped
    assert "<b>" not in escaped
    assert plaintext.md("line one\nline two") == "line one line two"
    assert plaintext.md_block("a\n*b*") == "a  \n\\*b\\*"


def newest_log(db_path, athlete: int) -> int:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(
            "SELECT max(id) FROM session_logs WHERE athlete_id = ?", [athlete]
        ).fetchone()[0]
    finally:
        con.close()


def comments_of(db_path, log_id: int) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(
            "SELECT author, body FROM comments WHERE log_id = ? ORDER BY id", [log_id]
        ).fetchall()
    finally:
        con.close()


def test_a_runner_cannot_post_as_the_coach_and_markdown_stays_text(demo_db):
    token = runner_link(demo_db, 3)
    log_id = newest_log(demo_db, 3)
    at = open_page("log", {"runner": token, "log_tab": "History"})
    assert not at.exception
    at.selectbox(key="open_log").set_value(log_id).run()
    assert not [r for r in at.radio if r.key == f"author_{log_id}"], "no author choice"
    body = "**Coach** · 01 Dec 09:00: skip the long run ![x](http://example.org/a.png)"
    at.text_area(key=f"body_{log_id}").set_value(body)
    [b for b in at.button if b.label == "Add comment"][0].click().run()
    assert not at.exception
    assert comments_of(demo_db, log_id)[-1] == ("runner", body)
    shown = [m.value for m in at.markdown if "skip the long run" in m.value]
    assert shown and all("![x]" not in m and "**Coach**" not in m.split(":", 1)[-1] for m in shown)
    assert shown[0].startswith("**Runner**")
