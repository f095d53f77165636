"""Tests for the exercise library: the data file, the models' guards and the planner helpers."""

import re

import pytest
from pydantic import ValidationError

from runform.exercises import (
    TARGETABLE_FINDINGS,
    Dose,
    Exercise,
    Library,
    by_id,
    equipment_free,
    for_finding,
    load_library,
    regression,
)
from runform.vocab import EQUIPMENT, FINDING_IDS, REGIONS


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def _easier_path(lib: Library, ex_id: str) -> list[str]:
    """Ids met following easier links from ex_id until a repeat."""
    index = by_id(lib)
    path: list[str] = []
    current = ex_id
    while current not in path:
        path.append(current)
        current = index[current].easier
    return path


def _exercise(**overrides: object) -> dict:
    """A valid exercise row to break one field at a time."""
    row = {
        "id": "test_bridge",
        "name": "Test bridge",
        "category": "strength",
        "targets": ["posterior_chain_weakness"],
        "regions": ["hip"],
        "dose": {"sets": 3, "reps_low": 8, "reps_high": 12},
        "cues": ["Lift", "Squeeze", "Lower"],
        "faults": ["Arching", "Rushing"],
        "easier": "glute_bridge",
        "harder": "single_leg_glute_bridge",
        "source": "coaching convention",
    }
    row.update(overrides)
    return row


# ------------------------------------------------------------------ the data file


def test_library_loads_and_is_cached(lib: Library) -> None:
    assert isinstance(lib, Library)
    assert load_library() is lib


def test_at_least_sixty_exercises(lib: Library) -> None:
    assert len(lib.exercises) >= 60


def test_every_finding_targeted_at_least_three_times(lib: Library) -> None:
    counts = {f: 0 for f in FINDING_IDS}
    for ex in lib.exercises:
        for target in ex.targets:
            counts[target] += 1
    assert counts["pain_flag"] == 0
    thin = {f: n for f, n in counts.items() if f != "pain_flag" and n < 3}
    assert not thin, thin


def test_every_finding_has_an_equipment_free_option(lib: Library) -> None:
    for finding in TARGETABLE_FINDINGS:
        assert for_finding(lib, finding, set()), finding


def test_cues_faults_and_sources(lib: Library) -> None:
    for ex in lib.exercises:
        assert len(ex.cues) >= 3, ex.id
        assert len(ex.faults) >= 2, ex.id
        assert ex.source == "coaching convention" or re.search(r"\b(19|20)\d\d\b", ex.source), ex.id


def test_vocabularies_are_respected(lib: Library) -> None:
    for ex in lib.exercises:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ex.id)
        assert set(ex.regions) <= set(REGIONS), ex.id
        assert set(ex.equipment) <= set(EQUIPMENT), ex.id


def test_links_resolve_and_never_point_to_self(lib: Library) -> None:
    index = by_id(lib)
    for ex in lib.exercises:
        assert ex.easier in index and ex.easier != ex.id, ex.id
        assert ex.harder in index and ex.harder != ex.id, ex.id


def test_every_chain_reaches_an_equipment_free_member(lib: Library) -> None:
    index = by_id(lib)
    for ex in lib.exercises:
        path = _easier_path(lib, ex.id)
        assert any(not index[i].equipment for i in path), (ex.id, path)


def test_equipment_free_warmup_and_cooldown_exist(lib: Library) -> None:
    for role in ("warmup", "cooldown"):
        assert any(role in ex.roles and not ex.equipment for ex in lib.exercises), role


def test_article_movements_are_present(lib: Library) -> None:
    named = {
        "ninety_ninety_hip_switch",
        "open_book",
        "quadruped_thread_the_needle",
        "knee_to_wall_rock",
        "banded_ankle_mobilisation",
        "clamshell",
        "side_lying_hip_abduction",
        "banded_monster_walk",
        "glute_bridge",
        "dowel_hip_hinge",
        "single_leg_rdl_bodyweight",
        "romanian_deadlift_dumbbell",
        "romanian_deadlift_kettlebell",
        "romanian_deadlift_barbell",
        "single_leg_press",
        "lateral_step_down",
        "forward_step_down",
        "hip_thrust_barbell",
        "nordic_hamstring_curl",
        "nordic_curl_assisted",
        "single_leg_hamstring_bridge_box",
        "dead_bug",
        "bird_dog",
        "pallof_press_band",
        "pallof_press_cable",
        "suitcase_carry",
        "offset_carry",
        "double_leg_calf_raise",
        "single_leg_calf_raise",
        "bent_knee_soleus_raise",
        "eccentric_heel_drop",
        "short_foot_standing",
        "toe_yoga",
        "towel_scrunch",
        "barefoot_foot_drills",
        "single_leg_stance_eyes_closed",
        "y_balance_reach",
        "a_march",
        "a_skip",
        "wall_drill",
        "quick_feet",
        "metronome_cadence_run",
        "strides",
        "high_knees",
        "side_plank",
        "mcgill_curl_up",
        "copenhagen_short_lever",
        "leg_swings",
        "walking_lunge_with_reach",
        "dynamic_warmup_routine",
        "easy_walk",
        "calf_stretch_wall",
        "half_kneeling_hip_flexor_stretch",
        "diaphragmatic_breathing_90_90",
        "easy_aerobic_cross_training",
        "hill_strides",
    }
    assert named <= set(by_id(lib)), named - set(by_id(lib))


def test_run_drills_and_conditioning(lib: Library) -> None:
    drills = [ex for ex in lib.exercises if "run_drill" in ex.roles]
    assert len(drills) >= 5
    assert sum(ex.category == "conditioning" for ex in lib.exercises) >= 3


# ------------------------------------------------------------------ helpers


def test_for_finding_filters_by_target_and_equipment(lib: Library) -> None:
    home = {"band", "dumbbells"}
    found = for_finding(lib, "posterior_chain_weakness", home)
    assert found
    for ex in found:
        assert "posterior_chain_weakness" in ex.targets
        assert set(ex.equipment) <= home
    ids = {ex.id for ex in found}
    assert "romanian_deadlift_dumbbell" in ids
    assert "hip_thrust_barbell" not in ids
    assert for_finding(lib, "pain_flag", set(EQUIPMENT)) == []
    with pytest.raises(ValueError):
        for_finding(lib, "not_a_finding", set())


def test_regression_respects_equipment(lib: Library) -> None:
    assert regression(lib, "romanian_deadlift_barbell", {"barbell"}).id == (
        "romanian_deadlift_barbell"
    )
    assert regression(lib, "romanian_deadlift_barbell", {"dumbbells"}).id == (
        "romanian_deadlift_dumbbell"
    )
    assert regression(lib, "romanian_deadlift_barbell", {"dowel"}).id == "dowel_hip_hinge"
    assert regression(lib, "romanian_deadlift_barbell", set()).id == "hip_hinge_wall_tap"
    for kit in (set(), {"band"}, {"dumbbells", "bench"}, {"kettlebell"}):
        for ex in lib.exercises:
            assert set(regression(lib, ex.id, kit).equipment) <= kit, (ex.id, kit)


def test_regression_falls_back_to_itself_on_a_cycle() -> None:
    a = Exercise.model_validate(_exercise(id="a", equipment=["barbell"], easier="b", harder="b"))
    b = Exercise.model_validate(_exercise(id="b", equipment=["cable"], easier="a", harder="a"))
    tiny = Library.model_construct(exercises=[a, b])
    assert regression(tiny, "a", set()).id == "a"


def test_equipment_free_returns_no_equipment(lib: Library) -> None:
    for ex in lib.exercises:
        free = equipment_free(lib, ex.id)
        assert free.equipment == [], ex.id
        if not ex.equipment:
            assert free.id == ex.id


def test_equipment_free_prefers_an_easier_variant(lib: Library) -> None:
    free = equipment_free(lib, "hamstring_slider_curl")
    assert free.id in _easier_path(lib, "hamstring_slider_curl")
    assert "posterior_chain_weakness" in free.targets


# ------------------------------------------------------------------ dose


def test_dose_minutes_reps() -> None:
    # 3 sets x (12 reps x 4 s + 60 s rest) = 3 x 108 s = 5.4 min
    assert Dose(sets=3, reps_low=8, reps_high=12).minutes() == pytest.approx(5.4)


def test_dose_minutes_timed_per_side() -> None:
    # 2 sets x (30 s x 2 sides + 15 s rest) = 2 x 75 s = 2.5 min
    dose = Dose(sets=2, seconds=30, per_side=True, rest_s=15)
    assert dose.minutes() == pytest.approx(2.5)


def test_dose_minutes_with_tempo() -> None:
    # tempo 3-1-1-0 = 5 s/rep; 10 reps x 5 s x 2 sides = 100 s; 3 x (100 + 90) s = 9.5 min
    dose = Dose(sets=3, reps_low=6, reps_high=10, tempo="3-1-1-0", per_side=True, rest_s=90)
    assert dose.minutes() == pytest.approx(9.5)


@pytest.mark.parametrize(
    "bad",
    [
        {"sets": 3, "reps_low": 8, "reps_high": 12, "seconds": 30},
        {"sets": 3},
        {"sets": 3, "reps_low": 8},
        {"sets": 3, "reps_low": 12, "reps_high": 8},
        {"sets": 0, "seconds": 30},
        {"sets": 11, "seconds": 30},
        {"sets": 3, "seconds": 30, "rest_s": 301},
        {"sets": 3, "reps_low": 8, "reps_high": 12, "tempo": "slow"},
        {"sets": 3, "seconds": 30, "tempo": "3-1-1-0"},
        {"sets": 3, "seconds": 30, "reps": 10},
    ],
)
def test_dose_rejects_bad_values(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Dose.model_validate(bad)


def test_dose_rejects_both_reps_and_seconds() -> None:
    with pytest.raises(ValidationError):
        Dose(sets=3, reps_low=8, reps_high=12, seconds=30)


# ------------------------------------------------------------------ exercise and library guards


def test_valid_exercise_row_passes() -> None:
    ex = Exercise.model_validate(_exercise())
    assert ex.roles == ["main"]
    assert ex.equipment == []


def test_exercise_rejects_unknown_finding() -> None:
    with pytest.raises(ValidationError):
        Exercise.model_validate(_exercise(targets=["weak_glutes"]))


def test_exercise_rejects_pain_flag_target() -> None:
    with pytest.raises(ValidationError):
        Exercise.model_validate(_exercise(targets=["pain_flag"]))


def test_exercise_rejects_unknown_region() -> None:
    with pytest.raises(ValidationError):
        Exercise.model_validate(_exercise(regions=["elbow"]))


@pytest.mark.parametrize(
    "overrides",
    [
        {"equipment": ["treadmill"]},
        {"id": "Bad-Id"},
        {"cues": ["Lift", "Lower"]},
        {"faults": ["Arching"]},
        {"easier": "test_bridge"},
        {"harder": "test_bridge"},
        {"targets": []},
        {"regions": []},
        {"roles": ["main", "sprint"]},
        {"category": "plyometric"},
        {"colour": "red"},
    ],
)
def test_exercise_rejects_bad_rows(overrides: dict) -> None:
    with pytest.raises(ValidationError):
        Exercise.model_validate(_exercise(**overrides))


def test_empty_targets_allowed_for_cooldown() -> None:
    ex = Exercise.model_validate(_exercise(targets=[], roles=["cooldown"]))
    assert ex.targets == []


def test_library_rejects_dangling_easier(lib: Library) -> None:
    data = lib.model_dump()
    data["exercises"][0]["easier"] = "no_such_exercise"
    with pytest.raises(ValidationError):
        Library.model_validate(data)


def test_library_rejects_duplicate_ids(lib: Library) -> None:
    data = lib.model_dump()
    data["exercises"].append(data["exercises"][0])
    with pytest.raises(ValidationError):
        Library.model_validate(data)


def test_library_rejects_thin_finding_coverage(lib: Library) -> None:
    data = lib.model_dump()
    data["exercises"] = [
        row for row in data["exercises"] if "thoracic_rotation_deficit" not in row["targets"]
    ]
    for row in data["exercises"]:  # keep every remaining link valid
        ids = {r["id"] for r in data["exercises"]}
        for link in ("easier", "harder"):
            if row[link] not in ids:
                row[link] = next(i for i in sorted(ids) if i != row["id"])
    with pytest.raises(ValidationError, match="fewer than 3"):
        Library.model_validate(data)


def test_library_round_trips(lib: Library) -> None:
    assert Library.model_validate(lib.model_dump()) == lib
