"""Intake, AthleteProfile and PainEntry validation (protocols §1), error messages and the screen
catalogue helpers (tidy rows, real change)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from runform import clock, screens
from runform.models import AthleteProfile, Goal, Intake, PainEntry, error_messages
from runform.screens import from_rows, load_catalogue, to_rows
from runform.vocab import REGIONS
from tests.conftest import EXAMPLE

PROTOCOLS = Path(__file__).resolve().parents[2] / "shared" / "protocols.md"
FAULTS = ["knee_valgus", "pelvic_drop", "trunk_lean", "poor_depth", "loss_of_balance"]


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def minimal(**extra: Any) -> dict[str, Any]:
    return {"athlete": {"name": "Ana"}, "assessed_on": "2026-11-20", **extra}


def errors_of(data: Any, model: type = Intake) -> dict[str, str]:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data)
    return error_messages(exc.value, model)


# --- the example validates ---------------------------------------------------------------------


def test_protocol_example_validates_to_the_expected_values():
    intake = Intake.model_validate(example())
    a = intake.athlete
    assert (a.name, a.birth_year, a.sex, a.running_years) == ("Ana", 1991, "female", 6)
    assert (a.weekly_km, a.runs_per_week, a.longest_run_km, a.minutes_per_day) == (40, 4, 16, 60)
    assert a.goal == Goal(event="half marathon", date=date(2027, 4, 11))
    assert a.available_days == ["mon", "wed", "fri", "sat"]
    assert a.equipment == ["band", "dumbbells", "box"]
    assert a.injury_history == ""
    assert intake.assessed_on == date(2026, 11, 20)
    assert intake.pain == [PainEntry(region="knee", side="left", score=3, when="during_run")]
    assert intake.screens == {
        "knee_to_wall_cm": {"left": 8.5, "right": 11.0},
        "hip_hinge": 2,
        "single_leg_squat": EXAMPLE["screens"]["single_leg_squat"],
        "trunk_flexor_s": 120.0,
        "trunk_extensor_s": 150.0,
        "cadence_spm": 164.0,
        "overstride": True,
    }
    assert type(intake.screens["hip_hinge"]) is int
    assert type(intake.screens["cadence_spm"]) is float


def test_protocol_example_in_the_shared_file_matches_this_copy():
    if not PROTOCOLS.exists():
        pytest.skip("shared/protocols.md is not next to the repository")
    text = PROTOCOLS.read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data == EXAMPLE
    assert Intake.model_validate(data).athlete.name == "Ana"


def test_json_round_trip_of_a_valid_intake():
    intake = Intake.model_validate(example())
    again = Intake.model_validate_json(intake.model_dump_json())
    assert again == intake


# --- extra keys are refused at every level ------------------------------------------------------


def _extra_top(d):
    d["nickname"] = "A"


def _extra_athlete(d):
    d["athlete"]["age"] = 35


def _extra_goal(d):
    d["athlete"]["goal"]["time"] = "1:45"


def _extra_pain(d):
    d["pain"][0]["severity"] = "high"


def _extra_screen(d):
    d["screens"]["ankle_cm"] = 9


def _extra_fault(d):
    d["screens"]["single_leg_squat"]["left"]["wobble"] = True


def _extra_side(d):
    d["screens"]["knee_to_wall_cm"]["middle"] = 9


EXTRA_KEYS = {
    "top level": (_extra_top, "nickname", "Extra inputs are not permitted"),
    "athlete": (_extra_athlete, "athlete.age", "Extra inputs are not permitted"),
    "goal": (_extra_goal, "athlete.goal.time", "Extra inputs are not permitted"),
    "pain entry": (_extra_pain, "pain.0.severity", "Extra inputs are not permitted"),
    "screens": (_extra_screen, "screens.ankle_cm", "unknown screen id"),
    "squat side": (_extra_fault, "screens.single_leg_squat.left", "unknown fault ['wobble']"),
    "bilateral side": (_extra_side, "screens.knee_to_wall_cm", "unknown side ['middle']"),
}


@pytest.mark.parametrize(("mutate", "path", "message"), EXTRA_KEYS.values(), ids=EXTRA_KEYS.keys())
def test_extra_keys_are_refused_at_every_level(mutate, path, message):
    d = example()
    mutate(d)
    errors = errors_of(d)
    assert list(errors) == [path]
    assert message in errors[path]


# --- invalid values ----------------------------------------------------------------------------


def screen(sid: str, value: Any) -> dict:
    return minimal(screens={sid: value})


def athlete(**fields: Any) -> dict:
    return {"athlete": {"name": "Ana", **fields}, "assessed_on": "2026-11-20"}


def pain(**fields: Any) -> dict:
    return minimal(pain=[{"region": "knee", "score": 3, "when": "rest", **fields}])


TOMORROW = (clock.today() + timedelta(days=1)).isoformat()

INVALID = {
    "negative cm": (
        screen("knee_to_wall_cm", {"left": -1, "right": 10}),
        "screens.knee_to_wall_cm.left",
        "Knee-to-wall (weight-bearing lunge), left: -1 cm is outside the allowed range 0–20 cm",
    ),
    "cm above range": (
        screen("knee_to_wall_cm", {"left": 10, "right": 20.5}),
        "screens.knee_to_wall_cm.right",
        "outside the allowed range 0–20 cm",
    ),
    "900 spm": (
        screen("cadence_spm", 900),
        "screens.cadence_spm",
        "Cadence at easy pace: 900 spm is outside the allowed range 120–230 spm",
    ),
    "unknown screen id": (screen("ankle_cm", 9), "screens.ankle_cm", "unknown screen id"),
    "text in a screen number": (
        screen("knee_to_wall_cm", {"left": "8.5"}),
        "screens.knee_to_wall_cm.left",
        "must be a number in 0–20 cm, got '8.5'",
    ),
    "text in a scalar screen": (
        screen("cadence_spm", "fast"),
        "screens.cadence_spm",
        "must be a number in 120–230 spm",
    ),
    "text in an athlete number": (
        athlete(weekly_km="forty"),
        "athlete.weekly_km",
        "must be a number between 0 and 300, got 'forty'",
    ),
    "bool in a screen number": (
        screen("cadence_spm", True),
        "screens.cadence_spm",
        "must be a number in 120–230 spm, got True",
    ),
    "bool in a grade": (screen("hip_hinge", False), "screens.hip_hinge", "must be a number in 0–3"),
    "bool in a bilateral number": (
        screen("hip_ir_deg", {"left": True}),
        "screens.hip_ir_deg.left",
        "must be a number in 0–90 °",
    ),
    "NaN in a screen": (
        screen("cadence_spm", float("nan")),
        "screens.cadence_spm",
        "must be a finite number in 120–230 spm",
    ),
    "inf in a screen side": (
        screen("side_plank_s", {"left": float("inf")}),
        "screens.side_plank_s.left",
        "must be a finite number in 0–600 s",
    ),
    "-inf in a screen": (
        screen("vertical_oscillation_cm", float("-inf")),
        "screens.vertical_oscillation_cm",
        "must be a finite number in 3–15 cm",
    ),
    "NaN in an athlete number": (
        athlete(weekly_km=float("nan")),
        "athlete.weekly_km",
        "finite number",
    ),
    "inf in an athlete number": (
        athlete(longest_run_km=float("inf")),
        "athlete.longest_run_km",
        "finite number",
    ),
    "future assessed_on": (
        minimal(assessed_on=TOMORROW),
        "assessed_on",
        f"{TOMORROW} is in the future; the latest allowed date is today",
    ),
    "assessed_on before 1990": (
        minimal(assessed_on="1989-12-31"),
        "assessed_on",
        "must be 1990-01-01 or later",
    ),
    "assessed_on not a date": (minimal(assessed_on="yesterday"), "assessed_on", "date"),
    "unknown region": (pain(region="elbow"), "pain.0.region", "'knee'"),
    "pain score 11": (pain(score=11), "pain.0.score", "must be a number between 0 and 10, got 11"),
    "pain score -1": (pain(score=-1), "pain.0.score", "must be a number between 0 and 10, got -1"),
    "pain score 3.5": (pain(score=3.5), "pain.0.score", "between 0 and 10, got 3.5"),
    "pain unknown when": (pain(when="sometimes"), "pain.0.when", "'rest'"),
    "pain missing score": (
        minimal(pain=[{"region": "knee", "when": "rest"}]),
        "pain.0.score",
        "Field required",
    ),
    "unknown fault": (
        screen("single_leg_squat", {"left": {"wobble": True}}),
        "screens.single_leg_squat.left",
        "unknown fault ['wobble']; known: "
        "knee_valgus, pelvic_drop, trunk_lean, poor_depth, loss_of_balance",
    ),
    "fault not a bool": (
        screen("single_leg_squat", {"left": {"knee_valgus": 1}}),
        "screens.single_leg_squat.left.knee_valgus",
        "must be true or false",
    ),
    "squat side not a dict": (
        screen("single_leg_squat", {"left": True}),
        "screens.single_leg_squat.left",
        "must map each fault",
    ),
    "unknown side key": (
        screen("knee_to_wall_cm", {"left": 9, "centre": 9}),
        "screens.knee_to_wall_cm",
        "unknown side ['centre']; use left and right",
    ),
    "bilateral as a scalar": (
        screen("knee_to_wall_cm", 9),
        "screens.knee_to_wall_cm",
        'must be {"left": ..., "right": ...} (0–20 cm)',
    ),
    "bilateral with no side": (
        screen("knee_to_wall_cm", {"left": None}),
        "screens.knee_to_wall_cm",
        "give at least one side",
    ),
    "grade 2.5": (screen("hip_hinge", 2.5), "screens.hip_hinge", "must be a whole grade in 0–3"),
    "grade 4": (screen("hip_hinge", 4), "screens.hip_hinge", "outside the allowed range 0–3"),
    "flag as text": (
        screen("overstride", "yes"),
        "screens.overstride",
        "must be true or false, got 'yes'",
    ),
    "flag as 1": (screen("crossover", 1), "screens.crossover", "must be true or false, got 1"),
    "screens not a dict": (minimal(screens=[1, 2]), "screens", "dictionary"),
    "empty name": (athlete(name=""), "athlete.name", "at least 1 character"),
    "unknown sex": (athlete(sex="x"), "athlete.sex", "'female'"),
    "unknown weekday": (
        athlete(available_days=["mon", "funday"]),
        "athlete.available_days.1",
        "'mon'",
    ),
    "unknown equipment": (athlete(equipment=["laser"]), "athlete.equipment.0", "'band'"),
    "birth year 1800": (
        athlete(birth_year=1800),
        "athlete.birth_year",
        "must be a number between 1920 and 2020, got 1800",
    ),
    "runs per week 2.5": (
        athlete(runs_per_week=2.5),
        "athlete.runs_per_week",
        "must be a number between 0 and 14, got 2.5",
    ),
    "missing athlete": ({"assessed_on": "2026-11-20"}, "athlete", "Field required"),
    "missing assessed_on": ({"athlete": {"name": "Ana"}}, "assessed_on", "Field required"),
    "not an object": ([1, 2], "input", "dictionary"),
}


@pytest.mark.parametrize(("data", "path", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_intake_is_refused_with_the_field_named(data, path, message):
    errors = errors_of(data)
    assert path in errors, errors
    assert message in errors[path]


def test_goal_date_before_assessment_is_refused():
    d = example()
    d["athlete"]["goal"]["date"] = "2026-11-19"
    errors = errors_of(d)
    assert len(errors) == 1
    [(path, message)] = errors.items()
    assert "athlete.goal.date" in f"{path}: {message}"
    assert "must not be before the assessment date" in message


def test_goal_date_on_the_assessment_day_is_accepted():
    d = example()
    d["athlete"]["goal"]["date"] = "2026-11-20"
    assert Intake.model_validate(d).athlete.goal.date == date(2026, 11, 20)


def test_assessed_today_is_accepted_and_future_depends_on_today(monkeypatch):
    assert Intake.model_validate(minimal(assessed_on=clock.today().isoformat())).assessed_on == (
        clock.today()
    )
    monkeypatch.setattr("runform.models._today", lambda: date(2026, 11, 19))
    errors = errors_of(minimal(assessed_on="2026-11-20"))
    assert errors == {
        "assessed_on": "2026-11-20 is in the future; the latest allowed date is today"
    }


@pytest.mark.parametrize("region", REGIONS)
def test_every_known_region_is_accepted(region):
    entry = Intake.model_validate(pain(region=region)).pain[0]
    assert entry.region == region


@pytest.mark.parametrize(("score", "side"), [(0, "left"), (10, "right"), (5, "both"), (1, None)])
def test_pain_entry_bounds_and_sides(score, side):
    entry = PainEntry.model_validate(
        {"region": "hip", "side": side, "score": score, "when": "next_morning"}
    )
    assert (entry.score, entry.side) == (score, side)


@pytest.mark.parametrize(
    "data",
    [
        athlete(weekly_km=True),
        athlete(runs_per_week=True),
        athlete(longest_run_km=True),
        athlete(running_years=False),
        pain(score=True),
    ],
    ids=["weekly_km", "runs_per_week", "longest_run_km", "running_years", "pain score"],
)
def test_bool_in_a_profile_or_pain_number_is_refused(data):
    with pytest.raises(ValidationError):
        Intake.model_validate(data)


def test_unknown_pain_side_is_refused():
    with pytest.raises(ValidationError) as exc:
        Intake.model_validate(pain(side="middle"))
    assert {tuple(e["loc"][:3]) for e in exc.value.errors()} == {("pain", 0, "side")}


def test_unknown_pain_side_message_names_the_field_path():
    errors = errors_of(pain(side="middle"))
    assert list(errors) == ["pain.0.side"]
    assert "'left'" in errors["pain.0.side"] and "'both'" in errors["pain.0.side"]


@pytest.mark.parametrize(
    "data", [athlete(weekly_km="40"), pain(score="3")], ids=["weekly_km", "pain score"]
)
def test_numeric_text_in_a_profile_or_pain_number_is_refused(data):
    with pytest.raises(ValidationError):
        Intake.model_validate(data)


def test_nan_in_a_bounded_profile_number_names_the_range():
    assert errors_of(athlete(weekly_km=float("nan"))) == {
        "athlete.weekly_km": "must be a finite number between 0 and 300, got nan"
    }


# --- error_messages ----------------------------------------------------------------------------


def test_error_messages_weekly_km_900():
    assert errors_of(athlete(weekly_km=900)) == {
        "athlete.weekly_km": "must be a number between 0 and 300, got 900"
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weekly_km", -1, "must be a number between 0 and 300, got -1"),
        ("weekly_km", 300.5, "must be a number between 0 and 300, got 300.5"),
        ("runs_per_week", 15, "must be a number between 0 and 14, got 15"),
        ("longest_run_km", 251, "must be a number between 0 and 250, got 251"),
        ("minutes_per_day", 5, "must be a number between 10 and 300, got 5"),
        ("minutes_per_day", 301, "must be a number between 10 and 300, got 301"),
        ("running_years", 81, "must be a number between 0 and 80, got 81"),
        ("birth_year", 2021, "must be a number between 1920 and 2020, got 2021"),
        ("birth_year", "nineteen", "must be a number between 1920 and 2020, got 'nineteen'"),
    ],
)
def test_error_messages_state_the_allowed_range(field, value, message):
    assert errors_of(athlete(**{field: value})) == {f"athlete.{field}": message}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weekly_km", 0),
        ("weekly_km", 300),
        ("runs_per_week", 0),
        ("runs_per_week", 14),
        ("longest_run_km", 250),
        ("minutes_per_day", 10),
        ("minutes_per_day", 300),
        ("running_years", 0),
        ("running_years", 80),
        ("birth_year", 1920),
        ("birth_year", 2020),
    ],
)
def test_profile_bounds_are_inclusive(field, value):
    assert getattr(Intake.model_validate(athlete(**{field: value})).athlete, field) == value


def test_error_messages_screen_side_path_and_range():
    errors = errors_of(screen("knee_to_wall_cm", {"left": 25, "right": 10}))
    assert errors == {
        "screens.knee_to_wall_cm.left": "Knee-to-wall (weight-bearing lunge), left: 25 cm is "
        "outside the allowed range 0–20 cm"
    }


def test_error_messages_collects_several_fields():
    d = athlete(weekly_km=900, runs_per_week=-1)
    d["pain"] = [{"region": "knee", "score": 11, "when": "rest"}]
    assert errors_of(d) == {
        "athlete.weekly_km": "must be a number between 0 and 300, got 900",
        "athlete.runs_per_week": "must be a number between 0 and 14, got -1",
        "pain.0.score": "must be a number between 0 and 10, got 11",
    }


def test_error_messages_for_other_models():
    assert errors_of({"name": "A", "weekly_km": 900}, AthleteProfile) == {
        "weekly_km": "must be a number between 0 and 300, got 900"
    }
    assert errors_of({"region": "knee", "score": 11, "when": "rest"}, PainEntry) == {
        "score": "must be a number between 0 and 10, got 11"
    }


# --- missing screens, None and normalisation ---------------------------------------------------


def test_missing_screens_stay_absent():
    intake = Intake.model_validate(minimal())
    assert intake.screens == {}
    assert intake.pain == []
    intake = Intake.model_validate(minimal(screens={"cadence_spm": 170}))
    assert intake.screens == {"cadence_spm": 170.0}
    assert "knee_to_wall_cm" not in intake.screens


def test_none_values_are_dropped_not_zeroed():
    intake = Intake.model_validate(
        minimal(
            screens={
                "knee_to_wall_cm": None,
                "hip_hinge": None,
                "overstride": None,
                "hip_ir_deg": {"left": None, "right": 35},
                "cadence_spm": 170,
            }
        )
    )
    assert intake.screens == {"hip_ir_deg": {"right": 35.0}, "cadence_spm": 170.0}


def test_single_leg_squat_sides_get_every_fault_filled_with_false():
    intake = Intake.model_validate(
        minimal(screens={"single_leg_squat": {"left": {"knee_valgus": True}, "right": {}}})
    )
    assert intake.screens["single_leg_squat"] == {
        "left": {f: f == "knee_valgus" for f in FAULTS},
        "right": dict.fromkeys(FAULTS, False),
    }
    one = Intake.model_validate(
        minimal(screens={"single_leg_squat": {"right": {"pelvic_drop": True}}})
    )
    assert one.screens["single_leg_squat"] == {"right": {f: f == "pelvic_drop" for f in FAULTS}}


def test_grades_become_ints_and_numbers_floats():
    intake = Intake.model_validate(
        minimal(screens={"hip_hinge": 3.0, "knee_to_wall_cm": {"left": 9, "right": 10}})
    )
    assert intake.screens == {"hip_hinge": 3, "knee_to_wall_cm": {"left": 9.0, "right": 10.0}}
    assert type(intake.screens["hip_hinge"]) is int
    assert type(intake.screens["knee_to_wall_cm"]["left"]) is float


def test_profile_normalisation():
    a = AthleteProfile.model_validate(
        {
            "name": "  Ana  ",
            "birth_year": 1991.0,
            "runs_per_week": 4.0,
            "available_days": ["mon", "fri", "mon"],
            "equipment": ["box", "band", "box"],
        }
    )
    assert a.name == "Ana"
    assert (a.birth_year, a.runs_per_week) == (1991, 4)
    assert type(a.birth_year) is int
    assert a.available_days == ["mon", "fri"]
    assert a.equipment == ["box", "band"]
    assert (a.weekly_km, a.minutes_per_day, a.goal) == (0, 45, None)


def _in_range_value(spec: screens.ScreenSpec) -> Any:
    if spec.kind == "flag":
        return True
    if spec.kind == "faults":
        return {
            "left": {f: i % 2 == 0 for i, f in enumerate(spec.faults)},
            "right": {f: i % 2 == 1 for i, f in enumerate(spec.faults)},
        }
    if spec.kind == "grade":
        return int(spec.max) - 1
    mid = spec.min + (spec.max - spec.min) / 2 + spec.step
    return {"left": mid, "right": spec.min} if spec.bilateral else mid


NUMERIC = [s for s in load_catalogue().screens if s.kind in ("number", "grade")]


@pytest.mark.parametrize("spec", NUMERIC, ids=[s.id for s in NUMERIC])
def test_every_numeric_screen_accepts_its_bounds_and_refuses_one_step_beyond(spec):
    def value(x):
        return {"left": x} if spec.bilateral else x

    where = f"screens.{spec.id}" + (".left" if spec.bilateral else "")
    for x in (spec.min, spec.max):
        got = Intake.model_validate(screen(spec.id, value(x))).screens[spec.id]
        assert got == value(x)
    for x in (spec.min - spec.step, spec.max + spec.step):
        errors = errors_of(screen(spec.id, value(x)))
        assert list(errors) == [where]
        assert errors[where].endswith(f"outside the allowed range {spec.range_text()}")


@pytest.mark.parametrize(
    ("sid", "text"),
    [
        ("knee_to_wall_cm", "0–20 cm"),
        ("navicular_drop_mm", "0–25 mm"),
        ("hip_ir_deg", "0–90 °"),
        ("hip_hinge", "0–3"),
        ("side_plank_s", "0–600 s"),
        ("single_leg_bridge_reps", "0–100 reps"),
        ("cadence_spm", "120–230 spm"),
        ("ground_contact_ms", "150–400 ms"),
        ("vertical_oscillation_cm", "3–15 cm"),
        ("overstride", "true or false"),
        (
            "single_leg_squat",
            "true or false for each of knee_valgus, pelvic_drop, trunk_lean, poor_depth, "
            "loss_of_balance",
        ),
    ],
)
def test_range_text_matches_protocols(sid, text):
    assert load_catalogue().by_id()[sid].range_text() == text


# --- tidy rows ---------------------------------------------------------------------------------


def test_to_rows_shapes():
    intake = Intake.model_validate(example())
    rows = to_rows(intake.screens)
    assert ("knee_to_wall_cm", "left", "", 8.5) in rows
    assert ("knee_to_wall_cm", "right", "", 11.0) in rows
    assert ("hip_hinge", "none", "", 2.0) in rows
    assert ("single_leg_squat", "left", "knee_valgus", 1.0) in rows
    assert ("single_leg_squat", "right", "knee_valgus", 0.0) in rows
    assert ("cadence_spm", "none", "", 164.0) in rows
    assert ("overstride", "none", "", 1.0) in rows
    assert len(rows) == 2 + 1 + 10 + 1 + 1 + 1 + 1
    assert all(isinstance(r[3], float) for r in rows)


def test_rows_round_trip_the_protocol_example():
    intake = Intake.model_validate(example())
    back = from_rows(to_rows(intake.screens))
    assert back == intake.screens
    assert type(back["hip_hinge"]) is int
    assert back["overstride"] is True


ALL = [s for s in load_catalogue().screens]


@pytest.mark.parametrize("spec", ALL, ids=[s.id for s in ALL])
def test_rows_round_trip_every_screen(spec):
    value = screens.check_value(spec.id, _in_range_value(spec))
    back = from_rows(to_rows({spec.id: value}))
    assert back == {spec.id: value}
    inner = back[spec.id]
    if spec.kind == "faults":
        assert all(type(b) is bool for side in inner.values() for b in side.values())
    elif spec.kind == "flag":
        assert inner is True
    elif spec.kind == "grade":
        assert type(inner) is int
    elif spec.bilateral:
        assert set(inner) == {"left", "right"}
        assert all(type(v) is float for v in inner.values())
    else:
        assert type(inner) is float


def test_rows_round_trip_false_flags_and_one_sided_screens():
    value = {
        "overstride": False,
        "trunk_flexion": False,
        "crossover": True,
        "knee_to_wall_cm": {"right": 0.0},
        "hip_hinge": 0,
        "single_leg_squat": {"left": dict.fromkeys(FAULTS, False)},
    }
    checked = {k: screens.check_value(k, v) for k, v in value.items()}
    rows = to_rows(checked)
    assert ("overstride", "none", "", 0.0) in rows
    assert ("knee_to_wall_cm", "right", "", 0.0) in rows
    assert not any(r[:2] == ("knee_to_wall_cm", "left") for r in rows)
    assert from_rows(rows) == checked
    assert from_rows(rows)["overstride"] is False


# --- real change -------------------------------------------------------------------------------


@pytest.mark.parametrize("baseline", [0, 5, 12, 20])
def test_real_change_knee_to_wall_uses_published_mdc(baseline):
    from runform import change

    spec = load_catalogue().by_id()["knee_to_wall_cm"]
    assert (spec.mdc, spec.mdc_between) == (1.9, 1.6)
    assert change.mdc(spec, baseline, same=True) == 1.9
    assert change.mdc(spec, baseline, same=False) == 1.6


@pytest.mark.parametrize(
    ("sid", "baseline", "expected"),
    [
        ("hip_ir_deg", 40, 4.0),
        ("side_plank_s", 90, 9.0),
        ("cadence_spm", 170, 17.0),
        ("calf_raise_reps", 25, 2.5),
        ("navicular_drop_mm", 0, 0.0),
        ("trunk_flexor_s", -50, 5.0),
        ("vertical_oscillation_cm", 8.6, 0.86),
    ],
)
def test_real_change_defaults_to_ten_percent_of_baseline(sid, baseline, expected):
    from runform import change

    spec = load_catalogue().by_id()[sid]
    for same in (True, False, None):
        assert change.mdc(spec, baseline, same) == pytest.approx(expected)


def test_only_knee_to_wall_has_a_published_mdc():
    with_mdc = {s.id for s in load_catalogue().screens if s.mdc is not None}
    assert with_mdc == {"knee_to_wall_cm"}
