"""Real change (protocols §3): one definition, strictly larger than the MDC, and the figure chosen
from who assessed. Every number is worked out by hand from the protocol's figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from runform import change, compare, thresholds
from runform.screens import ScreenSpec, load_catalogue

SPECS = load_catalogue().by_id()
KTW = SPECS["knee_to_wall_cm"]


def test_knee_to_wall_carries_both_published_figures_with_their_source():
    assert (KTW.mdc, KTW.mdc_between) == (1.9, 1.6)
    assert "Powden" in KTW.mdc_source and "between" in KTW.mdc_source


def test_8_to_9_9_cm_is_float_noise_with_the_same_assessor():
    # 9.9 - 8.0 == 1.9000000000000004 in floating point: not larger than 1.9
    assert 9.9 - 8.0 > 1.9
    assert not change.is_real(KTW, 8.0, 9.9, same=True)
    assert not change.is_real(KTW, 9.9, 8.0, same=True)


def test_8_to_9_9_cm_is_real_between_assessors():
    assert change.is_real(KTW, 8.0, 9.9, same=False)  # 1.9 > 1.6
    assert change.is_real(KTW, 9.9, 8.0, same=False)  # a decline is real too


def test_exactly_the_mdc_is_not_real_just_above_is():
    assert not change.is_real(KTW, 8.0, 8.0 + 1.9, same=True)
    assert change.is_real(KTW, 8.0, 8.0 + 1.95, same=True)
    assert not change.is_real(KTW, 8.0, 9.6, same=False)  # 1.6: exactly the between figure
    assert change.is_real(KTW, 8.0, 9.65, same=False)


def test_an_unknown_assessor_uses_the_larger_same_assessor_figure():
    assert change.mdc(KTW, 8.0, same=None) == 1.9
    assert not change.is_real(KTW, 8.0, 9.8, same=None)  # real between assessors, not here
    assert change.is_real(KTW, 8.0, 9.8, same=False)
    assert "assessor not recorded" in change.threshold(KTW, 8.0, None).text()


def test_the_figure_is_named_as_shown_on_the_pages():
    assert change.threshold(KTW, 8.0, True).text() == "same assessor: 1.9 cm"
    assert change.threshold(KTW, 8.0, False).text() == "between assessors: 1.6 cm"


def test_without_a_published_figure_10_percent_of_baseline_a_convention():
    assert thresholds.load().real_change.default_share == 0.10
    hip = SPECS["hip_ir_deg"]
    for same in (True, False, None):
        assert change.mdc(hip, 40.0, same) == pytest.approx(4.0)
    assert not change.is_real(hip, 40.0, 44.0, same=True)  # exactly 10 %: not larger
    assert change.is_real(hip, 40.0, 44.5, same=True)
    assert change.is_real(hip, 40.0, 35.5, same=None)
    assert change.threshold(hip, 40.0, True).text() == "10 % of baseline (a convention): 4 °"


def test_grades_keep_the_one_grade_rule():
    hinge = SPECS["hip_hinge"]
    assert change.is_real(hinge, 2, 3, same=True)
    assert change.is_real(hinge, 3, 1, same=False)
    assert not change.is_real(hinge, 2, 2, same=None)
    assert change.mdc(hinge, 2, None) == 1


def test_flags_and_faults_have_no_real_change():
    with pytest.raises(ValueError, match="no real-change threshold"):
        change.is_real(SPECS["overstride"], 0, 1, same=True)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sam Okafor", " sam okafor ", True),
        ("Sam", "Lena", False),
        ("self", "SELF", True),
        (None, "Sam", None),
        ("", "Sam", None),
        ("   ", "   ", None),
        (float("nan"), "Sam", None),  # a missing value read back from a frame
    ],
)
def test_same_assessor_is_the_same_non_empty_name(a, b, same):
    assert change.same_assessor(a, b) is same


def test_a_screen_spec_refuses_inconsistent_mdc_figures():
    base = {
        "id": "x",
        "name": "X",
        "group": "g",
        "kind": "number",
        "bilateral": False,
        "instructions": "do it",
        "minutes": 2,
        "min": 0,
        "max": 10,
    }
    with pytest.raises(ValidationError, match="needs the same-assessor mdc"):
        ScreenSpec(**base, mdc_between=1.0)
    with pytest.raises(ValidationError, match="needs its mdc_source"):
        ScreenSpec(**base, mdc=1.0)
    with pytest.raises(ValidationError, match="only a number screen"):
        ScreenSpec(
            **{**base, "kind": "grade", "grades": [str(g) for g in range(11)]},
            mdc=1.0,
            mdc_source="a published study",
        )
    with pytest.raises(ValidationError):
        ScreenSpec(**base, mdc=-1.0, mdc_source="a published study")


def test_the_assessment_comparison_uses_the_one_rule():
    before = {"knee_to_wall_cm": {"left": 8.0, "right": 10.0}, "hip_hinge": 2}
    after = {"knee_to_wall_cm": {"left": 9.9, "right": 10.5}, "hip_hinge": 3}
    same = compare.screen_changes(before, after, same=True)
    between = compare.screen_changes(before, after, same=False)
    assert same["real"].tolist() == [False, False, True]
    assert between["real"].tolist() == [True, False, True]
    assert same["figure"].tolist()[:2] == ["same assessor: 1.9 cm"] * 2
    assert between["figure"].tolist()[0] == "between assessors: 1.6 cm"


finite = st.floats(min_value=0, max_value=20, allow_nan=False)


@given(finite, finite, st.sampled_from([True, False, None]))
def test_real_change_is_symmetric_and_never_at_or_below_the_mdc(x, y, same):
    real = change.is_real(KTW, x, y, same)
    assert real == change.is_real(KTW, y, x, same)
    if abs(y - x) <= change.mdc(KTW, x, same):
        assert not real


def test_rule_text_states_every_published_figure_from_the_catalogue():
    text = change.rule_text()
    for s in load_catalogue().screens:
        if s.mdc is not None:
            assert f"{s.mdc:g} {s.unit}" in text
        if s.mdc_between is not None:
            assert f"{s.mdc_between:g} {s.unit} between assessors" in text
    share = thresholds.load().real_change.default_share
    assert f"{share * 100:g} % of the baseline (a convention)" in text
