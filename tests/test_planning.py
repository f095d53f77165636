"""Tests for the plan builder: protocol invariants as hypothesis properties, plus unit cases.

The properties follow shared/protocols.md §3 (single-run spike, weekly ramp, deload, reassessment)
and the planner's own promises (time budget, equipment, pain regressions, bookends, determinism).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from runform import planning
from runform.exercises import by_id, load_library
from runform.models import (
    RUN_KINDS,
    AthleteProfile,
    Evidence,
    Finding,
    Plan,
    PlanOptions,
    PlanWeek,
)
from runform.vocab import EQUIPMENT, FINDING_IDS, REGIONS, WEEKDAYS

LIB = load_library()
INDEX = by_id(LIB)
EASIER_TARGETS = {ex.easier for ex in LIB.exercises}
TARGETABLE = [f for f in FINDING_IDS if f != "pain_flag"]
BOOKEND_ROLES = {"warmup", "cooldown"}
PROPERTY = settings(max_examples=60, deadline=None)
NOT_ENOUGH_TIME = "Not enough time"

# --- strategies ---------------------------------------------------------------------------------


def weekday_sets(min_size: int = 2) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(WEEKDAYS), min_size=min_size, max_size=7, unique=True)


def km(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 1))


@st.composite
def profiles(draw: st.DrawFn, min_days: int = 2, min_minutes: int = 30) -> AthleteProfile:
    return AthleteProfile(
        name="Runner",
        available_days=draw(weekday_sets(min_days)),
        minutes_per_day=draw(st.integers(min_minutes, 120)),
        weekly_km=draw(km(0, 100)),
        runs_per_week=draw(st.integers(0, 7)),
        longest_run_km=draw(km(0, 35)),
        equipment=draw(st.lists(st.sampled_from(EQUIPMENT), unique=True)),
        running_years=float(draw(st.integers(0, 20))),
    )


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
def finding_lists(draw: st.DrawFn, pain: bool | None = None) -> list[Finding]:
    """Distinct targetable findings, optionally a pain_flag (always when pain=True)."""
    ids = draw(st.lists(st.sampled_from(TARGETABLE), unique=True))
    out = [
        finding(
            fid,
            draw(st.sampled_from(["info", "moderate", "high"])),
            draw(st.sampled_from([None, "left", "right", "both"])),
        )
        for fid in ids
    ]
    if pain if pain is not None else draw(st.booleans()):
        out.append(pain_finding(draw(st.sampled_from(REGIONS))))
    return out


@st.composite
def plan_options(draw: st.DrawFn) -> PlanOptions:
    return PlanOptions(
        weeks=draw(st.integers(4, 24)),
        start=draw(st.dates(date(2026, 1, 1), date(2027, 12, 31))),
        deload_every=draw(st.integers(2, 6)),
        ramp_pct=float(draw(st.integers(0, 30))),
        reassess_every=draw(st.integers(2, 12)),
    )


def cases(
    pain: bool | None = None, min_days: int = 2, min_minutes: int = 30
) -> st.SearchStrategy[tuple[list[Finding], AthleteProfile, PlanOptions]]:
    return st.tuples(finding_lists(pain), profiles(min_days, min_minutes), plan_options())


# --- helpers ------------------------------------------------------------------------------------


def build(case: tuple[list[Finding], AthleteProfile, PlanOptions]) -> Plan:
    return planning.build_plan(*case)


def runs(plan: Plan) -> list[tuple[date, float]]:
    return [(s.date, s.run_km) for _, s in plan.sessions() if s.run_km > 0]


def assumed_longest(profile: AthleteProfile) -> float:
    """The intake's longest recent run; when none is given, the planner assumes an average run
    (weekly km ÷ runs a week) and says so in a note."""
    if profile.longest_run_km > 0:
        return profile.longest_run_km
    n = min(profile.runs_per_week, len(profile.available_days))
    return profile.weekly_km / n if n and profile.weekly_km > 0 else 0.0


def lower_limb_pain(findings: list[Finding]) -> bool:
    return bool(planning.LOWER_LIMB & set(planning.pain_regions(findings)))


def active_findings(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings if f.severity in ("moderate", "high") and f.id != "pain_flag"]


def strength_sets(week: PlanWeek) -> dict[str, int]:
    """Most sets of each main exercise in the week's strength sessions."""
    out: dict[str, int] = {}
    for s in week.sessions:
        if s.kind != "strength":
            continue
        for e in s.exercises:
            if e.role == "main":
                out[e.id] = max(out.get(e.id, 0), e.sets)
    return out


def time_noted(week: PlanWeek) -> bool:
    return any(n.startswith(NOT_ENOUGH_TIME) for n in week.notes)


# --- properties ---------------------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_sessions_only_on_available_days_and_inside_their_week(case):
    _, profile, options = case
    plan = build(case)
    assert [w.index for w in plan.weeks] == list(range(1, options.weeks + 1))
    for week, s in plan.sessions():
        assert WEEKDAYS[s.date.weekday()] in profile.available_days
        first = options.start + timedelta(days=7 * (week.index - 1))
        assert first <= s.date <= first + timedelta(days=6)


@PROPERTY
@given(cases())
def test_no_day_over_its_minutes(case):
    _, profile, _ = case
    per_day: dict[date, int] = defaultdict(int)
    for _, s in build(case).sessions():
        per_day[s.date] += s.minutes
    for day, total in per_day.items():
        assert total <= profile.minutes_per_day, (day, total)


@PROPERTY
@given(cases())
def test_weekly_run_volume_ramps_no_faster_than_the_plan_allows(case):
    findings, profile, options = case
    plan = build(case)
    # Lower-limb pain holds run volume (ramp 0); otherwise the option's ramp.
    ramp = 0.0 if lower_limb_pain(findings) else options.ramp_pct / 100
    assert plan.weeks[0].run_km <= profile.weekly_km + 0.01
    normal = [w for w in plan.weeks if not w.deload]
    for a, b in zip(normal, normal[1:], strict=False):
        assert b.run_km <= a.run_km * (1 + ramp) + 0.01, (a.index, a.run_km, b.index, b.run_km)
    for w in plan.weeks:
        assert w.run_km == pytest.approx(sum(s.run_km for s in w.sessions), abs=0.05)


@PROPERTY
@given(cases())
def test_no_run_longer_than_110_percent_of_the_30_day_longest(case):
    _, profile, options = case
    plan = build(case)
    # The intake's longest run is treated as run the day before the start.
    history = [(options.start - timedelta(days=1), assumed_longest(profile)), *runs(plan)]
    for day, distance in runs(plan):
        recent = [k for when, k in history if 0 < (day - when).days <= 30]
        assert distance <= 1.10 * max(recent, default=0.0) + 0.01, (day, distance, recent)


@PROPERTY
@given(cases())
def test_deload_every_nth_week_cuts_run_volume(case):
    _, _, options = case
    plan = build(case)
    last_normal: PlanWeek | None = None
    for w in plan.weeks:
        assert w.deload == (w.index % options.deload_every == 0)
        if not w.deload:
            last_normal = w
            continue
        assert last_normal is not None  # deload_every ≥ 2: week 1 is never a deload
        if last_normal.run_km > 0:
            assert w.run_km <= 0.7 * last_normal.run_km + 0.01, (w.index, w.run_km)


# The smallest case hypothesis finds: a normal week short of time cuts an exercise's sets to fit
# (single_leg_glute_bridge 1 set in week 1); the deload week cuts the library dose instead
# (3 sets → 2), so the deload week has more sets of it than the week before.
DELOAD_SETS_CASE = (
    [finding("dynamic_knee_valgus", "moderate")],
    AthleteProfile(name="Runner", available_days=["mon", "tue"], minutes_per_day=30),
    PlanOptions(weeks=4, start=date(2026, 1, 1), deload_every=2),
)


@PROPERTY
@given(cases())
@example(case=DELOAD_SETS_CASE)
def test_deload_strength_sets_not_above_previous_normal_week(case):
    plan = build(case)
    last_normal: PlanWeek | None = None
    for w in plan.weeks:
        if not w.deload:
            last_normal = w
            continue
        assert last_normal is not None
        before = strength_sets(last_normal)
        for ex_id, sets in strength_sets(w).items():
            if ex_id in before:
                assert sets <= before[ex_id], (w.index, ex_id, sets, before[ex_id])


@PROPERTY
@given(cases())
def test_reassessment_every_reassess_weeks(case):
    """Rule found in planning.py: in a week with index % reassess_every == 0 one day is chosen
    (not the long-run day if possible, then not a strength day, then the latest). A run there
    leaves 25 min more free (on top of the strength or mobility reserve, all capped at the day's
    minutes); the reassessment is placed when its warm-up and cool-down fit the time left after
    runs and the strength frame, and is then stretched to min(25, that time left) minutes. It is
    never placed in other weeks. With every day's budget ≥ 25 minutes (here ≥ 30) it was always
    there in every reassessment week."""
    _, profile, options = case
    plan = build(case)
    for w in plan.weeks:
        found = [s for s in w.sessions if s.kind == "reassessment"]
        if w.index % options.reassess_every == 0 and profile.minutes_per_day >= 25:
            assert len(found) == 1, w.index
            day = found[0].date
            taken = sum(
                s.minutes
                for s in w.sessions
                if s.date == day and (s.kind in RUN_KINDS or s.kind == "strength")
            )
            assert found[0].minutes >= min(25, profile.minutes_per_day - taken), w.index
        elif w.index % options.reassess_every:
            assert not found, w.index


def assert_findings_targeted(case) -> None:
    findings, _, _ = case
    plan = build(case)
    # A finding whose every exercise loads a painful region is left out, and the plan says so.
    excused = {
        f
        for f in active_findings(findings)
        if any(
            n.startswith(f.replace("_", " ").capitalize() + " is not targeted") for n in plan.notes
        )
    }
    wanted = set(active_findings(findings)) - excused
    for w in plan.weeks:
        for s in w.sessions:
            for e in s.exercises:  # an exercise only claims what the library says it targets
                assert set(e.targets) <= set(INDEX[e.id].targets), (e.id, e.targets)
        if w.deload or time_noted(w):
            continue
        targeted = {t for s in w.sessions for e in s.exercises for t in e.targets}
        assert wanted <= targeted, (w.index, sorted(wanted - targeted))


@PROPERTY
@given(cases(pain=False))
def test_moderate_and_high_findings_targeted_every_normal_week(case):
    assert_findings_targeted(case)


# The smallest case hypothesis finds: both findings' first choice is knee_over_toe_split_squat,
# which loads the painful ankle, so both regress to knee_to_wall_rock; choose() keeps the first
# (targets: ankle_dorsiflexion_asymmetry only) and drops the second as a duplicate exercise, so
# dynamic_knee_valgus is never targeted, with no note. Any profile shows it.
PAIN_COLLISION_CASE = (
    [
        finding("ankle_dorsiflexion_asymmetry", "moderate"),
        finding("dynamic_knee_valgus", "moderate"),
        pain_finding("ankle"),
    ],
    AthleteProfile(name="Runner", available_days=["mon", "tue"], minutes_per_day=30),
    PlanOptions(weeks=4, start=date(2026, 1, 1)),
)


@PROPERTY
@given(cases(pain=True))
@example(case=PAIN_COLLISION_CASE)
def test_moderate_and_high_findings_targeted_with_pain(case):
    assert_findings_targeted(case)


@PROPERTY
@given(cases(min_days=3, min_minutes=45))
def test_no_time_shortage_with_three_days_of_45_minutes(case):
    plan = build(case)
    for w in plan.weeks:
        assert not time_noted(w), (w.index, w.notes)


@PROPERTY
@given(cases())
def test_only_available_equipment(case):
    _, profile, _ = case
    for _, s in build(case).sessions():
        for e in s.exercises:
            missing = set(INDEX[e.id].equipment) - set(profile.equipment)
            assert not missing, (s.date, s.kind, e.id, e.role, sorted(missing))


@PROPERTY
@given(cases(pain=True))
def test_painful_regions_only_get_regressions(case):
    findings, _, _ = case
    regions = set(planning.pain_regions(findings))
    for _, s in build(case).sessions():
        for e in s.exercises:
            loaded = regions & set(INDEX[e.id].regions)
            if not loaded:
                continue
            exempt = e.role in ("warmup", "cooldown", "drill")
            assert exempt or "pain" in e.reason, (e.id, e.role, e.reason)
            if e.role not in BOOKEND_ROLES:
                # Not a harder variant picked over its base while the region hurts.
                assert "easier variant" in e.reason or e.id in EASIER_TARGETS, (e.id, e.reason)


@PROPERTY
@given(cases())
def test_every_session_opens_with_warmup_and_closes_with_cooldown(case):
    for _, s in build(case).sessions():
        assert len(s.exercises) >= 2
        assert s.exercises[0].role == "warmup"
        assert s.exercises[-1].role == "cooldown"
        assert all(e.role not in BOOKEND_ROLES for e in s.exercises[1:-1])


@PROPERTY
@given(cases())
def test_same_inputs_same_plan(case):
    assert build(case).model_dump_json() == build(case).model_dump_json()


# --- unit tests ---------------------------------------------------------------------------------

START = date(2026, 3, 2)  # a Monday


def profile(**overrides) -> AthleteProfile:
    base = {
        "name": "Runner",
        "weekly_km": 20.0,
        "runs_per_week": 3,
        "longest_run_km": 8.0,
        "available_days": ["mon", "wed", "fri", "sun"],
        "minutes_per_day": 60,
        "running_years": 3.0,
    }
    return AthleteProfile(**{**base, **overrides})


def test_no_available_days_is_a_plan_error():
    with pytest.raises(planning.PlanError, match="available_days"):
        planning.build_plan([], profile(available_days=[]), PlanOptions(start=START))


def test_no_weekly_km_gives_no_runs_and_says_so():
    plan = planning.build_plan(
        [finding("pelvic_drop", "high")], profile(weekly_km=0.0), PlanOptions(start=START)
    )
    assert all(s.kind not in RUN_KINDS and s.run_km == 0 for _, s in plan.sessions())
    assert all(w.run_km == 0 for w in plan.weeks)
    assert any("No current running" in n for n in plan.notes)
    assert any(s.kind == "strength" for _, s in plan.sessions())


def test_no_longest_run_assumes_an_average_run_and_says_so():
    plan = planning.build_plan(
        [], profile(longest_run_km=0.0, weekly_km=24.0), PlanOptions(start=START)
    )
    assert any("8.0 km (an average run) assumed" in n for n in plan.notes)
    assert max(k for _, k in runs(plan)) <= 1.10 * 8.0 + 0.01


@pytest.mark.parametrize(("every", "deloads"), [(4, [4, 8, 12]), (3, [3, 6, 9, 12])])
def test_deload_rhythm_3_to_1_and_2_to_1(every, deloads):
    plan = planning.build_plan(
        [], profile(minutes_per_day=90), PlanOptions(start=START, weeks=12, deload_every=every)
    )
    assert [w.index for w in plan.weeks if w.deload] == deloads
    assert f"Deload every {every} weeks" in plan.notes[1]
    for w in deloads:
        before, deload = plan.weeks[w - 2], plan.weeks[w - 1]
        assert 0 < deload.run_km <= 0.7 * before.run_km + 0.01
        # The week after a deload picks up from the last normal week, not from the deload.
        if w < 12:
            assert plan.weeks[w].run_km > deload.run_km


def test_small_case_by_hand():
    """4 days × 60 min, 20 km a week in 3 runs, longest 8 km (intermediate, 6 min/km).

    Runs: Sun is the long run (the weekend day), Mon and Fri the others (spread), Mon the tempo
    (one quality run for an intermediate, odd week). Strength on Wed and Mon (non-run day first,
    then not next to it). Time kept free: 27 min on strength days (bookends and the four general
    strength exercises), 8 min on the others (the mobility minimum); run bookends take 3 min.
    Caps: Mon (60 − 27 − 3) / 6 = 5.0 km, Fri and Sun (60 − 8 − 3) / 6 = 8.17 km, spike
    1.1 × 8 = 8.8 km. Shares 0.18 / 0.52 / 0.30 of 20 km: Fri's 10.4 km is capped at 8.17, the
    other 11.83 km split 0.18 : 0.30, Mon 4.44 and Sun 7.40; each rounded down to 0.5 km.
    """
    plan = planning.build_plan([], profile(), PlanOptions(start=START))
    week = plan.weeks[0]
    by_kind = {s.kind: s for s in week.sessions if s.run_km}
    assert {k: (s.date.strftime("%a"), s.run_km) for k, s in by_kind.items()} == {
        "tempo": ("Mon", 4.0),
        "easy_run": ("Fri", 8.0),
        "long_run": ("Sun", 7.0),
    }
    assert by_kind["long_run"].run_km <= 8.8
    assert week.run_km == 19.0
    assert "capped by the 60 minutes available" in by_kind["easy_run"].reason
    strength_days = [s.date.strftime("%a") for s in week.sessions if s.kind == "strength"]
    assert strength_days == ["Mon", "Wed"]
    # 19 of 20 km is within a kilometre of the intake: no "Week 1 holds" note.
    assert not any(n.startswith("Week 1 holds") for n in plan.notes)


def test_long_run_capped_by_the_single_run_spike():
    """With time to spare, the long run's 30 % share of 40 km (12 km) meets the 110 % cap:
    1.1 × 8 km = 8.8 km, rounded down to the 0.5 km step."""
    plan = planning.build_plan(
        [], profile(weekly_km=40.0, minutes_per_day=120), PlanOptions(start=START)
    )
    long_run = next(s for s in plan.weeks[0].sessions if s.kind == "long_run")
    assert long_run.run_km == 8.5
    assert "110 % of the longest run of the previous 30 days" in long_run.reason


def test_deload_week_holds_fewer_strength_sets_than_the_week_before():
    """Protocols §3: a deload cuts strength sets by 30 %. Counted over the week's strength
    sessions (main exercises), for a runner with every finding, 5 days × 60 min, 30 km."""
    findings = [finding(f, "high") for f in TARGETABLE]
    runner = profile(
        weekly_km=30.0,
        runs_per_week=4,
        longest_run_km=12.0,
        available_days=["mon", "wed", "fri", "sat", "sun"],
        equipment=["band", "dumbbells"],
    )
    plan = planning.build_plan(findings, runner, PlanOptions(start=START, weeks=4))

    def total(w: PlanWeek) -> int:
        return sum(
            e.sets
            for s in w.sessions
            if s.kind == "strength"
            for e in s.exercises
            if e.role == "main"
        )

    assert plan.weeks[3].deload
    assert total(plan.weeks[3]) <= total(plan.weeks[2])
