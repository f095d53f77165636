"""Structured runs: the steps a runner (or a watch) follows, with a target on every work step.

Targets are CR-10 RPE always (protocols §5), plus Daniels and Gilbert pace bands when a recent race
is known and an easy heart-rate band when the maximum heart rate is. Without a known pace, the
level's assumed easy pace times the steps (so a session's minutes and kilometres are honest) but is
never shown as a target. Limits and rep lengths come from data/planning.toml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from runform import paces
from runform.models import PlanSession, Step, StepTarget
from runform.vocab import RUN_KINDS, StepKind


@dataclass(frozen=True)
class Pacing:
    """What the runner's steps can aim at, and how fast each zone is for timing them."""

    cfg: dict[str, Any]
    known: dict[str, paces.PaceBand] | None  # from a recent race: shown as targets
    timing: dict[str, paces.PaceBand]  # always: used to turn distance into time and back
    max_hr: int | None
    race_vdot: float | None = None

    @classmethod
    def make(
        cls, cfg: dict[str, Any], easy_min_per_km: float, vdot: float | None, max_hr: int | None
    ) -> Pacing:
        timing = paces.zones(
            vdot if vdot is not None else paces.vdot_from_easy_pace(easy_min_per_km)
        )
        if vdot is None:  # keep the assumed easy pace exact for timing easy running
            e = round(easy_min_per_km * 60)
            timing = {**timing, "easy": (e, e)}
        return cls(cfg, paces.zones(vdot) if vdot is not None else None, timing, max_hr, vdot)

    def s_per_km(self, zone: str) -> float:
        fast, slow = self.timing[zone]
        return (fast + slow) / 2

    def target(self, zone: str, rpe_key: str | None = None) -> StepTarget:
        rpe = tuple(self.cfg["rpe"][rpe_key or zone])
        pace = self.known[zone] if self.known and zone in self.known else None
        hr = None
        if self.max_hr and zone == "easy":
            h = self.cfg["heart_rate"]
            hr = (
                round(self.max_hr * h["easy_min_share"]),
                round(self.max_hr * h["easy_max_share"]),
            )
        return StepTarget(rpe=rpe, pace_s_per_km=pace, hr_bpm=hr)


def structured_run(session: PlanSession) -> bool:
    """A run with steps: what a watch can follow (runform.watch writes these as workouts)."""
    return session.kind in RUN_KINDS and bool(session.steps)


@dataclass
class Workout:
    steps: list[Step]
    km: float
    minutes: float
    dropped: list[str] = field(
        default_factory=list
    )  # drills or strides the distance could not hold


class Builder:
    """Appends steps and keeps the running total of distance and time as it goes."""

    def __init__(self, p: Pacing) -> None:
        self.p, self.km, self.minutes = p, 0.0, 0.0
        self.steps: list[Step] = []

    def part(
        self,
        kind: StepKind,
        zone: str | None,
        note: str,
        *,
        rpe: str | None = None,
        duration_s: int | None = None,
        distance_m: int | None = None,
        times: int = 1,
    ) -> Step:
        """One step; `zone` None is walking (time, no distance); `times` counts it for totals."""
        p = self.p
        key = rpe or zone or "walk"
        target = (
            p.target(zone, rpe)
            if zone is not None and kind != "recover"
            else StepTarget(rpe=tuple(p.cfg["rpe"][key if zone is None else "easy"]))
        )
        rate = p.s_per_km(zone or "easy")
        if distance_m is not None:
            self.km += times * distance_m / 1000
            self.minutes += times * distance_m / 1000 * rate / 60
        elif duration_s is not None:
            self.minutes += times * duration_s / 60
            if zone is not None:
                self.km += times * duration_s / rate
        return Step(
            kind=kind, duration_s=duration_s, distance_m=distance_m, target=target, note=note
        )

    def add(self, *steps: Step) -> Builder:
        self.steps.extend(steps)
        return self

    def repeat(self, n: int, *steps: Step) -> Builder:
        self.steps.append(Step(kind="repeat", repeat=n, steps=list(steps)))
        return self

    def done(self, dropped: list[str] | None = None) -> Workout:
        return Workout(self.steps, self.km, self.minutes, dropped or [])


Extra = tuple[str, int, int | None, int | None, int, str]  # name, sets, seconds, reps, rest, note


def easy(
    km: float,
    p: Pacing,
    *,
    long: bool = False,
    extras: list[Extra] | None = None,
    strides_n: int = 0,
    run_walk: bool = False,
) -> Workout:
    """An easy or long run of `km`. Drills and cadence blocks (`extras`) sit after an easy
    start, strides near the end; run–walk while a lower-limb pain flag stands. What does not fit
    the distance is left out (strides first, then the last drills) and named in `dropped`."""
    b = Builder(p)
    rate = p.s_per_km("easy")
    rpe = "long" if long else "easy"
    cue = "long and steady, conversational" if long else "conversational: you can talk in sentences"
    extras = list(extras or [])
    dropped: list[str] = []
    lead_s = 0 if run_walk else min(600, round(0.3 * km * rate))
    stride_km = _strides(b, strides_n) if strides_n else 0.0

    def running_km(xs: list[Extra]) -> float:  # timed drills run at easy pace, recoveries too
        jog = 0 if run_walk else 1  # (under run–walk the recoveries are walks)
        return sum(
            sets * (sec + jog * max(10, rest)) / rate for _, sets, sec, _, rest, _ in xs if sec
        )

    while extras or strides_n:
        if lead_s / rate + running_km(extras) + stride_km <= km - MIN_TAIL_KM:
            break
        if strides_n:
            dropped.append(f"{strides_n} strides")
            strides_n, stride_km = 0, 0.0
        else:
            dropped.append(extras.pop()[0])
    if extras or strides_n:
        if lead_s:
            b.add(b.part("warmup", "easy", "easy start", rpe=rpe, duration_s=lead_s))
        # under run–walk a drill's recovery is a walk, so no stretch of running gets longer
        between, between_zone = ("walk", None) if run_walk else ("easy running", "easy")
        for name, sets, seconds, reps, rest, note in extras:
            text = name + (f": {note}" if note else "")
            if seconds is not None and sets >= 2:
                b.repeat(
                    sets,
                    b.part("work", "easy", text, rpe=rpe, duration_s=seconds, times=sets),
                    b.part("recover", between_zone, between, duration_s=max(10, rest), times=sets),
                )
            elif seconds is not None:
                b.add(b.part("work", "easy", text, rpe=rpe, duration_s=seconds))
                b.add(b.part("recover", between_zone, between, duration_s=max(10, rest)))
            else:
                b.add(b.part("work", "easy", f"{text}: {sets} × {reps}, lap when done", rpe=rpe))
                b.minutes += sets * ((reps or 0) * 4 + rest) / 60
    tail_km = km - b.km - stride_km
    if run_walk:
        pain = p.cfg["pain_running"]
        run_s, walk_s = pain["run_walk_run_s"], pain["run_walk_walk_s"]
        reps = min(50, max(1, math.ceil(tail_km * rate / run_s - 1e-9)))
        limit = f"stop or walk if pain passes {pain['max_pain']}/10; it must settle by next morning"
        run = b.part("work", "easy", f"run easy: {limit}", rpe=rpe, duration_s=run_s, times=reps)
        walk = b.part("recover", None, "walk", duration_s=walk_s, times=reps)
        if reps >= 2:
            b.repeat(reps, run, walk)
        else:
            b.add(run, walk)
        return b.done(dropped)
    if extras or strides_n or long:
        b.add(b.part("work", "easy", cue, rpe=rpe, distance_m=max(1, round(tail_km * 1000))))
    else:
        b.add(b.part("work", "easy", cue, rpe=rpe, duration_s=max(60, round(km * rate))))
    if strides_n:
        _strides(b, strides_n, add=True)
    return b.done(dropped)


MIN_TAIL_KM = 0.5  # steady running left after drills and before strides (convention)


def walk_run(run_s: int, walk_s: int, reps: int, warmup_walk_s: int, p: Pacing) -> Workout:
    """A return-to-run stage (`runform.returntorun`): a brisk walk, then `reps` × (`run_s`
    easy running, `walk_s` walking), or `run_s` of continuous running when `walk_s` is 0. Every
    run step carries the return's pain limit (protocols §5)."""
    b = Builder(p)
    limit = (
        f"easy: stop and walk if pain passes {p.cfg['pain_running']['max_pain']}/10; "
        "it must settle by next morning"
    )
    if warmup_walk_s:
        b.add(b.part("warmup", None, "brisk walk", duration_s=warmup_walk_s))
    run = b.part("work", "easy", f"run {limit}", duration_s=run_s, times=reps)
    if walk_s and reps >= 2:
        b.repeat(reps, run, b.part("recover", None, "walk", duration_s=walk_s, times=reps))
    else:
        b.add(run)
    return b.done()


def _strides(b: Builder, n: int, add: bool = False) -> float:
    """Strides' distance; with `add`, append them (fast but relaxed, walk back)."""
    q = b.p.cfg["quality"]
    km = n * q["stride_s"] / b.p.s_per_km("repetition")
    if add:
        b.repeat(
            n,
            b.part(
                "work",
                "repetition",
                "stride: fast but relaxed",
                rpe="strides",
                duration_s=q["stride_s"],
                times=n,
            ),
            b.part("recover", None, "walk back", duration_s=q["stride_recover_s"], times=n),
        )
    return km


def strides_count(week_km: float, p: Pacing) -> int:
    """Strides for an easy run within Daniels' repetition limit (lesser of 8 km and 5 %)."""
    q = p.cfg["quality"]
    stride_km = q["stride_s"] / p.s_per_km("repetition")
    limit = min(q["repetition_max_km"], q["repetition_max_share"] * week_km)
    n = min(q["strides"], int(limit // stride_km))
    return n if n >= q["min_strides"] else 0


def _quality(p: Pacing) -> Builder:
    q = p.cfg["quality"]
    b = Builder(p)
    b.add(b.part("warmup", "easy", "", duration_s=q["warmup_min"] * 60))
    return b


def _cool(b: Builder) -> Workout:
    q = b.p.cfg["quality"]
    b.add(b.part("cooldown", "easy", "", duration_s=q["cooldown_min"] * 60))
    return b.done()


def threshold_work_km(week_km: float, p: Pacing) -> float:
    return p.cfg["quality"]["threshold_max_share"] * week_km


def threshold(week_km: float, p: Pacing) -> Workout | None:
    """Cruise intervals at threshold pace, at most 10 % of the week in the session (Daniels)."""
    q = p.cfg["quality"]
    work_min = threshold_work_km(week_km, p) * p.s_per_km("threshold") / 60
    rep, jog = q["threshold_rep_min"], q["threshold_jog_min"]
    n = min(6, int(work_min // rep))
    b = _quality(p)
    if n >= 2:
        b.repeat(
            n,
            b.part("work", "threshold", "comfortably hard", duration_s=rep * 60, times=n),
            b.part("recover", "easy", "jog", duration_s=jog * 60, times=n),
        )
    elif work_min >= q["threshold_min_work_min"]:
        b.add(b.part("work", "threshold", "comfortably hard", duration_s=int(work_min) * 60))
    else:
        return None
    return _cool(b)


def interval_work_km(week_km: float, p: Pacing) -> float:
    q = p.cfg["quality"]
    return min(q["interval_max_km"], q["interval_max_share"] * week_km)


def intervals(week_km: float, p: Pacing) -> Workout | None:
    """Repeats at interval pace: at most the lesser of 10 km and 8 % of the week (Daniels)."""
    q = p.cfg["quality"]
    work_m = interval_work_km(week_km, p) * 1000
    for rep in q["interval_reps_m"]:
        n = min(20, int(work_m // rep))
        if n >= q["interval_min_reps"]:
            jog = round(rep * q["interval_jog_share"])
            b = _quality(p)
            b.repeat(
                n,
                b.part("work", "interval", "hard but controlled", distance_m=rep, times=n),
                b.part("recover", "easy", "jog", distance_m=jog, times=n),
            )
            return _cool(b)
    return None


def fartlek(p: Pacing) -> Workout:
    """Beginners' quality before structured intervals: short relaxed surges (convention)."""
    q = p.cfg["quality"]
    n = q["fartlek_reps"]
    b = _quality(p)
    b.repeat(
        n,
        b.part("work", "threshold", "faster, still relaxed", duration_s=q["fartlek_on_s"], times=n),
        b.part("recover", "easy", "easy running", duration_s=q["fartlek_off_s"], times=n),
    )
    return _cool(b)


def race(distance_km: float, p: Pacing) -> Workout:
    """The race: RPE always; the predicted time from a recent race (Daniels and Gilbert)."""
    b = Builder(p)
    if distance_km < p.cfg["periodisation"]["marathon_from_km"]:
        b.add(b.part("warmup", "easy", "easy jog and a few strides", duration_s=600))
    note = "race"
    seconds = distance_km * p.s_per_km("marathon")
    if p.race_vdot is not None:
        seconds = paces.race_seconds(p.race_vdot, distance_km)
        note = (
            f"race: predicted {paces.clock(seconds)} ({paces.pace_text(seconds / distance_km)} "
            "/km) from your recent race"
        )
    b.add(
        Step(
            kind="work",
            distance_m=round(distance_km * 1000),
            target=StepTarget(rpe=tuple(p.cfg["rpe"]["race"])),
            note=note,
        )
    )
    b.km += distance_km
    b.minutes += seconds / 60
    return b.done()


def cross_training(minutes: int, p: Pacing) -> Workout:
    b = Builder(p)
    b.add(
        Step(
            kind="work",
            duration_s=minutes * 60,
            target=StepTarget(rpe=tuple(p.cfg["rpe"]["cross_training"])),
            note="bike, elliptical, pool running or swim; pain-free",
        )
    )
    b.minutes += minutes
    return b.done()


def flat(steps: list[Step]) -> list[Step]:
    """The steps as run, repeats unrolled."""
    return [c for s in steps for c in ((s.steps * (s.repeat or 1)) if s.kind == "repeat" else [s])]


def steps_minutes(steps: list[Step], easy_min_per_km: float) -> float:
    """Time a list of steps takes: distance at the step's pace target (else easy pace)."""
    total = 0.0
    for s in flat(steps):
        if s.duration_s is not None:
            total += s.duration_s / 60
        elif s.distance_m is not None:
            band = s.target.pace_s_per_km if s.target else None
            rate = sum(band) / 2 / 60 if band else easy_min_per_km
            total += s.distance_m / 1000 * rate
    return total


def resize(steps: list[Step], old_km: float, new_km: float, easy_min_per_km: float) -> list[Step]:
    """A run made longer or shorter by a coach: its longest steady part (easy running, warm-up
    or cool-down) stretches, so reps and targets stay as planned; run–walk changes its count."""
    delta = new_km - old_km
    if abs(delta) < 1e-9 or not steps:
        return steps

    def size(s: Step) -> float:
        if s.distance_m is not None:
            return s.distance_m / 1000
        return (s.duration_s or 0) / 60 / easy_min_per_km

    parts = [
        i
        for i, s in enumerate(steps)
        if s.kind in ("work", "warmup", "cooldown") and (s.distance_m or s.duration_s)
    ]
    if not parts:
        rep = steps[0]
        if rep.kind == "repeat" and old_km > 0:
            n = max(2, min(50, round((rep.repeat or 2) * new_km / old_km)))
            return [rep.model_copy(update={"repeat": n}), *steps[1:]]
        return steps
    i = max(parts, key=lambda k: size(steps[k]))
    s = steps[i]
    if s.distance_m is not None:
        new = s.model_copy(update={"distance_m": max(100, round(s.distance_m + delta * 1000))})
    else:
        secs = round((s.duration_s or 0) + delta * easy_min_per_km * 60)
        new = s.model_copy(update={"duration_s": max(60, secs)})
    return [*steps[:i], new, *steps[i + 1 :]]


def easy_instead(km: float, easy_min_per_km: float, rpe: tuple[float, float]) -> list[Step]:
    """A quality run turned easy (illness, a niggle): one easy step of the same distance."""
    return [
        Step(
            kind="work",
            duration_s=max(60, round(km * easy_min_per_km * 60)),
            target=StepTarget(rpe=rpe),
            note="conversational: you can talk in sentences",
        )
    ]
