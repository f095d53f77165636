"""A runner on a phone fills a short self-assessment in a real browser and sees the findings;
what they touch is at least 44 px, and the coach's findings read in words, never in ids."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from runform.screens import load_catalogue
from runform.vocab import FINDING_IDS
from tests.e2e.conftest import ARTIFACTS, settle, small_targets

# What only the code should ever say: screen, fault and finding ids (those that are not also plain
# words: "overstride" is English, "knee_valgus" is not), a field path, a missing value.
CATALOGUE = load_catalogue().screens
IDS = [s.id for s in CATALOGUE] + [f for s in CATALOGUE for f in s.faults or []] + [*FINDING_IDS]
INTERNAL = [i for i in IDS if "_" in i] + ["None", "screens."]


def step(page: Page, n: int) -> None:
    """Wait for step n, and for the previous step's form to be gone (a save reruns the page)."""
    expect(page.get_by_text(re.compile(rf"^Step {n} of \d+"))).to_be_visible()
    settle(page)
    expect(page.get_by_test_id("stForm")).to_have_count(1)


def leaks(text: str) -> list[str]:
    """The internal names in `text` (as whole words)."""
    return [n for n in INTERNAL if re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", text)]


def test_self_assessment_on_a_phone(server: str, phone: Page) -> None:
    page = phone
    page.goto(f"{server}/?mode=self")
    expect(page.get_by_role("heading", name="Intake assessment")).to_be_visible()
    step(page, 1)
    steps = len(CATALOGUE) + 3
    expect(
        page.get_by_text(re.compile(rf"^Step 1 of {steps}: About you · .* min left"))
    ).to_be_visible()
    assert small_targets(page) == [], "\n".join(small_targets(page))
    page.get_by_role("button", name="Next").click()  # profile of the demo runner, kept as is
    step(page, 2)
    page.get_by_text("No pain today").click()  # the rows go at once
    expect(page.get_by_text("No pain today: nothing to add.")).to_be_visible()
    step(page, 2)
    expect(page.get_by_role("combobox", name="Pain 1: where")).to_have_count(0)
    assert small_targets(page) == [], "\n".join(small_targets(page))
    page.get_by_role("button", name="Next").click()
    step(page, 3)
    expect(page.get_by_text("Face a wall barefoot")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Ankle and foot · about \d+ min left"))).to_be_visible()
    # an impossible value: its error, in words, under that side's field in the stacked layout
    left = page.get_by_role("spinbutton", name="Left")
    right = page.get_by_role("spinbutton", name="Right")
    left.fill("45")
    right.fill("9.5")
    page.get_by_role("button", name="Next").click()
    error = page.get_by_text("Knee-to-wall (weight-bearing lunge), left: 45 cm is outside")
    expect(error).to_be_visible()
    settle(page)
    assert small_targets(page) == [], "\n".join(small_targets(page))
    boxes = [x.bounding_box() for x in (left, error, right)]
    assert all(boxes)
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"], boxes  # left, its error, then right
    assert "screens." not in page.inner_text("body")
    left.fill("7")
    page.get_by_role("button", name="Next").click()
    for n in range(4, len(CATALOGUE) + 3):
        step(page, n)
        page.get_by_role("button", name="Skip this test").click()
    step(page, steps)
    expect(page.get_by_text("1 of 18 tests done")).to_be_visible()
    expect(page.get_by_text("No pain today.")).to_be_visible()
    page.get_by_role("button", name="Save assessment").click()
    settle(page)
    expect(page.get_by_text("Assessment saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Limited ankle dorsiflexion")).to_be_visible()
    expect(page.get_by_role("heading", name="Left-right ankle difference")).to_be_visible()
    expect(page.get_by_text("Bennell et al. 1998").first).to_be_visible()
    expect(
        page.get_by_text("Knee-to-wall (weight-bearing lunge): left 7 cm, right 9.5 cm, difference")
    ).to_be_visible()
    body = page.inner_text("body")
    assert leaks(body) == [], [
        body[max(0, body.find(n) - 200) : body.find(n) + 50] for n in leaks(body)
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "intake-phone.png"), full_page=True)
