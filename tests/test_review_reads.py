"""The composite reads the review pages draw (services.reviews), each against the rules it puts
together, on a small database built by hand (the builders of tests/test_review.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from runform import adherence, compare
from runform.compensations import load_rules
from runform.screens import load_catalogue
from runform.services import access, reviews
from runform.store import review
from runform.store.connection import scoped
from tests.test_review import LAST_MONDAY, TODAY, ago, assess, do, make_plan, runner

FIRST = {
    "knee_to_wall_cm": {"left": 8.0, "right": 11.0},
    "hip_hinge": 1,
    "side_plank_s": {"left": 40.0, "right": 60.0},
}
LATEST = {"knee_to_wall_cm": {"left": 11.0, "right": 11.5}, "hip_hinge": 3}


@pytest.fixture
def two_assessments(con) -> int:
    aid = runner(con, "Ana")
    assess(con, aid, ago(60), FIRST)
    assess(con, aid, ago(5), LATEST)
    return aid


def test_screen_review_names_the_number_screens_and_compares_the_re_tested(con, two_assessments):
    aid = two_assessments
    seen = reviews.screen_review(con, aid)
    specs = load_catalogue().by_id()
    pd.testing.assert_frame_equal(seen.values, review.screens(con, aid))
    assert set(seen.values["screen_id"]) >= {"hip_hinge", "knee_to_wall_cm"}
    assert set(seen.numbers["screen_id"]) == {"knee_to_wall_cm", "side_plank_s"}, "no grade"
    assert (seen.numbers["screen"] == seen.numbers["screen_id"].map(lambda s: specs[s].name)).all()
    expected = compare.screen_progress(review.screens(con, aid), review.measured_screens(con, aid))
    pd.testing.assert_frame_equal(seen.progress.drop(columns="screen"), expected)
    assert set(seen.progress["screen_id"]) == {"knee_to_wall_cm"}, "only what was re-tested"
    assert set(seen.asymmetry["screen"]) == {
        specs["knee_to_wall_cm"].name,
        specs["side_plank_s"].name,
    }


def test_findings_carry_titles_and_the_names_of_the_screens_not_measured_again(
    con, two_assessments
):
    seen = reviews.findings(con, two_assessments)
    status = seen.status
    titles = load_rules().titles()
    assert not status.empty
    assert status["title"].tolist() == [titles[f] for f in status["finding_id"]]
    names = dict(zip(status["finding_id"], status["not_remeasured_names"], strict=True))
    ids = dict(zip(status["finding_id"], status["not_remeasured"], strict=True))
    assert names == {f: compare.screen_names(i) for f, i in ids.items()}
    # the side plank was not done again: the finding it raised is not re-tested, said by name
    pelvic = status.set_index("finding_id").loc["pelvic_drop"]
    assert pelvic["status"] == "not re-tested"
    assert pelvic["not_remeasured_names"] == ["Side plank hold"]
    assert seen.latest_on == ago(5)


def test_adherence_summary_counts_the_planned_sessions_up_to_yesterday(con):
    aid = runner(con, "Ben")
    plan_id = make_plan(con, aid, LAST_MONDAY, [[(0, "strength"), (2, "easy_run")]] * 2)
    do(con, aid, plan_id, week=1, position=0)
    summary = reviews.adherence_summary(con, aid, LAST_MONDAY, TODAY + timedelta(days=30), TODAY)
    # today (Wednesday of the second week) is not over: its easy run is not counted yet
    assert summary.planned["day"].max() < pd.Timestamp(TODAY)
    assert len(summary.planned) == 3
    pd.testing.assert_frame_equal(summary.weekly, adherence.weekly(summary.planned))
    pd.testing.assert_frame_equal(summary.by_kind, adherence.by_kind(summary.planned))
    assert summary.by_kind.set_index("kind")["done"].to_dict() == {"easy_run": 0, "strength": 1}


def test_team_adherence_summary_names_each_runner_and_a_runner_link_sees_only_its_own(con):
    ana, ben = runner(con, "Ana"), runner(con, "Ben")
    for aid in (ana, ben):
        make_plan(con, aid, LAST_MONDAY, [[(0, "strength"), (1, "mobility")]])
    start, end = LAST_MONDAY, TODAY
    team = reviews.team_adherence_summary(con, start, end)
    assert sorted(team.runners["name"]) == ["Ana", "Ben"]
    assert set(team.weeks["name"]) == {"Ana", "Ben"}
    expected = adherence.per_runner(reviews.team_adherence(con, start, end))
    pd.testing.assert_frame_equal(team.runners.drop(columns="name"), expected)
    mine = reviews.team_adherence_summary(scoped(con, ana), start, end)
    assert mine.runners["name"].tolist() == ["Ana"]
    assert set(mine.weeks["athlete_id"]) == {ana}


def test_prevalence_carries_each_findings_title(con, two_assessments):
    assess(con, runner(con, "Ben"), ago(3), FIRST)
    found = reviews.prevalence(con)
    titles = load_rules().titles()
    assert not found.empty
    assert found["finding"].tolist() == [titles[f] for f in found["finding_id"]]
    pd.testing.assert_frame_equal(found.drop(columns="finding"), review.prevalence(con))


def test_revoking_a_link_says_which_and_when(con):
    aid = runner(con, "Ana")
    now = datetime(2026, 6, 17, 10, 0)
    made = access.create_link(con, {"athlete_id": aid, "days": 30}, now)
    revoked = access.revoke_link(con, made.link_id, now)
    assert (revoked.link_id, revoked.revoked_at) == (made.link_id, now)
    assert access.links_of(con, aid, now)["state"].tolist() == ["revoked"]
