"""Tests for the exercise library: the data file, the models' guards and the planner helpers."""

import re

import pytest
from pydantic import ValidationError

from runform import editing
from runform.exercises import (
    LOAD_EQUIPMENT,
    TARGETABLE_FINDINGS,
    Dose,
    Exercise,
    Library,
    by_id,
    chain,
    equipment_free,
    for_finding,
    load_library,
    pain_regression,
    regression,
)
from runform.screens import load_catalogue
from runform.vocab import EQUIPMENT, FINDING_IDS, REGIONS


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def _easier_path(lib: Library, ex_id: str) -> list[str]:
    """Ids met following easier links from ex_id to the start of its chain."""
    return [ex.id for ex in chain(lib, ex_id, "easier")]


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
        for link in (ex.easier, ex.harder):
            assert link is None or (link in index and link != ex.id), ex.id


def test_links_stay_with_the_same_findings(lib: Library) -> None:
    index = by_id(lib)
    for ex in lib.exercises:
        for link in (ex.easier, ex.harder):
            if link is None:
                continue
            other = index[link]
            if ex.targets:
                assert set(ex.targets) & set(other.targets), (ex.id, link)
            else:
                assert other.category == ex.category, (ex.id, link)


@pytest.mark.parametrize("link", ["harder", "easier"])
def test_every_chain_ends(lib: Library, link: str) -> None:
    """Following harder (or easier) links from any exercise reaches the end of a chain."""
    for ex in lib.exercises:
        path = chain(lib, ex.id, link)
        assert len({e.id for e in path}) == len(path), (ex.id, [e.id for e in path])
        assert getattr(path[-1], link) is None, (ex.id, [e.id for e in path])


def test_the_chains_per_quality(lib: Library) -> None:
    def ids(start: str) -> list[str]:
        return [e.id for e in chain(lib, start)]

    assert ids("calf_raise_isometric_hold") == [
        "calf_raise_isometric_hold",
        "double_leg_calf_raise",
        "single_leg_calf_raise",
        "weighted_single_leg_calf_raise",
        "calf_heavy_slow_resistance",
    ]
    assert ids("pogo_hops") == ["pogo_hops", "single_leg_pogo_hops"]
    assert ids("hamstring_bridge_floor") == [
        "hamstring_bridge_floor",
        "single_leg_hamstring_bridge_step",
        "single_leg_hamstring_bridge_box",
        "hamstring_slider_curl",
        "nordic_curl_assisted",
        "nordic_hamstring_curl",
    ]
    assert ids("copenhagen_short_lever") == ["copenhagen_short_lever", "copenhagen_long_lever"]
    index = by_id(lib)
    for end in (
        "nordic_hamstring_curl",
        "copenhagen_long_lever",
        "single_leg_pogo_hops",
        "calf_heavy_slow_resistance",
        "metronome_cadence_run",
    ):
        assert index[end].harder is None, end


def test_impact_items_are_the_plyometric_ones(lib: Library) -> None:
    impact = {ex.id for ex in lib.exercises if ex.impact}
    assert impact == {
        "pogo_hops",
        "single_leg_pogo_hops",
        "hill_strides",
        "a_skip",
        "barefoot_foot_drills",
    }
    fast = {ex.id for ex in lib.exercises if ex.fast}
    assert {"strides", "hill_strides", "barefoot_strides"} <= fast
    for ex in lib.exercises:
        if ex.impact or ex.fast:
            # a pain regression has somewhere calm to land
            assert any(not (e.impact or e.fast) for e in chain(lib, ex.id, "easier")), ex.id


def test_strength_carries_a_load_cue(lib: Library) -> None:
    assert set(EQUIPMENT) >= LOAD_EQUIPMENT
    for ex in lib.exercises:
        if ex.category == "strength":
            assert ex.load_cue, ex.id
            assert ex.coaching_cues()[0] == f"Load: {ex.load_cue}"
            assert ex.coaching_cues("warmup") == ex.cues


def test_capacity_screens_are_the_test_movements(lib: Library) -> None:
    capacity = {ex.id: ex.capacity for ex in lib.exercises if ex.capacity}
    assert capacity == {
        "single_leg_calf_raise": "calf_raise_reps",
        "single_leg_hamstring_bridge_box": "single_leg_bridge_reps",
        "side_plank": "side_plank_s",
        "back_extension_hold": "trunk_extensor_s",
    }
    screens = load_catalogue().by_id()
    assert set(capacity.values()) <= set(screens)
    assert "60 cm" in " ".join(by_id(lib)["single_leg_hamstring_bridge_box"].cues)


def test_cited_protocols_are_dosed_as_their_sources_say(lib: Library) -> None:
    index = by_id(lib)
    hsr = index["calf_heavy_slow_resistance"]
    assert "Beyer et al. 2015" in hsr.source and "Beyer et al. 2015" in (hsr.load_cue or "")
    assert "15RM" in (hsr.load_cue or "") and "6RM" in (hsr.load_cue or "")
    assert (hsr.dose.sets, hsr.dose.reps_low, hsr.dose.reps_high) == (3, 15, 15)
    assert hsr.equipment == ["leg_press"] and "calf_endurance_deficit" in hsr.targets
    assert any("Three times a week" in c for c in hsr.cues)

    drop = index["eccentric_heel_drop"]
    assert "Alfredson et al. 1998" in drop.source
    assert (drop.dose.sets, drop.dose.reps_low, drop.dose.reps_high) == (3, 15, 15)
    assert drop.dose.per_side
    cues = " ".join(drop.cues)
    assert "knee bent" in cues and "Twice a day" in cues

    for nordic in ("nordic_curl_assisted", "nordic_hamstring_curl"):
        assert "Mjølsnes et al. 2004" in index[nordic].source, nordic
    assisted = index["nordic_curl_assisted"].dose
    assert (assisted.sets, assisted.reps_low) == (2, 5)
    assert "12, 10 and 8" in " ".join(index["nordic_hamstring_curl"].cues)

    cadence = index["metronome_cadence_run"]
    assert "drill" in cadence.roles and "overstriding" in cadence.targets
    assert "Heiderscheit et al. 2011" in cadence.source and "Barton et al. 2016" in cadence.source
    cues = " ".join(cadence.cues)
    for words in ("5–10 %", "easy-pace step rate", "metronome", "short blocks", "fade it out"):
        assert words in cues, words


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
    drills = [ex for ex in lib.exercises if "drill" in ex.roles]
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
    cue = "RIR 2-3"
    a = _exercise(id="a", equipment=["barbell"], easier="b", harder="b", load_cue=cue)
    b = _exercise(id="b", equipment=["cable"], easier="a", harder="a", load_cue=cue)
    tiny = Library.model_construct(exercises=[Exercise(**a), Exercise(**b)])
    assert regression(tiny, "a", set()).id == "a"


def test_regression_at_the_start_of_a_chain(lib: Library) -> None:
    index = by_id(lib)
    assert index["calf_raise_isometric_hold"].easier is None
    assert regression(lib, "calf_raise_isometric_hold", set()).id == "calf_raise_isometric_hold"
    assert regression(lib, "double_leg_calf_raise", set()).id == "double_leg_calf_raise"
    # the heavy calf work falls back to what the equipment allows
    assert regression(lib, "calf_heavy_slow_resistance", set()).id == "single_leg_calf_raise"


def test_a_pain_regression_spares_impact_and_fast_work(lib: Library) -> None:
    assert regression(lib, "hill_strides", set()).id == "hill_strides"
    calm = regression(lib, "hill_strides", set(), spare_impact=True)
    assert not (calm.impact or calm.fast)
    assert calm.id == "high_knees"
    assert regression(lib, "pogo_hops", set(), spare_impact=True).id == "single_leg_calf_raise"


def test_equipment_free_and_alternatives_with_chain_ends(lib: Library) -> None:
    index = by_id(lib)
    assert index["cat_camel"].easier is None and index["cat_camel"].harder is None
    assert equipment_free(lib, "cat_camel").id == "cat_camel"
    assert editing.alternatives("cat_camel", set(), lib) == []
    assert equipment_free(lib, "calf_heavy_slow_resistance").id == "single_leg_calf_raise"
    end = index["nordic_hamstring_curl"]
    alts = editing.alternatives(end.id, set(), lib)
    assert alts[0].id == end.easier
    assert end.id not in [a.id for a in alts]
    assert all("posterior_chain_weakness" in a.targets for a in alts)
    start = editing.alternatives("calf_raise_isometric_hold", set(), lib)
    assert start[0].id == "double_leg_calf_raise"


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
    data["exercises"][1]["easier"] = "no_such_exercise"
    with pytest.raises(ValidationError, match="knee_to_wall_rock: easier 'no_such_exercise'"):
        Library.model_validate(data)


def _broken(lib: Library, **changes: dict) -> dict:
    """The real library as data, with some rows changed: {exercise id: {field: value}}."""
    data = lib.model_dump()
    for row in data["exercises"]:
        row.update(changes.get(row["id"], {}))
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"nordic_hamstring_curl": {"harder": "no_such_exercise"}},
            "nordic_hamstring_curl: harder 'no_such_exercise' is not an exercise id",
        ),
        (
            {"nordic_hamstring_curl": {"harder": "strides"}},
            "nordic_hamstring_curl: harder 'strides' shares no finding target",
        ),
        (
            {"weighted_single_leg_calf_raise": {"harder": "single_leg_pogo_hops"}},
            "weighted_single_leg_calf_raise: harder 'single_leg_pogo_hops' is impact work",
        ),
        (
            {"cross_training_intervals": {"harder": "hill_strides"}},
            "cross_training_intervals: harder 'hill_strides' is impact work",
        ),
        (
            {"double_leg_calf_raise": {"easier": "calf_stretch_wall"}},
            "double_leg_calf_raise: easier 'calf_stretch_wall' shares no finding target",
        ),
        (
            {"easy_walk": {"harder": "cat_camel"}},
            "easy_walk: harder 'cat_camel' is mobility, but the untargeted easy_walk",
        ),
        (
            {"nordic_hamstring_curl": {"harder": "hamstring_bridge_floor"}},
            "harder links form a cycle: hamstring_bridge_floor -> .* -> nordic_hamstring_curl "
            "-> hamstring_bridge_floor",
        ),
        (
            {"single_leg_pogo_hops": {"harder": "pogo_hops"}},
            "harder links form a cycle: pogo_hops -> single_leg_pogo_hops -> pogo_hops",
        ),
        (
            {"calf_raise_isometric_hold": {"easier": "double_leg_calf_raise"}},
            "easier links form a cycle: calf_raise_isometric_hold -> double_leg_calf_raise -> "
            "calf_raise_isometric_hold",
        ),
        (
            {"pogo_hops": {"easier": None}},
            "pogo_hops: its easier chain pogo_hops has only impact or fast work",
        ),
        (
            {"weighted_single_leg_calf_raise": {"load_cue": None}},
            r"weighted_single_leg_calf_raise: loaded strength \(equipment \['dumbbells'\]\) "
            "needs a load_cue",
        ),
        (
            {"side_plank": {"capacity": "grip_strength_kg"}},
            "side_plank: capacity 'grip_strength_kg' is not a screen id",
        ),
        (
            {"side_plank": {"capacity": "calf_raise_reps"}},
            "side_plank: capacity 'calf_raise_reps' is counted in reps, so the dose must give "
            "reps_low",
        ),
        (
            {"single_leg_calf_raise": {"capacity": "hip_hinge"}},
            "single_leg_calf_raise: capacity 'hip_hinge' is not a reps or seconds screen",
        ),
        (
            {"back_extension_hold": {"capacity": "side_plank_s"}},
            "back_extension_hold: capacity 'side_plank_s' is tested per side",
        ),
        ({"pogo_hops": {"impact": False}}, "pogo_hops: .* set impact = true"),
        ({"hill_strides": {"impact": False}}, "hill_strides: .* set impact = true"),
        ({"strides": {"fast": False}}, "strides: .* set fast = true"),
    ],
)
def test_library_refuses_a_bad_chain_or_field(lib: Library, changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Library.model_validate(_broken(lib, **changes))


def test_a_new_plyometric_needs_its_flag() -> None:
    with pytest.raises(ValidationError, match="box_jump: .* set impact = true"):
        Exercise.model_validate(_exercise(id="box_jump", name="Box jump"))
    ex = Exercise.model_validate(_exercise(id="box_jump", name="Box jump", impact=True))
    assert ex.impact and not ex.fast


def test_load_cue_rules() -> None:
    with pytest.raises(ValidationError, match="test_bridge: loaded strength"):
        Exercise.model_validate(_exercise(equipment=["kettlebell"]))
    with pytest.raises(ValidationError, match="blank"):
        Exercise.model_validate(_exercise(load_cue="  "))
    ok = Exercise.model_validate(_exercise(equipment=["kettlebell"], load_cue="RIR 2-3"))
    assert ok.coaching_cues() == ["Load: RIR 2-3", "Lift", "Squeeze", "Lower"]
    # mobility with a band is not loaded strength
    Exercise.model_validate(_exercise(category="mobility", equipment=["band"]))
    assert Exercise.model_validate(_exercise(easier=None, harder=None)).harder is None


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
    ids = {r["id"] for r in data["exercises"]}
    for row in data["exercises"]:  # links into the removed rows end their chains instead
        for link in ("easier", "harder"):
            if row[link] not in ids:
                row[link] = None
    with pytest.raises(ValidationError, match="fewer than 3"):
        Library.model_validate(data)


def test_library_round_trips(lib: Library) -> None:
    assert Library.model_validate(lib.model_dump()) == lib


# --- the regression for pain (one rule for progression and the niggle adaptation) -------------


def test_pain_regression_skips_an_easier_variant_that_loads_the_painful_region(lib: Library):
    # split squat → bodyweight squat would be "easier" but loads the knee as well
    index = by_id(lib)
    assert index["split_squat"].easier == "bodyweight_squat"
    assert "knee" in index["bodyweight_squat"].regions
    other = pain_regression(lib, "split_squat", set(), "knee")
    assert other is not None and other.id != "bodyweight_squat"
    assert "knee" not in other.regions
    assert set(other.targets) & set(index["split_squat"].targets)
    assert not (other.impact or other.fast) and other.fits(set())


def test_pain_regression_follows_the_easier_chain_first(lib: Library):
    # knee-over-toe split squat (ankle, knee, thigh): its easier chain holds the banded ankle
    # mobilisation (needs a band) and then the knee-to-wall rock (ankle, calf)
    with_band = pain_regression(lib, "knee_over_toe_split_squat", {"band"}, "knee")
    without = pain_regression(lib, "knee_over_toe_split_squat", set(), "knee")
    assert with_band is not None and with_band.id == "banded_ankle_mobilisation"
    assert without is not None and without.id == "knee_to_wall_rock"


def test_pain_regression_prefers_timed_work_and_never_a_harder_exercise(lib: Library):
    other = pain_regression(lib, "split_squat", set(), "knee")
    assert other is not None and other.dose.seconds is not None  # isometric first
    # nothing further along its own chain than the split squat (one step from its start)
    assert len(chain(lib, other.id, "easier")) <= len(chain(lib, "split_squat", "easier"))
    # the full Nordic with knee pain: work that spares the knee, not a harder one
    nordic = pain_regression(lib, "nordic_hamstring_curl", set(), "knee")
    assert nordic is not None and "knee" not in nordic.regions
    assert len(chain(lib, nordic.id, "easier")) <= len(
        chain(lib, "nordic_hamstring_curl", "easier")
    )


def test_pain_regression_with_nothing_sparing_the_region_pauses(lib: Library):
    # the glute bridge starts its chain and every alternative at its level loads the hip
    assert pain_regression(lib, "glute_bridge", set(), "hip") is None
    assert pain_regression(lib, "glute_bridge", set(EQUIPMENT), "hip") is None


def test_pain_regression_of_an_exercise_not_loading_the_region_is_itself(lib: Library):
    assert pain_regression(lib, "glute_bridge", set(), "shoulder").id == "glute_bridge"


def test_pain_regression_never_loads_the_region_for_any_exercise(lib: Library):
    for ex in lib.exercises:
        for region in ex.regions:
            for kit in (set(), set(EQUIPMENT)):
                other = pain_regression(lib, ex.id, kit, region)
                if other is not None:
                    assert region not in other.regions, (ex.id, region, other.id)
                    assert not (other.impact or other.fast) and other.fits(kit)
