"""The calendar feed on a real `streamlit run app.py` server: app.py's `st.App` serves
/feed/<token>.ics beside the pages. A valid link's token gets text/calendar that icalendar parses;
a revoked, expired or unknown one gets 403 and no data; the pages are still served."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import duckdb
import icalendar
import pytest

from runform import clock
from runform.store import links
from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


@pytest.fixture
def served(tmp_path: Path, demo_template: Path):
    """A server on a copy of the demo team with three links of runner 1 made before it starts:
    valid, revoked and expired (DuckDB lets one process hold the file, so they are written
    first)."""
    db = tmp_path / "feed.duckdb"
    shutil.copy(demo_template, db)
    now = clock.now()
    con = duckdb.connect(str(db))
    try:
        valid = links.create(con, 1, 30, now)[1]
        revoked_id, revoked = links.create(con, 1, 30, now)
        links.revoke(con, revoked_id, now)
        expired = links.create(con, 1, 1, now - timedelta(days=2))[1]
        name = con.execute(
            "SELECT profile ->> 'name' FROM assessments WHERE athlete_id = 1 "
            "ORDER BY assessed_on DESC, id DESC LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "RUNFORM_COACH_PASSWORD_HASH"}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
            + ["--server.port", str(port), "--server.address", "127.0.0.1"]
            + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT,
            env={**env, "RUNFORM_DB": str(db)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while get_health(url) != 200:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield url, {"valid": valid, "revoked": revoked, "expired": expired}, name
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def get_health(url: str) -> int | None:
    try:
        return get(f"{url}/_stcore/health")[0]
    except OSError:
        return None


def test_the_server_serves_the_feed_and_refuses_what_a_link_no_longer_opens(served):
    url, tokens, name = served
    status, kind, body = get(f"{url}/feed/{tokens['valid']}.ics")
    assert status == 200 and kind.startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["X-WR-CALNAME"]) == f"RunForm: {name}"
    assert len(parsed.walk("VEVENT")) > 0
    for which in ("revoked", "expired"):
        status, kind, body = get(f"{url}/feed/{tokens[which]}.ics")
        assert status == 403, which
        assert b"VCALENDAR" not in body and name.encode() not in body
    status, _, body = get(f"{url}/feed/{'x' * 43}.ics")
    assert status == 403 and b"VCALENDAR" not in body
    assert get(f"{url}/plan")[0] == 200  # the pages are still the app's


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None  # the redirect itself is what is looked at


def test_the_home_page_typed_by_name_goes_to_the_root_with_its_settings(served):
    """Streamlit serves Intake at `/`; `/intake` typed by hand would say "Page not found"."""
    url, _, _ = served
    opener = urllib.request.build_opener(_Stay)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(f"{url}/intake?athlete=3&intake_mode=self", timeout=10)
    assert moved.value.code == 307
    assert moved.value.headers["Location"] == "./?athlete=3&intake_mode=self"
    with pytest.raises(urllib.error.HTTPError) as bare:
        opener.open(f"{url}/intake", timeout=10)
    assert bare.value.headers["Location"] == "./"
    status, kind, _ = get(f"{url}/intake?athlete=3")  # followed: the app's page at the root
    assert status == 200 and kind.startswith("text/html")
