"""Plan generation: findings, profile and options in, a periodised plan out. Pure and deterministic.

The shape of a week: runs on spread-out available days (the long run at the weekend when possible),
strength twice (once when fewer than three days are free), a short mobility block on most days,
running drills inside easy runs, a reassessment every few weeks and a deload every Nth week. Every
session opens with a warm-up and closes with a cool-down from the library, and every choice carries
a one-line reason. Numbers come from data/planning.toml (protocol values and labelled conventions).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from runform.exercises import Exercise, Library, by_id, load_library, regression
from runform.models import (
    RUN_KINDS,
    AthleteProfile,
    Finding,
    Plan,
    PlanExercise,
    PlanOptions,
    PlanSession,
    PlanWeek,
)
from runform.paths import data_dir
from runform.vocab import SEVERITY_RANK, WEEKDAYS

LOWER_LIMB = {"foot", "ankle", "shin", "calf", "knee", "thigh", "hamstring", "hip", "groin"}
MOBILITY_FINDINGS = {
    "limited_ankle_dorsiflexion",
    "ankle_dorsiflexion_asymmetry",
    "hip_rotation_deficit",
    "thoracic_rotation_deficit",
}
FORM_FINDINGS = {"overstriding", "high_vertical_oscillation", "excessive_trunk_flexion"}


class PlanError(ValueError):
    """The inputs cannot make a plan (for example no training day); the message says what to fix."""


@cache
def load_config(path: Path | None = None) -> dict[str, Any]:
    with open(path or data_dir() / "planning.toml", "rb") as f:
        return tomllib.load(f)


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


# --- exercise choice -------------------------------------------------------------------------


@dataclass
class Choice:
    exercise: Exercise
    targets: list[str]
    reason: str


@dataclass
class Chooser:
    """Picks the exercise for each finding, its block-by-block progression and pain regressions."""

    lib: Library
    equipment: set[str]
    pain: dict[str, str]
    active: list[str]
    index: dict[str, Exercise] = field(init=False)

    def __post_init__(self) -> None:
        self.index = by_id(self.lib)

    def fits(self, ex: Exercise) -> bool:
        return ex.fits(self.equipment)

    def painful(self, ex: Exercise) -> list[str]:
        return [r for r in ex.regions if r in self.pain]

    def safe(self, ex: Exercise, why: str) -> tuple[Exercise, str]:
        """Swap an exercise that loads a painful region for its easier variant, and say why."""
        regions = self.painful(ex)
        if not regions:
            return ex, why
        easier = regression(self.lib, ex.easier, self.equipment)
        return easier, (
            f"{why}; easier variant of {ex.name} because of {self.pain[regions[0]]}: "
            "see a clinician before loading this region"
        )

    def candidates(self, finding: str, roles: set[str]) -> list[Exercise]:
        found = [
            ex
            for ex in self.lib.exercises
            if finding in ex.targets and self.fits(ex) and roles & set(ex.roles)
        ]
        # Prefer exercises that also address other active findings; then library order.
        return sorted(found, key=lambda ex: -len(set(ex.targets) & set(self.active)))

    def for_finding(self, finding: str, severity: str, block: int) -> Choice | None:
        prefer_drill = finding in FORM_FINDINGS
        roles = {"run_drill"} if prefer_drill else {"main"}
        found = self.candidates(finding, roles) or self.candidates(finding, {"main", "run_drill"})
        # Work that spares a painful region first; a regression only when it still does the job.
        found.sort(key=lambda ex: bool(self.painful(ex)))
        for ex in found:
            why = f"targets {label(finding)} ({severity})"
            for _ in range(block):
                harder = self.index[ex.harder]
                if finding in harder.targets and self.fits(harder) and not self.painful(harder):
                    ex, why = (
                        harder,
                        f"targets {label(finding)} ({severity}); block {block + 1} progression",
                    )
            ex, why = self.safe(ex, why)
            if finding in ex.targets:
                targets = sorted(set(ex.targets) & set(self.active), key=self.active.index)
                return Choice(ex, targets, why)
        return None

    def bookend(self, role: str, kind: str, preferred: dict[str, list[str]]) -> Choice:
        """A warm-up or cool-down for the session kind that fits the equipment and spares pain."""
        group = (
            "run"
            if kind in RUN_KINDS or kind == "drills"
            else ("strength" if kind == "strength" else "mobility")
        )
        wanted = [self.index[i] for i in preferred[f"{group}_{role}"] if i in self.index]
        pool = wanted + [ex for ex in self.lib.exercises if role in ex.roles]
        usable = [ex for ex in pool if self.fits(ex) and not self.painful(ex)]
        ex = (usable or [ex for ex in pool if self.fits(ex)])[0]
        text = "Warm-up: opens the session" if role == "warmup" else "Cool-down: closes the session"
        return Choice(ex, [], text)


# --- dose -------------------------------------------------------------------------------------


def dose(
    choice: Choice, role: str, step: int, deload: bool, cfg: dict[str, Any], sets: int | None = None
) -> PlanExercise:
    """The library dose, progressed by `step` normal weeks into the block, cut in a deload week.

    `sets`, when given, is final: the caller has already fitted it to the time or the deload.
    """
    d = choice.exercise.dose
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
        if not deload and role not in ("warmup", "cooldown"):
            seconds = min(int(d.seconds * 1.5), d.seconds + step * s["seconds_step"])
    return PlanExercise(
        id=choice.exercise.id,
        name=choice.exercise.name,
        targets=choice.targets,
        sets=n_sets,
        reps=reps,
        seconds=seconds,
        per_side=d.per_side,
        tempo=d.tempo,
        rest_s=d.rest_s,
        role=role,
        cues=choice.exercise.cues,
        reason=choice.reason,
    )


def deload_sets(sets: int, cfg: dict[str, Any]) -> int:
    return max(1, round(sets * (1 - cfg["protocol"]["deload_cut"])))


def minutes(ex: PlanExercise) -> float:
    """Time an exercise takes as planned (same rule as the library's dose estimate)."""
    if ex.seconds is not None:
        work = ex.seconds
    else:
        tempo = (
            4 if ex.tempo is None else sum(1 if p in "Xx" else int(p) for p in ex.tempo.split("-"))
        )
        work = (ex.reps or 0) * tempo
    if ex.per_side:
        work *= 2
    return ex.sets * (work + ex.rest_s) / 60


def session_minutes(exercises: list[PlanExercise], run_km: float, pace: float) -> int:
    return math.ceil(sum(minutes(e) for e in exercises) + run_km * pace)


# --- the week's frame ------------------------------------------------------------------------


def spread(days: list[date], n: int) -> list[date]:
    """n of the days, as evenly spaced as the list allows (deterministic)."""
    if n >= len(days):
        return list(days)
    return [days[round(i * len(days) / n)] for i in range(n)]


def pick_run_days(days: list[date], runs: int) -> tuple[list[date], date | None]:
    if runs <= 0 or not days:
        return [], None
    weekend = [d for d in days if WEEKDAYS[d.weekday()] in ("sun", "sat")]
    long_day = weekend[0] if weekend else days[-1]
    others = [d for d in days if d != long_day]
    chosen = sorted([*spread(others, runs - 1), long_day]) if runs > 1 else [long_day]
    return chosen, long_day if runs > 1 else None


def pick_strength_days(days: list[date], run_days: list[date], long_day: date | None, n: int):
    def score(d: date) -> tuple:
        before_long = long_day is not None and (long_day - d).days == 1
        return (d == long_day, before_long, d in run_days, d)

    chosen: list[date] = []
    for d in sorted(days, key=score):
        if len(chosen) == n:
            break
        if all(abs((d - c).days) > 1 for c in chosen) or len(days) <= n + 1:
            chosen.append(d)
    for d in sorted(days, key=score):  # too few non-adjacent days: take what is left
        if len(chosen) < n and d not in chosen:
            chosen.append(d)
    return sorted(chosen)


@dataclass
class Day:
    date: date
    budget: int
    sessions: list[PlanSession] = field(default_factory=list)

    def left(self) -> int:
        return self.budget - sum(s.minutes for s in self.sessions)


# --- the plan ----------------------------------------------------------------------------------


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
    last_sets: dict[str, int] = field(default_factory=dict)  # per exercise, last normal week
    notes: list[str] = field(default_factory=list)
    _bookends: dict[str, list[PlanExercise]] = field(default_factory=dict)

    def bookends(self, kind: str) -> list[PlanExercise]:
        """Warm-up and cool-down for a session kind (the same all plan long, so worked out once)."""
        if kind not in self._bookends:
            pref = self.cfg["bookends"]
            self._bookends[kind] = [
                dose(self.chooser.bookend(role, kind, pref), role, 0, False, self.cfg)
                for role in ("warmup", "cooldown")
            ]
        return list(self._bookends[kind])


@dataclass
class Week:
    """One week being built: its days' time budgets and the sessions placed so far."""

    ctx: Context
    index: int
    days: dict[date, Day]
    deload: bool
    step: int
    notes: list[str] = field(default_factory=list)
    caps: dict[int, float] = field(default_factory=dict)  # a session's own cap (brief mobility)

    @property
    def avail(self) -> list[date]:
        return list(self.days)

    def frame(self, d: date, kind: str, reason: str, cap: float = math.inf) -> PlanSession | None:
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

    def place(self, c: Choice, sessions: list[PlanSession], role: str, every: bool) -> bool:
        """Put the exercise in the sessions (all of them, or the first with room), cutting sets
        before giving up on a session."""
        placed = False
        top = c.exercise.dose.sets
        if self.deload:  # −30 % of what the last normal week actually held
            top = deload_sets(self.ctx.last_sets.get(c.exercise.id, top), self.ctx.cfg)
        for s in sessions:
            allowed = min(self.caps.get(id(s), math.inf), s.minutes + self.days[s.date].left())
            for sets in range(top, 0, -1):
                ex = dose(c, role, self.step, self.deload, self.ctx.cfg, sets)
                trial = [*s.exercises[:-1], ex, s.exercises[-1]]
                total = session_minutes(trial, s.run_km, self.ctx.pace)
                if total <= allowed:
                    s.exercises, s.minutes, placed = trial, total, True
                    break
            if placed and not every:
                return True
        return placed

    def sessions(self) -> list[PlanSession]:
        return [s for d in self.avail for s in self.days[d].sessions]


def fill(target: float, weights: dict[date, float], caps: dict[date, float]) -> dict[date, float]:
    """Share `target` by weight; what a capped run cannot take goes to the others."""
    out: dict[date, float] = {}
    free = dict(weights)
    left = target
    while free and left > 1e-9:
        total = sum(free.values())
        share = {d: left * w / total for d, w in free.items()}
        capped = {d for d, km in share.items() if km >= caps[d]}
        if not capped:
            out.update(share)
            break
        for d in capped:
            out[d] = caps[d]
            left -= caps[d]
            del free[d]
    return {d: out.get(d, 0.0) for d in weights}


def plan_runs(
    week: Week,
    target_km: float,
    history: list[tuple[date, float]],
    run_days: list[date],
    long_day: date | None,
    reserve: dict[date, int],
) -> None:
    """Place the week's runs within each day's time less `reserve`.

    No run may pass 110 % of the longest run of the previous 30 days (counting only runs before
    this week, which can only make the cap stricter); each run taken is added to `history`.
    """
    ctx, cfg = week.ctx, week.ctx.cfg
    prot, runs_cfg = cfg["protocol"], cfg["runs"]
    n_quality = 0 if week.deload else cfg["levels"]["quality"][ctx.level]
    n_quality = max(0, min(n_quality, len(run_days) - 2))
    kinds = {d: "long_run" if d == long_day else "easy_run" for d in run_days}
    easy_days = [d for d in run_days if kinds[d] == "easy_run"]
    quality_order = ["tempo", "intervals"] if week.index % 2 else ["intervals", "tempo"]
    for d, kind in zip(spread(easy_days, n_quality), quality_order, strict=False):
        kinds[d] = kind
    shares = {
        "long_run": runs_cfg["long_share"],
        "tempo": runs_cfg["quality_share"],
        "intervals": runs_cfg["quality_share"],
    }
    fixed = sum(shares.get(k, 0) for k in kinds.values())
    n_easy = sum(1 for k in kinds.values() if k == "easy_run")
    shares["easy_run"] = max(0.0, 1 - fixed) / n_easy if n_easy else 0.0
    window = prot["single_run_window_days"]
    spike: dict[date, float] = {}
    timed: dict[date, float] = {}
    for d in run_days:
        recent = [km for when, km in history if 0 < (d - when).days <= window]
        spike[d] = prot["single_run_cap"] * max(recent, default=0.0)
        room = week.days[d].budget - reserve.get(d, 0)
        timed[d] = max(0.0, room - session_minutes(ctx.bookends(kinds[d]), 0, ctx.pace)) / ctx.pace
    caps = {d: min(spike[d], timed[d]) for d in run_days}
    planned = fill(target_km, {d: shares[kinds[d]] for d in run_days}, caps)
    step_km = runs_cfg["round_km"]
    for d in run_days:
        kind = kinds[d]
        km = math.floor(planned[d] / step_km + 1e-9) * step_km
        if km < runs_cfg["min_run_km"]:
            week.notes.append(f"{d:%a %d %b}: no run, too little time or recent distance for one.")
            continue
        if planned[d] >= caps[d] - 1e-9 and caps[d] < target_km * shares[kind]:
            cap = (
                "110 % of the longest run of the previous 30 days"
                if spike[d] <= timed[d]
                else f"the {ctx.profile.minutes_per_day} minutes available"
            )
            why = f"{km:g} km, capped by {cap}."
        else:
            why = f"{km:g} km of the week's {target_km:.1f} km."
        exercises = ctx.bookends(kind)
        week.days[d].sessions.append(
            PlanSession(
                date=d,
                kind=kind,
                minutes=session_minutes(exercises, km, ctx.pace),
                run_km=km,
                exercises=exercises,
                reason=f"{_KIND_WHY[kind]} {why}",
            )
        )
    history.extend((s.date, s.run_km) for s in week.sessions() if s.run_km)


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
        note = (
            f"{label(f).capitalize()} is not targeted: every exercise for it that fits the "
            "equipment loads a painful region. See a clinician, then reassess."
        )
        if note not in ctx.notes:
            ctx.notes.append(note)
    groups: dict[str, list[Choice]] = {"mobility": [], "strength": [], "drill": []}
    seen: set[str] = set()
    for c in choices:
        if c.exercise.id in seen:
            continue
        seen.add(c.exercise.id)
        if "run_drill" in c.exercise.roles and c.targets[0] in FORM_FINDINGS:
            groups["drill"].append(c)
        elif c.exercise.category == "mobility" or c.targets[0] in MOBILITY_FINDINGS:
            groups["mobility"].append(c)
        else:
            groups["strength"].append(c)
    index = ctx.chooser.index
    for kind in ("strength", "mobility"):
        for ex_id in ctx.cfg["general"][kind]:
            ex = index.get(ex_id)
            if ex is None or ex.id in seen or not ctx.chooser.fits(ex):
                continue
            ex, why = ctx.chooser.safe(ex, f"general {kind} for runners (coaching convention)")
            if ex.id not in seen:
                seen.add(ex.id)
                groups[kind].append(Choice(ex, [], why.capitalize()))
    return groups


def content_minutes(ctx: Context, choices: list[Choice], kind: str) -> int:
    exercises = [*ctx.bookends(kind), *(dose(c, "main", 0, False, ctx.cfg) for c in choices)]
    return session_minutes(exercises, 0, ctx.pace)


def plan_movement(
    week: Week,
    groups: dict[str, list[Choice]],
    run_days: list[date],
    strength_days: list[date],
    reassess: date | None,
) -> None:
    """Strength, mobility, drills and the reassessment, fitted into the time left each day.

    Finding work is placed before general work, so when time is short the findings keep it.
    """
    cfg = week.ctx.cfg
    sess = cfg["sessions"]
    avail = week.avail
    n = len(strength_days)
    strength = [
        s
        for d in strength_days
        if week.days[d].left() >= sess["strength_min_min"]
        and (s := week.frame(d, "strength", f"Strength follows mobility ({n}× this week)."))
    ]
    if reassess is not None:
        s = week.frame(
            reassess, "reassessment", "Reassess the screens: the next block is rebuilt from them."
        )
        if s is not None:
            s.minutes = max(s.minutes, min(sess["reassessment_min"], week.caps[id(s)]))
    mobility = [
        s
        for d in avail
        if d not in strength_days
        and week.days[d].left() >= sess["mobility_block_min_min"]
        and (
            s := week.frame(
                d,
                "mobility",
                "Brief, frequent mobility: a few minutes most days.",
                sess["mobility_block_max_min"],
            )
        )
    ]
    runs = [s for d in run_days for s in week.days[d].sessions if s.kind in ("easy_run", "tempo")]
    runs = runs or [s for d in run_days for s in week.days[d].sessions if s.kind in RUN_KINDS]

    unplaced: list[tuple[Choice, str]] = []
    for c in groups["strength"]:
        if c.targets and not week.place(c, strength, "main", every=True):
            unplaced.append((c, "main"))
    mob = [c for c in groups["mobility"] if c.targets]
    for i, c in enumerate(mob):
        k = i % len(mobility) if mobility else 0
        if not week.place(c, mobility[k:] + mobility[:k], "main", every=False):
            unplaced.append((c, "main"))
    for c in groups["drill"]:
        if not week.place(c, runs, "drill", every=False):
            unplaced.append((c, "drill"))
    anywhere = [s for s in week.sessions() if s.kind != "reassessment"]
    for c, role in unplaced:
        if not week.place(c, anywhere, role, every=False):
            missing = ", ".join(map(label, c.targets))
            week.notes.append(f"Not enough time this week for {c.exercise.name} ({missing}).")
    # Room left: general strength, then mobility repeated in every block (brief and frequent).
    if not week.deload:  # a deload week does not refill the time it frees
        for c in groups["strength"]:
            if not c.targets:
                week.place(c, strength, "main", every=True)
    for s in mobility:
        for c in groups["mobility"]:
            if c.exercise.id not in {e.id for e in s.exercises}:
                week.place(c, [s], "main", every=False)
    for d in avail:  # a strength or mobility frame that received nothing is not a session
        week.days[d].sessions = [
            s
            for s in week.days[d].sessions
            if s.kind not in ("mobility", "strength") or len(s.exercises) > 2
        ]


def build_plan(
    findings: list[Finding],
    profile: AthleteProfile,
    options: PlanOptions,
    lib: Library | None = None,
    cfg: dict[str, Any] | None = None,
) -> Plan:
    """The plan for a runner: same inputs, same plan."""
    lib = lib or load_library()
    cfg = cfg or load_config()
    if not profile.available_days:
        raise PlanError("athlete.available_days: choose at least one training day")
    ranked = sorted(
        (f for f in findings if f.severity in ("moderate", "high") and f.id != "pain_flag"),
        key=lambda f: -SEVERITY_RANK[f.severity],
    )
    active = [f.id for f in ranked]
    pain = pain_regions(findings)
    lv = level(profile, cfg)
    pace = options.easy_pace_min_per_km or cfg["runs"]["easy_pace"][lv]
    notes = [
        f"Run times assume an easy pace of {pace:g} min/km ({lv} default unless set)."
        if not options.easy_pace_min_per_km
        else f"Run times assume an easy pace of {pace:g} min/km.",
        f"Deload every {options.deload_every} weeks (run volume and strength sets −30 %); "
        f"reassessment every {options.reassess_every} weeks.",
    ]
    info = [f.id for f in findings if f.severity == "info"]
    if info:
        notes.append("Info findings are not targeted: " + ", ".join(map(label, info)) + ".")
    for region, why in pain.items():
        notes.append(f"{region.replace('_', ' ')}: easier variants only, because of {why}.")
    ramp = options.ramp_pct / 100
    if LOWER_LIMB & set(pain) and ramp > 0:
        ramp = 0.0
        notes.append("Run volume is held, not ramped, while lower-limb pain is flagged.")
    runs_per_week = min(profile.runs_per_week, len(profile.available_days))
    longest = profile.longest_run_km
    if profile.weekly_km <= 0 or runs_per_week == 0:
        runs_per_week = 0
        notes.append("No current running recorded: the plan holds movement work only.")
    elif longest <= 0:
        longest = profile.weekly_km / runs_per_week
        notes.append(f"No longest recent run given: {longest:.1f} km (an average run) assumed.")
    ctx = Context(
        profile=profile,
        options=options,
        cfg=cfg,
        chooser=Chooser(lib, set(profile.equipment), pain, active),
        active=active,
        severity={f.id: f.severity for f in ranked},
        level=lv,
        runs_per_week=runs_per_week,
        ramp=ramp,
        pace=pace,
    )
    sess = cfg["sessions"]
    history: list[tuple[date, float]] = [(options.start - timedelta(days=1), longest)]
    last_normal = profile.weekly_km
    groups_by_block: dict[int, dict[str, list[Choice]]] = {}
    weeks: list[PlanWeek] = []
    for w in range(1, options.weeks + 1):
        deload = w % options.deload_every == 0
        block = (w - 1) // options.reassess_every
        block_start = block * options.reassess_every + 1
        step = sum(1 for i in range(block_start, w) if i % options.deload_every)
        first = options.start + timedelta(weeks=w - 1)
        dates = [first + timedelta(days=i) for i in range(7)]
        days = {
            d: Day(d, profile.minutes_per_day)
            for d in dates
            if WEEKDAYS[d.weekday()] in profile.available_days
        }
        week = Week(ctx, w, days, deload, step)
        target = 0.0
        if runs_per_week:
            cut = cfg["protocol"]["deload_cut"]
            grown = profile.weekly_km if w == 1 else last_normal * (1 + ctx.ramp)
            target = last_normal * (1 - cut) if deload else grown
        avail = list(days)
        run_days, long_day = pick_run_days(avail, runs_per_week)
        n_strength = sess["strength_sessions"] if len(avail) >= 3 else 1
        strength_days = pick_strength_days(avail, run_days, long_day, n_strength)
        reassess = None
        if w % options.reassess_every == 0 and avail:
            reassess = max(avail, key=lambda d: (d != long_day, d not in strength_days, d))
        if block not in groups_by_block:
            groups_by_block[block] = choose(ctx, block)
        groups = groups_by_block[block]
        strength_need = min(
            sess["strength_reserve_min"],
            max(sess["strength_min_min"], content_minutes(ctx, groups["strength"], "strength")),
        )
        mobility_need = min(
            sess["mobility_block_max_min"],
            max(
                sess["mobility_block_min_min"],
                content_minutes(ctx, groups["mobility"][:1], "mobility"),
            ),
        )
        reserve = {d: mobility_need for d in avail}
        for d in strength_days:
            reserve[d] = strength_need
        if reassess is not None:
            reserve[reassess] += sess["reassessment_min"]
        reserve = {d: min(r, profile.minutes_per_day) for d, r in reserve.items()}
        plan_runs(week, target, history, run_days, long_day, reserve)
        plan_movement(week, groups, run_days, strength_days, reassess)
        sessions = sorted(week.sessions(), key=lambda s: (s.date, _ORDER[s.kind]))
        run_km = round(sum(s.run_km for s in sessions), 1)
        if not deload:
            ctx.last_sets = {}
            for s in sessions:
                for e in s.exercises:
                    if e.role == "main":
                        ctx.last_sets[e.id] = max(e.sets, ctx.last_sets.get(e.id, 0))
        if not deload and runs_per_week:
            last_normal = run_km  # the ramp grows from what was actually planned
        weeks.append(
            PlanWeek(index=w, deload=deload, run_km=run_km, sessions=sessions, notes=week.notes)
        )
    if runs_per_week and weeks[0].run_km < profile.weekly_km - 1:
        notes.append(
            f"Week 1 holds {weeks[0].run_km:g} of the current {profile.weekly_km:g} km: the runs "
            "must fit the days and minutes available next to strength and mobility work."
        )
    return Plan(start=options.start, weeks=weeks, notes=notes + ctx.notes, pace_min_per_km=pace)


_KIND_WHY = {
    "easy_run": "Easy run, conversational pace, drills inside:",
    "long_run": "Long steady run to apply the new patterns:",
    "tempo": "Tempo: a shorter quality run at comfortably hard effort:",
    "intervals": "Intervals: short fast repeats with easy jogs:",
}
_ORDER = {
    k: i
    for i, k in enumerate(
        [
            "mobility",
            "reassessment",
            "strength",
            "drills",
            "easy_run",
            "tempo",
            "intervals",
            "long_run",
        ]
    )
}
