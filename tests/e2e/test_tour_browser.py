"""Every page as the coach sees it on a projector and as a phone shows it: drawn whole, without
an error, without sideways scrolling of the page itself, and photographed for docs/screens/.

RUNFORM_UPDATE_SCREENSHOTS=1 writes the pictures into docs/screens/ (README shows them);
otherwise they land in test-artifacts/ for a look after a failed run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS, settle, small_targets

SHOTS = (
    ROOT / "docs" / "screens"
    if os.environ.get("RUNFORM_UPDATE_SCREENSHOTS") == "1"
    else ARTIFACTS / "screens"
)
# page, address and the heading it draws; the runner with a knee flare-up has the most to show
PAGES = [
    ("intake", "intake?athlete=3", "Intake"),
    ("log", "log?athlete=3", "Log"),
    ("imports", "imports?athlete=3", "Import activities"),
    ("health", "health?athlete=8&health_tab=Return+to+run", "Health"),  # the runner on the ladder
    ("plan", "plan?athlete=3", "Plan"),
    ("present", "present?athlete=3", None),  # headed by the session it presents
    ("team", "team", "Team"),
    ("progress", "progress?athlete=3", "Progress"),
    ("access", "access?athlete=3", "Access"),
]


def visit(page: Page, server: str, address: str, heading: str | None) -> None:
    page.goto(f"{server}/{address}")
    settle(page)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    assert page.get_by_test_id("stMain").inner_text().strip(), address
    page.wait_for_timeout(600)  # grids and charts draw after the script run ends


def check_and_shoot(page: Page, name: str) -> Path:
    assert page.get_by_test_id("stException").count() == 0, name
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name}: the page scrolls sideways by {overflow} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000, name  # a drawn page, not a blank one
    return path


@pytest.mark.parametrize(("name", "address", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_on_a_projector(server: str, projector: Page, name, address, heading) -> None:
    visit(projector, server, address, heading)
    check_and_shoot(projector, f"{name}-1920x1080")


@pytest.mark.parametrize(("name", "address", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_on_a_phone(server: str, phone: Page, name, address, heading) -> None:
    """As on a projector, and every control a finger aims at is at least 44 px."""
    visit(phone, server, address, heading)
    check_and_shoot(phone, f"{name}-390x844")
    small = small_targets(phone)
    assert small == [], f"{name}: " + "; ".join(small)
