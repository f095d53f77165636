"""A real `streamlit run` server on a temporary database, and headless Chromium to drive it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages.core.style import MIN_TARGET_PX
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def settle(page) -> None:
    """Wait until Streamlit has finished the script run and dropped the stale elements.

    Right after `goto` this waits for the page's first run: until then the state is "initial".
    After a click it may return before the rerun starts: wait for what the click shows first.
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-stale="true"]');
        }"""
    )


def small_targets(page) -> list[str]:
    """Every visible button, text or number box, select and checkbox, radio or toggle label in
    the page's main area whose box is under 44 px tall (buttons: or narrow). The small parts
    inside a control (a chip's ×, a help icon) are not targets of their own here."""
    found: list[str] = page.evaluate(
        """(min) => {
            const main = document.querySelector('[data-testid="stMain"]');
            // the controls a finger aims at: buttons, and each box as a whole (a select's
            // chevron, a chip's ×, a date's calendar icon or a help icon is part of a larger
            // target, not one of its own, nor is a filled box's "clear value" ×)
            const sel = ['button', '.react-aria-ComboBox > [role="group"]',
                         '[data-testid="stDateInputField"]',
                         '[data-testid="stTextInputRootElement"]',
                         '[data-testid="stNumberInputContainer"]',
                         '[data-testid="stCheckbox"] label', '[data-testid="stRadio"] label'];
            const part = '.react-aria-ComboBox [role="group"] button, [data-testid="stDateInput"] '
                + 'button, [data-testid="stTooltipIcon"] *, [data-testid="stElementToolbar"] *, '
                + 'button[aria-label="Clear value"]';
            const out = [];
            for (const el of main.querySelectorAll(sel.join(','))) {
                if (el.matches(part)) continue;
                const r = el.getBoundingClientRect();
                if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
                const narrow = el.tagName === 'BUTTON' && r.width < min;
                if (r.height < min - 0.5 || narrow)
                    out.push(`${el.tagName} ${(el.innerText || el.getAttribute('aria-label')
                        || el.getAttribute('type') || '').trim().slice(0, 30)}: `
                        + `${Math.round(r.width)}×${Math.round(r.height)}`);
            }
            return out;
        }""",
        MIN_TARGET_PX,
    )
    return found


def click_and_settle(page, target) -> None:
    """Click, then wait for the run the click starts to finish.

    `settle` alone may look before the rerun has begun and see the last run's page. This counts
    changes of the app's script state from before the click; a click that starts no run (an
    option already chosen) is given a second to start one.
    """
    page.evaluate(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (window.__runformRuns) window.__runformRuns.disconnect();
            window.__runformChanges = 0;
            window.__runformRuns = new MutationObserver((records) => {
                window.__runformChanges += records.length;
            });
            window.__runformRuns.observe(
                app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }"""
    )
    target.click()
    with contextlib.suppress(PlaywrightTimeout):  # a click that starts no run
        page.wait_for_function("() => window.__runformChanges > 0", timeout=1000)
    settle(page)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: browser tests cannot run")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def snapshot(db: Path, copy: Path) -> Path:
    """A copy of a running server's database file and its write-ahead log, for a test to query
    (DuckDB lets one process write the file itself, and the server holds it)."""
    shutil.copy(db, copy)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return copy


@dataclass
class Server:
    """One `streamlit run app.py` process: its address, database file and log."""

    url: str
    db: Path
    log: Path
    proc: subprocess.Popen
    out: IO[str]

    def wait_ready(self, timeout: float = 60) -> Server:
        """Block until Streamlit answers its health check; no page is requested."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"streamlit did not start:\n{self.log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.close()


@pytest.fixture
def start_server(tmp_path: Path, browser, demo_template: Path) -> Iterator[Callable[..., Server]]:
    """A factory of servers: `start_server(env=None, db=None)` returns a running `Server`.

    Each server gets a free localhost port and a folder of its own under tmp_path; its database is
    `db` when given (prepared by the test), else a fresh copy of the demo team. `env` adds to the
    environment (RUNFORM_TODAY is already there, from tests/conftest.py). No page is visited, so
    the test's first request is the server's first. Every server is stopped when the test ends.
    """
    started: list[Server] = []

    def start(env: dict[str, str] | None = None, db: Path | None = None) -> Server:
        folder = tmp_path / f"server{len(started)}"
        folder.mkdir()
        if db is None:
            db = folder / "e2e.duckdb"
            shutil.copy(demo_template, db)
        # Open demo mode unless the test sets a password: not one from the developer's shell.
        inherited = {k: v for k, v in os.environ.items() if k != "RUNFORM_COACH_PASSWORD_HASH"}
        port = _free_port()
        log = folder / "streamlit.log"
        out = open(log, "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env={**inherited, "RUNFORM_DB": str(db), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", db, log, proc, out)
        started.append(server)
        return server.wait_ready()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(start_server: Callable[..., Server], demo_template: Path, tmp_path: Path) -> str:
    """`streamlit run app.py` on a copy of the demo team in open demo mode (no coach password);
    its database file is tmp_path / "e2e.duckdb". Its address, never visited yet."""
    db = tmp_path / "e2e.duckdb"
    shutil.copy(demo_template, db)
    return start_server(db=db).url


@pytest.fixture
def db_copy(server: str, tmp_path: Path) -> Path:
    """A snapshot of the `server` fixture's database, for tests to query."""
    return snapshot(tmp_path / "e2e.duckdb", tmp_path / "snapshot.duckdb")


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    yield page
    ctx.close()


@pytest.fixture
def projector(browser):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    yield page
    ctx.close()
