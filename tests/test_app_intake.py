"""The intake page in both modes, driven through Streamlit's AppTest."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform.screens import load_catalogue
from tests.apptest import open_page, param

NEW = 0


def counts(path) -> tuple[int, int, int]:
    con = duckdb.connect(str(path))
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("athletes", "assessments", "screen_values")
        )
    finally:
        con.close()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


@pytest.fixture
def app(demo_db) -> AppTest:
    """The Intake page on the demo team, as its address opens it (the first runner picked)."""
    at = open_page("intake")
    assert not at.exception
    assert [t.value for t in at.main.title] == ["Intake assessment"]
    return at


def new_runner(at: AppTest) -> AppTest:
    at.sidebar.selectbox[0].set_value(NEW).run()
    assert not at.exception
    assert "Runner: **new runner**" in [c.value for c in at.caption]
    assert param(at, "athlete") == []
    return at


def fill_coach(at: AppTest, cadence: float = 160) -> None:
    p = "c0_"
    at.text_input(key=f"{p}name").set_value("Test Runner")
    at.number_input(key=f"{p}weekly_km").set_value(35.0)
    at.number_input(key=f"{p}runs").set_value(4)
    at.number_input(key=f"{p}longest").set_value(14.0)
    at.multiselect(key=f"{p}days").set_value(["mon", "wed", "sat"])
    at.selectbox(key=f"{p}pain0_region").set_value("knee")
    at.selectbox(key=f"{p}pain0_side").set_value("left")
    at.number_input(key=f"{p}pain0_score").set_value(5)
    at.number_input(key=f"{p}knee_to_wall_cm_left").set_value(7.5)
    at.number_input(key=f"{p}knee_to_wall_cm_right").set_value(11.0)
    at.selectbox(key=f"{p}hip_hinge_None").set_value(2)
    at.multiselect(key=f"{p}single_leg_squat_left").set_value(["knee_valgus"])
    at.multiselect(key=f"{p}single_leg_squat_right").set_value(["none seen"])
    at.number_input(key=f"{p}cadence_spm_None").set_value(cadence)
    at.radio(key=f"{p}overstride_None").set_value("yes")


def page_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.success, *at.error, *at.info])


def test_coach_full_submit_saves_and_shows_findings(app, db_path):
    before = counts(db_path)
    new_runner(app)
    fill_coach(app)
    button(app, "Save assessment").click().run()
    assert not app.exception
    athletes, assessments_, values = counts(db_path)
    assert (athletes, assessments_) == (before[0] + 1, before[1] + 1)
    # knee-to-wall 2 sides, hinge, squat 2 sides x 5 faults, cadence, overstride
    assert values == before[2] + 2 + 1 + 10 + 1 + 1
    text = page_text(app)
    assert "Assessment saved" in text
    assert "Limited ankle dorsiflexion" in text
    assert "Refer to a clinician" in text
    assert ":red-badge[High]" in text
    # the new runner is now the selected one, and the URL says so
    assert app.sidebar.selectbox[0].value == athletes
    assert param(app, "athlete") == [str(athletes)]
    # that address opens the new runner again (a reload or a shared link)
    again = open_page("intake", {"athlete": str(athletes)})
    assert not again.exception
    assert again.sidebar.selectbox[0].value == athletes
    assert "Runner: **Test Runner**" in [c.value for c in again.caption]


def test_coach_invalid_submit_writes_nothing_and_keeps_values(app, db_path):
    before = counts(db_path)
    new_runner(app)
    fill_coach(app, cadence=900)
    app.number_input(key="c0_weekly_km").set_value(-5.0)
    button(app, "Save assessment").click().run()
    assert not app.exception
    assert counts(db_path) == before
    errors = [e.value for e in app.error]
    assert any("900 is outside the allowed range 120–230 spm" in e for e in errors)
    assert any("between 0 and 300" in e for e in errors)
    assert any("Nothing was saved" in e for e in errors)
    # what was typed is still there
    assert app.number_input(key="c0_cadence_spm_None").value == 900
    assert app.text_input(key="c0_name").value == "Test Runner"


def test_coach_faults_none_seen_with_a_fault_is_refused(app, db_path):
    before = counts(db_path)
    new_runner(app)
    fill_coach(app)
    app.multiselect(key="c0_single_leg_squat_right").set_value(["none seen", "pelvic_drop"])
    button(app, "Save assessment").click().run()
    assert counts(db_path) == before
    assert any("either 'none seen'" in e.value for e in app.error)


def go_self(at: AppTest) -> AppTest:
    at.radio(key="intake_mode").set_value("self").run()
    assert not at.exception
    assert param(at, "mode") == ["self"]
    return at


def test_self_assessment_step_by_step(app, db_path):
    before = counts(db_path)
    new_runner(app)
    go_self(app)
    p = "s0_"
    assert "Step 1 of" in app.get("progress")[0].proto.text
    app.text_input(key=f"{p}name").set_value("Phone Runner")
    app.multiselect(key=f"{p}days").set_value(["tue", "thu", "sun"])
    button(app, "Next").click().run()
    button(app, "Next").click().run()  # no pain
    specs = load_catalogue().screens
    for spec in specs:
        assert not app.exception
        assert any(spec.instructions[:30] in i.value for i in app.info)
        if spec.id == "knee_to_wall_cm":
            app.number_input(key=f"{p}knee_to_wall_cm_left").set_value(9.0)
            app.number_input(key=f"{p}knee_to_wall_cm_right").set_value(9.5)
            button(app, "Next").click().run()
        elif spec.id == "calf_raise_reps":
            app.number_input(key=f"{p}calf_raise_reps_left").set_value(18)
            button(app, "Next").click().run()  # one side only is allowed
        else:
            button(app, "Skip this test").click().run()
    assert "Review and save" in app.get("progress")[0].proto.text
    button(app, "Save assessment").click().run()
    assert not app.exception
    athletes, assessments_, values = counts(db_path)
    assert (athletes, assessments_, values) == (before[0] + 1, before[1] + 1, before[2] + 3)
    text = page_text(app)
    assert "Limited ankle dorsiflexion" in text
    assert "Calf endurance deficit" in text
    assert "Refer to a clinician" not in text
    con = duckdb.connect(str(db_path))
    mode = con.execute("SELECT mode FROM assessments ORDER BY id DESC LIMIT 1").fetchall()
    con.close()
    assert mode == [("self",)]


def test_self_assessment_invalid_value_stays_on_step(app, db_path):
    before = counts(db_path)
    new_runner(app)
    go_self(app)
    p = "s0_"
    app.text_input(key=f"{p}name").set_value("Phone Runner")
    button(app, "Next").click().run()
    button(app, "Next").click().run()
    app.number_input(key=f"{p}knee_to_wall_cm_left").set_value(25.0)
    button(app, "Next").click().run()
    assert any("25 is outside the allowed range 0–20 cm" in e.value for e in app.error)
    assert "Knee-to-wall" in app.get("progress")[0].proto.text
    assert app.number_input(key=f"{p}knee_to_wall_cm_left").value == 25.0
    # back keeps what was entered before
    button(app, "Back").click().run()
    assert "Pain" in app.get("progress")[0].proto.text
    assert counts(db_path) == before


def test_self_assessment_profile_errors_next_to_field(app, db_path):
    new_runner(app)
    go_self(app)
    app.text_input(key="s0_name").set_value("")
    app.number_input(key="s0_minutes").set_value(5)
    button(app, "Next").click().run()
    errors = [e.value for e in app.error]
    assert any("at least 1 character" in e for e in errors)
    assert any("between 10 and 300" in e for e in errors)
    assert "Step 1 of" in app.get("progress")[0].proto.text


def test_history_opens_and_compares_earlier_assessments(app):
    # the demo team: the first runner has two or three assessments
    athlete = app.sidebar.selectbox[0].value
    assert athlete != NEW
    options = app.selectbox(key="open_assessment").options
    assert len(options) >= 2
    app.selectbox(key="compare_with").set_value(app.selectbox(key="compare_with").options[1])
    app.run()
    assert not app.exception
    text = page_text(app)
    assert "**Resolved**" in text and "**New**" in text and "**Persisting**" in text
    assert any(
        "Real change" in str(df.value.columns.tolist()) or "real" in df.value.columns
        for df in app.dataframe
    )
