"""Injury episodes through their services and the store: opening, updating and closing an episode
reshapes the plan and keeps the status history; the weekly OSTRC-O2 is stored per week and
region; the ladder moves after logs and morning checks. Bad input (an end before the onset, an
answer outside its scale, a change to a closed episode, another runner's episode) is refused
with the field named and nothing written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from runform import clock
from runform.errors import Forbidden, InvalidInput, NotFound
from runform.services import assessments, injuries, plans, training_log
from runform.store import injuries as store
from runform.store.connection import Connection, connect, scoped
from tests.conftest import EXAMPLE

TODAY = clock.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
TABLES = (
    "injury_episodes",
    "injury_status",
    "ostrc_answers",
    "ladder_events",
    "capacity_tests",
    "plan_bases",
    "plan_versions",
    "pain_reports",
)


@pytest.fixture
def team(tmp_path) -> tuple[Connection, int, int, int]:
    """Two runners; the first with a plan from last Monday (runs before and after today)."""
    con = connect(tmp_path / "injuries.duckdb")
    intake = copy.deepcopy(EXAMPLE)
    intake["assessed_on"] = (TODAY - timedelta(days=14)).isoformat()
    intake["athlete"]["goal"] = None
    a = assessments.record_intake(con, intake).athlete_id
    b = assessments.record_intake(con, intake).athlete_id
    start = MONDAY - timedelta(days=7)
    plan_id = plans.generate(con, a, {"weeks": 6, "start": start.isoformat()}).plan_id
    yield con, a, b, plan_id
    con.close()


def counts(con: Connection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def refused(con: Connection, call: Callable[[], Any], error: type[Exception]) -> Exception:
    before = counts(con)
    with pytest.raises(error) as caught:
        call()
    assert counts(con) == before
    return caught.value


def knee(athlete_id: int, **kw: Any) -> dict:
    return {
        "athlete_id": athlete_id,
        "region": "knee",
        "side": "left",
        "onset": (TODAY - timedelta(days=10)).isoformat(),
        "diagnosis": "patellofemoral pain (physio)",
        "status": "unavailable",
        "reason": "sharp pain on stairs",
    } | kw


def runs_after(con, plan_id, day):
    plan = plans.load(con, plan_id)
    return [s for _, s in plan.sessions() if s.date >= day and s.kind.endswith("run")]


# --- opening, updating and closing -------------------------------------------------------------


def test_open_update_and_close_an_episode(team):
    con, a, _, plan_id = team
    original = plans.load(con, plan_id, 1)
    opened = injuries.open_episode(con, knee(a), TODAY)
    assert opened.plan is not None and opened.plan.version == 2
    assert runs_after(con, plan_id, TODAY) == []  # unavailable: running paused from today
    assert "Health: knee episode opened" in opened.plan.note

    updated = injuries.update_episode(
        con,
        opened.episode_id,
        {"day": TODAY.isoformat(), "status": "modified", "reason": "walks without pain"}
        | {"diagnosis": "patellofemoral pain", "notes": "physio on Fridays"},
    )
    assert updated.status == "modified" and updated.plan is not None
    ep = store.get(con, opened.episode_id)
    assert (ep.status, ep.diagnosis, ep.notes) == (
        "modified",
        "patellofemoral pain",
        "physio on Fridays",
    )
    history = store.status_history(con, opened.episode_id)
    assert history["status"].tolist() == ["unavailable", "modified"]
    assert history["reason"].tolist() == ["sharp pain on stairs", "walks without pain"]
    events = store.ladder_events(con, opened.episode_id)
    assert events[["stage", "action"]].values.tolist() == [[0, "start"]]

    closed = injuries.close_episode(
        con, opened.episode_id, {"ended_on": TODAY.isoformat(), "reason": "pain-free a week"}
    )
    assert closed.closed and closed.plan is not None
    tomorrow = TODAY + timedelta(days=1)
    assert runs_after(con, plan_id, tomorrow) == [
        s for _, s in original.sessions() if s.date >= tomorrow and s.kind.endswith("run")
    ]
    assert store.base(con, plan_id) is None
    assert store.get(con, opened.episode_id).ended_on == TODAY


def test_a_runner_opens_their_own_episode_and_the_coach_sees_it(team):
    con, a, _, _ = team
    mine = scoped(con, a)
    saved = injuries.open_episode(mine, knee(a, status="modified"), TODAY)
    assert store.get(con, saved.episode_id).opened_by == "runner"
    board = injuries.team_health(con, TODAY).set_index("athlete_id")
    assert board.loc[a, "availability"] == "modified" and board.loc[a, "open_episodes"] == 1


def test_a_plan_built_during_an_episode_follows_it(team):
    con, a, _, _ = team
    injuries.open_episode(con, knee(a), TODAY)
    saved = plans.generate(con, a, {"weeks": 4, "start": (MONDAY + timedelta(7)).isoformat()})
    assert saved.version == 2 and "Health:" in saved.note
    assert runs_after(con, saved.plan_id, MONDAY) == []
    first = plans.load(con, saved.plan_id, 1)  # the planner's, to come back to
    assert [s for _, s in first.sessions() if s.kind.endswith("run")]


# --- bad input: a clear message, nothing written -----------------------------------------------


def test_an_end_before_the_onset_is_refused(team):
    con, a, _, _ = team
    eid = injuries.open_episode(con, knee(a), TODAY).episode_id
    early = (TODAY - timedelta(days=11)).isoformat()
    e = refused(con, lambda: injuries.close_episode(con, eid, {"ended_on": early}), InvalidInput)
    assert e.fields == {
        "ended_on": f"must not be before the onset ({TODAY - timedelta(days=10):%d %b %Y}): "
        "the episode cannot end before it started"
    }


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        (
            {"q1": 1, "q2": 7, "q3": 0, "q4": 1},
            {"answers.q2": "must be one of the 5 answers (0–4), got 7"},
        ),
        (
            {"q1": 4, "q2": 0, "q3": 0, "q4": 1},
            {"answers.q1": "must be one of the 4 answers (0–3), got 4"},
        ),
        ({"q1": 1, "q2": 0, "q3": 0}, {"answers.q4": "choose an answer"}),
        (
            {"q1": 1, "q2": 0, "q3": 0, "q4": 1.5},
            {"answers.q4": "must be an answer number 0–3, got 1.5"},
        ),
    ],
)
def test_an_ostrc_answer_outside_its_scale_is_refused(team, answers, fields):
    con, a, _, _ = team
    raw = {"athlete_id": a, "day": TODAY.isoformat(), "region": "knee", "answers": answers}
    e = refused(con, lambda: injuries.record_ostrc(con, raw), InvalidInput)
    assert e.fields == fields


def test_the_weekly_check_is_kept_once_per_week_and_region(team):
    con, a, _, _ = team
    raw = {"athlete_id": a, "day": TODAY.isoformat(), "region": "knee"}
    first = injuries.record_ostrc(con, raw | {"answers": {"q1": 2, "q2": 2, "q3": 1, "q4": 2}})
    again = injuries.record_ostrc(con, raw | {"answers": {"q1": 1, "q2": 1, "q3": 0, "q4": 1}})
    assert (first.severity, first.substantial) == (53, True)
    assert (again.severity, again.week_start) == (22, MONDAY)
    assert counts(con)["ostrc_answers"] == 1
    trend = injuries.ostrc_trend(con, a, MONDAY, TODAY)
    assert trend[["region", "severity"]].values.tolist() == [["knee", 22]]


def test_a_closed_episode_changes_no_more(team):
    con, a, _, _ = team
    eid = injuries.open_episode(con, knee(a, status="modified"), TODAY).episode_id
    injuries.close_episode(con, eid, {"ended_on": TODAY.isoformat()})
    day = TODAY.isoformat()
    change = refused(
        con,
        lambda: injuries.update_episode(con, eid, {"day": day, "status": "unavailable"}),
        InvalidInput,
    )
    assert change.fields["status"].startswith(f"this episode was closed on {TODAY:%d %b %Y}")
    for call, field in [
        (lambda: injuries.close_episode(con, eid, {"ended_on": day}), "ended_on"),
        (
            lambda: injuries.record_capacity(con, eid, {"day": day, "results": {"hops": True}}),
            "results",
        ),
        (
            lambda: injuries.override_stage(con, eid, {"day": day, "stage": 2, "reason": "okay"}),
            "stage",
        ),
    ]:
        assert list(refused(con, call, InvalidInput).fields) == [field]


def test_a_runner_cannot_write_another_runners_episode(team):
    con, a, b, _ = team
    eid = injuries.open_episode(con, knee(a, status="modified"), TODAY).episode_id
    other = scoped(con, b)
    day = TODAY.isoformat()
    for call in [
        lambda: injuries.open_episode(other, knee(a), TODAY),
        lambda: injuries.update_episode(other, eid, {"day": day, "status": "full"}),
        lambda: injuries.close_episode(other, eid, {"ended_on": day}),
        lambda: injuries.record_capacity(other, eid, {"day": day, "results": {"hops": True}}),
        lambda: injuries.record_ostrc(
            other,
            {"athlete_id": a, "day": day, "region": "knee"}
            | {"answers": {"q1": 0, "q2": 0, "q3": 0, "q4": 0}},
        ),
        lambda: injuries.settle(other, a, TODAY),
    ]:
        refused(con, call, Forbidden)
    assert store.for_athlete(other, a) == [] and store.get(other, eid) is None
    assert injuries.team_health(other, TODAY)["athlete_id"].tolist() == [b]


def test_only_the_coach_sets_a_stage_and_always_with_a_reason(team):
    con, a, _, _ = team
    eid = injuries.open_episode(con, knee(a, status="modified"), TODAY).episode_id
    day = TODAY.isoformat()
    refused(
        con,
        lambda: injuries.override_stage(
            scoped(con, a), eid, {"day": day, "stage": 3, "reason": "ok!"}
        ),
        Forbidden,
    )
    e = refused(
        con, lambda: injuries.override_stage(con, eid, {"day": day, "stage": 3}), InvalidInput
    )
    assert list(e.fields) == ["reason"]
    e = refused(
        con,
        lambda: injuries.override_stage(con, eid, {"day": day, "stage": 9, "reason": "fine"}),
        InvalidInput,
    )
    assert e.fields == {"stage": "must be a number between 0 and 8, got 9"}
    set_ = injuries.override_stage(con, eid, {"day": day, "stage": 3, "reason": "physio cleared"})
    assert store.ladder_events(con, eid)["action"].tolist() == ["start", "override"]
    assert "set by the coach: physio cleared" in set_.ladder[0]


def test_other_bad_fields_are_named(team):
    con, a, _, _ = team
    future = (TODAY + timedelta(days=1)).isoformat()
    e = refused(con, lambda: injuries.open_episode(con, knee(a, onset=future), TODAY), InvalidInput)
    assert list(e.fields) == ["onset"]
    e = refused(
        con, lambda: injuries.open_episode(con, knee(a, region="elbow"), TODAY), InvalidInput
    )
    assert list(e.fields) == ["region"]
    eid = injuries.open_episode(con, knee(a), TODAY).episode_id
    early = (TODAY - timedelta(days=30)).isoformat()
    e = refused(
        con,
        lambda: injuries.update_episode(con, eid, {"day": early, "status": "full"}),
        InvalidInput,
    )
    assert list(e.fields) == ["day"]
    e = refused(
        con,
        lambda: injuries.record_capacity(
            con, eid, {"day": TODAY.isoformat(), "results": {"push_ups": True}}
        ),
        InvalidInput,
    )
    assert e.fields == {"results.push_ups": "is not one of the capacity tests"}
    refused(con, lambda: injuries.close_episode(con, 999, {"ended_on": "2026-01-01"}), NotFound)
    refused(con, lambda: injuries.open_episode(con, knee(99), TODAY), NotFound)


# --- the ladder after logs and morning checks --------------------------------------------------


def run_log(athlete_id: int, day, score: int) -> dict:
    return {
        "athlete_id": athlete_id,
        "day": day.isoformat(),
        "kind": "easy_run",
        "minutes": 28.0,
        "rpe": 3.0,
        "run_km": 2.0,
        "pain": [{"region": "knee", "side": "left", "score": score, "when": "during_run"}],
    }


def test_the_ladder_advances_after_two_runs_within_the_limit_and_a_settled_morning(team):
    con, a, _, plan_id = team
    start = TODAY - timedelta(days=6)
    eid = injuries.open_episode(
        con, knee(a, status="modified", onset=(start - timedelta(3)).isoformat()), start
    ).episode_id
    tests = {"brisk_walk": True, "heel_raises": True, "single_leg_squat": True}
    moved = injuries.record_capacity(con, eid, {"day": start.isoformat(), "results": tests})
    assert "On to stage 1 of 8" in moved.ladder[0]
    saved = training_log.log_session(con, run_log(a, start + timedelta(1), 2))
    running = [d for d in saved.next_dose.decisions if d.subject == "run volume"]
    assert [(d.action, d.rule) for d in running] == [("hold", "injury episode")]
    training_log.log_session(con, run_log(a, start + timedelta(3), 3))
    assert store.ladder_events(con, eid)["stage"].tolist() == [0, 1]  # waits for the morning
    training_log.record_no_morning_pain(con, a, start + timedelta(4))
    events = store.ladder_events(con, eid)
    assert events["stage"].tolist() == [0, 1, 2]
    assert events["action"].tolist() == ["start", "advance", "advance"]
    assert "Health: return-to-run ladder" in plans.versions(con, plan_id)["note"].iloc[0]
    view = injuries.overview(con, a, TODAY)
    assert view.episodes[0].ladder.stage == 2 and view.status == "modified"


def test_pain_above_the_return_limit_goes_back_a_stage(team):
    con, a, _, _ = team
    start = TODAY - timedelta(days=3)
    eid = injuries.open_episode(con, knee(a, status="modified"), start).episode_id
    injuries.override_stage(con, eid, {"day": start.isoformat(), "stage": 4, "reason": "physio"})
    training_log.log_session(con, run_log(a, TODAY - timedelta(1), 5))
    events = store.ladder_events(con, eid)
    assert events[["stage", "action"]].values.tolist()[-1] == [3, "regress"]


def test_no_morning_pain_answers_for_an_open_episodes_region(team):
    con, a, _, _ = team
    injuries.open_episode(con, knee(a, status="modified"), TODAY)
    zeros = training_log.record_no_morning_pain(con, a, TODAY)
    assert [(z.region, z.side, z.score) for z in zeros] == [("knee", "left", 0)]


def test_no_morning_pain_answers_for_each_side_followed(team):
    """The model follows the left knee (the intake's pain), the episode is the right one: both
    settle, not only the side the model already follows."""
    con, a, _, _ = team
    injuries.open_episode(con, knee(a, side="right", status="modified"), TODAY)
    zeros = training_log.record_no_morning_pain(con, a, TODAY)
    assert sorted((z.region, z.side, z.score) for z in zeros) == [
        ("knee", "left", 0),
        ("knee", "right", 0),
    ]


def test_an_episode_is_suggested_when_pain_above_the_model_repeats(team):
    con, a, _, _ = team
    for ago, score in [(2, 7), (9, 6)]:
        training_log.log_session(con, run_log(a, TODAY - timedelta(ago), score))
    view = injuries.overview(con, a, TODAY)
    assert [v.region for v in view.suggestions] == ["knee"]
    assert view.concerns == ["knee"]


def test_back_to_full_training_gives_the_plan_back_while_the_episode_stays_open(team):
    con, a, _, plan_id = team
    original = plans.load(con, plan_id, 1)
    eid = injuries.open_episode(con, knee(a), TODAY).episode_id
    assert runs_after(con, plan_id, TODAY) == []
    back = injuries.update_episode(
        con, eid, {"day": TODAY.isoformat(), "status": "full", "reason": "pain-free"}
    )
    assert back.plan is not None and store.get(con, eid).is_open()
    assert runs_after(con, plan_id, TODAY) == [
        s for _, s in original.sessions() if s.date >= TODAY and s.kind.endswith("run")
    ]
    assert injuries.overview(con, a, TODAY).episodes[0].ladder is None


# --- what the command line reads and writes ----------------------------------------------------


def test_an_update_keeps_what_it_leaves_out(team):
    con, a, _, _ = team
    eid = injuries.open_episode(con, knee(a, notes="ice after runs"), TODAY).episode_id
    words = injuries.update_episode(
        con, eid, {"day": TODAY.isoformat(), "notes": "physio on Fridays"}
    )
    assert (words.status, words.plan) == ("unavailable", None)  # no status change
    ep = store.get(con, eid)
    assert (ep.status, ep.diagnosis, ep.notes) == (
        "unavailable",
        "patellofemoral pain (physio)",
        "physio on Fridays",
    )
    assert store.status_history(con, eid)["status"].tolist() == ["unavailable"]
    changed = injuries.update_episode(
        con, eid, {"day": TODAY.isoformat(), "status": "modified", "reason": "walks"}
    )
    assert changed.status == "modified" and changed.plan is not None
    ep = store.get(con, eid)
    assert (ep.diagnosis, ep.notes) == ("patellofemoral pain (physio)", "physio on Fridays")


def test_the_report_is_the_overview_as_plain_data(team):
    con, a, _, _ = team
    closed = injuries.open_episode(con, knee(a, region="calf", side=None), TODAY).episode_id
    injuries.close_episode(con, closed, {"ended_on": TODAY.isoformat(), "reason": "gone"})
    eid = injuries.open_episode(con, knee(a, status="modified"), TODAY).episode_id
    injuries.record_capacity(
        con, eid, {"day": TODAY.isoformat(), "results": {"brisk_walk": True, "hops": False}}
    )
    injuries.record_ostrc(
        con,
        {"athlete_id": a, "day": TODAY.isoformat(), "region": "knee"}
        | {"answers": {"q1": 1, "q2": 1, "q3": 0, "q4": 1}},
    )
    found = injuries.report(con, a, TODAY)
    view = injuries.overview(con, a, TODAY)
    assert (found.athlete_id, found.today, found.status) == (a, TODAY, "modified")
    assert (found.running, found.concerns, found.week_start) == (
        view.running,
        view.concerns,
        MONDAY,
    )
    assert [e.id for e in found.episodes] == [eid, closed]  # open first
    knee_ep, calf = found.episodes
    assert (knee_ep.region, knee_ep.side, knee_ep.ended_on) == ("knee", "left", None)
    assert [(h.day, h.status, h.author) for h in knee_ep.history] == [(TODAY, "modified", "coach")]
    assert knee_ep.ladder is not None and knee_ep.ladder.stage == 0
    assert knee_ep.ladder.tests == {"brisk_walk": True, "hops": False}
    assert [(e.day, e.stage, e.action) for e in knee_ep.ladder.events] == [(TODAY, 0, "start")]
    assert knee_ep.ladder.decision == view.episodes[0].ladder.decision
    assert [h.status for h in calf.history] == ["unavailable", "full"]
    assert calf.ended_on == TODAY and calf.ladder is None
    assert found.answered["knee"].severity == 22
    assert {t.id for t in found.capacity_tests} >= {"brisk_walk", "hops"}
    again = injuries.HealthReport.model_validate_json(found.model_dump_json())
    assert again == found
    with pytest.raises(NotFound):
        injuries.report(con, 99, TODAY)
