"""The plan page and present mode through AppTest: generate, edit, adapt, versions, exports.

Buttons are found by key, or by the form they submit (the plan page's two form submit buttons
have no key), never by the order of labels.
"""

from __future__ import annotations

import io
from datetime import timedelta

import duckdb
import icalendar
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from runform import clock, export
from runform.store import plans
from tests.apptest import open_page


def submit(at: AppTest, form: str):
    """The submit button of `form` (a form has exactly one here)."""
    found = [b for b in at.button if b.form_id == form]
    assert len(found) == 1, f"form {form!r}: {[(b.label, b.form_id) for b in at.button]}"
    return found[0]


def only_button(at: AppTest, label: str):
    """The one button labelled `label` (for the present page's buttons, which have no key)."""
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, f"button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def versions(db_path, plan_id: int) -> list[tuple[int, str]]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(
            "SELECT version, note FROM plan_versions WHERE plan_id = ? ORDER BY version", [plan_id]
        ).fetchall()
    finally:
        con.close()


def stored(db_path, plan_id: int, version: int | None = None):
    con = duckdb.connect(str(db_path))
    try:
        return plans.load(con, plan_id, version)
    finally:
        con.close()


def plan_count(db_path) -> int:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute("SELECT count(*) FROM plans").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture
def app(demo_db) -> AppTest:
    """The Plan page of the first runner of the demo team (Ana, runner 1)."""
    at = open_page("plan")
    assert not at.exception, at.exception
    assert "Training plan" in [t.value for t in at.title]
    assert at.sidebar.selectbox[0].value == 1
    return at


def current_plan(at: AppTest) -> int:
    return int(
        at.query_params["plan"][0]
        if isinstance(at.query_params["plan"], list)
        else at.query_params["plan"]
    )


def test_generate_a_plan_from_the_latest_assessment(app, demo_db):
    before = current_plan(app)
    count = plan_count(demo_db)
    app.number_input(key="gen_weeks").set_value(8)
    app.selectbox(key="gen_deload").set_value(3)
    submit(app, "generate_plan").click().run()
    assert not app.exception
    plan_id = current_plan(app)
    assert plan_id != before
    assert plan_count(demo_db) == count + 1
    plan = stored(demo_db, plan_id)
    assert len(plan.weeks) == 8
    assert [w.deload for w in plan.weeks] == [i % 3 == 0 for i in range(1, 9)]
    # the default start is the next Monday after today
    today = clock.today()
    assert plan.start.weekday() == 0 and today < plan.start <= today + timedelta(days=7)
    assert versions(demo_db, plan_id) == [(1, "generated")]
    assert any("Week 1" in s.value for s in app.subheader)


def test_invalid_options_write_nothing(app, demo_db):
    before = current_plan(app)
    count = plan_count(demo_db)
    app.number_input(key="gen_weeks").set_value(40)
    submit(app, "generate_plan").click().run()
    assert not app.exception
    assert any("between 4 and 24" in e.value for e in app.error), [e.value for e in app.error]
    assert plan_count(demo_db) == count
    assert current_plan(app) == before
    assert app.number_input(key="gen_weeks").value == 40


def test_edit_a_dose_saves_a_new_version_and_keeps_the_old(app, demo_db):
    plan_id = current_plan(app)
    assert [v for v, _ in versions(demo_db, plan_id)] == [1]
    original = stored(demo_db, plan_id)
    week = original.weeks[0]
    rows = [(p, i, e) for p, s in enumerate(week.sessions) for i, e in enumerate(s.exercises)]
    row = next(n for n, (_, _, e) in enumerate(rows) if e.role == "main" and e.sets > 1)
    p, i, target = rows[row]
    key = f"{plan_id}_1_1"
    app.session_state[f"exercises_{key}"] = {
        "edited_rows": {row: {"sets": target.sets - 1}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key=f"save_{key}").click().run()
    assert not app.exception
    assert [v for v, _ in versions(demo_db, plan_id)] == [1, 2]
    assert stored(demo_db, plan_id, 1) == original  # the old version is kept untouched
    edited = stored(demo_db, plan_id, 2)
    assert edited.weeks[0].sessions[p].exercises[i].sets == target.sets - 1
    assert edited.weeks[1:] == original.weeks[1:]


def test_swap_an_exercise_for_an_alternative(app, demo_db):
    plan_id = current_plan(app)
    original = stored(demo_db, plan_id)
    key = f"{plan_id}_1_1"
    picked = app.selectbox(key=f"swap_from_{key}").value
    options = app.selectbox(key=f"swap_to_{key}").options
    assert options, "an exercise with no alternative"
    app.selectbox(key=f"swap_to_{key}").set_value(
        app.selectbox(key=f"swap_to_{key}").options[1] if len(options) > 1 else options[0]
    )
    app.run()
    chosen = app.selectbox(key=f"swap_to_{key}").value
    app.button(key=f"swap_{key}").click().run()
    assert not app.exception
    assert len(versions(demo_db, plan_id)) == 2
    p, i = picked
    swapped = stored(demo_db, plan_id).weeks[0].sessions[p].exercises[i]
    assert swapped.id == chosen != original.weeks[0].sessions[p].exercises[i].id
    assert "swapped" in versions(demo_db, plan_id)[-1][1]


def test_move_and_delete_a_session(app, demo_db):
    plan_id = current_plan(app)
    original = stored(demo_db, plan_id)
    week = original.weeks[0]
    key = f"{plan_id}_1_1"
    app.session_state[f"sessions_{key}"] = {
        "edited_rows": {0: {"delete": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key=f"save_{key}").click().run()
    assert not app.exception
    assert any("confirm" in e.value for e in app.error), [e.value for e in app.error]
    assert len(versions(demo_db, plan_id)) == 1
    app.checkbox(key=f"confirm_{key}").check().run()
    app.button(key=f"save_{key}").click().run()
    assert not app.exception
    assert len(versions(demo_db, plan_id)) == 2
    assert len(stored(demo_db, plan_id).weeks[0].sessions) == len(week.sessions) - 1


def test_adapt_a_week_for_travel(app, demo_db):
    plan_id = current_plan(app)
    key = f"{plan_id}_1_1"
    app.radio(key=f"adapt_kind_{key}").set_value("travel")
    submit(app, f"adapt_{key}").click().run()
    assert not app.exception
    assert len(versions(demo_db, plan_id)) == 2
    assert versions(demo_db, plan_id)[-1][1].startswith("week 1: Travel")
    adapted = stored(demo_db, plan_id).weeks[0]
    from runform.exercises import by_id, load_library

    lib = by_id(load_library())
    assert adapted.sessions and all(s.exercises for s in adapted.sessions)
    assert all(not lib[e.id].equipment for s in adapted.sessions for e in s.exercises)


def test_niggle_needs_a_region(app, demo_db):
    plan_id = current_plan(app)
    key = f"{plan_id}_1_1"
    app.radio(key=f"adapt_kind_{key}").set_value("niggle")
    submit(app, f"adapt_{key}").click().run()
    assert not app.exception
    assert any("region" in e.value for e in app.error), [e.value for e in app.error]
    assert len(versions(demo_db, plan_id)) == 1


def test_exports_are_offered_and_parse(app, demo_db):
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Sessions (CSV)", "Calendar (.ics)", "Printable plan (PDF)"]
    plan = stored(demo_db, current_plan(app))
    cal = icalendar.Calendar.from_ical(export.to_ics(plan, "Test"))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == sum(len(w.sessions) for w in plan.weeks)
    reader = PdfReader(io.BytesIO(export.to_pdf(plan, "Test")))
    assert len(reader.pages) >= len(plan.weeks) + 1


def test_present_mode_shows_one_session_and_steps(demo_db):
    at = open_page("present")
    assert not at.exception, at.exception
    first = [m.value for m in at.markdown if m.value.startswith("### Week 1")]
    assert first, [m.value for m in at.markdown]
    assert at.query_params["session"] in ("0", ["0"])
    assert only_button(at, "◀ Previous").disabled
    only_button(at, "Next ▶").click().run()
    assert not at.exception
    assert at.query_params["session"] in ("1", ["1"])
    assert any(m.value.startswith("### Week 1") for m in at.markdown)
    assert any(m.value.startswith("**Cues**") for m in at.markdown)
    # before the start the timer shows the dose and its rest; once started it counts down
    assert [m.help.startswith("then rest") for m in at.metric] == [True], at.metric
    only_button(at, "Start timer").click().run()
    assert not at.exception
    assert len(at.metric) == 1, at.metric
    assert at.metric[0].label in ("Hold", "Work", "Rest", "Set done")
    assert not at.metric[0].help, "the timer is running"
