"""A runner on a phone logs a planned session and sees the next dose, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from playwright.sync_api import Page, expect

from runform import clock
from tests.e2e.conftest import ARTIFACTS, settle


def planned_strength_session(db: Path) -> tuple[int, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """
            SELECT p.athlete_id, strftime(s.day, '%Y-%m-%d')
            FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
            WHERE s.plan_id = (SELECT max(id) FROM plans q WHERE q.athlete_id = p.athlete_id)
              AND s.kind = 'strength' AND s.day <= ?
              AND NOT EXISTS (SELECT 1 FROM session_logs l WHERE l.plan_id = s.plan_id
                              AND l.week = s.week AND l.position = s.position)
            ORDER BY s.day DESC, p.athlete_id LIMIT 1
            """,
            [clock.today()],
        ).fetchall()[0]
    finally:
        con.close()


def test_runner_logs_todays_session_on_a_phone(server: str, phone: Page, db_copy: Path) -> None:
    athlete, day = planned_strength_session(db_copy)
    page = phone
    page.goto(f"{server}/log?athlete={athlete}&day={day}")
    settle(page)
    expect(page.get_by_role("heading", name="Training log")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Strength \(\d+ min\)")).first).to_be_visible()
    page.get_by_role("button", name="Save log").first.click()
    settle(page)
    expect(page.get_by_text(re.compile(r"^Session saved"))).to_be_visible()
    expect(page.get_by_text("Next dose")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Running \w{3} \d\d|advance|hold")).first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "log-phone.png"), full_page=True)
