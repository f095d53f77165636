"""Access: a runner's link reads and writes only that runner's data, through every store function
and page; revoked or expired links and wrong coach passwords get nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform import access, clock
from runform.errors import Forbidden, NotFound
from runform.models import (
    AssessmentRecord,
    Comment,
    Intake,
    MorningPain,
    PlanOptions,
    SessionLog,
    Wellness,
)
from runform.services import reviews, seed
from runform.store import assessments, athletes, links, logs, plans, review
from runform.store.connection import connect, scoped
from tests.apptest import open_page, param

# The day of the run (conftest sets it before collection; `pytest --today` moves it): the store
# refuses days after today, so the module's team is built up to it, whatever day that is.
TODAY = clock.today()
NOW = datetime.combine(TODAY, time(12, 0))


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """Three demo runners; runner 1 opens a scoped cursor, runner 2's ids are the targets."""
    con = connect(tmp_path_factory.mktemp("access") / "team.duckdb")
    seed.demo_team(con, n=3, weeks=8, today=TODAY)
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
    # a day with runner 2's planned sessions in force, for the Log page's read
    other["day"] = con.execute(
        "SELECT max(day) FROM planned_session_status WHERE athlete_id = 2"
    ).fetchall()[0][0]
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
        "logs.planned_on": lambda c: logs.planned_on(c, a, o["day"]),
        "review.screens": lambda c: review.screens(c, a),
        "review.asymmetry": lambda c: review.asymmetry(c, a),
        "review.findings_by_assessment": lambda c: review.findings_by_assessment(c, a),
        "review.measured_screens": lambda c: review.measured_screens(c, a),
        "review.pain": lambda c: review.pain(c, a, start, end),
        "review.adherence": lambda c: review.adherence(c, a, start, end),
        "review.form": lambda c: review.form(c, a, start, end),
        "review.wellness": lambda c: review.wellness(c, a, start, end),
        "review.progression_history": lambda c: review.progression_history(c, a),
        "review.long_runs": lambda c: review.long_runs(c, a, start, end),
        "load.daily_load": lambda c: reviews.daily_load(c, [a], start, end),
        "load.weekly_load": lambda c: reviews.weekly_load(c, [a], start, end),
        "load.acwr": lambda c: reviews.acwr(c, [a], start=start, end=end),
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
    assert reviews.team_board(con, TODAY)["athlete_id"].tolist() == [1, 2, 3]
    assert reviews.team_board(mine, TODAY)["athlete_id"].tolist() == [1]
    assert set(review.adherence(mine, None, TODAY - timedelta(90), TODAY)["athlete_id"]) <= {1}
    assert athletes.roster(mine)["id"].tolist() == [1]
    assert reviews.daily_load(mine, None, TODAY - timedelta(30), TODAY)[
        "athlete_id"
    ].unique().tolist() == [1]


def writes(o: dict, plan=None):
    a, p, g = o["athlete"], o["plan"], o["log"]
    log = SessionLog(
        athlete_id=a, day=TODAY - timedelta(days=1), kind="strength", minutes=30.0, rpe=5.0
    )
    assessed_on = (TODAY - timedelta(days=5)).isoformat()
    intake = Intake.model_validate({"athlete": {"name": "X"}, "assessed_on": assessed_on})
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
            c, [AssessmentRecord(intake=intake, findings=[], athlete_id=a, mode="self")]
        ),
        "assessments.save(new)": lambda c: assessments.save(
            c, [AssessmentRecord(intake=intake, findings=[], athlete_id=None, mode="self")]
        ),
        "athletes.insert": lambda c: athletes.insert(c),
        # a whole, valid plan (the coach's copy): refused for whose it is, not for being empty
        "plans.create": lambda c: plans.create(c, a, plan, PlanOptions(start=TODAY)),
        "plans.add_version": lambda c: plans.add_version(c, p, plan, "x"),
        "plans.decide": lambda c: plans.decide(c, p, 1, accept=True),
        "links.create": lambda c: links.create(c, a, 30, NOW),
    }


# What each write on runner 1's link says when it aims at runner 2: Forbidden where it names the
# runner; NotFound where it names a row that runner 1's link cannot see.
REFUSED: dict[str, type[Exception]] = {
    "logs.save": Forbidden,
    "logs.update": Forbidden,
    "logs.delete": NotFound,
    "logs.add_comment": NotFound,
    "logs.save_wellness": Forbidden,
    "logs.save_morning_pain": Forbidden,
    "assessments.save(other)": Forbidden,
    "assessments.save(new)": Forbidden,
    "athletes.insert": Forbidden,
    "plans.create": Forbidden,
    "plans.add_version": NotFound,
    "plans.decide": Forbidden,
    "links.create": Forbidden,
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
            "plan_weeks",
            "plan_sessions",
            "runner_links",
        )
    }
    with pytest.raises(REFUSED[name]):
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

COACH_PAGES = ("team", "plan", "present", "access")
RUNNER_PAGES = ("intake", "log", "imports", "health", "progress")
ALL_PAGES = ("intake", "plan", "present", "team", "progress", "log", "imports", "health", "access")


def make_link(db_path, athlete: int, days: int = 30, revoke: bool = False) -> str:
    con = duckdb.connect(str(db_path))
    try:
        link_id, token = links.create(con, athlete, days, clock.now())
        if revoke:
            links.revoke(con, link_id, clock.now())
        return token
    finally:
        con.close()


def runner_names(db_path) -> dict[int, str]:
    con = duckdb.connect(str(db_path))
    try:
        roster = athletes.roster(con)
        return dict(zip(roster["id"], roster["name"], strict=True))
    finally:
        con.close()


def names_on(at: AppTest) -> str:
    """Every text on the page a runner's name could be in (sidebar included)."""
    texts = [*at.markdown, *at.caption, *at.title, *at.subheader, *at.info, *at.error]
    options = [o for s in at.selectbox for o in s.options]
    return "\n".join([*(str(x.value) for x in texts), *options])


@pytest.fixture
def navigation(monkeypatch) -> list[dict[str, set[str]]]:
    """What each run hands to st.navigation: the url paths of the pages in the menu
    ("visible") and of those registered without a menu entry ("hidden")."""
    import streamlit as st

    from pages.core.nav import PAGES

    by_title = {title: name for name, (title, _) in PAGES.items()}
    real = st.navigation
    calls: list[dict[str, set[str]]] = []

    def spy(pages, *args, **kwargs):
        listed = [p for ps in pages.values() for p in ps] if isinstance(pages, dict) else pages
        seen: dict[str, set[str]] = {"visible": set(), "hidden": set()}
        for p in listed:
            seen[p.visibility].add(by_title.get(p.title, p.title))
        calls.append(seen)
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    return calls


def registered(at: AppTest) -> set[str]:
    """The url paths of every page the last run registered (the default page's is "")."""
    return {str(p.get("url_pathname", "")) for p in at._registered_pages.values()}


def runner_menu(navigation: list[dict[str, set[str]]]) -> None:
    """A runner's menu: their own four pages; a coach page is never in it, and is registered
    at most hidden (its address then says whose page it is instead of "Page not found")."""
    last = navigation[-1]
    assert last["visible"] == set(RUNNER_PAGES), last
    assert not set(COACH_PAGES) & last["visible"], last
    assert last["hidden"] <= set(COACH_PAGES), last


def titles(at: AppTest) -> list[str]:
    """The page's own titles (the sidebar's "RunForm" heading left out)."""
    return [t.value for t in at.main.title]


def every_title(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def shows_only_that_runner(at: AppTest, names: dict[int, str], athlete: int, token: str) -> None:
    assert not at.exception, at.exception
    assert not at.sidebar.selectbox, "a runner link has no runner picker"
    assert f"**{names[athlete]}**" in [m.value for m in at.sidebar.markdown][0]
    text = names_on(at)
    assert names[athlete] in text
    others = [n for i, n in names.items() if i != athlete and n in text]
    assert not others, f"another runner's name on {titles(at)}: {others}"
    assert param(at, "runner") == [token], "the runner's token stays in the address"
    assert not any("Open demo mode" in m.value for m in at.markdown)


def sign_in_button(at: AppTest):
    [button] = [b for b in at.button if b.label == "Sign in"]
    return button


def test_runner_link_pages_show_only_that_runner(demo_db, navigation):
    token = make_link(demo_db, 3)
    names = runner_names(demo_db)
    con = duckdb.connect(str(demo_db))
    mine_logs = {
        r[0] for r in con.execute("SELECT id FROM session_logs WHERE athlete_id = 3").fetchall()
    }
    theirs_logs = {
        r[0] for r in con.execute("SELECT id FROM session_logs WHERE athlete_id <> 3").fetchall()
    }
    con.close()
    assert mine_logs and theirs_logs
    at = open_page(None, {"runner": token})
    shows_only_that_runner(at, names, 3, token)
    assert titles(at) == ["Intake assessment"], "a runner link opens on the self-assessment"
    assert not any(r.label == "Mode" for r in at.radio), "only the self-assessment"
    assert at.tabs, "the self-assessment is drawn"
    runner_menu(navigation)
    for page in ("log", "progress"):
        at = open_page(page, {"runner": token})
        shows_only_that_runner(at, names, 3, token)
        assert titles(at) == [{"log": "Training log", "progress": "Progress"}[page]]
        runner_menu(navigation)
    # the Log page's History lists this runner's logs, and only theirs
    at = open_page("log", {"runner": token, "log_tab": "History"})
    [history] = [d.value for d in at.dataframe if "id" in d.value.columns]
    listed = set(history["id"].tolist())
    assert listed and listed <= mine_logs and not listed & theirs_logs
    with duckdb.connect(str(demo_db)) as con:
        assert history["id"].tolist() == logs.recent(con, 3)["id"].tolist()
    opened = at.selectbox(key="open_log")
    assert len(opened.options) == len(listed)
    assert opened.value in listed


def test_a_runner_who_moves_between_pages_stays_that_runner(demo_db):
    """Opening Log then Progress with the link's address: the same runner all the way."""
    token = make_link(demo_db, 3)
    names = runner_names(demo_db)
    query = {"runner": token}
    at = open_page(None, query)
    shows_only_that_runner(at, names, 3, token)
    for page in ("log", "progress", "log"):
        at = open_page(page, query)
        shows_only_that_runner(at, names, 3, token)
        assert titles(at) == [{"log": "Training log", "progress": "Progress"}[page]]
        assert at.session_state["runner_token"] == token
        # the address the app leaves is what a reload or Back opens next
        query = {k: param(at, k)[-1] for k in at.query_params}
        assert query["runner"] == token
        assert "athlete" not in query, "a runner link never picks a runner by number"


@pytest.mark.parametrize("page", COACH_PAGES)
def test_a_runner_link_at_a_coach_page_address_gets_no_team_data(demo_db, navigation, page):
    token = make_link(demo_db, 3)
    names = runner_names(demo_db)
    at = open_page(page, {"runner": token})
    shows_only_that_runner(at, names, 3, token)
    assert not {"Team", "Training plan", "Present", "Access"} & set(titles(at))
    assert not any(d.key == "team_table" for d in at.dataframe)
    assert not at.metric, "no team figures"
    assert not any(
        b.proto.label.startswith(("Download team", "Download findings-prevalence", "Download a"))
        for b in at.download_button
    )
    assert not at.get("plotly_chart"), "no team charts"
    assert any("This page is for the coach" in e.value for e in at.error)
    assert not at.tabs and not at.dataframe and not at.download_button, "nothing else drawn"
    runner_menu(navigation)


@pytest.mark.parametrize("kind", ["revoked", "expired", "unknown"])
def test_bad_links_get_nothing(demo_db, kind):
    if kind == "revoked":
        token = make_link(demo_db, 3, revoke=True)
    elif kind == "expired":
        token = access.new_token()
        con = duckdb.connect(str(demo_db))
        con.execute(
            "INSERT INTO runner_links (athlete_id, token_sha256, expires_at) VALUES (3, ?, ?)",
            [access.token_hash(token), clock.now() - timedelta(days=1)],
        )
        con.close()
    else:
        token = "made-up"
    names = runner_names(demo_db)
    for page in (None, *ALL_PAGES):
        at = open_page(page, {"runner": token})
        assert not at.exception, page
        assert any("not valid" in e.value for e in at.error), page
        assert not at.dataframe and not at.sidebar.selectbox, page
        assert not at.download_button and not at.text_input, page
        assert every_title(at) == ["RunForm"], page
        assert not any(n in names_on(at) for n in names.values()), page


def test_coach_password_gates_everything(demo_db, monkeypatch):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    at = open_page()
    assert not at.exception
    assert every_title(at) == ["RunForm"]
    assert not at.sidebar.selectbox and not at.dataframe
    at.text_input(key="coach_password").set_value("wrong")
    sign_in_button(at).click().run()
    assert any("Wrong password" in e.value for e in at.error)
    assert every_title(at) == ["RunForm"]
    assert not at.sidebar.selectbox and not at.dataframe
    at.text_input(key="coach_password").set_value("s3cret")
    sign_in_button(at).click().run()
    assert not at.exception
    assert titles(at) == ["Intake assessment"]
    assert at.sidebar.selectbox, "the signed-in coach picks a runner"
    assert not any("Open demo mode" in m.value for m in at.markdown)


@pytest.mark.parametrize("query", [{}, {"athlete": "3"}], ids=["bare", "athlete"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_address_shows_only_the_sign_in(demo_db, monkeypatch, page, query):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    names = runner_names(demo_db)
    at = open_page(page, query)
    assert not at.exception, at.exception
    assert every_title(at) == ["RunForm"]
    assert not at.dataframe and not at.download_button and not at.sidebar.selectbox
    assert not at.get("plotly_chart") and not at.metric and not at.tabs
    assert [t.key for t in at.text_input] == ["coach_password"]
    assert sign_in_button(at)
    assert not any(n in names_on(at) for n in names.values())


def test_signing_in_at_the_access_address_opens_the_access_page(demo_db, monkeypatch, navigation):
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    at = open_page("access")
    assert every_title(at) == ["RunForm"]
    at.text_input(key="coach_password").set_value("s3cret")
    sign_in_button(at).click().run()
    assert not at.exception, at.exception
    assert titles(at) == ["Access"]
    assert at.session_state["coach_signed_in"] is True
    assert at.sidebar.selectbox, "the coach's runner picker"
    assert any(b.key == "dl_backup" for b in at.download_button)
    assert navigation[-1] == {"visible": set(ALL_PAGES), "hidden": set()}
    assert registered(at) == {"", *ALL_PAGES} - {"intake"}, "intake is the default page"
    # a signed-in coach (the session keeps it) opens a coach page's address directly
    at = open_page("team", state={"coach_signed_in": True})
    assert not at.exception
    assert titles(at) == ["Team"]


def test_open_demo_mode_says_so(demo_db):
    at = open_page()
    # a small badge and its reason in the sidebar, not a banner over the page
    assert any("Open demo mode" in m.value for m in at.sidebar.markdown)
    assert any("no coach password is set" in c.value for c in at.sidebar.caption)
    assert not at.main.warning
