"""Compensation rules (protocols §2) through `runform.compensations.assess`.

Every threshold is probed just below, exactly at and just above its cut-off; each case states the
complete set of findings it expects (id → severity, side), so a rule firing where it should not is a
failure too.
"""

from __future__ import annotations

import copy
import tomllib
from collections import Counter
from typing import Any

import pytest
from pydantic import ValidationError

from runform.compensations import RuleTable, assess, load_rules
from runform.models import Finding, Intake
from runform.paths import data_dir
from runform.vocab import FINDING_IDS, SEVERITY_RANK

ASSESSED_ON = "2026-11-20"
CONVENTION = " The threshold that fired is a coaching convention, not a research cut-off."
FAULTS = ("knee_valgus", "pelvic_drop", "trunk_lean", "poor_depth", "loss_of_balance")


def make(screens: dict[str, Any] | None = None, pain: list[dict] | None = None) -> Intake:
    """A valid intake with only the given screens and pain entries."""
    return Intake.model_validate(
        {
            "athlete": {"name": "Test Runner"},
            "assessed_on": ASSESSED_ON,
            "screens": screens or {},
            "pain": pain or [],
        }
    )


def squat(left: tuple[str, ...] | None = (), right: tuple[str, ...] | None = ()) -> dict:
    """A single-leg squat value with the named faults seen; None leaves that side out."""
    out = {}
    for side, seen in (("left", left), ("right", right)):
        if seen is not None:
            out[side] = {f: f in seen for f in FAULTS}
    return out


def summary(findings: list[Finding]) -> dict[str, tuple[str, str | None]]:
    return {f.id: (f.severity, f.side) for f in findings}


def found(screens: dict | None = None, pain: list[dict] | None = None) -> dict[str, Finding]:
    return {f.id: f for f in assess(make(screens, pain))}


def evidence(f: Finding) -> list[tuple]:
    return [(e.screen, e.value, e.threshold, e.side) for e in f.evidence]


def pain(
    region: str = "knee", score: int = 5, when: str = "during_run", side: str | None = "left"
) -> dict:
    return {"region": region, "side": side, "score": score, "when": when}


LAD, ASYM = "limited_ankle_dorsiflexion", "ankle_dorsiflexion_asymmetry"
HIP, THOR = "hip_rotation_deficit", "thoracic_rotation_deficit"
DKV, PD = "dynamic_knee_valgus", "pelvic_drop"
ETF, PHH = "excessive_trunk_flexion", "poor_hip_hinge"
PCW, CALF, CEI = "posterior_chain_weakness", "calf_endurance_deficit", "core_endurance_imbalance"
PRON, OVER, VO, PAIN = (
    "excessive_pronation",
    "overstriding",
    "high_vertical_oscillation",
    "pain_flag",
)
M, H, INFO = "moderate", "high", "info"


def bi(left: float | None, right: float | None) -> dict:
    return {k: v for k, v in (("left", left), ("right", right)) if v is not None}


# (screens, pain, expected {finding id: (severity, side)}) -- the complete set of findings.
BOUNDARIES = {
    # limited_ankle_dorsiflexion: < 10 cm moderate, < 8 cm high
    "ktw 9.9 both": ({"knee_to_wall_cm": bi(9.9, 9.9)}, None, {LAD: (M, "both")}),
    "ktw 10 both": ({"knee_to_wall_cm": bi(10, 10)}, None, {}),
    "ktw 10.1 both": ({"knee_to_wall_cm": bi(10.1, 10.1)}, None, {}),
    "ktw 9.9 left only": ({"knee_to_wall_cm": bi(9.9, 10)}, None, {LAD: (M, "left")}),
    "ktw 9.9 right only": ({"knee_to_wall_cm": bi(10.1, 9.9)}, None, {LAD: (M, "right")}),
    "ktw 8 both moderate": ({"knee_to_wall_cm": bi(8, 8)}, None, {LAD: (M, "both")}),
    "ktw 7.9 left high": ({"knee_to_wall_cm": bi(7.9, 8)}, None, {LAD: (H, "both")}),
    "ktw 7.9 right high": ({"knee_to_wall_cm": bi(8.5, 7.9)}, None, {LAD: (H, "both")}),
    "ktw 8.1 both": ({"knee_to_wall_cm": bi(8.1, 8.1)}, None, {LAD: (M, "both")}),
    "ktw 0 is a value": ({"knee_to_wall_cm": bi(0, 0)}, None, {LAD: (H, "both")}),
    # ankle_dorsiflexion_asymmetry: difference >= 1.5 cm, weaker (smaller) side
    "asym 1.4": ({"knee_to_wall_cm": bi(12, 13.4)}, None, {}),
    "asym 1.5": ({"knee_to_wall_cm": bi(12, 13.5)}, None, {ASYM: (M, "left")}),
    "asym 1.6": ({"knee_to_wall_cm": bi(12, 13.6)}, None, {ASYM: (M, "left")}),
    "asym 1.5 right": ({"knee_to_wall_cm": bi(13.5, 12)}, None, {ASYM: (M, "right")}),
    "asym with high": (
        {"knee_to_wall_cm": bi(7.5, 12)},
        None,
        {LAD: (H, "left"), ASYM: (M, "left")},
    ),
    # hip_rotation_deficit: IR or ER < 30 on a side, or difference > 10
    "hip ir 29 left": ({"hip_ir_deg": bi(29, 30)}, None, {HIP: (M, "left")}),
    "hip ir 30": ({"hip_ir_deg": bi(30, 30)}, None, {}),
    "hip ir 31": ({"hip_ir_deg": bi(31, 31)}, None, {}),
    "hip ir 29 both": ({"hip_ir_deg": bi(29, 29)}, None, {HIP: (M, "both")}),
    "hip er 29 right": ({"hip_er_deg": bi(30, 29)}, None, {HIP: (M, "right")}),
    "hip er 30": ({"hip_er_deg": bi(30, 30)}, None, {}),
    "hip ir left er right": (
        {"hip_ir_deg": bi(29, 35), "hip_er_deg": bi(35, 29)},
        None,
        {HIP: (M, "both")},
    ),
    "hip ir diff 10": ({"hip_ir_deg": bi(40, 50)}, None, {}),
    "hip ir diff 10.5": ({"hip_ir_deg": bi(40, 50.5)}, None, {HIP: (M, "left")}),
    "hip ir diff 11": ({"hip_ir_deg": bi(51, 40)}, None, {HIP: (M, "right")}),
    "hip er diff 10": ({"hip_er_deg": bi(50, 40)}, None, {}),
    "hip er diff 10.5": ({"hip_er_deg": bi(50.5, 40)}, None, {HIP: (M, "right")}),
    # thoracic_rotation_deficit: < 45 on a side or difference > 10
    "thor 44": ({"thoracic_rotation_deg": bi(44, 45)}, None, {THOR: (M, "left")}),
    "thor 45": ({"thoracic_rotation_deg": bi(45, 45)}, None, {}),
    "thor 46": ({"thoracic_rotation_deg": bi(46, 46)}, None, {}),
    "thor 44 both": ({"thoracic_rotation_deg": bi(44, 44)}, None, {THOR: (M, "both")}),
    "thor diff 10": ({"thoracic_rotation_deg": bi(60, 50)}, None, {}),
    "thor diff 10.5": ({"thoracic_rotation_deg": bi(60.5, 50)}, None, {THOR: (M, "right")}),
    "thor diff 11": ({"thoracic_rotation_deg": bi(50, 61)}, None, {THOR: (M, "left")}),
    # dynamic_knee_valgus / pelvic_drop from the single-leg squat faults
    "squat clean": ({"single_leg_squat": squat()}, None, {}),
    "valgus left": ({"single_leg_squat": squat(("knee_valgus",))}, None, {DKV: (M, "left")}),
    "valgus right": ({"single_leg_squat": squat((), ("knee_valgus",))}, None, {DKV: (M, "right")}),
    "valgus both": (
        {"single_leg_squat": squat(("knee_valgus",), ("knee_valgus",))},
        None,
        {DKV: (M, "both")},
    ),
    "drop left": ({"single_leg_squat": squat(("pelvic_drop",))}, None, {PD: (M, "left")}),
    "drop right": ({"single_leg_squat": squat((), ("pelvic_drop",))}, None, {PD: (M, "right")}),
    "drop both": (
        {"single_leg_squat": squat(("pelvic_drop",), ("pelvic_drop",))},
        None,
        {PD: (M, "both")},
    ),
    "valgus left drop right": (
        {"single_leg_squat": squat(("knee_valgus",), ("pelvic_drop",))},
        None,
        {DKV: (M, "left"), PD: (M, "right")},
    ),
    "other faults": (
        {"single_leg_squat": squat(("trunk_lean", "poor_depth"), ("loss_of_balance",))},
        None,
        {},
    ),
    # side plank left:right outside 0.95-1.05 -> pelvic_drop and core_endurance_imbalance
    "plank 0.94": ({"side_plank_s": bi(94, 100)}, None, {PD: (M, "left"), CEI: (M, "left")}),
    "plank 0.95": ({"side_plank_s": bi(95, 100)}, None, {}),
    "plank 0.96": ({"side_plank_s": bi(96, 100)}, None, {}),
    "plank 1.00": ({"side_plank_s": bi(100, 100)}, None, {}),
    "plank 1.04": ({"side_plank_s": bi(104, 100)}, None, {}),
    "plank 1.05": ({"side_plank_s": bi(105, 100)}, None, {}),
    "plank 1.06": ({"side_plank_s": bi(106, 100)}, None, {PD: (M, "right"), CEI: (M, "right")}),
    # excessive_trunk_flexion: running flag, or hinge <= 2 AND flexor > extensor
    "trunk flexion flag": ({"trunk_flexion": True}, None, {ETF: (M, None)}),
    "trunk flexion no": ({"trunk_flexion": False}, None, {}),
    "hinge 2 ratio 1.01": (
        {"hip_hinge": 2, "trunk_flexor_s": 101, "trunk_extensor_s": 100},
        None,
        {ETF: (M, None), PHH: (M, None), CEI: (M, None)},
    ),
    "hinge 2 ratio 1.0": (
        {"hip_hinge": 2, "trunk_flexor_s": 100, "trunk_extensor_s": 100},
        None,
        {PHH: (M, None)},
    ),
    "hinge 3 ratio 1.01": (
        {"hip_hinge": 3, "trunk_flexor_s": 101, "trunk_extensor_s": 100},
        None,
        {CEI: (M, None)},
    ),
    "hinge 1 ratio 1.5": (
        {"hip_hinge": 1, "trunk_flexor_s": 150, "trunk_extensor_s": 100},
        None,
        {ETF: (M, None), PHH: (M, None), CEI: (M, None)},
    ),
    "no hinge ratio 1.01": (
        {"trunk_flexor_s": 101, "trunk_extensor_s": 100},
        None,
        {CEI: (M, None)},
    ),
    "hinge 2 no extensor": ({"hip_hinge": 2, "trunk_flexor_s": 101}, None, {PHH: (M, None)}),
    # poor_hip_hinge: hinge <= 2; 0 is pain
    "hinge 3": ({"hip_hinge": 3}, None, {}),
    "hinge 2": ({"hip_hinge": 2}, None, {PHH: (M, None)}),
    "hinge 1": ({"hip_hinge": 1}, None, {PHH: (M, None)}),
    "hinge 0": ({"hip_hinge": 0}, None, {PHH: (M, None), PAIN: (H, None)}),
    # posterior_chain_weakness: bridge < 20 on a side, or difference > 15 % of the better side
    "bridge 19 both": ({"single_leg_bridge_reps": bi(19, 19)}, None, {PCW: (M, "both")}),
    "bridge 20": ({"single_leg_bridge_reps": bi(20, 20)}, None, {}),
    "bridge 21": ({"single_leg_bridge_reps": bi(21, 21)}, None, {}),
    "bridge 19 left": ({"single_leg_bridge_reps": bi(19, 20)}, None, {PCW: (M, "left")}),
    "bridge 19 right": ({"single_leg_bridge_reps": bi(20, 19)}, None, {PCW: (M, "right")}),
    "bridge 15 %": ({"single_leg_bridge_reps": bi(40, 34)}, None, {}),
    "bridge 17.5 %": ({"single_leg_bridge_reps": bi(40, 33)}, None, {PCW: (M, "right")}),
    "bridge 14 %": ({"single_leg_bridge_reps": bi(43, 50)}, None, {}),
    "bridge 16 %": ({"single_leg_bridge_reps": bi(42, 50)}, None, {PCW: (M, "left")}),
    # calf_endurance_deficit: heel raises < 25 on a side, or difference > 15 %
    "calf 24 both": ({"calf_raise_reps": bi(24, 24)}, None, {CALF: (M, "both")}),
    "calf 25": ({"calf_raise_reps": bi(25, 25)}, None, {}),
    "calf 26": ({"calf_raise_reps": bi(26, 26)}, None, {}),
    "calf 24 left": ({"calf_raise_reps": bi(24, 25)}, None, {CALF: (M, "left")}),
    "calf 15 %": ({"calf_raise_reps": bi(30, 25.5)}, None, {}),
    "calf 16.7 %": ({"calf_raise_reps": bi(30, 25)}, None, {CALF: (M, "right")}),
    "calf 16 %": ({"calf_raise_reps": bi(42, 50)}, None, {CALF: (M, "left")}),
    # core_endurance_imbalance: flexor:extensor > 1.0; side plank:extensor > 0.75
    "flex:ext 0.99": ({"trunk_flexor_s": 99, "trunk_extensor_s": 100}, None, {}),
    "flex:ext 1.0": ({"trunk_flexor_s": 100, "trunk_extensor_s": 100}, None, {}),
    "flex:ext 1.01": ({"trunk_flexor_s": 101, "trunk_extensor_s": 100}, None, {CEI: (M, None)}),
    "plank:ext 0.75": ({"side_plank_s": bi(75, 75), "trunk_extensor_s": 100}, None, {}),
    "plank:ext 0.76 both": (
        {"side_plank_s": bi(76, 76), "trunk_extensor_s": 100},
        None,
        {CEI: (M, "both")},
    ),
    "plank:ext 0.76 left": (
        {"side_plank_s": bi(76, 75), "trunk_extensor_s": 100},
        None,
        {CEI: (M, "left")},
    ),
    "plank:ext 0.76 right": (
        {"side_plank_s": bi(74, 76), "trunk_extensor_s": 100},
        None,
        {CEI: (M, "right")},
    ),
    # excessive_pronation: navicular drop > 10 mm (info)
    "navicular 10": ({"navicular_drop_mm": bi(10, 10)}, None, {}),
    "navicular 11 left": ({"navicular_drop_mm": bi(11, 10)}, None, {PRON: (INFO, "left")}),
    "navicular 11 right": ({"navicular_drop_mm": bi(9, 11)}, None, {PRON: (INFO, "right")}),
    "navicular 11 both": ({"navicular_drop_mm": bi(11, 11)}, None, {PRON: (INFO, "both")}),
    # overstriding: observed flag, or cadence < 166
    "overstride flag": ({"overstride": True}, None, {OVER: (M, None)}),
    "overstride no": ({"overstride": False}, None, {}),
    "cadence 165": ({"cadence_spm": 165}, None, {OVER: (M, None)}),
    "cadence 165.9": ({"cadence_spm": 165.9}, None, {OVER: (M, None)}),
    "cadence 166": ({"cadence_spm": 166}, None, {}),
    "cadence 167": ({"cadence_spm": 167}, None, {}),
    # high_vertical_oscillation: > 10 cm (info)
    "vo 9.9": ({"vertical_oscillation_cm": 9.9}, None, {}),
    "vo 10": ({"vertical_oscillation_cm": 10}, None, {}),
    "vo 10.1": ({"vertical_oscillation_cm": 10.1}, None, {VO: (INFO, None)}),
    # pain_flag: any pain >= 4, any pain at rest with score > 0, or hinge = 0
    "pain 3": ({}, [pain(score=3)], {}),
    "pain 4 left": ({}, [pain(score=4)], {PAIN: (H, "left")}),
    "pain 4 right": ({}, [pain(score=4, side="right")], {PAIN: (H, "right")}),
    "pain 10 no side": ({}, [pain(score=10, side=None)], {PAIN: (H, None)}),
    "pain 4 left and right": (
        {},
        [pain(score=4), pain("calf", 6, "after_run", "right")],
        {PAIN: (H, "both")},
    ),
    "pain 3 at rest": ({}, [pain(score=3, when="rest")], {PAIN: (H, "left")}),
    "pain 1 at rest": ({}, [pain(score=1, when="rest", side="right")], {PAIN: (H, "right")}),
    "pain 0 at rest": ({}, [pain(score=0, when="rest")], {}),
    "pain 3 next morning": ({}, [pain(score=3, when="next_morning")], {}),
    "pain 3 after run": ({}, [pain(score=3, when="after_run")], {}),
}


@pytest.mark.parametrize(
    ("screens", "pain_entries", "expected"), BOUNDARIES.values(), ids=BOUNDARIES.keys()
)
def test_boundaries(screens, pain_entries, expected):
    assert summary(assess(make(screens, pain_entries))) == expected


# --- not assessed is never 0 -------------------------------------------------------------------

NOT_ASSESSED = {
    "nothing": {},
    "ktw left only, fine": {"knee_to_wall_cm": {"left": 12}},
    "ktw None dropped": {"knee_to_wall_cm": None},
    "ktw both sides None inside": {"knee_to_wall_cm": {"left": None, "right": 12}},
    "hip ir one side": {"hip_ir_deg": {"left": 45}},
    "hip er one side": {"hip_er_deg": {"right": 45}},
    "thoracic one side": {"thoracic_rotation_deg": {"left": 80}},
    "side plank one side": {"side_plank_s": {"left": 20}},
    "bridge one side": {"single_leg_bridge_reps": {"left": 40}},
    "calf one side": {"calf_raise_reps": {"right": 60}},
    "flexor without extensor": {"trunk_flexor_s": 300},
    "extensor without flexor": {"trunk_extensor_s": 10},
    "side plank without extensor": {"side_plank_s": {"left": 300, "right": 300}},
    "extensor without side plank": {"trunk_extensor_s": 1},
    "squat left side only, clean": {"single_leg_squat": squat(right=None)},
    "cadence None": {"cadence_spm": None},
    "hinge None": {"hip_hinge": None, "trunk_flexor_s": 200, "trunk_extensor_s": 250},
}


@pytest.mark.parametrize("screens", NOT_ASSESSED.values(), ids=NOT_ASSESSED.keys())
def test_missing_screen_or_side_gives_no_finding(screens):
    assert assess(make(screens)) == []


ONE_SIDE = {
    "ktw left": ({"knee_to_wall_cm": {"left": 9}}, LAD, "left"),
    "ktw right": ({"knee_to_wall_cm": {"right": 7}}, LAD, "right"),
    "hip ir right": ({"hip_ir_deg": {"right": 20}}, HIP, "right"),
    "thoracic left": ({"thoracic_rotation_deg": {"left": 30}}, THOR, "left"),
    "bridge left": ({"single_leg_bridge_reps": {"left": 10}}, PCW, "left"),
    "calf right": ({"calf_raise_reps": {"right": 10}}, CALF, "right"),
    "navicular right": ({"navicular_drop_mm": {"right": 14}}, PRON, "right"),
    "squat right": ({"single_leg_squat": squat(None, ("knee_valgus",))}, DKV, "right"),
    "plank:ext left": ({"side_plank_s": {"left": 90}, "trunk_extensor_s": 100}, CEI, "left"),
}


@pytest.mark.parametrize(("screens", "fid", "side"), ONE_SIDE.values(), ids=ONE_SIDE.keys())
def test_one_assessed_side_fires_on_that_side_only(screens, fid, side):
    findings = assess(make(screens))
    assert [f.id for f in findings] == [fid]
    assert findings[0].side == side
    assert {e.side for e in findings[0].evidence} == {side}


def test_zero_is_a_measurement_not_a_missing_value():
    assert summary(assess(make({"knee_to_wall_cm": {"right": 0}}))) == {LAD: (H, "right")}
    assert summary(assess(make({"single_leg_bridge_reps": {"left": 0, "right": 0}}))) == {
        PCW: (M, "both")
    }
    assert summary(assess(make({"knee_to_wall_cm": {"left": None, "right": 0}}))) == {
        LAD: (H, "right")
    }


# --- evidence ----------------------------------------------------------------------------------

EVIDENCE = {
    "ktw high": (
        {"knee_to_wall_cm": bi(7.9, 9.9)},
        LAD,
        [
            ("knee_to_wall_cm", 7.9, "< 10 cm", "left"),
            ("knee_to_wall_cm", 9.9, "< 10 cm", "right"),
            ("knee_to_wall_cm", 7.9, "< 8 cm", "left"),
        ],
    ),
    "ktw asymmetry": (
        {"knee_to_wall_cm": bi(7.9, 9.9)},
        ASYM,
        [
            ("knee_to_wall_cm", 2.0, "left–right difference ≥ 1.5 cm", "left"),
        ],
    ),
    "hip ir below": ({"hip_ir_deg": bi(35, 29)}, HIP, [("hip_ir_deg", 29.0, "< 30 °", "right")]),
    "hip er diff": (
        {"hip_er_deg": bi(40, 50.5)},
        HIP,
        [
            ("hip_er_deg", 10.5, "left–right difference > 10 °", "left"),
        ],
    ),
    "thoracic below and diff": (
        {"thoracic_rotation_deg": bi(30, 50)},
        THOR,
        [
            ("thoracic_rotation_deg", 30.0, "< 45 °", "left"),
            ("thoracic_rotation_deg", 20.0, "left–right difference > 10 °", "left"),
        ],
    ),
    "valgus": (
        {"single_leg_squat": squat(("knee_valgus",), ("knee_valgus",))},
        DKV,
        [
            ("single_leg_squat", True, "knee_valgus observed", "left"),
            ("single_leg_squat", True, "knee_valgus observed", "right"),
        ],
    ),
    "pelvic drop squat and plank": (
        {"single_leg_squat": squat((), ("pelvic_drop",)), "side_plank_s": bi(94, 100)},
        PD,
        [
            ("single_leg_squat", True, "pelvic_drop observed", "right"),
            ("side_plank_s", 0.94, "left:right outside 0.95–1.05", "left"),
        ],
    ),
    "trunk flexion flag": (
        {"trunk_flexion": True},
        ETF,
        [("trunk_flexion", True, "observed", None)],
    ),
    "trunk flexion compound": (
        {"hip_hinge": 2, "trunk_flexor_s": 101, "trunk_extensor_s": 100},
        ETF,
        [
            ("hip_hinge", 2, "≤ 2", None),
            ("trunk_flexor_s", 1.01, "trunk_flexor_s ÷ trunk_extensor_s > 1", None),
        ],
    ),
    "hinge": ({"hip_hinge": 1}, PHH, [("hip_hinge", 1, "≤ 2", None)]),
    "bridge below and pct": (
        {"single_leg_bridge_reps": bi(19, 30)},
        PCW,
        [
            ("single_leg_bridge_reps", 19.0, "< 20 reps", "left"),
            (
                "single_leg_bridge_reps",
                36.7,
                "left–right difference > 15 % of the better side",
                "left",
            ),
        ],
    ),
    "calf pct": (
        {"calf_raise_reps": bi(30, 25)},
        CALF,
        [
            ("calf_raise_reps", 16.7, "left–right difference > 15 % of the better side", "right"),
        ],
    ),
    "core three ways": (
        {"trunk_flexor_s": 120, "trunk_extensor_s": 100, "side_plank_s": bi(80, 90)},
        CEI,
        [
            ("trunk_flexor_s", 1.2, "trunk_flexor_s ÷ trunk_extensor_s > 1", None),
            ("side_plank_s", 0.89, "left:right outside 0.95–1.05", "left"),
            ("side_plank_s", 0.8, "side_plank_s ÷ trunk_extensor_s > 0.75", "left"),
            ("side_plank_s", 0.9, "side_plank_s ÷ trunk_extensor_s > 0.75", "right"),
        ],
    ),
    "navicular": (
        {"navicular_drop_mm": bi(11, 4)},
        PRON,
        [
            ("navicular_drop_mm", 11.0, "> 10 mm", "left"),
        ],
    ),
    "overstride and cadence": (
        {"overstride": True, "cadence_spm": 160},
        OVER,
        [
            ("overstride", True, "observed", None),
            ("cadence_spm", 160.0, "< 166 spm", None),
        ],
    ),
    "vertical oscillation": (
        {"vertical_oscillation_cm": 10.1},
        VO,
        [
            ("vertical_oscillation_cm", 10.1, "> 10 cm", None),
        ],
    ),
    "hinge 0 is pain": ({"hip_hinge": 0}, PAIN, [("hip_hinge", 0, "= 0", None)]),
}


@pytest.mark.parametrize(("screens", "fid", "expected"), EVIDENCE.values(), ids=EVIDENCE.keys())
def test_evidence_carries_screen_value_threshold_and_side(screens, fid, expected):
    assert evidence(found(screens)[fid]) == expected


def test_pain_evidence_names_the_region_score_and_side():
    f = found(
        pain=[
            pain("knee", 4, "during_run", "left"),
            pain("calf", 2, "rest", "right"),
            pain("hip", 3, "after_run", "left"),
        ]
    )[PAIN]
    assert evidence(f) == [
        ("pain.knee", 4, "≥ 4/10", "left"),
        ("pain.calf", 2, "any pain at rest", "right"),
    ]
    assert (f.severity, f.side) == ("high", "both")


def test_pain_at_rest_of_four_is_evidence_twice():
    f = found(pain=[pain("hip", 4, "rest", None)])[PAIN]
    assert evidence(f) == [
        ("pain.hip", 4, "≥ 4/10", None),
        ("pain.hip", 4, "any pain at rest", None),
    ]
    assert f.side is None


def test_pain_on_both_sides_gives_finding_side_both():
    f = found(pain=[pain("knee", 6, "during_run", "both")])[PAIN]
    assert f.side == "both"


# --- severity order ----------------------------------------------------------------------------


def test_findings_sorted_highest_severity_first_ties_in_rule_table_order():
    intake = make(
        {
            "navicular_drop_mm": bi(12, 5),
            "vertical_oscillation_cm": 11,
            "single_leg_squat": squat(("knee_valgus",)),
            "cadence_spm": 150,
            "knee_to_wall_cm": bi(7, 7),
        },
        [pain("knee", 6, "during_run", "left")],
    )
    findings = assess(intake)
    assert [(f.id, f.severity) for f in findings] == [
        (LAD, "high"),
        (PAIN, "high"),
        (DKV, "moderate"),
        (OVER, "moderate"),
        (PRON, "info"),
        (VO, "info"),
    ]


def test_severity_order_is_non_increasing_for_a_busy_intake():
    intake = make(
        {
            "knee_to_wall_cm": bi(9, 12),
            "hip_ir_deg": bi(25, 40),
            "thoracic_rotation_deg": bi(40, 55),
            "hip_hinge": 0,
            "trunk_flexor_s": 150,
            "trunk_extensor_s": 100,
            "side_plank_s": bi(60, 90),
            "single_leg_squat": squat(("knee_valgus", "pelvic_drop")),
            "single_leg_bridge_reps": bi(12, 25),
            "calf_raise_reps": bi(15, 30),
            "navicular_drop_mm": bi(12, 12),
            "cadence_spm": 150,
            "overstride": True,
            "vertical_oscillation_cm": 12,
            "trunk_flexion": True,
        }
    )
    findings = assess(intake)
    assert len(findings) == len(FINDING_IDS)
    ranks = [SEVERITY_RANK[f.severity] for f in findings]
    assert ranks == sorted(ranks, reverse=True)
    assert findings[0].id == PAIN
    assert [f.id for f in findings[-2:]] == [PRON, VO]


def test_a_high_condition_raises_the_rule_severity_only_when_it_fires():
    assert found({"knee_to_wall_cm": bi(8, 9)})[LAD].severity == "moderate"
    assert found({"knee_to_wall_cm": bi(7.5, 9)})[LAD].severity == "high"


# --- convention sentence -----------------------------------------------------------------------

CONVENTION_CASES = {
    "ktw below": ({"knee_to_wall_cm": bi(9, 9)}, LAD, False),
    "ktw high": ({"knee_to_wall_cm": bi(7, 7)}, LAD, False),
    "ankle asymmetry": ({"knee_to_wall_cm": bi(12, 14)}, ASYM, True),
    "hip below": ({"hip_ir_deg": bi(29, 29)}, HIP, True),
    "hip diff": ({"hip_er_deg": bi(40, 55)}, HIP, True),
    "thoracic": ({"thoracic_rotation_deg": bi(44, 50)}, THOR, True),
    "valgus": ({"single_leg_squat": squat(("knee_valgus",))}, DKV, False),
    "pelvic drop squat": ({"single_leg_squat": squat(("pelvic_drop",))}, PD, False),
    "pelvic drop plank": ({"side_plank_s": bi(90, 100)}, PD, False),
    "trunk flexion flag": ({"trunk_flexion": True}, ETF, False),
    "trunk flexion compound": (
        {"hip_hinge": 2, "trunk_flexor_s": 120, "trunk_extensor_s": 100},
        ETF,
        False,
    ),
    "hinge": ({"hip_hinge": 2}, PHH, False),
    "bridge below only": ({"single_leg_bridge_reps": bi(19, 19)}, PCW, False),
    "bridge pct only": ({"single_leg_bridge_reps": bi(40, 30)}, PCW, True),
    "bridge below and pct": ({"single_leg_bridge_reps": bi(10, 19)}, PCW, True),
    "calf below": ({"calf_raise_reps": bi(24, 24)}, CALF, True),
    "calf pct": ({"calf_raise_reps": bi(40, 30)}, CALF, True),
    "core flex:ext": ({"trunk_flexor_s": 120, "trunk_extensor_s": 100}, CEI, False),
    "core plank": ({"side_plank_s": bi(90, 100), "trunk_extensor_s": 200}, CEI, False),
    "navicular": ({"navicular_drop_mm": bi(12, 12)}, PRON, False),
    "overstride flag only": ({"overstride": True, "cadence_spm": 170}, OVER, False),
    "cadence only": ({"cadence_spm": 160}, OVER, True),
    "overstride and cadence": ({"overstride": True, "cadence_spm": 160}, OVER, True),
    "vertical oscillation": ({"vertical_oscillation_cm": 12}, VO, True),
    "hinge 0 pain": ({"hip_hinge": 0}, PAIN, False),
}


@pytest.mark.parametrize(
    ("screens", "fid", "convention"), CONVENTION_CASES.values(), ids=CONVENTION_CASES.keys()
)
def test_convention_sentence_exactly_when_a_convention_condition_fired(screens, fid, convention):
    rule = {r.id: r for r in load_rules().findings}[fid]
    f = found(screens)[fid]
    assert f.explanation == rule.explanation + (CONVENTION if convention else "")
    assert ("coaching convention" in f.explanation) is convention
    assert f.source == rule.source


def test_pain_explanation_has_no_convention_sentence():
    f = found(pain=[pain(score=8)])[PAIN]
    assert "coaching convention" not in f.explanation
    assert "clinician" in f.explanation


# --- the rule table ----------------------------------------------------------------------------


def raw_rules() -> dict:
    with open(data_dir() / "rules.toml", "rb") as f:
        return tomllib.load(f)


def rule(table: dict, fid: str) -> dict:
    return next(r for r in table["findings"] if r["id"] == fid)


def test_real_rule_table_defines_every_finding_exactly_once():
    table = load_rules()
    counts = Counter(r.id for r in table.findings)
    assert counts == Counter(FINDING_IDS)
    assert set(counts.values()) == {1}
    assert len(table.findings) == len(FINDING_IDS) == 15
    assert set(table.titles()) == set(FINDING_IDS)


def test_real_rule_table_validates_from_the_raw_toml():
    table = RuleTable.model_validate(raw_rules())
    assert [r.id for r in table.findings] == [r.id for r in load_rules().findings]
    lad = next(r for r in table.findings if r.id == LAD)
    assert [(c.test, c.screen, c.value, c.severity) for c in lad.when] == [
        ("below", "knee_to_wall_cm", 10, None),
        ("below", "knee_to_wall_cm", 8, "high"),
    ]
    assert next(r for r in table.findings if r.id == PAIN).severity == "high"


def _unknown_screen(t):
    rule(t, LAD)["when"][0]["screen"] = "knee_to_wal_cm"


def _unknown_other_screen(t):
    rule(t, CEI)["when"][0]["other"] = "trunk_extensor_seconds"


def _unknown_screen_inside_all(t):
    rule(t, ETF)["when"][1]["all"][0]["screen"] = "hinge"


def _missing_value(t):
    del rule(t, LAD)["when"][0]["value"]


def _missing_value_pain(t):
    del rule(t, PAIN)["when"][0]["value"]


def _missing_screen(t):
    del rule(t, PRON)["when"][0]["screen"]


def _unknown_finding_id(t):
    rule(t, VO)["id"] = "high_bounce"


def _missing_finding(t):
    t["findings"] = [r for r in t["findings"] if r["id"] != VO]


def _duplicate_finding(t):
    t["findings"].append(copy.deepcopy(rule(t, VO)))


def _unknown_test(t):
    rule(t, LAD)["when"][0]["test"] = "less_than"


def _unknown_severity(t):
    rule(t, LAD)["severity"] = "critical"


def _ratio_outside_without_high(t):
    del rule(t, PD)["when"][1]["high"]


def _ratio_above_without_other(t):
    del rule(t, CEI)["when"][0]["other"]


def _fault_without_item(t):
    del rule(t, DKV)["when"][0]["item"]


def _empty_all(t):
    rule(t, ETF)["when"][1]["all"] = []


def _extra_key_in_condition(t):
    rule(t, LAD)["when"][0]["threshold"] = 10


def _extra_key_in_rule(t):
    rule(t, LAD)["note"] = "x"


def _missing_explanation(t):
    del rule(t, LAD)["explanation"]


def _value_as_text(t):
    rule(t, LAD)["when"][0]["value"] = "ten"


MALFORMED = {
    "unknown screen": (_unknown_screen, "unknown screen 'knee_to_wal_cm'"),
    "unknown other screen": (_unknown_other_screen, "unknown screen 'trunk_extensor_seconds'"),
    "unknown screen inside all": (_unknown_screen_inside_all, "unknown screen 'hinge'"),
    "missing value": (_missing_value, "test below needs a value"),
    "missing pain value": (_missing_value_pain, "test pain_at_least needs a value"),
    "missing screen": (_missing_screen, "test above needs a screen"),
    "unknown finding id": (_unknown_finding_id, "unknown finding id 'high_bounce'"),
    "missing finding": (_missing_finding, "every finding of protocols §2 exactly once"),
    "duplicate finding": (_duplicate_finding, "every finding of protocols §2 exactly once"),
    "unknown test": (_unknown_test, "less_than"),
    "unknown severity": (_unknown_severity, "critical"),
    "ratio_outside without high": (_ratio_outside_without_high, "ratio_outside needs low and high"),
    "ratio_above without other": (_ratio_above_without_other, "ratio_above needs the other screen"),
    "fault without item": (_fault_without_item, "fault needs the item"),
    "empty all": (_empty_all, "test all needs a non-empty list"),
    "extra key in condition": (_extra_key_in_condition, "threshold"),
    "extra key in rule": (_extra_key_in_rule, "note"),
    "missing explanation": (_missing_explanation, "explanation"),
    "value as text": (_value_as_text, "value"),
}


@pytest.mark.parametrize(("mutate", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_rule_table_is_rejected(mutate, message):
    table = raw_rules()
    mutate(table)
    with pytest.raises(ValidationError) as exc:
        RuleTable.model_validate(table)
    assert message in str(exc.value)


def test_assess_uses_the_given_rule_table_thresholds():
    """A coach's override in the table moves the cut-off: the rules are data, not code."""
    table = raw_rules()
    rule(table, LAD)["when"][0]["value"] = 12
    rule(table, VO)["when"][0]["value"] = 9
    custom = RuleTable.model_validate(table)
    intake = make({"knee_to_wall_cm": bi(11, 11), "vertical_oscillation_cm": 9.5})
    assert assess(intake) == []
    findings = assess(intake, custom)
    assert summary(findings) == {LAD: (M, "both"), VO: (INFO, None)}
    assert evidence(findings[0])[0] == ("knee_to_wall_cm", 11.0, "< 12 cm", "left")


# --- regressions: bugs found while writing these tests, now fixed --------------------------------


def test_extensor_hold_of_zero_is_an_imbalance():
    findings = summary(assess(make({"hip_hinge": 2, "trunk_flexor_s": 50, "trunk_extensor_s": 0})))
    assert findings == {ETF: (M, None), PHH: (M, None), CEI: (M, None)}


def test_side_plank_zero_on_the_right_mirrors_zero_on_the_left():
    left_zero = summary(assess(make({"side_plank_s": bi(0, 60)})))
    right_zero = summary(assess(make({"side_plank_s": bi(60, 0)})))
    assert left_zero == {PD: (M, "left"), CEI: (M, "left")}
    assert right_zero == {PD: (M, "right"), CEI: (M, "right")}


@pytest.mark.parametrize(("left", "right"), [(7.2, 8.7), (6.7, 8.2), (14.9, 16.4)])
def test_ankle_asymmetry_of_exactly_one_and_a_half_cm_fires(left, right):
    assert ASYM in found({"knee_to_wall_cm": bi(left, right)})


@pytest.mark.parametrize(
    ("screen", "left", "right"),
    [("hip_ir_deg", 30.2, 40.2), ("hip_er_deg", 31.7, 41.7), ("thoracic_rotation_deg", 54.4, 64.4)],
)
def test_rotation_difference_of_exactly_ten_degrees_does_not_fire(screen, left, right):
    assert found({screen: bi(left, right)}) == {}
