"""`python -m runform`: every command, as a subprocess and in-process (protocols §1 shapes), and
the exit status of each named error."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from runform import clock, errors, team
from runform.cli import main
from runform.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RunFormError,
    StorageUnavailable,
)
from runform.services import plans as plan_service
from runform.services import reviews
from runform.store.connection import connect
from runform.vocab import SEVERITY_RANK
from tests.conftest import EXAMPLE
from tests.fitgen import write_run

# Findings of the example: all moderate, so in rule-table order.
EXAMPLE_FINDINGS = [
    ("limited_ankle_dorsiflexion", "moderate", "left"),
    ("ankle_dorsiflexion_asymmetry", "moderate", "left"),
    ("dynamic_knee_valgus", "moderate", "left"),
    ("poor_hip_hinge", "moderate", None),
    ("overstriding", "moderate", None),
]
FINDING_KEYS = {"id", "severity", "side", "evidence", "explanation", "source"}
EVIDENCE_KEYS = {"screen", "value", "threshold", "side"}


def example(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(EXAMPLE)
    d.update(changes)
    return d


def write(tmp_path: Path, data: Any, name: str = "intake.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=120,
    )


def check_shape(report: dict) -> list[dict]:
    assert set(report) == {"findings"}
    findings = report["findings"]
    for f in findings:
        assert set(f) == FINDING_KEYS
        assert f["severity"] in SEVERITY_RANK
        assert f["side"] in ("left", "right", "both", None)
        assert isinstance(f["explanation"], str) and f["explanation"]
        assert isinstance(f["source"], str) and f["source"]
        assert f["evidence"]
        for e in f["evidence"]:
            assert set(e) == EVIDENCE_KEYS
            assert e["side"] in ("left", "right", None)
    ranks = [SEVERITY_RANK[f["severity"]] for f in findings]
    assert ranks == sorted(ranks, reverse=True)
    return findings


# --- assess: valid input -----------------------------------------------------------------------


def test_assess_subprocess_prints_findings_json(tmp_path):
    path = write(tmp_path, EXAMPLE)
    proc = run("assess", str(path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    findings = check_shape(json.loads(proc.stdout))
    assert [(f["id"], f["severity"], f["side"]) for f in findings] == EXAMPLE_FINDINGS
    lad = findings[0]
    assert lad["evidence"] == [
        {"screen": "knee_to_wall_cm", "value": 8.5, "threshold": "< 10 cm", "side": "left"}
    ]
    assert lad["source"].startswith("Bennell et al. 1998")
    assert findings[1]["evidence"] == [
        {
            "screen": "knee_to_wall_cm",
            "value": 2.5,
            "threshold": "left–right difference ≥ 1.5 cm",
            "side": "left",
        }
    ]
    assert findings[-1]["evidence"] == [
        {"screen": "overstride", "value": True, "threshold": "observed", "side": None},
        {"screen": "cadence_spm", "value": 164.0, "threshold": "< 166 spm", "side": None},
    ]
    assert "coaching convention" in findings[-1]["explanation"]
    assert "coaching convention" not in lad["explanation"]


def test_assess_in_process_matches_the_subprocess(tmp_path, capsys):
    path = write(tmp_path, EXAMPLE)
    assert main(["assess", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    proc = run("assess", str(path), cwd=tmp_path)
    assert json.loads(out) == json.loads(proc.stdout)
    findings = check_shape(json.loads(out))
    assert [(f["id"], f["severity"], f["side"]) for f in findings] == EXAMPLE_FINDINGS


def test_assess_orders_highest_severity_first(tmp_path, capsys):
    data = example(pain=[{"region": "calf", "side": "right", "score": 6, "when": "after_run"}])
    data["screens"] = {
        "navicular_drop_mm": {"left": 12, "right": 6},
        "cadence_spm": 160,
        "knee_to_wall_cm": {"left": 7.5, "right": 7.5},
        "vertical_oscillation_cm": 11.2,
    }
    assert main(["assess", str(write(tmp_path, data))]) == 0
    findings = check_shape(json.loads(capsys.readouterr().out))
    assert [(f["id"], f["severity"], f["side"]) for f in findings] == [
        ("limited_ankle_dorsiflexion", "high", "both"),
        ("pain_flag", "high", "right"),
        ("overstriding", "moderate", None),
        ("excessive_pronation", "info", "left"),
        ("high_vertical_oscillation", "info", None),
    ]
    pain = findings[1]
    assert pain["evidence"] == [
        {"screen": "pain.calf", "value": 6, "threshold": "≥ 4/10", "side": "right"}
    ]


def test_assess_with_no_findings_prints_an_empty_list(tmp_path, capsys):
    data = {
        "athlete": {"name": "Ben"},
        "assessed_on": "2026-11-20",
        "screens": {"knee_to_wall_cm": {"left": 12, "right": 12.5}, "hip_hinge": 3},
    }
    assert main(["assess", str(write(tmp_path, data))]) == 0
    assert json.loads(capsys.readouterr().out) == {"findings": []}


def test_assess_reads_stdin(tmp_path):
    proc = run("assess", "-", cwd=tmp_path, stdin=json.dumps(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    findings = check_shape(json.loads(proc.stdout))
    assert [f["id"] for f in findings] == [f[0] for f in EXAMPLE_FINDINGS]


# --- assess: invalid input ---------------------------------------------------------------------


def _screens(**screens: Any) -> dict:
    return example(screens=screens)


def _athlete(**fields: Any) -> dict:
    d = example()
    d["athlete"].update(fields)
    return d


TOMORROW = (clock.today() + timedelta(days=1)).isoformat()

INVALID = {
    "out of range side": (
        _screens(knee_to_wall_cm={"left": 25, "right": 10}),
        ["screens.knee_to_wall_cm.left", "25", "0–20 cm"],
    ),
    "out of range scalar": (_screens(cadence_spm=900), ["screens.cadence_spm", "120–230 spm"]),
    "out of range profile": (
        _athlete(weekly_km=900),
        ["athlete.weekly_km", "must be a number between 0 and 300, got 900"],
    ),
    "pain score 11": (
        example(pain=[{"region": "knee", "score": 11, "when": "rest"}]),
        ["pain.0.score", "between 0 and 10"],
    ),
    "malformed JSON": (
        '{"athlete": {"name": "Ana"}, "assessed_on": ',
        ["not valid JSON", "line 1"],
    ),
    "unknown screen id": (
        _screens(ankle_cm=9),
        ["screens.ankle_cm", "unknown screen id", "knee_to_wall_cm"],
    ),
    "text in a number field": (
        _screens(cadence_spm="fast"),
        ["screens.cadence_spm", "must be a number in 120–230 spm"],
    ),
    "text in a profile number": (
        _athlete(weekly_km="forty"),
        ["athlete.weekly_km", "between 0 and 300"],
    ),
    "bool in a screen number": (
        _screens(hip_ir_deg={"left": True}),
        ["screens.hip_ir_deg.left", "0–90 °"],
    ),
    "future date": (example(assessed_on=TOMORROW), ["assessed_on", TOMORROW, "in the future"]),
    "extra key": (example(nickname="A"), ["nickname", "Extra inputs are not permitted"]),
    "unknown fault": (
        _screens(single_leg_squat={"left": {"wobble": True}}),
        ["screens.single_leg_squat.left", "unknown fault", "knee_valgus"],
    ),
    "not an object": ("[1, 2, 3]", ["invalid intake"]),
    "NaN screen": (
        '{"athlete": {"name": "A"}, "assessed_on": "2026-11-20", "screens": {"cadence_spm": NaN}}',
        ["screens.cadence_spm", "120–230 spm"],
    ),
}


@pytest.mark.parametrize(("data", "expected"), INVALID.values(), ids=INVALID.keys())
def test_assess_invalid_input_in_process(tmp_path, capsys, data, expected):
    path = write(tmp_path, data)
    assert main(["assess", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {path}: ")
    for text in expected:
        assert text in err


@pytest.mark.parametrize(
    "case",
    [
        "out of range side",
        "out of range profile",
        "malformed JSON",
        "unknown screen id",
        "text in a number field",
        "future date",
    ],
)
def test_assess_invalid_input_subprocess(tmp_path, case):
    data, expected = INVALID[case]
    path = write(tmp_path, data)
    proc = run("assess", str(path), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for text in expected:
        assert text in proc.stderr


def test_assess_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    assert main(["assess", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{missing}: cannot read the file" in err
    proc = run("assess", str(missing), cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "cannot read the file" in proc.stderr and "Traceback" not in proc.stderr


def test_assess_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, _screens(cadence_spm=900))
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["assess", str(path)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert capsys.readouterr().out == ""


def test_assess_requires_a_file_argument(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["assess"])
    assert exc.value.code == 2
    assert "file" in capsys.readouterr().err


# --- demo --------------------------------------------------------------------------------------


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_demo_writes_three_athletes(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert main(["demo", "--athletes", "3", "--weeks", "8", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"wrote a demo team of 3 runners over 8 weeks to {db}"
    assert err == ""
    assert db.exists()
    assert count(db, "athletes") == 3
    assert 6 <= count(db, "assessments") <= 9  # two or three visits each
    con = duckdb.connect(str(db), read_only=True)
    try:
        per_athlete = con.execute("SELECT count(DISTINCT athlete_id) FROM assessments").fetchone()[
            0
        ]
    finally:
        con.close()
    assert per_athlete == 3


def test_demo_subprocess(tmp_path):
    db = tmp_path / "x.duckdb"
    proc = run("demo", "--athletes", "3", "--weeks", "8", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "3 runners" in proc.stdout
    assert count(db, "athletes") == 3


def test_demo_refuses_to_overwrite_without_replace(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    db.write_bytes(b"keep me")
    assert main(["demo", "--athletes", "3", "--weeks", "8", "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{db} already exists" in err and "--replace" in err
    assert db.read_bytes() == b"keep me"
    proc = run("demo", "--athletes", "3", "--weeks", "8", "--db", str(db), cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "already exists" in proc.stderr
    assert db.read_bytes() == b"keep me"


def test_demo_replace_overwrites_instead_of_appending(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert main(["demo", "--athletes", "3", "--weeks", "8", "--db", str(db)]) == 0
    assert main(["demo", "--athletes", "2", "--weeks", "8", "--db", str(db), "--replace"]) == 0
    capsys.readouterr()
    assert count(db, "athletes") == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--athletes", "0"],
        ["--athletes", "-1"],
        ["--athletes", "three"],
        ["--weeks", "1"],
    ],
    ids=["athletes 0", "athletes -1", "athletes text", "weeks 1"],
)
def test_demo_argument_errors_exit_2(tmp_path, capsys, args):
    db = tmp_path / "x.duckdb"
    with pytest.raises(SystemExit) as exc:
        main(["demo", *args, "--db", str(db)])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert args[0] in err
    assert not db.exists()


def test_demo_athletes_0_subprocess(tmp_path):
    db = tmp_path / "x.duckdb"
    proc = run("demo", "--athletes", "0", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "--athletes: must be between 1 and 100000, got 0" in proc.stderr
    assert not db.exists()


# --- next: the progression engine from files ----------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
NEXT_PLAN = FIXTURES / "next_plan.json"  # 3 weeks from Mon 4 Mar 2024, intervals on Tue 19
NEXT_LOGS = FIXTURES / "next_logs.json"  # split squat and glute bridge 3 × 10/12, knee 8 and 6


def next_logs(**changes: Any) -> dict[str, Any]:
    d = json.loads(NEXT_LOGS.read_text(encoding="utf-8"))
    d.update(changes)
    return d


def test_next_prints_the_next_week_and_every_decision(capsys):
    assert (
        main(["next", "--plan", str(NEXT_PLAN), "--logs", str(NEXT_LOGS), "--today", "2024-03-12"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"today", "changed", "next_week", "decisions", "notes"}
    assert (out["today"], out["changed"]) == ("2024-03-12", True)
    got = {d["subject"]: (d["action"], d["rule"]) for d in out["decisions"]}
    # knee 8/10 during the Sat 9 Mar run, 6/10 next morning: the split squat (knee) leaves for
    # knee-free work, the glute bridge (hip) goes on to 13 reps, the running is cut by 30 % and
    # the intervals on Tue 19 Mar become an easy run
    pain = "pain-monitoring model: pain during work"
    assert got == {
        "split_squat": ("regress", pain),
        "glute_bridge": ("advance", "double progression"),
        "run volume": ("regress", pain),
        "run 2024-03-16": ("regress", pain),
        "run 2024-03-19": ("regress", pain),
    }
    volume = next(d for d in out["decisions"] if d["subject"] == "run volume")
    assert (volume["before"], volume["after"]) == ("15 km", "10.5 km")
    assert volume["numbers"] == {
        "region": "knee",
        "score": 8.0,
        "limit": 5.0,
        "day": "2024-03-09",
        "cut": 0.3,
        "persists": "false",
    }
    week = [(s["date"], s["kind"], s["run_km"]) for s in out["next_week"]]
    assert week == [
        ("2024-03-14", "strength", 0.0),
        ("2024-03-16", "long_run", 7.0),
        ("2024-03-18", "strength", 0.0),
        ("2024-03-19", "easy_run", 3.5),
    ]
    for s in out["next_week"]:
        assert "split_squat" not in {e["id"] for e in s["exercises"]}


def test_next_subprocess_reads_the_logs_from_stdin(tmp_path):
    proc = run(
        "next",
        "--plan",
        str(NEXT_PLAN),
        "--logs",
        "-",
        "--today",
        "2024-03-12",
        cwd=tmp_path,
        stdin=NEXT_LOGS.read_text(encoding="utf-8"),
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["decisions"][0]["subject"] == "split_squat"


NEXT_INVALID = {
    "reps as text": (
        next_logs(
            sessions=[
                {
                    "day": "2024-03-11",
                    "kind": "strength",
                    "exercises": [{"exercise_id": "split_squat", "sets": 3, "reps": "ten"}],
                }
            ]
        ),
        ["invalid logs", "sessions.0.exercises.0.reps", "between 0 and 200"],
    ),
    "unknown region": (
        next_logs(morning_pain=[{"day": "2024-03-10", "region": "elbow", "score": 3}]),
        ["morning_pain.0.region"],
    ),
    "a log after today": (
        next_logs(sessions=[{"day": "2024-03-13", "kind": "easy_run", "run_km": 5}]),
        ["sessions.0.day", "after today (2024-03-12)"],
    ),
    "run distance on a strength day": (
        next_logs(sessions=[{"day": "2024-03-11", "kind": "strength", "run_km": 5}]),
        ["sessions.0.run_km", "no run distance"],
    ),
    "misspelt key": (next_logs(equipement=["band"]), ["equipement", "Extra inputs"]),
    "intake run without its day": (
        next_logs(intake_longest_run={"km": 12}),
        ["intake_longest_run.assessed_on", "Field required"],
    ),
}


@pytest.mark.parametrize(("data", "expected"), NEXT_INVALID.values(), ids=NEXT_INVALID.keys())
def test_next_invalid_logs_exit_2_and_name_the_field(tmp_path, capsys, data, expected):
    path = write(tmp_path, data, "logs.json")
    code = main(["next", "--plan", str(NEXT_PLAN), "--logs", str(path), "--today", "2024-03-12"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: ")
    for text in expected:
        assert text in err


def test_next_invalid_plan_and_arguments_exit_2(tmp_path, capsys):
    plan = json.loads(NEXT_PLAN.read_text(encoding="utf-8"))
    plan["weeks"][0]["sessions"][0]["kind"] = "yoga"
    path = write(tmp_path, plan, "plan.json")
    assert (
        main(["next", "--plan", str(path), "--logs", str(NEXT_LOGS), "--today", "2024-03-12"]) == 2
    )
    err = capsys.readouterr().err
    assert "invalid plan" in err and "weeks.0.sessions.0.kind" in err
    with pytest.raises(SystemExit) as exc:
        main(["next", "--plan", str(NEXT_PLAN), "--logs", str(NEXT_LOGS), "--today", "12/03/2024"])
    assert exc.value.code == 2
    assert "--today" in capsys.readouterr().err
    proc = run(
        "next", "--plan", str(NEXT_PLAN), "--logs", str(tmp_path / "nope.json"), cwd=tmp_path
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "cannot read the file" in proc.stderr and "Traceback" not in proc.stderr


# --- the commands over a database: record, generate, adapt, log, export, team ------------------

TODAY = clock.today()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def contents(db: Path) -> dict[str, list]:
    """Every table's rows, in a fixed order: equal before and after means nothing was written."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        return {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names}
    finally:
        con.close()


def latest_plan(db: Path, athlete_id: int = 1) -> tuple[int, int]:
    """The runner's newest plan and its current (latest accepted) version."""
    [(plan_id, version)] = query(
        db,
        "SELECT p.id, max(v.version) FROM plans p JOIN plan_versions v ON v.plan_id = p.id "
        "WHERE p.athlete_id = ? AND v.status = 'accepted' GROUP BY p.id ORDER BY p.id DESC "
        "LIMIT 1",
        [athlete_id],
    )
    return plan_id, version


def cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture, *args: str) -> str:
    """An argument error: argparse's exit status 2, its message on stderr, nothing on stdout."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    assert (exc.value.code, out) == (2, "")
    return err


# --- record ------------------------------------------------------------------------------------


def test_record_a_new_runner_creates_the_database_and_prints_ids_and_findings(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    code, out, err = cli(capsys, "record", str(write(tmp_path, EXAMPLE)), "--db", str(db))
    assert (code, err) == (0, "")
    saved = json.loads(out)
    assert set(saved) == {"athlete_id", "assessment_id", "findings"}
    findings = check_shape({"findings": saved["findings"]})
    assert [(f["id"], f["severity"], f["side"]) for f in findings] == EXAMPLE_FINDINGS
    assert query(db, "SELECT id FROM athletes") == [(saved["athlete_id"],)]
    assert query(db, "SELECT profile ->> 'name' FROM assessments") == [("Ana",)]
    assert query(db, "SELECT id, athlete_id, assessed_on::VARCHAR FROM assessments") == [
        (saved["assessment_id"], saved["athlete_id"], "2026-11-20")
    ]
    stored = query(
        db, "SELECT finding_id FROM findings WHERE assessment_id = ?", [saved["assessment_id"]]
    )
    assert sorted(r[0] for r in stored) == sorted(f[0] for f in EXAMPLE_FINDINGS)


def test_record_a_new_assessment_of_a_runner(team_db, tmp_path, capsys):
    before = query(team_db, "SELECT count(*) FROM assessments WHERE athlete_id = 2")[0][0]
    intake = write(tmp_path, EXAMPLE)
    code, out, _ = cli(capsys, "record", str(intake), "--athlete", "2", "--db", str(team_db))
    assert code == 0
    saved = json.loads(out)
    assert saved["athlete_id"] == 2
    assert (
        query(team_db, "SELECT count(*) FROM assessments WHERE athlete_id = 2")[0][0] == before + 1
    )
    assert query(
        team_db, "SELECT athlete_id FROM assessments WHERE id = ?", [saved["assessment_id"]]
    ) == [(2,)]
    assert query(team_db, "SELECT count(*) FROM athletes")[0][0] == 3


def test_record_subprocess_reads_stdin(tmp_path):
    db = tmp_path / "new.duckdb"
    proc = run("record", "-", "--db", str(db), cwd=tmp_path, stdin=json.dumps(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    saved = json.loads(proc.stdout)
    assert [f["id"] for f in saved["findings"]] == [f[0] for f in EXAMPLE_FINDINGS]
    assert query(db, "SELECT count(*) FROM assessments")[0][0] == 1


def test_record_invalid_intake_exit_2_names_the_field_and_writes_nothing(team_db, tmp_path, capsys):
    path = write(tmp_path, _screens(cadence_spm=900))
    before = contents(team_db)
    code, out, err = cli(capsys, "record", str(path), "--athlete", "1", "--db", str(team_db))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: invalid intake\n")
    assert "screens.cadence_spm" in err and "120–230 spm" in err
    assert contents(team_db) == before
    # a database the command would have created is not left behind
    new = tmp_path / "new.duckdb"
    assert cli(capsys, "record", str(path), "--db", str(new))[0] == 2
    assert not new.exists() and not Path(f"{new}.wal").exists()


def test_record_for_a_missing_runner_exit_3(team_db, tmp_path, capsys):
    # Needs the store to raise NotFound for an unknown runner (store-single-source branch).
    before = contents(team_db)
    code, out, err = cli(
        capsys, "record", str(write(tmp_path, EXAMPLE)), "--athlete", "999", "--db", str(team_db)
    )
    assert (code, out) == (3, "")
    assert err.startswith("error: ") and "999" in err
    assert contents(team_db) == before


def test_record_argument_errors(team_db, tmp_path, capsys):
    path = str(write(tmp_path, EXAMPLE))
    assert "--athlete" in refused(capsys, "record", path, "--athlete", "one", "--db", str(team_db))
    assert "--athlete" in refused(capsys, "record", path, "--athlete", "0", "--db", str(team_db))
    assert "INTAKE.json" in refused(capsys, "record", "--db", str(team_db))


# --- generate ----------------------------------------------------------------------------------


def next_monday() -> str:
    return (TODAY + timedelta(days=7 - TODAY.weekday())).isoformat()


def test_generate_stores_a_new_plan_from_the_latest_assessment(team_db, capsys):
    plans_before = query(team_db, "SELECT count(*) FROM plans WHERE athlete_id = 2")[0][0]
    code, out, err = cli(
        capsys,
        "generate",
        "--athlete", "2",
        "--weeks", "6",
        "--start", next_monday(),
        "--deload-every", "3",
        "--ramp", "5",
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    saved = json.loads(out)
    assert saved == {"plan_id": saved["plan_id"], "version": 1, "note": "generated"}
    assert query(team_db, "SELECT athlete_id FROM plans WHERE id = ?", [saved["plan_id"]]) == [(2,)]
    assert (
        query(team_db, "SELECT count(*) FROM plans WHERE athlete_id = 2")[0][0] == plans_before + 1
    )
    con = connect(team_db)
    try:
        plan = plan_service.load(con, saved["plan_id"])
    finally:
        con.close()
    assert len(plan.weeks) == 6
    assert plan.start.isoformat() == next_monday()
    assert [w.deload for w in plan.weeks] == [False, False, True, False, False, True]


def test_generate_invalid_options_exit_2_name_the_options(team_db, capsys):
    before = contents(team_db)
    code, out, err = cli(
        capsys,
        "generate",
        "--athlete", "1",
        "--weeks", "80",
        "--start", "2026-13-07",
        "--ramp", "50",
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith("error: ")
    assert "--weeks: must be a number between 4 and 24, got 80" in err
    assert "--ramp: must be a number between 0 and 30, got 50.0" in err
    assert "--start: " in err
    assert "ramp_pct" not in err
    assert contents(team_db) == before
    assert "--weeks" in refused(
        capsys, "generate", "--athlete", "1", "--weeks", "six", "--start", next_monday()
    )


def test_generate_in_a_database_without_runners_exit_3(tmp_path, capsys):
    """A runner comes with their first assessment, so an empty database has no runner 1."""
    db = tmp_path / "empty.duckdb"
    connect(db).close()
    args = ["--athlete", "1", "--weeks", "6", "--start", next_monday(), "--db", str(db)]
    code, out, err = cli(capsys, "generate", *args)
    assert (code, out) == (3, "")
    assert "no runner 1" in err


def test_generate_for_a_missing_runner_exit_3(team_db, capsys):
    args = ["--athlete", "999", "--weeks", "6", "--start", next_monday(), "--db", str(team_db)]
    before = contents(team_db)
    assert cli(capsys, "generate", *args)[0] == 3
    assert contents(team_db) == before


# --- adapt -------------------------------------------------------------------------------------


def test_adapt_writes_the_week_as_a_new_version(team_db, capsys):
    plan_id, version = latest_plan(team_db)
    code, out, err = cli(
        capsys,
        "adapt",
        "--plan", str(plan_id),
        "--week", "2",
        "--event", "niggle",
        "--region", "knee",
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    saved = json.loads(out)
    note = "week 2: Minor niggle: regress the region (knee)"
    assert saved == {"plan_id": plan_id, "version": version + 1, "note": note}
    stored = query(
        team_db,
        "SELECT note, status FROM plan_versions WHERE plan_id = ? AND version = ?",
        [plan_id, version + 1],
    )
    assert stored == [(note, "accepted")]


def test_adapt_bad_input_exit_2_and_nothing_written(team_db, capsys):
    plan_id, _ = latest_plan(team_db)
    db = ["--db", str(team_db)]
    before = contents(team_db)
    code, out, err = cli(
        capsys, "adapt", "--plan", str(plan_id), "--week", "99", "--event", "travel", *db
    )
    assert (code, out) == (2, "")
    assert "week 99 is not in this plan" in err
    code, out, err = cli(
        capsys, "adapt", "--plan", str(plan_id), "--week", "1", "--event", "niggle", *db
    )
    assert (code, out) == (2, "")
    assert "region" in err
    assert contents(team_db) == before
    plan = ["--plan", str(plan_id), "--week", "1"]
    assert "--event" in refused(capsys, "adapt", *plan, "--event", "holiday", *db)
    assert "--region" in refused(
        capsys, "adapt", *plan, "--event", "travel", "--region", "knee", *db
    )
    assert "--region" in refused(
        capsys, "adapt", *plan, "--event", "niggle", "--region", "elbow", *db
    )
    assert "--week" in refused(
        capsys, "adapt", "--plan", str(plan_id), "--week", "0", "--event", "race", *db
    )
    assert contents(team_db) == before


def test_adapt_a_missing_plan_exit_3(team_db, capsys):
    code, out, err = cli(
        capsys, "adapt", "--plan", "999", "--week", "1", "--event", "race", "--db", str(team_db)
    )
    assert (code, out, err) == (3, "", "error: There is no plan 999.\n")


def test_adapt_missing_plan_subprocess_has_no_traceback(team_db, tmp_path):
    args = ["--plan", "999", "--week", "1", "--event", "race", "--db", str(team_db)]
    proc = run("adapt", *args, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (3, "")
    assert proc.stderr == "error: There is no plan 999.\n"


# --- plan-version: list, accept, reject, restore ------------------------------------------------


def propose(db: Path, athlete_id: int = 1) -> tuple[int, int, int]:
    """A proposed version of the runner's plan (as a progression makes one): the plan, its
    current version and the proposal's."""
    plan_id, version = latest_plan(db, athlete_id)
    con = connect(db)
    try:
        plan = plan_service.load(con, plan_id, version)
        proposed = plan_service.propose(con, plan_id, plan, "progression: a test proposal")
    finally:
        con.close()
    return plan_id, version, proposed


def status_of(db: Path, plan_id: int, version: int) -> str:
    [(status,)] = query(
        db,
        "SELECT status FROM plan_versions WHERE plan_id = ? AND version = ?",
        [plan_id, version],
    )
    return status


def test_plan_version_list_prints_every_version_newest_first(team_db, capsys):
    plan_id, version, proposed = propose(team_db)
    code, out, err = cli(
        capsys, "plan-version", "list", "--plan", str(plan_id), "--db", str(team_db)
    )
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert [v["version"] for v in shown] == list(range(proposed, 0, -1))
    assert set(shown[0]) == {"version", "created_at", "note", "status", "current"}
    assert (shown[0]["status"], shown[0]["note"], shown[0]["current"]) == (
        "proposed",
        "progression: a test proposal",
        False,
    )
    assert [v["version"] for v in shown if v["current"]] == [version]


def test_plan_version_accept_makes_the_proposal_the_plan(team_db, capsys):
    plan_id, _, proposed = propose(team_db)
    code, out, err = cli(
        capsys,
        "plan-version", "accept",
        "--plan", str(plan_id),
        "--version", str(proposed),
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    note = f"v{proposed} accepted"
    assert json.loads(out) == {"plan_id": plan_id, "version": proposed, "note": note}
    assert status_of(team_db, plan_id, proposed) == "accepted"
    assert latest_plan(team_db) == (plan_id, proposed)


def test_plan_version_reject_keeps_the_plan(team_db, capsys):
    plan_id, version, proposed = propose(team_db)
    code, out, err = cli(
        capsys,
        "plan-version", "reject",
        "--plan", str(plan_id),
        "--version", str(proposed),
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    note = f"v{proposed} rolled back; v{version} stays"
    assert json.loads(out) == {"plan_id": plan_id, "version": version, "note": note}
    assert status_of(team_db, plan_id, proposed) == "rejected"
    assert latest_plan(team_db) == (plan_id, version)


def test_plan_version_restore_makes_an_older_version_current_again(team_db, capsys):
    plan_id, version = latest_plan(team_db)
    db = ["--db", str(team_db)]
    adapt = ["adapt", "--plan", str(plan_id), "--week", "1", "--event", "illness"]
    assert cli(capsys, *adapt, *db)[0] == 0
    code, out, err = cli(
        capsys, "plan-version", "restore", "--plan", str(plan_id), "--version", str(version), *db
    )
    assert (code, err) == (0, "")
    saved = json.loads(out)
    assert saved == {"plan_id": plan_id, "version": version + 2, "note": f"restored v{version}"}
    assert latest_plan(team_db) == (plan_id, version + 2)
    con = connect(team_db)
    try:
        assert plan_service.load(con, plan_id, version + 2) == plan_service.load(
            con, plan_id, version
        )
    finally:
        con.close()


def test_plan_version_unknown_plan_or_version_exit_3_and_decided_exit_5(team_db, capsys):
    plan_id, version, proposed = propose(team_db)
    db = ["--db", str(team_db)]
    before = contents(team_db)
    plan = ["--plan", str(plan_id)]
    for args, says in [
        (["list", "--plan", "999"], "There is no plan 999."),
        (["accept", "--plan", "999", "--version", "1"], "There is no plan 999 version 1."),
        (["reject", *plan, "--version", "99"], f"There is no plan {plan_id} version 99."),
        (["restore", *plan, "--version", "99"], f"There is no plan {plan_id} version 99."),
    ]:
        assert cli(capsys, "plan-version", *args, *db) == (3, "", f"error: {says}\n")
    code, out, err = cli(capsys, "plan-version", "accept", *plan, "--version", str(version), *db)
    assert (code, out) == (5, "")
    assert f"version {version} is not a pending proposal" in err
    assert contents(team_db) == before
    assert "--version" in refused(capsys, "plan-version", "accept", *plan, *db)
    assert "--version" in refused(capsys, "plan-version", "reject", *plan, "--version", "0", *db)
    assert "invalid choice: 'approve'" in refused(capsys, "plan-version", "approve", *plan, *db)


# --- move --------------------------------------------------------------------------------------


def movable(db: Path) -> tuple[int, int, int, int, list]:
    """A future week of runner 1's current plan with a session that can move: the plan, its
    version, the week, the session's position in it and the days it may move to."""
    plan_id, version = latest_plan(db)
    con = connect(db)
    try:
        plan = plan_service.load(con, plan_id, version)
        for week in plan.weeks:
            if week.sessions and min(s.date for s in week.sessions) > TODAY:
                choices = plan_service.move_choices(con, plan_id, version, week.index)
                for position, days in choices.items():
                    if days:
                        return plan_id, version, week.index, position, days
    finally:
        con.close()
    pytest.skip("no future week with a movable session")


def test_move_writes_the_session_on_its_new_day_as_a_new_version(team_db, capsys):
    plan_id, version, week, position, days = movable(team_db)
    code, out, err = cli(
        capsys,
        "move",
        "--plan", str(plan_id),
        "--week", str(week),
        "--session", str(position + 1),
        "--to", days[0].isoformat(),
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    saved = json.loads(out)
    assert (saved["plan_id"], saved["version"]) == (plan_id, version + 1)
    assert saved["note"].startswith(f"week {week}: moved by the coach (")
    assert f"→ {days[0]:%a %d %b}" in saved["note"]
    assert latest_plan(team_db) == (plan_id, version + 1)
    con = connect(team_db)
    try:
        before = plan_service.load(con, plan_id, version)
        after = plan_service.load(con, plan_id, version + 1)
    finally:
        con.close()
    kind = next(w for w in before.weeks if w.index == week).sessions[position].kind
    moved = next(w for w in after.weeks if w.index == week).sessions
    assert (days[0], kind) in [(s.date, s.kind) for s in moved]


def test_move_bad_input_exit_2_names_the_option_and_nothing_written(team_db, capsys):
    plan_id, version, week, position, days = movable(team_db)
    db = ["--db", str(team_db)]
    before = contents(team_db)
    at = ["--plan", str(plan_id), "--week", str(week), "--session", str(position + 1)]
    outside = (days[0] + timedelta(weeks=1)).isoformat()
    code, out, err = cli(capsys, "move", *at, "--to", outside, *db)
    assert (code, out) == (2, "")
    assert f"--to: {days[0] + timedelta(weeks=1):%a %d %b %Y} is not another available day" in err
    code, out, err = cli(
        capsys, "move", "--plan", str(plan_id), "--week", "99", "--session", "1",
        "--to", days[0].isoformat(), *db,
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert f"--week: Plan {plan_id} has no week 99" in err
    code, out, err = cli(
        capsys, "move", "--plan", str(plan_id), "--week", str(week), "--session", "99",
        "--to", days[0].isoformat(), *db,
    )  # fmt: skip
    assert (code, out, err) == (2, "", f"error: --session: week {week} has no session 99\n")
    assert contents(team_db) == before
    assert "--to" in refused(capsys, "move", *at, "--to", "next tuesday", *db)
    assert "--session" in refused(capsys, "move", *at[:4], "--session", "0", "--to", outside, *db)


def test_move_in_an_unknown_plan_or_version_exit_3(team_db, capsys):
    plan_id, _, week, position, days = movable(team_db)
    to = ["--week", str(week), "--session", str(position + 1), "--to", days[0].isoformat()]
    db = ["--db", str(team_db)]
    before = contents(team_db)
    assert cli(capsys, "move", "--plan", "999", *to, *db) == (
        3,
        "",
        "error: There is no plan 999.\n",
    )
    code, out, err = cli(capsys, "move", "--plan", str(plan_id), "--version", "77", *to, *db)
    assert (code, out, err) == (3, "", f"error: There is no plan {plan_id} version 77.\n")
    assert contents(team_db) == before


# --- log ---------------------------------------------------------------------------------------


def session(**changes: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "day": TODAY.isoformat(),
        "kind": "easy_run",
        "minutes": 30,
        "rpe": 4,
        "run_km": 5.0,
        "note": "from the command line",
    }
    d.update(changes)
    return d


def log_count(db: Path) -> int:
    return query(db, "SELECT count(*) FROM session_logs")[0][0]


def check_log_output(out: str) -> dict:
    shown = json.loads(out)
    assert set(shown) == {"log_id", "next_dose", "proposal_problem", "file_notes"}
    assert shown["proposal_problem"] is None
    dose = shown["next_dose"]
    assert set(dose) == {"decisions", "notes"}  # the proposed plan itself is left out
    assert dose["decisions"]
    for d in dose["decisions"]:
        assert {"subject", "action", "rule", "reason", "before", "after"} <= set(d)
    return shown


def test_log_a_session_from_json(team_db, tmp_path, capsys):
    path = write(tmp_path, session(), "session.json")
    before = log_count(team_db)
    code, out, err = cli(capsys, "log", "--athlete", "1", str(path), "--db", str(team_db))
    assert (code, err) == (0, "")
    shown = check_log_output(out)
    assert shown["file_notes"] == []
    assert log_count(team_db) == before + 1
    assert query(
        team_db,
        "SELECT athlete_id, day::VARCHAR, kind, minutes, rpe, run_km, note FROM session_logs "
        "WHERE id = ?",
        [shown["log_id"]],
    ) == [(1, TODAY.isoformat(), "easy_run", 30.0, 4.0, 5.0, "from the command line")]


def fit_run(tmp_path: Path, name: str = "run.fit") -> Path:
    path = tmp_path / name
    start = datetime.combine(TODAY, time(7, 0), tzinfo=UTC)
    write_run(path, seconds=1801, cadence_spm=172.0, start=start)  # 30 min at 3 m/s: 5.4 km
    return path


def test_log_a_watch_file(team_db, tmp_path, capsys):
    fit = fit_run(tmp_path)
    code, out, err = cli(
        capsys,
        "log",
        "--athlete", "1",
        "--fit", str(fit),
        "--kind", "easy_run",
        "--rpe", "3",
        "--day", TODAY.isoformat(),
        "--note", "watch",
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    shown = check_log_output(out)
    [(kind, day, rpe, km, minutes, cadence, sha, note)] = query(
        team_db,
        "SELECT kind, day::VARCHAR, rpe, run_km, minutes, cadence_spm, fit_sha256, note "
        "FROM session_logs WHERE id = ?",
        [shown["log_id"]],
    )
    assert (kind, day, rpe, note) == ("easy_run", TODAY.isoformat(), 3.0, "watch")
    assert km == pytest.approx(5.4, abs=0.01)
    assert minutes == pytest.approx(30.0, abs=0.1)
    assert cadence == pytest.approx(172.0, abs=0.5)
    assert sha is not None and len(sha) == 64
    series = "SELECT count(*) FROM run_records WHERE log_id = ?"
    assert query(team_db, series, [shown["log_id"]])[0][0] > 0


def test_log_the_same_watch_file_twice_exit_5(team_db, tmp_path, capsys):
    # Needs store.logs.DuplicateFile to be a Conflict (store-single-source branch).
    fit = fit_run(tmp_path)
    args = ["log", "--athlete", "1", "--fit", str(fit), "--kind", "easy_run", "--rpe", "3"]
    assert cli(capsys, *args, "--db", str(team_db))[0] == 0
    before = contents(team_db)
    code, out, err = cli(capsys, *args, "--db", str(team_db))
    assert (code, out) == (5, "")
    assert err.startswith("error: ") and "already logged" in err
    assert contents(team_db) == before


LOG_INVALID = {
    "kind and rpe": (
        session(kind="yoga", rpe=14),
        ["kind: Input should be", "rpe: must be a number between 0 and 10, got 14"],
    ),
    "a day in the future": (
        session(day=(TODAY + timedelta(days=1)).isoformat()),
        ["day: ", "in the future"],
    ),
    "run distance on a strength day": (session(kind="strength"), ["run_km", "no run distance"]),
    "extra key": (session(distance=5), ["distance", "Extra inputs are not permitted"]),
    "athlete_id in the file": (session(athlete_id=2), ["athlete_id: leave it out"]),
    "not an object": ([session()], ["must be a JSON object"]),
}


@pytest.mark.parametrize(("data", "expected"), LOG_INVALID.values(), ids=LOG_INVALID.keys())
def test_log_invalid_session_exit_2_names_the_field(team_db, tmp_path, capsys, data, expected):
    path = write(tmp_path, data, "session.json")
    before = log_count(team_db)
    code, out, err = cli(capsys, "log", "--athlete", "1", str(path), "--db", str(team_db))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: invalid session\n")
    for text in expected:
        assert text in err
    assert log_count(team_db) == before


def test_log_invalid_watch_file_options_exit_2_name_the_option(team_db, tmp_path, capsys):
    before = contents(team_db)
    fit = str(fit_run(tmp_path))
    db = ["--db", str(team_db)]
    code, out, err = cli(
        capsys, "log", "--athlete", "1", "--fit", fit, "--kind", "tempo", "--rpe", "11", *db
    )
    assert (code, out) == (2, "")
    assert "--rpe: must be a number between 0 and 10, got 11.0" in err
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    code, out, err = cli(
        capsys, "log", "--athlete", "1", "--fit", fit, "--kind", "tempo", "--rpe", "5",
        "--day", tomorrow, *db,
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert f"--day: {tomorrow} is in the future" in err
    not_fit = write(tmp_path, session(), "run2.fit")
    code, out, err = cli(
        capsys, "log", "--athlete", "1", "--fit", str(not_fit), "--kind", "tempo", "--rpe", "5", *db
    )
    assert (code, out) == (2, "")
    assert "--fit: not an activity file (FIT, GPX or TCX): it starts like none of them" in err
    missing = str(tmp_path / "nope.fit")
    code, out, err = cli(
        capsys, "log", "--athlete", "1", "--fit", missing, "--kind", "tempo", "--rpe", "5", *db
    )
    assert (code, out) == (2, "")
    assert f"--fit: {missing}: cannot read the file" in err
    assert contents(team_db) == before


def test_log_argument_errors(team_db, tmp_path, capsys):
    path = str(write(tmp_path, session(), "session.json"))
    fit = str(fit_run(tmp_path))
    db = ["--db", str(team_db)]
    before = contents(team_db)
    assert "SESSION.json" in refused(capsys, "log", "--athlete", "1", *db)
    assert "--fit" in refused(capsys, "log", "--athlete", "1", path, "--fit", fit, *db)
    assert "--rpe" in refused(capsys, "log", "--athlete", "1", "--fit", fit, "--kind", "tempo", *db)
    assert "--kind" in refused(capsys, "log", "--athlete", "1", "--fit", fit, "--rpe", "4", *db)
    assert "--kind" in refused(capsys, "log", "--athlete", "1", path, "--kind", "tempo", *db)
    assert "--kind" in refused(
        capsys, "log", "--athlete", "1", "--fit", fit, "--kind", "strength", "--rpe", "4", *db
    )
    assert "--athlete" in refused(capsys, "log", path, *db)
    assert contents(team_db) == before


def test_log_for_a_missing_runner_exit_3(team_db, tmp_path, capsys):
    path = write(tmp_path, session(), "session.json")
    before = log_count(team_db)
    code, _, _ = cli(capsys, "log", "--athlete", "999", str(path), "--db", str(team_db))
    assert log_count(team_db) == before
    assert code == 3


# --- export ------------------------------------------------------------------------------------


def exported(db: Path, plan_id: int, fmt: str, version: int | None = None, week: int | None = None):
    con = connect(db)
    try:
        return plan_service.export_plan(con, plan_id, fmt, version, week)  # type: ignore[arg-type]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("fmt", "start"), [("csv", b"week,deload,date"), ("ics", b"BEGIN:VCALENDAR"), ("pdf", b"%PDF")]
)
def test_export_writes_one_file(team_db, tmp_path, capsys, fmt, start):
    plan_id, _ = latest_plan(team_db)
    out = tmp_path / f"plan.{fmt}"
    args = ["--plan", str(plan_id), "--format", fmt, "--out", str(out), "--db", str(team_db)]
    code, printed, err = cli(capsys, "export", *args)
    assert (code, err) == (0, "")
    data = out.read_bytes()
    assert printed == f"wrote {out} ({len(data)} bytes)\n"
    assert data.startswith(start)
    if fmt != "pdf":  # a PDF carries the moment it was made
        assert data == exported(team_db, plan_id, fmt).data


def test_export_a_version_into_a_folder_under_its_own_name(team_db, tmp_path, capsys):
    plan_id, version = latest_plan(team_db)
    adapt = ["adapt", "--plan", str(plan_id), "--week", "1", "--event", "race"]
    assert cli(capsys, *adapt, "--db", str(team_db))[0] == 0
    folder = tmp_path / "exports"
    folder.mkdir()
    code, printed, _ = cli(
        capsys,
        "export",
        "--plan", str(plan_id),
        "--format", "csv",
        "--version", str(version),
        "--out", str(folder),
        "--db", str(team_db),
    )  # fmt: skip
    assert code == 0
    first = exported(team_db, plan_id, "csv", version)
    assert (folder / first.filename).read_bytes() == first.data
    assert first.data != exported(team_db, plan_id, "csv").data  # the adapted version differs
    assert printed.startswith(f"wrote {folder / first.filename} (")


def test_export_fit_writes_every_structured_run_into_a_folder(team_db, tmp_path, capsys):
    plan_id, _ = latest_plan(team_db)
    folder = tmp_path / "watch"
    code, printed, err = cli(
        capsys, "export", "--plan", str(plan_id), "--format", "fit", "--out", str(folder),
        "--db", str(team_db),
    )  # fmt: skip
    assert (code, err) == (0, "")
    files = sorted(folder.iterdir())
    assert files and all(f.suffix == ".fit" and f.name.startswith("w") for f in files)
    assert printed == f"wrote {len(files)} FIT workout file(s) to {folder}\n"


def test_export_fit_with_a_week_writes_its_zip(team_db, tmp_path, capsys):
    plan_id, _ = latest_plan(team_db)
    out = tmp_path / "week2.zip"
    code, printed, _ = cli(
        capsys, "export", "--plan", str(plan_id), "--format", "fit", "--week", "2",
        "--out", str(out), "--db", str(team_db),
    )  # fmt: skip
    assert code == 0
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert names and all(n.startswith("w02-") and n.endswith(".fit") for n in names)
    assert out.read_bytes() == exported(team_db, plan_id, "fit", week=2).data


def test_export_bad_input_exit_2_and_nothing_written(team_db, tmp_path, capsys):
    plan_id, _ = latest_plan(team_db)
    plan = ["--plan", str(plan_id), "--db", str(team_db)]
    out = tmp_path / "week.zip"
    code, printed, err = cli(
        capsys, "export", *plan, "--format", "fit", "--week", "99", "--out", str(out)
    )
    assert (code, printed) == (2, "")
    assert err.startswith("error: --week: ") and "no week 99" in err
    assert not out.exists()
    nowhere = tmp_path / "missing" / "plan.csv"
    code, printed, err = cli(capsys, "export", *plan, "--format", "csv", "--out", str(nowhere))
    assert (code, printed) == (2, "")
    assert err.startswith(f"error: --out: cannot write {nowhere}")
    a_file = write(tmp_path, "keep me", "plan.txt")
    code, printed, err = cli(capsys, "export", *plan, "--format", "fit", "--out", str(a_file))
    assert (code, printed) == (2, "")
    assert "--out: " in err and "not a folder" in err
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert "--week" in refused(
        capsys, "export", *plan, "--format", "csv", "--week", "2", "--out", str(out)
    )
    assert "--format" in refused(capsys, "export", *plan, "--format", "docx", "--out", str(out))
    assert "--out" in refused(capsys, "export", *plan, "--format", "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt", "team.duckdb"]


def test_export_a_missing_plan_or_version_exit_3(team_db, tmp_path, capsys):
    plan_id, _ = latest_plan(team_db)
    out = tmp_path / "plan.csv"
    db = ["--db", str(team_db)]
    code, printed, err = cli(
        capsys, "export", "--plan", "999", "--format", "csv", "--out", str(out), *db
    )
    assert (code, printed, err) == (3, "", "error: There is no plan 999.\n")
    code, printed, err = cli(
        capsys, "export", "--plan", str(plan_id), "--format", "pdf", "--version", "77",
        "--out", str(out), *db,
    )  # fmt: skip
    assert (code, printed) == (3, "")
    assert f"There is no plan {plan_id} version 77." in err
    assert not out.exists()


# --- team --------------------------------------------------------------------------------------


def board(db: Path):
    con = connect(db)
    try:
        return reviews.team_board(con, TODAY)
    finally:
        con.close()


def test_team_prints_one_row_per_runner_with_every_flag_raised(team_db, capsys):
    code, out, err = cli(capsys, "team", "--today", TODAY.isoformat(), "--db", str(team_db))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    columns = "ID|Runner|Last assessed|Adherence|A:C|Monotony|Pain|Flags"
    assert re.split(r"\s{2,}", lines[0]) == columns.split("|")
    expected = board(team_db)
    assert len(lines) == 1 + len(expected) == 4
    labels = team.flag_labels()
    assert any(expected[f].any() for f in labels), "the demo team has someone to look at"
    for line, row in zip(lines[1:], expected.to_dict("records"), strict=True):
        assert line.split()[0] == str(row["athlete_id"])
        assert row["name"] in line
        raised = [label for flag, label in labels.items() if row[flag]]
        assert line.endswith("; ".join(raised) if raised else "–")


def test_team_csv_has_every_column_of_the_board(team_db, capsys):
    code, out, _ = cli(capsys, "team", "--csv", "--db", str(team_db))
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    expected = board(team_db)
    assert rows[0] == list(expected.columns)
    assert set(team.flag_labels()) <= set(rows[0])
    assert [r[rows[0].index("name")] for r in rows[1:]] == list(expected["name"])
    for flag in team.flag_labels():
        column = [r[rows[0].index(flag)] for r in rows[1:]]
        assert column == [str(v) for v in expected[flag]]


def test_team_subprocess_and_bad_arguments(team_db, tmp_path, capsys):
    proc = run("team", "--db", str(team_db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ID  Runner")
    assert "--today" in refused(capsys, "team", "--today", "30/11/2026", "--db", str(team_db))


# --- errors: each kind its exit status, one line of message, no traceback ----------------------


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInput({"athlete.weekly_km": "too many", "": "and this"}, "bad input"), 2),
        (NotFound("There is no runner 9."), 3),
        (Forbidden("Only the coach can see the team."), 4),
        (Conflict("Another device changed it."), 5),
        (StorageUnavailable("The database is on a read-only disk."), 6),
        (RunFormError("Something else."), 1),
    ],
    ids=["invalid input", "not found", "forbidden", "conflict", "storage", "other"],
)
def test_each_named_error_has_its_exit_status(team_db, capsys, monkeypatch, error, code):
    def fails(con, today):
        raise error

    monkeypatch.setattr(reviews, "team_board", fails)
    assert cli(capsys, "team", "--db", str(team_db)) == (code, "", f"error: {error}\n")
    assert errors.EXIT_CODES.get(type(error), 1) == code


def test_invalid_input_lines_name_each_field(team_db, capsys, monkeypatch):
    def fails(con, today):
        raise InvalidInput({"athlete.weekly_km": "too many", "": "and this"}, "bad input")

    monkeypatch.setattr(reviews, "team_board", fails)
    _, _, err = cli(capsys, "team", "--db", str(team_db))
    assert err == "error: bad input\nathlete.weekly_km: too many\nand this\n"


def test_a_damaged_database_exit_6(tmp_path, capsys):
    db = write(tmp_path, "not a database", "bad.duckdb")
    code, out, err = cli(capsys, "team", "--db", str(db))
    assert (code, out) == (6, "")
    assert err.startswith(f"error: The database {db} is damaged") and "What to do" in err
    proc = run("team", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 6 and "Traceback" not in proc.stderr


def test_a_missing_database_exit_6_and_is_not_created(tmp_path, capsys):
    db = tmp_path / "typo.duckdb"
    for args in (
        ["team"],
        ["generate", "--athlete", "1", "--weeks", "6", "--start", next_monday()],
        ["adapt", "--plan", "1", "--week", "1", "--event", "race"],
        ["export", "--plan", "1", "--format", "csv", "--out", str(tmp_path / "p.csv")],
        ["plan-version", "accept", "--plan", "1", "--version", "2"],
        ["move", "--plan", "1", "--week", "1", "--session", "1", "--to", TODAY.isoformat()],
    ):
        code, out, err = cli(capsys, *args, "--db", str(db))
        assert (code, out) == (6, "")
        assert err.startswith(f"error: The database {db} does not exist.")
    assert list(tmp_path.iterdir()) == []
