"""Findings from an intake: generic tests applied to the cited rule table in data/rules.toml.

Each rule fires on any of its conditions; every firing condition leaves evidence (screen, value,
threshold, side), so a coach can see exactly which test and threshold produced a finding.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

from runform.models import Evidence, Finding, Intake, PainEntry
from runform.paths import data_dir
from runform.screens import load_catalogue
from runform.vocab import FINDING_IDS, SEVERITY_RANK, SIDES, FindingSide, Severity, Side

Test = Literal[
    "below",
    "at_most",
    "above",
    "equals",
    "diff_at_least",
    "diff_above",
    "diff_pct_above",
    "ratio_outside",
    "ratio_above",
    "fault",
    "flag",
    "pain_at_least",
    "pain_at_rest",
    "all",
]
NEEDS_SCREEN = set(get_args(Test)) - {"pain_at_least", "pain_at_rest", "all"}


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    test: Test
    screen: str | None = None
    item: str | None = None
    other: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    severity: Severity | None = None
    convention: bool = False
    # The value is a population mark that gives way to the runner's own (a `Mark` passed to
    # `assess` for this screen), as the cadence target does once runs are known.
    personal: bool = False
    all: list[Condition] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Condition:
        specs = load_catalogue().by_id()
        for sid in (self.screen, self.other):
            if sid is not None and sid not in specs:
                raise ValueError(f"unknown screen {sid!r}")
        if self.test in NEEDS_SCREEN and self.screen is None:
            raise ValueError(f"test {self.test} needs a screen")
        if self.test == "all" and not self.all:
            raise ValueError("test all needs a non-empty list of conditions")
        if self.test == "ratio_outside" and (self.low is None or self.high is None):
            raise ValueError("ratio_outside needs low and high")
        if self.test == "ratio_above" and self.other is None:
            raise ValueError("ratio_above needs the other screen")
        if self.personal and (self.test != "below" or self.screen is None):
            raise ValueError("a personal condition is a below test on a screen")
        if self.test == "fault" and self.item is None:
            raise ValueError("fault needs the item (fault name)")
        needs_value = NEEDS_SCREEN - {"fault", "flag", "ratio_outside"} | {"pain_at_least"}
        if self.test in needs_value and self.value is None:
            raise ValueError(f"test {self.test} needs a value")
        return self


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    severity: Severity
    explanation: str
    source: str
    when: list[Condition]

    @model_validator(mode="after")
    def _known(self) -> Rule:
        if self.id not in FINDING_IDS:
            raise ValueError(f"unknown finding id {self.id!r}")
        return self


class Mark(BaseModel):
    """The runner's own mark for a `personal` condition's screen, in place of the table's value:
    `value` the cut-off (None: the condition does not fire on this screen), `words` where it
    comes from, shown with the evidence."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | None
    words: str


class RuleTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    findings: list[Rule]

    @model_validator(mode="after")
    def _all_findings(self) -> RuleTable:
        ids = [r.id for r in self.findings]
        if sorted(ids) != sorted(FINDING_IDS):
            raise ValueError(
                "the rule table must define every finding of protocols §2 exactly once"
            )
        return self

    def titles(self) -> dict[str, str]:
        return {r.id: r.title for r in self.findings}


@cache
def load_rules(path: Path | None = None) -> RuleTable:
    with open(path or data_dir() / "rules.toml", "rb") as f:
        return RuleTable.model_validate(tomllib.load(f))


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _ratio(a: float, b: float) -> float | str:
    """a ÷ b for evidence; a zero denominator is shown as the two values, not as infinity."""
    return round(a / b, 2) if b else f"{_fmt(a)} ÷ 0"


def _per_side(value: Any) -> Iterable[tuple[Side | None, Any]]:
    if isinstance(value, dict):
        return [(s, value[s]) for s in SIDES if s in value]
    return [(None, value)]


def _evaluate(
    c: Condition,
    screens: dict[str, Any],
    pain: list[PainEntry],
    marks: Mapping[str, Mark] | None = None,
) -> list[Evidence]:
    """Evidence for each way the condition fires; empty when it does not (or was not assessed)."""
    mark = (marks or {}).get(c.screen or "") if c.personal else None
    if mark is not None:
        return _personal(c, mark, screens)
    if c.test == "all":
        parts = [_evaluate(sub, screens, pain, marks) for sub in c.all or []]
        return [e for p in parts for e in p] if all(parts) else []
    # Condition._complete guarantees the fields each test reads; the asserts say so to mypy.
    if c.test == "pain_at_least":
        assert c.value is not None
        return [
            Evidence(
                screen=f"pain.{p.region}",
                value=p.score,
                threshold=f"≥ {_fmt(c.value)}/10",
                side=p.side,
            )
            for p in pain
            if p.score >= c.value
        ]
    if c.test == "pain_at_rest":
        return [
            Evidence(
                screen=f"pain.{p.region}",
                value=p.score,
                threshold="any pain at rest",
                side=p.side,
            )
            for p in pain
            if p.when == "rest" and p.score > 0
        ]
    assert c.screen is not None  # every test below names its screen
    value = screens.get(c.screen)
    if value is None:
        return []
    unit = load_catalogue().by_id()[c.screen].unit
    u = f" {unit}" if unit else ""
    compare = {
        "below": (lambda v: v < c.value, "<"),
        "at_most": (lambda v: v <= c.value, "≤"),
        "above": (lambda v: v > c.value, ">"),
        "equals": (lambda v: v == c.value, "="),
    }
    if c.test in compare:
        assert c.value is not None
        fires, op = compare[c.test]
        return [
            Evidence(screen=c.screen, value=v, threshold=f"{op} {_fmt(c.value)}{u}", side=side)
            for side, v in _per_side(value)
            if fires(v)
        ]
    if c.test == "flag":
        return [Evidence(screen=c.screen, value=True, threshold="observed")] if value else []
    if c.test == "fault":
        return [
            Evidence(screen=c.screen, value=True, threshold=f"{c.item} observed", side=side)
            for side, faults in _per_side(value)
            if faults.get(c.item)
        ]
    if c.test == "ratio_above":
        assert c.other is not None and c.value is not None
        other = screens.get(c.other)
        if other is None or isinstance(other, dict):
            return []
        threshold = f"{c.screen} ÷ {c.other} > {_fmt(c.value)}"
        return [
            Evidence(screen=c.screen, value=_ratio(v, other), threshold=threshold, side=side)
            for side, v in _per_side(value)
            if v > c.value * other and v > 0
        ]
    # The remaining tests compare the two sides; one side missing means not assessed.
    if not isinstance(value, dict) or not all(s in value for s in SIDES):
        return []
    left, right = value["left"], value["right"]
    weaker: Side = "left" if left < right else "right"
    diff = round(abs(left - right), 6)  # 8.7 - 7.2 is 1.4999999999999991 in binary floating point
    if c.test == "diff_at_least" and diff >= c.value:
        assert c.value is not None
        return [
            Evidence(
                screen=c.screen,
                value=round(diff, 2),
                threshold=f"left–right difference ≥ {_fmt(c.value)}{u}",
                side=weaker,
            )
        ]
    if c.test == "diff_above" and diff > c.value:
        assert c.value is not None
        return [
            Evidence(
                screen=c.screen,
                value=round(diff, 2),
                threshold=f"left–right difference > {_fmt(c.value)}{u}",
                side=weaker,
            )
        ]
    if c.test == "diff_pct_above":
        assert c.value is not None
        pct = round(100 * diff / max(left, right), 6) if max(left, right) > 0 else 0.0
        if pct > c.value:
            return [
                Evidence(
                    screen=c.screen,
                    value=round(pct, 1),
                    threshold=f"left–right difference > {_fmt(c.value)} % of the better side",
                    side=weaker,
                )
            ]
    if (
        c.test == "ratio_outside"
        and max(left, right) > 0
        and not c.low * right <= left <= c.high * right
    ):
        assert c.low is not None and c.high is not None
        return [
            Evidence(
                screen=c.screen,
                value=_ratio(left, right),
                threshold=f"left:right outside {_fmt(c.low)}–{_fmt(c.high)}",
                side=weaker,
            )
        ]
    return []


def _personal(c: Condition, mark: Mark, screens: dict[str, Any]) -> list[Evidence]:
    """A `personal` "below" condition judged against the runner's own mark."""
    assert c.screen is not None  # a personal condition names its screen (Condition._complete)
    value = screens.get(c.screen)
    if mark.value is None or value is None or isinstance(value, dict) or value >= mark.value:
        return []
    unit = load_catalogue().by_id()[c.screen].unit
    u = f" {unit}" if unit else ""
    threshold = f"< {mark.value:.0f}{u} ({mark.words})"
    return [Evidence(screen=c.screen, value=value, threshold=threshold)]


def _side(evidence: list[Evidence]) -> FindingSide | None:
    sides = {e.side for e in evidence if e.side}
    if "both" in sides or {"left", "right"} <= sides:
        return "both"
    return sides.pop() if sides else None


def assess(
    intake: Intake, rules: RuleTable | None = None, marks: Mapping[str, Mark] | None = None
) -> list[Finding]:
    """Findings for an intake, highest severity first (ties keep the rule table's order).

    `marks`: the runner's own cut-offs by screen, for the rule table's `personal` conditions
    (the cadence target once the runner's runs are known; `services.cadence.finding_marks`).
    """
    rules = rules or load_rules()
    findings: list[Finding] = []
    for rule in rules.findings:
        evidence: list[Evidence] = []
        severity = rule.severity
        convention = False
        for c in rule.when:
            fired = _evaluate(c, intake.screens, intake.pain, marks)
            if fired:
                evidence += fired
                own = c.personal and c.screen in (marks or {})
                convention |= (c.convention and not own) or any(s.convention for s in c.all or [])
                if c.severity and SEVERITY_RANK[c.severity] > SEVERITY_RANK[severity]:
                    severity = c.severity
        if not evidence:
            continue
        explanation = rule.explanation
        if convention:
            explanation += (
                " The threshold that fired is a coaching convention, not a research cut-off."
            )
        findings.append(
            Finding(
                id=rule.id,
                severity=severity,
                side=_side(evidence),
                evidence=evidence,
                explanation=explanation,
                source=rule.source,
            )
        )
    return sorted(findings, key=lambda f: -SEVERITY_RANK[f.severity])


def normal_bands(rules: RuleTable | None = None) -> dict[str, tuple[float | None, float | None]]:
    """Per numeric screen, the (low, high) edge of normal the rule table implies.

    A "below" rule makes its largest threshold the low edge (higher is better); an "above" rule
    makes its smallest threshold the high edge (lower is better).
    """
    rules = rules or load_rules()
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    conditions = [c for r in rules.findings for c in r.when]
    conditions += [s for c in conditions for s in c.all or []]
    for c in conditions:
        if c.test in ("below", "at_most") and c.value is not None and c.screen:
            low[c.screen] = max(low.get(c.screen, c.value), c.value)
        elif c.test == "above" and c.value is not None and c.screen:
            high[c.screen] = min(high.get(c.screen, c.value), c.value)
    return {s: (low.get(s), high.get(s)) for s in {*low, *high}}


def threshold(finding_id: str, screen: str, test: str = "below") -> float:
    """A rule's cut-off, so other rules (the planner's impact gate) read the one number."""
    for rule in load_rules().findings:
        if rule.id == finding_id:
            for c in rule.when:
                if c.screen == screen and c.test == test and c.value is not None:
                    return c.value
    raise KeyError(f"{finding_id} has no {test} test on {screen}")
