"""The screen catalogue (data/screens.toml) and the checks every screen value must pass.

Forms, the CLI and the store all validate through `check_value`, so a value the app accepts is one
the rules and the database can hold, and "not assessed" (None) is never turned into 0.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from runform.paths import data_dir
from runform.vocab import SIDES

ScreenKind = Literal["number", "grade", "faults", "flag"]


class ScreenGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str


class ScreenSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    group: str
    kind: ScreenKind
    bilateral: bool
    instructions: str
    minutes: Annotated[float, Field(gt=0, le=60)]  # its step of the self-assessment (a convention)
    unit: str = ""
    min: float | None = None
    max: float | None = None
    step: float = 1
    grades: list[str] | None = None
    faults: list[str] | None = None
    fault_labels: list[str] | None = None  # the words for each fault, in the order of `faults`
    # Minimal detectable change (protocols §3): `mdc` with the same assessor, `mdc_between`
    # between assessors; which one applies, and the rule itself, live in runform.change.
    mdc: Annotated[float, Field(gt=0)] | None = None
    mdc_between: Annotated[float, Field(gt=0)] | None = None
    mdc_source: Annotated[str, Field(min_length=10)] | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> ScreenSpec:
        if self.kind in ("number", "grade") and (self.min is None or self.max is None):
            raise ValueError(f"{self.id}: a {self.kind} screen needs min and max")
        if self.kind == "grade":
            assert self.min is not None and self.max is not None  # checked just above
            if not self.grades or len(self.grades) != self.max - self.min + 1:
                raise ValueError(f"{self.id}: a grade screen needs one label per grade")
        if self.kind == "faults" and not self.faults:
            raise ValueError(f"{self.id}: a faults screen needs its list of faults")
        if self.fault_labels is not None and len(self.fault_labels) != len(self.faults or []):
            raise ValueError(f"{self.id}: fault_labels needs one label per fault")
        if self.mdc_between is not None and self.mdc is None:
            raise ValueError(f"{self.id}: mdc_between needs the same-assessor mdc as well")
        if self.mdc is not None:
            if self.kind != "number":
                raise ValueError(f"{self.id}: only a number screen has a minimal detectable change")
            if not self.mdc_source:
                raise ValueError(f"{self.id}: a published mdc needs its mdc_source")
        return self

    def fault_label(self, fault: str) -> str:
        """The words for one of this screen's faults: "knee caving in (valgus)"."""
        labels = dict(zip(self.faults or [], self.fault_labels or [], strict=False))
        return labels.get(fault, fault.replace("_", " "))

    def range_text(self) -> str:
        if self.kind == "flag":
            return "true or false"
        if self.kind == "faults":
            return "true or false for each of " + ", ".join(self.faults or [])
        unit = f" {self.unit}" if self.unit else ""
        return f"{_num(self.min)}–{_num(self.max)}{unit}"


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # How the screens' `minutes` were estimated, and the self-assessment's other two steps.
    minutes_basis: Annotated[str, Field(min_length=20)]
    profile_minutes: Annotated[float, Field(gt=0, le=60)]
    pain_minutes: Annotated[float, Field(gt=0, le=60)]
    groups: list[ScreenGroup]
    screens: list[ScreenSpec]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        ids = [s.id for s in self.screens]
        if len(ids) != len(set(ids)):
            raise ValueError("screen ids must be unique")
        group_ids = {g.id for g in self.groups}
        for s in self.screens:
            if s.group not in group_ids:
                raise ValueError(f"{s.id}: unknown group {s.group}")
        return self

    def by_id(self) -> dict[str, ScreenSpec]:
        return {s.id: s for s in self.screens}

    def in_group(self, group: str) -> list[ScreenSpec]:
        return [s for s in self.screens if s.group == group]


class Step(NamedTuple):
    """One step of the runner's self-assessment: what it asks, in which part, how long."""

    id: str  # "profile", "pain", a screen id or "review"
    title: str
    part: str
    minutes: float


def self_assessment_steps(catalogue: Catalogue) -> list[Step]:
    """About you, pain, one step per screen (in its group's part), then review and save."""
    groups = {g.id: g.name for g in catalogue.groups}
    return [
        Step("profile", "About you", "About you", catalogue.profile_minutes),
        Step("pain", "Pain", "Pain", catalogue.pain_minutes),
        *(Step(s.id, s.name, groups[s.group], s.minutes) for s in catalogue.screens),
        Step("review", "Review and save", "Review and save", 0),
    ]


def progress_text(steps: list[Step], at: int) -> str:
    """Where the runner is and how long is left, this step included: "Step 3 of 21:
    Knee-to-wall (weight-bearing lunge) · part 3 of 9, Ankle and foot · about 38 min left"."""
    parts = list(dict.fromkeys(s.part for s in steps))
    step = steps[at]
    left = math.ceil(sum(s.minutes for s in steps[at:]))
    when = f"about {left} min left" if left else "ready to save"
    where = f"part {parts.index(step.part) + 1} of {len(parts)}, {step.part}"
    return f"Step {at + 1} of {len(steps)}: {step.title} · {where} · {when}"


@cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    path = path or data_dir() / "screens.toml"
    with open(path, "rb") as f:
        return Catalogue.model_validate(tomllib.load(f))


def quantity(x: float | int | str, unit: str = "") -> str:
    """A value with its unit as read: "7.5 cm", "24°" (no space before a degree sign)."""
    text = _num(x) if isinstance(x, int | float) and not isinstance(x, bool) else str(x)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "°" else f"{text} {unit}"


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if isinstance(x, int):
        text = str(x)
        return text if len(text) <= 20 else f"{text[:8]}… ({len(text)} digits)"
    return str(int(x)) if x.is_integer() else str(x)


def field_name(s: ScreenSpec, side: str | None = None, fault: str | None = None) -> str:
    """A screen's field in words, as an error names it: "Knee-to-wall (weight-bearing lunge),
    right" or "Single-leg squat, left, knee caving in (valgus)"."""
    return ", ".join(
        [s.name, *([side] if side else []), *([s.fault_label(fault)] if fault else [])]
    )


def check_scalar(s: ScreenSpec, value: Any, where: str, name: str = "") -> float | int | bool:
    """One value of a screen (one side, one fault): the type and range the screen allows.

    The error is "<path>: <name>: <what is wrong>", the field's path for the code and its name
    in words (`name`, by default the screen's) for the person who typed it."""
    said = f"{where}: {name or s.name}:"
    if s.kind in ("flag", "faults"):
        if not isinstance(value, bool):
            raise ValueError(f"{said} must be true or false, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{said} must be a number in {s.range_text()}, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{said} must be a finite number in {s.range_text()}")
    # A number or grade screen always has both bounds (ScreenSpec._kind_fields).
    assert s.min is not None and s.max is not None
    if not s.min <= value <= s.max:
        raise ValueError(
            f"{said} {quantity(value, s.unit)} is outside the allowed range {s.range_text()}"
        )
    if s.kind == "grade":
        if not float(value).is_integer():
            raise ValueError(f"{said} must be a whole grade in {s.range_text()}")
        return int(value)
    return float(value)


def check_value(screen_id: str, value: Any) -> Any:
    """Validate and normalise one screen's JSON value; raise ValueError naming the field."""
    where = f"screens.{screen_id}"
    specs = load_catalogue().by_id()
    if screen_id not in specs:
        raise ValueError(f"{where}: unknown screen id; known ids: {', '.join(specs)}")
    s = specs[screen_id]
    if not s.bilateral:
        return check_scalar(s, value, where)
    if not isinstance(value, dict):
        raise ValueError(f'{where}: must be {{"left": ..., "right": ...}} ({s.range_text()})')
    unknown = set(value) - set(SIDES)
    if unknown:
        raise ValueError(f"{where}: unknown side {sorted(map(str, unknown))}; use left and right")
    out: dict[str, Any] = {}
    for side in SIDES:
        v = value.get(side)
        if v is None:
            continue
        if s.kind == "faults":
            if not isinstance(v, dict):
                raise ValueError(f"{where}.{side}: must map each fault to true or false")
            bad = set(v) - set(s.faults or [])
            if bad:
                raise ValueError(
                    f"{where}.{side}: unknown fault {sorted(map(str, bad))}; "
                    f"known: {', '.join(s.faults or [])}"
                )
            out[side] = {
                f: check_scalar(s, v.get(f, False), f"{where}.{side}.{f}", field_name(s, side, f))
                for f in s.faults or []
            }
        else:
            out[side] = check_scalar(s, v, f"{where}.{side}", field_name(s, side))
    if not out:
        raise ValueError(f"{where}: give at least one side, or leave the screen out")
    return out


def to_rows(screens: dict[str, Any]) -> list[tuple[str, str, str, float]]:
    """Tidy rows (screen, side, item, value): one per screen, side and fault; booleans as 1/0."""
    rows: list[tuple[str, str, str, float]] = []
    for sid, value in screens.items():
        if isinstance(value, dict):
            for side, v in value.items():
                if isinstance(v, dict):
                    rows += [(sid, side, item, float(b)) for item, b in v.items()]
                else:
                    rows.append((sid, side, "", float(v)))
        else:
            rows.append((sid, "none", "", float(value)))
    return rows


def from_rows(rows: list[tuple[str, str, str, float]]) -> dict[str, Any]:
    """Inverse of `to_rows`, back to the JSON shape of protocols section 1."""
    specs = load_catalogue().by_id()
    out: dict[str, Any] = {}
    for sid, side, item, value in rows:
        s = specs[sid]
        v: Any
        if s.kind in ("flag", "faults"):
            v = bool(value)
        elif s.kind == "grade":
            v = int(value)
        else:
            v = float(value)
        if side == "none":
            out[sid] = v
        elif item:
            out.setdefault(sid, {}).setdefault(side, {})[item] = v
        else:
            out.setdefault(sid, {})[side] = v
    return out
