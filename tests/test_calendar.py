"""The calendar's services on the demo team: planned against done by day, moving a session to
another available day (a new version, nothing written when refused), the team's columns and
week, and the calendar feed (a valid token parses with icalendar; revoked or wrong: nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pandas as pd
import pytest
from starlette.requests import Request

from runform import calview, clock
from runform.errors import Forbidden, InvalidInput
from runform.services import access, calendar, plans
from runform.store import athletes, links
from runform.store.connection import connect, scoped
from runform.vocab import COMPLIANCE, WEEKDAYS

TODAY = clock.today()
NOW = datetime.combine(TODAY, datetime.min.time())


@pytest.fixture
def team(demo_db):
    con = connect(demo_db)
    yield con
    con.close()


def current(con, athlete_id: int = 1) -> tuple[int, int]:
    plan_id = plans.latest_for(con, athlete_id)
    assert plan_id is not None
    return plan_id, plans.current_version(con, plan_id)


def test_a_month_of_days_coloured_with_rest_days_and_the_goal(team):
    first, last = calview.month(TODAY - timedelta(days=7))  # a month with days done
    found = calendar.runner_calendar(team, 1, first, last, TODAY)
    days = [d for week in found.weeks for d in week]
    assert all(len(w) == 7 for w in found.weeks) and days[0].day.weekday() == 0
    assert days[0].day <= first and days[-1].day >= last
    statuses = {i.status for d in days for i in d.items}
    assert statuses <= set(COMPLIANCE) and statuses & {"green", "yellow", "red"}
    assert any(d.rest for d in days)
    for d in days:
        for i in d.items:
            if i.status == "planned":
                assert d.day >= TODAY and i.log_id is None
            if i.status == "missed":
                assert d.day < TODAY and i.log_id is None
            if i.status == "unplanned":
                assert i.plan_id is None and i.log_id is not None
    goal = athletes.get(team, 1).goal
    assert found.goal == (goal.date if goal else None)


def test_a_log_with_no_plan_is_unplanned(team):
    from runform.models import SessionLog
    from runform.store import logs

    day = TODAY - timedelta(days=1)
    log_id = logs.save(
        team, SessionLog(athlete_id=1, day=day, kind="cross_training", minutes=33, rpe=3)
    )
    found = calendar.coloured(team, 1, day, day, TODAY)
    row = found[found["log_id"] == log_id].iloc[0]
    assert (row["planned"], row["status"], row["done_minutes"]) == (False, "unplanned", 33)


def upcoming(con, athlete_id: int = 1):
    """A future week of the runner's current plan with a session that can move."""
    plan_id, version = current(con, athlete_id)
    plan = plans.load(con, plan_id, version)
    for week in plan.weeks:
        if week.sessions and min(s.date for s in week.sessions) > TODAY:
            choices = plans.move_choices(con, plan_id, version, week.index)
            for position, days in choices.items():
                if days:
                    return plan_id, version, week, position, days
    pytest.skip("no future week with a movable session")


def test_move_choices_are_the_available_days_of_the_week(team):
    plan_id, version, week, position, days = upcoming(team)
    available = set(athletes.get(team, 1).available_days)
    session = week.sessions[position]
    monday = session.date - timedelta(days=session.date.weekday())
    assert all(WEEKDAYS[d.weekday()] in available for d in days)
    assert all(monday <= d <= monday + timedelta(days=6) for d in days)
    assert session.date not in days


def test_moving_a_session_writes_a_new_version_moved_by_the_coach(team):
    plan_id, version, week, position, days = upcoming(team)
    session = week.sessions[position]
    saved = plans.move_session(team, plan_id, version, week.index, position, days[0])
    assert saved.version == plans.versions(team, plan_id)["version"].max()
    assert "moved by the coach" in saved.note
    moved = plans.load(team, plan_id, saved.version)
    kinds = [
        (s.date, s.kind) for s in next(w for w in moved.weeks if w.index == week.index).sessions
    ]
    assert (days[0], session.kind) in kinds
    before = plans.load(team, plan_id, version)  # the old version is kept as it was
    assert (
        before == plans.load(team, plan_id, version)
        and session in next(w for w in before.weeks if w.index == week.index).sessions
    )


@pytest.mark.parametrize("bad", ["unavailable", "outside", "same", "not a day"])
def test_a_day_the_runner_is_not_available_is_refused_and_nothing_written(team, bad):
    plan_id, version, week, position, days = upcoming(team)
    session = week.sessions[position]
    monday = session.date - timedelta(days=session.date.weekday())
    available = set(athletes.get(team, 1).available_days)
    closed = [monday + timedelta(days=i) for i in range(7)]
    closed = [d for d in closed if WEEKDAYS[d.weekday()] not in available]
    to = {
        "unavailable": closed[0] if closed else None,
        "outside": monday + timedelta(days=7 + WEEKDAYS.index(next(iter(available)))),
        "same": session.date,
        "not a day": "next tuesday",
    }[bad]
    if to is None:
        pytest.skip("the runner is available every day")
    count = len(plans.versions(team, plan_id))
    with pytest.raises(InvalidInput) as refused:
        plans.move_session(team, plan_id, version, week.index, position, to)
    assert list(refused.value.fields) == ["day"]
    assert len(plans.versions(team, plan_id)) == count


def test_a_week_or_a_session_the_plan_lacks_is_named(team):
    plan_id, version, week, position, days = upcoming(team)
    count = len(plans.versions(team, plan_id))
    for at, field in [((99, position), "week"), ((week.index, 99), "session")]:
        with pytest.raises(InvalidInput) as refused:
            plans.move_session(team, plan_id, version, *at, days[0])
        assert list(refused.value.fields) == [field]
    assert len(plans.versions(team, plan_id)) == count


def test_a_runner_link_cannot_move_a_session(team):
    plan_id, version, week, position, days = upcoming(team)
    with pytest.raises(Forbidden):
        plans.move_session(scoped(team, 1), plan_id, version, week.index, position, days[0])


def test_an_unknown_session_is_named(team):
    plan_id, version, week, _, days = upcoming(team)
    with pytest.raises(InvalidInput) as refused:
        plans.move_session(team, plan_id, version, week.index, 99, days[0])
    assert list(refused.value.fields) == ["session"]


def test_the_team_board_has_compliance_and_form(team):
    board = calendar.team_board(team, TODAY)
    assert {"compliance", "band", "tsb"} <= set(board.columns)
    assert board["athlete_id"].is_unique and len(board) == len(athletes.roster(team))
    known = board.dropna(subset=["compliance"])
    assert not known.empty and known["band"].isin(["green", "yellow", "red"]).all()
    assert board["tsb"].notna().any()


def test_the_team_week_has_a_row_per_runner_and_seven_days(team):
    week = calendar.team_week(team, TODAY, TODAY)
    rows = week.rows
    assert week.first == calview.monday(TODAY) and week.first.weekday() == 0
    assert len(rows) == len(athletes.roster(team))
    assert all(len(r.days) == 7 for r in rows)
    assert any(i for r in rows for d in r.days for i in d)


def test_the_fitness_curve_runs_past_today_on_the_plan(team):
    curve = calendar.fitness_curve(team, 1, TODAY - timedelta(weeks=8), None, TODAY)
    days = pd.to_datetime(curve["day"])
    assert days.min() >= pd.Timestamp(TODAY - timedelta(weeks=8))
    assert not curve[days <= pd.Timestamp(TODAY)]["projected"].any()
    ahead = curve[curve["projected"]]
    assert not ahead.empty and ahead["load"].gt(0).any()


# --- the feed ----------------------------------------------------------------------------------


def test_a_valid_token_gets_the_runners_plan_as_a_calendar(team):
    _, token = links.create(team, 1, 30, NOW)
    body = calendar.feed(team, token, NOW)
    parsed = icalendar.Calendar.from_ical(body)
    events = [c for c in parsed.walk("VEVENT")]
    plan_id, version = current(team)
    assert len(events) == len(plans.load(team, plan_id, version).sessions())
    assert str(parsed["X-WR-CALNAME"]) == f"RunForm: {athletes.get(team, 1).name}"
    assert parsed["REFRESH-INTERVAL"].dt == timedelta(hours=calendar.FEED_REFRESH_HOURS)


def test_a_revoked_or_wrong_token_gets_nothing(team):
    link_id, token = links.create(team, 1, 30, NOW)
    assert calendar.feed(team, token, NOW) is not None
    access.revoke_link(team, link_id, NOW)
    assert calendar.feed(team, token, NOW) is None
    assert calendar.feed(team, "not-a-token", NOW) is None
    assert calendar.feed(team, "", NOW) is None
    _, short = links.create(team, 1, 1, NOW)
    assert calendar.feed(team, short, NOW + timedelta(days=2)) is None  # expired


def request(token: str) -> Request:
    return Request({"type": "http", "method": "GET", "path_params": {"token": token}})


def test_the_route_answers_text_calendar_or_403(demo_db, monkeypatch):
    """The route itself (pages.core.feed), on the server's own connection."""
    from pages.core import feed

    con = connect(demo_db)
    link_id, token = links.create(con, 1, 30, NOW)
    con.close()
    ok = feed.calendar_feed(request(token))
    assert ok.status_code == 200 and ok.media_type.startswith("text/calendar")
    assert icalendar.Calendar.from_ical(ok.body).walk("VEVENT")
    access.revoke_link(feed.server_connection().cursor(), link_id, NOW)
    refused = feed.calendar_feed(request(token))
    assert refused.status_code == 403 and b"BEGIN:VCALENDAR" not in refused.body
    wrong = feed.calendar_feed(request("x" * 43))
    assert wrong.status_code == 403 and wrong.body == refused.body
