"""A real `streamlit run` server on a temporary database, and headless Chromium to drive it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    """Wait until Streamlit has finished the script run and dropped the stale elements."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-stale="true"]');
        }"""
    )


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


@pytest.fixture
def db_copy(server: str, tmp_path: Path) -> Path:
    """A snapshot of the server's database (made by its first run), for tests to query."""
    import shutil

    copy = tmp_path / "snapshot.duckdb"
    shutil.copy(tmp_path / "e2e.duckdb", copy)
    wal = tmp_path / "e2e.duckdb.wal"
    if wal.exists():
        shutil.copy(wal, tmp_path / "snapshot.duckdb.wal")
    return copy


@pytest.fixture
def server(tmp_path: Path, browser) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port and a fresh database with the demo team.

    One visit to the home page first, as on any real server: the first run switches off
    Streamlit's legacy pages/ mode (see pages/common.py), so deep links work from then on.
    """
    port = _free_port()
    env = {**os.environ, "RUNFORM_DB": str(tmp_path / "e2e.duckdb")}
    log = open(tmp_path / "streamlit.log", "w")  # noqa: SIM115
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
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"streamlit did not start:\n{(tmp_path / 'streamlit.log').read_text()}")
        time.sleep(0.3)
    warm = browser.new_page()
    warm.goto(url)
    warm.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
    settle(warm)
    warm.close()
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


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
