"""`python -m runform episode | health-check | checkin`: injury episodes and their ladder, the
weekly OSTRC-O2 and the daily check-ins from the command line. Each command prints what it
wrote and the database shows it; invalid input exits 2 naming the option and writes nothing;
an unknown runner or episode exits 3."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from runform import clock
from tests.test_cli import cli, contents, query, refused, run

TODAY = clock.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


@pytest.fixture
def db(team_db: Path) -> Path:
    return team_db


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def ok(capsys: pytest.CaptureFixture, *args: str) -> dict | list:
    """A command that succeeds: exit 0, nothing on stderr, its JSON on stdout."""
    code, out, err = cli(capsys, *args)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def failed(capsys: pytest.CaptureFixture, db: Path, code: int, *args: str) -> str:
    """A command that fails with `code`, prints nothing and writes nothing; its message."""
    before = contents(db)
    got, out, err = cli(capsys, *args, "--db", str(db))
    assert (got, out) == (code, ""), err
    assert err.startswith("error: ") and "Traceback" not in err
    assert contents(db) == before
    return err


def open_knee(capsys: pytest.CaptureFixture, db: Path, *extra: str) -> dict:
    return ok(
        capsys,
        "episode", "open",
        "--athlete", "1",
        "--region", "knee",
        "--side", "left",
        "--onset", ago(10),
        "--diagnosis", "patellofemoral pain",
        "--reason", "sharp on stairs",
        *extra,
        "--db", str(db),
    )  # fmt: skip


def episode_row(db: Path, episode_id: int) -> tuple:
    [row] = query(
        db,
        "SELECT athlete_id, region, side, onset::VARCHAR, diagnosis, notes, "
        "ended_on::VARCHAR, opened_by FROM injury_episodes WHERE id = ?",
        [episode_id],
    )
    return row


def statuses(db: Path, episode_id: int) -> list[tuple]:
    return query(
        db,
        "SELECT day::VARCHAR, status, reason, author FROM injury_status WHERE episode_id = ? "
        "ORDER BY seq",
        [episode_id],
    )


def ladder(db: Path, episode_id: int) -> list[tuple]:
    return query(
        db,
        "SELECT day::VARCHAR, stage, action, author FROM ladder_events WHERE episode_id = ? "
        "ORDER BY seq",
        [episode_id],
    )


def version_note(db: Path, plan_id: int, version: int) -> str:
    [(note,)] = query(
        db,
        "SELECT note FROM plan_versions WHERE plan_id = ? AND version = ?",
        [plan_id, version],
    )
    return note


# --- episode open ------------------------------------------------------------------------------


def test_episode_open_stores_the_episode_and_reshapes_the_plan(db, capsys):
    saved = open_knee(capsys, db, "--status", "modified", "--notes", "physio on Fridays")
    assert set(saved) == {"episode_id", "status", "closed", "plan", "ladder"}
    assert (saved["status"], saved["closed"], saved["ladder"]) == ("modified", False, [])
    eid = saved["episode_id"]
    assert episode_row(db, eid) == (
        1, "knee", "left", ago(10), "patellofemoral pain", "physio on Fridays", None, "coach"
    )  # fmt: skip
    assert statuses(db, eid) == [(TODAY.isoformat(), "modified", "sharp on stairs", "coach")]
    assert ladder(db, eid) == [(TODAY.isoformat(), 0, "start", "coach")]
    plan = saved["plan"]
    assert plan["note"].startswith("Health: knee episode opened")
    assert version_note(db, plan["plan_id"], plan["version"]) == plan["note"]


def test_episode_open_defaults_onset_today_and_status_modified(db, capsys):
    saved = ok(
        capsys, "episode", "open", "--athlete", "2", "--region", "lower_back", "--db", str(db)
    )
    assert saved["status"] == "modified"
    assert episode_row(db, saved["episode_id"])[:4] == (2, "lower_back", None, TODAY.isoformat())


def test_episode_open_invalid_input_exit_2_names_the_option(db, capsys):
    base = ["episode", "open", "--athlete", "1", "--region", "knee"]
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    err = failed(capsys, db, 2, *base, "--onset", tomorrow, "--diagnosis", "x" * 121)
    assert f"--onset: {tomorrow} is in the future" in err
    assert "--diagnosis: " in err and "120" in err
    assert "onset:" not in err.replace("--onset:", "")
    assert "--region" in refused(capsys, *base[:4], "--region", "elbow", "--db", str(db))
    assert "--status" in refused(capsys, *base, "--status", "injured", "--db", str(db))
    assert "--onset" in refused(capsys, *base, "--onset", "last week", "--db", str(db))


def test_episode_open_for_an_unknown_runner_exit_3(db, capsys):
    err = failed(capsys, db, 3, "episode", "open", "--athlete", "999", "--region", "knee")
    assert err == "error: There is no runner 999 (deleted, or a wrong id).\n"


# --- episode update and close ------------------------------------------------------------------


def test_episode_update_changes_the_status_and_keeps_what_it_leaves_out(db, capsys):
    eid = open_knee(capsys, db, "--status", "unavailable", "--notes", "ice")["episode_id"]
    words = ok(
        capsys, "episode", "update", "--episode", str(eid), "--notes", "physio", "--db", str(db)
    )
    assert (words["status"], words["plan"]) == ("unavailable", None)
    assert episode_row(db, eid)[4:6] == ("patellofemoral pain", "physio")
    assert [s[1] for s in statuses(db, eid)] == ["unavailable"]

    changed = ok(
        capsys,
        "episode", "update",
        "--episode", str(eid),
        "--status", "modified",
        "--reason", "walks without pain",
        "--db", str(db),
    )  # fmt: skip
    assert changed["status"] == "modified" and changed["plan"] is not None
    assert statuses(db, eid)[-1] == (TODAY.isoformat(), "modified", "walks without pain", "coach")
    assert episode_row(db, eid)[4:6] == ("patellofemoral pain", "physio")


def test_episode_update_invalid_input_exit_2_names_the_option(db, capsys):
    eid = str(open_knee(capsys, db)["episode_id"])
    err = failed(capsys, db, 2, "episode", "update", "--episode", eid, "--day", ago(11))
    assert f"--day: must not be before the onset ({TODAY - timedelta(days=10):%d %b %Y})" in err
    err = failed(capsys, db, 2, "episode", "update", "--episode", eid, "--reason", "x" * 301)
    assert "--reason: " in err and "300" in err
    assert "--status" in refused(
        capsys, "episode", "update", "--episode", eid, "--status", "fine", "--db", str(db)
    )


def test_episode_close_ends_it_and_gives_the_plan_back(db, capsys):
    eid = open_knee(capsys, db)["episode_id"]
    closed = ok(
        capsys,
        "episode", "close",
        "--episode", str(eid),
        "--reason", "pain-free a week",
        "--db", str(db),
    )  # fmt: skip
    assert (closed["status"], closed["closed"]) == ("full", True)
    assert closed["plan"]["note"].startswith("Health: knee (left) closed")
    assert episode_row(db, eid)[6] == TODAY.isoformat()
    assert statuses(db, eid)[-1] == (TODAY.isoformat(), "full", "pain-free a week", "coach")
    # closed: nothing changes it now
    err = failed(capsys, db, 2, "episode", "close", "--episode", str(eid))
    assert f"--ended-on: this episode was closed on {TODAY:%d %b %Y}" in err
    err = failed(capsys, db, 2, "episode", "update", "--episode", str(eid), "--status", "full")
    assert "--status: this episode was closed" in err


def test_episode_close_before_the_onset_exit_2(db, capsys):
    eid = str(open_knee(capsys, db)["episode_id"])
    err = failed(capsys, db, 2, "episode", "close", "--episode", eid, "--ended-on", ago(12))
    assert "--ended-on: must not be before the onset" in err


@pytest.mark.parametrize(
    "args",
    [
        ["update", "--status", "full"],
        ["close"],
        ["capacity", "--passed", "hops"],
        ["stage", "--stage", "2", "--reason", "physio cleared"],
    ],
    ids=["update", "close", "capacity", "stage"],
)
def test_an_unknown_episode_exit_3(db, capsys, args):
    err = failed(capsys, db, 3, "episode", args[0], "--episode", "999", *args[1:])
    assert err == "error: There is no injury episode 999 (deleted, or a wrong id).\n"


# --- the return-to-run ladder: capacity tests and the coach's stage ----------------------------


def test_episode_capacity_stores_the_tests_and_the_ladder_moves_on(db, capsys):
    eid = open_knee(capsys, db, "--status", "modified")["episode_id"]
    saved = ok(
        capsys,
        "episode", "capacity",
        "--episode", str(eid),
        "--passed", "brisk_walk",
        "--passed", "heel_raises",
        "--passed", "single_leg_squat",
        "--painful", "hops",
        "--db", str(db),
    )  # fmt: skip
    assert saved["ladder"] and "On to stage 1" in saved["ladder"][0]
    assert saved["plan"]["note"].startswith("Health: return-to-run ladder")
    stored = query(
        db,
        "SELECT day::VARCHAR, test_id, passed FROM capacity_tests WHERE episode_id = ? "
        "ORDER BY test_id",
        [eid],
    )
    day = TODAY.isoformat()
    assert stored == [
        (day, "brisk_walk", True),
        (day, "heel_raises", True),
        (day, "hops", False),
        (day, "single_leg_squat", True),
    ]
    assert [(e[1], e[2]) for e in ladder(db, eid)] == [(0, "start"), (1, "advance")]


def test_episode_capacity_invalid_input(db, capsys):
    eid = str(open_knee(capsys, db, "--status", "modified")["episode_id"])
    err = failed(capsys, db, 2, "episode", "capacity", "--episode", eid)
    assert "--passed/--painful: " in err
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    err = failed(
        capsys,
        db,
        2,
        "episode",
        "capacity",
        "--episode",
        eid,
        "--passed",
        "hops",
        "--day",
        tomorrow,
    )
    assert f"--day: {tomorrow} is in the future" in err
    cap = ["episode", "capacity", "--episode", eid, "--db", str(db)]
    assert "--passed" in refused(capsys, *cap, "--passed", "push_ups")
    assert "--painful: hops is given as --passed too" in refused(
        capsys, *cap, "--passed", "hops", "--painful", "hops"
    )


def test_episode_stage_is_set_by_the_coach_with_a_reason(db, capsys):
    eid = open_knee(capsys, db, "--status", "modified")["episode_id"]
    saved = ok(
        capsys,
        "episode", "stage",
        "--episode", str(eid),
        "--stage", "3",
        "--reason", "physio cleared",
        "--db", str(db),
    )  # fmt: skip
    assert len(saved["ladder"]) == 1
    assert "(set by the coach: physio cleared)" in saved["ladder"][0]
    assert ladder(db, eid)[-1] == (TODAY.isoformat(), 3, "override", "coach")
    assert "coach set stage 3: physio cleared" in saved["plan"]["note"]


def test_episode_stage_invalid_input_exit_2_names_the_option(db, capsys):
    eid = str(open_knee(capsys, db, "--status", "modified")["episode_id"])
    stage = ["episode", "stage", "--episode", eid]
    err = failed(capsys, db, 2, *stage, "--stage", "9", "--reason", "physio cleared")
    assert "--stage: must be a number between 0 and 8, got 9" in err
    err = failed(capsys, db, 2, *stage, "--stage", "30", "--reason", "physio cleared")
    assert "--stage: must be a number between 0 and 8, got 30" in err  # the ladder's top
    err = failed(capsys, db, 2, *stage, "--stage", "2", "--reason", "ok")
    assert "--reason: say why the stage changes, in a few words" in err
    assert "--stage" in refused(capsys, *stage, "--stage", "two", "--reason", "why not")
    assert "--reason" in refused(capsys, *stage, "--stage", "2", "--db", str(db))
    # a lower-back episode has no ladder
    back = ok(
        capsys, "episode", "open", "--athlete", "1", "--region", "lower_back", "--db", str(db)
    )
    err = failed(
        capsys, db, 2, "episode", "stage", "--episode", str(back["episode_id"]),
        "--stage", "2", "--reason", "physio cleared",
    )  # fmt: skip
    assert "--stage: this episode has no return-to-run ladder" in err


# --- episode list ------------------------------------------------------------------------------


def test_episode_list_prints_the_runners_episodes_and_ladder(db, capsys):
    closed = open_knee(capsys, db, "--status", "unavailable")["episode_id"]
    ok(capsys, "episode", "close", "--episode", str(closed), "--db", str(db))
    eid = ok(
        capsys,
        "episode", "open",
        "--athlete", "1",
        "--region", "calf",
        "--side", "right",
        "--db", str(db),
    )["episode_id"]  # fmt: skip
    found = ok(
        capsys, "episode", "list", "--athlete", "1", "--today", TODAY.isoformat(), "--db", str(db)
    )
    assert (found["athlete_id"], found["today"], found["status"]) == (
        1,
        TODAY.isoformat(),
        "modified",
    )
    assert found["week_start"] == MONDAY.isoformat()
    assert [e["id"] for e in found["episodes"]] == [eid, closed]  # open first
    calf, knee = found["episodes"]
    assert (calf["region"], calf["side"], calf["status"], calf["ended_on"]) == (
        "calf", "right", "modified", None
    )  # fmt: skip
    assert calf["ladder"]["stage"] == 0 and calf["ladder"]["events"][0]["action"] == "start"
    assert calf["ladder"]["decision"]["action"] == "hold"
    assert [h["status"] for h in knee["history"]] == ["unavailable", "full"]
    assert knee["ended_on"] == TODAY.isoformat() and knee["ladder"] is None
    assert "calf" in found["concerns"]
    assert {t["id"] for t in found["capacity_tests"]} >= {"brisk_walk", "hops"}


def test_episode_list_for_an_unknown_runner_exit_3(db, capsys):
    err = failed(capsys, db, 3, "episode", "list", "--athlete", "999")
    assert "There is no runner 999" in err


# --- health-check (OSTRC-O2) -------------------------------------------------------------------


def ostrc_row(db: Path, athlete_id: int, region: str) -> list[tuple]:
    return query(
        db,
        "SELECT week_start::VARCHAR, q1, q2, q3, q4, answered_on::VARCHAR FROM ostrc_answers "
        "WHERE athlete_id = ? AND region = ?",
        [athlete_id, region],
    )


NO_PROBLEM = ["--q1", "0", "--q2", "0", "--q3", "0", "--q4", "0"]


def test_health_check_stores_the_weeks_answers_and_prints_the_score(db, capsys):
    args = ["health-check", "--athlete", "2", "--region", "ankle", "--day", TODAY.isoformat()]
    saved = ok(capsys, *args, "--q1", "2", "--q2", "2", "--q3", "1", "--q4", "2", "--db", str(db))
    assert saved == {
        "region": "ankle",
        "week_start": MONDAY.isoformat(),
        "severity": 53,
        "problem": True,
        "substantial": True,
    }
    assert ostrc_row(db, 2, "ankle") == [(MONDAY.isoformat(), 2, 2, 1, 2, TODAY.isoformat())]
    # answering the week again replaces it; q1 = 3 settles q2 and q3
    again = ok(capsys, *args, "--q1", "3", "--q4", "1", "--db", str(db))
    assert again["severity"] == 83
    assert ostrc_row(db, 2, "ankle") == [(MONDAY.isoformat(), 3, 4, 4, 1, TODAY.isoformat())]


def test_health_check_invalid_answers_exit_2_name_the_options(db, capsys):
    args = ["health-check", "--athlete", "2", "--region", "ankle"]
    err = failed(capsys, db, 2, *args, "--q1", "4", "--q2", "9", "--q3", "0")
    assert "--q1: must be one of the 4 answers (0–3), got 4" in err
    assert "--q2: must be one of the 5 answers (0–4), got 9" in err
    assert "--q4: choose an answer" in err
    assert "answers." not in err
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    err = failed(
        capsys,
        db,
        2,
        *args,
        "--day",
        tomorrow,
        *["--q1", "0", "--q2", "0", "--q3", "0", "--q4", "0"],
    )
    assert f"--day: {tomorrow} is in the future" in err
    assert "--q1" in refused(capsys, *args, "--q1", "one", "--db", str(db))


def test_health_check_for_an_unknown_runner_exit_3(db, capsys):
    err = failed(capsys, db, 3, "health-check", "--athlete", "999", "--region", "knee", *NO_PROBLEM)
    assert "There is no runner 999" in err


def test_health_check_subprocess(db, tmp_path):
    args = [
        "--athlete",
        "3",
        "--region",
        "hip",
        *["--q1", "1", "--q2", "1", "--q3", "0", "--q4", "1"],
    ]
    proc = run("health-check", *args, "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["severity"] == 22


# --- checkin -----------------------------------------------------------------------------------


def morning_pain(db: Path, athlete_id: int, day: str) -> list[tuple]:
    return query(
        db,
        "SELECT region, side, score FROM pain_reports WHERE athlete_id = ? "
        "AND reported_on = ? AND \"when\" = 'next_morning' ORDER BY region, side",
        [athlete_id, day],
    )


def test_checkin_morning_pain_stores_the_score(db, capsys):
    day = ago(1)
    saved = ok(
        capsys,
        "checkin", "morning-pain",
        "--athlete", "2",
        "--region", "shin",
        "--side", "right",
        "--score", "3",
        "--day", day,
        "--db", str(db),
    )  # fmt: skip
    assert saved == {"athlete_id": 2, "day": day, "region": "shin", "side": "right", "score": 3}
    assert ("shin", "right", 3) in morning_pain(db, 2, day)


def test_checkin_morning_pain_invalid_input_exit_2_names_the_option(db, capsys):
    args = ["checkin", "morning-pain", "--athlete", "2", "--region", "shin"]
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    err = failed(capsys, db, 2, *args, "--score", "11", "--day", tomorrow)
    assert "--score: must be a number between 0 and 10, got 11" in err
    assert f"--day: {tomorrow} is in the future" in err
    assert "--score" in refused(capsys, *args, "--score", "mild", "--db", str(db))
    assert "--side" in refused(capsys, *args, "--score", "2", "--side", "middle", "--db", str(db))


def test_checkin_no_pain_answers_0_for_each_region_followed(db, capsys):
    eid = ok(
        capsys, "episode", "open", "--athlete", "3", "--region", "groin", "--side", "left",
        "--db", str(db),
    )["episode_id"]  # fmt: skip
    assert eid
    zeros = ok(capsys, "checkin", "no-pain", "--athlete", "3", "--db", str(db))
    assert isinstance(zeros, list) and zeros
    assert {(z["region"], z["side"], z["score"]) for z in zeros} >= {("groin", "left", 0)}
    assert all(z["day"] == TODAY.isoformat() and z["athlete_id"] == 3 for z in zeros)
    stored = morning_pain(db, 3, TODAY.isoformat())
    assert {(z["region"], z["side"], 0) for z in zeros} <= set(stored)


def test_checkin_no_pain_in_the_future_exit_2(db, capsys):
    ok(capsys, "episode", "open", "--athlete", "3", "--region", "hip", "--db", str(db))
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    err = failed(capsys, db, 2, "checkin", "no-pain", "--athlete", "3", "--day", tomorrow)
    assert f"--day: {tomorrow} is in the future" in err


WELLNESS = [
    "--sleep-hours", "7.5",
    "--sleep-quality", "4",
    "--fatigue", "3",
    "--soreness", "2",
    "--stress", "3",
    "--mood", "5",
]  # fmt: skip


def test_checkin_wellness_stores_the_days_check_in(db, capsys):
    day = ago(1)
    saved = ok(
        capsys, "checkin", "wellness", "--athlete", "2", "--day", day, *WELLNESS, "--db", str(db)
    )
    assert saved == {
        "athlete_id": 2,
        "day": day,
        "sleep_hours": 7.5,
        "sleep_quality": 4,
        "fatigue": 3,
        "soreness": 2,
        "stress": 3,
        "mood": 5,
    }
    assert query(
        db,
        "SELECT sleep_hours, sleep_quality, fatigue, soreness, stress, mood FROM wellness "
        "WHERE athlete_id = 2 AND day = ?",
        [day],
    ) == [(7.5, 4, 3, 2, 3, 5)]


def test_checkin_wellness_invalid_input_exit_2_names_the_option(db, capsys):
    args = ["checkin", "wellness", "--athlete", "2"]
    bad = [*WELLNESS[:2], "--sleep-quality", "6", *WELLNESS[4:10], "--mood", "0"]
    err = failed(capsys, db, 2, *args, *bad)
    assert "--sleep-quality: must be a number between 1 and 5, got 6" in err
    assert "--mood: must be a number between 1 and 5, got 0" in err
    assert "sleep_quality" not in err
    assert "--fatigue" in refused(capsys, *args, *WELLNESS[:4], *WELLNESS[6:], "--db", str(db))


@pytest.mark.parametrize(
    "args",
    [
        ["morning-pain", "--region", "knee", "--score", "2"],
        ["no-pain"],
        ["wellness", *WELLNESS],
    ],
    ids=["morning-pain", "no-pain", "wellness"],
)
def test_checkin_for_an_unknown_runner_exit_3(db, capsys, args):
    err = failed(capsys, db, 3, "checkin", args[0], "--athlete", "999", *args[1:])
    assert err == "error: There is no runner 999 (deleted, or a wrong id).\n"


def test_a_missing_database_exit_6_and_is_not_created(tmp_path, capsys):
    db = tmp_path / "typo.duckdb"
    for args in (
        ["episode", "list", "--athlete", "1"],
        ["episode", "open", "--athlete", "1", "--region", "knee"],
        ["health-check", "--athlete", "1", "--region", "knee", "--q1", "0"],
        ["checkin", "no-pain", "--athlete", "1"],
    ):
        code, out, err = cli(capsys, *args, "--db", str(db))
        assert (code, out) == (6, "")
        assert err.startswith(f"error: The database {db} does not exist.")
    assert list(tmp_path.iterdir()) == []
