"""The exercise library: what each exercise targets, how much of it to do, and where to go next.

The library is data (``data/exercises.toml``) validated here at load, so a coach can edit doses,
cues and progressions without touching code, while a typo in a finding id, a region or a
progression link fails loudly instead of silently dropping work from a plan.

Progressions are chains (protocols §5 "Strength dosing"): ``harder`` and ``easier`` each point
to one other exercise or are absent (``None``: the end of the chain), a link always stays with
the findings its exercise targets, and following either kind of link never comes back round.
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
from runform.screens import load_catalogue
from runform.vocab import FINDING_IDS, Equipment, ExerciseCategory, ExerciseRole, Region

FILENAME = "exercises.toml"

#: Findings an exercise may target: every finding except ``pain_flag``, which is a referral,
#: not something an exercise fixes.
TARGETABLE_FINDINGS: tuple[str, ...] = tuple(f for f in FINDING_IDS if f != "pain_flag")


def tempo_seconds(tempo: str) -> int:
    """Seconds one repetition takes at `tempo` ("3-1-1-0": lower, pause, lift, pause; an X, as
    fast as possible, counts as 1 s)."""
    return sum(1 if part in ("X", "x") else int(part) for part in tempo.split("-"))


#: How many exercises each targetable finding needs, so the planner always has a choice and a
#: regression for it.
MIN_PER_FINDING = 3

#: Seconds assumed per repetition when no tempo is given (a coaching convention).
SECONDS_PER_REP = 4


def _main_only() -> list[ExerciseRole]:
    """An exercise's roles when its entry names none."""
    return ["main"]


#: Equipment that puts an external load on the body (weights, machines, cables, elastic bands):
#: strength work that uses any of it must carry a ``load_cue`` (protocols §5 "Strength dosing").
LOAD_EQUIPMENT: frozenset[str] = frozenset(
    {
        "band",
        "mini_band",
        "dumbbells",
        "kettlebell",
        "barbell",
        "cable",
        "leg_press",
        "medicine_ball",
    }
)
#: Screen units a ``capacity`` test result is compared in, and the dose field it is compared with.
_CAPACITY_UNITS = {"reps": "reps_low", "s": "seconds"}

#: Words in an exercise's id or name that mark it as impact (plyometric) or fast running work,
#: so a new "box jump" or "hill sprint" cannot be added without the flag the planner gates on.
_IMPACT_WORDS = re.compile(r"hop|pogo|bound|jump|plyo|skip|hill.stride|hill.sprint")
_FAST_WORDS = re.compile(r"stride|sprint")

Link = Literal["easier", "harder"]

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
        return SECONDS_PER_REP if self.tempo is None else tempo_seconds(self.tempo)

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
    roles: list[ExerciseRole] = Field(default_factory=_main_only, min_length=1)
    targets: list[str]
    regions: list[Region] = Field(min_length=1)
    equipment: list[Equipment] = Field(default_factory=list)
    dose: Dose
    cues: list[str] = Field(min_length=3)
    faults: list[str] = Field(min_length=2)
    easier: str | None = None
    harder: str | None = None
    source: str = Field(min_length=1)
    impact: bool = False
    fast: bool = False
    load_cue: str | None = None
    capacity: str | None = None

    @field_validator("load_cue")
    @classmethod
    def _load_cue_text(cls, value: str | None) -> str | None:
        """A load cue, when given, is something a runner can follow, not an empty string."""
        if value is not None and not value.strip():
            raise ValueError("load_cue must not be blank (leave it out instead)")
        return value

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
        """Links lead elsewhere, untargeted items are general-purpose ones, loaded strength says
        how heavy, impact and fast work is flagged, and a capacity screen matches the dose."""
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
        load = sorted(set(self.equipment) & LOAD_EQUIPMENT)
        if self.category == "strength" and load and not self.load_cue:
            raise ValueError(
                f"{self.id}: loaded strength (equipment {load}) needs a load_cue, "
                "e.g. 'RIR 2-3 (stop with 2-3 reps in reserve)' or 'RPE about 7 on the last set'"
            )
        text = f"{self.id} {self.name}".lower()
        if _IMPACT_WORDS.search(text) and not self.impact:
            raise ValueError(
                f"{self.id}: hops, pogos, bounds, jumps, skips and hill strides "
                "or sprints are impact work: set impact = true"
            )
        if _FAST_WORDS.search(text) and not self.fast:
            raise ValueError(f"{self.id}: strides and sprints are fast running: set fast = true")
        if self.capacity is not None:
            self._check_capacity(self.capacity)
        return self

    def _check_capacity(self, screen_id: str) -> None:
        """The capacity screen exists, is a number, and is counted in what the dose counts."""
        screens = load_catalogue().by_id()
        spec = screens.get(screen_id)
        if spec is None:
            raise ValueError(
                f"{self.id}: capacity {screen_id!r} is not a screen id; known: {sorted(screens)}"
            )
        field = _CAPACITY_UNITS.get(spec.unit) if spec.kind == "number" else None
        if field is None:
            raise ValueError(
                f"{self.id}: capacity {screen_id!r} is not a reps or seconds screen, so no dose "
                "can be compared with it"
            )
        if getattr(self.dose, field) is None:
            raise ValueError(
                f"{self.id}: capacity {screen_id!r} is counted in {spec.unit}, so the dose must "
                f"give {field}"
            )
        if spec.bilateral != self.dose.per_side:
            raise ValueError(
                f"{self.id}: capacity {screen_id!r} is "
                f"{'tested per side' if spec.bilateral else 'not tested per side'}, so the dose "
                f"must {'' if spec.bilateral else 'not '}be per side"
            )

    def coaching_cues(self, role: str = "main") -> list[str]:
        """The cues a runner sees: as main work, the load cue first ("Load: ..."), then the rest
        (the planner writes its cues the same way)."""
        if self.load_cue and role == "main":
            return [f"Load: {self.load_cue}", *self.cues]
        return list(self.cues)

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
        index = {ex.id: ex for ex in self.exercises}
        link: Link
        for ex in self.exercises:
            for link in ("easier", "harder"):
                target = getattr(ex, link)
                if target is None:
                    continue
                if target not in index:
                    raise ValueError(f"{ex.id}: {link} {target!r} is not an exercise id")
                if target == ex.id:
                    raise ValueError(f"{ex.id}: {link} must point to a different exercise")
                _check_same_quality(ex, link, index[target])
                if link == "harder":
                    _check_impact_gate(ex, index[target])
            unknown = [t for t in ex.targets if t not in TARGETABLE_FINDINGS]
            if unknown:
                raise ValueError(f"{ex.id}: unknown finding ids {unknown}")
        for link in ("harder", "easier"):
            cycle = _find_cycle(index, link)
            if cycle:
                raise ValueError(
                    f"{link} links form a cycle: {' -> '.join(cycle)}; a chain must end "
                    f"(leave {link} out on its last exercise)"
                )
        for ex in self.exercises:
            if ex.impact or ex.fast:
                path = _follow(index, ex.id, "easier")
                if all(index[i].impact or index[i].fast for i in path):
                    raise ValueError(
                        f"{ex.id}: its easier chain {' -> '.join(path)} has only impact or fast "
                        "work, so a pain flag leaves nothing to regress to"
                    )
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


def _check_same_quality(ex: Exercise, link: str, other: Exercise) -> None:
    """A variant works on what its exercise works on: a shared finding target, or for untargeted
    warm-up, cool-down and conditioning items the same category."""
    if ex.targets:
        if not set(ex.targets) & set(other.targets):
            raise ValueError(
                f"{ex.id}: {link} {other.id!r} shares no finding target with it "
                f"({ex.id} targets {ex.targets}, {other.id} targets {other.targets})"
            )
    elif other.category != ex.category:
        raise ValueError(
            f"{ex.id}: {link} {other.id!r} is {other.category}, but the untargeted {ex.id} is "
            f"{ex.category}; an untargeted item links only within its category"
        )


def _check_impact_gate(ex: Exercise, harder: Exercise) -> None:
    """Impact and fast work is gated on capacity and pain (protocols §5), so a strength or
    mobility chain never progresses into it: only a running drill or other impact or fast work."""
    if (harder.impact or harder.fast) and not (ex.impact or ex.fast or "drill" in ex.roles):
        kind = "impact" if harder.impact else "fast"
        raise ValueError(
            f"{ex.id}: harder {harder.id!r} is {kind} work; only a running drill or other impact "
            "or fast work progresses into it (capacity before impact)"
        )


def _follow(index: dict[str, Exercise], ex_id: str, link: Link) -> list[str]:
    """Ids met following one kind of link from ex_id, stopping at the chain end or a repeat."""
    path: list[str] = []
    current: str | None = ex_id
    while current is not None and current in index and current not in path:
        path.append(current)
        current = getattr(index[current], link)
    return path


def _find_cycle(index: dict[str, Exercise], link: Link) -> list[str] | None:
    """The first cycle following ``link`` (ids, the first repeated at the end), else None."""
    done: set[str] = set()
    for start in index:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in index and current not in done:
            if current in path:
                return [*path[path.index(current) :], current]
            path.append(current)
            current = getattr(index[current], link)
        done.update(path)
    return None


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


def chain(lib: Library, ex_id: str, link: Link = "harder") -> list[Exercise]:
    """The exercise and every variant after it following ``link``, to the end of the chain."""
    index = by_id(lib)
    return [index[i] for i in _follow(index, ex_id, link)]


def regression(
    lib: Library, ex_id: str, equipment: set[str], *, spare_impact: bool = False
) -> Exercise:
    """The exercise itself if it fits the equipment, else the first easier variant that does.

    Follows ``easier`` links to the start of the chain (stopping at a cycle in an unvalidated
    library); falls back to the exercise itself so the caller always gets something to show
    (and can see it still needs equipment). With ``spare_impact`` (a pain regression), impact
    and fast items are passed over too.
    """
    index = by_id(lib)
    start = index[ex_id]
    for ex in (index[i] for i in _follow(index, ex_id, "easier")):
        if spare_impact and (ex.impact or ex.fast):
            continue
        if ex.fits(equipment):
            return ex
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
                if link is None or link in seen or link not in index:
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


def chain_depth(lib: Library, ex_id: str) -> int:
    """How many easier links lead back to the start of the exercise's chain (0: it starts it)."""
    return len(_follow(by_id(lib), ex_id, "easier")) - 1


def pain_regression(lib: Library, ex_id: str, equipment: set[str], region: str) -> Exercise | None:
    """The regression for pain in `region` (protocols §3, §5): work that does not load it.

    An easier variant that loads the painful region is no regression for pain (a split squat
    to a bodyweight squat, both knee). So: the first easier variant down the chain that spares
    the region, fits the equipment and is not impact or fast work; else another main exercise
    sharing a finding target that does the same, no further along its own chain than this one
    (never a harder exercise), timed (isometric) work first, then the lowest level; else None:
    pause the exercise until the pain settles. The exercise itself when it does not load
    `region`.
    """
    index = by_id(lib)
    start = index[ex_id]
    if region not in start.regions:
        return start

    def spares(ex: Exercise) -> bool:
        return region not in ex.regions and not (ex.impact or ex.fast) and ex.fits(equipment)

    for i in _follow(index, ex_id, "easier")[1:]:
        if spares(index[i]):
            return index[i]

    def depth_of(ex_id: str) -> int:  # chain_depth on the one index (the planner asks often)
        return len(_follow(index, ex_id, "easier")) - 1

    depth = depth_of(ex_id)
    others = [
        ex
        for ex in lib.exercises
        if ex.id != ex_id
        and "main" in ex.roles
        and set(ex.targets) & set(start.targets)
        and spares(ex)
        and depth_of(ex.id) <= depth
    ]
    others.sort(key=lambda ex: (ex.dose.seconds is None, depth_of(ex.id)))
    return others[0] if others else None
