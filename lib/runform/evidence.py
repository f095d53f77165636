"""A finding's evidence in words, as a coach reads it: the screen's name and unit, the side, the
value and the threshold it crossed; a ratio as a ratio, a left–right rule with both sides and
their difference, a fault by its label. Every page that shows evidence uses `evidence_lines`.

The evidence itself (`compensations`) keeps its machine-readable form (protocols §1): screen ids,
the value the test computed and the threshold as the rule wrote it; this module only words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runform.models import Evidence, Finding
from runform.screens import ScreenSpec, load_catalogue, quantity
from runform.vocab import REGION_LABELS, SIDE_LABELS, SIDES, label

PAIN_PREFIX = "pain."  # evidence of a pain report names its region: "pain.knee"
DIFFERENCE = "left–right difference "  # compensations' left–right rules
RATIO_OUTSIDE = "left:right outside "  # compensations' ratio_outside
OBSERVED = "observed"  # compensations' flag ("observed") and fault ("knee_valgus observed")
PER_CENT = " % of the better side"


def screen_name(screen_id: str) -> str:
    """A screen's name, "Pain: Knee" for a pain report, the id itself for an unknown one."""
    if screen_id.startswith(PAIN_PREFIX):
        return "Pain: " + label(REGION_LABELS, screen_id.removeprefix(PAIN_PREFIX))
    spec = load_catalogue().by_id().get(screen_id)
    return spec.name if spec else screen_id


def evidence_lines(finding: Finding, screens: Mapping[str, Any] | None = None) -> list[str]:
    """One line per test and side, with every threshold it crossed: "Knee-to-wall (weight-bearing
    lunge), left: 7.5 cm (< 10 cm; < 8 cm)". `screens` (the assessment's values) lets a left–right
    rule show both sides; without them it shows the difference alone."""
    lines: dict[str, list[str]] = {}
    for e in finding.evidence:
        head, limit = _line(e, screens or {})
        limits = lines.setdefault(head, [])
        if limit and limit not in limits:
            limits.append(limit)
    return [f"{head} ({'; '.join(limits)})" if limits else head for head, limits in lines.items()]


def _line(e: Evidence, screens: Mapping[str, Any]) -> tuple[str, str]:
    """(what was measured, the threshold it crossed) for one piece of evidence."""
    where = f", {label(SIDE_LABELS, e.side).lower()}" if e.side else ""
    if e.screen.startswith(PAIN_PREFIX):
        return f"{screen_name(e.screen)}{where}: {e.value}/10", _unit_space(e.threshold)
    spec = load_catalogue().by_id().get(e.screen)
    if spec is None:  # not in the catalogue any more: as stored
        return f"{e.screen}{where}: {e.value}", e.threshold
    if e.threshold.startswith(RATIO_OUTSIDE):
        both = _both(spec, screens)
        return (
            f"{spec.name}{':' + both if both else ''} left:right ratio {_value(e.value)}",
            "normal " + e.threshold.removeprefix(RATIO_OUTSIDE),
        )
    if e.threshold.startswith(DIFFERENCE):
        limit = e.threshold.removeprefix(DIFFERENCE)
        if limit.endswith(PER_CENT):
            diff = f"{_value(e.value)} % of the better side"
            limit = limit.removesuffix(PER_CENT) + " %"
        else:
            diff = quantity(_value(e.value), spec.unit)
        both = _both(spec, screens) or " left–right"
        return f"{spec.name}:{both} difference {diff}", _unit_space(limit)
    if " ÷ " in e.threshold:  # ratio_above: "<screen> ÷ <other> > <value>"
        return _ratio_above(e, spec, where, screens)
    if isinstance(e.value, bool):
        if e.threshold == OBSERVED:
            return f"{spec.name}: yes", ""
        fault = e.threshold.removesuffix(" " + OBSERVED)
        return f"{spec.name}{where}: {spec.fault_label(fault)} observed", ""
    if spec.kind == "grade" and isinstance(e.value, int) and spec.grades and spec.min is not None:
        at = e.value - int(spec.min)
        grade = f", {spec.grades[at].lower()}" if 0 <= at < len(spec.grades) else ""
        return f"{spec.name}: grade {e.value}{grade}", "grade " + e.threshold
    value = quantity(_value(e.value), spec.unit) if e.value is not None else "not assessed"
    return f"{spec.name}{where}: {value}", _unit_space(e.threshold)


def _ratio_above(
    e: Evidence, spec: ScreenSpec, where: str, screens: Mapping[str, Any]
) -> tuple[str, str]:
    """ "Trunk flexor hold (McGill) 95 s ÷ Trunk extensor hold (Biering-Sørensen) 60 s: ratio
    1.58 (above 1)"; the values only where the assessment's screens are given."""
    ratio, _, limit = e.threshold.partition(" > ")
    other_id = ratio.partition(" ÷ ")[2]
    specs = load_catalogue().by_id()
    other = specs.get(other_id)
    mine = _side_value(screens.get(spec.id), e.side)
    theirs = screens.get(other_id)
    first = f"{spec.name}{where}" + (f" {quantity(mine, spec.unit)}" if mine is not None else "")
    second = other.name if other else other_id
    if other is not None and isinstance(theirs, int | float):
        second += f" {quantity(theirs, other.unit)}"
    return f"{first} ÷ {second}: ratio {_value(e.value)}", f"above {limit}"


def _both(spec: ScreenSpec, screens: Mapping[str, Any]) -> str:
    """ " left 24°, right 36°," from the assessment's screens, or "" without them."""
    value = screens.get(spec.id)
    if not isinstance(value, Mapping) or not all(s in value for s in SIDES):
        return ""
    return " " + ", ".join(f"{s} {quantity(value[s], spec.unit)}" for s in SIDES) + ","


def _side_value(value: Any, side: str | None) -> Any:
    if isinstance(value, Mapping):
        return value.get(side) if side else None
    return value


def _value(x: Any) -> Any:
    """A computed value at a sensible precision: 0.6428 → 0.64, 12.0 → 12."""
    if isinstance(x, float):
        return round(x, 2)
    return x


def _unit_space(threshold: str) -> str:
    """A stored threshold with the degree sign written as a unit is: "< 30 °" → "< 30°"."""
    return threshold.replace(" °", "°")
