"""Every write service, three ways: a valid write lands and returns its result; invalid input is
refused with field errors and writes nothing; another runner's data (or a coach's task) is
refused to a runner's link and writes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from runform import clock
from runform.errors import Conflict, Forbidden, InvalidInput, NotFound
from runform.services import access, assessments, plans, seed, training_log
from runform.store.connection import Connection, connect, scoped
from tests.conftest import EXAMPLE

TODAY = clock.today()
NOW = datetime.combine(TODAY, time(12, 0))
TABLES = (
    "athletes",
    "assessments",
    "screen_values",
    "findings",
    "pain_reports",
    "plans",
    "plan_versions",
    "session_logs",
    "exercise_logs",
    "wellness",
    "comments",
    "runner_links",
)


@pytest.fixture
def team(tmp_path) -> Connection:
    """Three demo runners: runner 1 signs in with a link, runner 2's data is another's."""
    con = connect(tmp_path / "services.duckdb")
    seed.demo_team(con, n=3, weeks=8, today=TODAY)
    yield con
    con.close()


def counts(con: Connection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def refused(con: Connection, call: Callable[[], Any], error: type[Exception]) -> Exception:
    """`call()` raises `error` and leaves every table as it was."""
    before = counts(con)
    with pytest.raises(error) as caught:
        call()
    assert counts(con) == before
    return caught.value


def intake(**athlete: Any) -> dict:
    raw = copy.deepcopy(EXAMPLE)
    raw["assessed_on"] = TODAY.isoformat()
    raw["athlete"]["goal"] = None
    raw["athlete"].update(athlete)
    return raw


def plan_of(con: Connection, athlete_id: int) -> int:
    found = plans.latest_for(con, athlete_id)
    assert found is not None
    return found


def log(athlete_id: int, **fields: Any) -> dict:
    return {
        "athlete_id": athlete_id,
        "day": TODAY,
        "kind": "strength",
        "minutes": 30.0,
        "rpe": 5.0,
        **fields,
    }


# --- assessments -------------------------------------------------------------------------------


def test_record_intake_adds_a_runner_and_an_assessment(team):
    before = counts(team)
    saved = assessments.record_intake(team, intake(name="New Runner"))
    assert saved.findings and saved.athlete_id not in (1, 2, 3)
    assert assessments.profile(team, saved.athlete_id).name == "New Runner"
    assert counts(team)["assessments"] == before["assessments"] + 1
    again = assessments.record_intake(team, intake(name="New Runner"), saved.athlete_id, "self")
    assert again.athlete_id == saved.athlete_id


def test_record_intake_refuses_bad_fields_and_writes_nothing(team):
    e = refused(team, lambda: assessments.record_intake(team, intake(weekly_km=999)), InvalidInput)
    assert "athlete.weekly_km" in e.fields and "between 0 and 300" in e.fields["athlete.weekly_km"]


def test_record_intake_refuses_another_runner_and_new_runners_to_a_link(team):
    mine = scoped(team, 1)
    refused(team, lambda: assessments.record_intake(mine, intake(), 2, "self"), Forbidden)
    refused(team, lambda: assessments.record_intake(mine, intake()), Forbidden)
    assert assessments.record_intake(mine, intake(name="Me"), 1, "self").athlete_id == 1


def test_self_assessment_steps_name_their_fields():
    with pytest.raises(InvalidInput) as e:
        assessments.check_profile({"name": "", "weekly_km": 10.0})
    assert "athlete.name" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        assessments.check_pain([{"region": "knee", "score": 11, "when": "rest"}])
    assert list(e.value.fields) == ["pain.0.score"]
    with pytest.raises(InvalidInput) as e:
        assessments.check_screen("knee_to_wall_cm", {"left": 45.0})
    assert list(e.value.fields) == ["screens.knee_to_wall_cm.left"]


# --- plans -------------------------------------------------------------------------------------


def next_monday() -> str:
    return plans.first_monday_after(TODAY).isoformat()


def test_generate_writes_a_plan_with_its_first_version(team):
    saved = plans.generate(team, 1, {"weeks": 8, "start": next_monday()})
    assert saved.version == 1 and plans.owner(team, saved.plan_id) == 1
    assert len(plans.load(team, saved.plan_id).weeks) == 8


def test_generate_refuses_bad_options_and_writes_nothing(team):
    e = refused(team, lambda: plans.generate(team, 1, {"weeks": 99, "start": "x"}), InvalidInput)
    assert {"weeks", "start"} <= set(e.fields)


def test_plan_tasks_are_the_coachs(team):
    mine, plan_id = scoped(team, 1), plan_of(team, 1)
    version = plans.current_version(team, plan_id)
    for call in (
        lambda: plans.generate(mine, 1, {"weeks": 8, "start": next_monday()}),
        lambda: plans.adapt_week(mine, plan_id, version, 1, "illness"),
        lambda: plans.restore(mine, plan_id, version),
        lambda: plans.edit_week(mine, plan_id, version, 1, [], []),
        lambda: plans.swap_exercise(mine, plan_id, version, 1, 0, 0, "glute_bridge"),
        lambda: plans.decide(mine, plan_id, version, accept=True),
    ):
        refused(team, call, Forbidden)


def test_a_swap_is_a_new_version_and_an_unknown_exercise_is_refused(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    first = next(s for s in plans.swap_choices(team, plan_id, v, 1) if s.choices)
    e = refused(
        team,
        lambda: plans.swap_exercise(team, plan_id, v, 1, first.position, first.index, "no_such"),
        InvalidInput,
    )
    assert list(e.fields) == ["swap_to"]
    to = first.choices[0]
    saved = plans.swap_exercise(team, plan_id, v, 1, first.position, first.index, to.id)
    assert saved.version == v + 1 and to.name in saved.note
    session = plans.load(team, plan_id, saved.version).weeks[0].sessions[first.position]
    assert session.exercises[first.index].id == to.id


def test_a_proposal_is_accepted_or_rolled_back_by_the_coach(team):
    plan_id = plan_of(team, 1)
    current = plans.load(team, plan_id)
    v = plans.current_version(team, plan_id)
    changed = current.model_copy(update={"notes": [*current.notes, "a test change"]})
    proposed = plans.propose(team, plan_id, changed, "progression: test")
    assert plans.current_version(team, plan_id) == v
    kept = plans.decide(team, plan_id, proposed, accept=False)
    assert kept.version == v and plans.proposal(team, plan_id) is None
    again = plans.propose(team, plan_id, changed, "progression: test again")
    taken = plans.decide(team, plan_id, again, accept=True)
    assert taken.version == again == plans.current_version(team, plan_id)
    refused(team, lambda: plans.decide(team, plan_id, again, accept=True), Conflict)


def test_edits_adaptations_and_restores_are_new_versions(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    adapted = plans.adapt_week(team, plan_id, v, 1, "illness")
    assert adapted.version == v + 1 and "Illness" in adapted.note
    restored = plans.restore(team, plan_id, v)
    assert restored.version == v + 2
    assert plans.load(team, plan_id) == plans.load(team, plan_id, v)


def test_deleting_a_session_needs_the_confirmation(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    week = plans.load(team, plan_id, v).weeks[0]
    rows = [
        {"position": p, "date": s.date, "run_km": s.run_km, "delete": p == 0}
        for p, s in enumerate(week.sessions)
    ]
    e = refused(team, lambda: plans.edit_week(team, plan_id, v, 1, rows, []), InvalidInput)
    assert list(e.fields) == ["confirm"]
    saved = plans.edit_week(team, plan_id, v, 1, rows, [], confirmed=True)
    assert saved is not None and "deleted session 1" in saved.note
    now = plans.load(team, plan_id, saved.version).weeks[0]
    assert len(now.sessions) == len(week.sessions) - 1
    unchanged = [
        {"position": p, "date": s.date, "run_km": s.run_km, "delete": False}
        for p, s in enumerate(now.sessions)
    ]
    assert plans.edit_week(team, plan_id, saved.version, 1, unchanged, []) is None


def test_an_edit_out_of_range_is_refused_with_nothing_written(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    week = plans.load(team, plan_id, v).weeks[0]
    rows = [{"position": 0, "date": week.sessions[0].date, "run_km": 500.0, "delete": False}]
    refused(team, lambda: plans.edit_week(team, plan_id, v, 1, rows, []), InvalidInput)


def test_an_unknown_plan_is_not_found(team):
    with pytest.raises(NotFound):
        plans.load(team, 9999)
    refused(team, lambda: plans.restore(team, 9999, 1), NotFound)


def test_deciding_an_unknown_plan_or_version_is_not_found(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    refused(team, lambda: plans.decide(team, 9999, 1, accept=True), NotFound)
    e = refused(team, lambda: plans.decide(team, plan_id, v + 50, accept=False), NotFound)
    assert str(e) == f"There is no plan {plan_id} version {v + 50}."
    refused(team, lambda: plans.decide(team, plan_id, v, accept=True), Conflict)  # decided


def test_version_history_lists_every_version_newest_first(team):
    plan_id = plan_of(team, 2)
    v = plans.current_version(team, plan_id)
    plans.adapt_week(team, plan_id, v, 1, "illness")
    proposed = plans.propose(team, plan_id, plans.load(team, plan_id, v), "a proposal")
    found = plans.version_history(team, plan_id)
    assert [f.version for f in found] == list(range(proposed, 0, -1))
    assert [(f.version, f.status) for f in found[:2]] == [
        (proposed, "proposed"),
        (v + 1, "accepted"),
    ]
    assert found[0].note == "a proposal" and found[1].note.startswith("week 1: Illness")
    assert [f.version for f in found if f.current] == [v + 1]
    with pytest.raises(NotFound):
        plans.version_history(team, 9999)


# --- the training log --------------------------------------------------------------------------


def test_log_session_saves_and_proposes(team):
    before = counts(team)
    saved = training_log.log_session(team, log(1))
    assert training_log.get(team, saved.log_id).athlete_id == 1
    assert counts(team)["session_logs"] == before["session_logs"] + 1
    assert saved.proposal_problem is None


def test_log_session_refuses_bad_fields_and_writes_nothing(team):
    e = refused(team, lambda: training_log.log_session(team, log(1, rpe=11.0)), InvalidInput)
    assert list(e.fields) == ["rpe"]
    e = refused(
        team, lambda: training_log.log_session(team, log(1), b"not a fit file"), InvalidInput
    )
    assert list(e.fields) == ["fit"]


def test_a_runner_link_logs_only_its_own_runner(team):
    mine = scoped(team, 1)
    refused(team, lambda: training_log.log_session(mine, log(2)), Forbidden)
    other = training_log.recent(team, 2)["id"].iloc[0]
    refused(team, lambda: training_log.update_log(mine, int(other), log(2)), (Forbidden, NotFound))
    refused(team, lambda: training_log.delete_log(mine, int(other)), (Forbidden, NotFound))
    refused(
        team, lambda: training_log.add_comment(mine, int(other), "hello"), (Forbidden, NotFound)
    )
    pain = {"athlete_id": 2, "day": TODAY, "region": "knee", "score": 3}
    refused(team, lambda: training_log.record_morning_pain(mine, pain), Forbidden)
    check = {
        "athlete_id": 2,
        "day": TODAY,
        "sleep_hours": 7.0,
        "sleep_quality": 3,
        "fatigue": 3,
        "soreness": 3,
        "stress": 3,
        "mood": 3,
    }
    refused(team, lambda: training_log.record_wellness(mine, check), Forbidden)
    refused(team, lambda: training_log.record_no_morning_pain(mine, 2, TODAY), Forbidden)
    assert training_log.log_session(mine, log(1)).log_id


def test_update_delete_and_comment(team):
    saved = training_log.log_session(team, log(1))
    training_log.update_log(team, saved.log_id, log(1, minutes=45.0))
    assert training_log.get(team, saved.log_id).minutes == 45.0
    assert training_log.add_comment(scoped(team, 1), saved.log_id, "felt good")
    assert training_log.comments(team, saved.log_id)["author"].tolist() == ["runner"]
    e = refused(team, lambda: training_log.add_comment(team, saved.log_id, ""), InvalidInput)
    assert list(e.fields) == ["body"]
    training_log.delete_log(team, saved.log_id)
    refused(team, lambda: training_log.update_log(team, saved.log_id, log(1)), NotFound)


def test_checkins_refuse_bad_fields(team):
    e = refused(
        team,
        lambda: training_log.record_morning_pain(
            team, {"athlete_id": 1, "day": TODAY, "region": "knee", "score": None}
        ),
        InvalidInput,
    )
    assert list(e.fields) == ["score"]
    check = {
        "athlete_id": 1,
        "day": TODAY,
        "sleep_hours": 7.0,
        "sleep_quality": 6,
        "fatigue": 3,
        "soreness": 3,
        "stress": 3,
        "mood": 3,
    }
    e = refused(team, lambda: training_log.record_wellness(team, check), InvalidInput)
    assert list(e.fields) == ["sleep_quality"]
    assert training_log.record_wellness(team, {**check, "sleep_quality": 4}).sleep_quality == 4


def test_checkins_for_a_runner_who_does_not_exist_are_not_found(team):
    pain = {"athlete_id": 99, "day": TODAY, "region": "knee", "score": 3}
    refused(team, lambda: training_log.record_morning_pain(team, pain), NotFound)
    refused(team, lambda: training_log.record_no_morning_pain(team, 99, TODAY), NotFound)
    check = {
        "athlete_id": 99,
        "day": TODAY,
        "sleep_hours": 7.0,
        "sleep_quality": 3,
        "fatigue": 3,
        "soreness": 3,
        "stress": 3,
        "mood": 3,
    }
    e = refused(team, lambda: training_log.record_wellness(team, check), NotFound)
    assert str(e) == "There is no runner 99 (deleted, or a wrong id)."


# --- access ------------------------------------------------------------------------------------


def test_links_are_created_listed_resolved_and_revoked(team):
    made = access.create_link(team, {"athlete_id": 2, "days": 30}, NOW)
    assert made.expires_at == NOW + timedelta(days=30)
    assert access.resolve(team, made.token, NOW) == 2
    listed = access.links_of(team, 2, NOW)
    assert listed.set_index("id").loc[made.link_id, "state"] == "active"
    access.revoke_link(team, made.link_id, NOW)
    assert access.resolve(team, made.token, NOW) is None
    assert access.links_of(team, 2, NOW).set_index("id").loc[made.link_id, "state"] == "revoked"


def test_a_link_needs_sensible_days_and_a_known_runner(team):
    e = refused(
        team, lambda: access.create_link(team, {"athlete_id": 2, "days": 0}, NOW), InvalidInput
    )
    assert list(e.fields) == ["days"]
    refused(team, lambda: access.create_link(team, {"athlete_id": 99, "days": 5}, NOW), NotFound)


def test_links_and_backups_are_the_coachs(team):
    mine = scoped(team, 1)
    refused(team, lambda: access.create_link(mine, {"athlete_id": 1, "days": 5}, NOW), Forbidden)
    refused(team, lambda: access.revoke_link(mine, 1, NOW), Forbidden)
    with pytest.raises(Forbidden):
        access.backup_zip(mine)


def test_a_proposal_identical_to_the_waiting_one_adds_no_version(team):
    plan_id = plan_of(team, 1)
    current = plans.load(team, plan_id)
    changed = current.model_copy(update={"notes": [*current.notes, "a test change"]})
    first = plans.propose(team, plan_id, changed, "progression: first")
    before = len(plans.versions(team, plan_id))
    again = plans.propose(team, plan_id, plans.load(team, plan_id, first), "progression: again")
    assert again == first
    assert len(plans.versions(team, plan_id)) == before
    assert plans.proposal(team, plan_id) == (first, "progression: first")
    other = current.model_copy(update={"notes": [*current.notes, "another change"]})
    assert plans.propose(team, plan_id, other, "progression: other") == first + 1
