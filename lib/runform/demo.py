"""A believable demo team: varied runners with a few assessments each over recent months.

Deterministic for a given seed and day, so a coach's demonstration and the benchmarks see the same
team. Every record goes through the same models and rules as a real intake;
`services.seed` stores it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from runform import clock
from runform.compensations import assess
from runform.models import (
    AssessmentRecord,
    AthleteProfile,
    Goal,
    Intake,
    PainEntry,
    Plan,
    PlanOptions,
    RecentRace,
)
from runform.planning import build_plan
from runform.screens import load_catalogue
from runform.vocab import Equipment, Region, Weekday

FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Emma",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Lars",
    "Maya",
    "Nico",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Almeida",
    "Brennan",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fofana",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umar",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhang",
]
EVENTS = ["5 km", "10 km", "half marathon", "marathon", "trail 30 km"]
EQUIPMENT_SETS: list[list[Equipment]] = [
    [],
    ["band"],
    ["band", "mini_band"],
    ["band", "dumbbells", "box"],
    ["band", "dumbbells", "kettlebell", "box", "bench"],
    ["band", "mini_band", "dumbbells", "barbell", "box", "bench", "leg_press"],
]
DAY_SETS: list[list[Weekday]] = [
    ["mon", "wed", "fri", "sun"],
    ["tue", "thu", "sat", "sun"],
    ["mon", "tue", "thu", "sat", "sun"],
    ["mon", "wed", "thu", "sat"],
    ["tue", "wed", "fri", "sat", "sun"],
    ["mon", "tue", "wed", "thu", "fri", "sat"],
]
PAIN_REGIONS: list[Region] = [
    "knee",
    "calf",
    "hip",
    "lower_back",
    "ankle",
    "hamstring",
    "foot",
    "shin",
]

# Typical value and spread of each numeric screen in a recreational runner (for believable
# numbers only; the rules decide what is a finding).
TYPICAL = {
    "knee_to_wall_cm": (10.5, 2.5),
    "navicular_drop_mm": (7, 3),
    "hip_ir_deg": (34, 7),
    "hip_er_deg": (38, 7),
    "thoracic_rotation_deg": (48, 8),
    "trunk_flexor_s": (110, 35),
    "trunk_extensor_s": (130, 35),
    "side_plank_s": (70, 20),
    "single_leg_bridge_reps": (24, 7),
    "calf_raise_reps": (26, 8),
    "cadence_spm": (168, 7),
    "ground_contact_ms": (255, 25),
    "vertical_oscillation_cm": (8.6, 1.2),
}
HIGHER_IS_WORSE = {
    "navicular_drop_mm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "trunk_flexor_s",
}


def _snap(value: float, lo: float, hi: float, step: float) -> float:
    value = min(max(value, lo), hi)
    return round(round(value / step) * step, 2)


def _profile(rng: random.Random, i: int, today: date) -> AthleteProfile:
    event = rng.choice(EVENTS)
    weekly = rng.choice([20, 25, 30, 35, 40, 45, 55, 65])
    return AthleteProfile(
        name=f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}"
        + (f" {i // len(FIRST) + 1}" if i >= len(FIRST) else ""),
        birth_year=rng.randint(1968, 2004),
        sex=rng.choice(["female", "male", "female", "male", "other"]),
        running_years=rng.randint(1, 20),
        weekly_km=weekly,
        runs_per_week=min(6, max(3, weekly // 10)),
        longest_run_km=round(min(35.0, weekly * rng.uniform(0.25, 0.35)), 1),
        goal=Goal(event=event, date=today + timedelta(weeks=rng.randint(8, 30))),
        available_days=rng.choice(DAY_SETS),
        minutes_per_day=rng.choice([30, 40, 45, 60, 75]),
        equipment=rng.choice(EQUIPMENT_SETS),
    )


def _latest(profile: AthleteProfile, i: int, on: date, long_day: bool) -> AthleteProfile:
    """The profile at a runner's latest visit: a few have a recent race, a maximum heart rate or
    a long-run day with more time, so the demo plans show pace and heart-rate targets.

    Derived from the profile alone (no random draws), so the rest of the team stays as it was.
    """
    extra: dict = {}
    if i == 0:  # a 10 km race twelve days before the visit, in a time that fits the weekly km
        minutes = 72 - 0.5 * profile.weekly_km
        extra["recent_race"] = RecentRace(
            distance_km=10.0, time=_clock(minutes * 60 + 17), date=on - timedelta(days=12)
        )
        age = on.year - (profile.birth_year or 1990)
        extra["max_hr"] = round(208 - 0.7 * age)  # Tanaka et al. 2001
    elif i == 3:  # a parkrun
        minutes = 36 - 0.2 * profile.weekly_km
        extra["recent_race"] = RecentRace(
            distance_km=5.0, time=_clock(minutes * 60 + 42), date=on - timedelta(days=20)
        )
    if long_day:  # Saturday's long run, with more time on that day
        extra["long_run_day"] = "sat"
        extra["minutes_by_day"] = {"sat": min(150, profile.minutes_per_day + 45)}
    return profile.model_copy(update=extra) if extra else profile


def _clock(seconds: float) -> str:
    h, rest = divmod(round(seconds), 3600)
    return f"{h:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _screens(rng: random.Random, base: dict, progress: float) -> dict:
    """Screen values at a point on the athlete's trajectory (progress 0 = baseline, 1 = later)."""
    specs = load_catalogue().by_id()
    out: dict = {}
    for sid, (mean, drift) in base["numbers"].items():
        s = specs[sid]
        assert s.min is not None and s.max is not None  # a number screen has both bounds
        noise = TYPICAL[sid][1] * 0.08
        means = mean if s.bilateral else {None: mean}
        values = {
            side: _snap(m + drift * progress + rng.gauss(0, noise), s.min, s.max, s.step)
            for side, m in means.items()
        }
        out[sid] = values if s.bilateral else values[None]
    hinge = base["hinge"] + (1 if progress >= 1 and base["hinge"] < 3 and base["improving"] else 0)
    out["hip_hinge"] = hinge
    faults = base["faults"] if progress < 1 or not base["improving"] else {}
    out["single_leg_squat"] = {
        side: {f: f in faults.get(side, ()) for f in specs["single_leg_squat"].faults or []}
        for side in ("left", "right")
    }
    out["overstride"] = base["overstride"] and not (base["improving"] and progress >= 1)
    out["trunk_flexion"] = base["trunk_flexion"]
    return out


DEMO_COACHES = ("Sam Okafor", "Lena Berg")


def _assessor(runner: int, visit: int, visits: int) -> str:
    """Mostly one coach; every third runner's last visit by the other, so the demo shows both
    the same-assessor and the between-assessor figure (no random draw: the team stays the same)."""
    other = runner % 3 == 2 and visit == visits - 1
    return DEMO_COACHES[1] if other else DEMO_COACHES[0]


def build_team(
    n: int = 12, weeks: int = 16, seed: int = 7, today: date | None = None
) -> list[AssessmentRecord]:
    """Assessment records for `n` runners, each assessed two or three times within `weeks`."""
    today = today or clock.today()
    rng = random.Random(seed)
    records: list[AssessmentRecord] = []
    long_day_given = False
    for i in range(n):
        profile = _profile(rng, i, today)
        long_day = i > 0 and not long_day_given and "sat" in profile.available_days
        long_day_given = long_day_given or long_day
        improving = rng.random() < 0.6
        numbers = {}
        for sid, (mu, sd) in TYPICAL.items():
            centre = rng.gauss(mu, sd)
            sides = {
                "left": centre + rng.gauss(0, sd * 0.25),
                "right": centre + rng.gauss(0, sd * 0.25),
            }
            sign = -1 if sid in HIGHER_IS_WORSE else 1
            drift = sign * sd * (rng.uniform(0.3, 0.8) if improving else rng.uniform(-0.3, 0.1))
            bilateral = load_catalogue().by_id()[sid].bilateral
            numbers[sid] = (sides if bilateral else centre, drift)
        base = {
            "numbers": numbers,
            "improving": improving,
            "hinge": rng.choice([1, 2, 2, 3, 3]),
            "faults": {
                side: rng.sample(
                    ["knee_valgus", "pelvic_drop", "trunk_lean"], rng.choice([0, 0, 1, 2])
                )
                for side in ("left", "right")
            },
            "overstride": rng.random() < 0.4,
            "trunk_flexion": rng.random() < 0.2,
        }
        pain_region = rng.choice(PAIN_REGIONS) if rng.random() < 0.35 else None
        visits = rng.choice([2, 3, 3])
        span = max(weeks, visits) * 7
        for v in range(visits):
            on = today - timedelta(days=span - v * (span - 7) // (visits - 1) + rng.randint(0, 3))
            progress = v / max(visits - 1, 1)
            pain = []
            if pain_region:
                score = max(1, min(8, 5 + (v if not improving else -2 * v) + rng.randint(-1, 1)))
                pain.append(
                    PainEntry(
                        region=pain_region,
                        side=rng.choice(["left", "right"]),
                        score=score,
                        when="during_run",
                    )
                )
            athlete = _latest(profile, i, on, long_day) if v == visits - 1 else profile
            intake = Intake(
                athlete=athlete,
                assessed_on=on,
                pain=pain,
                screens=_screens(rng, base, progress),
                assessor=_assessor(i, v, visits),
            )
            records.append(AssessmentRecord(intake=intake, findings=assess(intake), mode="demo"))
    return records


RPE_BY_KIND = {
    "mobility": (2, 3),
    "strength": (5, 7),
    "drills": (3, 5),
    "easy_run": (3, 4),
    "long_run": (5, 6),
    "tempo": (6, 7),
    "intervals": (7, 8),
    "race": (8, 9),
    "cross_training": (3, 4),
    "reassessment": (2, 3),
}
PLAN_BLOCK_WEEKS = 12
EXERCISE_DETAIL_WEEKS = 16  # older logs keep the session figures only, so big teams stay quick
LAPSE_DAYS = 10  # one demo runner has logged nothing for this long (travelling, or lapsed)
WELLNESS_DIP_DAYS = 5  # the flaring runner's wellness dips over her last days


# A plan to build: (record, assessment id, options, the profile as planned, until)
PlanBlock = tuple[AssessmentRecord, int, PlanOptions, AthleteProfile, date]


def plan_blocks(visits: list[tuple[AssessmentRecord, int]], today: date) -> list[PlanBlock]:
    """The plans a runner gets, before any is built: one per assessment, repeated block by
    block until the next assessment (or today). Each is (record, assessment id, options, the
    profile as planned, until): a goal race already behind the block is left out of it.

    Known up front so the demo builder can reserve the plans' ids before their logs name them.
    """
    out: list[PlanBlock] = []
    for k, (rec, assessment_id) in enumerate(visits):
        on = rec.intake.assessed_on
        start = on + timedelta(days=7 - on.weekday())
        if k + 1 < len(visits):  # the next assessment's plan starts the Monday after it
            nxt = visits[k + 1][0].intake.assessed_on
            until = nxt + timedelta(days=7 - nxt.weekday())
        else:
            until = today
        block = 0
        while block == 0 or start + timedelta(weeks=block * PLAN_BLOCK_WEEKS) <= until:
            # each block is planned for its own dates, so a goal race falls where it is
            options = PlanOptions(
                weeks=PLAN_BLOCK_WEEKS, start=start + timedelta(weeks=block * PLAN_BLOCK_WEEKS)
            )
            athlete = rec.intake.athlete
            if athlete.goal and athlete.goal.date and athlete.goal.date < options.start:
                athlete = athlete.model_copy(update={"goal": None})  # that race is behind them
            out.append((rec, assessment_id, options, athlete, until))
            block += 1
    return out


def plans_for(
    blocks: list[PlanBlock], runs_so_far: list[tuple[date, float]]
) -> Iterator[tuple[Plan, PlanOptions, int, date]]:
    """A runner's `plan_blocks` built, each yielded before the next is built, so the runs the
    caller logs meanwhile (adding them to `runs_so_far`) count for the next plan's single-run
    spike, with the intake's longest run on its assessment day."""
    for rec, assessment_id, options, athlete, until in blocks:
        plan = build_plan(
            rec.findings,
            athlete,
            options,
            screens=rec.intake.screens,
            known_runs=runs_so_far,
            assessed_on=rec.intake.assessed_on,
        )
        yield plan, options, assessment_id, until


def log_rows(
    rng: random.Random,
    athlete_id: int,
    plan_id: int,
    plan,
    until: date,
    today: date,
    traits: dict,
    rows: dict[str, list],
) -> None:
    """Believable logs of one plan's sessions before `until` (and before today)."""
    detail_from = today - timedelta(weeks=EXERCISE_DETAIL_WEEKS)
    for w in plan.weeks:
        for pos, s in enumerate(w.sessions):
            if s.date >= min(until, today) or rng.random() > traits["adherence"]:
                continue
            if traits["lapsed"] and s.date > today - timedelta(days=LAPSE_DAYS):
                continue  # away: nothing logged lately, so the team board shows adherence
            lo, hi = RPE_BY_KIND[s.kind]
            rpe = min(
                10,
                rng.randint(lo, hi)
                + (1 if traits["flare"] and s.date > today - timedelta(weeks=3) else 0),
            )
            log_id = len(rows["logs"]) + 1
            km = round(s.run_km * rng.uniform(0.9, 1.08), 2) if s.run_km else 0.0
            run = s.run_km > 0
            cadence = (
                traits["cadence"]
                + traits["cadence_gain"] * ((s.date - traits["first_day"]).days / 365)
                + rng.gauss(0, 1.5)
                if run
                else None
            )
            long_run = s.kind == "long_run"
            rows["logs"].append(
                (
                    log_id,
                    athlete_id,
                    s.date,
                    s.kind,
                    plan_id,
                    1,
                    w.index,
                    pos,
                    round(s.minutes * rng.uniform(0.9, 1.1), 1),
                    float(rpe),
                    km,
                    round(min(229, max(121, cadence)), 1) if cadence is not None else None,
                    round(traits["gct"] + rng.gauss(0, 6), 1) if run else None,
                    round(min(14.9, max(3.1, traits["vo"] + rng.gauss(0, 0.3))), 2)
                    if run
                    else None,
                    round(traits["vo"] / traits["stride_m"] + rng.gauss(0, 0.2), 2)
                    if run
                    else None,
                    round(50 + rng.gauss(0, 0.8), 1) if run else None,
                    round(abs(rng.gauss(2.0 if long_run else 1.5, 0.5)), 2) if run else None,
                    round(rng.gauss(-3.0 if long_run else -1.0, 1.0), 2) if run else None,
                    round(rng.gauss(4.0 if long_run else 1.5, 1.5), 2) if run else None,
                    round(rng.gauss(3.0 if long_run else 1.0, 1.5), 2) if run else None,
                    "",
                )
            )
            if s.date >= detail_from:
                for i, e in enumerate(s.exercises):
                    if e.role not in ("main", "drill"):
                        continue
                    skipped = rng.random() < 0.05
                    rows["exercises"].append(
                        (
                            log_id,
                            i,
                            e.id,
                            0 if skipped else e.sets,
                            None if e.reps is None else e.reps + rng.choice([0, 0, 1, 2]),
                            e.seconds,
                            None,
                            float(rng.randint(5, 8)),
                            skipped,
                        )
                    )
            if traits["flare"] and run and s.date > today - timedelta(weeks=4):
                weeks_in = (s.date - (today - timedelta(weeks=4))).days / 7
                rows["pain"].append(
                    (
                        athlete_id,
                        log_id,
                        s.date,
                        traits["flare"],
                        "left",
                        min(8, int(3 + weeks_in * 1.2)),
                        "during_run",
                    )
                )
                rows["pain"].append(
                    (
                        athlete_id,
                        None,
                        s.date + timedelta(days=1),
                        traits["flare"],
                        "left",
                        min(7, int(1 + weeks_in)),
                        "next_morning",
                    )
                )


def wellness_rows(
    rng: random.Random, athlete_id: int, first: date, today: date, traits: dict, rows: list
) -> None:
    if not traits["wellness"]:
        return
    day = max(first, today - timedelta(weeks=EXERCISE_DETAIL_WEEKS))
    while day < today:
        if rng.random() < 0.8:
            # the dip is recent, so it stands below the good weeks before it (the flag's baseline)
            bad = traits["flare"] and day > today - timedelta(days=WELLNESS_DIP_DAYS)
            base = 3 if bad else 4
            items = [min(5, max(1, base + rng.choice([-1, 0, 0, 1]))) for _ in range(5)]
            rows.append(
                (athlete_id, day, round(rng.uniform(5.5, 8.5) - (1 if bad else 0), 1), *items)
            )
        day += timedelta(days=1)


def traits(rng: random.Random, k: int, n: int, first: Intake) -> dict:
    """How runner `k` of `n` trains in the demo: adherence, a flare-up (one runner), a lapse
    (another), cadence drift and whether they check in, from their first assessment."""
    flare_at, lapsed_at = min(2, n - 1), min(5, n - 1)
    screens = first.screens
    return {
        "adherence": rng.choice([0.95, 0.9, 0.8, 0.65, 0.5]),
        "flare": "knee" if k == flare_at else None,
        "lapsed": k == lapsed_at and k != flare_at,
        "cadence": screens.get("cadence_spm", 166),
        "cadence_gain": rng.uniform(0, 4),
        "gct": screens.get("ground_contact_ms", 250),
        "vo": screens.get("vertical_oscillation_cm", 8.5),
        "stride_m": 1.0,
        "first_day": first.assessed_on,
        "wellness": rng.random() < 0.75 or k == flare_at,
    }
