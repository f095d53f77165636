"""The calendar through AppTest: Progress's Calendar section (coloured links to plan cards and
logs, rest days, the fitness chart), moving a session on the Plan page (only available days,
a new version moved by the coach), and the Team board's compliance and form columns with the
team's week. Widgets are found by key."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from runform import clock
from runform.store import athletes, plans
from runform.vocab import COMPLIANCE_COLOURS, WEEKDAYS
from tests.apptest import open_page, param

TODAY = clock.today()


def links(at: AppTest) -> list[tuple[str, str, dict[str, list[str]]]]:
    """Every page link: its label, the page it opens and its address."""
    return [
        (p.proto.label, p.proto.page, parse_qs(p.proto.query_string)) for p in at.get("page_link")
    ]


def progress_calendar(athlete_id: int = 1, **query: str) -> AppTest:
    at = open_page("progress", {"athlete": str(athlete_id), "section": "Calendar", **query})
    assert not at.exception, at.exception
    return at


def status_of(label: str) -> str | None:
    """The compliance status whose colour a session link's label is drawn on, if any."""
    found = re.search(r'background="(#[0-9A-Fa-f]{6})"', label)
    by_colour = {c: s for s, c in COMPLIANCE_COLOURS.items()}
    return by_colour.get(found[1]) if found else None


def test_the_month_shows_sessions_coloured_and_linked(demo_db):
    at = progress_calendar(cal_day=(TODAY - timedelta(days=7)).isoformat())  # days done in it
    assert at.segmented_control(key="cal").value == "Month"
    found = [(status_of(label), page, q) for label, page, q in links(at) if status_of(label)]
    assert found, links(at)
    for status, page, q in found:
        assert q["athlete"] == ["1"]
        if status in ("green", "yellow", "red", "unplanned"):  # done or unplanned: its log
            assert page == "log" and q["log_tab"] == ["History"], (status, q)
            assert date.fromisoformat(q["day"][0]) <= TODAY
        elif status == "planned":  # still to come: its plan card
            assert page == "plan" and {"plan", "week", "session"} <= set(q), (status, q)
    assert "green" in {status for status, _, _ in found}
    heads = [m.value for m in at.markdown]
    assert any("Rest" in h for h in heads)
    legend = " ".join(c.value for c in at.caption)
    assert "80–120 %" in legend and "TrainingPeaks" in legend


def test_the_fitness_chart_says_what_it_is_not(demo_db):
    at = progress_calendar()
    assert [c.proto.id for c in at.get("plotly_chart")]  # the chart is drawn
    notes = " ".join(c.value for c in at.caption)
    assert "no prediction of injury" in notes and "Impellizzeri et al. 2020" in notes


def test_the_week_view_and_its_day_come_from_the_address(demo_db):
    """?cal=Week&cal_day=… opens that week (a shared link shows the same view); the day picked
    goes back into the address."""
    day = TODAY - timedelta(days=10)
    at = progress_calendar(cal="Week", cal_day=day.isoformat())
    assert at.segmented_control(key="cal").value == "Week"
    assert at.date_input(key="cal_day_input").value == day
    monday = day - timedelta(days=day.weekday())
    heads = [m.value for m in at.markdown if m.value.startswith("**") and "Rest" not in m.value]
    heads += [m.value.split("  ")[0] for m in at.markdown if "Rest" in m.value]
    shown = [f"**{monday + timedelta(days=i):%a %d}**" for i in range(7)]
    assert all(h in heads for h in shown), heads
    at.date_input(key="cal_day_input").set_value(TODAY).run()
    assert param(at, "cal_day") == [TODAY.isoformat()]


def test_a_goal_race_is_marked(demo_db):
    con = duckdb.connect(str(demo_db))
    try:
        goal = next(
            (p.goal.date, a)
            for a in athletes.roster(con)["id"]
            if (p := athletes.get(con, int(a))) and p.goal
        )
    finally:
        con.close()
    at = progress_calendar(goal[1], cal_day=goal[0].isoformat())
    assert any("Goal race" in m.value for m in at.markdown)


# --- moving a session on the Plan page ---------------------------------------------------------


def future_week(db_path) -> tuple[int, int, int]:
    """Runner 1's current plan, its current version and a week after today."""
    con = duckdb.connect(str(db_path))
    try:
        plan_id = plans.latest_for(con, 1)
        version = plans.current_version(con, plan_id)
        plan = plans.load(con, plan_id, version)
        week = next(w.index for w in plan.weeks if min(s.date for s in w.sessions) > TODAY)
        return plan_id, version, week
    finally:
        con.close()


def stored(db_path, plan_id: int):
    con = duckdb.connect(str(db_path))
    try:
        notes = con.execute(
            "SELECT version, note FROM plan_versions WHERE plan_id = ? ORDER BY version",
            [plan_id],
        ).fetchall()
        return notes, plans.load(con, plan_id), athletes.get(con, 1).available_days
    finally:
        con.close()


def test_move_a_session_to_an_available_day(demo_db):
    plan_id, version, week = future_week(demo_db)
    at = open_page("plan", {"athlete": "1", "plan": str(plan_id), "week": str(week)}, timeout=120)
    assert not at.exception, at.exception
    key = f"{plan_id}_{version}_{week}"
    before, plan, available = stored(demo_db, plan_id)
    picker = at.selectbox(key=f"move_session_{key}")
    position = picker.value
    session = plan.weeks[week - 1].sessions[position]
    offered = at.selectbox(key=f"move_day_{key}_{position}").options
    assert offered, "no day offered"
    days = [
        d for d in (session.date + timedelta(days=i - session.date.weekday()) for i in range(7))
    ]
    allowed = [f"{d:%A %d %b}" for d in days if WEEKDAYS[d.weekday()] in available]
    assert set(offered) <= set(allowed) and f"{session.date:%A %d %b}" not in offered
    to = at.selectbox(key=f"move_day_{key}_{position}").options[0]
    at.selectbox(key=f"move_day_{key}_{position}").set_value(
        next(d for d in days if f"{d:%A %d %b}" == to)
    ).run()
    at.button(key=f"move_{key}").click().run()
    assert not at.exception, at.exception
    after, moved, _ = stored(demo_db, plan_id)
    assert len(after) == len(before) + 1
    assert "moved by the coach" in after[-1][1]
    target = next(d for d in days if f"{d:%A %d %b}" == to)
    assert (target, session.kind) in [(s.date, s.kind) for s in moved.weeks[week - 1].sessions]
    assert any("Moved by the coach" in m.value for m in at.toast) or any(
        "Moved by the coach" in s.value for s in at.success
    )


def test_a_runner_link_has_no_move(demo_db):
    """The Plan page is the coach's: a runner's link never sees the move form."""
    from tests.apptest import runner_link

    at = open_page("progress", {"runner": runner_link(demo_db, 1), "section": "Calendar"})
    assert not at.exception
    assert not [b for b in at.button if (b.key or "").startswith("move_")]
    sessions = [page for label, page, _ in links(at) if status_of(label)]
    assert sessions and all(page == "log" for page in sessions)


# --- the Team page -----------------------------------------------------------------------------


def test_the_team_board_has_compliance_and_form_and_the_week(demo_db):
    at = open_page("team", timeout=120)
    assert not at.exception, at.exception
    [board] = [d for d in at.dataframe if d.key == "team_table"]
    assert {"compliance", "tsb"} <= set(board.value.columns)
    order = list(board.proto.column_order)
    assert order.index("compliance") == order.index("adherence") + 1
    assert "tsb" in order
    assert board.value["compliance"].notna().any() and board.value["tsb"].notna().any()
    tables = [h.proto.body for h in at.get("html") if "<table" in h.proto.body]
    assert len(tables) == 1
    names = board.value["name"].tolist()
    assert all(n.replace("&", "&amp;") in tables[0] for n in names)
    assert tables[0].count("<tr>") == len(names) + 1  # a row per runner under the days
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert f"{monday:%a %d %b}" in tables[0]
    assert any(f"background:{c}" in tables[0] for c in COMPLIANCE_COLOURS.values())


@pytest.fixture(autouse=True)
def _fresh_cache():
    import streamlit as st

    st.cache_data.clear()
