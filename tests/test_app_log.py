"""The log page through AppTest: planned and unplanned sessions, FIT, edit, delete, bad input.

Every widget is found by its key, never by the order of labels: which planned sessions (each with
its own "Save log" button) come first depends on the day the suite runs.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from runform import clock
from runform.services import plans, training_log
from tests.activitygen import fixture, gpx, tcx
from tests.apptest import open_page, runner_link
from tests.fitgen import write_run


def query(db_path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def open_log(
    athlete: int | None = None, *, runner: str | None = None, tab: str | None = None
) -> AppTest:
    """The Log page as the address opens it: for `athlete` picked in the sidebar (the first
    runner when None), or through a runner's personal link; on its `tab` (only the open tab
    runs)."""
    params = {"athlete": str(athlete)} if athlete is not None else {}
    if runner is not None:
        params["runner"] = runner
    if tab is not None:
        params["log_tab"] = tab
    at = open_page("log", params)
    assert not at.exception, at.exception
    assert "Training log" in [t.value for t in at.title]
    if athlete is not None and runner is None:
        assert at.sidebar.selectbox[0].value == athlete
    return at


def picked(at: AppTest) -> int:
    """The runner chosen in the sidebar."""
    return at.sidebar.selectbox[0].value


def unlogged_planned_session(db_path) -> tuple[int, int, date, int, int]:
    """A planned strength session of a current plan, not yet logged, on a day up to today:
    (athlete, plan, day, week, position)."""
    rows = query(
        db_path,
        """
        SELECT p.athlete_id, s.plan_id, s.day, s.week, s.position
        FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
        WHERE s.plan_id = (SELECT max(id) FROM plans q WHERE q.athlete_id = p.athlete_id)
          AND s.day <= ? AND s.kind = 'strength'
          AND NOT EXISTS (SELECT 1 FROM session_logs l WHERE l.plan_id = s.plan_id
                          AND l.week = s.week AND l.position = s.position)
        ORDER BY s.day DESC, p.athlete_id LIMIT 1
        """,
        [clock.today()],
    )
    assert rows, "the demo team has no unlogged planned strength session"
    return rows[0]


def count(db_path, table: str) -> int:
    return query(db_path, f"SELECT count(*) FROM {table}")[0][0]


def newest_log(db_path) -> int:
    return query(db_path, "SELECT max(id) FROM session_logs")[0][0]


def test_log_a_planned_session_and_see_the_next_dose(demo_db):
    athlete, plan_id, day, week, pos = unlogged_planned_session(demo_db)
    at = open_log(athlete)
    at.date_input(key="log_day").set_value(day).run()
    assert not at.exception
    prefix = f"p{week}_{pos}_"
    before = count(demo_db, "session_logs")
    at.number_input(key=f"{prefix}minutes").set_value(35.0)
    at.select_slider(key=f"{prefix}rpe").set_value(6)
    at.number_input(key=f"{prefix}ex0_amount").set_value(12)
    at.button(key=f"{prefix}save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before + 1
    row = query(
        demo_db,
        "SELECT athlete_id, day, minutes, rpe, plan_id, week, position FROM session_logs "
        "ORDER BY id DESC LIMIT 1",
    )[0]
    assert row == (athlete, day, 35.0, 6.0, plan_id, week, pos)
    text = "\n".join(m.value for m in at.markdown)
    assert "**Next dose**" in text
    assert any(s.value == f"Session saved (log {newest_log(demo_db)})." for s in at.success)


def test_log_an_unplanned_run(demo_db):
    at = open_log(tab="Unplanned session")
    athlete = picked(at)
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(42.0)
    at.number_input(key="u_km").set_value(7.5)
    at.number_input(key="u_cad").set_value(172.0)
    at.selectbox(key="u_pain0_region").set_value("calf")
    at.number_input(key="u_pain0_score").set_value(3)
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before + 1
    log_id = newest_log(demo_db)
    assert query(
        demo_db,
        "SELECT athlete_id, day, kind, minutes, run_km, cadence_spm, plan_id "
        "FROM session_logs WHERE id = ?",
        [log_id],
    )[0] == (athlete, clock.today(), "easy_run", 42.0, 7.5, 172.0, None)
    assert query(
        demo_db, 'SELECT region, score, "when" FROM pain_reports WHERE log_id = ?', [log_id]
    ) == [("calf", 3, "during_run")]
    assert any(s.value == f"Session saved (log {log_id})." for s in at.success)


def test_invalid_entry_keeps_typed_values_and_writes_nothing(demo_db):
    at = open_log(tab="Unplanned session")
    before = (count(demo_db, "session_logs"), count(demo_db, "pain_reports"))
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(-5.0)
    at.number_input(key="u_km").set_value(500.0)
    at.text_area(key="u_note").set_value("felt heavy")
    at.selectbox(key="u_pain0_region").set_value("calf")
    at.number_input(key="u_pain0_score").set_value(3)
    at.button(key="u_save").click().run()
    assert not at.exception
    assert (count(demo_db, "session_logs"), count(demo_db, "pain_reports")) == before
    errors = [e.value for e in at.error]
    assert any("greater than 0" in e for e in errors), errors  # the minutes
    assert any("between 0 and 100" in e and "500" in e for e in errors), errors  # the distance
    assert any("Nothing was saved" in e for e in errors), errors
    assert not at.success
    assert at.selectbox(key="u_kind").value == "easy_run"
    assert at.number_input(key="u_minutes").value == -5.0
    assert at.number_input(key="u_km").value == 500.0
    assert at.text_area(key="u_note").value == "felt heavy"
    assert at.selectbox(key="u_pain0_region").value == "calf"
    assert at.number_input(key="u_pain0_score").value == 3


def test_future_day_is_refused(demo_db):
    at = open_log(tab="Unplanned session")
    at.date_input(key="log_day").set_value(clock.today() + timedelta(days=400)).run()
    assert not at.exception
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("strength")
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before
    assert any("in the future" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success


def test_fit_upload_fills_the_run_and_refuses_a_duplicate(demo_db):
    data = write_run(
        None,
        seconds=1200,
        cadence_spm=171.0,
        stance_ms=245.0,
        vo_mm=82.0,
        vertical_ratio=7.4,
        balance=49.8,
    )
    at = open_log(tab="Unplanned session")
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(("run.fit", data, "application/octet-stream"))
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before + 1
    row = query(
        demo_db,
        "SELECT kind, cadence_spm, ground_contact_ms, vertical_oscillation_cm, "
        "minutes, fit_sha256 FROM session_logs ORDER BY id DESC LIMIT 1",
    )[0]
    assert row[0] == "easy_run"
    assert abs(row[1] - 171) < 0.6 and abs(row[2] - 245) < 0.6 and abs(row[3] - 8.2) < 0.01
    assert abs(row[4] - 20) < 0.1 and len(row[5]) == 64
    records = query(
        demo_db,
        "SELECT count(*) FROM run_records WHERE log_id = (SELECT max(id) FROM session_logs)",
    )[0][0]
    assert records >= 1000
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(("run.fit", data, "application/octet-stream"))
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before
    assert any("already logged" in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize(
    ("name", "data", "cadence", "km"),
    [
        ("run.gpx", gpx(1800, speed_mps=3.0, cadence=86.0), 172.0, 5.4),
        ("run.tcx", tcx(1500, speed_mps=3.2, run_cadence=84.0), 168.0, 4.8),
        ("treadmill.tcx", fixture("dblock-tcx_treadmill_1.tcx"), None, 4.11),
    ],
)
def test_gpx_and_tcx_uploads_fill_the_run_as_fit_does(demo_db, name, data, cadence, km):
    at = open_log(tab="Unplanned session")
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value((name, data, "application/octet-stream"))
    at.button(key="u_save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert count(demo_db, "session_logs") == before + 1
    row = query(
        demo_db,
        "SELECT cadence_spm, run_km, heart_rate_bpm, started_at, fit_sha256 FROM session_logs "
        "ORDER BY id DESC LIMIT 1",
    )[0]
    if cadence is not None:
        assert row[0] == pytest.approx(cadence)
    else:
        assert 145 < row[0] < 160  # the treadmill's RunCadence, doubled
    assert row[1] == pytest.approx(km, abs=0.01)
    assert row[2] is not None and row[3] is not None and len(row[4]) == 64
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value((name, data, "application/octet-stream"))
    at.button(key="u_save").click().run()
    assert any("already logged" in e.value for e in at.error), [e.value for e in at.error]
    assert count(demo_db, "session_logs") == before + 1


def test_a_ride_in_a_tcx_file_is_refused_in_words(demo_db):
    at = open_log(tab="Unplanned session")
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(("ride.tcx", tcx(60, sport="Biking"), "text/xml"))
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before
    assert any("not a run (sport: cycling)" in e.value for e in at.error), [
        e.value for e in at.error
    ]


def test_a_jpeg_named_fit_is_refused(demo_db):
    at = open_log(tab="Unplanned session")
    before = count(demo_db, "session_logs")
    at.selectbox(key="u_kind").set_value("easy_run").run()
    at.file_uploader(key="u_fit").set_value(
        ("photo.fit", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "application/octet-stream")
    )
    at.button(key="u_save").click().run()
    assert not at.exception
    assert count(demo_db, "session_logs") == before
    assert any("JPEG" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.success


def test_edit_and_delete_with_confirmation(demo_db):
    at = open_log(1, tab="History")
    chosen = at.selectbox(key="open_log").value
    assert query(demo_db, "SELECT athlete_id FROM session_logs WHERE id = ?", [chosen]) == [(1,)]
    prefix = f"e{chosen}_"
    before = count(demo_db, "session_logs")
    at.number_input(key=f"{prefix}minutes").set_value(77.0)
    at.button(key=f"{prefix}save").click().run()
    assert not at.exception
    assert query(demo_db, "SELECT minutes FROM session_logs WHERE id = ?", [chosen])[0][0] == 77.0
    assert count(demo_db, "session_logs") == before, "an edit is not a new log"
    assert at.button(key=f"del_{chosen}").disabled
    at.checkbox(key=f"del_confirm_{chosen}").check().run()
    assert not at.button(key=f"del_{chosen}").disabled
    at.button(key=f"del_{chosen}").click().run()
    assert not at.exception
    assert query(demo_db, "SELECT count(*) FROM session_logs WHERE id = ?", [chosen])[0][0] == 0
    assert count(demo_db, "session_logs") == before - 1


def test_comments_from_runner_and_coach(demo_db):
    """The author is whoever is signed in: the coach (open demo mode) or the runner's link."""
    at = open_log(1, tab="History")
    chosen = at.selectbox(key="open_log").value
    assert any(c.value == "From the coach" for c in at.caption)
    at.text_area(key=f"body_{chosen}").set_value("Add the calf stretch after runs")
    at.button(key=f"comment_save_{chosen}").click().run()
    assert not at.exception
    at = open_log(runner=runner_link(demo_db, 1), tab="History")
    at.selectbox(key="open_log").set_value(chosen).run()
    assert not at.exception
    assert any(c.value == "From the runner" for c in at.caption)
    at.text_area(key=f"body_{chosen}").set_value("Calves tight after this one")
    at.button(key=f"comment_save_{chosen}").click().run()
    assert not at.exception
    assert query(
        demo_db, "SELECT author, body FROM comments WHERE log_id = ? ORDER BY id", [chosen]
    ) == [("coach", "Add the calf stretch after runs"), ("runner", "Calves tight after this one")]
    shown = "\n".join(m.value for m in at.markdown)
    assert "Add the calf stretch after runs" in shown and "Calves tight after this one" in shown


def test_checkins(demo_db):
    today = clock.today()
    at = open_log(1, tab="Check-ins")
    at.date_input(key="log_day").set_value(today).run()
    at.selectbox(key="mp_region").set_value("knee")
    at.number_input(key="mp_score").set_value(2)
    at.button(key="mp_save").click().run()
    assert not at.exception
    assert any(s.value == "Morning check saved." for s in at.success)
    at.number_input(key="w_hours").set_value(6.5)
    at.select_slider(key="w_fatigue").set_value(2)
    at.button(key="w_save").click().run()
    assert not at.exception
    assert any(s.value == "Wellness saved." for s in at.success)
    assert query(
        demo_db,
        'SELECT athlete_id, reported_on, region, score, "when", log_id FROM pain_reports '
        "ORDER BY id DESC LIMIT 1",
    )[0] == (1, today, "knee", 2, "next_morning", None)
    assert query(
        demo_db,
        "SELECT sleep_hours, fatigue FROM wellness WHERE athlete_id = 1 AND day = ?",
        [today],
    ) == [(6.5, 2)]


def test_a_logged_planned_session_is_folded_and_marked_logged(demo_db):
    """Done is the reviews' rule (`training_log.planned_on`): the form folds as "· logged"."""
    athlete, _, day, week, pos = unlogged_planned_session(demo_db)
    at = open_log(athlete)
    at.date_input(key="log_day").set_value(day).run()
    prefix = f"p{week}_{pos}_"

    def logged() -> int:
        return sum(e.label.endswith(" · logged") for e in at.expander)

    before = logged()
    at.button(key=f"{prefix}save").click().run()
    assert not at.exception
    assert any(s.value.startswith("Session saved") for s in at.success)
    assert logged() == before + 1
    assert all(not e.proto.expanded for e in at.expander if e.label.endswith(" · logged"))


def elsewhere(db_path, log_id: int) -> None:
    """Another program (the CLI, another server) deletes a session: no cache here hears of it."""
    con = duckdb.connect(str(db_path))
    try:
        training_log.delete_log(con, log_id)
    finally:
        con.close()


@pytest.mark.parametrize("action", ["edit", "delete", "comment"])
def test_a_log_deleted_elsewhere_while_open_is_said_and_nothing_is_written(demo_db, action):
    at = open_log(1, tab="History")
    chosen = at.selectbox(key="open_log").value
    before = count(demo_db, "session_logs")
    if action == "edit":
        at.number_input(key=f"e{chosen}_minutes").set_value(77.0)
        button = f"e{chosen}_save"
    elif action == "delete":
        at.checkbox(key=f"del_confirm_{chosen}").check().run()
        button = f"del_{chosen}"
    else:
        at.text_area(key=f"body_{chosen}").set_value("How did the calf feel?")
        button = f"comment_save_{chosen}"
    elsewhere(demo_db, chosen)
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    assert any(
        f"Session {chosen} is not in the log (deleted on another device?)" in e.value
        for e in at.error
    ), [e.value for e in at.error]
    assert not at.success
    assert count(demo_db, "session_logs") == before - 1
    assert query(demo_db, "SELECT count(*) FROM session_logs WHERE id = ?", [chosen]) == [(0,)]
    assert query(demo_db, "SELECT count(*) FROM comments WHERE log_id = ?", [chosen]) == [(0,)]
    at.run()  # the next run reads the log afresh: the session is gone from the list
    assert not at.exception
    assert chosen not in at.selectbox(key="open_log").options
    assert any(f"Session {chosen} is no longer in the log" in i.value for i in at.info)


def test_a_log_deleted_on_another_device_while_open_is_said(demo_db):
    """Two devices on one server: the second deletes the session the first has open."""
    first = open_log(1, tab="History")
    chosen = first.selectbox(key="open_log").value
    second = open_log(1, tab="History")
    second.selectbox(key="open_log").set_value(chosen).run()
    second.checkbox(key=f"del_confirm_{chosen}").check().run()
    second.button(key=f"del_{chosen}").click().run()
    assert not second.exception
    assert not any("no longer in the log" in i.value for i in second.info), "deleted here"
    first.number_input(key=f"e{chosen}_minutes").set_value(77.0)
    first.button(key=f"e{chosen}_save").click().run()
    assert not first.exception, first.exception
    assert any(f"Session {chosen} is no longer in the log" in i.value for i in first.info)
    assert query(demo_db, "SELECT count(*) FROM session_logs WHERE id = ?", [chosen]) == [(0,)]


def propose_a_change(db_path, athlete: int) -> tuple[int, int]:
    """A progression's proposal waiting for the coach on the runner's plan: (plan, version)."""
    con = duckdb.connect(str(db_path))
    try:
        plan_id = plans.latest_for(con, athlete)
        plan = plans.load(con, plan_id)
        return plan_id, plans.propose(con, plan_id, plan, "progression after today: a test")
    finally:
        con.close()


def status(db_path, plan_id: int, version: int) -> str:
    con = duckdb.connect(str(db_path))
    try:
        found = plans.versions(con, plan_id)
        return found.loc[found["version"] == version, "status"].item()
    finally:
        con.close()


@pytest.mark.parametrize(("button", "becomes"), [("accept", "accepted"), ("reject", "rejected")])
def test_the_coach_accepts_or_rolls_back_a_proposal(demo_db, button, becomes):
    plan_id, version = propose_a_change(demo_db, 1)
    at = open_log(1)
    assert any(
        f"**Plan change waiting for the coach** (v{version})" in m.value for m in at.markdown
    )
    at.button(key=f"{button}_{version}").click().run()
    assert not at.exception
    assert status(demo_db, plan_id, version) == becomes
    assert not any(f"(v{version})" in m.value for m in at.markdown), "decided: no longer waiting"
    said = [s.value for s in at.success]
    current = version if button == "accept" else version - 1
    assert [m for m in said if f"v{current} is now" in m or f"v{current} stays" in m], said


def test_a_runner_sees_the_proposal_but_cannot_decide_it(demo_db):
    plan_id, version = propose_a_change(demo_db, 1)
    at = open_log(runner=runner_link(demo_db, 1))
    assert any(f"(v{version})" in m.value for m in at.markdown)
    assert any(c.value == "Your coach reviews this change." for c in at.caption)
    assert not [b for b in at.button if b.key in (f"accept_{version}", f"reject_{version}")]
    assert status(demo_db, plan_id, version) == "proposed"


def test_an_empty_comment_says_how_long_a_comment_is_and_writes_nothing(demo_db):
    at = open_log(1, tab="History")
    chosen = at.selectbox(key="open_log").value
    before = count(demo_db, "comments")
    at.button(key=f"comment_save_{chosen}").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Write a comment of 1 to 2,000 characters."]
    assert count(demo_db, "comments") == before


def test_after_an_unplanned_run_the_next_dose_folds_the_holds_of_what_was_not_logged(demo_db):
    at = open_log(1, tab="Unplanned session")
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(30.0)
    at.number_input(key="u_km").set_value(5.0)
    at.button(key="u_save").click().run()
    assert not at.exception
    lines = [m.value for m in at.markdown if m.value.startswith("- :")]
    assert lines, "the running decision is said: a run was logged"
    assert any("**Running " in line for line in lines)
    held = [line for line in lines if "-badge[Hold]" in line and "**Running " not in line]
    assert held == [], "no exercise was logged: an exercise that holds has no line of its own"
    folded = [c.value for c in at.caption if "unchanged: not logged in this session" in c.value]
    assert len(folded) == 1 and folded[0][0].isdigit(), folded


def morning_reports(db_path, athlete: int, day: date) -> list[tuple]:
    return query(
        db_path,
        """SELECT region, side, score FROM pain_reports WHERE athlete_id = ? AND reported_on = ?
           AND "when" = 'next_morning' ORDER BY id""",
        [athlete, day],
    )


def test_no_pain_this_morning_is_one_tap_and_zeroes_the_regions_being_followed(demo_db):
    """A runner with knee pain in the last weeks taps "No pain": the knee reads 0 (it settled);
    no other region gets a 0 it was never asked about."""
    today = clock.today()
    at = open_log(1, tab="Check-ins")
    at.date_input(key="log_day").set_value(today - timedelta(days=1)).run()
    at.selectbox(key="mp_region").set_value("knee")
    at.selectbox(key="mp_side").set_value("left")
    at.number_input(key="mp_score").set_value(3)
    at.button(key="mp_save").click().run()
    at.date_input(key="log_day").set_value(today).run()
    before = count(demo_db, "pain_reports")
    at.button(key="mp_none").click().run()
    assert not at.exception
    zeros = morning_reports(demo_db, 1, today)
    assert ("knee", "left", 0) in zeros
    assert {score for _, _, score in zeros} == {0}
    assert count(demo_db, "pain_reports") == before + len(zeros)
    said = [s.value for s in at.success if s.value.startswith("Morning check saved: no pain (")]
    assert len(said) == 1 and "knee (left)" in said[0], said


def test_history_reads_as_words_and_numbers_with_units(demo_db):
    at = open_log(tab="Unplanned session")
    at.selectbox(key="u_kind").set_value("easy_run")
    at.number_input(key="u_minutes").set_value(23.9)
    at.number_input(key="u_km").set_value(4.56)
    at.button(key="u_save").click().run()
    assert not at.exception
    at.query_params["log_tab"] = "History"  # the runner opens the History tab
    at.run()
    shown = at.dataframe[0].value
    assert "easy_run" not in set(shown["kind"]) and "Easy run" in set(shown["kind"])
    newest = shown.iloc[0]
    assert (newest["minutes"], newest["run_km"], newest["note"]) == ("24", "4.6", "")
    text = shown.astype(str).to_numpy().ravel().tolist()
    assert not [v for v in text if v in ("None", "nan", "NaT", "<NA>")]
    headers = {c: h for c, h in log_history_columns().items()}
    assert headers["minutes"] == "Time (min)" and headers["run_km"] == "Distance (km)"


def test_history_shows_a_runs_cadence_and_heart_rate_whole():
    """A run from a watch file has its cadence and average heart rate; a typed one has blanks."""
    from pages.widgets.log_history import rows

    past = pd.DataFrame(
        {
            "id": [2, 1],
            "day": [date(2026, 12, 2), date(2026, 12, 1)],
            "kind": ["easy_run", "strength"],
            "minutes": [40.2, 30.0],
            "rpe": [3.0, 5.0],
            "load": [120.6, 150.0],
            "run_km": [7.04, None],
            "cadence_spm": [171.6, None],
            "heart_rate_bpm": [151.4, None],
            "planned": [True, False],
            "note": [None, "gym"],
            "max_pain": [None, None],
            "comments": [0, 1],
        }
    )
    shown = rows(past)
    assert shown[["cadence_spm", "heart_rate_bpm"]].to_numpy().tolist() == [
        ["172", "151"],
        ["", ""],
    ]
    headers = log_history_columns()
    assert (
        headers["heart_rate_bpm"] == "Heart rate (bpm)"
        and headers["cadence_spm"] == "Cadence (spm)"
    )


def log_history_columns() -> dict[str, str]:
    from pages.widgets.log_history import COLUMNS

    return {c: h if isinstance(h, str) else h["label"] for c, h in COLUMNS.items()}


def test_the_session_form_shows_figures_at_their_precision_with_units(demo_db):
    """Minutes whole, km and cm to a tenth, cadence and contact time whole (not 45.00)."""
    at = open_page("log", {"athlete": "1", "log_tab": "Unplanned session"})
    formats = {
        "u_minutes": "%.0f",
        "u_km": "%.1f",
        "u_cad": "%.0f",
        "u_gct": "%.0f",
        "u_vo": "%.1f",
    }
    for key, wanted in formats.items():
        field = at.number_input(key=key)
        assert field.proto.format == wanted, key
        assert "(" in field.label, (key, field.label)  # the unit in brackets


def test_picking_another_runner_opens_their_newest_session_and_says_nothing_is_gone(demo_db):
    at = open_log(1, tab="History")
    older = at.selectbox(key="open_log").options[1]
    at.selectbox(key="open_log").select(older).run()
    at.sidebar.selectbox[0].set_value(2).run()
    assert not at.exception, at.exception
    assert picked(at) == 2
    newest = query(
        demo_db, "SELECT id FROM session_logs WHERE athlete_id = 2 ORDER BY day DESC, id DESC"
    )[0][0]
    assert at.selectbox(key="open_log").value == newest
    assert not [i.value for i in at.info if "no longer in the log" in i.value]
