"""A runner with a knee episode, on a phone: answers the weekly health check, logs the
return-to-run stage planned for the day and marks the episode unavailable; the coach sees the
change on the Team board, in a real browser."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from runform import clock
from runform.services import training_log
from runform.store import links
from runform.store.connection import connect
from tests.e2e.conftest import ARTIFACTS, Server, click_and_settle, settle

ANSWERS = {  # question (a part of its words) → the answer chosen
    "participating in training and competition": "Full participation, but with knee problems",
    "modified your training or competition": "To a minor extent",
    "affected your performance": "No effect",
    "experienced knee pain": "Mild pain",
}


def prepare(db: Path) -> tuple[str, int, str]:
    """The demo's runner on the ladder, a personal link for them, and the latest ladder run
    planned up to today, left unlogged (as if not logged yet): (token, athlete, day)."""
    con = connect(db)
    try:
        [(athlete, episode)] = con.execute(
            "SELECT athlete_id, id FROM injury_episodes WHERE region = 'knee' AND ended_on IS NULL"
        ).fetchall()
        [(day, log_id)] = con.execute(
            """
            SELECT s.day, s.log_id FROM planned_session_status s
            JOIN plan_sessions p USING (plan_id, version, week, position)
            WHERE s.athlete_id = ? AND s.kind = 'easy_run' AND s.day <= ?
              AND json_extract_string(p.detail, '$.reason') LIKE 'Return to run%'
            ORDER BY s.day DESC LIMIT 1
            """,
            [athlete, clock.today()],
        ).fetchall()
        if log_id is not None:
            training_log.delete_log(con, int(log_id))
        _, token = links.create(con, athlete, 30, clock.now())
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return token, athlete, day.isoformat()


def test_a_runner_on_the_ladder_checks_in_logs_a_stage_and_the_coach_sees_it(
    start_server: Callable[..., Server], phone: Page, browser, demo_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "health.duckdb"
    shutil.copy(demo_template, db)
    token, _, day = prepare(db)
    server = start_server(db=db)
    page = phone

    # the weekly health check, on the phone
    page.goto(f"{server.url}/health?runner={token}")
    settle(page)
    expect(page.get_by_role("heading", name="Health", exact=True)).to_be_visible()
    for question, answer in ANSWERS.items():
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(question)))
        group.get_by_text(answer, exact=True).click()
    click_and_settle(page, page.get_by_role("button", name="Save this week's answers"))
    expect(page.get_by_text("Health check saved: knee severity 22/100.")).to_be_visible()
    expect(page.get_by_text("Answered this week: severity 22/100.", exact=False)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "health-phone.png"), full_page=True)

    # the walk–run stage planned for the day, logged from the Log page
    page.goto(f"{server.url}/log?runner={token}&day={day}")
    settle(page)
    expect(page.get_by_role("heading", name="Training log")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Easy run")).first).to_be_visible()
    click_and_settle(page, page.get_by_role("button", name="Save log").first)
    expect(page.get_by_text(re.compile(r"^Session saved"))).to_be_visible()
    expect(page.get_by_text("injury episode").first).to_be_visible()  # the running's decision

    # the knee swelled in the evening: the runner marks the episode unavailable
    page.goto(f"{server.url}/health?runner={token}&health_tab=Episodes")
    settle(page)
    page.get_by_role("radiogroup", name="Status").get_by_text("Unavailable", exact=True).click()
    page.get_by_label("Why", exact=True).fill("knee swelled in the evening")
    click_and_settle(page, page.get_by_role("button", name="Save the change"))
    expect(page.get_by_text(re.compile(r"^Episode saved \(unavailable\)"))).to_be_visible()

    # the coach's Team board, filtered to the unavailable
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        coach = ctx.new_page()
        coach.set_default_timeout(30_000)
        coach.goto(f"{server.url}/team?availability=unavailable")
        settle(coach)
        expect(coach.get_by_role("heading", name="Team", exact=True)).to_be_visible()
        line = coach.get_by_text(
            re.compile(r"patellofemoral pain \(physio\) · unavailable · OSTRC 22/100")
        )
        expect(line).to_be_visible()
        coach.screenshot(path=str(ARTIFACTS / "team-availability.png"), full_page=True)
    finally:
        ctx.close()
    log = server.log.read_text()
    assert "Traceback" not in log, log
