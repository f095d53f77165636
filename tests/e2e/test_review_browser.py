"""The team reviews progress on a projector: flags first, then one runner's charts."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS, settle

# Screenshots land in test-artifacts/; RUNFORM_UPDATE_SCREENSHOTS=1 refreshes the README's own.
SHOTS = ROOT / "docs" if os.environ.get("RUNFORM_UPDATE_SCREENSHOTS") == "1" else ARTIFACTS


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path))
    return path


def test_team_flags_then_a_runner_on_a_projector(server: str, projector: Page) -> None:
    page = projector
    page.goto(f"{server}/team")
    settle(page)
    expect(page.get_by_role("heading", name="Team")).to_be_visible()
    expect(page.get_by_text("Need attention")).to_be_visible()
    expect(page.get_by_text("Pain above the model").first).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg")).not_to_have_count(0)
    page.wait_for_timeout(800)  # the grid and the charts draw after the page settles
    assert shot(page, "team.png").stat().st_size > 10_000

    box = grid.bounding_box()
    assert box is not None
    # The row-selection box sits at the left of the first data row (under a 35 px header).
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    settle(page)
    expect(page).to_have_url(re.compile(r"/progress(\?|$)"))
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.get_by_text("Small wins")).to_be_visible()
    charts = page.locator(".js-plotly-plot")
    expect(charts.first).to_be_visible()
    page.get_by_text("Screens", exact=True).click()
    settle(page)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    page.wait_for_timeout(800)
    assert shot(page, "runner.png").stat().st_size > 10_000
