"""Plan generation: findings, profile and options in, a periodised plan out. Pure and deterministic.

Protocols §5 is the contract. Running comes first: the runner's current volume and number of runs
are kept unless pain, time or the goal says otherwise, and the plan's notes say which. A goal race
shapes the weeks counted back from it (base, build, peak, taper, race, recovery); volume grows by
the ramp toward a ceiling; the long run grows toward the event's cap on the runner's long-run day;
hard days never follow each other; every run is a structured workout with targets. Strength and
mobility fit into the time the runs leave. Numbers come from data/planning.toml.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, cast, get_args

from runform import cadence, compensations, paces, spike, thresholds, workouts
from runform.errors import InvalidInput
from runform.exercises import Exercise, Library, by_id, load_library, pain_regression
from runform.models import (
    AthleteProfile,
    Finding,
    Plan,
    PlanExercise,
    PlanOptions,
    PlanSession,
    PlanWeek,
)
from runform.planconfig import load_config
from runform.vocab import (
    HARD_KINDS,
    LOWER_LIMB,
    RUN_KINDS,
    SEVERITY_RANK,
    WEEKDAYS,
    ExerciseRole,
    Phase,
    SessionKind,
)

FORM_FINDINGS = {"overstriding", "high_vertical_oscillation", "excessive_trunk_flexion"}
NORMAL_PHASES = ("base", "build", "peak")
SECONDS_SLACK = 0.05  # minutes: a few seconds of step rounding never cost a drill its place


class PlanError(InvalidInput):
    """The inputs cannot make a plan; the message starts with the field to fix ("start: ...")."""

    def __init__(self, message: str) -> None:
        path, sep, rest = message.partition(": ")
        super().__init__({path: rest} if sep and " " not in path else message)


def label(finding_id: str) -> str:
    return finding_id.replace("_", " ")


def pain_regions(findings: list[Finding]) -> dict[str, str]:
    """Regions a pain_flag asks to regress, each with the reason to show."""
    out: dict[str, str] = {}
    for f in findings:
        if f.id != "pain_flag":
            continue
        for e in f.evidence:
            if e.screen.startswith("pain."):
                region = e.screen.removeprefix("pain.")
                out[region] = f"{region.replace('_', ' ')} pain {e.value}/10 ({e.threshold})"
            elif e.screen == "hip_hinge":
                out["lower_back"] = "pain on the hip hinge"
    return out


def level(profile: AthleteProfile, cfg: dict[str, Any]) -> str:
    lv = cfg["levels"]
    if profile.weekly_km < lv["beginner_below_km"] or (
        profile.running_years is not None and profile.running_years < lv["beginner_below_years"]
    ):
        return "beginner"
    if (
        profile.weekly_km >= lv["advanced_from_km"]
        and profile.runs_per_week >= lv["advanced_from_runs"]
    ):
        return "advanced"
    return "intermediate"


def weakest(screens: dict[str, Any], screen: str) -> float | None:
    """The weaker side of a bilateral screen (or the value), None when not assessed."""
    v = screens.get(screen)
    if isinstance(v, dict):
        sides = [x for x in v.values() if isinstance(x, int | float)]
        return min(sides) if len(sides) == len(v) and sides else None
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


# --- the goal ----------------------------------------------------------------------------------


def long_run_cap(goal_km: float | None, pace: float, cfg: dict[str, Any]) -> tuple[float, str]:
    """The long run's cap for the goal (convention, protocols §5), with the words for it."""
    lr = cfg["long_run"]
    if goal_km is None:
        return lr["no_goal_cap_km"], f"the {lr['no_goal_cap_km']} km cap without a goal race"
    caps = sorted((float(d), km) for d, km in lr["cap_km"].items())
    cap = next((km for d, km in caps if goal_km <= d + 1e-6), caps[-1][1])
    if goal_km >= caps[-1][0] - 1e-6:
        by_time = lr["marathon_cap_min"] / pace
        if by_time < cap:
            return math.floor(by_time * 2) / 2, f"{lr['marathon_cap_min'] // 60} h at easy pace"
    return cap, f"the {cap:g} km long-run cap for a {goal_km:g} km goal"


def taper_shares(goal_km: float | None, cfg: dict[str, Any]) -> list[float]:
    per = cfg["periodisation"]
    long = goal_km is not None and goal_km >= per["marathon_from_km"]
    return per["marathon_taper_shares"] if long else per["taper_shares"]


def phase_of(w: int, race_week: int | None, n_taper: int, cfg: dict[str, Any]) -> Phase:
    """Counted back from the race week (which is the last taper week)."""
    if race_week is None:
        return "base" if w <= cfg["periodisation"]["build_weeks"] // 2 else "build"
    k = race_week - w
    per = cfg["periodisation"]
    if k == 0:
        return "race"
    if k < 0:
        return "recovery" if k == -1 else "base"
    if k < n_taper:
        return "taper"
    if k < n_taper + per["peak_weeks"]:
        return "peak"
    if k < n_taper + per["peak_weeks"] + per["build_weeks"]:
        return "build"
    return "base"


# --- exercise choice -------------------------------------------------------------------------


@dataclass
class Choice:
    exercise: Exercise
    targets: list[str]
    reason: str


@dataclass
class Chooser:
    """Picks the exercise for each finding: the starting level the tests show, the block-by-block
    progression, the impact gate and the pain regressions."""

    lib: Library
    equipment: set[str]
    pain: dict[str, str]
    active: list[str]
    screens: dict[str, Any]
    impact_ok: bool
    prefer: dict[str, str]
    index: dict[str, Exercise] = field(init=False)
    # Answers by exercise id: the inputs never change while a plan is built, and a plan asks the
    # same questions thousands of times (week by week, session by session).
    _allowed: dict[str, bool] = field(init=False, default_factory=dict)
    _painful: dict[str, list[str]] = field(init=False, default_factory=dict)
    _regressions: dict[tuple[str, str], Exercise | None] = field(init=False, default_factory=dict)
    _candidates: dict[tuple[str, frozenset[str]], list[Exercise]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.index = by_id(self.lib)

    @property
    def lower_pain(self) -> bool:
        return bool(LOWER_LIMB & set(self.pain))

    def allowed(self, ex: Exercise) -> bool:
        """Fits the equipment, and no impact or fast running the runner is not ready for."""
        found = self._allowed.get(ex.id)
        if found is None:
            found = self._allowed[ex.id] = (
                ex.fits(self.equipment)
                and not (ex.impact and not self.impact_ok)
                and not (ex.fast and self.lower_pain)
            )
        return found

    def painful(self, ex: Exercise) -> list[str]:
        found = self._painful.get(ex.id)
        if found is None:
            found = self._painful[ex.id] = [r for r in ex.regions if r in self.pain]
        return list(found)

    def safe(self, ex: Exercise, why: str) -> tuple[Exercise, str]:
        """Swap an exercise that loads a painful region for its easier variant, and say why."""
        regions = self.painful(ex)
        if not regions:
            return ex, why
        region = regions[0]
        if (ex.id, region) not in self._regressions:
            self._regressions[ex.id, region] = pain_regression(
                self.lib, ex.id, self.equipment, region
            )
        instead = self._regressions[ex.id, region]
        if instead is None or self.painful(instead):
            return ex, (
                f"{why}; loads the {region.replace('_', ' ')} ({self.pain[region]}) and "
                "nothing easier spares it: keep it pain-free and see a clinician"
            )
        return instead, (
            f"{why}; {instead.name} instead of {ex.name}, sparing the "
            f"{region.replace('_', ' ')} ({self.pain[region]}): see a clinician before loading "
            "this region"
        )

    def candidates(self, finding: str, roles: set[str]) -> list[Exercise]:
        key = (finding, frozenset(roles))
        if key not in self._candidates:
            found = [
                ex
                for ex in self.lib.exercises
                if finding in ex.targets and self.allowed(ex) and roles & set(ex.roles)
            ]
            preferred = self.prefer.get(finding)
            active = set(self.active)
            # The cited exercise first; then those that also address other active findings.
            self._candidates[key] = sorted(
                found, key=lambda ex: (ex.id != preferred, -len(set(ex.targets) & active))
            )
        return list(self._candidates[key])

    def harder(self, ex: Exercise, finding: str) -> Exercise | None:
        h = self.index.get(ex.harder) if ex.harder else None
        if h is None or finding not in h.targets or not self.allowed(h) or self.painful(h):
            return None
        return h

    def starting_level(self, ex: Exercise, finding: str) -> tuple[Exercise, str]:
        """Up the chain to the hardest exercise whose own test the runner already passes at its
        dose (protocols §5: 22 single-leg heel raises do not start on double-leg holds)."""
        best, why, current, seen = ex, "", ex, {ex.id}
        while (nxt := self.harder(current, finding)) is not None and nxt.id not in seen:
            seen.add(nxt.id)
            current = nxt
            if current.capacity is None:
                continue
            result = weakest(self.screens, current.capacity)
            need = current.dose.reps_low or current.dose.seconds
            if result is not None and need is not None and result >= need:
                best = current
                why = f"; starts here: {current.capacity.replace('_', ' ')} {result:g} ≥ {need}"
        return best, why

    def for_finding(self, finding: str, severity: str, block: int) -> Choice | None:
        prefer_drill = finding in FORM_FINDINGS
        roles = {"drill"} if prefer_drill else {"main"}
        found = self.candidates(finding, roles) or self.candidates(finding, {"main", "drill"})
        # Work that spares a painful region first; a regression only when it still does the job.
        found.sort(key=lambda ex: bool(self.painful(ex)))
        for ex in found:
            ex, start = self.starting_level(ex, finding)
            why = f"targets {label(finding)} ({severity}){start}"
            for _ in range(block):
                if (h := self.harder(ex, finding)) is not None:
                    ex = h
                    why = f"targets {label(finding)} ({severity}); block {block + 1} progression"
            ex, why = self.safe(ex, why)
            if finding in ex.targets and self.allowed(ex):
                targets = sorted(set(ex.targets) & set(self.active), key=self.active.index)
                return Choice(ex, targets, why)
        return None

    def bookend(
        self, role: ExerciseRole, kind: SessionKind, preferred: dict[str, list[str]]
    ) -> Choice:
        """A warm-up or cool-down for the session kind that fits the equipment and spares pain."""
        group = (
            "run"
            if kind in RUN_KINDS or kind in ("drills", "cross_training")
            else ("strength" if kind == "strength" else "mobility")
        )
        wanted = [self.index[i] for i in preferred[f"{group}_{role}"] if i in self.index]
        pool = wanted + [ex for ex in self.lib.exercises if role in ex.roles]
        usable = [ex for ex in pool if self.allowed(ex) and not self.painful(ex)]
        ex = (usable or [ex for ex in pool if ex.fits(self.equipment)])[0]
        text = "Warm-up: opens the session" if role == "warmup" else "Cool-down: closes the session"
        return Choice(ex, [], text)


# --- dose -------------------------------------------------------------------------------------


def dose(
    choice: Choice,
    role: ExerciseRole,
    step: int,
    deload: bool,
    cfg: dict[str, Any],
    sets: int | None = None,
) -> PlanExercise:
    """The library dose, progressed by `step` normal weeks into the block.

    `sets`, when given, is final: the caller has already fitted it to the time or the deload.
    """
    ex = choice.exercise
    d = ex.dose
    s = cfg["sessions"]
    if role in ("warmup", "cooldown"):
        n_sets = 1
    elif sets is not None:
        n_sets = sets
    else:
        n_sets = deload_sets(d.sets, cfg) if deload else d.sets
    reps = seconds = None
    if d.reps_low is not None:
        reps = d.reps_low if deload else min(d.reps_high, d.reps_low + step * s["rep_step"])
    else:
        seconds = d.seconds
        assert d.seconds is not None  # a dose without a rep range is timed (Dose._reps_or_seconds)
        if not deload and role not in ("warmup", "cooldown"):
            seconds = min(int(d.seconds * 1.5), d.seconds + step * s["seconds_step"])
    return PlanExercise(
        id=ex.id,
        name=ex.name,
        targets=choice.targets,
        sets=n_sets,
        reps=reps,
        seconds=seconds,
        per_side=d.per_side,
        tempo=d.tempo,
        rest_s=d.rest_s,
        role=role,
        cues=ex.coaching_cues(role),
        reason=choice.reason,
    )


def deload_sets(sets: int, cfg: dict[str, Any]) -> int:
    return max(1, round(sets * (1 - cfg["protocol"]["deload_cut"])))


def deload_allocation(last: dict[str, int], cut: float) -> dict[str, int]:
    """Sets per exercise for a deload week: the week's total cut by `cut` (largest remainders),
    so two-set exercises do not lose half their sets while the total loses 30 %."""
    if not last:
        return {}
    total = sum(last.values())
    goal = max(len(last), round(total * (1 - cut)))
    ideal = {k: v * (1 - cut) for k, v in last.items()}
    out = {k: max(1, math.floor(x)) for k, x in ideal.items()}
    for k in sorted(ideal, key=lambda k: (out[k] - ideal[k], k)):
        if sum(out.values()) >= goal:
            break
        if out[k] < last[k]:
            out[k] += 1
    return out


def minutes(ex: PlanExercise, sets: int | None = None) -> float:
    """Time an exercise takes as planned (same rule as the library's dose estimate); with
    `sets`, as if it had that many sets."""
    work = ex.seconds if ex.seconds is not None else (ex.reps or 0) * _rep_seconds(ex.tempo)
    if ex.per_side:
        work *= 2
    return (ex.sets if sets is None else sets) * (work + ex.rest_s) / 60


@functools.lru_cache(maxsize=256)
def _rep_seconds(tempo: str | None) -> int:
    """Seconds a rep takes at a tempo ("3-1-1-0", X for explosive), 4 without one: read once
    per tempo, as `minutes` is asked some thousand times a plan."""
    return 4 if tempo is None else sum(1 if p in "Xx" else int(p) for p in tempo.split("-"))


def session_minutes(exercises: list[PlanExercise], run_km: float, pace: float) -> int:
    """Exercise time plus the run at easy pace (drills run inside the distance)."""
    return math.ceil(sum(minutes(e) for e in exercises if e.role != "drill") + run_km * pace)


# --- the week ----------------------------------------------------------------------------------


@dataclass
class Day:
    date: date
    budget: int
    sessions: list[PlanSession] = field(default_factory=list)

    def left(self) -> int:
        return self.budget - sum(s.minutes for s in self.sessions)


@dataclass
class Context:
    """Everything that stays the same from week to week."""

    profile: AthleteProfile
    options: PlanOptions
    cfg: dict[str, Any]
    chooser: Chooser
    active: list[str]
    severity: dict[str, str]
    level: str
    runs_per_week: int
    ramp: float
    pace: float
    pacing: workouts.Pacing
    long_weekday: str
    long_cap: float
    long_cap_why: str
    goal_km: float | None
    race_day: date | None
    run_walk: bool
    cadence: tuple[int, int] | None
    hard: set[date] = field(default_factory=set)  # hard days planned so far
    strength_days: set[date] = field(default_factory=set)
    last_sets: dict[str, int] = field(default_factory=dict)  # per exercise, last normal week
    notes: list[str] = field(default_factory=list)
    # the spike rule's stand-in longest run where no run falls in the window before a day
    average_run: float = 0.0
    average_note: str = ""
    _bookends: dict[str, list[PlanExercise]] = field(default_factory=dict)
    _bookend_minutes: dict[str, int] = field(default_factory=dict)
    # `dose` results by choice and dose: placing tries each set count in each session, week
    # after week, and validating a PlanExercise each time was a fifth of a plan's time
    _doses: dict[tuple, PlanExercise] = field(default_factory=dict)

    def dose(
        self, c: Choice, role: ExerciseRole, step: int, deload: bool, sets: int | None = None
    ) -> PlanExercise:
        """`dose` for this plan, each one built once: the planner never changes a PlanExercise
        in place (a change is a copy), so one instance may sit in several sessions."""
        # by what the dose is made of: each block chooses anew, mostly the same exercises
        key = (c.exercise.id, tuple(c.targets), c.reason, role, step, deload, sets)
        found = self._doses.get(key)
        if found is None:
            found = self._doses[key] = dose(c, role, step, deload, self.cfg, sets)
        return found

    def bookends(self, kind: SessionKind) -> list[PlanExercise]:
        """Warm-up and cool-down for a session kind (the same all plan long, so worked out once)."""
        if kind not in self._bookends:
            pref = self.cfg["bookends"]
            self._bookends[kind] = [
                dose(self.chooser.bookend(role, kind, pref), role, 0, False, self.cfg)
                for role in ("warmup", "cooldown")
            ]
        return list(self._bookends[kind])

    def bookend_minutes(self, kind: SessionKind) -> int:
        if kind not in self._bookend_minutes:  # asked for every run sized, every re-plan
            self._bookend_minutes[kind] = session_minutes(self.bookends(kind), 0, self.pace)
        return self._bookend_minutes[kind]

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def spike_cap(self, history: list[spike.Run], d: date) -> float:
        """The longest run allowed on `d` (`spike.cap` of `spike.longest_before`). With no run in
        the window before it, an average run stands in as a run the day before the start (what
        the runner does now; the plan's notes say so): it too counts only inside the window."""
        longest = spike.longest_before(history, d)
        if longest <= 0 and self.average_run > 0:
            before_start = self.options.start - timedelta(days=1)
            longest = spike.longest_before([(before_start, self.average_run)], d)
            if longest > 0:
                self.note(self.average_note)
        return spike.cap(longest)


@dataclass
class Week:
    ctx: Context
    index: int
    phase: Phase
    deload: bool
    step: int
    days: dict[date, Day]
    dates: list[date]
    notes: list[str] = field(default_factory=list)
    caps: dict[int, float] = field(default_factory=dict)  # a session's own cap (brief mobility)
    strides: dict[date, int] = field(default_factory=dict)  # easy runs that end with strides

    @property
    def avail(self) -> list[date]:
        return list(self.days)

    def day(self, d: date) -> Day:
        if d not in self.days:  # the race is on its date, available or not
            self.days[d] = Day(d, 0)
        return self.days[d]

    def frame(
        self, d: date, kind: SessionKind, reason: str, cap: float = math.inf
    ) -> PlanSession | None:
        """An empty session (warm-up and cool-down only) if the day has room for one."""
        room = min(cap, self.days[d].left())
        bookends = self.ctx.bookends(kind)
        taken = session_minutes(bookends, 0, self.ctx.pace)
        if taken > room:
            return None
        s = PlanSession(date=d, kind=kind, minutes=taken, exercises=bookends, reason=reason)
        self.days[d].sessions.append(s)
        self.caps[id(s)] = room
        return s

    def place(
        self,
        c: Choice,
        sessions: list[PlanSession],
        role: ExerciseRole,
        every: bool,
        sets: dict[str, int] | None = None,
    ) -> bool:
        """Put the exercise in the sessions (all of them, or the first with room), cutting sets
        before giving up on a session. `sets` is a deload week's budget: the week's sets of each
        exercise, spent session by session."""
        placed = False
        ex_id = c.exercise.id
        for i, s in enumerate(sessions):
            if ex_id in {e.id for e in s.exercises}:
                continue
            if role == "drill" and not self.holds(
                s, self.ctx.dose(c, role, self.step, self.deload)
            ):
                continue
            top = c.exercise.dose.sets
            if sets is not None:  # spread the budget over the sessions still to come
                share = math.ceil(sets[ex_id] / (len(sessions) - i)) if every else sets[ex_id]
                top = min(top, share)
            if top <= 0:
                break
            allowed = min(self.caps.get(id(s), math.inf), s.minutes + self.days[s.date].left())
            # the dose differs only in its sets, so each count is timed before one is built
            most = self.ctx.dose(c, role, self.step, self.deload, top)
            # a timed drill runs inside the distance; a drill done in place adds its time
            inside = role == "drill" and most.seconds is not None
            for n in range(top, 0, -1):
                extra = 0 if inside else math.ceil(minutes(most, n))
                if s.minutes + extra <= allowed:
                    ex = self.ctx.dose(c, role, self.step, self.deload, n)
                    trial = [*s.exercises[:-1], ex, s.exercises[-1]]
                    s.exercises, s.minutes, placed = trial, s.minutes + extra, True
                    if sets is not None:
                        sets[ex_id] -= n
                    break
            if placed and not every:
                return True
        return placed

    def sessions(self) -> list[PlanSession]:
        return [s for d in sorted(self.days) for s in self.days[d].sessions]

    def holds(self, s: PlanSession, ex: PlanExercise) -> bool:
        """Whether a run is long enough for a timed drill's blocks and the other drills in it,
        after its easy start and with some steady running left (as workouts.easy lays it out)."""
        rate = self.ctx.pacing.s_per_km("easy")
        timed = [e for e in s.exercises if e.role == "drill" and e.seconds] + (
            [ex] if ex.seconds else []
        )
        # every drill in `timed` has seconds; `or 0` only tells mypy so
        drills_km = sum(d.sets * ((d.seconds or 0) + max(10, d.rest_s)) / rate for d in timed)
        lead_km = min(600, 0.3 * s.run_km * rate) / rate
        return lead_km + drills_km <= s.run_km - workouts.MIN_TAIL_KM


# --- run days and kinds --------------------------------------------------------------------


def spread(days: list[date], n: int) -> list[date]:
    """n of the days, as evenly spaced as the list allows (deterministic)."""
    if n >= len(days):
        return list(days)
    if n <= 0:
        return []
    return [days[round(i * len(days) / n)] for i in range(n)]


def default_long_day(profile: AthleteProfile) -> str:
    if profile.long_run_day:
        return profile.long_run_day
    for d in ("sun", "sat"):
        if d in profile.available_days:
            return d
    return max(profile.available_days, key=WEEKDAYS.index)


def quality_count(ctx: Context, week: Week) -> int:
    # a deload cuts volume, not intensity: quality runs stay and shrink with the week
    q = ctx.cfg["quality_by_phase"][week.phase][ctx.level]
    return max(0, min(q, ctx.runs_per_week - 2))


def choose_days(ctx: Context, week: Week) -> dict[date, str]:
    """The week's run days and their kinds, hard days never next to each other (across weeks
    too), the race on its date, no hard day within the recovery window after it."""
    cfg = ctx.cfg["periodisation"]
    avail = week.avail
    race = ctx.race_day if ctx.race_day in week.dates else None
    after = ctx.race_day
    quiet: set[date] = set()
    rest: set[date] = set()
    if after is not None:
        quiet = {after + timedelta(days=i) for i in range(1, cfg["recovery_easy_days"] + 1)}
        rest = {after + timedelta(days=i) for i in range(1, cfg["rest_days_after_race"] + 1)}
    usable = [d for d in avail if d not in rest and d != race]
    n = ctx.runs_per_week - (1 if race else 0)
    long_date = next((d for d in usable if WEEKDAYS[d.weekday()] == ctx.long_weekday), None)
    if race is not None:
        long_date = None  # the race is the week's long, hard effort
    kinds: dict[date, str] = {}
    if race is not None:
        kinds[race] = "race"
    if n <= 0 or not usable:
        return kinds
    if ctx.race_day is not None and long_date == ctx.race_day - timedelta(days=1):
        long_date = None  # never a hard day the day before the race, in the week before too
    if long_date is not None and ctx.runs_per_week >= 2 and long_date not in quiet:
        kinds[long_date] = "long_run"
    others = [d for d in usable if d not in kinds]
    easy = spread(others, n - sum(1 for k in kinds.values() if k == "long_run"))
    for d in easy:
        kinds[d] = "easy_run"
    # Quality days: greatest distance from every hard day, never next to one.
    q = quality_count(ctx, week)
    if ctx.chooser.lower_pain:
        q_pain, q = q, 0
    else:
        q_pain = 0
    hard = set(ctx.hard) | {d for d, k in kinds.items() if k in HARD_KINDS}
    # next week's long run (known weekday) counts too
    if long_date is not None:
        hard.add(long_date + timedelta(days=7))
    if ctx.race_day is not None:
        hard.add(ctx.race_day)
    chosen: list[date] = []
    wanted = q + q_pain
    for _ in range(wanted):
        options = [
            d
            for d in sorted(kinds)
            if kinds[d] == "easy_run"
            and d not in quiet
            and all(abs((d - h).days) >= 2 for h in hard)
            and d - timedelta(days=1) not in ctx.strength_days
            and (ctx.race_day is None or d < ctx.race_day - timedelta(days=1) or d > ctx.race_day)
        ]
        if not options:
            break
        best = max(
            options,
            key=lambda d: (min(abs((d - h).days) for h in hard) if hard else 9, -d.toordinal()),
        )
        chosen.append(best)
        hard.add(best)
    if len(chosen) < wanted:
        week.notes.append(
            f"{len(chosen)} quality session{'s' if len(chosen) != 1 else ''} instead of {wanted}: "
            "no two hard days in a row (Bowerman's hard/easy principle)."
        )
    chosen.sort()
    if q_pain:
        for d in chosen:
            kinds[d] = "cross_training"
        return kinds
    order = _quality_kinds(ctx, week, len(chosen))
    for d, k in zip(chosen, order, strict=False):
        kinds[d] = k
    return kinds


def _quality_kinds(ctx: Context, week: Week, n: int) -> list[str]:
    if ctx.level == "beginner":
        return ["fartlek"] * n
    if n >= 2:
        return ["intervals", "tempo"][:n] + ["tempo"] * (n - 2)
    if week.phase == "base" or week.deload:
        return ["tempo"] * n
    if week.phase in ("taper", "race"):
        return ["intervals"] * n
    return ["intervals" if week.index % 2 else "tempo"] * n


# --- running volume -----------------------------------------------------------------------------


#: The quality runs the planner sizes: a fartlek is written down as a tempo session.
Quality = Literal["tempo", "intervals", "fartlek"]


@dataclass
class RunPlan:
    kind: SessionKind
    km: float
    workout: workouts.Workout
    why: str


def _quality_workout(kind: Quality, target: float, p: workouts.Pacing) -> workouts.Workout | None:
    if kind == "tempo":
        return workouts.threshold(target, p)
    if kind == "intervals":
        return workouts.intervals(target, p)
    return workouts.fartlek(p)


def plan_runs(
    ctx: Context,
    week: Week,
    kinds: dict[date, str],
    target: float,
    history: list[tuple[date, float]],
    reserve: dict[date, int],
    sizing: float | None = None,
) -> dict[date, RunPlan]:
    """Distances for the week's runs: quality sized by Daniels' limits, the long run by its
    share and caps, easy runs share the rest; each run within 110 % of the 30-day longest and
    the day's minutes. Every cap that bites is named in the run's reason."""
    cfg = ctx.cfg
    step = cfg["runs"]["round_km"]
    p = ctx.pacing
    runs = {d: k for d, k in kinds.items() if k != "cross_training"}
    n = len(runs)

    def spike_cap(d: date) -> float:
        return ctx.spike_cap(history, d)

    pr = cfg["pain_running"]
    walking = (pr["run_walk_run_s"] + pr["run_walk_walk_s"]) / pr["run_walk_run_s"]
    slow = walking if ctx.run_walk else 1.0  # run–walk covers less ground a minute

    def time_cap(d: date, kind: SessionKind) -> float:
        if d not in week.days:
            return math.inf
        room = week.days[d].budget - ctx.bookend_minutes(kind) - reserve.get(d, 0)
        return max(0.0, room) * 60 / p.s_per_km("easy") / slow

    out: dict[date, RunPlan] = {}
    left = target
    race = next((d for d, k in runs.items() if k == "race"), None)
    if race is not None and ctx.goal_km is not None:
        race_run = workouts.race(ctx.goal_km, p)
        out[race] = RunPlan(
            "race", round(race_run.km, 1), race_run, f"The goal race, {ctx.goal_km:g} km."
        )
        left -= ctx.goal_km  # the week's target holds the race distance; its warm-up is extra
    floor_km = cfg["runs"]["min_run_km"]
    easy_now = sorted(d for d, k in runs.items() if k == "easy_run")
    while easy_now and left < floor_km * sum(1 for k in runs.values() if k != "race"):
        dropped = easy_now.pop(len(easy_now) // 2)  # fewer, longer runs: the rest stay spread
        del runs[dropped]
        week.notes.append(
            f"{dropped:%a %d %b}: no run: {max(left, 0):.1f} km is too little to share over more "
            f"runs of at least {floor_km:g} km."
        )
    n = len(runs)
    long_date = next((d for d, k in runs.items() if k == "long_run"), None)
    lr = cfg["long_run"]
    long_km = 0.0
    long_at_share = False
    if long_date is not None:
        share = (
            lr["max_share"]
            if n >= lr["max_share_from_runs"]
            else lr["share_by_runs"][str(max(1, n))]
        )
        caps = {
            "share": (share * target, f"{share:.0%} of the week"),
            "goal": (ctx.long_cap, ctx.long_cap_why),
            "spike": (spike_cap(long_date), spike_why()),
            "time": (time_cap(long_date, "long_run"), _minutes_why(week, long_date)),
        }
        name = min(caps, key=lambda k: caps[k][0])
        long_km = max(0.0, math.floor(caps[name][0] / step + 1e-9) * step)
        if name == "share":  # "about 30 %": to the nearest step, within the hard caps
            hard = min(v for k, (v, _) in caps.items() if k != "share")
            long_km = min(math.floor(caps[name][0] / step + 1e-9) * step, hard)
        # easy runs may match a long run held by its share or the spike rule; one held down by
        # the minutes or the goal's cap keeps them clearly shorter (a share of it)
        long_at_share = name in ("share", "spike") or (name == "goal" and ctx.goal_km is None)
        why = (
            f"{long_km:g} km, capped by {caps[name][1]}."
            if name != "share"
            else (f"{long_km:g} km of the week's {target:.1f} km.")
        )
        out[long_date] = RunPlan("long_run", long_km, workouts.Workout([], 0, 0), why)
        left -= long_km
    # Daniels' limits are shares of the week's training (not of the race), as planned
    week_km = target - (ctx.goal_km or 0 if race is not None else 0)
    training = week_km if sizing is None else min(week_km, sizing)
    for d, planned in sorted(runs.items()):
        if planned not in get_args(Quality):
            continue
        kind = cast(Quality, planned)
        label_kind: SessionKind = "tempo" if kind == "fartlek" else kind
        w = _quality_workout(kind, training, p)
        budget = week.days[d].budget - ctx.bookend_minutes(label_kind)
        fits = w is not None and w.km <= min(left, long_km or math.inf) + 1e-6
        if fits and w is not None and w.minutes <= budget and w.km <= spike_cap(d) + 1e-6:
            km = math.floor(w.km * 10 + 1e-9) / 10
            out[d] = RunPlan(label_kind, km, w, _QUALITY_WHY[kind])
            left -= km
        else:
            if w is None or w.km > left + 1e-6:
                reason = "the week's volume is too small for a full session"
            elif long_km and w.km > long_km + 1e-6:
                reason = "it would be longer than the long run, which stays the week's longest"
            elif w.minutes > budget:
                reason = "not enough time for its warm-up, work and cool-down"
            else:
                reason = f"{spike_why()} is too short for it"
            week.notes.append(f"{d:%a %d %b}: easy run instead of {kind}: {reason}.")
            runs[d] = "easy_run"
    easy_days = [d for d, k in runs.items() if k == "easy_run"]
    floor_km = cfg["runs"]["min_run_km"]
    # easy runs share the rest, each within its own caps and no longer than the long run: at
    # most its distance while the long run sits at its share, and clearly shorter (a share of
    # it) when the long run is held down by time, the spike rule or the goal
    cap_each: dict[date, tuple[float, str]] = {}
    for d in easy_days:
        c = {
            "spike": (spike_cap(d), spike_why()),
            "time": (time_cap(d, "easy_run"), _minutes_why(week, d)),
        }
        if long_date is not None and (long_at_share or n < lr["max_share_from_runs"]):
            c["long"] = (long_km, "the long run's distance (the long run is the week's longest)")
        elif long_date is not None:
            share = cfg["runs"]["easy_max_of_long"]
            c["long"] = (
                round(long_km * share / step) * step,
                f"{share:.0%} of the long run (easy runs stay clearly shorter than it)",
            )
        name = min(c, key=lambda k: c[k][0])
        cap_each[d] = c[name]
    for d in [d for d in easy_days if cap_each[d][0] < floor_km]:
        easy_days.remove(d)
        week.notes.append(
            f"{d:%a %d %b}: no run: {cap_each[d][1]} leaves less than {floor_km:g} km."
        )
    while easy_days and left < floor_km * len(easy_days):
        dropped = easy_days.pop(len(easy_days) // 2)  # keep the week's runs spread out
        week.notes.append(
            f"{dropped:%a %d %b}: no run: {max(left, 0):.1f} km is too little to share over more "
            f"runs of at least {floor_km:g} km."
        )
    shares = _fill(max(0.0, left), {d: cap_each[d][0] for d in easy_days})
    if long_date is not None and len(easy_days) + len(out) >= lr["max_share_from_runs"]:
        # at most 30 % of the week as planned, not only of its target: when the other runs
        # are capped, the long run comes down with them (and the easy runs stay below it)
        others = sum(shares.values()) + sum(r.km for d, r in out.items() if d != long_date)
        most = math.floor(lr["max_share"] / (1 - lr["max_share"]) * others / step + 1e-9) * step
        if most < long_km:
            long_km = most
            out[long_date].km = most
            out[long_date].why = f"{most:g} km: at most {lr['max_share']:.0%} of the week."
            for d in easy_days:
                if cap_each[d][0] > most:
                    cap_each[d] = (
                        most,
                        "the long run's distance (the long run is the week's longest)",
                    )
            shares = _fill(
                max(0.0, target - sum(r.km for r in out.values())),
                {d: cap_each[d][0] for d in easy_days},
            )
    rounded = _round_to(shares, {d: cap_each[d][0] for d in easy_days}, step)
    for d in easy_days:
        km = rounded[d]
        if km + 1e-9 >= cap_each[d][0] - step and shares[d] >= cap_each[d][0] - 1e-9:
            why = f"{km:g} km, capped by {cap_each[d][1]}."
        else:
            why = f"{km:g} km of the week's {target:.1f} km."
        out[d] = RunPlan("easy_run", km, workouts.Workout([], 0, 0), why)
    # drop runs too short to plan
    for d in list(out):
        r = out[d]
        if r.kind in ("easy_run", "long_run") and r.km < cfg["runs"]["min_run_km"]:
            week.notes.append(f"{d:%a %d %b}: no run, too little time or recent distance for one.")
            del out[d]
    return out


def _minutes_why(week: Week, d: date) -> str:
    return _minutes_text(week.days[d].budget, d.weekday())


@functools.lru_cache(maxsize=1024)
def _minutes_text(budget: int, weekday: int) -> str:
    """Worded for every run sized, shown for few: naming the weekday (strftime) was the cost."""
    return f"the {budget} minutes available on {_A_MONDAY + timedelta(days=weekday):%A}"


_A_MONDAY = date(2024, 1, 1)


def _fill(total: float, caps: dict[date, float]) -> dict[date, float]:
    """Share `total` equally; what a capped run cannot take goes to the others."""
    out = {d: 0.0 for d in caps}
    free = dict(caps)
    left = total
    while free and left > 1e-9:
        share = left / len(free)
        capped = {d for d, c in free.items() if c <= share}
        if not capped:
            for d in free:
                out[d] = share
            break
        for d in capped:
            out[d] = free.pop(d)
            left -= out[d]
    return out


def _round_to(shares: dict[date, float], caps: dict[date, float], step: float) -> dict[date, float]:
    """Round down to the step, then hand the lost distance back to the largest remainders
    (never above a run's cap), so the week's total is kept."""
    base = {d: math.floor(v / step + 1e-9) * step for d, v in shares.items()}
    lost = math.floor((sum(shares.values()) - sum(base.values())) / step + 1e-6)
    for d in sorted(shares, key=lambda d: (base[d] - shares[d], d)):
        if lost <= 0:
            break
        if base[d] + step <= caps[d] + 1e-9:
            base[d] += step
            lost -= 1
    return base


# --- exercises -------------------------------------------------------------------------------


def choose(ctx: Context, block: int) -> dict[str, list[Choice]]:
    """The block's exercises by where they go: mobility blocks, strength sessions, runs (drills).

    Findings come first, highest severity first; general runner work fills the rest of a session.
    """
    choices = []
    for f in ctx.active:
        c = ctx.chooser.for_finding(f, ctx.severity[f], block)
        if c is not None:
            choices.append(c)
            continue
        ctx.note(
            f"{label(f).capitalize()} is not targeted: every exercise for it that fits the "
            "equipment loads a painful region or needs capacity not yet shown. See a clinician "
            "or reassess."
        )
    groups: dict[str, list[Choice]] = {"mobility": [], "strength": [], "drill": []}
    seen: set[str] = set()
    for c in choices:
        if c.exercise.id in seen:
            continue
        seen.add(c.exercise.id)
        groups[_group(c.exercise, c.targets)].append(c)
    index = ctx.chooser.index
    for kind in ("strength", "mobility"):
        for ex_id in ctx.cfg["general"][kind]:
            ex = index.get(ex_id)
            if ex is None or ex.id in seen or not ctx.chooser.allowed(ex):
                continue
            ex, why = ctx.chooser.safe(ex, f"general {kind} for runners (coaching convention)")
            if ex.id not in seen and _group(ex, []) == kind:
                seen.add(ex.id)
                groups[kind].append(Choice(ex, [], why.capitalize()))
    return groups


def _group(ex: Exercise, targets: list[str]) -> str:
    """Running drills only inside runs, mobility blocks only mobility, the rest strength."""
    if "drill" in ex.roles and (
        "main" not in ex.roles or (targets and targets[0] in FORM_FINDINGS)
    ):
        return "drill"
    if ex.category == "mobility":
        return "mobility"
    return "strength"


def pick_strength_days(ctx: Context, week: Week, n: int, reassess: date | None) -> list[date]:
    """Heavy strength on a hard day or the day after, never the day before intervals or a race,
    on days with time left after the run."""
    hard = {d for d in ctx.hard}
    no = {
        d - timedelta(days=1)
        for d, day in week.days.items()
        for s in day.sessions
        if s.kind in ("intervals", "race")
    }
    if ctx.race_day is not None:
        no.add(ctx.race_day - timedelta(days=1))
        rest = ctx.cfg["periodisation"]["rest_days_after_race"]
        no |= {ctx.race_day + timedelta(days=i) for i in range(1, rest + 1)}
    need = ctx.cfg["sessions"]["strength_min_min"]
    r_min = ctx.cfg["sessions"]["reassessment_min"]  # the reassessment comes first on its day
    ok = [
        d
        for d in week.avail
        if d not in no
        and week.days[d].left() - (r_min if d == reassess else 0) >= need
        and not any(s.kind == "race" for s in week.days[d].sessions)
    ]

    def score(d: date) -> tuple:
        near_hard = d in hard or (d - timedelta(days=1)) in hard
        return (not near_hard, -week.days[d].left(), d)

    chosen: list[date] = []
    for d in sorted(ok, key=score):
        if len(chosen) == n:
            break
        if all(abs((d - c).days) > 1 for c in chosen):
            chosen.append(d)
    return sorted(chosen)


def plan_movement(
    week: Week,
    groups: dict[str, list[Choice]],
    strength_days: list[date],
    reassess: date | None,
) -> None:
    """Strength, mobility and drills in the time the runs leave each day.

    Finding work is placed before general work, so when time is short the findings keep it. A
    deload week holds the last normal week's exercises with 30 % fewer sets in all.
    """
    ctx = week.ctx
    cfg = ctx.cfg
    sess = cfg["sessions"]
    n = len(strength_days)
    sets: dict[str, int] | None = None
    if week.deload:
        sets = deload_allocation(ctx.last_sets, cfg["protocol"]["deload_cut"])
    if reassess is not None:
        s = week.frame(
            reassess, "reassessment", "Reassess the screens: the next block is rebuilt from them."
        )
        if s is not None:
            s.minutes = max(s.minutes, min(sess["reassessment_min"], week.caps[id(s)]))
        else:
            week.notes.append(
                f"No time left on {reassess:%a %d %b} for the reassessment: book it as an extra "
                "session."
            )
    strength = [
        s
        for d in strength_days
        if (
            s := week.frame(
                d,
                "strength",
                f"Strength after the day's run ({n}× this week)."
                if any(r.kind in RUN_KINDS for r in week.days[d].sessions)
                else f"Strength ({n}× this week).",
            )
        )
    ]
    mobility = [
        s
        for d in week.avail
        if d not in strength_days
        and week.days[d].left() >= sess["mobility_block_min_min"]
        and (
            s := week.frame(
                d,
                "mobility",
                "Brief, frequent mobility: a few minutes most days"
                + (
                    ", after the run."
                    if any(r.kind in RUN_KINDS for r in week.days[d].sessions)
                    else "."
                ),
                sess["mobility_block_max_min"],
            )
        )
    ]
    # drills go to the longest easy runs first, where their blocks fit the distance
    runs = sorted(
        (s for s in week.sessions() if s.kind == "easy_run"), key=lambda s: (-s.run_km, s.date)
    )

    def fixed(c: Choice) -> dict[str, int] | None:
        if sets is None:
            return None
        return sets if c.exercise.id in sets else None

    def skip(c: Choice) -> bool:  # a deload week adds nothing the last normal week did not hold
        return sets is not None and c.exercise.id not in sets

    for c in groups["strength"]:
        if c.targets and not skip(c) and not week.place(c, strength, "main", True, fixed(c)):
            missing = ", ".join(map(label, c.targets))
            week.notes.append(f"Not enough time this week for {c.exercise.name} ({missing}).")
    for i, c in enumerate(m for m in groups["mobility"] if m.targets):
        k = i % len(mobility) if mobility else 0
        if not skip(c) and not week.place(c, mobility[k:] + mobility[:k], "main", False, fixed(c)):
            week.notes.append(f"Not enough time this week for {c.exercise.name}.")
    drill_days: list[PlanSession] = []
    for c in groups["drill"]:  # technique, not load: a deload keeps drills as they are
        if week.place(c, runs + drill_days, "drill", False):
            continue
        # no easy run with room: a short drills session of its own on a free day
        free = sorted(week.avail, key=lambda d: (bool(week.days[d].sessions), -week.days[d].left()))
        frame = next(
            (
                f
                for d in free
                if (f := week.frame(d, "drills", "Running drills: technique, not load."))
            ),
            None,
        )
        if frame is not None:
            drill_days.append(frame)
        if frame is None or not week.place(c, [frame], "main", False):
            week.notes.append(f"No easy run or free day with room this week for {c.exercise.name}.")
    finish_runs(ctx, week)  # the drills become steps before general work takes the time left
    for c in groups["strength"]:
        if not c.targets and not skip(c):
            week.place(c, strength, "main", True, fixed(c))
    for s in mobility:
        for c in groups["mobility"]:
            if not skip(c):
                week.place(c, [s], "main", False, fixed(c))
    if sets:  # a deload's sets still unspent go where the exercise already is, time allowing
        for s in [*strength, *mobility]:
            for i, e in enumerate(s.exercises):
                top = ctx.chooser.index[e.id].dose.sets
                while e.role == "main" and sets.get(e.id, 0) > 0 and e.sets < top:
                    one = minutes(e) / e.sets
                    room = min(week.caps.get(id(s), math.inf), s.minutes + week.days[s.date].left())
                    if s.minutes + math.ceil(one) > room:
                        break
                    e = s.exercises[i] = e.model_copy(update={"sets": e.sets + 1})
                    s.minutes += math.ceil(one)
                    sets[e.id] -= 1
    for d in week.avail:  # a strength or mobility frame that received nothing is not a session
        week.days[d].sessions = [
            s
            for s in week.days[d].sessions
            if s.kind not in ("mobility", "strength", "drills")
            or (
                len(s.exercises) > 2
                and (
                    s.kind != "mobility"
                    or s.minutes >= sess["mobility_block_min_min"]
                    or any(e.targets for e in s.exercises)  # finding work stays, however brief
                )
            )
        ]
    placed = [s for s in week.sessions() if s.kind == "strength"]
    if len(placed) < sess["strength_sessions"] and len(week.avail) >= 3:
        week.notes.append(
            f"Strength {len(placed)}× this week, not {sess['strength_sessions']}×: the runs take "
            "the time available, and strength never goes the day before intervals or a race."
        )


# --- steps inside runs ------------------------------------------------------------------------


def easy_session(ctx: Context, week: Week, s: PlanSession, extras: list) -> bool:
    """An easy or long run's steps (drills and cadence blocks inside, strides where the week
    has them, run–walk under pain). When they would pass the day's minutes, strides go first,
    then drills, then distance down to the shortest run planned; what went is said."""
    p = ctx.pacing
    cfg = ctx.cfg["runs"]
    n_strides = week.strides.get(s.date, 0)
    fixed = sum(minutes(e) for e in s.exercises if e.role != "drill")
    room = week.day(s.date).left() + s.minutes
    extras = list(extras)

    def build(km: float) -> workouts.Workout:
        return workouts.easy(
            km,
            p,
            long=s.kind == "long_run",
            extras=extras,
            strides_n=n_strides,
            run_walk=ctx.run_walk,
        )

    km = s.run_km
    w = build(km)
    while math.ceil(fixed + w.minutes - SECONDS_SLACK) > room:
        if n_strides:
            n_strides = 0
        elif extras:
            extras.pop()
        elif km - cfg["round_km"] >= cfg["min_run_km"] - 1e-9:
            km -= cfg["round_km"]
        else:
            break
        w = build(km)
    kept = {e[0] for e in extras} - set(w.dropped)
    for e in [e for e in s.exercises if e.role == "drill" and e.name not in kept]:
        s.exercises.remove(e)
        week.notes.append(f"{s.date:%a %d %b}: no room in the run for {e.name}.")
    strides = n_strides and not any("strides" in g for g in w.dropped)
    if strides and "strides near the end" not in s.reason:
        s.reason += f" {n_strides} strides near the end (within Daniels' 5 % limit)."
    if not strides:
        week.strides.pop(s.date, None)
    if km < s.run_km:
        why = "its walking breaks" if ctx.run_walk else "the session"
        s.reason += f" {km:g} km so that {why} fit the day's {week.day(s.date).budget} minutes."
    s.run_km = km  # the steps cover it (run–walk up to one block more)
    s.steps = w.steps
    s.minutes = math.ceil(fixed + w.minutes - SECONDS_SLACK)
    return s.minutes <= room


def balance_long_run(ctx: Context, week: Week) -> None:
    """After run–walk and time have shortened runs: the long run stays the week's longest and,
    with 4+ runs, at most 30 % of the week as planned (protocols §5)."""
    lr = ctx.cfg["long_run"]
    step = ctx.cfg["runs"]["round_km"]
    floor_km = ctx.cfg["runs"]["min_run_km"]
    for _ in range(3):
        runs = [s for s in week.sessions() if s.kind in RUN_KINDS and s.kind != "race"]
        longs = [s for s in runs if s.kind == "long_run"]
        if not longs:
            return
        long = longs[0]
        changed = False
        if len(runs) >= lr["max_share_from_runs"]:
            others = sum(s.run_km for s in runs if s is not long)
            most = round(lr["max_share"] / (1 - lr["max_share"]) * others / step) * step  # about
            if floor_km <= most < long.run_km:
                long.run_km = most
                long.reason = long.reason.split(" Cut to ")[0] + (
                    f" Cut to {most:g} km: at most {lr['max_share']:.0%} of the week as planned."
                )
                easy_session(ctx, week, long, [])
                changed = True
        for s in runs:  # last, so the long run always ends the week's longest
            if s.kind == "easy_run" and s.run_km > long.run_km:
                s.run_km = long.run_km
                easy_session(ctx, week, s, [])
                changed = True
        if not changed:
            return


def resize_quality(ctx: Context, week: Week) -> None:
    """Daniels' limits hold for the week as finally planned: a quality run sized from a week
    that came out smaller is sized again from what it became (a few passes converge)."""
    for _ in range(3):
        quality = [s for s in week.sessions() if s.kind in ("tempo", "intervals")]
        week_km = sum(s.run_km for s in week.sessions() if s.kind in RUN_KINDS and s.kind != "race")
        changed = False
        for s in quality:
            fartlek = s.reason.startswith("Fartlek")
            if fartlek:
                continue
            w = _quality_workout(cast(Quality, s.kind), week_km, ctx.pacing)
            km = math.floor(w.km * 10 + 1e-9) / 10 if w is not None else 0.0
            if w is None or km >= s.run_km - 1e-9:
                continue
            own = sum(minutes(e) for e in s.exercises)
            s.run_km, s.steps, s.minutes = km, w.steps, math.ceil(own + w.minutes)
            changed = True
        if not changed:
            return


def finish_runs(ctx: Context, week: Week) -> None:
    """Drills and cadence blocks become steps inside the easy runs that received them."""
    for s in week.sessions():
        drills = [e for e in s.exercises if e.role == "drill"]
        if s.kind in ("easy_run", "long_run") and drills:
            extras = [
                (e.name, e.sets, e.seconds, e.reps, e.rest_s, _drill_note(ctx, e.id))
                for e in drills
            ]
            easy_session(ctx, week, s, extras)


def _drill_note(ctx: Context, ex_id: str) -> str:
    if ex_id == ctx.cfg["prefer"]["overstriding"]:
        if ctx.cadence:
            lo, hi = ctx.cadence
            return f"metronome at {lo}–{hi} spm"
        c = ctx.cfg["cadence"]
        return f"metronome {c['low'] - 1:.0%}–{c['high'] - 1:.0%} above your easy step rate"
    return ""


# --- the plan ----------------------------------------------------------------------------------


def check(profile: AthleteProfile, options: PlanOptions) -> None:
    if not profile.available_days:
        raise PlanError("athlete.available_days: choose at least one training day")
    g = profile.goal
    if g and g.date and g.date < options.start:
        raise PlanError(
            f"start: the goal race on {g.date} is before the plan start {options.start}; "
            "start earlier or change the goal date"
        )


def spike_pct() -> str:
    """The single-run spike's share, from data/thresholds.toml: "110 %"."""
    return f"{thresholds.load().spike.ratio * 100:g} %"


def spike_why() -> str:
    """The single-run spike rule in words, from data/thresholds.toml."""
    window = thresholds.load().spike.window_days
    return f"{spike_pct()} of the longest run of the previous {window} days"


def build_plan(
    findings: list[Finding],
    profile: AthleteProfile,
    options: PlanOptions,
    lib: Library | None = None,
    cfg: dict[str, Any] | None = None,
    screens: dict[str, Any] | None = None,
    *,
    known_runs: Iterable[spike.Run] | None = None,
    assessed_on: date | None = None,
    cadence_target: cadence.Target | None = None,
) -> Plan:
    """The plan for a runner: same inputs, same plan. `screens` (the assessment's raw results)
    set starting levels and the impact gate; `cadence_target` (the runner's own, from their easy
    runs: `services.cadence.target`) the metronome of the cadence blocks, else the intake's
    easy-pace cadence does.

    The single-run spike rule (`spike`) knows the runs logged before the start (`known_runs`, as
    (day, km)) and the intake's longest recent run, dated on `assessed_on` (without it, the day
    before the start: the profile is taken as current); each counts only inside the window.
    Where no run falls in the window before a day, an average run (weekly km ÷ runs a week)
    stands in, and the notes say so.
    """
    lib = lib or load_library()
    cfg = cfg or load_config()
    screens = screens or {}
    check(profile, options)
    ranked = sorted(
        (f for f in findings if f.severity in ("moderate", "high") and f.id != "pain_flag"),
        key=lambda f: -SEVERITY_RANK[f.severity],
    )
    active = [f.id for f in ranked]
    pain = pain_regions(findings)
    lower = bool(LOWER_LIMB & set(pain))
    lv = level(profile, cfg)
    race = profile.recent_race
    vdot = paces.vdot(race.distance_km, race.seconds()) if race else None
    if options.easy_pace_min_per_km:
        pace = options.easy_pace_min_per_km
        pace_note = f"Run times assume an easy pace of {pace:g} min/km."
    elif vdot is not None:
        assert race is not None  # vdot comes from the race
        fast, slow = paces.band(vdot, "easy")
        pace = round((fast + slow) / 2 / 60, 2)
        pace_note = (
            f"Paces from the {race.distance_km:g} km race in {race.time} (Daniels and Gilbert "
            f"1979): easy {paces.pace_text(fast)}–{paces.pace_text(slow)} /km."
        )
    else:
        pace = cfg["runs"]["easy_pace"][lv]
        pace_note = (
            f"Run times assume an easy pace of {pace:g} min/km ({lv} default); targets are RPE "
            "until a recent race gives paces."
        )
    notes = [
        pace_note,
        f"Deload every {options.deload_every} weeks (run volume and strength sets −30 % of the "
        f"week before); reassessment every {options.reassess_every} weeks.",
    ]
    info = [f.id for f in findings if f.severity == "info"]
    if info:
        notes.append("Info findings are not targeted: " + ", ".join(map(label, info)) + ".")
    for region, why in pain.items():
        notes.append(f"{region.replace('_', ' ')}: easier variants only, because of {why}.")
    ramp = options.ramp_pct / 100
    if lower:
        ramp = 0.0
        notes.append(
            "Lower-limb pain: run volume held, no intervals, tempo, hills, strides or plyometrics "
            "until a reassessment clears it; easy running only to a pain of at most "
            f"{cfg['pain_running']['max_pain']}/10 that settles by the next morning, and "
            "cross-training keeps the aerobic work (Silbernagel et al. 2007)."
        )
    calf_gate = compensations.threshold("calf_endurance_deficit", "calf_raise_reps")
    heel = weakest(screens, "calf_raise_reps")
    impact_ok = heel is not None and heel >= calf_gate and not lower
    if not impact_ok:
        notes.append(
            "No hops, pogos, bounding or hill sprints yet: they need "
            f"{calf_gate:g} single-leg heel raises on both sides"
            + (" and no lower-limb pain flag" if lower else "")
            + (f" (now {heel:g})" if heel is not None else " (not tested yet)")
            + "."
        )
    runs_per_week = min(profile.runs_per_week, len(profile.available_days))
    if runs_per_week < profile.runs_per_week:
        notes.append(
            f"{runs_per_week} runs a week, not {profile.runs_per_week}: only "
            f"{len(profile.available_days)} days are available."
        )
    longest = profile.longest_run_km
    intake_day = assessed_on or options.start - timedelta(days=1)
    history = spike.history(
        [(d, km) for d, km in known_runs or () if d < options.start], longest, intake_day
    )
    average_run, average_note = 0.0, ""
    window = thresholds.load().spike.window_days
    if profile.weekly_km <= 0 or runs_per_week == 0:
        runs_per_week = 0
        notes.append("No current running recorded: the plan holds movement work only.")
    else:
        average_run = profile.weekly_km / runs_per_week
        if longest <= 0 and not history:
            average_note = (
                f"No longest recent run given: {average_run:.1f} km (an average run) assumed."
            )
        else:
            given = (
                f"the intake's longest, {longest:g} km on {intake_day:%d %b %Y}, counts for "
                f"{window} days"
                if longest > 0
                else "no longest recent run given at the intake"
            )
            average_note = (
                f"Where no known run falls in the {window} days before a run ({given}), "
                f"{average_run:.1f} km (an average run, as if run the day before the start) is "
                "taken as the longest."
            )
    # A run counts only inside the window before a day (spike.longest_before), so the runs
    # before it are dropped: the rule is asked about every run planned, and a long history
    # (the demo's years of logs) made each question a scan of it.
    history = [(d, km) for d, km in history if d >= options.start - timedelta(days=window)]
    goal_km = profile.goal.km() if profile.goal else None
    cap, cap_why = long_run_cap(goal_km, pace, cfg)
    end = options.start + timedelta(weeks=options.weeks) - timedelta(days=1)
    goal_date = profile.goal.date if profile.goal else None
    race_day = goal_date if goal_date and goal_date <= end and goal_km else None
    if goal_date and goal_date <= end and not goal_km:
        notes.append(
            "The goal names no distance: give goal.distance_km to plan the taper and the race."
        )
    race_week = ((goal_date - options.start).days // 7 + 1) if goal_date and goal_km else None
    spm = screens.get("cadence_spm")
    intake_spm = float(spm) if isinstance(spm, int | float) and not isinstance(spm, bool) else None
    aim = cadence_target or cadence.target(cadence.Baseline(), intake_spm)
    metronome = (round(aim.low_spm), round(aim.high_spm)) if aim.basis != "convention" else None
    chooser = Chooser(
        lib, set(profile.equipment), pain, active, screens, impact_ok, dict(cfg["prefer"])
    )
    chooser.prefer.pop("source", None)
    ctx = Context(
        profile=profile,
        options=options,
        cfg=cfg,
        chooser=chooser,
        active=active,
        severity={f.id: f.severity for f in ranked},
        level=lv,
        runs_per_week=runs_per_week,
        ramp=ramp,
        pace=pace,
        pacing=workouts.Pacing.make(cfg, pace, vdot, profile.max_hr),
        long_weekday=default_long_day(profile),
        long_cap=cap,
        long_cap_why=cap_why,
        goal_km=goal_km,
        race_day=race_day,
        # a flag means pain above the 3/10 running limit: run–walk keeps running under it
        run_walk=lower,
        cadence=metronome,
        average_run=average_run,
        average_note=average_note,
    )
    per = cfg["periodisation"]
    v0 = profile.weekly_km
    need = cap / cfg["long_run"]["max_share"] if goal_km else math.inf
    ceiling = v0 if lower else max(v0, min(per["ceiling_share"] * v0, need))
    if goal_km and ceiling < per["ceiling_share"] * v0 and not lower:
        notes.append(
            f"Peak volume at most {ceiling:.0f} km: a {goal_km:g} km goal needs no more "
            f"(long-run cap {cap:g} km at 30 % of the week)."
        )
    n_taper = len(taper_shares(goal_km, cfg))
    if race_week is not None and race_week <= options.weeks:
        notes.append(
            f"Race on {race_day:%a %d %b %Y}: {n_taper}-week taper (volume −41–60 %, intensity "
            "and frequency kept; Bosquet et al. 2007), then recovery: no hard session for "
            f"{per['recovery_easy_days']} days and the next week at most half the peak volume."
        )
    last_normal = v0
    peak = 0.0  # the biggest normal week planned so far (the current volume before any)
    base_ceiling = ceiling
    groups_by_block: dict[int, dict[str, list[Choice]]] = {}
    weeks: list[PlanWeek] = []
    sess = cfg["sessions"]
    since = 0  # weeks since the plan start or the last recovery week
    last_run = 0.0  # the last normal week's running as planned
    ramp_cap = math.inf
    for w in range(1, options.weeks + 1):
        phase = phase_of(w, race_week, n_taper, cfg)
        after_race = race_week is not None and w > race_week
        if after_race and phase == "base":
            # a new base: back toward the current volume, but below the peak just raced off
            base_ceiling = min(v0, per["new_base_share"] * (peak or v0))
        since += 1
        deload = since % options.deload_every == 0 and phase in ("base", "build")
        if phase == "recovery":
            since = 0  # the deload rhythm restarts with the new base
        block = (w - 1) // options.reassess_every
        block_start = block * options.reassess_every + 1
        step = sum(1 for i in range(block_start, w) if i % options.deload_every)
        first = options.start + timedelta(weeks=w - 1)
        dates = [first + timedelta(days=i) for i in range(7)]
        days = {
            d: Day(d, profile.minutes_on(WEEKDAYS[d.weekday()]))
            for d in dates
            if WEEKDAYS[d.weekday()] in profile.available_days
        }
        week = Week(ctx, w, phase, deload, step, days, dates)
        target = 0.0
        if runs_per_week:
            if phase in NORMAL_PHASES:
                if w == 1:
                    target = v0
                elif deload:
                    target = last_normal * (1 - cfg["protocol"]["deload_cut"])
                else:
                    target = min(base_ceiling, last_normal * (1 + ramp))
                    ramp_cap = last_run * (1 + ramp)  # what was run, not its equivalent
            elif phase == "taper":
                assert race_week is not None  # phase_of: a taper only counts back from a race
                weeks_to_race = race_week - w
                target = (peak or v0) * taper_shares(goal_km, cfg)[-1 - weeks_to_race]
            elif phase == "race":
                target = (peak or v0) * taper_shares(goal_km, cfg)[-1] + (goal_km or 0)
            elif phase == "recovery":
                target = (peak or v0) * per["recovery_share"]
        kinds = choose_days(ctx, week) if runs_per_week else {}
        n_ct = sum(1 for k in kinds.values() if k == "cross_training")
        # the quality runs' share of the volume moves to cross-training
        running_share = (len(kinds) - n_ct) / len(kinds) if kinds else 1.0
        target *= running_share
        if phase in NORMAL_PHASES and not deload and w > 1 and last_run:
            target = min(target, ramp_cap)
        if deload and last_run:  # −30 % of what was run, whatever the cross-training days
            target = min(target, last_run * (1 - cfg["protocol"]["deload_cut"]))
        if block not in groups_by_block:
            groups_by_block[block] = choose(ctx, block)
        drills = groups_by_block[block]["drill"]
        drill_min = min(
            sess["drill_reserve_max_min"],
            math.ceil(
                sum(
                    minutes(ctx.dose(c, "drill", 0, False))
                    for c in drills
                    if c.exercise.dose.seconds is None
                )
            ),
        )
        reserve = {d: drill_min for d, k in kinds.items() if k == "easy_run"}
        reassess = None
        if w % options.reassess_every == 0 and week.avail:
            need_r = sess["reassessment_min"]
            free = [d for d in week.avail if d not in kinds and week.days[d].budget >= need_r]
            easy = [
                d for d, k in kinds.items() if k == "easy_run" and week.days[d].budget >= need_r
            ]
            pick = (
                free
                or easy
                or [
                    d
                    for d in week.avail
                    if week.days[d].budget >= need_r and kinds.get(d) != "race"
                ]
            )
            if pick:
                reassess = max(pick, key=lambda d: (week.days[d].budget, d))
                reserve[reassess] = reserve.get(reassess, 0) + need_r
            else:
                week.notes.append(
                    f"No day has {need_r} minutes for the reassessment: book it as an extra "
                    "session."
                )
        runs = {}
        if kinds:  # quality sized from the week as planned: re-plan while the runs fall short
            mark, sizing = len(week.notes), None
            for _ in range(4):
                del week.notes[mark:]
                runs = plan_runs(ctx, week, kinds, target, history, reserve, sizing)
                planned = sum(r.km for r in runs.values() if r.kind != "race")
                training = target - sum(ctx.goal_km or 0 for r in runs.values() if r.kind == "race")
                if planned >= training - 0.05 or (sizing is not None and planned >= sizing - 0.05):
                    break
                sizing = planned
        strides_wanted = phase in NORMAL_PHASES and not deload and not lower
        for d, r in sorted(runs.items()):
            exercises = ctx.bookends(r.kind)
            s = PlanSession(
                date=d,
                kind=r.kind,
                minutes=math.ceil(sum(minutes(e) for e in exercises) + r.workout.minutes),
                run_km=r.km,
                exercises=exercises,
                reason=f"{_KIND_WHY[r.kind]} {r.why}".strip(),
                steps=r.workout.steps,
            )
            week.day(d).sessions.append(s)
            if r.kind in ("easy_run", "long_run"):
                if r.kind == "easy_run" and strides_wanted and not week.strides:
                    n = workouts.strides_count(sum(r.km for r in runs.values()), ctx.pacing)
                    if n:
                        week.strides[d] = n
                if ctx.run_walk:
                    s.reason += " Run–walk while the pain flag stands."
                if not easy_session(ctx, week, s, []):
                    week.day(d).sessions.remove(s)
                    week.notes.append(
                        f"{d:%a %d %b}: no run: {week.day(d).budget} minutes cannot hold even the "
                        f"shortest run ({cfg['runs']['min_run_km']:g} km) with its breaks."
                    )
                    continue
        balance_long_run(ctx, week)
        resize_quality(ctx, week)
        # the spike rule looks back at the runs as finally planned (from next week on, only
        # those inside the window before it can count)
        horizon = week.dates[0] + timedelta(days=7 - window)
        history[:] = [(d, km) for d, km in history if horizon <= d < week.dates[0]] + [
            (s.date, s.run_km) for s in week.sessions() if s.run_km
        ]
        for d, k in kinds.items():
            if k == "cross_training":
                room = week.days[d].left() - ctx.bookend_minutes("cross_training")
                # convention: as long as the runner's average run takes
                mins = min(room, round(v0 / runs_per_week * pace))
                if mins >= sess["strength_min_min"]:
                    w_ct = workouts.cross_training(int(mins), ctx.pacing)
                    week.days[d].sessions.append(
                        PlanSession(
                            date=d,
                            kind="cross_training",
                            minutes=int(mins) + ctx.bookend_minutes("cross_training"),
                            exercises=ctx.bookends("cross_training"),
                            steps=w_ct.steps,
                            reason="Cross-training in place of the quality run: keeps the aerobic "
                            "work while the lower-limb pain flag stands.",
                        )
                    )
        ctx.hard |= {s.date for s in week.sessions() if s.kind in HARD_KINDS}
        avail = week.avail
        n_strength = sess["strength_sessions"] if len(avail) >= 3 else 1
        if phase == "race":
            n_strength = 1
        strength_days = pick_strength_days(ctx, week, n_strength, reassess) if avail else []
        plan_movement(week, groups_by_block[block], strength_days, reassess)
        ctx.strength_days |= {s.date for s in week.sessions() if s.kind == "strength"}
        sessions = sorted(week.sessions(), key=lambda s: (s.date, _ORDER[s.kind]))
        run_km = round(sum(s.run_km for s in sessions), 1)
        if not deload and phase in NORMAL_PHASES:
            ctx.last_sets = {}
            for s in sessions:
                for e in s.exercises:
                    if e.role == "main":  # the week's sets of each exercise, all sessions
                        ctx.last_sets[e.id] = e.sets + ctx.last_sets.get(e.id, 0)
            if runs_per_week:
                # the ramp grows from what was actually planned (cross-training days included)
                last_normal = run_km / running_share
                last_run = run_km
                if not after_race:
                    peak = max(peak, run_km)
        if phase == "recovery" and runs_per_week:
            last_normal = run_km
        if target and run_km < target - 1 and phase in NORMAL_PHASES:
            week.notes.append(
                f"{run_km:g} of the {target:.1f} km planned: the runs are capped (see each run's "
                "reason)."
            )
        weeks.append(
            PlanWeek(
                index=w,
                deload=deload,
                phase=phase,
                run_km=run_km,
                sessions=sessions,
                notes=week.notes,
            )
        )
    if runs_per_week and weeks[0].run_km < profile.weekly_km - 1:
        notes.append(
            f"Week 1 holds {weeks[0].run_km:g} of the current {profile.weekly_km:g} km: the runs "
            f"must fit the days and minutes available and the {spike_pct()} single-run rule."
        )
    return Plan(start=options.start, weeks=weeks, notes=notes + ctx.notes, pace_min_per_km=pace)


_QUALITY_WHY = {
    "tempo": "Threshold: cruise intervals at comfortably hard effort, at most 10 % of the week.",
    "intervals": "Intervals at 5 km effort, work at most the lesser of 10 km and 8 % of the week.",
    "fartlek": "Fartlek: short relaxed surges before structured intervals (under a year of "
    "running or under 20 km a week).",
}
_KIND_WHY = {
    "easy_run": "Easy run, conversational pace:",
    "long_run": "Long steady run:",
    "tempo": "",
    "intervals": "",
    "race": "Race day.",
}
_ORDER = {
    k: i
    for i, k in enumerate(
        [
            "mobility",
            "reassessment",
            "drills",
            "easy_run",
            "tempo",
            "intervals",
            "long_run",
            "race",
            "cross_training",
            "strength",
        ]
    )
}
