"""A coach generates a plan, swaps an exercise and opens present mode, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, settle


def test_coach_generates_swaps_and_presents(server: str, projector: Page) -> None:
    page = projector
    page.goto(f"{server}/plan?athlete=2")
    settle(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("heading", name="Training plan")).to_be_visible()
    page.get_by_text("Generate a new plan").click()
    page.get_by_role("button", name="Generate plan").click()
    settle(page)
    expect(page).to_have_url(re.compile(r"plan=\d+"))
    expect(page.get_by_role("combobox", name="Version")).to_have_value("v1 — current: generated")

    page.get_by_role("tab", name="Edit").click()
    swap_to = page.get_by_role("combobox", name="Swap to")
    swap_to.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="Swap", exact=True).click()
    settle(page)
    expect(page.get_by_role("combobox", name="Version")).to_have_value(
        re.compile(r"^v2 — current: week 1: swapped")
    )

    page.get_by_role("tab", name="Calendar").click()
    page.get_by_role("link", name="Present").first.click()
    # Only present mode has this button: until it shows, the Plan page (with its own "Week 1"
    # texts) may still be there, and settle could return before the rerun has even started.
    expect(page.get_by_role("button", name="Next ▶")).to_be_visible()
    settle(page)
    expect(page.get_by_text(re.compile(r"^Week 1"))).to_be_visible()
    expect(page.get_by_text("Cues")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/present\?.*session=0"))
    expect(page.get_by_text(re.compile(r"Session 1 of \d+"))).to_be_visible()
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_text(re.compile(r"Session 2 of \d+"))).to_be_visible()
    settle(page)
    expect(page).to_have_url(re.compile(r"session=1"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "present-projector.png"))
