"""A runner on a phone logs a planned session and sees the next dose, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from playwright.sync_api import Page, expect

from runform import clock
from runform.exercises import by_id, load_library
from runform.vocab import SESSION_KINDS
from tests.e2e.conftest import ARTIFACTS, click_and_settle, settle


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


#: What a person must never read: Python's None, ids with underscores (kinds such as easy_run,
#: exercise ids, column names) and field paths.
RAW = re.compile(r"\bNone\b|\b[a-z]+_[a-z_]+\b|\bscreens\.")


def raw_names(text: str) -> list[str]:
    """The internal names in `text`: the pattern's, and every kind and exercise id."""
    ids = {i for i in set(by_id(load_library())) | set(SESSION_KINDS) if "_" in i}
    words = set(re.findall(r"[A-Za-z0-9_.]+", text))
    return sorted({m.group(0) for m in RAW.finditer(text)} | (ids & words))


#: The main area's text as read: icons (drawn from ligature names such as "check_circle") and
#: the app-wide demo-mode banner (setup words for whoever installs the app, drawn by app.py,
#: not by these pages) left out.
READ = """() => {
    const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
    const icons = '[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"]';
    main.querySelectorAll(icons).forEach(e => e.remove());
    main.querySelectorAll('[data-testid="stAlert"]').forEach(e => {
        if (e.textContent.includes('Open demo mode')) e.remove();
    });
    document.body.appendChild(main);
    const text = main.innerText;
    main.remove();
    return text;
}"""


def tabs_text(page: Page, tabs: list[str]) -> dict[str, str]:
    """Each tab's view of the page body, as a person reads it (hidden panels left out)."""
    seen = {}
    for tab in tabs:
        click_and_settle(page, page.get_by_role("tab", name=tab))
        seen[tab] = page.evaluate(READ)
    return seen


def test_log_and_plan_pages_show_no_internal_names(server: str, projector: Page) -> None:
    page = projector
    page.goto(f"{server}/log?athlete=1")
    settle(page)
    expect(page.get_by_role("heading", name="Training log")).to_be_visible()
    page.get_by_role("tab", name="Unplanned session").click()
    page.locator(".st-key-u_km input").fill("5")
    page.locator(".st-key-u_save button").click()
    settle(page)
    expect(page.get_by_text(re.compile(r"^Session saved"))).to_be_visible()
    seen = tabs_text(page, ["Planned sessions", "Unplanned session", "Check-ins", "History"])
    page.goto(f"{server}/plan?athlete=1")
    settle(page)
    expect(page.get_by_role("heading", name="Training plan")).to_be_visible()
    tabs = ["Calendar", "Edit", "Adapt this week", "Versions", "Export"]
    seen |= {f"Plan {k}": v for k, v in tabs_text(page, tabs).items()}
    assert all(seen.values())
    assert raw_names("Easy run · easy_run · None · screens.knee_to_wall_cm") == [
        "None",
        "easy_run",
        "knee_to_wall_cm",
        "screens.",
    ], "the scan finds what it looks for"
    found = {tab: raw_names(text) for tab, text in seen.items() if raw_names(text)}
    assert not found, found
