"""Pydantic models at the boundaries: what a form, the CLI or the store hands to the rules.

Field names are the JSON names of shared/protocols.md section 1; extra keys are refused so a typo in
an id is an error, not a silently ignored screen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from datetime import date
from typing import Annotated, Any, cast, get_args

import annotated_types as at
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from runform import clock, screens
from runform.vocab import (
    DISTANCE_KINDS,
    AssessmentMode,
    Author,
    Equipment,
    ExerciseRole,
    FindingSide,
    PainWhen,
    Phase,
    Region,
    SessionKind,
    SessionPainWhen,
    Severity,
    Sex,
    StepKind,
    Weekday,
)

Name = Annotated[str, Field(min_length=1, max_length=80)]


EARLIEST = date(2000, 1, 1)  # the oldest date RunForm stores
LATEST = date(2100, 12, 31)  # the furthest a plan may reach


def _today() -> date:
    return clock.today()


def not_in_future(d: date) -> date:
    if d > _today():
        raise ValueError(f"{d.isoformat()} is in the future; the latest allowed date is today")
    return d


def whole(v: Any) -> Any:
    """Let 3.0 stand for 3 in whole-number fields (JSON and number widgets give floats)."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return int(v)
    return v


# A whole number that may arrive as 3.0 (JSON and number widgets give floats); still strict: no
# bools, no text.
Whole = Annotated[int, BeforeValidator(whole)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Goal(Strict):
    event: Annotated[str, Field(min_length=1, max_length=80)]
    date: dt.date | None = None
    # only where the event text names no distance ("trail race"); "5k", "half marathon" are read
    distance_km: Annotated[float, Field(ge=1, le=250, strict=True)] | None = None

    def km(self) -> float | None:
        """The race distance: given, or read from the event text (protocols §1)."""
        return self.distance_km if self.distance_km is not None else event_km(self.event)


_HALF = re.compile(r"\bhalf[\s-]*marathon\b", re.I)
_MARATHON = re.compile(r"\bmarathon\b", re.I)
_KM = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k|km|kilomet(?:er|re)s?)\b", re.I)
_MILES = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mi|miles?)\b", re.I)
MARATHON_KM = 42.195


def event_km(event: str) -> float | None:
    """Distance named by an event text: "5k", "10 km", "half marathon", "marathon", "10 mile"."""
    if _HALF.search(event):
        return MARATHON_KM / 2
    if m := _KM.search(event):
        return float(m.group(1).replace(",", "."))
    if m := _MILES.search(event):
        return round(float(m.group(1).replace(",", ".")) * 1.609344, 3)
    if _MARATHON.search(event):
        return MARATHON_KM
    return None


_CLOCK = re.compile(r"^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)$")


class RecentRace(Strict):
    """A recent race result, from which Daniels and Gilbert's equations give training paces."""

    distance_km: Annotated[float, Field(ge=1, le=250, strict=True)]
    time: Annotated[str, Field(max_length=12)]  # the pattern below needs at least "M:SS"
    date: dt.date

    @field_validator("time")
    @classmethod
    def _clock(cls, v: str) -> str:
        if not _CLOCK.match(v):
            raise ValueError("must be a time like 00:52:30 (hours:minutes:seconds)")
        return v

    @field_validator("date")
    @classmethod
    def _past(cls, v: dt.date) -> dt.date:
        if v < EARLIEST:
            raise ValueError(f"must be {EARLIEST} or later")
        return not_in_future(v)

    def seconds(self) -> int:
        m = _CLOCK.match(self.time)
        assert m is not None
        h, mi, s = (int(g or 0) for g in m.groups())
        return h * 3600 + mi * 60 + s

    @model_validator(mode="after")
    def _possible(self) -> RecentRace:
        from runform import paces  # paces reads its limits from data/, models stay importable

        problem = paces.impossible(self.distance_km, self.seconds())
        if problem:
            raise ValueError(f"time: {problem}")
        return self


class AthleteProfile(Strict):
    name: Name
    birth_year: Annotated[Whole, Field(ge=1920, le=2020, strict=True)] | None = None
    sex: Sex | None = None
    running_years: Annotated[float, Field(ge=0, le=80, strict=True)] | None = None
    weekly_km: Annotated[float, Field(ge=0, le=300, strict=True)] = 0
    runs_per_week: Annotated[Whole, Field(ge=0, le=14, strict=True)] = 0
    longest_run_km: Annotated[float, Field(ge=0, le=250, strict=True)] = 0
    goal: Goal | None = None
    available_days: list[Weekday] = Field(default_factory=list)
    minutes_per_day: Annotated[Whole, Field(ge=10, le=300, strict=True)] = 45
    equipment: list[Equipment] = Field(default_factory=list)
    injury_history: Annotated[str, Field(max_length=2000)] = ""
    minutes_by_day: dict[Weekday, Annotated[Whole, Field(ge=10, le=300, strict=True)]] = Field(
        default_factory=dict
    )
    long_run_day: Weekday | None = None
    recent_race: RecentRace | None = None
    max_hr: Annotated[Whole, Field(ge=100, le=230, strict=True)] | None = None

    @field_validator("available_days", "equipment")
    @classmethod
    def _unique_sorted(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))

    @model_validator(mode="after")
    def _days_known(self) -> AthleteProfile:
        for day in self.minutes_by_day:
            if day not in self.available_days:
                raise ValueError(
                    f"minutes_by_day.{day}: {day} is not an available day; "
                    f"available: {', '.join(self.available_days) or 'none'}"
                )
        if self.long_run_day is not None and self.long_run_day not in self.available_days:
            raise ValueError(
                f"long_run_day: {self.long_run_day} is not an available day; "
                f"available: {', '.join(self.available_days) or 'none'}"
            )
        return self

    def minutes_on(self, day: Weekday) -> int:
        """Minutes on a weekday: its own figure where given, else the everyday one."""
        return self.minutes_by_day.get(day, self.minutes_per_day)


class PainEntry(Strict):
    region: Region
    side: FindingSide | None = None
    score: Annotated[Whole, Field(ge=0, le=10, strict=True)]
    when: PainWhen


class Intake(Strict):
    athlete: AthleteProfile
    assessed_on: date
    pain: list[PainEntry] = Field(default_factory=list)
    screens: dict[str, Any] = Field(default_factory=dict)
    # who measured (protocols §3: the MDC differs between the same and another assessor); empty
    # or missing means not recorded, which runform.change treats conservatively
    assessor: Annotated[str, Field(max_length=80)] | None = None

    @field_validator("assessor")
    @classmethod
    def _assessor(cls, v: str | None) -> str | None:
        return v or None

    @field_validator("assessed_on")
    @classmethod
    def _past(cls, v: date) -> date:
        if v < date(1990, 1, 1):
            raise ValueError("must be 1990-01-01 or later")
        return not_in_future(v)

    @field_validator("screens")
    @classmethod
    def _screens(cls, v: dict[str, Any]) -> dict[str, Any]:
        return {
            sid: screens.check_value(sid, value) for sid, value in v.items() if value is not None
        }

    @model_validator(mode="after")
    def _goal_after_assessment(self) -> Intake:
        g = self.athlete.goal
        if g and g.date and g.date < self.assessed_on:
            raise ValueError("athlete.goal.date: must not be before the assessment date")
        return self


class Evidence(Strict):
    screen: str
    value: bool | int | float | str | None
    threshold: str
    side: FindingSide | None = None


class Finding(Strict):
    id: str
    severity: Severity
    side: FindingSide | None
    evidence: list[Evidence]
    explanation: str
    source: str


class FindingsReport(Strict):
    findings: list[Finding]


class AssessmentRecord(Strict):
    """One assessment to store, already assessed; `athlete_id` None creates the runner."""

    intake: Intake
    findings: list[Finding]
    athlete_id: int | None = None
    mode: AssessmentMode = "coach"


def _bounds(model: Any, loc: tuple) -> tuple[float | None, float | None]:
    """The ge/le bounds of the field at `loc`, so a message can state the allowed range."""
    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            if field is not None and model is None:
                continue  # a key into the field's dict ("minutes_by_day.sat"): its values' bounds
            return None, None
        field = model.model_fields.get(part)
        if field is None:
            return None, None
        model = next(
            (
                a
                for a in (field.annotation, *get_args(field.annotation))
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
    if field is None:
        return None, None
    metas = list(field.metadata) + [
        m for a in get_args(field.annotation) for m in getattr(a, "__metadata__", ())
    ]
    metas += [sub for m in metas for sub in getattr(m, "metadata", ())]
    lo = next((m.ge for m in metas if isinstance(m, at.Ge)), None)
    hi = next((m.le for m in metas if isinstance(m, at.Le)), None)
    return cast("float | None", lo), cast("float | None", hi)


def error_messages(exc: ValidationError, model: type[BaseModel] = Intake) -> dict[str, str]:
    """Field path → plain message, e.g. {"athlete.weekly_km": "must be between 0 and 300"}."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        path = ".".join(str(p) for p in loc)
        head, sep, rest = msg.partition(": ")
        # Validators that know a finer path than pydantic's loc put it first: "screens.x.left: ...",
        # either whole or relative to where the model sits ("time: ..." inside "recent_race").
        if sep and re.fullmatch(r"[\w.]+", head):
            path = head if not path or head.startswith(path) else f"{path}.{head}"
            msg = rest
        path = path or "input"
        if err["type"] in (
            "finite_number",
            "greater_than_equal",
            "less_than_equal",
            "int_parsing",
            "float_parsing",
            "int_type",
            "float_type",
            "int_from_float",
        ):
            lo, hi = _bounds(model, loc)
            if lo is not None and hi is not None:
                finite = "finite " if err["type"] == "finite_number" else ""
                got = err.get("input")
                msg = f"must be a {finite}number between {lo:g} and {hi:g}, got {got!r}"
        out.setdefault(path, msg)
    return out


# --- plans (protocols §1, plan JSON) ---------------------------------------------------------

Band = tuple[float, float]


class StepTarget(Strict):
    """What a step aims at: CR-10 RPE always; pace (s/km, fast first) or heart rate where known."""

    rpe: tuple[Annotated[float, Field(ge=0, le=10)], Annotated[float, Field(ge=0, le=10)]]
    pace_s_per_km: (
        tuple[Annotated[int, Field(ge=120, le=1200)], Annotated[int, Field(ge=120, le=1200)]] | None
    ) = None
    hr_bpm: (
        tuple[Annotated[int, Field(ge=40, le=230)], Annotated[int, Field(ge=40, le=230)]] | None
    ) = None

    @model_validator(mode="after")
    def _ordered(self) -> StepTarget:
        for name in ("rpe", "pace_s_per_km", "hr_bpm"):
            band = getattr(self, name)
            if band is not None and band[0] > band[1]:
                raise ValueError(f"{name}: the low end must come first")
        return self


class Step(Strict):
    """One step of a structured run (protocols §1): by time, by distance, or until lap."""

    kind: StepKind
    duration_s: Annotated[int, Field(ge=1, le=36000)] | None = None
    distance_m: Annotated[int, Field(ge=1, le=250000)] | None = None
    target: StepTarget | None = None
    note: Annotated[str, Field(max_length=200)] = ""
    repeat: Annotated[int, Field(ge=2, le=50)] | None = None
    steps: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Step:
        if self.duration_s is not None and self.distance_m is not None:
            raise ValueError("a step lasts a time or a distance, not both")
        if self.kind == "repeat":
            if self.repeat is None or not self.steps:
                raise ValueError("a repeat step needs a count and its own steps")
            if self.duration_s or self.distance_m or self.target:
                raise ValueError("a repeat step has no duration or target of its own")
            if any(s.kind == "repeat" for s in self.steps):
                raise ValueError("repeats do not nest")
        elif self.repeat is not None or self.steps:
            raise ValueError("only a repeat step has a count and steps")
        if self.kind == "work" and self.target is None:
            raise ValueError("every work step has a target")
        return self


class PlanExercise(Strict):
    id: str
    name: str
    targets: list[str] = Field(default_factory=list)
    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Annotated[int, Field(ge=1, le=100)] | None = None
    seconds: Annotated[int, Field(ge=1, le=3600)] | None = None
    per_side: bool = False
    tempo: str | None = None
    rest_s: Annotated[int, Field(ge=0, le=600)] = 60
    role: ExerciseRole = "main"
    load_kg: Annotated[float, Field(ge=0, le=500)] | None = None
    cues: list[str] = Field(default_factory=list)
    reason: str = ""


class PlanSession(Strict):
    date: dt.date
    kind: SessionKind
    minutes: Annotated[int, Field(ge=0, le=600)]
    run_km: Annotated[float, Field(ge=0, le=100)] = 0.0
    exercises: list[PlanExercise] = Field(default_factory=list)
    reason: str = ""
    steps: list[Step] = Field(default_factory=list)


class PlanWeek(Strict):
    index: Annotated[int, Field(ge=1, le=52)]
    deload: bool = False
    phase: Phase = "base"
    run_km: Annotated[float, Field(ge=0, le=400)] = 0.0
    sessions: list[PlanSession] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Plan(Strict):
    start: dt.date
    weeks: list[PlanWeek]
    notes: list[str] = Field(default_factory=list)
    pace_min_per_km: Annotated[float, Field(ge=3.0, le=12.0)] = 6.0

    def sessions(self) -> list[tuple[PlanWeek, PlanSession]]:
        return [(w, s) for w in self.weeks for s in w.sessions]


class PlanOptions(Strict):
    """How to build a plan: length, start, deload rhythm and the weekly run ramp."""

    weeks: Annotated[int, Field(ge=4, le=24, strict=True)] = 12
    start: dt.date
    deload_every: Annotated[int, Field(ge=2, le=6, strict=True)] = 4
    ramp_pct: Annotated[float, Field(ge=0, le=30, strict=True)] = 10.0
    reassess_every: Annotated[int, Field(ge=2, le=12, strict=True)] = 4
    easy_pace_min_per_km: Annotated[float, Field(ge=3.0, le=12.0, strict=True)] | None = None

    @field_validator("start")
    @classmethod
    def _start(cls, v: dt.date) -> dt.date:
        if not EARLIEST <= v <= LATEST:
            raise ValueError(f"must be between {EARLIEST} and {LATEST}")
        return v


# --- session logs (protocols §3 and §4) -------------------------------------------------------


def _recent(d: dt.date) -> dt.date:
    if d < EARLIEST:
        raise ValueError(f"must be {EARLIEST} or later")
    return not_in_future(d)


class ExerciseLog(Strict):
    """What was done of one exercise: sets × reps (or seconds), load, or skipped."""

    exercise_id: Annotated[str, Field(min_length=1, max_length=80)]
    position: Annotated[int, Field(ge=0, le=100)] = 0
    sets: Annotated[Whole, Field(ge=0, le=20, strict=True)]
    reps: Annotated[Whole, Field(ge=0, le=200, strict=True)] | None = None
    seconds: Annotated[Whole, Field(ge=0, le=3600, strict=True)] | None = None
    load_kg: Annotated[float, Field(ge=0, le=500, strict=True)] | None = None
    rpe: Annotated[float, Field(ge=0, le=10, strict=True)] | None = None
    skipped: bool = False


class SessionPain(Strict):
    region: Region
    side: FindingSide | None = None
    score: Annotated[Whole, Field(ge=0, le=10, strict=True)]
    when: SessionPainWhen


class PlannedRef(Strict):
    plan_id: int
    version: int
    week: int
    position: int


class SessionLog(Strict):
    """One session as done: session RPE (CR-10) × minutes is its load (Foster 2001)."""

    athlete_id: int
    day: dt.date
    kind: SessionKind
    minutes: Annotated[float, Field(gt=0, le=600, strict=True)]
    rpe: Annotated[float, Field(ge=0, le=10, strict=True)]
    run_km: Annotated[float, Field(ge=0, le=100, strict=True)] = 0.0
    cadence_spm: Annotated[float, Field(ge=120, le=230, strict=True)] | None = None
    ground_contact_ms: Annotated[float, Field(ge=150, le=400, strict=True)] | None = None
    vertical_oscillation_cm: Annotated[float, Field(ge=3, le=15, strict=True)] | None = None
    vertical_ratio_pct: Annotated[float, Field(ge=0, le=30, strict=True)] | None = None
    stance_balance_left_pct: Annotated[float, Field(ge=0, le=100, strict=True)] | None = None
    cadence_cv_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    cadence_fade_pct: Annotated[float, Field(ge=-100, le=100)] | None = None
    ground_contact_fade_pct: Annotated[float, Field(ge=-100, le=100)] | None = None
    vertical_oscillation_fade_pct: Annotated[float, Field(ge=-100, le=100)] | None = None
    fit_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    #: When the run began, from its file (stored in UTC without a zone): another file of the same
    #: run in another format is refused by it (`store.logs`).
    started_at: dt.datetime | None = None
    heart_rate_bpm: Annotated[float, Field(ge=30, le=240, strict=True)] | None = None
    planned: PlannedRef | None = None
    exercises: list[ExerciseLog] = Field(default_factory=list)
    pain: list[SessionPain] = Field(default_factory=list)
    note: Annotated[str, Field(max_length=2000)] = ""
    # one per form submission: saving the same submission twice finds the first log
    submission_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")] | None = None

    @field_validator("day")
    @classmethod
    def _day(cls, v: dt.date) -> dt.date:
        return _recent(v)

    @field_validator("started_at")
    @classmethod
    def _utc(cls, v: dt.datetime | None) -> dt.datetime | None:
        """A zoned time becomes UTC without its zone, as session_logs.started_at holds it."""
        if v is not None and v.tzinfo is not None:
            return v.astimezone(dt.UTC).replace(tzinfo=None)
        return v

    @model_validator(mode="after")
    def _run_fields(self) -> SessionLog:
        if self.run_km and self.kind not in DISTANCE_KINDS:
            raise ValueError(f"run_km: a {self.kind} session has no run distance")
        return self


#: A watch file's per-record series, in run_records' column order and units: what
#: `fitfile.decode` returns and `store.logs.save` writes (neither needs the other).
RUN_RECORD_COLUMNS: tuple[str, ...] = (
    "t_s",
    "distance_m",
    "cadence_spm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "stance_balance_left_pct",
    "heart_rate_bpm",
)


class Wellness(Strict):
    """Daily check-in (McLean et al. 2010): each item 1–5, 5 the best; plus hours slept."""

    athlete_id: int
    day: dt.date
    sleep_hours: Annotated[float, Field(ge=0, le=24, strict=True)]
    sleep_quality: Annotated[Whole, Field(ge=1, le=5, strict=True)]
    fatigue: Annotated[Whole, Field(ge=1, le=5, strict=True)]
    soreness: Annotated[Whole, Field(ge=1, le=5, strict=True)]
    stress: Annotated[Whole, Field(ge=1, le=5, strict=True)]
    mood: Annotated[Whole, Field(ge=1, le=5, strict=True)]

    @field_validator("day")
    @classmethod
    def _day(cls, v: dt.date) -> dt.date:
        return _recent(v)


class MorningPain(Strict):
    """Next-morning check: how the painful region feels the morning after training."""

    athlete_id: int
    day: dt.date
    region: Region
    side: FindingSide | None = None
    score: Annotated[Whole, Field(ge=0, le=10, strict=True)]

    @field_validator("day")
    @classmethod
    def _day(cls, v: dt.date) -> dt.date:
        return _recent(v)


class Comment(Strict):
    log_id: int
    author: Author
    body: Annotated[str, Field(min_length=1, max_length=2000)]
