"""The exercise library: what each exercise targets, how much of it to do, and where to go next.

The library is data (``data/exercises.toml``) validated here at load, so a coach can edit doses,
cues and progressions without touching code, while a typo in a finding id, a region or a
progression link fails loudly instead of silently dropping work from a plan.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from runform.paths import data_dir
from runform.vocab import FINDING_IDS, Equipment, ExerciseCategory, Region

FILENAME = "exercises.toml"

#: Findings an exercise may target: every finding except ``pain_flag``, which is a referral,
#: not something an exercise fixes.
TARGETABLE_FINDINGS: tuple[str, ...] = tuple(f for f in FINDING_IDS if f != "pain_flag")

#: How many exercises each targetable finding needs, so the planner always has a choice and a
#: regression for it.
MIN_PER_FINDING = 3

#: Seconds assumed per repetition when no tempo is given (a coaching convention).
SECONDS_PER_REP = 4

Role = Literal["main", "warmup", "cooldown", "run_drill"]

_TEMPO = re.compile(r"^(\d{1,2}|[Xx])-(\d{1,2}|[Xx])-(\d{1,2}|[Xx])-(\d{1,2}|[Xx])$")


class Dose(BaseModel):
    """How much of an exercise to do: either a rep range (for double progression) or a timed set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sets: int = Field(ge=1, le=10)
    reps_low: int | None = Field(default=None, ge=1, le=100)
    reps_high: int | None = Field(default=None, ge=1, le=100)
    seconds: int | None = Field(default=None, ge=1, le=3600)
    per_side: bool = False
    tempo: str | None = None
    rest_s: int = Field(default=60, ge=0, le=300)

    @field_validator("tempo")
    @classmethod
    def _tempo_format(cls, value: str | None) -> str | None:
        """Tempo is eccentric-pause-concentric-pause in seconds; ``X`` means explosive."""
        if value is not None and not _TEMPO.match(value):
            raise ValueError(f"tempo {value!r} must look like '3-1-1-0' (digits or X)")
        return value

    @model_validator(mode="after")
    def _reps_or_seconds(self) -> Dose:
        """Exactly one of a rep range or a timed set, so progression logic knows what to raise."""
        has_low, has_high = self.reps_low is not None, self.reps_high is not None
        if has_low != has_high:
            raise ValueError("reps_low and reps_high must be given together")
        if has_low and self.seconds is not None:
            raise ValueError("give either a rep range or seconds, not both")
        if not has_low and self.seconds is None:
            raise ValueError("give either a rep range (reps_low, reps_high) or seconds")
        low, high = self.reps_low, self.reps_high
        if low is not None and high is not None and low > high:
            raise ValueError("reps_low must not exceed reps_high")
        if self.tempo is not None and self.seconds is not None:
            raise ValueError("tempo applies to reps, not to timed sets")
        return self

    def rep_seconds(self) -> int:
        """Seconds one repetition takes: the tempo sum (X counts as 1 s), else the default."""
        if self.tempo is None:
            return SECONDS_PER_REP
        return sum(1 if part in ("X", "x") else int(part) for part in self.tempo.split("-"))

    def minutes(self) -> float:
        """Estimated session time, so the planner can fit work into the athlete's minutes."""
        if self.seconds is not None:
            work = self.seconds
        else:
            work = (self.reps_high or 0) * self.rep_seconds()
        if self.per_side:
            work *= 2
        return self.sets * (work + self.rest_s) / 60


class Exercise(BaseModel):
    """One exercise with its targets, dose, coaching and its place in a progression chain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    category: ExerciseCategory
    roles: list[Role] = Field(default_factory=lambda: ["main"], min_length=1)
    targets: list[str]
    regions: list[Region] = Field(min_length=1)
    equipment: list[Equipment] = Field(default_factory=list)
    dose: Dose
    cues: list[str] = Field(min_length=3)
    faults: list[str] = Field(min_length=2)
    easier: str
    harder: str
    source: str = Field(min_length=1)

    @field_validator("targets")
    @classmethod
    def _known_targets(cls, value: list[str]) -> list[str]:
        """Targets must be finding ids the rules can produce; pain_flag is never a target."""
        unknown = [t for t in value if t not in TARGETABLE_FINDINGS]
        if unknown:
            raise ValueError(
                f"unknown or untargetable finding ids {unknown}; allowed: {TARGETABLE_FINDINGS}"
            )
        if len(set(value)) != len(value):
            raise ValueError("targets contain duplicates")
        return value

    @field_validator("cues", "faults")
    @classmethod
    def _no_blank_text(cls, value: list[str]) -> list[str]:
        """A blank cue is useless to a runner and hides a broken data row."""
        if any(not text.strip() for text in value):
            raise ValueError("cues and faults must not be blank")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        """Links must lead elsewhere, and untargeted items must be general-purpose ones."""
        for link in ("easier", "harder"):
            if getattr(self, link) == self.id:
                raise ValueError(f"{self.id}: {link} must point to a different exercise")
        general = self.category == "conditioning" or {"warmup", "cooldown"} & set(self.roles)
        if not self.targets and not general:
            raise ValueError(
                f"{self.id}: targets may be empty only for warm-up, cool-down or conditioning items"
            )
        for field in ("roles", "regions", "equipment"):
            items = getattr(self, field)
            if len(set(items)) != len(items):
                raise ValueError(f"{self.id}: {field} contain duplicates")
        return self

    def fits(self, equipment: Iterable[str]) -> bool:
        """True when every piece of equipment it needs is available."""
        return set(self.equipment) <= set(equipment)


class Library(BaseModel):
    """All exercises, checked as a whole so every finding has options and every link resolves."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercises: list[Exercise]

    @model_validator(mode="after")
    def _whole_library(self) -> Library:
        """Cross-exercise rules that a single row cannot check."""
        ids = [ex.id for ex in self.exercises]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate exercise ids: {duplicates}")
        known = set(ids)
        for ex in self.exercises:
            for link in ("easier", "harder"):
                target = getattr(ex, link)
                if target not in known:
                    raise ValueError(f"{ex.id}: {link} {target!r} is not an exercise id")
                if target == ex.id:
                    raise ValueError(f"{ex.id}: {link} must point to a different exercise")
            unknown = [t for t in ex.targets if t not in TARGETABLE_FINDINGS]
            if unknown:
                raise ValueError(f"{ex.id}: unknown finding ids {unknown}")
        counts = {f: 0 for f in TARGETABLE_FINDINGS}
        for ex in self.exercises:
            for t in ex.targets:
                counts[t] += 1
        thin = {f: n for f, n in counts.items() if n < MIN_PER_FINDING}
        if thin:
            raise ValueError(f"findings with fewer than {MIN_PER_FINDING} exercises: {thin}")
        for role in ("warmup", "cooldown"):
            if not any(role in ex.roles and not ex.equipment for ex in self.exercises):
                raise ValueError(f"no {role} exercise that needs no equipment")
        return self


@functools.cache
def _load(path: Path) -> Library:
    """Parse and validate once per file; the library is read-only at run time."""
    with path.open("rb") as fh:
        return Library.model_validate(tomllib.load(fh))


def load_library(path: Path | None = None) -> Library:
    """Load ``data/exercises.toml`` (or ``path``), validated and cached.

    The default is ``<repo>/data/exercises.toml`` (``RUNFORM_DATA`` relocates it, as for the
    other reference tables).
    """
    return _load(Path(path or data_dir() / FILENAME).resolve())


def by_id(lib: Library) -> dict[str, Exercise]:
    """Exercises keyed by id, for following easier/harder links."""
    return {ex.id: ex for ex in lib.exercises}


def for_finding(lib: Library, finding_id: str, equipment: set[str]) -> list[Exercise]:
    """Exercises that target a finding and need only the equipment at hand."""
    if finding_id not in FINDING_IDS:
        raise ValueError(f"unknown finding id {finding_id!r}")
    return [ex for ex in lib.exercises if finding_id in ex.targets and ex.fits(equipment)]


def regression(lib: Library, ex_id: str, equipment: set[str]) -> Exercise:
    """The exercise itself if it fits the equipment, else the first easier variant that does.

    Follows ``easier`` links and stops at a cycle; falls back to the exercise itself so the
    caller always gets something to show (and can see it still needs equipment).
    """
    index = by_id(lib)
    start = index[ex_id]
    seen: set[str] = set()
    current = start
    while current.id not in seen:
        if current.fits(equipment):
            return current
        seen.add(current.id)
        current = index[current.easier]
    return start


def equipment_free(lib: Library, ex_id: str) -> Exercise:
    """The nearest variant that needs no equipment, for travel and home sessions.

    Prefers the regression path (a substitute should not be harder than the original), then
    searches easier and harder links breadth-first; if the chain has no equipment-free member,
    any equipment-free exercise of the same category sharing a target; failing that, one
    sharing a region; failing that, the exercise itself.
    """
    index = by_id(lib)
    start = index[ex_id]
    easier = regression(lib, ex_id, set())
    if not easier.equipment:
        return easier
    seen = {start.id}
    frontier = [start]
    while frontier:
        following: list[Exercise] = []
        for ex in frontier:
            for link in (ex.easier, ex.harder):
                if link in seen:
                    continue
                seen.add(link)
                candidate = index[link]
                if not candidate.equipment:
                    return candidate
                following.append(candidate)
        frontier = following
    free = [ex for ex in lib.exercises if not ex.equipment]
    for ex in free:
        if ex.category == start.category and set(ex.targets) & set(start.targets):
            return ex
    for ex in free:
        if set(ex.regions) & set(start.regions):
            return ex
    return start
