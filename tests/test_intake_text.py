"""What the intake says in words: a finding's evidence (runform.evidence: names and units from the
catalogue, a ratio as a ratio, both sides of a left–right rule, a fault by its label, never a raw
id) and the self-assessment's length (step N of M, its part, the minutes left)."""

from __future__ import annotations

import copy
import math
import re

import pytest

from runform.compensations import assess
from runform.evidence import evidence_lines
from runform.models import Evidence, Finding, Intake
from runform.screens import (
    ScreenSpec,
    load_catalogue,
    progress_text,
    quantity,
    self_assessment_steps,
)
from tests.conftest import EXAMPLE


def intake(**screens) -> Intake:
    raw = copy.deepcopy(EXAMPLE)
    raw["screens"].update(screens)
    return Intake.model_validate(raw)


def lines(i: Intake, finding_id: str, *, with_screens: bool = True) -> list[str]:
    [f] = [f for f in assess(i) if f.id == finding_id]
    return evidence_lines(f, i.screens if with_screens else None)


def test_a_ratio_has_no_unit_and_says_it_is_a_ratio():
    i = intake(side_plank_s={"left": 45, "right": 70})
    assert lines(i, "pelvic_drop", with_screens=False) == [
        "Side plank hold left:right ratio 0.64 (normal 0.95–1.05)"
    ]
    assert lines(i, "pelvic_drop") == [
        "Side plank hold: left 45 s, right 70 s, left:right ratio 0.64 (normal 0.95–1.05)"
    ]


def test_one_screen_over_another_is_in_words_with_both_names():
    i = intake(trunk_flexor_s=95, trunk_extensor_s=60)
    [line] = [x for x in lines(i, "core_endurance_imbalance") if "Trunk flexor" in x]
    assert line == (
        "Trunk flexor hold (McGill) 95 s ÷ Trunk extensor hold (Biering-Sørensen) 60 s: "
        "ratio 1.58 (above 1)"
    )


def test_a_left_right_rule_shows_both_sides_and_the_difference():
    i = intake(hip_ir_deg={"left": 24, "right": 36})
    assert lines(i, "hip_rotation_deficit") == [
        "Hip internal rotation, left: 24° (< 30°)",
        "Hip internal rotation: left 24°, right 36°, difference 12° (> 10°)",
    ]
    assert lines(i, "hip_rotation_deficit", with_screens=False)[1] == (
        "Hip internal rotation: left–right difference 12° (> 10°)"
    )


def test_a_difference_in_per_cent_says_of_what():
    i = intake(calf_raise_reps={"left": 20, "right": 30})
    assert lines(i, "calf_endurance_deficit")[1] == (
        "Single-leg heel raise: left 20 reps, right 30 reps, difference 33.3 % of the better "
        "side (> 15 %)"
    )


def test_a_fault_reads_as_its_label_and_a_flag_as_yes():
    i = intake()
    assert lines(i, "dynamic_knee_valgus") == [
        "Single-leg squat, left: knee caving in (valgus) observed"
    ]
    assert "Overstriding observed: yes" in lines(i, "overstriding")


def test_values_below_a_threshold_keep_every_threshold_crossed_on_one_line():
    i = intake(knee_to_wall_cm={"left": 7.5, "right": 11.0})
    assert lines(i, "limited_ankle_dorsiflexion") == [
        "Knee-to-wall (weight-bearing lunge), left: 7.5 cm (< 10 cm; < 8 cm)"
    ]


def test_pain_and_grades_read_in_words():
    raw = copy.deepcopy(EXAMPLE)
    raw["pain"] = [{"region": "knee", "side": "left", "score": 5, "when": "rest"}]
    i = Intake.model_validate(raw)
    assert lines(i, "pain_flag") == ["Pain: Knee, left: 5/10 (≥ 4/10; any pain at rest)"]
    assert lines(i, "poor_hip_hinge") == [
        "Dowel hip hinge: grade 2, hinges with faults (loses a contact point or bends the knees "
        "too much) (grade ≤ 2)"
    ]


def test_a_stored_threshold_with_a_spaced_degree_sign_reads_without_the_space():
    f = Finding(
        id="hip_rotation_deficit",
        severity="moderate",
        side="left",
        evidence=[Evidence(screen="hip_ir_deg", value=24.0, threshold="< 30 °", side="left")],
        explanation="",
        source="",
    )
    assert evidence_lines(f) == ["Hip internal rotation, left: 24° (< 30°)"]


# Every internal name a line could leak: screen ids, fault ids, finding ids, field paths, None.
INTERNAL = [s.id for s in load_catalogue().screens]
INTERNAL += [f for s in load_catalogue().screens for f in s.faults or []]
INTERNAL += ["None", "screens.", "_s ", "÷ trunk_"]


@pytest.mark.parametrize(
    "screens",
    [
        {},
        {
            "hip_ir_deg": {"left": 24, "right": 36},
            "hip_er_deg": {"left": 25, "right": 45},
            "side_plank_s": {"left": 45, "right": 70},
            "trunk_flexor_s": 95,
            "trunk_extensor_s": 0,
            "calf_raise_reps": {"left": 20, "right": 30},
            "single_leg_bridge_reps": {"left": 10, "right": 30},
            "navicular_drop_mm": {"left": 12, "right": 4},
            "thoracic_rotation_deg": {"left": 20, "right": 45},
            "crossover": True,
            "trunk_flexion": True,
            "ground_contact_ms": 330,
            "vertical_oscillation_cm": 12.0,
        },
    ],
    ids=["example", "most screens"],
)
def test_no_line_shows_an_internal_name(screens):
    i = intake(**screens)
    found = assess(i)
    assert found
    for f in found:
        for with_screens in (True, False):
            for line in evidence_lines(f, i.screens if with_screens else None):
                leaks = [n for n in INTERNAL if re.search(rf"(?<![\w.]){re.escape(n)}", line)]
                assert not leaks, (line, leaks)


def test_quantity_puts_the_unit_as_it_is_written():
    assert quantity(7.5, "cm") == "7.5 cm"
    assert quantity(24.0, "°") == "24°"
    assert quantity(3, "") == "3"


def test_fault_labels_need_one_per_fault():
    spec = load_catalogue().by_id()["single_leg_squat"]
    assert spec.fault_label("knee_valgus") == "knee caving in (valgus)"
    with pytest.raises(ValueError, match="one label per fault"):
        ScreenSpec.model_validate(spec.model_dump() | {"fault_labels": ["only one"]})


# --- the self-assessment's length (screens.self_assessment_steps, progress_text) ---------------


def test_every_step_has_its_minutes_and_part():
    cat = load_catalogue()
    steps = self_assessment_steps(cat)
    assert [s.id for s in steps] == ["profile", "pain", *(s.id for s in cat.screens), "review"]
    assert all(s.minutes > 0 for s in steps[:-1]) and steps[-1].minutes == 0
    assert len(cat.minutes_basis) >= 20


def test_progress_says_step_n_of_m_its_part_and_the_minutes_left():
    cat = load_catalogue()
    steps = self_assessment_steps(cat)
    total = math.ceil(sum(s.minutes for s in steps))
    first = progress_text(steps, 0)
    assert first.startswith(f"Step 1 of {len(steps)}: About you · part 1 of ")
    assert first.endswith(f"about {total} min left")
    ktw = [s.id for s in steps].index("knee_to_wall_cm")
    left = math.ceil(total - cat.profile_minutes - cat.pain_minutes)
    assert progress_text(steps, ktw) == (
        f"Step 3 of {len(steps)}: Knee-to-wall (weight-bearing lunge) · part 3 of "
        f"{len(cat.groups) + 3}, Ankle and foot · about {left} min left"
    )
    assert progress_text(steps, len(steps) - 1).endswith("ready to save")


def test_a_screen_without_minutes_or_with_none_is_refused_at_load():
    spec = load_catalogue().screens[0].model_dump()
    with pytest.raises(ValueError, match="minutes"):
        ScreenSpec.model_validate({k: v for k, v in spec.items() if k != "minutes"})
    with pytest.raises(ValueError, match="minutes"):
        ScreenSpec.model_validate(spec | {"minutes": 0})
