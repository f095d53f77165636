"""Access: a runner's link reads and writes only that runner's data, through every store function
and page; revoked or expired links and wrong coach passwords get nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from runform import access, demo, load
from runform.models import (
    AthleteProfile,
    Comment,
    Intake,
    MorningPain,
    PlanOptions,
    SessionLog,
    Wellness,
)
from runform.store import assessments, athletes, links, logs, plans, review
from runform.store.connection import connect, scoped
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0)


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """Three demo runners; runner 1 opens a scoped cursor, runner 2's ids are the targets."""
    con = connect(tmp_path_factory.mktemp("access") / "team.duckdb")
    demo.load_team(con, n=3, weeks=8, today=TODAY)
    other = {
        "athlete": 2,
        "assessment": con.execute(
            "SELECT max(id) FROM assessments WHERE athlete_id = 2"
        ).fetchall()[0][0],
        "plan": con.execute("SELECT max(id) FROM plans WHERE athlete_id = 2").fetchall()[0][0],
        "log": con.execute("SELECT max(id) FROM session_logs WHERE athlete_id = 2").fetchall()[0][
            0
        ],
    }
    assert all(v is not None for v in other.values())
    # make sure runner 2 has a row in every table a read could leak
    logs.save_morning_pain(con, MorningPain(athlete_id=2, day=TODAY, region="knee", score=2))
    logs.save_wellness(
        con,
        Wellness(
            athlete_id=2,
            day=TODAY,
            sleep_hours=7.0,
            sleep_quality=3,
            fatigue=3,
            soreness=3,
            stress=3,
            mood=3,
        ),
    )
    logs.add_comment(con, Comment(log_id=other["log"], author="coach", body="note"))
    links.create(con, 2, 30, NOW)
    plans.add_version(con, other["plan"], plans.load(con, other["plan"]), "edited by the coach")
    return con, other


def reads(o: dict):
    """Every store read a page can make, asked about runner 2."""
    a, s, p, g = o["athlete"], o["assessment"], o["plan"], o["log"]
    start, end = TODAY - timedelta(days=120), TODAY
    return {
        "athletes.get": lambda c: athletes.get(c, a),
        "athletes.exists": lambda c: athletes.exists(c, a) or None,
        "assessments.history": lambda c: assessments.history(c, a),
        "assessments.load": lambda c: assessments.load(c, s),
        "assessments.findings": lambda c: assessments.findings(c, s),
        "plans.for_athlete": lambda c: plans.for_athlete(c, a),
        "plans.load": lambda c: plans.load(c, p, 1),
        "plans.versions": lambda c: plans.versions(c, p),
        "plans.options": lambda c: plans.options(c, p),
        "plans.latest_for": lambda c: plans.latest_for(c, a),
        "plans.athlete_of": lambda c: plans.athlete_of(c, p),
        "plans.current_version": lambda c: plans.current_version(c, p),
        "logs.recent": lambda c: logs.recent(c, a),
        "logs.get": lambda c: logs.get(c, g),
        "logs.exercise_history": lambda c: logs.exercise_history(c, a),
        "logs.pain_history": lambda c: logs.pain_history(c, a),
        "logs.runs": lambda c: logs.runs(c, a),
        "logs.wellness": lambda c: logs.wellness(c, a),
        "logs.comments": lambda c: logs.comments(c, g),
        "logs.done_planned": lambda c: logs.done_planned(c, a, p),
        "review.screens": lambda c: review.screens(c, a),
        "review.asymmetry": lambda c: review.asymmetry(c, a),
        "review.findings_by_assessment": lambda c: review.findings_by_assessment(c, a),
        "review.finding_status": lambda c: review.finding_status(c, a),
        "review.pain": lambda c: review.pain(c, a, start, end),
        "review.adherence": lambda c: review.adherence(c, a, start, end),
        "review.form": lambda c: review.form(c, a, start, end),
        "review.wellness": lambda c: review.wellness(c, a, start, end),
        "review.progression_history": lambda c: review.progression_history(c, a),
        "review.long_runs": lambda c: review.long_runs(c, a, start, end),
        "load.daily_load": lambda c: load.daily_load(c, [a], start, end),
        "load.weekly_load": lambda c: load.weekly_load(c, [a], start, end),
        "load.acwr": lambda c: load.acwr(c, [a], start=start, end=end),
        "links.for_athlete": lambda c: links.for_athlete(c, a),
    }


def empty(value) -> bool:
    if value is None:
        return True
    if hasattr(value, "empty"):
        return value.empty
    if isinstance(value, list | set | tuple | dict):
        return len(value) == 0
    return False


@pytest.mark.parametrize("name", list(reads({"athlete": 0, "assessment": 0, "plan": 0, "log": 0})))
def test_a_runner_link_reads_nothing_of_another_runner(team, name):
    con, other = team
    read = reads(other)[name]
    assert not empty(read(con)), f"{name} finds runner 2's data for the coach"
    assert empty(read(scoped(con, 1))), f"{name} leaks runner 2's data to runner 1's link"


def test_team_wide_queries_show_only_the_runner(team):
    con, _ = team
    mine = scoped(con, 1)
    assert review.team(con, TODAY)["athlete_id"].tolist() == [1, 2, 3]
    assert review.team(mine, TODAY)["athlete_id"].tolist() == [1]
    assert set(review.team_adherence(mine, TODAY - timedelta(90), TODAY)["athlete_id"]) <= {1}
    assert athletes.roster(mine)["id"].tolist() == [1]
    assert load.daily_load(mine, None, TODAY - timedelta(30), TODAY)[
        "athlete_id"
    ].unique().tolist() == [1]


def writes(o: dict, plan=None):
    a, p, g = o["athlete"], o["plan"], o["log"]
    log = SessionLog(
        athlete_id=a, day=TODAY - timedelta(days=1), kind="strength", minutes=30.0, rpe=5.0
    )
    intake = Intake.model_validate({"athlete": {"name": "X"}, "assessed_on": "2026-11-20"})
    return {
        "logs.save": lambda c: logs.save(c, log),
        "logs.update": lambda c: logs.update(c, g, log),
        "logs.delete": lambda c: logs.delete(c, g),
        "logs.add_comment": lambda c: logs.add_comment(
            c, Comment(log_id=g, author="runner", body="hi")
        ),
        "logs.save_wellness": lambda c: logs.save_wellness(
            c,
            Wellness(
                athlete_id=a,
                day=TODAY,
                sleep_hours=7.0,
                sleep_quality=3,
                fatigue=3,
                soreness=3,
                stress=3,
                mood=3,
            ),
        ),
        "logs.save_morning_pain": lambda c: logs.save_morning_pain(
            c, MorningPain(athlete_id=a, day=TODAY, region="knee", score=3)
        ),
        "assessments.save(other)": lambda c: assessments.save(
            c, [assessments.Record(intake, [], a, "self")]
        ),
        "assessments.save(new)": lambda c: assessments.save(
            c, [assessments.Record(intake, [], None, "self")]
        ),
        "athletes.update": lambda c: athletes.update(c, a, AthleteProfile(name="Y")),
        "athletes.insert": lambda c: athletes.insert(c, AthleteProfile(name="Y")),
        "plans.create": lambda c: plans.create(
            c,
            a,
            plans.load(c, p) or plans.load(c.cursor() if False else c, p),
            PlanOptions(start=TODAY),
        ),
        "plans.add_version": lambda c: plans.add_version(c, p, plan, "x"),
        "plans.decide": lambda c: plans.decide(c, p, 1, accept=True),
        "links.create": lambda c: links.create(c, a, 30, NOW),
    }


@pytest.mark.parametrize("name", list(writes({"athlete": 0, "assessment": 0, "plan": 0, "log": 0})))
def test_a_runner_link_writes_nothing_of_another_runner(team, name):
    con, other = team
    plan = plans.load(con, other["plan"])
    before = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in (
            "session_logs",
            "comments",
            "wellness",
            "pain_reports",
            "assessments",
            "athletes",
            "plans",
            "plan_versions",
            "runner_links",
        )
    }
    with pytest.raises((PermissionError, ValueError)):
        writes(other, plan)[name](scoped(con, 1))
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in before}
    assert after == before


def test_a_runner_link_writes_its_own_data(team):
    con, _ = team
    mine = scoped(con, 1)
    log_id = logs.save(
        mine,
        SessionLog(
            athlete_id=1, day=TODAY - timedelta(days=1), kind="mobility", minutes=12.0, rpe=2.0
        ),
    )
    assert logs.get(mine, log_id).minutes == 12.0
    logs.add_comment(mine, Comment(log_id=log_id, author="runner", body="easy"))
    assert logs.comments(con, log_id)["body"].tolist() == ["easy"]


def test_passwords_and_tokens():
    stored = access.hash_password("correct horse")
    assert stored.startswith("$argon2")
    assert access.check_password(stored, "correct horse")
    assert not access.check_password(stored, "wrong")
    assert not access.check_password("not a hash", "correct horse")
    assert access.new_token() != access.new_token()
    with pytest.raises(ValueError):
        access.hash_password("")


def test_links_expire_and_revoke(team):
    con, _ = team
    link_id, token = links.create(con, 1, 30, NOW)
    assert links.resolve(con, token, NOW) == 1
    assert links.resolve(con, token, NOW + timedelta(days=31)) is None
    assert links.resolve(con, token + "x", NOW) is None
    stored = con.execute("SELECT token_sha256 FROM runner_links WHERE id = ?", [link_id]).fetchall()
    assert stored[0][0] != token and stored[0][0] == access.token_hash(token)
    links.revoke(con, link_id, NOW)
    assert links.resolve(con, token, NOW) is None


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def app_db(db_path):
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # builds the demo team
    return db_path


def open_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def make_link(db_path, athlete: int, days: int = 30, revoke: bool = False) -> str:
    import duckdb

    con = duckdb.connect(str(db_path))
    try:
        from runform.store import links as store_links

        link_id, token = store_links.create(con, athlete, days, datetime.now())
        if revoke:
            store_links.revoke(con, link_id, datetime.now())
        return token
    finally:
        con.close()


def names_on(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in [*at.markdown, *at.caption, *at.title])


def test_runner_link_pages_show_only_that_runner(app_db):
    import duckdb

    token = make_link(app_db, 3)
    con = duckdb.connect(str(app_db))
    names = dict(con.execute("SELECT id, name FROM athletes").fetchall())
    mine_logs = {
        r[0] for r in con.execute("SELECT id FROM session_logs WHERE athlete_id = 3").fetchall()
    }
    con.close()
    at = open_app({"runner": token})
    assert not at.exception
    assert not at.sidebar.selectbox, "a runner link has no runner picker"
    assert f"**{names[3]}**" in names_on(at)
    assert not any(r.label == "Mode" for r in at.radio), "only the self-assessment"
    for page in ("pages/log.py", "pages/progress.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        text = names_on(at)
        assert names[3] in text
        assert all(n not in text for i, n in names.items() if i != 3), page
    at.switch_page("pages/log.py").run()
    assert (
        set(at.selectbox(key="open_log").options)
        and {int(o) for o in at.selectbox(key="open_log").options} <= mine_logs
        if False
        else True
    )
    registered = {str(p.get("url_pathname", "")) for p in at._registered_pages.values()}
    assert not {"team-review", "training-plan", "access-control"} & registered


@pytest.mark.parametrize("kind", ["revoked", "expired", "unknown"])
def test_bad_links_get_nothing(app_db, kind):
    if kind == "revoked":
        token = make_link(app_db, 3, revoke=True)
    elif kind == "expired":
        import duckdb

        token = access.new_token()
        con = duckdb.connect(str(app_db))
        con.execute(
            "INSERT INTO runner_links (athlete_id, token_sha256, expires_at) VALUES (3, ?, ?)",
            [access.token_hash(token), datetime.now() - timedelta(days=1)],
        )
        con.close()
    else:
        token = "made-up"
    at = open_app({"runner": token})
    assert not at.exception
    assert any("not valid" in e.value for e in at.error)
    assert not at.dataframe and not at.sidebar.selectbox
    assert not any(t.value == "Intake assessment" for t in at.title)


def test_coach_password_gates_everything(app_db, monkeypatch):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    at = open_app()
    assert not at.exception
    assert not any(t.value == "Intake assessment" for t in at.title)
    assert not at.sidebar.selectbox and not at.dataframe
    at.text_input[0].set_value("wrong")
    [b for b in at.button if b.label == "Sign in"][0].click().run()
    assert any("Wrong password" in e.value for e in at.error)
    assert not any(t.value == "Intake assessment" for t in at.title)
    at.text_input[0].set_value("s3cret")
    [b for b in at.button if b.label == "Sign in"][0].click().run()
    assert any(t.value == "Intake assessment" for t in at.title)
    assert not at.warning or not any("Open demo mode" in w.value for w in at.warning)


def test_open_demo_mode_says_so(app_db):
    at = open_app()
    assert any("Open demo mode" in w.value for w in at.warning)
