"""Real change between two assessments (protocols §3): the one definition every comparison uses.

A change of a number screen is real only when it is strictly larger than the screen's minimal
detectable change (MDC). Knee-to-wall has two published figures (Powden et al. 2015): 1.9 cm when
the same assessor measured both times, 1.6 cm between assessors; which one applies follows from who
assessed (`same_assessor`). Screens without a published figure use `real_change.default_share` of
data/thresholds.toml (10 %) of the baseline, a convention. A difference within
`real_change.float_tolerance` of the MDC is float noise, not a larger change: 9.9 − 8.0 is
1.9000000000000004 and is not larger than 1.9.

Grade screens (0–3) keep their rule: a change of at least one whole grade is real.

When either assessor is unknown (an assessment from before the assessor was stored, or left
empty), the larger of the two figures applies, so an unknown assessor never makes a change easier
to call real. For knee-to-wall that is the same-assessor 1.9 cm, because the published
between-assessor figure (1.6 cm) is the smaller one.
"""

from __future__ import annotations

from dataclasses import dataclass

from runform import thresholds
from runform.screens import ScreenSpec, load_catalogue

SELF = "self"  # the assessor recorded for a runner's own self-assessment


def normalise(assessor: object) -> str | None:
    """The assessor as compared: trimmed, case-folded; empty means not recorded (None)."""
    name = assessor.strip().casefold() if isinstance(assessor, str) else ""
    return name or None


def same_assessor(a: object, b: object) -> bool | None:
    """True for the same non-empty name (trimmed, case-insensitive), False for two different
    names, None when either is not recorded."""
    x, y = normalise(a), normalise(b)
    if x is None or y is None:
        return None
    return x == y


@dataclass(frozen=True)
class Threshold:
    """The change a screen must exceed to be real, and the figure's basis for display."""

    value: float
    basis: str  # "same assessor", "between assessors", "assessor not recorded", ...
    unit: str = ""
    grade: bool = False

    def text(self) -> str:
        """As shown beside a comparison: 'same assessor: 1.9 cm'."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.basis}: {self.value:g}{unit}"


def threshold(spec: ScreenSpec, baseline: float, same: bool | None) -> Threshold:
    """Which figure applies to `spec` for a change from `baseline`, given who assessed."""
    if spec.kind == "grade":
        return Threshold(1, "one grade", grade=True)
    if spec.kind != "number":
        raise ValueError(f"{spec.id}: a {spec.kind} screen has no real-change threshold")
    if spec.mdc is None:
        share = thresholds.load().real_change.default_share
        return Threshold(
            abs(baseline) * share, f"{share * 100:g} % of baseline (a convention)", spec.unit
        )
    if spec.mdc_between is None:
        return Threshold(spec.mdc, "published minimal detectable change", spec.unit)
    if same is True:
        return Threshold(spec.mdc, "same assessor", spec.unit)
    if same is False:
        return Threshold(spec.mdc_between, "between assessors", spec.unit)
    larger = max(spec.mdc, spec.mdc_between)
    which = "same-assessor" if larger == spec.mdc else "between-assessor"
    return Threshold(larger, f"assessor not recorded, the larger {which} figure", spec.unit)


def mdc(spec: ScreenSpec, baseline: float, same: bool | None) -> float:
    """The minimal detectable change of `spec` from `baseline` (see `threshold`)."""
    return threshold(spec, baseline, same).value


def is_real(spec: ScreenSpec, before: float, after: float, same: bool | None) -> bool:
    """Whether before → after is a real change: strictly larger than the MDC (numbers), at least
    one grade (grades)."""
    t = threshold(spec, before, same)
    diff = abs(after - before)
    tol = thresholds.load().real_change.float_tolerance
    if t.grade:
        return diff >= t.value - tol
    return diff > t.value + tol


def rule_text() -> str:
    """The rule in one sentence for captions and help, with every published figure and its
    source read from the screen catalogue, so no page types a figure again."""
    published = []
    for s in load_catalogue().screens:
        if s.mdc is None:
            continue
        unit = f" {s.unit}" if s.unit else ""
        figures = f"{s.mdc:g}{unit}"
        if s.mdc_between is not None:
            figures += f" with the same assessor, {s.mdc_between:g}{unit} between assessors"
        source = (s.mdc_source or "").split(":")[0]
        published.append(f"{s.name.lower()} {figures} ({source})")
    share = thresholds.load().real_change.default_share
    return (
        "A change counts as real only when larger than the minimal detectable change: "
        + "; ".join(published)
        + f"; without a published figure, {share * 100:g} % of the baseline (a convention)."
    )
