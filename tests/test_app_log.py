"""The log page through AppTest: planned and unplanned sessions, FIT, edit, delete, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.fitgen import write_run


def query(db_path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def open_log(db_path, athlete: int | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if athlete is not None:
        at.sidebar.selectbox[0].set_value(athlete).run()
    at.switch_page("pages/log.py").run()
    assert not at.exception
    return at


def unlogged_planned_session(db_path) -> tuple[int, date, int, int]:
    """A planned session of the current plan, not yet logged, on a day up to today."""
    rows = query(
        db_path,
        """
        SELECT p.athlete_id, s.day, s.week, s.position
        FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
        WHERE s.plan_id = (SELECT max(id) FROM plans q WHERE q.athlete_id = p.athlete_id)
          AND s.day <= current_date AND s.kind = 'strength'
          AND NOT EXISTS (SELECT 1 FROM session_logs l WHERE l.plan_id = s.plan_id
                          AND l.week = s.week AND l.position = s.position)
        ORDER BY s.day DESC, p.athlete_id LIMIT 1
        """,
    )
    assert rows, "the demo team has no unlogged planned strength session"
    return rows[0]


def count(db_path, table: str) -> int:
    return query(db_path, f"SELECT count(*) FROM {table}")[0][0]


@pytest.fixture
def logged(db_path):
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # builds the demo team
    return db_path


def test_log_a_planned_session_and_see_the_next_dose(logged):
    athlete, day, week, pos = unlogged_planned_session(logged)
    at = open_log(logged, athlete)
    at.date_input(key="log_day").set_value(day).run()
    prefix = f"p{week}_{pos}_"
    before = count(logged, "session_logs")
    at.number_input(key=f"{prefix}minutes").set_value(35.0)
    at.select_slider(key=f"{prefix}rpe").set_value(6)
    at.number_input(key=f"{prefix}ex0_amount").set_value(12)
    button(at, "Save log").click().run()
    assert not at.exception
    assert count(logged, "session_logs") == before + 1
    row = query(
        logged, "SELECT minutes, rpe, week, position FROM session_logs ORDER BY id DESC LIMIT 1"
    )[0]
    assert row == (35.0, 6.0, week, pos)
    text = "\n".join(m.value for m in at.markdown)
    assert "**Next dose**" in text
    assert any(s.value.startswith("Session saved") for s in at.success)


def test_log_an_unplanned_run(logged):
    at = open_log(logged)
    before = count(logged, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(42.0)
    at.number_input(key="u_km").set_value(7.5)
    at.number_input(key="u_cad").set_value(172.0)
    at.selectbox(key="u_pain0_region").set_value("calf")
    at.number_input(key="u_pain0_score").set_value(3)
    button(at, "Save log").click().run()
    assert not at.exception
    assert count(logged, "session_logs") == before + 1
    assert query(
        logged,
        "SELECT kind, run_km, cadence_spm, plan_id FROM session_logs ORDER BY id DESC LIMIT 1",
    )[0] == ("easy_run", 7.5, 172.0, None)
    assert query(logged, "SELECT region, score FROM pain_reports ORDER BY id DESC LIMIT 1")[0] == (
        "calf",
        3,
    )


def test_invalid_entry_keeps_typed_values_and_writes_nothing(logged):
    at = open_log(logged)
    before = (count(logged, "session_logs"), count(logged, "pain_reports"))
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(-5.0)
    at.number_input(key="u_km").set_value(500.0)
    at.text_area(key="u_note").set_value("felt heavy")
    at.selectbox(key="u_pain0_region").set_value("calf")
    at.number_input(key="u_pain0_score").set_value(3)
    button(at, "Save log").click().run()
    assert (count(logged, "session_logs"), count(logged, "pain_reports")) == before
    errors = " ".join(e.value for e in at.error)
    assert "greater than 0" in errors or "between" in errors
    assert "100" in errors  # the distance limit is named
    assert at.number_input(key="u_km").value == 500.0
    assert at.text_area(key="u_note").value == "felt heavy"


def test_future_day_is_refused(logged):
    at = open_log(logged)
    at.date_input(key="log_day").set_value(date.today() + timedelta(days=400)).run()
    before = count(logged, "session_logs")
    at.selectbox(key="u_kind").set_value("strength")
    button(at, "Save log").click().run()
    assert count(logged, "session_logs") == before
    assert any("in the future" in e.value for e in at.error)


def test_fit_upload_fills_the_run_and_refuses_a_duplicate(logged, tmp_path):
    data = write_run(
        None,
        seconds=1200,
        cadence_spm=171.0,
        stance_ms=245.0,
        vo_mm=82.0,
        vertical_ratio=7.4,
        balance=49.8,
    )
    at = open_log(logged)
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(("run.fit", data, "application/octet-stream"))
    button(at, "Save log").click().run()
    assert not at.exception
    row = query(
        logged,
        "SELECT cadence_spm, ground_contact_ms, vertical_oscillation_cm, "
        "minutes, fit_sha256 FROM session_logs ORDER BY id DESC LIMIT 1",
    )[0]
    assert abs(row[0] - 171) < 0.6 and abs(row[1] - 245) < 0.6 and abs(row[2] - 8.2) < 0.01
    assert abs(row[3] - 20) < 0.1 and len(row[4]) == 64
    records = query(
        logged, "SELECT count(*) FROM run_records WHERE log_id = (SELECT max(id) FROM session_logs)"
    )[0][0]
    assert records >= 1000
    before = count(logged, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(("run.fit", data, "application/octet-stream"))
    button(at, "Save log").click().run()
    assert count(logged, "session_logs") == before
    assert any("already logged" in e.value for e in at.error)


def test_a_jpeg_named_fit_is_refused(logged):
    at = open_log(logged)
    before = count(logged, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(
        ("photo.fit", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "application/octet-stream")
    )
    button(at, "Save log").click().run()
    assert count(logged, "session_logs") == before
    assert any("JPEG" in e.value for e in at.error)


def test_edit_and_delete_with_confirmation(logged):
    at = open_log(logged, 1)
    chosen = at.selectbox(key="open_log").value
    prefix = f"e{chosen}_"
    at.number_input(key=f"{prefix}minutes").set_value(77.0)
    button(at, "Save changes").click().run()
    assert not at.exception
    assert query(logged, "SELECT minutes FROM session_logs WHERE id = ?", [chosen])[0][0] == 77.0
    delete = button(at, "Delete session")
    assert delete.disabled
    at.checkbox(key=f"del_confirm_{chosen}").check().run()
    button(at, "Delete session").click().run()
    assert query(logged, "SELECT count(*) FROM session_logs WHERE id = ?", [chosen])[0][0] == 0


def test_comments_from_runner_and_coach(logged):
    at = open_log(logged, 1)
    chosen = at.selectbox(key="open_log").value
    at.text_area(key=f"body_{chosen}").set_value("Calves tight after this one")
    button(at, "Add comment").click().run()
    at.radio(key=f"author_{chosen}").set_value("coach")
    at.text_area(key=f"body_{chosen}").set_value("Add the calf stretch after runs")
    button(at, "Add comment").click().run()
    assert query(
        logged, "SELECT author, body FROM comments WHERE log_id = ? ORDER BY id", [chosen]
    ) == [("runner", "Calves tight after this one"), ("coach", "Add the calf stretch after runs")]


def test_checkins(logged):
    at = open_log(logged, 1)
    at.date_input(key="log_day").set_value(date.today()).run()
    at.selectbox(key="mp_region").set_value("knee")
    at.number_input(key="mp_score").set_value(2)
    button(at, "Save morning check").click().run()
    at.number_input(key="w_hours").set_value(6.5)
    at.select_slider(key="w_fatigue").set_value(2)
    button(at, "Save wellness").click().run()
    assert not at.exception
    assert query(logged, 'SELECT region, score, "when" FROM pain_reports ORDER BY id DESC LIMIT 1')[
        0
    ] == ("knee", 2, "next_morning")
    assert query(
        logged,
        "SELECT sleep_hours, fatigue FROM wellness WHERE athlete_id = 1 AND day = current_date",
    )[0] == (6.5, 2)
