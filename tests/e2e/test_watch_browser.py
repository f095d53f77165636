"""On a projector, the coach opens a plan with a structured interval session, reads its steps,
downloads its watch workout (a FIT file that decodes as a workout), the week's workouts and the
printable plan (each built when its button is clicked) and presents it step by step.

The plan is built by hand and stored in the server's database before it starts (tests/structured
.py), so this journey does not depend on how the planner shapes its sessions.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests import structured
from tests.e2e.conftest import ARTIFACTS, Server, settle


def test_coach_downloads_an_interval_workout_for_the_watch(
    start_server: Callable[..., Server], projector: Page, demo_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "watch.duckdb"
    shutil.copy(demo_template, db)
    plan_id = structured.seed(db, 1)
    server = start_server(db=db)
    page = projector

    page.goto(f"{server.url}/plan?athlete=1&plan={plan_id}&week=1")
    settle(page)
    expect(page.get_by_role("heading", name="Training plan")).to_be_visible()
    expect(page.get_by_role("heading", name="Week 1 · Build · 18 km")).to_be_visible()
    steps = page.get_by_text(structured.INTERVALS_TEXT, exact=True)
    expect(steps).to_be_visible()
    expect(page.get_by_text(re.compile(r"× 800 m"))).to_have_count(1)

    buttons = page.get_by_test_id("stDownloadButton")
    expect(
        buttons.filter(has_text=re.compile(r"Watch workouts for week 1 \(ZIP\)"))
    ).to_be_visible()
    fit_buttons = buttons.filter(has_text=re.compile(r"Watch workout$"))
    expect(fit_buttons).to_have_count(2)  # the interval session and the easy run
    with page.expect_download() as info:
        fit_buttons.first.click()  # Tuesday's intervals: the first run of the week
    download = info.value
    assert download.suggested_filename.endswith("-intervals.fit"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    kind, fit_steps = structured.fit_workout(saved.read_bytes())
    assert kind == "workout"
    assert [s.get("duration_type") for s in fit_steps] == [
        "time",
        "distance",
        "distance",
        "repeat_until_steps_cmplt",
        "time",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-steps-projector.png"))

    # The week's workouts and the printable plan: built on the server when clicked.
    settle(page)
    with page.expect_download() as info:
        buttons.filter(has_text=re.compile(r"Watch workouts for week 1 \(ZIP\)")).click()
    zipped = tmp_path / info.value.suggested_filename
    info.value.save_as(zipped)
    assert zipped.name.endswith("-week-01-workouts.zip"), zipped.name
    with zipfile.ZipFile(zipped) as zf:
        assert len(zf.namelist()) == 2
        assert all(structured.fit_workout(zf.read(n))[0] == "workout" for n in zf.namelist())
    settle(page)  # a download's click reruns the script: wait before the next click
    page.get_by_role("tab", name="Export").click()
    pdf = page.get_by_role("button", name="Printable plan (PDF)")
    expect(pdf).to_be_enabled()
    with page.expect_download(timeout=60_000) as info:
        pdf.click()
    assert info.value.suggested_filename.endswith("-plan.pdf"), info.value.suggested_filename
    printed = tmp_path / info.value.suggested_filename
    info.value.save_as(printed)
    assert printed.read_bytes().startswith(b"%PDF")
    page.get_by_role("tab", name="Calendar").click()

    # Present the session: the steps large, and the step timer walking through them.
    page.get_by_role("link", name="Present").first.click()
    next_step = page.get_by_role("button", name="Next step ▶")
    expect(next_step).to_be_visible()
    settle(page)
    expect(page.get_by_role("heading", name=re.compile(r"^Warm-up · 15 min easy"))).to_be_visible()
    next_step.click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Rep 1 of 6 · 800 m at 4:48–5:00 \/km"))
    ).to_be_visible()
    settle(page)
    expect(page.get_by_text(re.compile(r"^Next: Recovery 1 of 6 · 400 m jog"))).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "present-steps-projector.png"))
    log = server.log.read_text()
    assert "Traceback" not in log, log
