"""`python -m runform`: assess and demo, as a subprocess and in-process (protocols §1 shapes)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from runform import clock
from runform.cli import main
from runform.vocab import SEVERITY_RANK
from tests.conftest import EXAMPLE

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
