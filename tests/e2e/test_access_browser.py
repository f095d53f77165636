"""Who gets in, in a real browser, from the very first request after a server start: the coach's
sign-in at every address, a runner's personal link on a phone, and an open demo deep link."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from playwright.sync_api import Page, expect

from runform import clock
from runform.access import hash_password
from runform.store import athletes, links
from runform.store.connection import connect
from tests.e2e.conftest import ARTIFACTS, Server, settle, snapshot

PASSWORD = "correct horse battery staple"
RUNNER = 3  # Chloé Okafor in the demo team: a name with an accent, and a plan to log against

# Each address, and what the coach sees there once signed in. "/" opens the first page, Intake.
PAGES = {
    "/intake": "Intake assessment",
    "/plan": "Training plan",
    "/present": re.compile(r"^Week 1 · "),  # the first runner's plan, its first session
    "/team": "Team",
    "/progress": "Progress",
    "/log": "Training log",
    "/imports": "Import activities",
    "/health": "Health",
    "/access": "Access",
    "/": "Intake assessment",
}
TITLES = ["Intake assessment", "Training plan", "Present a session", "Team", "Progress"]
TITLES += ["Training log", "Import activities", "Health", "Access"]
COACH_ONLY = ["Plan", "Present", "Team", "Access"]
# A runner's pages by address (Intake, the default page, is at /), and their titles.
MINE = {"/": "Intake assessment", "/log": "Training log", "/progress": "Progress"}
MINE["/health"] = "Health"  # the weekly health check and the runner's injury episodes
MINE["/imports"] = "Import activities"  # the runner's own files or Strava export


@pytest.fixture(scope="module")
def coach_env() -> dict[str, str]:
    return {"RUNFORM_COACH_PASSWORD_HASH": hash_password(PASSWORD)}


def roster(db: Path) -> dict[int, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        roster = athletes.roster(con).sort_values("id")
        return dict(zip(roster["id"], roster["name"], strict=True))
    finally:
        con.close()


def no_page_not_found(page: Page) -> None:
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


def shows_only_the_sign_in(page: Page, url: str, names: list[str]) -> None:
    """The gate and nothing else: no page title, table, download, runner picker or name."""
    settle(page)  # a fresh page: its state is "initial" until the first run has finished
    password = page.get_by_label("Coach password")
    expect(password, f"{url}: the password input").to_be_visible()
    expect(page.get_by_role("heading", name="RunForm", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    for title in TITLES:
        expect(
            page.get_by_role("heading", name=title, exact=True), f"{url}: {title}"
        ).to_have_count(0)
    expect(page.locator('[data-testid="stDataFrame"]'), f"{url}: a table").to_have_count(0)
    expect(page.locator('[data-testid="stDownloadButton"]'), f"{url}: a download").to_have_count(0)
    expect(page.get_by_test_id("stSidebar"), f"{url}: the sidebar").to_have_count(0)
    expect(page.get_by_role("combobox", name="Runner"), f"{url}: the picker").to_have_count(0)
    expect(page.get_by_test_id("stSidebarNavLink"), f"{url}: the navigation").to_have_count(0)
    body = page.locator("body").text_content() or ""
    assert not [n for n in names if n in body], f"{url}: a runner's name shows before the sign-in"
    no_page_not_found(page)
    expect(page, f"{url}: the deep link keeps its address").to_have_url(url)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_address_shows_only_the_sign_in_first(
    start_server: Callable[..., Server], browser, coach_env: dict[str, str], path: str
) -> None:
    """A fresh server for each address, so that it is the server's very first request; then the
    coach signs in there and gets that page."""
    server = start_server(env=coach_env)
    url = server.url + path
    names = list(roster(server.db).values())
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    try:
        page = ctx.new_page()
        page.goto(url)
        # Intake, the default page, is served at / (`/intake` typed by hand is redirected there)
        home = server.url + ("/" if path == "/intake" else path)
        shows_only_the_sign_in(page, home, names)

        page.get_by_label("Coach password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        heading = page.get_by_role("heading", name=PAGES[path], exact=True)
        expect(heading, f"{url}: its page after the sign-in").to_be_visible(timeout=30_000)
        settle(page)
        expect(page.get_by_label("Coach password")).to_have_count(0)
        nav = page.get_by_test_id("stSidebarNavLink")
        expect(nav.filter(has_text="Access"), "the coach's navigation").to_have_count(1)
        no_page_not_found(page)
        expect(page).to_have_url(re.compile(re.escape(home) + r"(\?|$)"))
    finally:
        ctx.close()
    log = server.log.read_text()
    assert "Traceback" not in log, log


def test_a_runner_link_on_a_phone_stays_that_runner(
    start_server: Callable[..., Server],
    phone: Page,
    coach_env: dict[str, str],
    demo_template: Path,
    tmp_path: Path,
) -> None:
    """A runner's link, with a coach password set: through the sidebar, a reload, Back and a
    coach's address it stays that runner, and a session logged at the end is theirs."""
    db = tmp_path / "runner.duckdb"
    shutil.copy(demo_template, db)
    con = connect(db)
    _, token = links.create(con, RUNNER, 30, clock.now())
    con.execute("CHECKPOINT")
    con.close()
    names = roster(db)
    name = names.pop(RUNNER)
    server = start_server(env=coach_env, db=db)
    page = phone

    def still_the_runner(heading: str) -> None:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        settle(page)
        no_page_not_found(page)
        expect(page.get_by_label("Coach password")).to_have_count(0)
        expect(page.get_by_test_id("stSidebar")).to_contain_text(
            f"Signed in with the personal link of {name}."
        )
        body = page.locator("body").text_content() or ""
        assert not [n for n in names.values() if n in body], "another runner's name shows"
        expect(page.get_by_role("combobox", name="Runner")).to_have_count(0)
        expect(page).to_have_url(re.compile(rf"[?&]runner={re.escape(token)}(&|$)"))
        nav = page.get_by_test_id("stSidebarNavLink")
        expect(nav).to_have_count(5)
        for label in ["Intake", "Log", "Import", "Health", "Progress"]:
            expect(nav.filter(has_text=label)).to_have_count(1)
        for label in COACH_ONLY:
            expect(nav.filter(has_text=label)).to_have_count(0)

    def open_in_sidebar(label: str, heading: str) -> None:
        """Open the collapsed sidebar with its toggle, pick the page, and close the sidebar
        again (on a phone it stays open over the page after a pick)."""
        page.get_by_test_id("stExpandSidebarButton").click()
        link = page.get_by_test_id("stSidebarNavLink").filter(has_text=label)
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.get_by_test_id("stSidebarCollapseButton").click()
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()

    def at(path: str) -> re.Pattern:
        return re.compile(rf"^{re.escape(server.url + path)}\?")

    page.goto(f"{server.url}/?runner={token}")  # the first request this server ever gets
    settle(page)  # a cold first run: settle waits for it (its state is "initial" until then)
    still_the_runner("Intake assessment")
    open_in_sidebar("Log", "Training log")
    still_the_runner("Training log")
    expect(page).to_have_url(at("/log"))
    open_in_sidebar("Progress", "Progress")
    still_the_runner("Progress")
    expect(page).to_have_url(at("/progress"))
    open_in_sidebar("Intake", "Intake assessment")
    still_the_runner("Intake assessment")
    expect(page).to_have_url(at("/"))  # Intake, the default page, is /
    page.reload()
    settle(page)
    still_the_runner("Intake assessment")
    expect(page).to_have_url(at("/"))
    # Back through the history: a script that changes the address adds an entry, so it may take
    # more than one Back to leave a page; every entry is still this runner's, down to the Log.
    seen = []
    for _ in range(8):
        page.go_back()
        seen.append(page.url.removeprefix(server.url))
        path = urlsplit(page.url).path
        assert path in MINE, f"Back left the runner's pages: {seen}"
        still_the_runner(MINE[path])  # that page's title first: then settle waits for its run
        if path == "/log":
            break
    else:
        pytest.fail(f"Back never reached the Log page: {seen}")
    expect(page).to_have_url(at("/log"))

    # A coach's address typed in by hand: the page says whose it is and shows nothing of it.
    page.goto(f"{server.url}/team?runner={token}")
    settle(page)
    expect(page.get_by_text("This page is for the coach")).to_be_visible()
    expect(page).to_have_url(at("/team"))
    expect(page.get_by_role("heading", name="Team", exact=True)).to_have_count(0)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    open_in_sidebar("Log", "Training log")
    still_the_runner("Training log")

    note = "e2e: an unplanned run from the runner's link"
    page.get_by_role("tab", name="Unplanned session").click()
    form = page.get_by_role("tabpanel", name="Unplanned session")
    form.locator(".st-key-u_minutes input").fill("37")
    form.locator(".st-key-u_km input").fill("6.5")
    form.locator(".st-key-u_note textarea").fill(note)
    form.get_by_role("button", name="Save log").click()
    saved = page.get_by_text(re.compile(r"^Session saved \(log \d+\)"))
    expect(saved).to_be_visible()
    log_id = int(re.search(r"log (\d+)", saved.inner_text()).group(1))
    still_the_runner("Training log")
    saved.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "runner-link-phone.png"))

    copy = duckdb.connect(str(snapshot(db, tmp_path / "snapshot.duckdb")), read_only=True)
    try:
        row = copy.execute(
            "SELECT athlete_id, day, kind, minutes, run_km, plan_id FROM session_logs "
            "WHERE note = ?",
            [note],
        ).fetchall()
        ids = copy.execute("SELECT id FROM session_logs WHERE note = ?", [note]).fetchall()
    finally:
        copy.close()
    assert row == [(RUNNER, clock.today(), "easy_run", 37.0, 6.5, None)]
    assert ids == [(log_id,)]
    log = server.log.read_text()
    assert "Traceback" not in log, log


def test_an_open_deep_link_shows_its_page_on_the_first_request(
    server: str, projector: Page, db_copy: Path
) -> None:
    """No password (open demo mode): a deep link is the server's first request and opens."""
    name = roster(db_copy)[3]
    page = projector
    page.goto(f"{server}/log?athlete=3")  # the first request this server ever gets
    settle(page)
    expect(page.get_by_role("heading", name="Training log", exact=True)).to_be_visible()
    no_page_not_found(page)
    expect(page.get_by_label("Coach password")).to_have_count(0)
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Runner")
    expect(picker).to_have_value(name)
    expect(page).to_have_url(re.compile(r"/log\?(.*&)?athlete=3(&|$)"))
    expect(page.get_by_role("tab", name="Unplanned session")).to_be_visible()
