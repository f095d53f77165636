"""A runner on a phone fills a short self-assessment in a real browser and sees the findings."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from runform.screens import load_catalogue
from tests.e2e.conftest import ARTIFACTS, settle


def step(page: Page, n: int) -> None:
    """Wait for step n, and for the previous step's form to be gone (a save reruns the page)."""
    expect(page.get_by_text(re.compile(rf"^Step {n} of \d+"))).to_be_visible()
    settle(page)
    expect(page.get_by_test_id("stForm")).to_have_count(1)


def test_self_assessment_on_a_phone(server: str, phone: Page) -> None:
    page = phone
    page.goto(f"{server}/?mode=self")
    expect(page.get_by_role("heading", name="Intake assessment")).to_be_visible()
    step(page, 1)
    page.get_by_role("button", name="Next").click()  # profile of the demo runner, kept as is
    step(page, 2)
    page.get_by_role("button", name="Next").click()  # no pain today
    step(page, 3)
    expect(page.get_by_text("Face a wall barefoot")).to_be_visible()
    page.get_by_role("spinbutton", name="Left").fill("7")
    page.get_by_role("spinbutton", name="Right").fill("9.5")
    page.get_by_role("button", name="Next").click()
    screens = load_catalogue().screens
    for n in range(4, len(screens) + 3):
        step(page, n)
        page.get_by_role("button", name="Skip this test").click()
    step(page, len(screens) + 3)
    expect(page.get_by_text("1 of 18 tests done")).to_be_visible()
    page.get_by_role("button", name="Save assessment").click()
    settle(page)
    expect(page.get_by_text("Assessment saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Limited ankle dorsiflexion")).to_be_visible()
    expect(page.get_by_role("heading", name="Left-right ankle difference")).to_be_visible()
    expect(page.get_by_text("Bennell et al. 1998").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "intake-phone.png"), full_page=True)
