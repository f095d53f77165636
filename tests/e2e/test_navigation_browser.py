"""Moving around the app as a coach would (issue 14, Navigation): the sidebar's runner picker, the
pages following it, the browser's Back button, an app that fetches nothing from the internet, and
page text free of the code's internal names."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import settle, snapshot


def query(page: Page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(url).query).items()}


def picker(page: Page):
    """The sidebar's runner picker, by its key (not the stale copy a rerun keeps a moment)."""
    return page.locator('.st-key-athlete_picker:not([data-stale="true"])')


def pick_runner(page: Page, name: str) -> None:
    """Choose `name` in the sidebar's runner picker and wait for the page to follow."""
    picker(page).click()
    page.get_by_role("option", name=name, exact=True).click()
    settle(page)
    expect(picker(page)).to_match_aria_snapshot(f'- combobox "Runner": "{name}"')
    settle(page)


def roster(db: Path, tmp_path: Path) -> list[tuple[int, str, int | None]]:
    """Every demo runner: id, name and newest plan, from a snapshot of the server's database."""
    con = duckdb.connect(str(snapshot(db, tmp_path / "roster.duckdb")), read_only=True)
    try:
        return con.execute(
            """
            SELECT a.athlete_id, arg_max(a.profile ->> 'name', a.assessed_on),
                   (SELECT max(p.id) FROM plans p WHERE p.athlete_id = a.athlete_id)
            FROM assessments a GROUP BY a.athlete_id ORDER BY a.athlete_id
            """
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def runners(server: str, tmp_path: Path) -> list[tuple[int, str, int | None]]:
    return roster(tmp_path / "e2e.duckdb", tmp_path)


def test_the_picker_takes_four_picks_in_a_row(server: str, projector: Page, runners) -> None:
    """Picking runners 3, 5, 7 and 9 showed 3, 3, 7, 7 when the picker had no key."""
    page = projector
    page.goto(f"{server}/progress")
    settle(page)
    for athlete_id, name, _ in [runners[i] for i in (2, 4, 6, 8)]:
        pick_runner(page, name)
        expect(page.get_by_text(f"Runner: {name}")).to_be_visible()
        assert query(page)["athlete"] == str(athlete_id)


def test_present_follows_the_sidebar_not_the_previous_plan(
    server: str, projector: Page, runners
) -> None:
    """After a sidebar change the previous runner's `?plan=` gives way to the new runner's."""
    planned = [(a, n, p) for a, n, p in runners if p is not None]
    (first, _, first_plan), (second, second_name, second_plan) = planned[0], planned[1]
    page = projector
    page.goto(f"{server}/present?athlete={first}&plan={first_plan}&week=2&session=1")
    settle(page)
    assert query(page)["plan"] == str(first_plan) and query(page)["week"] == "2"
    pick_runner(page, second_name)
    expect(page).to_have_url(re.compile(rf"[?&]plan={second_plan}(&|$)"))
    assert query(page)["athlete"] == str(second) and query(page)["week"] == "1"
    expect(page.get_by_text(re.compile(r"^Week 1 · "))).to_be_visible()


def test_only_navigation_adds_history_and_back_returns_to_the_previous_view(
    server: str, projector: Page, runners
) -> None:
    """Widget changes update the address in place; a page or runner change adds one entry; Back
    goes to the view before it (it used to take 16 entries for 5 navigations)."""
    page = projector
    page.goto(f"{server}/progress")
    settle(page)
    start = page.evaluate("history.length")
    views: list[str] = []

    def change_section(name: str) -> None:
        page.locator(".st-key-progress_section").get_by_text(name, exact=True).click()
        expect(page).to_have_url(re.compile(rf"section={name}"))
        settle(page)

    change_section("Load")
    change_section("Pain")
    assert page.evaluate("history.length") == start, "a widget change added history"
    views.append(page.url)
    # five navigations: two runners, then three pages, with widget changes between
    for _, name, _ in [runners[2], runners[4]]:
        pick_runner(page, name)
        change_section("Screens")
        views.append(page.url)
    for title in ("Log", "Plan", "Progress"):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        expect(page).to_have_url(re.compile(rf"/{title.lower()}(\?|$)"))
        settle(page)
        if title == "Progress":
            change_section("Wellness")
        views.append(page.url)
    grown = page.evaluate("history.length") - start
    assert 5 <= grown <= 6, f"{grown} history entries for 5 navigations"
    # Back walks the page navigations in reverse (Plan, then Log). Walking further back, into
    # the runner picks, is not asserted: there Back sometimes lands one entry off, depending on
    # when Streamlit writes the left page's address (see issue notes).
    for before in reversed(views[-3:-1]):
        page.go_back()
        settle(page)
        was = urlparse(before)
        expect(page).to_have_url(re.compile(re.escape(f"{was.scheme}://{was.netloc}{was.path}?")))
        # the view is the page and its runner (a page's own settings, such as Progress's
        # section, can take the next page's address: Streamlit writes the new page's address
        # onto the old entry before it pushes the new path)
        assert query(page).get("athlete") == query_of(before).get("athlete"), (before, page.url)


LOCAL = {"127.0.0.1", "localhost", "[::1]"}


def test_nothing_is_fetched_from_another_host(server: str, projector: Page, runners) -> None:
    """Offline on a team's network the app must not need a font server (the favicon was a
    material symbol from fonts.gstatic.com) or any other host."""
    page = projector
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(urlparse(r.url).hostname or r.url))
    for name in ("progress", "team", "plan", "present", "log", "intake", "access"):
        page.goto(f"{server}/{name}")
        settle(page)
    pick_runner(page, runners[3][1])
    page.wait_for_timeout(500)
    assert hosts and all(h.startswith("data:") or h in LOCAL for h in hosts), set(hosts) - LOCAL
    assert not [h for h in hosts if "fonts.g" in h]


#: Names from the code that a person should never read on a page.
INTERNAL = ["None", "athlete_id", "week_start", "ewma_ratio", "_run", "screens.", "NaN"]
PAGES = ["intake", "plan", "present", "team", "progress", "log", "imports", "health", "access"]
PROGRESS_SECTIONS = ["Findings", "Screens", "Load", "Pain", "Health", "Adherence", "Calendar"]
PROGRESS_SECTIONS += ["Form", "Wellness", "Progression"]


def visible_text(page: Page) -> str:
    """The page's text as a person reads it, chart labels (SVG text) included."""
    return (
        page.locator("body").inner_text()
        + "\n"
        + " ".join(page.locator(".js-plotly-plot text").all_text_contents())
    )


def found(text: str, name: str) -> list[str]:
    """Each place `name` stands as a word of its own (`None`, not `Nonetheless`)."""
    pattern = re.escape(name)
    if name[0].isalnum():
        pattern = r"(?<![\w])" + pattern
    if name[-1].isalnum():
        pattern += r"(?![\w])"
    elif name.endswith("."):  # a field path (`screens.knee_to_wall_cm`), not a sentence's end
        pattern += r"(?=\w)"
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in re.finditer(pattern, text)]


def test_no_internal_names_on_any_page_as_a_coach(server: str, projector: Page, runners) -> None:
    """Every page (and every Progress section) at 1920 × 1080 for a runner with a plan, logs
    and pain, opened at its own address: none of the code's names in what is shown, and no
    "Page not found" (Intake, served at the root, is typed by name too)."""
    athlete = next(a for a, _, p in runners if p is not None)
    page = projector
    seen: dict[tuple[str, str], list[str]] = {}
    for view in PAGES:
        for section in PROGRESS_SECTIONS if view == "progress" else [""]:
            extra = f"&section={section}" if section else ""
            page.goto(f"{server}/{view}?athlete={athlete}{extra}")
            settle(page)
            page.wait_for_timeout(300)  # charts draw after the run
            text = visible_text(page)
            for name in [*INTERNAL, "Page not found"]:
                if hits := found(text, name):
                    seen[(f"{view} {section}".strip(), name)] = hits
    assert not seen, seen
