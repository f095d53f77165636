"""The calendar on a projector (1920 × 1080): a runner's month of sessions coloured by compliance,
a click that opens a done session's log, and the fitness, fatigue and form chart drawn."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from runform import clock
from tests.e2e.conftest import ARTIFACTS, click_and_settle, settle


def test_the_month_calendar_and_the_fitness_chart_on_a_projector(
    server: str, projector: Page
) -> None:
    page = projector
    shown = clock.today() - timedelta(days=7)  # a month with sessions done, whatever the day
    page.goto(f"{server}/progress?athlete=1&section=Calendar&cal_day={shown.isoformat()}")
    settle(page)
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    # The month: seven columns a week, each session a link on its compliance colour.
    links = page.locator('[data-testid="stPageLink"] a')
    expect(links.first).to_be_visible()
    assert links.count() >= 5
    coloured = page.locator(
        '[data-testid="stPageLink"] span[class*="background"], '
        '[data-testid="stPageLink"] span[style*="background"]'
    )
    assert coloured.count() >= 5, page.locator('[data-testid="stPageLink"]').first.inner_html()
    colours = {
        coloured.nth(i).evaluate("e => getComputedStyle(e).backgroundColor")
        for i in range(min(coloured.count(), 40))
    }
    assert colours and not colours & {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}, colours
    expect(page.get_by_text("Rest").first).to_be_visible()
    box = links.first.bounding_box()
    assert box is not None and box["width"] < 1920 / 7  # a column of the week, not a list
    # The fitness chart: drawn, with its note.
    chart = page.locator(".js-plotly-plot .main-svg").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    expect(page.locator(".js-plotly-plot .scatterlayer .trace").first).to_be_attached()
    expect(page.get_by_text("no prediction of injury", exact=False)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator('[data-testid="stPageLink"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "calendar-1920x1080.png"))

    # A done session opens its log: the Log's History at that day.
    done = page.locator('[data-testid="stPageLink"] a').filter(has_text="check_circle").first
    click_and_settle(page, done)
    expect(page).to_have_url(re.compile(r"/log\?.*log_tab=History"))
    expect(page.get_by_role("heading", name="Training log")).to_be_visible()
