"""Address values: parsed in one place, and every wrong one a sentence with a way back."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform import access, urlparams
from tests.apptest import open_page, runner_link
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("1", 1), ("42", 42), ("2147483647", 2147483647)],
)
def test_numbers(raw, expected):
    params = {} if raw is None else {"plan": raw}
    assert urlparams.number(params, "plan") == expected


@pytest.mark.parametrize(
    "raw", ["abc", "-1", "0", "1.5", "1e3", " 3", "٣", "99999999999", "2147483648", "3;drop"]
)
def test_wrong_numbers_name_the_parameter(raw):
    with pytest.raises(urlparams.BadAddress) as e:
        urlparams.number({"athlete": raw}, "athlete")
    assert e.value.name == "athlete"
    assert str(e.value).startswith("The address has athlete=")
    assert "runner" in str(e.value)


def test_session_positions_start_at_zero():
    assert urlparams.number({"session": "0"}, "session", minimum=0) == 0
    with pytest.raises(urlparams.BadAddress):
        urlparams.number({"session": "-1"}, "session", minimum=0)


def test_days():
    assert urlparams.day({"day": "2026-11-20"}, "day") == date(2026, 11, 20)
    assert urlparams.day({}, "day") is None
    for raw in ["notadate", "2026-13-01", "2026-02-30", "20261120x", "1999-12-31", "2101-01-01"]:
        with pytest.raises(urlparams.BadAddress) as e:
            urlparams.day({"day": raw}, "day")
        assert e.value.name == "day"


def test_choices_and_ranges():
    assert urlparams.choice({"mode": "self"}, "mode", ["coach", "self"]) == "self"
    assert urlparams.choice({}, "mode", ["coach", "self"]) is None
    with pytest.raises(urlparams.BadAddress, match="coach, self"):
        urlparams.choice({"mode": "admin"}, "mode", ["coach", "self"])
    assert urlparams.in_range("week", 3, 12, "this plan") == 3
    with pytest.raises(urlparams.BadAddress, match="only 12"):
        urlparams.in_range("week", 999, 12, "this plan")


# --- the pages: each bad value gets its message and a way back, and nothing else ---------------


def shows_only_the_message(at: AppTest, says: str) -> None:
    assert not at.exception, at.exception
    assert any(says in e.value for e in at.error), [e.value for e in at.error]
    assert any(b.key == "bad_address_back" for b in at.button)
    assert not at.dataframe and not at.download_button and not at.tabs


@pytest.mark.parametrize(
    ("page", "query", "says"),
    [
        ("plan", {"plan": "abc"}, "plan='abc'"),
        ("plan", {"plan": "999"}, "has no plan 999"),
        ("plan", {"week": "999"}, "week=999"),
        ("plan", {"week": "0"}, "week=0"),
        ("present", {"plan": "abc"}, "plan='abc'"),
        ("present", {"plan": "999"}, "no plan 999"),
        ("present", {"plan": "1", "week": "999"}, "week=999"),
        ("present", {"plan": "1", "session": "99"}, "session=99"),
        ("log", {"athlete": "-1"}, "athlete='-1'"),
        ("log", {"athlete": "999"}, "no runner 999"),
        ("log", {"day": "notadate"}, "day='notadate'"),
        ("progress", {"from": "yesterday"}, "from='yesterday'"),
        ("progress", {"section": "Secrets"}, "section='Secrets'"),
        ("intake", {"mode": "admin"}, "mode='admin'"),
    ],
)
def test_a_bad_address_gets_a_message_and_a_way_back(demo_db, page, query, says):
    at = open_page(page, {"athlete": "1", **query} if "athlete" not in query else query)
    shows_only_the_message(at, says)
    at.button(key="bad_address_back").click().run()
    assert not at.exception
    assert not any(says in e.value for e in at.error), "the way back drops the wrong value"


def test_another_runners_plan_in_a_runner_link_is_not_shown(demo_db):
    con = duckdb.connect(str(demo_db))
    theirs = con.execute("SELECT min(id) FROM plans WHERE athlete_id <> 3").fetchone()[0]
    log_of_theirs = con.execute(
        "SELECT min(id) FROM session_logs WHERE athlete_id <> 3"
    ).fetchone()[0]
    con.close()
    token = runner_link(demo_db, 3)
    # the Plan page is the coach's: a runner link never reaches it, whatever plan it names
    at = open_page("plan", {"runner": token, "plan": str(theirs)})
    assert not at.exception
    assert not any(t.value == "Training plan" for t in at.title)
    assert any("for the coach" in e.value for e in at.error)
    assert not at.dataframe and not at.download_button
    # the runner's own Log page never lists another runner's session
    at = open_page("log", {"runner": token, "log": str(log_of_theirs)})
    assert not at.exception
    listed = [o for s in at.selectbox for o in s.options]
    assert str(log_of_theirs) not in listed


PAGE_NAMES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")


def test_a_page_file_run_by_itself_hands_over_to_the_sign_in(demo_db, monkeypatch):
    """What Streamlit's legacy pages/ mode does on a first request: the sign-in, never the page."""
    monkeypatch.setenv("RUNFORM_COACH_PASSWORD_HASH", access.hash_password("s3cret"))
    for page in PAGE_NAMES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
        assert not at.exception, (page, at.exception)
        assert [t.value for t in at.title] == ["RunForm"], page
        assert at.text_input(key="coach_password"), page
        assert not at.download_button and not at.dataframe and not at.sidebar.selectbox, page


def test_importing_a_page_module_draws_nothing():
    def importer():
        import runpy

        from tests.conftest import ROOT

        for path in sorted((ROOT / "pages").rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            runpy.run_path(str(path), run_name=module)

    at = AppTest.from_function(importer, default_timeout=30).run()
    assert not at.exception
    assert not at.main.children and not at.sidebar.children
