"""Controlled vocabularies shared by intake, exercises, plans and logs.

One list each, so a pain region typed at intake matches the regions an exercise loads and the
plan can regress exactly the work that touches a painful area.
"""

from typing import Literal, get_args

Side = Literal["left", "right"]
FindingSide = Literal["left", "right", "both"]
Severity = Literal["info", "moderate", "high"]
SEVERITY_RANK: dict[str, int] = {"high": 2, "moderate": 1, "info": 0}

Region = Literal[
    "foot",
    "ankle",
    "shin",
    "calf",
    "knee",
    "thigh",
    "hamstring",
    "hip",
    "groin",
    "lower_back",
    "upper_back",
    "neck",
    "shoulder",
]
REGIONS: tuple[str, ...] = get_args(Region)

#: Regions running loads: pain here leads the running as well as the exercises (protocols §5).
LOWER_LIMB: frozenset[str] = frozenset(
    {"foot", "ankle", "shin", "calf", "knee", "thigh", "hamstring", "hip", "groin"}
)

PainWhen = Literal["rest", "during_run", "after_run", "next_morning"]
PAIN_WHEN: tuple[str, ...] = get_args(PainWhen)

Equipment = Literal[
    "band",
    "mini_band",
    "dumbbells",
    "kettlebell",
    "barbell",
    "box",
    "bench",
    "dowel",
    "foam_roller",
    "slider",
    "medicine_ball",
    "cable",
    "leg_press",
]
EQUIPMENT: tuple[str, ...] = get_args(Equipment)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)

ExerciseCategory = Literal["mobility", "strength", "motor_control", "conditioning"]

FINDING_IDS: tuple[str, ...] = (
    "limited_ankle_dorsiflexion",
    "ankle_dorsiflexion_asymmetry",
    "hip_rotation_deficit",
    "thoracic_rotation_deficit",
    "dynamic_knee_valgus",
    "pelvic_drop",
    "excessive_trunk_flexion",
    "poor_hip_hinge",
    "posterior_chain_weakness",
    "calf_endurance_deficit",
    "core_endurance_imbalance",
    "excessive_pronation",
    "overstriding",
    "high_vertical_oscillation",
    "pain_flag",
)
