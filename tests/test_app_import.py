"""The Import page, the match changed from the Log's History, and the metronome on the Log and in
Present mode, through AppTest. Widgets are found by key; days come from the database, never from
the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform import clock
from tests.activitygen import fixture, gpx, strava_zip, tcx
from tests.apptest import open_page, runner_link
from tests.fitgen import write_run


def query(db_path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def planned_run(db_path) -> tuple[int, int, object, int, str]:
    """A demo runner's planned run of the current plan, not logged, on a day before today:
    (athlete, plan, day, minutes, kind)."""
    rows = query(
        db_path,
        """
        SELECT athlete_id, plan_id, day, minutes, kind FROM planned_session_status
        WHERE NOT done AND kind IN ('easy_run', 'long_run', 'tempo') AND day < ?
          AND athlete_id = 1
        ORDER BY day DESC LIMIT 1
        """,
        [clock.today()],
    )
    assert rows, "demo runner 1 has no unlogged planned run"
    return rows[0]


def open_import(athlete: int | None = 1, runner: str | None = None) -> AppTest:
    params = {"athlete": str(athlete)} if athlete is not None else {}
    if runner is not None:
        params["runner"] = runner
    at = open_page("imports", params)
    assert not at.exception, at.exception
    assert "Import activities" in [t.value for t in at.title]
    return at


def test_a_strava_export_is_imported_with_a_summary_of_every_file(demo_db):
    athlete, plan, day, minutes, kind = planned_run(demo_db)
    start = datetime.combine(day, time(7), tzinfo=UTC)
    planned = write_run(None, seconds=int(minutes) * 60, cadence_spm=168.0, start=start)
    export = strava_zip(
        {
            "activities/1.fit.gz": planned,
            "activities/2.tcx": tcx(1200, start=datetime.combine(day, time(18), tzinfo=UTC)),
            "activities/3.fit": write_run(None, seconds=600, sport="cycling"),
            "activities/4.fit": planned,
        },
        [{"Activity Type": "Run", "Filename": "activities/1.fit.gz", "Activity Name": "Easy"}],
    )
    before = query(demo_db, "SELECT count(*) FROM session_logs")[0][0]
    at = open_import(athlete)
    at.file_uploader(key="import_files").set_value(
        [
            ("export.zip", export, "application/zip"),
            ("phone.gpx", fixture("togeojson_run.gpx"), "application/gpx+xml"),
        ]
    )
    at.select_slider(key="import_rpe").set_value(2)
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    why = at.dataframe[0].value[["File", "Why"]].to_dict("records")
    assert [s.value for s in at.success] == [
        "3 run(s) imported, 1 already logged, 1 skipped (not runs), 0 could not be read."
    ], why
    outcome = at.dataframe[0].value
    assert list(outcome["Outcome"]) == [
        "imported",
        "imported",
        "skipped: not a run",
        "already logged",
        "imported",
    ]
    assert outcome["Planned session it fulfils"].iloc[1] == "unplanned"  # the evening run
    assert query(demo_db, "SELECT count(*) FROM session_logs")[0][0] == before + 3
    matched = query(
        demo_db,
        "SELECT kind, plan_id, rpe FROM session_logs WHERE athlete_id = ? AND day = ? "
        "AND note LIKE 'Imported from 1.fit.gz%'",
        [athlete, day],
    )
    assert matched == [(kind, plan, 2.0)]
    done = query(
        demo_db,
        "SELECT done FROM planned_session_status WHERE plan_id = ? AND day = ? AND kind = ?",
        [plan, day, kind],
    )
    assert done == [(True,)]


def test_nothing_chosen_says_so_and_imports_nothing(demo_db):
    at = open_import()
    at.button(key="import_go").click().run()
    assert not at.exception
    assert any("choose at least one file" in e.value for e in at.error), [e.value for e in at.error]


def test_a_runner_imports_through_their_link(demo_db):
    link = runner_link(demo_db, 3)
    at = open_import(None, runner=link)
    at.file_uploader(key="import_files").set_value(("run.gpx", gpx(900), "application/gpx+xml"))
    at.button(key="import_go").click().run()
    assert not at.exception
    assert query(demo_db, "SELECT athlete_id FROM session_logs ORDER BY id DESC LIMIT 1") == [(3,)]


def test_the_match_is_changed_from_the_history(demo_db):
    athlete, plan, day, minutes, _ = planned_run(demo_db)
    start = datetime.combine(day, time(7), tzinfo=UTC)
    at = open_import(athlete)
    run = gpx(int(minutes) * 60, start=start)
    at.file_uploader(key="import_files").set_value(("run.gpx", run, "application/gpx+xml"))
    at.button(key="import_go").click().run()
    [(log_id, plan_id)] = query(
        demo_db, "SELECT id, plan_id FROM session_logs ORDER BY id DESC LIMIT 1"
    )
    assert plan_id == plan
    log = open_page("log", {"athlete": str(athlete), "log_tab": "History", "day": str(day)})
    log.selectbox(key="open_log").set_value(log_id).run()
    assert not log.exception
    picker = log.selectbox(key=f"e{log_id}_planned")
    assert picker.value != "Unplanned"
    picker.set_value("Unplanned")
    log.button(key=f"e{log_id}_save").click().run()
    assert not log.exception, log.exception
    assert query(demo_db, "SELECT plan_id FROM session_logs WHERE id = ?", [log_id]) == [(None,)]


def _drill_day(db_path) -> tuple[int, int, object, int, int]:
    """A demo planned session holding the metronome drill, on a day up to today:
    (athlete, plan, day, week, position)."""
    rows = query(
        db_path,
        """
        SELECT p.athlete_id, s.plan_id, s.day, s.week, s.position
        FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
        WHERE s.plan_id = (SELECT max(id) FROM plans q WHERE q.athlete_id = p.athlete_id)
          AND s.version = (SELECT max(version) FROM plan_versions v
                           WHERE v.plan_id = s.plan_id AND v.status = 'accepted')
          AND s.day <= ? AND CAST(s.detail AS VARCHAR) LIKE '%metronome_cadence_run%'
        ORDER BY s.day DESC LIMIT 1
        """,
        [clock.today()],
    )
    if not rows:
        pytest.skip("no demo runner has the cadence drill planned")
    return rows[0]


def test_the_log_plays_the_metronome_for_a_planned_cadence_drill(demo_db):
    athlete, _, day, week, position = _drill_day(demo_db)
    at = open_page("log", {"athlete": str(athlete), "day": str(day)})
    assert not at.exception, at.exception
    assert at.get("audio"), "no metronome on the planned session with the cadence drill"
    slider = at.select_slider(key=f"p{week}_{position}_metronome")
    low = slider.value
    assert 120 <= low <= 230 and slider.options[-1] > slider.options[0]


def test_present_mode_plays_the_metronome_for_the_drill(demo_db):
    athlete, plan, _, week, position = _drill_day(demo_db)
    at = open_page(
        "present",
        {"athlete": str(athlete), "plan": str(plan), "week": str(week), "session": str(position)},
    )
    assert not at.exception, at.exception
    assert at.get("audio")
    assert at.select_slider(key="present_metronome").value >= 120
