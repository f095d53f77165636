"""runform.watch: structured runs as FIT workout files, decoded again with fitdecode."""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import fitdecode
import pytest

from runform import watch
from runform.cli import main
from runform.models import Plan, PlanSession, PlanWeek, Step, StepTarget
from runform.vocab import RUN_KINDS
from tests.conftest import EXAMPLE

DAY = date(2026, 12, 16)


def target(rpe=(2, 3), pace=None, hr=None) -> StepTarget:
    return StepTarget(rpe=rpe, pace_s_per_km=pace, hr_bpm=hr)


def session(kind: str, steps: list[Step], day: date = DAY, minutes: int = 60) -> PlanSession:
    return PlanSession(date=day, kind=kind, minutes=minutes, run_km=8.0, steps=steps)


EASY = session(
    "easy_run",
    [Step(kind="work", duration_s=45 * 60, target=target((2, 3), (330, 370), (130, 148)))],
)
LONG = session(
    "long_run",
    [Step(kind="work", distance_m=18000, target=target((2, 3)), note="Gel at 45 min")],
)
INTERVALS = session(
    "intervals",
    [
        Step(kind="warmup", duration_s=15 * 60, target=target((2, 3))),
        Step(
            kind="repeat",
            repeat=6,
            steps=[
                Step(kind="work", distance_m=800, target=target((7, 8), (228, 240))),
                Step(kind="recover", distance_m=400, note="jog"),
            ],
        ),
        Step(kind="cooldown", duration_s=10 * 60, target=target((2, 3))),
    ],
)
THRESHOLD = session(
    "tempo",
    [
        Step(kind="warmup", duration_s=12 * 60, target=target((2, 3), hr=(125, 145))),
        Step(
            kind="repeat",
            repeat=3,
            steps=[
                Step(kind="work", duration_s=8 * 60, target=target((5, 6), (265, 275))),
                Step(kind="recover", duration_s=2 * 60, target=target((2, 3)), note="easy jog"),
            ],
        ),
        Step(kind="cooldown", target=target((2, 3)), note="until the lap button"),
    ],
)
RPE_ONLY = session(
    "tempo",
    [
        Step(kind="warmup", duration_s=600),
        Step(kind="work", duration_s=1200, target=target((5.5, 6))),
        Step(kind="cooldown"),
    ],
)


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Messages by name, each as {field name: value}; fitdecode checks the CRC."""
    out: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                fields = {f.name: f.value for f in frame.fields}
                out.setdefault(frame.name, []).append(fields)
    return out


def steps_of(data: bytes) -> list[dict[str, Any]]:
    msgs = decode(data)
    assert [m["type"] for m in msgs["file_id"]] == ["workout"]
    (workout,) = msgs["workout"]
    assert workout["sport"] == "running"
    steps = msgs["workout_step"]
    assert workout["num_valid_steps"] == len(steps)
    assert [s["message_index"] for s in steps] == list(range(len(steps)))
    return steps


def speed(pace: float) -> float:
    return 1000 / pace


# --- file id and workout ------------------------------------------------------------------------


def test_file_id_is_a_deterministic_workout_made_at_noon_of_the_session_day():
    data = watch.workout_fit(EASY, "Easy 45")
    assert data == watch.workout_fit(EASY, "Easy 45")
    (file_id,) = decode(data)["file_id"]
    assert file_id["type"] == "workout"
    assert file_id["manufacturer"] == "development"
    assert file_id["time_created"].isoformat() == "2026-12-16T12:00:00+00:00"
    assert file_id["serial_number"]
    # Another workout gets another serial number: a watch keeps the two apart.
    other = decode(watch.workout_fit(LONG, "Long"))["file_id"][0]
    assert other["serial_number"] != file_id["serial_number"]


def test_workout_name_is_cut_to_15_characters():
    (workout,) = decode(watch.workout_fit(EASY, "A very long workout name"))["workout"]
    assert workout["wkt_name"] == "A very long wor"
    assert watch.workout_name(INTERVALS) == "12-16 Intervals"
    assert all(
        len(watch.workout_name(session(k, EASY.steps))) <= watch.NAME_CHARS for k in RUN_KINDS
    )


def test_a_session_without_steps_is_refused():
    with pytest.raises(ValueError, match="no steps"):
        watch.workout_fit(session("easy_run", []), "Easy")
    with pytest.raises(ValueError, match="no steps"):
        watch.workout_fit(PlanSession(date=DAY, kind="mobility", minutes=20), "Mobility")


# --- steps ----------------------------------------------------------------------------------------


def test_easy_run_by_time_targets_pace_and_heart_rate():
    (step,) = steps_of(watch.workout_fit(EASY, "Easy"))
    assert step["duration_type"] == "time"
    assert step["duration_time"] == 45 * 60
    assert step["intensity"] == "active"
    assert step["wkt_step_name"] == "RPE 2–3"
    assert step["target_type"] == "speed"
    # The slow end of the pace band is the low speed.
    assert step["custom_target_speed_low"] == pytest.approx(speed(370), abs=0.001)
    assert step["custom_target_speed_high"] == pytest.approx(speed(330), abs=0.001)
    # The heart-rate band rides along as the secondary target, in bpm + 100.
    assert step["secondary_target_type"] == "heart_rate"
    assert step["secondary_custom_target_heart_rate_low"] == 130 + 100
    assert step["secondary_custom_target_heart_rate_high"] == 148 + 100


def test_long_run_by_distance_with_rpe_only_and_its_note():
    (step,) = steps_of(watch.workout_fit(LONG, "Long"))
    assert step["duration_type"] == "distance"
    assert step["duration_distance"] == 18000
    assert step["intensity"] == "active"
    assert step["target_type"] == "open"
    assert step["wkt_step_name"] == "RPE 2–3"
    assert step["notes"] == "Gel at 45 min"


def test_intervals_repeat_six_times_800_and_400():
    steps = steps_of(watch.workout_fit(INTERVALS, "Intervals"))
    assert len(steps) == 5  # warm-up, 800, 400, repeat, cool-down
    warm, rep, jog, loop, cool = steps
    assert (warm["duration_type"], warm["duration_time"], warm["intensity"]) == (
        "time",
        900,
        "warmup",
    )
    assert (rep["duration_type"], rep["duration_distance"], rep["intensity"]) == (
        "distance",
        800,
        "active",
    )
    assert rep["wkt_step_name"] == "RPE 7–8"
    assert rep["target_type"] == "speed"
    assert rep["custom_target_speed_low"] == pytest.approx(speed(240), abs=0.001)
    assert rep["custom_target_speed_high"] == pytest.approx(speed(228), abs=0.001)
    assert (jog["duration_type"], jog["duration_distance"], jog["intensity"]) == (
        "distance",
        400,
        "recovery",
    )
    assert jog["target_type"] == "open"
    assert jog["notes"] == "jog"
    assert loop["duration_type"] == "repeat_until_steps_cmplt"
    assert loop["duration_step"] == rep["message_index"] == 1
    assert loop["repeat_steps"] == 6
    assert (cool["duration_type"], cool["duration_time"], cool["intensity"]) == (
        "time",
        600,
        "cooldown",
    )


def test_threshold_three_by_eight_minutes_with_a_lap_button_cool_down():
    steps = steps_of(watch.workout_fit(THRESHOLD, "Threshold"))
    warm, work, jog, loop, cool = steps
    assert warm["target_type"] == "heart_rate"
    assert warm["custom_target_heart_rate_low"] == 125 + 100
    assert warm["custom_target_heart_rate_high"] == 145 + 100
    assert (work["duration_type"], work["duration_time"]) == ("time", 480)
    assert work["wkt_step_name"] == "RPE 5–6"
    assert work["custom_target_speed_low"] == pytest.approx(speed(275), abs=0.001)
    assert work["custom_target_speed_high"] == pytest.approx(speed(265), abs=0.001)
    assert (jog["duration_type"], jog["duration_time"], jog["intensity"]) == (
        "time",
        120,
        "recovery",
    )
    assert (loop["duration_type"], loop["duration_step"], loop["repeat_steps"]) == (
        "repeat_until_steps_cmplt",
        1,
        3,
    )
    assert cool["duration_type"] == "open"
    assert cool["intensity"] == "cooldown"
    assert cool["notes"] == "until the lap button"


def test_rpe_only_targets_are_open_with_the_rpe_in_the_step_name():
    warm, work, cool = steps_of(watch.workout_fit(RPE_ONLY, "RPE"))
    assert [s["target_type"] for s in (warm, work, cool)] == ["open"] * 3
    assert work["wkt_step_name"] == "RPE 5.5–6"
    assert warm["wkt_step_name"] == "Warm-up"  # no target: the kind of step
    assert cool["duration_type"] == "open"


def test_long_and_odd_notes_fit_a_fit_string_field():
    note = "ü" * 200  # 400 bytes of UTF-8: more than a FIT string field holds
    s = session("easy_run", [Step(kind="work", duration_s=600, target=target(), note=note)])
    (step,) = steps_of(watch.workout_fit(s, "Easy\x00\nrun"))
    assert len(step["notes"].encode()) <= 254
    assert step["notes"].startswith("üüü") and step["notes"].endswith("…")


# --- file names and the week's ZIP --------------------------------------------------------------


def test_filename_has_the_week_day_and_kind_in_safe_characters():
    assert watch.filename(INTERVALS, 3) == "w03-2026-12-16-intervals.fit"
    assert watch.filename(LONG, 12) == "w12-2026-12-16-long-run.fit"


def test_week_zip_holds_exactly_the_structured_runs():
    week = PlanWeek(
        index=3,
        sessions=[
            session("easy_run", EASY.steps, date(2026, 12, 14)),
            PlanSession(date=date(2026, 12, 14), kind="mobility", minutes=15),
            session("intervals", INTERVALS.steps, date(2026, 12, 16)),
            PlanSession(date=date(2026, 12, 17), kind="strength", minutes=40),
            session("easy_run", [], date(2026, 12, 18)),  # no steps: nothing to follow
            session("long_run", LONG.steps, date(2026, 12, 19)),
        ],
    )
    data = watch.week_zip(week, "Ana")
    assert data == watch.week_zip(week, "Ana")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == [
            "w03-2026-12-14-easy-run.fit",
            "w03-2026-12-16-intervals.fit",
            "w03-2026-12-19-long-run.fit",
        ]
        assert zf.testzip() is None
        for info in zf.infolist():
            assert info.date_time[:3] == tuple(int(x) for x in info.filename[4:14].split("-"))
            msgs = decode(zf.read(info))
            assert msgs["file_id"][0]["type"] == "workout"
            assert msgs["workout"][0]["sport"] == "running"
            assert "Ana" in msgs["workout"][0]["wkt_description"]
        assert len(steps_of(zf.read("w03-2026-12-16-intervals.fit"))) == 5


def test_two_runs_of_one_kind_on_one_day_get_two_files():
    week = PlanWeek(index=1, sessions=[EASY, EASY])
    with zipfile.ZipFile(io.BytesIO(watch.week_zip(week, "Ana"))) as zf:
        assert zf.namelist() == ["w01-2026-12-16-easy-run.fit", "w01-2026-12-16-easy-run-2.fit"]


# --- the command line ---------------------------------------------------------------------------


def plan_cli(tmp_path: Path, *extra: str, capsys) -> tuple[int, str, str]:
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps(copy.deepcopy(EXAMPLE)), encoding="utf-8")
    code = main(["plan", str(intake), "--weeks", "6", "--start", "2026-12-07", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_plan_fit_writes_one_workout_per_structured_run(tmp_path, capsys):
    target_dir = tmp_path / "out" / "watch"
    code, out, err = plan_cli(tmp_path, "--fit", str(target_dir), capsys=capsys)
    assert code == 0, err
    plan = json.loads(out)
    runs = [(w["index"], s) for w in plan["weeks"] for s in w["sessions"] if s["kind"] in RUN_KINDS]
    assert runs, "the plan has running sessions"
    assert all(s.get("steps") for _, s in runs), "every run session carries its steps"
    expected = sorted(watch.filename(PlanSession.model_validate(s), i) for i, s in runs)
    assert sorted(p.name for p in target_dir.iterdir()) == expected
    for path in target_dir.iterdir():
        steps = steps_of(path.read_bytes())
        assert steps
    # Same input, same bytes; and the JSON on stdout is the plan without --fit.
    again = tmp_path / "again"
    code2, out2, _ = plan_cli(tmp_path, "--fit", str(again), capsys=capsys)
    assert code2 == 0 and out2 == out
    assert all((again / n).read_bytes() == (target_dir / n).read_bytes() for n in expected)
    code3, out3, _ = plan_cli(tmp_path, capsys=capsys)
    assert code3 == 0 and out3 == out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_cli_plan_fit_into_an_unwritable_folder_is_exit_2_and_writes_nothing(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, out, err = plan_cli(tmp_path, "--fit", str(locked / "watch"), capsys=capsys)
        assert code == 2
        assert "--fit" in err and "cannot write" in err
        assert out == ""
        assert list(locked.iterdir()) == []
        code, out, err = plan_cli(tmp_path, "--fit", str(locked), capsys=capsys)
        assert code == 2 and out == "" and list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_cli_plan_fit_onto_a_file_is_exit_2(tmp_path, capsys):
    a_file = tmp_path / "plan.fit"
    a_file.write_bytes(b"not a folder")
    code, out, err = plan_cli(tmp_path, "--fit", str(a_file), capsys=capsys)
    assert code == 2 and out == "" and "--fit" in err
    assert a_file.read_bytes() == b"not a folder"


def test_cli_plan_fit_below_a_file_is_exit_2_even_for_root(tmp_path, capsys):
    a_file = tmp_path / "plan.fit"
    a_file.write_bytes(b"not a folder")
    code, out, err = plan_cli(tmp_path, "--fit", str(a_file / "watch"), capsys=capsys)
    assert code == 2 and out == "" and "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["intake.json", "plan.fit"]


def hand_plan() -> Plan:
    return Plan(
        start=date(2026, 12, 14),
        weeks=[
            PlanWeek(index=1, sessions=[EASY, INTERVALS]),
            PlanWeek(index=2, sessions=[session("long_run", LONG.steps, date(2026, 12, 26))]),
        ],
    )


def test_write_plan_creates_the_folder_with_every_file(tmp_path):
    out = tmp_path / "a" / "b"
    written = watch.write_plan(hand_plan(), out, runner="Ana")
    assert [p.name for p in written] == [
        "w01-2026-12-16-easy-run.fit",
        "w01-2026-12-16-intervals.fit",
        "w02-2026-12-26-long-run.fit",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b"]  # no temporary folder


@pytest.mark.parametrize("exists", [False, True])
def test_write_plan_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch, exists):
    out = tmp_path / "watch"
    if exists:
        out.mkdir()
        (out / "old.fit").write_bytes(b"old")
    real = Path.write_bytes
    calls = []

    def flaky(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(OSError, match="No space"):
        watch.write_plan(hand_plan(), out)
    if exists:
        assert [p.name for p in out.iterdir()] == ["old.fit"]
    else:
        assert list(tmp_path.iterdir()) == []
