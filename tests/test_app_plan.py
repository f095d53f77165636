"""The plan page and present mode through AppTest: generate, edit, adapt, versions, exports."""

from __future__ import annotations

import duckdb
import icalendar
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from runform import export
from runform.store import plans
from tests.conftest import ROOT


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
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


@pytest.fixture
def app(db_path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    return at


def current_plan(at: AppTest) -> int:
    return int(
        at.query_params["plan"][0]
        if isinstance(at.query_params["plan"], list)
        else at.query_params["plan"]
    )


def test_generate_a_plan_from_the_latest_assessment(app, db_path):
    before = current_plan(app)
    app.number_input(key="gen_weeks").set_value(8)
    app.selectbox(key="gen_deload").set_value(3)
    button(app, "Generate plan").click().run()
    assert not app.exception
    plan_id = current_plan(app)
    assert plan_id != before
    plan = stored(db_path, plan_id)
    assert len(plan.weeks) == 8
    assert [w.deload for w in plan.weeks] == [i % 3 == 0 for i in range(1, 9)]
    assert versions(db_path, plan_id) == [(1, "generated")]
    assert any("Week 1" in s.value for s in app.subheader)


def test_invalid_options_write_nothing(app, db_path):
    con = duckdb.connect(str(db_path))
    count = con.execute("SELECT count(*) FROM plans").fetchall()[0][0]
    con.close()
    app.number_input(key="gen_weeks").set_value(40)
    button(app, "Generate plan").click().run()
    assert any("between 4 and 24" in e.value for e in app.error)
    con = duckdb.connect(str(db_path))
    assert con.execute("SELECT count(*) FROM plans").fetchall()[0][0] == count
    con.close()


def test_edit_a_dose_saves_a_new_version_and_keeps_the_old(app, db_path):
    plan_id = current_plan(app)
    original = stored(db_path, plan_id)
    week = original.weeks[0]
    rows = [(p, i, e) for p, s in enumerate(week.sessions) for i, e in enumerate(s.exercises)]
    row = next(n for n, (_, _, e) in enumerate(rows) if e.role == "main" and e.sets > 1)
    p, i, target = rows[row]
    key = f"exercises_{plan_id}_1_1"
    app.session_state[key] = {
        "edited_rows": {row: {"sets": target.sets - 1}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    button(app, "Save changes as a new version").click().run()
    assert not app.exception
    assert [v for v, _ in versions(db_path, plan_id)] == [1, 2]
    assert stored(db_path, plan_id, 1) == original  # the old version is kept untouched
    edited = stored(db_path, plan_id, 2)
    assert edited.weeks[0].sessions[p].exercises[i].sets == target.sets - 1
    assert edited.weeks[1:] == original.weeks[1:]


def test_swap_an_exercise_for_an_alternative(app, db_path):
    plan_id = current_plan(app)
    original = stored(db_path, plan_id)
    key = f"{plan_id}_1_1"
    picked = app.selectbox(key=f"swap_from_{key}").value
    options = app.selectbox(key=f"swap_to_{key}").options
    assert options, "an exercise with no alternative"
    app.selectbox(key=f"swap_to_{key}").set_value(
        app.selectbox(key=f"swap_to_{key}").options[1] if len(options) > 1 else options[0]
    )
    app.run()
    chosen = app.selectbox(key=f"swap_to_{key}").value
    button(app, "Swap").click().run()
    assert not app.exception
    assert len(versions(db_path, plan_id)) == 2
    p, i = picked
    swapped = stored(db_path, plan_id).weeks[0].sessions[p].exercises[i]
    assert swapped.id == chosen != original.weeks[0].sessions[p].exercises[i].id
    assert "swapped" in versions(db_path, plan_id)[-1][1]


def test_move_and_delete_a_session(app, db_path):
    plan_id = current_plan(app)
    original = stored(db_path, plan_id)
    week = original.weeks[0]
    key = f"sessions_{plan_id}_1_1"
    app.session_state[key] = {
        "edited_rows": {0: {"delete": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    button(app, "Save changes as a new version").click().run()
    assert any("confirm" in e.value for e in app.error)
    assert len(versions(db_path, plan_id)) == 1
    app.checkbox(key=f"confirm_{plan_id}_1_1").check().run()
    button(app, "Save changes as a new version").click().run()
    assert len(versions(db_path, plan_id)) == 2
    assert len(stored(db_path, plan_id).weeks[0].sessions) == len(week.sessions) - 1


def test_adapt_a_week_for_travel(app, db_path):
    plan_id = current_plan(app)
    app.radio(key=f"adapt_kind_{plan_id}_1_1").set_value("travel")
    button(app, "Adapt the week").click().run()
    assert not app.exception
    assert versions(db_path, plan_id)[-1][1].startswith("week 1: Travel")
    adapted = stored(db_path, plan_id).weeks[0]
    from runform.exercises import by_id, load_library

    lib = by_id(load_library())
    assert all(not lib[e.id].equipment for s in adapted.sessions for e in s.exercises)


def test_niggle_needs_a_region(app, db_path):
    plan_id = current_plan(app)
    app.radio(key=f"adapt_kind_{plan_id}_1_1").set_value("niggle")
    button(app, "Adapt the week").click().run()
    assert any("region" in e.value for e in app.error)
    assert len(versions(db_path, plan_id)) == 1


def test_exports_are_offered_and_parse(app, db_path):
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Sessions (CSV)", "Calendar (.ics)", "Printable plan (PDF)"]
    plan = stored(db_path, current_plan(app))
    cal = icalendar.Calendar.from_ical(export.to_ics(plan, "Test"))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == sum(len(w.sessions) for w in plan.weeks)
    import io

    reader = PdfReader(io.BytesIO(export.to_pdf(plan, "Test")))
    assert len(reader.pages) >= len(plan.weeks) + 1


def test_present_mode_shows_one_session_and_steps(db_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    first = [m.value for m in at.markdown if m.value.startswith("### Week 1")]
    assert first, [m.value for m in at.markdown]
    assert at.query_params["session"] in ("0", ["0"])
    button(at, "Next ▶").click().run()
    assert at.query_params["session"] in ("1", ["1"])
    assert any(m.value.startswith("**Cues**") for m in at.markdown)
    button(at, "Start timer").click().run()
    assert any(m.label in ("Hold", "Work", "Rest", "Set done") for m in at.metric)
