"""Property tests for the plan builder: the plan contract of shared/protocols.md §5 (and the load
rules of §3 it builds on), over random profiles, findings, screens and options.

Every test names the rule it holds. Numbers come from data/planning.toml (the coach's tables), read
here with the planner's own loader, so a coach who changes a convention changes the test with it;
the computations themselves (caps, paces, work distances) are redone here from the protocol, not
borrowed from the planner.

Where the planner breaks a rule the test stays, marked xfail(strict=True) with the reason and the
minimal example hypothesis found as an @example (so it fails every run, not only when the search
happens on it); examples of bugs since fixed stay as regression @examples of their tests.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from runform import paces, planning, workouts
from runform.exercises import by_id, load_library
from runform.models import (
    AthleteProfile,
    Evidence,
    Finding,
    Goal,
    Plan,
    PlanOptions,
    PlanSession,
    PlanWeek,
    RecentRace,
    Step,
)
from runform.vocab import EQUIPMENT, FINDING_IDS, HARD_KINDS, REGIONS, RUN_KINDS, WEEKDAYS

LIB = load_library()
INDEX = by_id(LIB)
CFG = planning.load_config()
EASIER_TARGETS = {ex.easier for ex in LIB.exercises}
TARGETABLE = [f for f in FINDING_IDS if f != "pain_flag"]
BOOKEND_ROLES = {"warmup", "cooldown"}
LOWER_LIMB_REGIONS = sorted(planning.LOWER_LIMB)
NORMAL_PHASES = ("base", "build", "peak")
QUALITY_KINDS = ("tempo", "intervals")
EVENTS = {"5k": 5.0, "10 km": 10.0, "half marathon": 21.0975, "marathon": 42.195}
METRONOME = CFG["prefer"]["overstriding"]
CALF_GATE = 25  # §5 capacity before impact: 25 single-leg heel raises on both sides
RACE_DAY = date(2020, 5, 3)  # recent races: always in the past, whatever day the suite runs on

# Each property builds one plan of up to 24 weeks per example; these counts keep the whole file
# well under two minutes while every property still sees goals, races, pain and short days.
PROPERTY = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies ----------------------------------------------------------------------------------


@dataclass
class Case:
    findings: list[Finding]
    profile: AthleteProfile
    options: PlanOptions
    screens: dict[str, Any] = field(default_factory=dict)


def weekday_sets(min_size: int = 1) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(WEEKDAYS), min_size=min_size, max_size=7, unique=True)


def km(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 1))


def pain_finding(region: str) -> Finding:
    return Finding(
        id="pain_flag",
        severity="high",
        side="left",
        evidence=[Evidence(screen=f"pain.{region}", value=5, threshold="≥ 4/10", side="left")],
        explanation="Pain of 4/10 or more: refer first.",
        source="test",
    )


def finding(fid: str, severity: str = "moderate", side: str | None = None) -> Finding:
    return Finding(
        id=fid,
        severity=severity,
        side=side,
        evidence=[Evidence(screen="screen", value=1, threshold="test threshold", side=side)],
        explanation=f"{fid} for a test",
        source="test",
    )


@st.composite
def finding_lists(
    draw: st.DrawFn,
    pain: bool | None = None,
    regions: list[str] | None = None,
    must: tuple[str, ...] = (),
) -> list[Finding]:
    """Distinct targetable findings (those in `must` at moderate or high), optionally a pain_flag
    (always when pain=True, never when pain=False) in one of `regions`."""
    ids = draw(st.lists(st.sampled_from([f for f in TARGETABLE if f not in must]), unique=True))
    out = [
        finding(
            fid,
            draw(st.sampled_from(["info", "moderate", "high"])),
            draw(st.sampled_from([None, "left", "right", "both"])),
        )
        for fid in ids
    ]
    out += [finding(fid, draw(st.sampled_from(["moderate", "high"]))) for fid in must]
    if pain if pain is not None else draw(st.booleans()):
        out.append(pain_finding(draw(st.sampled_from(regions or list(REGIONS)))))
    return out


@st.composite
def goals(draw: st.DrawFn, options: PlanOptions, where: str | None = None) -> Goal | None:
    """A goal race: no goal, no date, inside the plan window or after it (never before the
    start: that is refused, see test_goal_before_the_start_is_refused)."""
    where = where or draw(st.sampled_from(["none", "undated", "inside", "inside", "after"]))
    if where == "none":
        return None
    event = draw(st.sampled_from([*EVENTS, "trail race"]))
    distance = None
    if event == "trail race":
        distance = draw(st.none() | km(5, 80).filter(lambda x: x >= 5))
    if where == "undated":
        day = None
    elif where == "inside":
        day = options.start + timedelta(days=draw(st.integers(0, 7 * options.weeks - 1)))
    else:
        end = options.start + timedelta(weeks=options.weeks)
        day = end + timedelta(days=draw(st.integers(0, 7 * 12)))
    return Goal(event=event, date=day, distance_km=distance)


@st.composite
def recent_races(draw: st.DrawFn) -> RecentRace:
    """A race time that is always possible: predicted from a VDOT of 30–70 (Daniels–Gilbert)."""
    distance = draw(st.sampled_from([3.0, 5.0, 10.0, 15.0, 21.0975, 42.195]))
    vdot = draw(st.floats(30, 70))
    seconds = round(paces.race_seconds(vdot, distance))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return RecentRace(distance_km=distance, time=f"{h}:{m:02d}:{s:02d}", date=RACE_DAY)


@st.composite
def screen_sets(draw: st.DrawFn, calf: tuple[int, int] = (0, 40)) -> dict[str, Any]:
    screens: dict[str, Any] = {}
    if draw(st.booleans()):
        screens["calf_raise_reps"] = {
            "left": draw(st.integers(*calf)),
            "right": draw(st.integers(*calf)),
        }
    if draw(st.booleans()):
        screens["cadence_spm"] = draw(st.integers(140, 200))
    return screens


@st.composite
def plan_options(draw: st.DrawFn) -> PlanOptions:
    return PlanOptions(
        weeks=draw(st.integers(4, 24)),
        start=draw(st.dates(date(2026, 1, 1), date(2027, 12, 31))),
        deload_every=draw(st.integers(2, 6)),
        ramp_pct=float(draw(st.integers(0, 30))),
        reassess_every=draw(st.integers(2, 12)),
        easy_pace_min_per_km=draw(st.none() | st.none() | st.none() | st.sampled_from([5.0, 6.5])),
    )


@st.composite
def profiles(
    draw: st.DrawFn,
    options: PlanOptions,
    min_days: int = 1,
    min_minutes: int = 20,
    goal: str | None = None,
    running: bool = False,
) -> AthleteProfile:
    """A runner (most of the time: a few run nothing), short days and long ones."""
    days = draw(weekday_sets(min_days))
    by_day = draw(
        st.dictionaries(st.sampled_from(days), st.integers(max(10, min_minutes), 240))
        if draw(st.booleans())
        else st.just({})
    )
    runs = running or draw(st.integers(0, 4)) > 0
    weekly = draw(km(5, 100)) if runs else draw(st.sampled_from([0.0, 10.0, 30.0]))
    n_runs = draw(st.integers(2, 7)) if runs else draw(st.integers(0, 7))
    # the longest recent run: none given, any, or in proportion to the runner's average run
    average = weekly / n_runs if n_runs else 0.0
    longest = draw(
        st.just(0.0)
        | km(0, 35)
        | st.floats(1.0, 2.5).map(lambda f: round(min(250, f * average), 1))
    )
    return AthleteProfile(
        name="Runner",
        available_days=days,
        minutes_per_day=draw(
            st.integers(min_minutes, max(min_minutes, 60)) | st.integers(max(45, min_minutes), 150)
        ),
        minutes_by_day=by_day,
        long_run_day=draw(st.none() | st.sampled_from(days)),
        weekly_km=weekly,
        runs_per_week=n_runs,
        longest_run_km=longest,
        equipment=draw(st.lists(st.sampled_from(EQUIPMENT), unique=True)),
        running_years=draw(st.none() | st.integers(0, 20).map(float)),
        goal=draw(goals(options, goal)),
        recent_race=draw(st.none() | recent_races()),
        max_hr=draw(st.none() | st.integers(150, 210)),
    )


@st.composite
def cases(
    draw: st.DrawFn,
    pain: bool | None = None,
    regions: list[str] | None = None,
    must: tuple[str, ...] = (),
    min_days: int = 1,
    min_minutes: int = 20,
    goal: str | None = None,
    running: bool = False,
    calf: tuple[int, int] = (0, 40),
) -> Case:
    options = draw(plan_options())
    return Case(
        findings=draw(finding_lists(pain, regions, must)),
        profile=draw(profiles(options, min_days, min_minutes, goal, running)),
        options=options,
        screens=draw(screen_sets(calf)),
    )


# --- helpers -------------------------------------------------------------------------------------


def build(case: Case) -> Plan:
    return planning.build_plan(case.findings, case.profile, case.options, screens=case.screens)


def run_sessions(plan: Plan) -> list[PlanSession]:
    return [s for _, s in plan.sessions() if s.kind in RUN_KINDS]


def minutes_on(profile: AthleteProfile, d: date) -> int:
    day = WEEKDAYS[d.weekday()]
    return profile.minutes_by_day.get(day, profile.minutes_per_day)


def runs_at_all(profile: AthleteProfile) -> bool:
    """The planner plans running only for a runner who runs (weekly km and runs a week)."""
    return profile.weekly_km > 0 and min(profile.runs_per_week, len(profile.available_days)) > 0


def assumed_longest(profile: AthleteProfile) -> float:
    """§3: the intake's longest recent run; when none is given, an average run (weekly km ÷ runs
    a week), both counted as run the day before the start."""
    if profile.longest_run_km > 0:
        return profile.longest_run_km
    n = min(profile.runs_per_week, len(profile.available_days))
    return profile.weekly_km / n if n and profile.weekly_km > 0 else 0.0


def lower_limb_pain(findings: list[Finding]) -> bool:
    return bool(planning.LOWER_LIMB & set(planning.pain_regions(findings)))


def active_findings(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings if f.severity in ("moderate", "high") and f.id != "pain_flag"]


def goal_km(profile: AthleteProfile) -> float | None:
    return profile.goal.km() if profile.goal else None


def race_date(case: Case) -> date | None:
    """The goal date when it falls inside the plan and the goal has a distance."""
    g = case.profile.goal
    end = case.options.start + timedelta(weeks=case.options.weeks, days=-1)
    if g is None or g.date is None or goal_km(case.profile) is None or g.date > end:
        return None
    return g.date


def week_index(case: Case, d: date) -> int:
    return (d - case.options.start).days // 7 + 1


def expected_long_weekday(profile: AthleteProfile) -> str:
    """§1 long_run_day, default the weekend day available (Sunday first), else the last day."""
    if profile.long_run_day:
        return profile.long_run_day
    for d in ("sun", "sat"):
        if d in profile.available_days:
            return d
    return max(profile.available_days, key=WEEKDAYS.index)


def long_run_cap(distance: float | None, pace_min_per_km: float) -> float:
    """§5 long-run caps by goal (convention): 5k 12, 10k 16, half 22, marathon 35 km or 3 h at
    the plan's easy pace, whichever comes first; a goal between two distances takes the longer
    distance's cap; no goal distance: the configured no-goal cap."""
    lr = CFG["long_run"]
    if distance is None:
        return lr["no_goal_cap_km"]
    caps = sorted((float(d), km) for d, km in lr["cap_km"].items())
    cap = next((km for d, km in caps if distance <= d + 1e-6), caps[-1][1])
    if distance >= caps[-1][0] - 1e-6:
        cap = min(cap, lr["marathon_cap_min"] / pace_min_per_km)
    return cap


def ceiling(case: Case, pace: float) -> float:
    """§5 ceiling: at most 1.5 × the current weekly km, lower when the goal needs less (the
    long-run cap at 30 % of the week), never below the current volume (running first)."""
    v0 = case.profile.weekly_km
    d = goal_km(case.profile)
    need = long_run_cap(d, pace) / CFG["long_run"]["max_share"] if d else math.inf
    return max(v0, min(CFG["periodisation"]["ceiling_share"] * v0, need))


def plan_vdot(case: Case, plan: Plan) -> float:
    """The VDOT the runs are timed with: the recent race's, else the one whose easy band centres
    on the plan's easy pace."""
    race = case.profile.recent_race
    if race is not None:
        return paces.vdot(race.distance_km, race.seconds())
    return paces.vdot_from_easy_pace(plan.pace_min_per_km)


def zone_pace(vdot: float, zone: str) -> float:
    fast, slow = paces.band(vdot, zone)
    return (fast + slow) / 2


def easy_s_per_km(case: Case, plan: Plan) -> float:
    """The easy pace the runs are timed with: the recent race's easy band, else the plan's."""
    if case.profile.recent_race is not None:
        return zone_pace(plan_vdot(case, plan), "easy")
    return plan.pace_min_per_km * 60


def flat(steps: list[Step]) -> list[Step]:
    return workouts.flat(steps)


def step_km(s: Step, s_per_km: float) -> float:
    if s.distance_m is not None:
        return s.distance_m / 1000
    return (s.duration_s or 0) / s_per_km


def work_steps(steps: list[Step]) -> list[Step]:
    return [s for s in flat(steps) if s.kind == "work"]


def all_steps(steps: list[Step]) -> list[Step]:
    """Every step, repeats and what they hold."""
    return [x for s in steps for x in ([s, *s.steps] if s.kind == "repeat" else [s])]


def race_sessions(plan: Plan) -> list[PlanSession]:
    return [s for _, s in plan.sessions() if s.kind == "race"]


def training_km(week: PlanWeek) -> float:
    """The week's running without the race."""
    return week.run_km - sum(s.run_km for s in week.sessions if s.kind == "race")


def peak_normal(case: Case, plan: Plan, before: int | None = None) -> float:
    """The peak normal week (base, build or peak, not a deload) before week `before`; the current
    weekly km when the plan has none."""
    normal = [
        w.run_km
        for w in plan.weeks
        if w.phase in NORMAL_PHASES and not w.deload and (before is None or w.index < before)
    ]
    # no normal week yet, or none with a run long enough to plan: the current volume
    return max(normal, default=0.0) or case.profile.weekly_km


def strength_sets_by_id(week: PlanWeek) -> dict[str, int]:
    """The week's sets of each main exercise, over all its strength sessions."""
    out: dict[str, int] = defaultdict(int)
    for s in week.sessions:
        if s.kind != "strength":
            continue
        for e in s.exercises:
            if e.role == "main":
                out[e.id] += e.sets
    return dict(out)


def strength_sets_total(week: PlanWeek) -> int:
    return sum(
        e.sets
        for s in week.sessions
        if s.kind == "strength"
        for e in s.exercises
        if e.role == "main"
    )


def step_mentions(steps: list[Step], name: str) -> bool:
    return any(s.note.startswith(name) for s in all_steps(steps))


# --- §1 days and minutes -------------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_sessions_only_on_available_days_inside_their_week(case):
    """§1 available days: sessions only on available days (the race on its date regardless),
    each inside its own week."""
    plan = build(case)
    assert [w.index for w in plan.weeks] == list(range(1, case.options.weeks + 1))
    for week, s in plan.sessions():
        first = case.options.start + timedelta(weeks=week.index - 1)
        assert first <= s.date <= first + timedelta(days=6), (week.index, s.date)
        if s.kind != "race":
            assert WEEKDAYS[s.date.weekday()] in case.profile.available_days, (s.date, s.kind)


# Regression (a planner bug found here, since fixed): a 20-minute day whose easy run, shortened so
# its strides fit, still takes 22 minutes (the run stops shrinking at 0.5 km; its 10-minute easy
# start stays).
SHORT_DAY_CASE = Case(
    [],
    AthleteProfile(
        name="Runner", weekly_km=6.0, runs_per_week=2, available_days=["mon"], minutes_per_day=20
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): foot pain, one 24-minute day: the run-walk
# run, held at the 2 km minimum, takes 28 minutes with its walking breaks.
RUN_WALK_LONG_DAY_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(
        name="Runner",
        weekly_km=5.0,
        runs_per_week=2,
        available_days=["mon"],
        minutes_per_day=24,
        recent_race=RecentRace(distance_km=3.0, time="0:17:56", date=RACE_DAY),
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): a beginner's fartlek (labelled tempo) on a
# 45-minute Monday in the taper takes 46 minutes: its time was checked with the wrong warm-up and
# cool-down.
FARTLEK_DAY_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=12.0,
        runs_per_week=3,
        longest_run_km=6.0,
        goal=Goal(event="5k", date=date(2026, 1, 22)),
        available_days=["mon", "tue", "thu", "wed"],
        minutes_per_day=45,
        long_run_day="wed",
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases())
@example(case=SHORT_DAY_CASE)
@example(case=RUN_WALK_LONG_DAY_CASE)
@example(case=FARTLEK_DAY_CASE)
def test_no_day_over_its_minutes(case):
    """§1 minutes per day: all sessions of a day fit that day's minutes (minutes_by_day
    overriding minutes_per_day); the race day is excepted."""
    plan = build(case)
    races = {s.date for s in race_sessions(plan)}
    per_day: dict[date, int] = defaultdict(int)
    for _, s in plan.sessions():
        per_day[s.date] += s.minutes
    for day, total in per_day.items():
        if day not in races:
            assert total <= minutes_on(case.profile, day), (day, total)


# --- §3 single-run spike and weekly ramp ---------------------------------------------------------


@PROPERTY
@given(cases())
def test_no_run_longer_than_110_percent_of_the_30_day_longest(case):
    """§3 single-run spike: no planned run longer than 110 % of the longest run of the previous
    30 days (the intake's longest, or an average run, counts as the day before the start); the
    race itself is excepted (but counts as a run afterwards)."""
    plan = build(case)
    history = [(case.options.start - timedelta(days=1), assumed_longest(case.profile))]
    history += [(s.date, s.run_km) for s in run_sessions(plan)]
    for s in run_sessions(plan):
        if s.kind == "race":
            continue
        recent = [k for when, k in history if 0 < (s.date - when).days <= 30]
        assert s.run_km <= 1.10 * max(recent, default=0.0) + 0.01, (s.date, s.run_km, recent)


SPIKE_START = date(2026, 3, 2)  # a Monday
SPIKE_RUNNER = AthleteProfile(
    name="Spike",
    weekly_km=50,
    runs_per_week=4,
    longest_run_km=28,
    available_days=["tue", "thu", "sat", "sun"],
    minutes_per_day=150,
)


def first_week_runs(plan: Plan) -> list[float]:
    return [s.run_km for s in plan.weeks[0].sessions if s.kind in RUN_KINDS]


def test_single_run_spike_an_old_intake_run_does_not_count_a_logged_run_does():
    """§3 spike: the intake's 28 km run 40 days before the start is outside the 30 days; the
    10 km run logged 5 days before is the longest, so no first-week run is over 11 km (dated the
    day before the start, as the planner used to, the 28 km would allow the 15 km long run)."""
    plan = planning.build_plan(
        [],
        SPIKE_RUNNER,
        PlanOptions(start=SPIKE_START, weeks=4),
        known_runs=[(SPIKE_START - timedelta(days=5), 10.0)],
        assessed_on=SPIKE_START - timedelta(days=40),
    )
    runs = first_week_runs(plan)
    assert runs and max(runs) <= 11.0 + 1e-9, runs
    assert max(runs) == pytest.approx(11.0)  # the long run is capped by the spike rule
    current = planning.build_plan([], SPIKE_RUNNER, PlanOptions(start=SPIKE_START, weeks=4))
    assert max(first_week_runs(current)) == pytest.approx(15.0)  # 30 % of 50 km


def test_single_run_spike_the_intake_run_counts_within_30_days():
    """§3 spike: a 12 km intake run 20 days before the start counts beside an 8 km logged run:
    the cap is 13.2 km, not 8.8 km."""
    plan = planning.build_plan(
        [],
        SPIKE_RUNNER.model_copy(update={"longest_run_km": 12}),
        PlanOptions(start=SPIKE_START, weeks=4),
        known_runs=[(SPIKE_START - timedelta(days=5), 8.0)],
        assessed_on=SPIKE_START - timedelta(days=20),
    )
    assert max(first_week_runs(plan)) == pytest.approx(13.0)  # 13.2 rounded down to 0.5 km


def test_single_run_spike_without_a_run_in_30_days_an_average_run_stands_in():
    """§3 spike: with nothing in the 30 days before, an average run (50 km ÷ 4 = 12.5 km)
    stands in rather than refusing to plan any run, and the notes say so."""
    plan = planning.build_plan(
        [],
        SPIKE_RUNNER,
        PlanOptions(start=SPIKE_START, weeks=4),
        known_runs=[(SPIKE_START - timedelta(days=45), 30.0), (SPIKE_START, 30.0)],
        assessed_on=SPIKE_START - timedelta(days=40),
    )
    runs = first_week_runs(plan)
    assert runs and max(runs) <= 1.10 * 12.5 + 1e-9, runs
    assert any("12.5 km (an average run" in n for n in plan.notes), plan.notes


def assert_ramp(case: Case) -> None:
    plan = build(case)
    ramp = 0.0 if lower_limb_pain(case.findings) else case.options.ramp_pct / 100
    for w in plan.weeks:
        assert w.run_km == pytest.approx(sum(s.run_km for s in w.sessions), abs=0.05)
    assert training_km(plan.weeks[0]) <= case.profile.weekly_km + 0.05
    last: PlanWeek | None = None
    for w in plan.weeks:
        if w.phase == "recovery":
            last = w  # §5 after the race: recovery, then a new base that grows from it
        if w.phase not in NORMAL_PHASES or w.deload:
            continue
        # a normal week without running (every run too short to plan) is no base for a ramp
        if last is not None and last.run_km > 0:
            assert w.run_km <= last.run_km * (1 + ramp) + 0.15, (
                last.index,
                last.run_km,
                w.index,
                w.run_km,
            )
        last = w


@PROPERTY
@given(cases(pain=False))
def test_weekly_ramp_from_the_last_normal_week(case):
    """§3 running volume: a normal week's run km is at most the last normal (not deload, taper
    or race) week's × (1 + ramp), the recovery week after a race being the new base's start;
    week 1 trains at most the current weekly km (§5 running first); a week's run_km is its runs'
    sum."""
    assert_ramp(case)


# Regression (a planner bug found here, since fixed): week 4 holds two cross-training days (running
# 9.5 km), week 5 one (the hard/easy rule found a day for only one), so running rises to 10.5 km
# with the ramp at 0.
RAMP_PAIN_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(
        name="Runner",
        weekly_km=50.0,
        runs_per_week=5,
        available_days=["mon", "tue", "sat", "wed", "thu"],
        minutes_per_day=43,
        minutes_by_day={"mon": 45, "thu": 20},
    ),
    PlanOptions(weeks=5, start=date(2026, 1, 1), deload_every=3, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(pain=True, regions=LOWER_LIMB_REGIONS))
@example(case=RAMP_PAIN_CASE)
def test_weekly_ramp_held_under_lower_limb_pain(case):
    """§3/§5 running volume under a lower-limb pain flag: run volume held (ramp 0): no normal week
    runs more than the last normal week."""
    assert_ramp(case)


@PROPERTY
@given(cases())
def test_runs_per_week_kept_not_raised(case):
    """§5 running first: the plan keeps the runner's number of runs, never more (cross-training
    takes a run's place; the race is one of the week's runs)."""
    plan = build(case)
    for w in plan.weeks:
        n = sum(1 for s in w.sessions if s.kind in RUN_KINDS or s.kind == "cross_training")
        assert n <= case.profile.runs_per_week, (w.index, n)


# --- §5 ceiling and long run ---------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_weekly_volume_ceiling(case):
    """§5 a ceiling, not only a slope: no week above 1.5 × the current weekly km, nor above what
    the goal needs (long-run cap ÷ 30 %), never forced below the current volume; race weeks are
    counted without the race."""
    plan = build(case)
    top = ceiling(case, plan.pace_min_per_km)
    for w in plan.weeks:
        assert training_km(w) <= top + 0.15, (w.index, training_km(w), top)


@PROPERTY
@given(cases())
def test_long_run_on_the_long_run_day(case):
    """§1/§5 long_run_day: long runs only on the runner's long-run day (default Sunday, else
    Saturday, else the last available day)."""
    plan = build(case)
    want = expected_long_weekday(case.profile)
    for s in run_sessions(plan):
        if s.kind == "long_run":
            assert WEEKDAYS[s.date.weekday()] == want, (s.date, want)


# Regression (a planner bug found here, since fixed): under run-walk the long run (Tue, 25 min) is
# cut from 2.5 to 2 km to fit its walking breaks after Monday's easy run was capped at 2.5 km, the
# long run's planned distance.
SHRUNK_LONG_RUN_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(
        name="Runner",
        weekly_km=7.0,
        runs_per_week=2,
        available_days=["mon", "tue"],
        minutes_per_day=25,
        minutes_by_day={"mon": 28},
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases())
@example(case=SHRUNK_LONG_RUN_CASE)
def test_long_run_is_the_longest_run_of_its_week(case):
    """§5 the long run is the longest run of its week (race weeks and recovery weeks aside)."""
    plan = build(case)
    for w in plan.weeks:
        if w.phase in ("race", "recovery"):
            continue
        longs = [s.run_km for s in w.sessions if s.kind == "long_run"]
        others = [s.run_km for s in w.sessions if s.kind in RUN_KINDS and s.kind != "long_run"]
        if longs and others:
            assert max(longs) >= max(others) - 1e-6, (w.index, longs, others)
        assert len(longs) <= 1, w.index


@PROPERTY
@given(cases())
def test_long_run_within_the_goal_cap(case):
    """§5 long-run caps by goal: 5k 12, 10k 16, half 22, marathon 35 km or 3 h at the plan's easy
    pace, whichever first (no goal distance: the configured no-goal cap)."""
    plan = build(case)
    cap = long_run_cap(goal_km(case.profile), plan.pace_min_per_km)
    for s in run_sessions(plan):
        if s.kind == "long_run":
            assert s.run_km <= cap + 1e-6, (s.date, s.run_km, cap)


# Regression (a planner bug found here, since fixed): 53 km in four runs, 90-minute days: the long
# run (14.5 km, capped by time) is 33 % of the 43.5 km planned: the easy runs held at 75 % of it,
# the tempo at its Daniels size.
LONG_SHARE_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=53.0,
        runs_per_week=4,
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=90,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)
# Regression (a planner bug found here, since fixed): 20-minute days but 28 on Thursday, the
# long-run day: 3.5 of 8 km (44 %).
LONG_SHARE_SHORT_DAYS_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=13.0,
        runs_per_week=4,
        available_days=["mon", "tue", "thu", "wed"],
        minutes_per_day=20,
        minutes_by_day={"mon": 20, "tue": 20, "thu": 28},
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): 22 km in four runs, 45-minute days; in week 4
# the reassessment leaves Wednesday's run 2.5 km and the long run (7 km, capped by time) is 36 % of
# the 19.5 km planned.
LONG_SHARE_REASSESS_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=22.0,
        runs_per_week=4,
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=45,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=5, ramp_pct=9.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): 39 km in four runs, Monday 20 and Wednesday
# 23 minutes: the long run of 7 km and Tuesday's 7 km easy run make 36 % each of the 19.5 km the
# short days leave.
LONG_SHARE_SHORT_WEEK_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=39.0,
        runs_per_week=4,
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=23,
        minutes_by_day={"mon": 20, "tue": 64, "thu": 68},
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True))
@example(case=LONG_SHARE_CASE)
@example(case=LONG_SHARE_SHORT_DAYS_CASE)
@example(case=LONG_SHARE_REASSESS_CASE)
@example(case=LONG_SHARE_SHORT_WEEK_CASE)
def test_long_run_at_most_30_percent_with_four_runs(case):
    """§5 the long run is at most about 30 % of the week's volume where the runner runs 4+ times
    that week. "About": each run rounds to 0.5 km, and planning.toml's easy-run cap (at most 75 %
    of the long run, a convention) sets a floor on the long run's share with few runs
    (1 / (1 + 0.75 × 3) = 30.8 % with four), which the 30 % cannot undercut."""
    plan = build(case)
    step = CFG["runs"]["round_km"]
    for w in plan.weeks:
        runs = [s for s in w.sessions if s.kind in RUN_KINDS]
        n = len(runs)
        if n < CFG["long_run"]["max_share_from_runs"]:
            continue
        floor = 1 / (1 + CFG["runs"]["easy_max_of_long"] * (n - 1))
        share = max(CFG["long_run"]["max_share"], floor)
        for s in runs:
            if s.kind == "long_run":
                limit = share * (w.run_km + step * (n - 1)) + step
                assert s.run_km <= limit, (w.index, s.run_km, w.run_km)


# --- §5 hard and easy ----------------------------------------------------------------------------


# Regression (a planner bug found here, since fixed): the race is on Saturday 28 Feb (week 2),
# Friday is the long-run day and week 1 plans its long run there, the day before the race.
LONG_RUN_BEFORE_RACE_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=7.0,
        runs_per_week=2,
        goal=Goal(event="5k", date=date(2026, 2, 28)),
        available_days=["fri", "mon"],
        minutes_per_day=20,
    ),
    PlanOptions(weeks=4, start=date(2026, 2, 21), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True))
@example(case=LONG_RUN_BEFORE_RACE_CASE)
def test_no_two_hard_days_in_a_row(case):
    """§5 hard/easy (Bowerman): no two consecutive dates both hard (long run, tempo, intervals,
    race) anywhere in the plan, across week boundaries too."""
    plan = build(case)
    hard = sorted({s.date for _, s in plan.sessions() if s.kind in HARD_KINDS})
    for a, b in zip(hard, hard[1:], strict=False):
        assert (b - a).days > 1, (a, b)


@PROPERTY
@given(cases(running=True))
def test_no_strength_the_day_before_intervals_or_a_race(case):
    """§5 hard/easy: heavy strength never the day before intervals or a race."""
    plan = build(case)
    key = {s.date for _, s in plan.sessions() if s.kind in ("intervals", "race")}
    for _, s in plan.sessions():
        if s.kind == "strength":
            assert s.date + timedelta(days=1) not in key, s.date


# --- §5 the goal race ----------------------------------------------------------------------------


@PROPERTY
@given(cases(running=True))
def test_the_race_on_its_date(case):
    """§5 a goal race shapes the plan: with a goal date inside the plan and a known distance,
    exactly one `race` session, on the goal date, run_km ≈ the distance (+ the 10-minute easy
    warm-up below marathon-like distances); otherwise no race session."""
    plan = build(case)
    races = race_sessions(plan)
    day = race_date(case)
    if day is None:
        assert races == []
        return
    assert len(races) == 1
    race = races[0]
    assert race.date == day
    d = goal_km(case.profile)
    warmup = 600 / easy_s_per_km(case, plan) if d < CFG["periodisation"]["marathon_from_km"] else 0
    assert race.run_km == pytest.approx(d + warmup, abs=0.15)
    assert race.steps and any(s.distance_m == round(d * 1000) for s in work_steps(race.steps))
    # counted back from the race week: the taper (about 2 weeks, 3 for a marathon-like goal),
    # then recovery and a new base
    long_goal = d >= CFG["periodisation"]["marathon_from_km"]
    n_taper = len(CFG["periodisation"]["marathon_taper_shares" if long_goal else "taper_shares"])
    rw = week_index(case, day)
    for w in plan.weeks:
        want = {0: "race", 1: "recovery"}.get(w.index - rw)
        if want is None:
            want = "taper" if 0 < rw - w.index < n_taper else ("base" if w.index > rw else None)
        if want is not None:
            assert w.phase == want, (w.index, rw, w.phase, want)


# Regression (a planner bug found here, since fixed): 8 km a week, a 5k on the first day; the race
# week keeps 2 of 8 km (25 %).
TAPER_SMALL_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=8.0,
        runs_per_week=2,
        goal=Goal(event="5k", date=date(2026, 1, 1)),
        available_days=["mon", "tue"],
        minutes_per_day=20,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)
# The same at a usual size: peak 24 km, the race week trains 9 of 24 km (37.5 %): 0.45 × 24 =
# 10.8 km less the race warm-up's 1.7 km.
TAPER_10K_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=25.0,
        runs_per_week=4,
        longest_run_km=10.0,
        running_years=3.0,
        goal=Goal(event="10 km", date=date(2026, 3, 8)),
        available_days=["mon", "wed", "fri", "sun"],
        minutes_per_day=90,
    ),
    PlanOptions(weeks=12, start=date(2026, 1, 5)),
)


# Regression (a planner bug found here, since fixed): 5 km in two runs, a 5k on the first day
# (Friday); the race week's long run on Thursday (3.5 km, its share of the 7.25 km target with the
# race in it) is 70 % of the peak.
TAPER_LONG_RUN_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=5.0,
        runs_per_week=2,
        longest_run_km=4.0,
        goal=Goal(event="5k", date=date(2026, 1, 2)),
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=28,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 2), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True, goal="inside", min_days=2))
@example(case=TAPER_SMALL_CASE)
@example(case=TAPER_10K_CASE)
@example(case=TAPER_LONG_RUN_CASE)
def test_taper_cuts_volume_41_to_60_percent(case):
    """§5 taper (Bosquet et al. 2007): taper weeks' training volume (the race week's without the
    race) is 40–60 % of the peak normal week: a 41–60 % cut, within the configured shares."""
    plan = build(case)
    day = race_date(case)
    if day is None:
        return
    peak = peak_normal(case, plan, before=week_index(case, day))
    for w in plan.weeks:
        if w.phase not in ("taper", "race") or peak <= 0:
            continue
        share = training_km(w) / peak
        assert share <= 0.60 + 0.1 / peak, (w.index, w.phase, training_km(w), peak)
        # below 40 % only by the runs' rounding, where a run is capped (its reason says by what)
        # or where a run too short to plan was dropped (the week says so)
        dropped = any("no run" in n for n in w.notes)
        capped = any("capped by" in s.reason for s in w.sessions if s.kind in RUN_KINDS)
        # ... or where the week has no day to train on: none available but the race day and the
        # rest days after it (planning.toml [periodisation] rest_days_after_race, a convention)
        rest = {
            day + timedelta(days=i) for i in range(CFG["periodisation"]["rest_days_after_race"] + 1)
        }
        first = case.options.start + timedelta(weeks=w.index - 1)
        days = [first + timedelta(days=i) for i in range(7)]
        usable = [
            d
            for d in days
            if WEEKDAYS[d.weekday()] in case.profile.available_days and d not in rest
        ]
        # ... and under a lower-limb pain flag, where pain leads the running (§5)
        if usable and not (dropped or capped or lower_limb_pain(case.findings)):
            low = 0.40 - CFG["runs"]["round_km"] / peak
            assert share >= low, (w.index, w.phase, training_km(w), peak)


@PROPERTY
@given(cases(running=True, goal="inside"))
def test_recovery_after_the_race(case):
    """§5 recovery: no hard session in the 5 days after the race, and the week after the race
    week at most half the peak volume."""
    plan = build(case)
    day = race_date(case)
    if day is None or not race_sessions(plan):
        return
    rw = week_index(case, day)
    peak = peak_normal(case, plan, before=rw)
    quiet = {
        day + timedelta(days=i) for i in range(1, CFG["periodisation"]["recovery_easy_days"] + 1)
    }
    for _, s in plan.sessions():
        if s.date in quiet:
            assert s.kind not in HARD_KINDS, (s.date, s.kind)
    for w in plan.weeks:
        if w.index == rw + 1:
            assert w.run_km <= CFG["periodisation"]["recovery_share"] * peak + 0.15, (
                w.index,
                w.run_km,
                peak,
            )


# Regression (a planner bug found here, since fixed): an 18 km runner races a 5k on the plan's
# first day, so the peak is the current 18 km; the new base after the recovery week climbs back to
# 18 km: at the peak again.
BACK_TO_PEAK_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=18.0,
        runs_per_week=2,
        goal=Goal(event="5k", date=date(2026, 1, 1)),
        available_days=["mon", "tue"],
        minutes_per_day=20,
        minutes_by_day={"mon": 71, "tue": 66},
    ),
    PlanOptions(weeks=19, start=date(2026, 1, 1), deload_every=2, ramp_pct=10.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True, goal="inside"))
@example(case=BACK_TO_PEAK_CASE)
def test_no_week_after_the_race_at_the_peak(case):
    """§5 a plan longer than the race ends in recovery and a new base, never at peak volume: no
    week after the race week at or above the peak normal week before it."""
    plan = build(case)
    day = race_date(case)
    if day is None or not race_sessions(plan):
        return
    rw = week_index(case, day)
    peak = peak_normal(case, plan, before=rw)
    for w in plan.weeks:
        if w.index > rw and peak > 0:
            assert w.run_km < peak, (w.index, w.run_km, peak)


# --- §5 pain leads the running -------------------------------------------------------------------


@PROPERTY
@given(cases(pain=True, regions=LOWER_LIMB_REGIONS))
def test_lower_limb_pain_no_quality_no_impact(case):
    """§5 pain leads the running: with a lower-limb pain_flag, no tempo or intervals and no
    impact or fast exercise (hops, pogos, strides), warm-ups included."""
    for _, s in build(case).sessions():
        assert s.kind not in QUALITY_KINDS, (s.date, s.kind)
        for e in s.exercises:
            ex = INDEX[e.id]
            assert not (ex.impact or ex.fast), (s.date, s.kind, e.id)


def longest_running_stretch_s(steps: list[Step], easy_s_per_km: float) -> float:
    """The longest time run without a walk break (distances at easy pace)."""
    walk = tuple(CFG["rpe"]["walk"])
    best = run = 0.0
    for x in flat(steps):
        if x.target is not None and tuple(x.target.rpe) == walk:
            run = 0.0
            continue
        run += x.duration_s or (x.distance_m or 0) / 1000 * easy_s_per_km
        best = max(best, run)
    return best


# Regression (a planner bug found here, since fixed): calf pain makes the easy run run-walk; the
# A-march block (2 × 20 s with 30 s easy running) runs straight into the first 4-minute run block:
# 340 s without a walk.
RUN_WALK_DRILL_CASE = Case(
    [finding("excessive_trunk_flexion"), pain_finding("calf")],
    AthleteProfile(
        name="Runner", weekly_km=5.0, runs_per_week=2, available_days=["mon"], minutes_per_day=21
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(pain=True, regions=LOWER_LIMB_REGIONS, running=True))
@example(case=RUN_WALK_DRILL_CASE)
def test_lower_limb_pain_runs_are_run_walk(case):
    """§5 pain leads the running (run–walk where needed): under a lower-limb pain flag easy and
    long runs are run–walk: walk breaks, and no stretch of running longer than the run block of
    planning.toml [pain_running] (drills inside the run included)."""
    plan = build(case)
    easy = easy_s_per_km(case, plan)
    block = CFG["pain_running"]["run_walk_run_s"]
    walk = tuple(CFG["rpe"]["walk"])
    for s in run_sessions(plan):
        if s.kind not in ("easy_run", "long_run"):
            continue
        steps = flat(s.steps)
        assert any(x.kind == "recover" and x.target and tuple(x.target.rpe) == walk for x in steps)
        stretch = longest_running_stretch_s(s.steps, easy)
        assert stretch <= block + 1, (s.date, s.kind, stretch, s.steps)


@PROPERTY
@given(cases(pain=True, regions=LOWER_LIMB_REGIONS, running=True, min_days=3, min_minutes=60))
def test_lower_limb_pain_cross_training_in_place_of_quality(case):
    """§5 pain leads the running: cross-training keeps the aerobic work where the runner's level
    and phase would have given quality work (unless the hard/easy rule left no day for it, which
    the week's notes say, or the race left none: every available day of the week is the day
    before the race, the race day or inside the recovery days after it), and never more often
    than that."""
    plan = build(case)
    lv = planning.level(case.profile, CFG)
    n_runs = min(case.profile.runs_per_week, len(case.profile.available_days))
    # convention: a cross-training session lasts as long as the runner's average run, and one
    # shorter than a strength session's minimum is not planned
    assume(
        case.profile.weekly_km / n_runs * plan.pace_min_per_km
        >= CFG["sessions"]["strength_min_min"]
    )
    race = race_date(case)
    around = set()
    if race is not None:
        after = CFG["periodisation"]["recovery_easy_days"]
        around = {race + timedelta(days=i) for i in range(-1, after + 1)}
    for w in plan.weeks:
        q = max(0, min(CFG["quality_by_phase"][w.phase][lv], n_runs - 2))
        n_ct = sum(1 for s in w.sessions if s.kind == "cross_training")
        assert n_ct <= q, (w.index, n_ct, q)
        first = case.options.start + timedelta(weeks=w.index - 1)
        free = [
            first + timedelta(days=i)
            for i in range(7)
            if WEEKDAYS[(first + timedelta(days=i)).weekday()] in case.profile.available_days
            and first + timedelta(days=i) not in around
        ]
        excused = any("quality session" in n and "instead of" in n for n in w.notes)
        if q and free and not excused:
            assert n_ct >= 1, (w.index, w.phase, q, w.notes)


@PROPERTY
@given(cases(pain=False))
def test_no_cross_training_without_pain(case):
    """§5 cross-training is offered for a lower-limb pain flag; without one, runs are runs."""
    plan = build(case)
    assert not [s for _, s in plan.sessions() if s.kind == "cross_training"]


@PROPERTY
@given(cases(pain=True))
def test_painful_regions_only_get_regressions(case):
    """§2/§3 pain model: work that loads a painful region is swapped for one that spares it
    (`exercises.pain_regression`); only when nothing spares it does it stay, at its own level
    (never a harder variant picked over its base) and saying to keep it pain-free."""
    regions = set(planning.pain_regions(case.findings))
    for _, s in build(case).sessions():
        for e in s.exercises:
            if e.role in BOOKEND_ROLES:
                continue
            if "sparing the" in e.reason:
                assert not regions & set(INDEX[e.id].regions), (e.id, e.reason)
            elif regions & set(INDEX[e.id].regions):
                assert "keep it pain-free" in e.reason or e.id in EASIER_TARGETS, (e.id, e.reason)


# Regression (a planner bug found here, since fixed): ankle pain and a calf endurance deficit: the
# calf isometric hold (the chain's start, no easier variant) loads the ankle; its reason says
# nothing of the pain.
PAIN_REASON_CASE = Case(
    [finding("calf_endurance_deficit"), pain_finding("ankle")],
    AthleteProfile(name="Runner", available_days=["mon"], minutes_per_day=20),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(pain=True))
@example(case=PAIN_REASON_CASE)
def test_work_loading_a_painful_region_says_so(case):
    """§2 pain_flag: refer to a clinician before loading that region: main work that still loads
    a painful region says so in its reason."""
    regions = set(planning.pain_regions(case.findings))
    for _, s in build(case).sessions():
        for e in s.exercises:
            if regions & set(INDEX[e.id].regions) and e.role == "main":
                assert "pain" in e.reason, (s.kind, e.id, e.reason)


# --- §5 structured steps and intensity -----------------------------------------------------------


@PROPERTY
@given(cases(running=True))
def test_every_run_has_steps_with_targets(case):
    """§1/§5 watch workouts: every run session has steps; every work step (inside repeats too)
    has a target with an RPE band; interval sessions have a repeat step."""
    plan = build(case)
    for s in run_sessions(plan):
        assert s.steps, (s.date, s.kind)
        for x in work_steps(s.steps):
            assert x.target is not None and len(x.target.rpe) == 2, (s.date, s.kind, x)
            assert x.target.rpe[0] <= x.target.rpe[1]
        if s.kind == "intervals":
            assert any(x.kind == "repeat" for x in s.steps), (s.date, s.steps)


RPE_ZONES = {
    tuple(CFG["rpe"]["easy"]): "easy",
    tuple(CFG["rpe"]["long"]): "easy",
    tuple(CFG["rpe"]["threshold"]): "threshold",
    tuple(CFG["rpe"]["interval"]): "interval",
    tuple(CFG["rpe"]["strides"]): "repetition",
    tuple(CFG["rpe"]["walk"]): None,  # walking covers no running distance
}


def steps_km(steps: list[Step], vdot: float, easy_s_per_km: float) -> float:
    """The running distance a run's steps cover: distances as given, times at the pace of the
    zone the step's RPE band names (walks none)."""
    total = 0.0
    for x in flat(steps):
        if x.distance_m is not None:
            total += x.distance_m / 1000
        elif x.duration_s is not None and x.target is not None:
            zone = RPE_ZONES.get(tuple(x.target.rpe), "easy")
            if zone == "easy":
                total += x.duration_s / easy_s_per_km
            elif zone is not None:
                total += x.duration_s / zone_pace(vdot, zone)
    return total


@PROPERTY
@given(cases(running=True))
@example(case=SHORT_DAY_CASE)
def test_steps_cover_the_runs_distance(case):
    """§1 steps: a run's steps are the run: they cover its run_km (run–walk: at least it, at most
    one more run block)."""
    plan = build(case)
    vdot = plan_vdot(case, plan)
    easy = easy_s_per_km(case, plan)
    block = CFG["pain_running"]["run_walk_run_s"] / easy
    walk = lower_limb_pain(case.findings)
    for s in run_sessions(plan):
        covered = steps_km(s.steps, vdot, easy)
        if walk and s.kind in ("easy_run", "long_run"):
            assert s.run_km - 0.05 <= covered <= s.run_km + block + 0.05, (
                s.kind,
                s.run_km,
                covered,
            )
        else:
            assert covered == pytest.approx(s.run_km, abs=0.15), (s.date, s.kind, s.run_km)


# Regression (a planner bug found here, since fixed): foot pain, one 21-minute day: the run-walk
# run's steps hold 1.7 km, and its run_km follows them below the 2 km minimum.
SHORT_RUN_WALK_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(
        name="Runner", weekly_km=5.0, runs_per_week=2, available_days=["mon"], minutes_per_day=21
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True))
@example(case=SHORT_DAY_CASE)
@example(case=SHORT_RUN_WALK_CASE)
def test_no_run_shorter_than_the_minimum(case):
    """planning.toml [runs] min_run_km (convention): shorter easy and long runs are not planned."""
    for s in run_sessions(build(case)):
        if s.kind in ("easy_run", "long_run"):
            assert s.run_km >= CFG["runs"]["min_run_km"] - 1e-9, (s.date, s.kind, s.run_km)


@PROPERTY
@given(cases(running=True))
def test_pace_targets_iff_recent_race_and_heart_rate_only_with_max_hr(case):
    """§5 intensity targets: pace bands (Daniels and Gilbert) only from a recent race, and then
    on every run but the race; heart-rate bands only when max_hr is given."""
    plan = build(case)
    race = case.profile.recent_race is not None
    for _, s in plan.sessions():
        targets = [x.target for x in all_steps(s.steps) if x.target is not None]
        with_pace = [t for t in targets if t.pace_s_per_km is not None]
        if not race:
            assert not with_pace, (s.date, s.kind)
        elif s.kind in RUN_KINDS and s.kind != "race":
            assert with_pace, (s.date, s.kind, s.steps)
        if case.profile.max_hr is None:
            assert all(t.hr_bpm is None for t in targets), (s.date, s.kind)


# Regression (a planner bug found here, since fixed): 27 km planned, 18.2 km fit the 42-minute
# days; the tempo's 10 minutes of threshold work (2.0 km) were sized from the 27 km target: 11 % of
# the week.
DANIELS_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=27.0,
        runs_per_week=3,
        available_days=["mon", "tue", "wed"],
        minutes_per_day=42,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Found by hypothesis: 35 km in four runs, Tuesday 20 minutes: the tempo's 12 minutes of
# threshold work (2.4 km) were sized before the long run was balanced down from 8 to 7 km; the
# week as planned is 23.1 km, so the threshold work is 10.6 % of it.
DANIELS_BALANCED_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=35.0,
        runs_per_week=4,
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=61,
        minutes_by_day={"tue": 20},
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True, pain=False))
@example(case=DANIELS_CASE)
@example(case=SHORT_DAY_CASE)
@example(case=DANIELS_BALANCED_CASE)
def test_quality_within_daniels_limits(case):
    """§5 quality volume (Daniels): threshold work at most 10 % of the week's volume in one
    session, interval work at most the lesser of 10 km and 8 %, strides (repetition pace) at most
    the lesser of 8 km and 5 %; work distance from the steps at the plan's paces."""
    plan = build(case)
    vdot = plan_vdot(case, plan)
    q = CFG["quality"]
    strides = tuple(CFG["rpe"]["strides"])
    for w in plan.weeks:
        week = training_km(w)
        for s in w.sessions:
            work = work_steps(s.steps)
            if s.kind == "tempo":
                done = sum(step_km(x, zone_pace(vdot, "threshold")) for x in work)
                assert done <= q["threshold_max_share"] * week + 0.05, (w.index, done, week)
            elif s.kind == "intervals":
                done = sum(step_km(x, zone_pace(vdot, "interval")) for x in work)
                limit = min(q["interval_max_km"], q["interval_max_share"] * week)
                assert done <= limit + 0.05, (w.index, done, week)
            elif s.kind == "easy_run":
                fast = [x for x in work if x.target and tuple(x.target.rpe) == strides]
                done = sum(step_km(x, zone_pace(vdot, "repetition")) for x in fast)
                limit = min(q["repetition_max_km"], q["repetition_max_share"] * week)
                assert done <= limit + 0.05, (w.index, done, week)


# --- §3/§5 deload --------------------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_deload_weeks_in_the_rhythm(case):
    """§3 every Nth week is a deload (3:1 or 2:1 configurable): without a dated goal exactly the
    weeks N, 2N, ...; with one, deloads fall only in base and build weeks."""
    plan = build(case)
    g = case.profile.goal
    dated = g is not None and g.date is not None and goal_km(case.profile) is not None
    for w in plan.weeks:
        if not dated:
            assert w.deload == (w.index % case.options.deload_every == 0), w.index
        elif w.deload:
            assert w.phase in ("base", "build"), (w.index, w.phase)


def deloads(plan: Plan) -> list[tuple[PlanWeek, PlanWeek]]:
    """Each deload week with the last normal week before it."""
    out, last = [], None
    for w in plan.weeks:
        if w.phase in NORMAL_PHASES and not w.deload:
            last = w
        elif w.deload and last is not None:
            out.append((last, w))
    return out


# Found by hypothesis: foot pain, 26-minute days; week 5 runs 7.5 km beside two cross-training
# days, the deload week 6 has one (the hard/easy rule found a day for only one) and runs 7.0 km.
DELOAD_PAIN_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(
        name="Runner",
        weekly_km=50.0,
        runs_per_week=5,
        available_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        minutes_per_day=26,
    ),
    PlanOptions(weeks=6, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True))
@example(case=DELOAD_PAIN_CASE)
def test_deload_run_volume_at_most_70_percent(case):
    """§3/§5 deload: run volume −30 % of the last normal week: never above 0.7× + 0.5 km."""
    cut = 1 - CFG["protocol"]["deload_cut"]
    for last, w in deloads(build(case)):
        assert w.run_km <= cut * last.run_km + 0.5, (last.index, last.run_km, w.index, w.run_km)


# A regression case (hypothesis found it while the planner changed): 11 km in four runs; after a
# 12 km week the deload's 8.4 km held 6 km (−50 %): the long run at 30 % (2 km) capped the easy
# runs at 2 km, and one of them was dropped ("too little to share" over three runs of 2 km).
DEEP_DELOAD_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=11.0,
        runs_per_week=4,
        longest_run_km=4.0,
        available_days=["mon", "tue", "wed", "thu"],
        minutes_per_day=120,
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=10.0, reassess_every=2),
)


@PROPERTY
@given(cases(running=True, min_minutes=120, pain=False))
@example(case=DEEP_DELOAD_CASE)
def test_deload_run_volume_about_70_percent_with_time_to_spare(case):
    """§3/§5 deload: run volume −30 % of the last normal week, not more: with time to spare and
    volume enough for every run's minimum, the deload holds 0.7× less at most half a km a run
    (rounding). Four or more runs: with three, the long run's 40 % share and easy runs no longer
    than it leave a tempo at most 20 % of the week, which its Daniels-sized session can pass."""
    cut = 1 - CFG["protocol"]["deload_cut"]
    for last, w in deloads(build(case)):
        n = sum(1 for s in last.sessions if s.kind in RUN_KINDS)
        if n < 4 or cut * last.run_km / n < CFG["runs"]["min_run_km"]:
            continue
        low = cut * last.run_km - CFG["runs"]["round_km"] * n
        assert w.run_km >= low, (last.index, last.run_km, w.index, w.run_km)


# Regression (a planner bug found here, since fixed): 25 km in four runs with 150 minutes a day and
# a 10 % ramp stays at 24 km for twelve weeks: the long run is 30 % of the target rounded down (7.5
# of 26.4), the easy runs 75 % of that rounded down (5.5), so the week plans 24 km, and the next
# ramps from 24 again.
STALLED_BUILD_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=25.0,
        runs_per_week=4,
        longest_run_km=10.0,
        running_years=3.0,
        available_days=["mon", "wed", "fri", "sun"],
        minutes_per_day=150,
    ),
    PlanOptions(weeks=12, start=date(2026, 1, 5), ramp_pct=10.0),
)


@st.composite
def roomy_cases(draw: st.DrawFn) -> Case:
    """Nothing else caps the runs: 150+ minutes a day, a long recent run, no pain, no goal, a
    volume whose long run stays under the no-goal cap, and four to six runs (with three, the
    long run's 40 % share and easy runs no longer than it leave a tempo at most 20 % of the
    week, less than its Daniels-sized session with warm-up and cool-down above about 30 km)."""
    options = draw(plan_options()).model_copy(
        update={"weeks": draw(st.integers(6, 24)), "ramp_pct": float(draw(st.integers(10, 30)))}
    )
    v0 = draw(km(15, 35))
    runs = draw(st.integers(4, 6))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=runs, max_size=7, unique=True))
    profile = AthleteProfile(
        name="Runner",
        weekly_km=v0,
        runs_per_week=runs,
        longest_run_km=round(0.6 * v0, 1),
        running_years=3.0,
        available_days=days,
        minutes_per_day=draw(st.integers(150, 240)),
    )
    return Case([], profile, options)


@FEW
@given(roomy_cases())
@example(case=STALLED_BUILD_CASE)
def test_the_ramp_builds_when_nothing_else_caps(case):
    """§3/§5 a ceiling, not only a slope: with nothing else capping the runs, the plan uses its
    ramp: the peak normal week reaches at least one ramp step above the current volume (or the
    1.5 × ceiling)."""
    plan = build(case)
    v0 = case.profile.weekly_km
    want = min(v0 * (1 + case.options.ramp_pct / 100), CFG["periodisation"]["ceiling_share"] * v0)
    assert peak_normal(case, plan) >= want - CFG["runs"]["round_km"], [w.run_km for w in plan.weeks]


# The smallest case hypothesis found under the old planner: a normal week short of time cut an
# exercise's sets to fit, the deload week cut the library dose instead, so the deload held more.
DELOAD_SETS_CASE = Case(
    [finding("dynamic_knee_valgus", "moderate")],
    AthleteProfile(name="Runner", available_days=["mon", "tue"], minutes_per_day=30),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2),
)


@PROPERTY
@given(cases())
@example(case=DELOAD_SETS_CASE)
def test_deload_strength_sets_not_above_previous_normal_week(case):
    """§3 deload: no strength exercise has more sets in a deload week (over its strength sessions)
    than in the last normal week."""
    plan = build(case)
    last: PlanWeek | None = None
    for w in plan.weeks:
        if w.phase in NORMAL_PHASES and not w.deload:
            last = w
        if not w.deload or last is None:
            continue
        before = strength_sets_by_id(last)
        for ex_id, sets in strength_sets_by_id(w).items():
            if ex_id in before:
                assert sets <= before[ex_id], (w.index, ex_id, sets, before[ex_id])


# Regression (a planner bug found here, since fixed): three 20-minute days; the deload's 10 sets go
# 7 to Monday and 3 to a 7-minute Wednesday session, which is then dropped as too short: 7 of 14
# sets.
DELOAD_STUB_CASE = Case(
    [pain_finding("foot")],
    AthleteProfile(name="Runner", available_days=["mon", "tue", "wed"], minutes_per_day=20),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=4, ramp_pct=0.0, reassess_every=3),
)
# Found by exploring: two days, Monday 25 minutes; the deload week is also the reassessment week
# and the reassessment takes Monday, so strength moves to 20-minute Tuesday: 3 of 9 sets.
DELOAD_REASSESS_CASE = Case(
    [finding("excessive_trunk_flexion"), finding("dynamic_knee_valgus")],
    AthleteProfile(
        name="Runner", available_days=["mon", "tue"], minutes_per_day=20, minutes_by_day={"mon": 25}
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@pytest.mark.xfail(
    strict=True,
    raises=(AssertionError, ExceptionGroup),
    reason="planner bug: when the deload week is also a reassessment week and time is short, the "
    "reassessment takes the day strength had and the deload keeps a third of the sets",
)
@PROPERTY
@given(cases())
@example(case=DELOAD_STUB_CASE)
@example(case=DELOAD_REASSESS_CASE)
def test_deload_cuts_strength_sets_30_percent(case):
    """§3/§5 deload: the week's strength sets (main exercises of strength sessions) are about
    0.7 × the last normal week's: within one set per five of it, never below 60 %."""
    plan = build(case)
    last: PlanWeek | None = None
    cut = 1 - CFG["protocol"]["deload_cut"]
    for w in plan.weeks:
        if w.phase in NORMAL_PHASES and not w.deload:
            last = w
        if not w.deload or last is None:
            continue
        before, now = strength_sets_total(last), strength_sets_total(w)
        if before == 0:
            continue
        tol = max(1.0, before / 5)
        assert abs(now - cut * before) <= tol, (last.index, before, w.index, now)
        assert now >= 0.6 * before, (last.index, before, w.index, now)


# --- §5 strength dosing: the library's chains ----------------------------------------------------


def test_library_chains_never_cycle():
    """§5 strength dosing: following harder links, or easier links, never comes back round."""
    for link in ("harder", "easier"):
        for ex in LIB.exercises:
            seen = {ex.id}
            nxt = getattr(ex, link)
            while nxt is not None:
                assert nxt not in seen, (link, ex.id, nxt)
                seen.add(nxt)
                nxt = getattr(INDEX[nxt], link)


def test_library_variants_share_a_target():
    """§5 strength dosing: a harder (or easier) variant targets a finding its exercise targets
    (untargeted warm-up, cool-down and conditioning items link within their category)."""
    for ex in LIB.exercises:
        for link in ("harder", "easier"):
            other = getattr(ex, link)
            if other is None:
                continue
            if ex.targets:
                assert set(ex.targets) & set(INDEX[other].targets), (ex.id, link, other)
            else:
                assert INDEX[other].category == ex.category, (ex.id, link, other)


# --- §5 capacity before impact and starting levels -----------------------------------------------


@PROPERTY
@given(cases(calf=(15, 40)))
def test_no_impact_before_capacity(case):
    """§5 capacity before impact: hops, pogos, bounding and hill sprints only once single-leg heel
    raises reach 25 on both sides and no lower-limb pain flag stands."""
    heel = case.screens.get("calf_raise_reps")
    ready = (
        heel is not None
        and min(heel["left"], heel["right"]) >= CALF_GATE
        and not lower_limb_pain(case.findings)
    )
    for _, s in build(case).sessions():
        for e in s.exercises:
            if INDEX[e.id].impact:
                assert ready, (s.date, s.kind, e.id, heel)


@st.composite
def calf_cases(draw: st.DrawFn) -> Case:
    """A calf endurance deficit from asymmetry in a runner who already passes the single-leg calf
    raise's dose on both sides, with no pain in the regions calf raises load."""
    single = INDEX["single_leg_calf_raise"]
    need = single.dose.reps_low
    spared = [r for r in REGIONS if r not in single.regions]
    case = draw(cases(regions=spared, must=("calf_endurance_deficit",)))
    left = draw(st.integers(need, 40))
    right = draw(st.integers(need, 40))
    case.screens["calf_raise_reps"] = {"left": left, "right": right}
    return case


@PROPERTY
@given(calf_cases())
def test_starting_level_follows_the_heel_raise_test(case):
    """§5 an exercise's starting level follows the test: a runner who passes the single-leg calf
    raise's dose on both sides never gets the isometric hold or double-leg raise for the calf
    endurance deficit."""
    for _, s in build(case).sessions():
        for e in s.exercises:
            if e.role == "main":
                assert e.id not in ("calf_raise_isometric_hold", "double_leg_calf_raise"), (
                    s.date,
                    e.id,
                    e.targets,
                )


# --- §5 cadence retraining and where drills go ---------------------------------------------------


# Regression (a planner bug found here, since fixed): one 55-minute day, a 6 km (42-minute) easy
# run holds the wall drill; the 16-minute metronome block would run inside it, but is refused for
# want of time.
METRONOME_CASE = Case(
    [finding("excessive_trunk_flexion"), finding("overstriding")],
    AthleteProfile(
        name="Runner", weekly_km=6.0, runs_per_week=2, available_days=["mon"], minutes_per_day=55
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): Monday's 2 km easy run (a 20-minute day) gets
# the metronome blocks and drops them ("no room in the run"), while Tuesday's 6 km easy run, 45
# minutes, would hold them.
METRONOME_SHORT_RUN_CASE = Case(
    [finding("overstriding")],
    AthleteProfile(
        name="Runner",
        weekly_km=17.0,
        runs_per_week=3,
        available_days=["mon", "tue", "wed"],
        minutes_per_day=20,
        minutes_by_day={"mon": 20, "tue": 45, "wed": 45},
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


# Regression (a planner bug found here, since fixed): one 60-minute Monday; in week 5 the 4.5 km
# easy run with the metronome blocks comes half a minute over what the strength session (general
# filler included) leaves, so the blocks are dropped ("no room in the run"); week 4, the same run,
# held them.
METRONOME_SQUEEZED_CASE = Case(
    [finding("overstriding")],
    AthleteProfile(
        name="Runner", weekly_km=5.0, runs_per_week=2, available_days=["mon"], minutes_per_day=60
    ),
    PlanOptions(weeks=5, start=date(2026, 1, 1), deload_every=6, ramp_pct=0.0, reassess_every=3),
)


@PROPERTY
@given(cases(must=("overstriding",), pain=False, running=True))
@example(case=METRONOME_CASE)
@example(case=METRONOME_SHORT_RUN_CASE)
@example(case=METRONOME_SQUEEZED_CASE)
def test_overstriding_gets_the_metronome_inside_easy_runs(case):
    """§5 cadence retraining: for overstriding, the metronome cadence run is practised in short
    blocks inside easy runs: an exercise of role drill and a step of the run, every week with an
    easy run long enough to hold the blocks."""
    plan = build(case)
    metronome = INDEX[METRONOME]
    name = metronome.name
    d = metronome.dose

    def block(sets: int, seconds: int | None, rest: int) -> float:  # minutes, recoveries too
        return sets * ((seconds or 0) + max(10, rest)) / 60

    pace = easy_s_per_km(case, plan) / 60
    for w in plan.weeks:
        easy = [s for s in w.sessions if s.kind == "easy_run"]
        others = [
            e
            for s in easy
            for e in s.exercises
            if e.role == "drill" and e.id != METRONOME and e.seconds is not None
        ]
        # 10 minutes' easy start, the metronome blocks (as long as block progression makes them),
        # the week's other timed drills, and five
        # minutes to spare, all inside the run
        need = 10 + block(d.sets, int(d.seconds * 1.5), d.rest_s) + 5  # blocks grow to 1.5 ×
        need += sum(block(e.sets, e.seconds, e.rest_s) for e in others)
        if not [s for s in easy if s.run_km * pace >= need]:
            continue  # no easy run long enough to hold the blocks
        with_drill = [s for s in easy if any(e.id == METRONOME for e in s.exercises)]
        assert with_drill, (w.index, [[e.id for e in s.exercises] for s in easy], w.notes)
        for s in with_drill:
            assert all(e.role == "drill" for e in s.exercises if e.id == METRONOME)
            assert step_mentions(s.steps, name), (w.index, s.date, s.steps)


# Regression (a planner bug found here, since fixed): ankle pain makes the easy run run-walk; the
# wall drill stays among its exercises but not in its steps.
DRILL_PAIN_CASE = Case(
    [finding("overstriding"), pain_finding("ankle")],
    AthleteProfile(
        name="Runner", weekly_km=5.0, runs_per_week=2, available_days=["mon"], minutes_per_day=26
    ),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)


@PROPERTY
@given(cases(must=("overstriding",), pain=True, regions=LOWER_LIMB_REGIONS, running=True))
@example(case=DRILL_PAIN_CASE)
def test_drills_in_a_run_are_in_its_steps_under_pain(case):
    """§5 cadence retraining and watch workouts: a drill prescribed inside a run is a step of that
    run, run–walk or not (the watch shows what the session lists)."""
    plan = build(case)
    for s in run_sessions(plan):
        for e in s.exercises:
            if e.role == "drill":
                assert step_mentions(s.steps, e.name), (s.date, s.kind, e.id, s.steps)


@PROPERTY
@given(cases())
def test_drills_only_in_runs_mobility_only_mobility(case):
    """§5 running first (drills inside runs): running drills (role only drill) never appear in
    strength or mobility sessions; mobility sessions hold only mobility exercises besides their
    warm-up and cool-down."""
    for _, s in build(case).sessions():
        middle = [e for e in s.exercises if e.role not in BOOKEND_ROLES]
        if s.kind in ("strength", "mobility"):
            for e in middle:
                assert set(INDEX[e.id].roles) != {"drill"}, (s.date, s.kind, e.id)
        if s.kind == "mobility":
            for e in middle:
                assert INDEX[e.id].category == "mobility", (s.date, e.id)


# --- the planner's own promises: equipment, bookends, findings, determinism ----------------------


# Regression (a planner bug found here, since fixed): no running, two 30-minute days; block 2
# progresses the wall drill to the A-march, whose drills session is under 8 minutes and is dropped:
# excessive trunk flexion goes untargeted in week 3 and no note says so.
DROPPED_DRILLS_CASE = Case(
    [finding("excessive_trunk_flexion")],
    AthleteProfile(name="Runner", available_days=["mon", "tue"], minutes_per_day=30),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)
# Regression (a planner bug found here, since fixed): no running, two 20-minute days; the hip
# rotation work goes into a mobility block under 8 minutes, which is then dropped: hip rotation
# deficit untargeted, no note.
DROPPED_MOBILITY_CASE = Case(
    [finding("hip_rotation_deficit"), finding("overstriding"), finding("dynamic_knee_valgus")],
    AthleteProfile(name="Runner", available_days=["mon", "tue"], minutes_per_day=20),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2, ramp_pct=0.0, reassess_every=2),
)
SHORT_OF_TIME = ("Not enough time", "No easy run or free day with room", "no room in the run")


@PROPERTY
@given(cases())
@example(case=DROPPED_DRILLS_CASE)
@example(case=DROPPED_MOBILITY_CASE)
def test_moderate_and_high_findings_targeted_every_normal_week(case):
    """§2 the plan addresses the moderate and high findings: each is targeted in every normal
    week, unless the week says time ran short or the plan says no exercise for it spares a
    painful region."""
    plan = build(case)
    excused = {
        f
        for f in active_findings(case.findings)
        if any(
            n.startswith(planning.label(f).capitalize() + " is not targeted") for n in plan.notes
        )
    }
    wanted = set(active_findings(case.findings)) - excused
    for w in plan.weeks:
        if w.deload or w.phase not in NORMAL_PHASES:
            continue
        if any(text in n for n in w.notes for text in SHORT_OF_TIME):
            continue
        targeted = {t for s in w.sessions for e in s.exercises for t in e.targets}
        assert wanted <= targeted, (w.index, sorted(wanted - targeted), w.notes)


# Regression (a planner bug found here, since fixed): Sunday is the only day and the 5k is on
# Sunday 24 May, in week 15, a reassessment week: no reassessment and no note saying it needs a
# session of its own.
REASSESS_RACE_DAY_CASE = Case(
    [],
    AthleteProfile(
        name="Runner",
        weekly_km=5.0,
        runs_per_week=2,
        goal=Goal(event="5k", date=date(2026, 5, 24)),
        available_days=["sun"],
        minutes_per_day=25,
    ),
    PlanOptions(weeks=15, start=date(2026, 2, 11), deload_every=2, ramp_pct=0.0, reassess_every=3),
)


@PROPERTY
@given(cases())
@example(case=REASSESS_RACE_DAY_CASE)
def test_reassessment_every_n_weeks(case):
    """§3 reassessment every N weeks (default 4): one reassessment session in each such week
    (unless no day has the time, which the week says), none in the others."""
    plan = build(case)
    every = case.options.reassess_every
    for w in plan.weeks:
        found = [s for s in w.sessions if s.kind == "reassessment"]
        if w.index % every:
            assert not found, w.index
        elif not any("for the reassessment" in n for n in w.notes):
            assert len(found) == 1, (w.index, w.notes)


@PROPERTY
@given(cases())
def test_only_available_equipment(case):
    """§1 equipment at hand: no exercise needs equipment the runner does not have."""
    for _, s in build(case).sessions():
        for e in s.exercises:
            missing = set(INDEX[e.id].equipment) - set(case.profile.equipment)
            assert not missing, (s.date, s.kind, e.id, e.role, sorted(missing))


@PROPERTY
@given(cases())
def test_every_session_opens_with_warmup_and_closes_with_cooldown(case):
    """Planner promise: every session opens with a warm-up and closes with a cool-down."""
    for _, s in build(case).sessions():
        assert len(s.exercises) >= 2
        assert s.exercises[0].role == "warmup"
        assert s.exercises[-1].role == "cooldown"
        assert all(e.role not in BOOKEND_ROLES for e in s.exercises[1:-1])


@PROPERTY
@given(cases())
def test_exercises_claim_only_their_own_targets(case):
    """§2 an exercise only claims the findings the library says it targets."""
    for _, s in build(case).sessions():
        for e in s.exercises:
            assert set(e.targets) <= set(INDEX[e.id].targets), (e.id, e.targets)


@FEW
@given(cases())
def test_same_inputs_same_plan(case):
    """Planner promise: pure and deterministic, same inputs same plan."""
    assert build(case).model_dump_json() == build(case).model_dump_json()


# --- bad input -----------------------------------------------------------------------------------


@FEW
@given(plan_options(), st.integers(1, 400), st.sampled_from([*EVENTS, "trail race"]))
def test_goal_before_the_start_is_refused(options, days_before, event):
    """§5 a goal race shapes the plan, so one before the plan start is refused: PlanError naming
    the field to fix ("start: ...")."""
    goal = Goal(
        event=event,
        date=options.start - timedelta(days=days_before),
        distance_km=12.0 if event == "trail race" else None,
    )
    runner = AthleteProfile(
        name="Runner", available_days=["mon", "wed", "sat"], weekly_km=30, runs_per_week=3
    )
    with pytest.raises(planning.PlanError) as err:
        planning.build_plan([], runner.model_copy(update={"goal": goal}), options)
    assert str(err.value).startswith("start:")


@FEW
@given(weekday_sets(1), st.sampled_from(WEEKDAYS), st.integers(10, 300))
def test_days_outside_the_available_days_are_refused(days, day, minutes):
    """§1 minutes_by_day and long_run_day name available days; anything else is refused."""
    if day in days:
        AthleteProfile(name="R", available_days=days, minutes_by_day={day: minutes})
        AthleteProfile(name="R", available_days=days, long_run_day=day)
        return
    with pytest.raises(ValidationError, match="minutes_by_day"):
        AthleteProfile(name="R", available_days=days, minutes_by_day={day: minutes})
    with pytest.raises(ValidationError, match="long_run_day"):
        AthleteProfile(name="R", available_days=days, long_run_day=day)


def test_no_available_days_is_a_plan_error():
    """Bad input: no training day at all is a PlanError naming available_days."""
    with pytest.raises(planning.PlanError, match="available_days"):
        planning.build_plan(
            [], AthleteProfile(name="R", available_days=[]), PlanOptions(start=date(2026, 3, 2))
        )
