"""The plan page and present mode through AppTest: generate, edit, adapt, versions, exports.

Buttons are found by key, or by the form they submit (the plan page's two form submit buttons
have no key), never by the order of labels.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import duckdb
import icalendar
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from runform import clock, export, plantext, steptimer, watch
from runform.store import plans
from runform.vocab import LOGGED_ROLES, PHASE_LABELS
from tests import structured
from tests.apptest import open_page, param


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
    rows = [
        (p, i, e)
        for p, s in enumerate(week.sessions)
        for i, e in enumerate(s.exercises)
        if e.role in LOGGED_ROLES  # the table's rows are the calendar's
    ]
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
    labels = [app.download_button(key=k).label for k in ("dl_csv", "dl_ics", "dl_pdf")]
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
    # the set timer counts down in the browser (tests/e2e); here, its whole sequence in words
    assert len(at.get("iframe")) == 1, "the exercise timer"
    phases = [e for e in at.expander if e.label.startswith("All ")]
    assert len(phases) == 1, [e.label for e in at.expander]
    [steps] = [m.value for m in phases[0].markdown]
    assert steps.startswith("1. Set 1 of ")


# --- structured runs: steps, watch workouts, the step timer ---------------------------------


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[Callable[[], object], str | None]]:
    """What every download button of a run offers, by its deferred file id: (the callable that
    builds the file when the button is clicked, file name).

    The pages build no file while they draw: they hand each button a callable, which Streamlit
    runs on a click, after the script run. AppTest keeps those in a media store of its own run;
    this records them as the page hands them over, so a test can do what a click would.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, tuple[Callable[[], object], str | None]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        seen[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def offered(button, downloads) -> tuple[bytes, str | None]:
    """The bytes and file name a click on a download button gets: its file is built then (after
    the script run, on another thread, as the server does), never while the page draws."""
    file_id = button.proto.deferred_file_id
    assert file_id and not button.proto.url, "built on a click, not on every run"
    assert file_id in downloads, (file_id, list(downloads))
    build, name = downloads[file_id]
    with ThreadPoolExecutor(1) as click:
        data = click.submit(build).result()
    assert isinstance(data, bytes)
    return data, name


@pytest.fixture
def structured_plan(demo_db) -> int:
    """A hand-built plan for Ana (runner 1) with an interval session and an easy run with steps."""
    return structured.seed(demo_db, 1)


def test_plan_page_shows_steps_and_offers_watch_workouts(structured_plan, downloads):
    at = open_page("plan", {"athlete": "1", "plan": str(structured_plan), "week": "1"})
    assert not at.exception, at.exception
    assert current_plan(at) == structured_plan
    assert [s.value for s in at.subheader if s.value.startswith("Week 1")] == [
        "Week 1 · Build · 18 km"
    ]
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert structured.INTERVALS_TEXT in shown
    assert "Warm-up 15 min easy, RPE 2–3" in shown
    assert structured.EASY_TEXT in shown

    # one watch workout per run with steps (positions 0 and 2), none for the strength session
    keys = {b.key for b in at.download_button}
    assert {"fit_1_0", "fit_1_2", "fit_week_1"} <= keys
    assert "fit_1_1" not in keys
    data, name = offered(at.download_button(key="fit_1_0"), downloads)
    assert name == watch.filename(stored_session(at, structured_plan, 0), 1)
    assert name.endswith("-intervals.fit")
    kind, steps = structured.fit_workout(data)
    assert kind == "workout"
    assert [s.get("duration_type") for s in steps] == [
        "time",
        "distance",
        "distance",
        "repeat_until_steps_cmplt",
        "time",
    ]

    zipped = at.download_button(key="fit_week_1")
    assert zipped.label == "Watch workouts for week 1 (ZIP)"
    data, name = offered(zipped, downloads)
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == 2 and all(n.endswith(".fit") for n in names)
        assert all(structured.fit_workout(zf.read(n))[0] == "workout" for n in names)


def stored_session(at: AppTest, plan_id: int, position: int, week: int = 1):
    return stored(os.environ["RUNFORM_DB"], plan_id).weeks[week - 1].sessions[position]


def test_a_week_without_structured_runs_has_no_zip(structured_plan):
    at = open_page("plan", {"athlete": "1", "plan": str(structured_plan), "week": "2"})
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader if s.value.startswith("Week 2")] == [
        "Week 2 · Taper · 6 km"
    ]
    keys = {b.key for b in at.download_button}
    assert "fit_week_2" in keys and "fit_2_0" in keys  # the easy run has steps
    assert "fit_week_1" not in keys


def test_a_plan_error_shows_at_the_field_it_names_and_writes_nothing(app, demo_db, monkeypatch):
    """The planner refuses a goal date before the start: said at the Start field, nothing saved."""
    from runform.planning import PlanError
    from runform.services import plans as plan_service

    def refuse(findings, profile, options, **_):
        raise PlanError(f"athlete.goal.date: the goal date is before the start {options.start}")

    monkeypatch.setattr(plan_service, "build_plan", refuse)
    before, count = current_plan(app), plan_count(demo_db)
    submit(app, "generate_plan").click().run()
    assert not app.exception, app.exception
    errors = [e for e in app.error]
    assert [e.value for e in errors][:1] == [
        f"goal date: the goal date is before the start {app.date_input(key='gen_start').value}"
    ], [e.value for e in errors]
    # drawn in the Start field's column (the form's second), not with the form's summary
    start_column = app.get("form")[0].columns[1] if app.get("form") else None
    assert start_column is not None and [e.value for e in start_column.error] == [errors[0].value]
    assert any(e.value == "Nothing was saved." for e in errors)
    assert plan_count(demo_db) == count
    assert current_plan(app) == before


def test_present_steps_through_the_flat_steps(structured_plan, downloads):
    at = open_page(
        "present", {"athlete": "1", "plan": str(structured_plan), "week": "1", "session": "0"}
    )
    assert not at.exception, at.exception
    assert any(m.value.startswith("### Week 1 · Build") for m in at.markdown)
    flat = steptimer.flat_steps(structured.intervals())

    def current() -> str:
        heads = [m.value for m in at.markdown if m.value.startswith("# ")]
        assert len(heads) == 1, heads
        return heads[0].removeprefix("# ").replace("\\", "")

    def upcoming() -> str:
        return next(m.value for m in at.markdown if m.value.startswith("### Next: ")).replace(
            "\\", ""
        )

    assert current() == "Warm-up · 15 min easy · RPE 2–3"
    assert upcoming() == "### Next: Rep 1 of 6 · 800 m at 4:48–5:00 /km · RPE 7–8"
    assert at.button(key="step_previous").disabled
    assert [m.label for m in at.metric] == ["Duration"] and at.metric[0].value == "15:00"
    for i in range(1, 6):
        at.button(key="step_next").click().run()
        assert not at.exception, at.exception
        assert current() == flat[i].text()
    assert current() == "Rep 3 of 6 · 800 m at 4:48–5:00 /km · RPE 7–8"
    assert [(m.label, m.value) for m in at.metric] == [("Distance", "800 m")]
    at.button(key="step_previous").click().run()
    assert current() == "Recovery 2 of 6 · 400 m jog · RPE 1–2"
    for _ in range(len(flat)):
        if at.button(key="step_next").disabled:
            break
        at.button(key="step_next").click().run()
    assert current() == "Cool-down · 10 min easy · RPE 2–3"
    assert any(m.value == "### Last step" for m in at.markdown)

    # the timer counts the timed step down
    at.button(key="step_start").click().run()
    assert not at.exception, at.exception
    assert not at.metric, "the browser counts a running step down"
    assert len(at.get("iframe")) == 1
    assert at.button(key="step_start").disabled
    at.button(key="step_reset").click().run()
    assert current() == flat[0].text()

    data, name = offered(at.download_button(key="present_fit"), downloads)
    assert name and name.endswith("-intervals.fit")
    assert structured.fit_workout(data)[0] == "workout"


# --- the address is what is viewed: Present and the Plan page follow the sidebar's runner ------


def newest_plan(db_path, athlete: int) -> int:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute("SELECT max(id) FROM plans WHERE athlete_id = ?", [athlete]).fetchone()[
            0
        ]
    finally:
        con.close()


def shown_session(at: AppTest) -> str:
    """Present's heading: the week, its phase and day, and the session's title."""
    [heading] = [m.value for m in at.markdown if m.value.startswith("### Week ")]
    return heading


def expected_heading(db_path, plan_id: int, week: int, position: int) -> str:
    w = stored(db_path, plan_id).weeks[week - 1]
    s = w.sessions[position]
    return (
        f"### Week {w.index} · {PHASE_LABELS[w.phase]}{' · deload' if w.deload else ''}"
        f" · {s.date:%A %d %B}\n## {plantext.session_title(s)}"
    )


def test_present_without_a_plan_shows_the_runners_newest(demo_db):
    at = open_page("present", {"athlete": "2"})
    assert not at.exception, at.exception
    ben = newest_plan(demo_db, 2)
    assert current_plan(at) == ben
    assert shown_session(at) == expected_heading(demo_db, ben, 1, 0)


def test_present_follows_the_sidebar_to_another_runner(demo_db):
    """A plan of Ana's, week 2, second session; the sidebar picks Ben: Ben's newest plan from its
    first session, never Ana's any more (nor an error about Ana's plan)."""
    ana = newest_plan(demo_db, 1) - 1  # not her newest: the address is what is viewed
    at = open_page("present", {"athlete": "1", "plan": str(ana), "week": "2", "session": "1"})
    assert not at.exception, at.exception
    assert current_plan(at) == ana
    assert shown_session(at) == expected_heading(demo_db, ana, 2, 1)

    at.sidebar.selectbox[0].set_value(2).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ben = newest_plan(demo_db, 2)
    assert (current_plan(at), param(at, "week"), param(at, "session")) == (ben, ["1"], ["0"])
    assert param(at, "athlete") == ["2"]
    assert shown_session(at) == expected_heading(demo_db, ben, 1, 0)
    # and it stays Ben's on the next run (Next ▶ moves within his plan)
    only_button(at, "Next ▶").click().run()
    assert not at.exception, at.exception
    assert current_plan(at) == ben and param(at, "session") == ["1"]


def test_a_link_to_another_runners_plan_shows_the_selected_runners(demo_db):
    ana = newest_plan(demo_db, 1)
    at = open_page("present", {"athlete": "2", "plan": str(ana), "week": "3", "session": "1"})
    assert not at.exception, at.exception
    ben = newest_plan(demo_db, 2)
    assert (current_plan(at), param(at, "week"), param(at, "session")) == (ben, ["1"], ["0"])
    assert shown_session(at) == expected_heading(demo_db, ben, 1, 0)


def test_the_plan_page_follows_the_sidebar_to_another_runner(demo_db):
    at = open_page("plan", {"athlete": "1", "week": "3"})
    assert not at.exception, at.exception
    assert current_plan(at) == newest_plan(demo_db, 1)
    at.sidebar.selectbox[0].set_value(2).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ben = newest_plan(demo_db, 2)
    assert (current_plan(at), param(at, "week")) == (ben, ["1"])
    assert "Runner: **Ben Haddad**" in [c.value for c in at.caption]
    assert at.selectbox(key=f"version_{ben}_1").value == 1


# --- downloads: named when drawn, built when clicked ---------------------------------------------


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every file the exports build, in order: none may be built while a page draws."""
    built: list[str] = []
    for module, name in [
        (export, "to_csv"),
        (export, "to_ics"),
        (export, "to_pdf"),
        (watch, "week_zip"),
        (watch, "workout_fit"),
    ]:
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            built.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return built


def test_no_file_is_built_until_its_button_is_clicked(structured_plan, downloads, builds):
    at = open_page("plan", {"athlete": "1", "plan": str(structured_plan), "week": "1"})
    assert not at.exception, at.exception
    keys = {"dl_csv", "dl_ics", "dl_pdf", "fit_week_1", "fit_1_0", "fit_1_2"}
    assert keys <= {b.key for b in at.download_button}
    at = open_page(
        "present", {"athlete": "1", "plan": str(structured_plan), "week": "1", "session": "0"}
    )
    assert not at.exception, at.exception
    assert builds == [], "a page run built files nobody asked for"
    offered(at.download_button(key="present_fit"), downloads)
    assert builds == ["workout_fit"]


def test_clicked_exports_are_the_version_viewed(structured_plan, downloads, demo_db):
    """CSV, calendar and PDF of the version on screen, named after the runner, built on a click
    (after a change saved meanwhile, the old version's buttons still give the old version)."""
    query = {"athlete": "1", "plan": str(structured_plan), "week": "1"}
    at = open_page("plan", query)
    key = f"{structured_plan}_1_1"
    at.radio(key=f"adapt_kind_{key}").set_value("race")
    submit(at, f"adapt_{key}").click().run()
    assert not at.exception, at.exception
    assert [v for v, _ in versions(demo_db, structured_plan)] == [1, 2]
    at.selectbox(key=f"version_{structured_plan}_2").set_value(1).run()
    assert not at.exception, at.exception
    first, second = stored(demo_db, structured_plan, 1), stored(demo_db, structured_plan, 2)
    assert first != second

    data, name = offered(at.download_button(key="dl_csv"), downloads)
    assert name == "ana-almeida-plan.csv"
    assert data == export.to_csv(first).encode() != export.to_csv(second).encode()
    data, name = offered(at.download_button(key="dl_ics"), downloads)
    assert name == "ana-almeida-plan.ics"
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == sum(len(w.sessions) for w in first.weeks)
    data, name = offered(at.download_button(key="dl_pdf"), downloads)
    assert name == "ana-almeida-plan.pdf"
    assert len(PdfReader(io.BytesIO(data)).pages) >= len(first.weeks) + 1
    data, name = offered(at.download_button(key="fit_week_1"), downloads)
    assert name == "ana-almeida-week-01-workouts.zip"
    assert data == watch.week_zip(first.weeks[0], "Ana Almeida")


def test_the_names_drawn_are_the_files_built(structured_plan, demo_db):
    """What a button says before a click (plan_service.week_files) is what the click builds."""
    from runform.services import plans as plan_service
    from runform.store.connection import connect

    con = connect(demo_db)
    try:
        for week in (1, 2):
            files = plan_service.week_files(con, structured_plan, 1, week)
            for fmt, named in files.plan.items():
                built = plan_service.export_plan(con, structured_plan, fmt, 1)
                assert (named.filename, named.mime) == (built.filename, built.mime)
            assert files.week is not None
            built = plan_service.export_plan(con, structured_plan, "fit", 1, week)
            assert (files.week.filename, files.week.mime) == (built.filename, built.mime)
            runs = stored(demo_db, structured_plan).weeks[week - 1].sessions
            assert set(files.workouts) == {p for p, s in enumerate(runs) if s.steps}
            for position, named in files.workouts.items():
                built = plan_service.workout(con, structured_plan, 1, week, position)
                assert (named.filename, named.mime) == (built.filename, built.mime)
    finally:
        con.close()


def test_a_niggle_without_a_region_is_said_at_the_region(app, demo_db):
    plan_id = current_plan(app)
    key = f"{plan_id}_1_1"
    app.radio(key=f"adapt_kind_{key}").set_value("niggle")
    submit(app, f"adapt_{key}").click().run()
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == ["choose the region of the niggle", "Nothing was saved."]
    assert len(versions(demo_db, plan_id)) == 1


def test_the_edit_tables_show_the_calendars_rows_without_blanks_as_none(app, demo_db):
    plan_id = current_plan(app)
    week = stored(demo_db, plan_id).weeks[0]
    key = f"{plan_id}_1_1"
    exercises = next(d.value for d in app.dataframe if "amount" in d.value.columns)
    calendar = [e.name for s in week.sessions for e in s.exercises if e.role in LOGGED_ROLES]
    hidden = [e.name for s in week.sessions for e in s.exercises if e.role not in LOGGED_ROLES]
    assert hidden, "the demo plan's first week has warm-ups the calendar hides"
    assert exercises["name"].tolist() == calendar
    assert not exercises[["sets", "amount", "unit"]].isna().any().any()
    assert set(exercises["unit"]) <= {"reps", "s"}
    # a hold's seconds are edited in the same column and saved as seconds
    hold = next(n for n, u in enumerate(exercises["unit"]) if u == "s")
    seconds = int(exercises["amount"].iloc[hold]) + 5
    app.session_state[f"exercises_{key}"] = {
        "edited_rows": {hold: {"amount": seconds}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key=f"save_{key}").click().run()
    assert not app.exception
    name = exercises["name"].iloc[hold]
    saved = [e for s in stored(demo_db, plan_id).weeks[0].sessions for e in s.exercises]
    assert any(e.name == name and e.seconds == seconds and e.reps is None for e in saved)


def test_the_version_box_opens_on_the_current_version_and_marks_a_proposal(demo_db):
    con = duckdb.connect(str(demo_db))
    try:
        plan_id = plans.latest_for(con, 1)
        current = plans.load(con, plan_id)
        changed = current.model_copy(update={"notes": [*current.notes, "a proposal"]})
        proposed = plans.add_version(con, plan_id, changed, "progression: a test", "proposed")
    finally:
        con.close()
    at = open_page("plan", {"athlete": "1", "plan": str(plan_id)})
    assert not at.exception
    box = next(s for s in at.selectbox if s.label == "Version")
    assert box.value == proposed - 1, "opens on the accepted version, not the proposal"
    assert (
        box.format_func(proposed) == f"v{proposed} — proposed, waiting for you: progression: a test"
    )
    assert box.format_func(proposed - 1).startswith(f"v{proposed - 1} — current")


def test_restoring_a_version_says_which_version_is_now_current(app, demo_db):
    plan_id = current_plan(app)
    key = f"{plan_id}_1_1"
    app.session_state[f"sessions_{key}"] = {
        "edited_rows": {0: {"run_km": 0.0, "delete": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.checkbox(key=f"confirm_{key}").check().run()
    app.button(key=f"save_{key}").click().run()
    assert not app.exception
    assert [s.value for s in app.success] == ["Saved as v2. The previous version is kept."]
    box = next(s for s in app.selectbox if s.label == "Version")
    box.set_value(1).run()
    app.button(key=f"restore_{plan_id}_1_1").click().run()
    assert not app.exception
    assert [v for v, _ in versions(demo_db, plan_id)] == [1, 2, 3]
    assert [s.value for s in app.success] == ["v1 restored as v3."]


def test_a_numbered_plan_version_stays_cached_across_writes(demo_db, monkeypatch):
    """An edit is a new version, so a numbered one never changes: a write clears the current
    version's cached read but not a numbered version's."""
    loads: list[tuple[int, int | None]] = []
    real = plans.load

    def counted(con, plan_id, version=None):
        loads.append((plan_id, version))
        return real(con, plan_id, version)

    monkeypatch.setattr(plans, "load", counted)

    def script() -> None:
        from pages.core import cache

        for _ in range(2):
            cache.plan(1, 1)
            cache.plan(1)
            cache.data_changed()  # what every write does

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert loads.count((1, 1)) == 1, loads
    assert loads.count((1, None)) == 2, loads
