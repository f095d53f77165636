"""Hand-checked plans for varied runners, as a coach would read them (protocols §5).

Each runner is one a coach tried and could not sign before: a beginner on 3 × 30 minutes, a
70 km/week marathoner, a runner with knee pain 5/10, a 64-year-old with calf strains, a two-day
runner, a seven-day high-volume runner and a 10k runner with a Saturday long run. The numbers
asserted were worked out by hand from protocols §5 and data/planning.toml; each test names the
rule it holds.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runform import paces, planning
from runform.compensations import assess
from runform.exercises import by_id, load_library
from runform.models import Intake, Plan, PlanOptions
from runform.vocab import HARD_KINDS, RUN_KINDS
from runform.workouts import flat

START = date(2026, 12, 7)  # a Monday
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
NO_FAULTS = {
    "knee_valgus": False,
    "pelvic_drop": False,
    "trunk_lean": False,
    "poor_depth": False,
    "loss_of_balance": False,
}
INDEX = by_id(load_library())


def make(athlete: dict, screens: dict | None = None, pain: list | None = None, weeks: int = 16):
    intake = Intake.model_validate(
        {
            "athlete": {"name": "Runner", **athlete},
            "assessed_on": "2026-11-20",
            "pain": pain or [],
            "screens": screens or {},
        }
    )
    findings = assess(intake)
    plan = planning.build_plan(
        findings, intake.athlete, PlanOptions(start=START, weeks=weeks), screens=intake.screens
    )
    return intake, findings, plan


def runs(plan: Plan, kinds: tuple[str, ...] = RUN_KINDS):
    return [(w, s) for w, s in plan.sessions() if s.kind in kinds]


def hard_dates(plan: Plan) -> list[date]:
    return sorted(s.date for _, s in plan.sessions() if s.kind in HARD_KINDS)


def no_hard_back_to_back(plan: Plan) -> None:
    days = hard_dates(plan)
    assert all((b - a).days >= 2 for a, b in zip(days, days[1:], strict=False)), days


@pytest.fixture(scope="module")
def marathoner():
    return make(
        {
            "weekly_km": 70,
            "runs_per_week": 5,
            "longest_run_km": 24,
            "running_years": 8,
            "goal": {"event": "marathon", "date": "2027-03-14"},
            "available_days": ALL_DAYS,
            "minutes_per_day": 120,
            "recent_race": {"distance_km": 21.1, "time": "01:32:00", "date": "2026-10-04"},
            "max_hr": 182,
        },
        {"calf_raise_reps": {"left": 22, "right": 27}, "cadence_spm": 162, "overstride": True},
    )[2]


def test_marathoner_race_taper_and_recovery_counted_back_from_the_goal(marathoner):
    """§5 goal race: race on its date, a 3-week marathon taper (−41–60 %), then recovery at most
    half the peak and a new base, never at peak volume."""
    plan = marathoner
    races = [s for _, s in plan.sessions() if s.kind == "race"]
    assert [s.date for s in races] == [date(2027, 3, 14)]
    assert races[0].run_km == pytest.approx(42.2, abs=0.1)  # no warm-up jog before a marathon
    phases = [w.phase for w in plan.weeks]
    assert phases[11:15] == ["taper", "taper", "race", "recovery"]
    peak = max(w.run_km for w in plan.weeks if w.phase in ("base", "build", "peak"))
    race_week = plan.weeks[13]
    taper = [plan.weeks[11].run_km, plan.weeks[12].run_km, race_week.run_km - races[0].run_km]
    for km, share in zip(taper, [0.59, 0.52, 0.45], strict=True):
        assert km <= share * peak + 0.5
        assert 0.40 * peak <= km <= 0.60 * peak
    assert plan.weeks[14].run_km <= 0.5 * peak
    after = [s for _, s in plan.sessions() if date(2027, 3, 14) < s.date <= date(2027, 3, 19)]
    assert not [s for s in after if s.kind in HARD_KINDS]  # 5 days without a hard session
    assert plan.weeks[15].phase == "base" and plan.weeks[15].run_km < peak


def test_marathoner_volume_has_a_ceiling_and_a_time_capped_long_run_says_so(marathoner):
    """§5 ceiling: never above 1.5 × 70 km; the long run on Sunday is capped by the 120 minutes
    and its reason says that, not another cap."""
    plan = marathoner
    assert max(w.run_km for w in plan.weeks if w.phase != "race") <= 105
    longs = [s for _, s in runs(plan, ("long_run",))]
    assert {s.date.weekday() for s in longs} == {6}
    capped = [s for s in longs if "capped by the 120 minutes available on Sunday" in s.reason]
    assert capped and all(s.minutes <= 120 for s in longs)
    for w in plan.weeks:  # the long run is the longest run of its week
        week_runs = [s.run_km for s in w.sessions if s.kind in RUN_KINDS and s.kind != "race"]
        longs_w = [s.run_km for s in w.sessions if s.kind == "long_run"]
        if longs_w:
            assert max(week_runs) == longs_w[0]
    no_hard_back_to_back(plan)


def test_marathoner_paces_come_from_the_half_marathon(marathoner):
    """§5 intensity: Daniels and Gilbert paces from 21.1 km in 1:32:00 (VDOT ≈ 49.7); the
    threshold band is 83–88 % of it (Daniels tables: VDOT 50 runs 1:31:35, 49 runs 1:33:12),
    and easy steps show 60–75 % of max HR (109–136 bpm)."""
    vdot = paces.vdot(21.1, 92 * 60)
    assert vdot == pytest.approx(49.7, abs=0.1)
    threshold = paces.band(vdot, "threshold")
    assert threshold == (256, 269)  # 4:16–4:29 /km by hand; Daniels tables: T 4:15 at VDOT 50
    tempo = next(s for _, s in runs(marathoner, ("tempo",)))
    work = [st for st in flat(tempo.steps) if st.kind == "work"]
    assert work and all(st.target.pace_s_per_km == threshold for st in work)
    assert all(st.target.rpe == (5, 6) for st in work)
    easy = next(s for _, s in runs(marathoner, ("easy_run",)))
    assert next(st for st in flat(easy.steps) if st.kind == "work").target.hr_bpm == (109, 136)


@pytest.fixture(scope="module")
def beginner():
    return make(
        {
            "weekly_km": 10,
            "runs_per_week": 3,
            "longest_run_km": 5,
            "running_years": 0.5,
            "available_days": ["tue", "thu", "sat"],
            "minutes_per_day": 30,
            "goal": {"event": "5k", "date": "2027-03-07"},
        },
        {"calf_raise_reps": {"left": 14, "right": 16}},
    )


def test_beginner_keeps_running_and_gets_no_structured_intervals(beginner):
    """§5 running first: 10 km in three 30-minute days stays about 10 km (not 2.5); beginners
    get no structured intervals; the long run is the week's longest."""
    _, _, plan = beginner
    w1 = plan.weeks[0]
    assert w1.run_km >= 9.5
    assert len([s for s in w1.sessions if s.kind in RUN_KINDS]) == 3
    assert not runs(plan, ("intervals",))
    for w in plan.weeks:
        assert all(
            sum(s.minutes for s in w.sessions if s.date == d) <= 30
            for d in {s.date for s in w.sessions if s.kind != "race"}
        )
    race = next(s for _, s in plan.sessions() if s.kind == "race")
    assert race.date == date(2027, 3, 7) and race.run_km >= 5.0
    no_hard_back_to_back(plan)


def test_beginner_gets_no_plyometrics_with_14_heel_raises(beginner):
    """§5 capacity before impact: hops and hill sprints need 25 heel raises on both sides."""
    _, _, plan = beginner
    used = {e.id for _, s in plan.sessions() for e in s.exercises}
    assert not [i for i in used if INDEX[i].impact]
    assert any("25 single-leg heel raises" in n and "(now 14)" in n for n in plan.notes)


@pytest.fixture(scope="module")
def knee_pain():
    return make(
        {
            "weekly_km": 35,
            "runs_per_week": 4,
            "longest_run_km": 14,
            "running_years": 4,
            "available_days": ["mon", "wed", "fri", "sat", "sun"],
            "minutes_per_day": 75,
            "goal": {"event": "half marathon", "date": "2027-04-11"},
        },
        {
            "single_leg_squat": {
                "left": {**NO_FAULTS, "knee_valgus": True},
                "right": dict(NO_FAULTS),
            }
        },
        [{"region": "knee", "side": "left", "score": 5, "when": "during_run"}],
    )


def test_knee_pain_takes_the_quality_out_of_the_running(knee_pain):
    """§5 pain leads the running: knee pain 5/10 during runs → no tempo, intervals, strides,
    hills or plyometrics; run–walk easy runs; cross-training keeps the aerobic work."""
    _, findings, plan = knee_pain
    assert any(f.id == "pain_flag" for f in findings)
    assert not runs(plan, ("tempo", "intervals"))
    assert [s for _, s in plan.sessions() if s.kind == "cross_training"]
    used = [INDEX[e.id] for _, s in plan.sessions() for e in s.exercises if e.id in INDEX]
    assert not [e.id for e in used if e.impact or e.fast]
    for _, s in runs(plan, ("easy_run", "long_run")):
        assert s.steps[0].kind == "repeat"
        assert [c.note for c in s.steps[0].steps][1] == "walk"
        assert "3/10" in s.steps[0].steps[0].note
    volumes = [w.run_km for w in plan.weeks if not w.deload]
    assert max(volumes) <= 35  # held, not ramped, while the flag stands


@pytest.fixture(scope="module")
def calf64():
    return make(
        {
            "birth_year": 1962,
            "weekly_km": 25,
            "runs_per_week": 3,
            "longest_run_km": 10,
            "running_years": 20,
            "available_days": ["mon", "wed", "fri", "sun"],
            "minutes_per_day": 60,
            "injury_history": "calf strains",
        },
        {"calf_raise_reps": {"left": 12, "right": 18}},
    )


def test_calf_strains_get_calf_work_and_no_impact(calf64):
    """§5 capacity: 12/18 heel raises → calf endurance work every normal week, no hops or
    pogos; no goal race → base and build blocks with deloads every 4th week."""
    _, findings, plan = calf64
    assert "calf_endurance_deficit" in {f.id for f in findings}
    used = {e.id for _, s in plan.sessions() for e in s.exercises}
    assert not [i for i in used if INDEX[i].impact]
    for w in plan.weeks:
        if not w.deload:
            targets = {t for s in w.sessions for e in s.exercises for t in e.targets}
            assert "calf_endurance_deficit" in targets, w.index
    assert [w.index for w in plan.weeks if w.deload] == [4, 8, 12, 16]
    assert {w.phase for w in plan.weeks} <= {"base", "build"}
    no_hard_back_to_back(plan)


def test_calf64_deload_cuts_thirty_percent_of_volume_and_strength_sets(calf64):
    """§5 deload: volume and strength sets −30 % of the last normal week, not more."""
    _, _, plan = calf64
    for w in plan.weeks:
        if not w.deload:
            continue
        before = plan.weeks[w.index - 2]
        assert w.run_km <= 0.7 * before.run_km + 0.5
        assert w.run_km >= 0.7 * before.run_km - 2.0

        def sets(week):
            return sum(
                e.sets
                for s in week.sessions
                if s.kind == "strength"
                for e in s.exercises
                if e.role == "main"
            )

        assert sets(w) == pytest.approx(0.7 * sets(before), abs=1.0)


@pytest.fixture(scope="module")
def two_day():
    return make(
        {
            "weekly_km": 15,
            "runs_per_week": 2,
            "longest_run_km": 9,
            "running_years": 3,
            "available_days": ["wed", "sun"],
            "minutes_per_day": 60,
        }
    )[2]


def test_two_day_runner_runs_both_days_and_the_sunday_run_is_the_long_one(two_day):
    """§5 running first and long run: two runs a week stay two; Sunday's is the longer; no
    quality session with only two runs (a long run and an easy one)."""
    for w in two_day.weeks:
        kinds = {s.date.strftime("%a"): s for s in w.sessions if s.kind in RUN_KINDS}
        assert set(kinds) == {"Wed", "Sun"}
        assert kinds["Sun"].kind == "long_run" and kinds["Wed"].kind == "easy_run"
        assert kinds["Sun"].run_km >= kinds["Wed"].run_km
    assert two_day.weeks[0].run_km == 15


@pytest.fixture(scope="module")
def seven_day():
    return make(
        {
            "weekly_km": 100,
            "runs_per_week": 7,
            "longest_run_km": 30,
            "running_years": 12,
            "available_days": ALL_DAYS,
            "minutes_per_day": 150,
            "minutes_by_day": {"sun": 200},
            "goal": {"event": "marathon", "date": "2027-04-25"},
            "recent_race": {"distance_km": 10, "time": "00:34:30", "date": "2026-11-01"},
            "max_hr": 190,
        },
        {"calf_raise_reps": {"left": 30, "right": 31}},
        weeks=24,
    )[2]


def test_seven_day_runner_peaks_at_the_goals_need_and_caps_the_long_run(seven_day):
    """§5 ceiling lowered by the goal: a marathon needs at most 35 km ÷ 30 % ≈ 117 km, below
    1.5 × 100; the long run grows by the spike rule to the 35 km cap, on Sunday's 200 minutes;
    quality work inside Daniels' limits."""
    weeks = seven_day.weeks
    assert max(w.run_km for w in weeks if w.phase != "race") <= 117
    longs = [s for _, s in runs(seven_day, ("long_run",))]
    assert max(s.run_km for s in longs) == 35
    assert all(s.minutes <= 200 for s in longs)
    for w in weeks:
        for s in w.sessions:
            if s.kind == "intervals":
                rep = next(st for st in s.steps if st.kind == "repeat")
                work_m = rep.repeat * rep.steps[0].distance_m
                assert work_m <= min(10_000, 0.08 * w.run_km * 1000) + 1
    no_hard_back_to_back(seven_day)


@pytest.fixture(scope="module")
def ten_k():
    return make(
        {
            "weekly_km": 40,
            "runs_per_week": 4,
            "longest_run_km": 14,
            "running_years": 5,
            "available_days": ["tue", "thu", "sat", "sun"],
            "minutes_per_day": 70,
            "long_run_day": "sat",
            "goal": {"event": "10 km", "date": "2027-01-17"},
            "recent_race": {"distance_km": 5, "time": "00:22:10", "date": "2026-11-01"},
        },
        {"cadence_spm": 160, "overstride": True, "calf_raise_reps": {"left": 26, "right": 28}},
    )[2]


def test_10k_runner_long_run_on_saturday_and_no_hard_day_before_the_race(ten_k):
    """§5 long-run day and hard/easy: long runs on the chosen Saturday (never the day before
    the race), the race on Sunday 17 January, intervals never the day after strength."""
    longs = [s for _, s in runs(ten_k, ("long_run",))]
    assert longs and {s.date.weekday() for s in longs} == {5}
    race = next(s for _, s in ten_k.sessions() if s.kind == "race")
    assert race.date == date(2027, 1, 17)
    day_before = [s for _, s in ten_k.sessions() if s.date == race.date - timedelta(days=1)]
    assert not [s for s in day_before if s.kind in HARD_KINDS or s.kind == "strength"]
    no_hard_back_to_back(ten_k)


def test_10k_overstrider_gets_the_metronome_cadence_drill_at_five_to_ten_percent(ten_k):
    """§5 cadence retraining: 160 spm at easy pace → metronome blocks at 168–176 spm inside
    easy runs, never in gym sessions."""
    blocks = [
        (s, st)
        for _, s in ten_k.sessions()
        for st in flat(s.steps)
        if "metronome at 168–176 spm" in st.note
    ]
    assert blocks and {s.kind for s, _ in blocks} == {"easy_run"}
    gym = [
        e.id
        for _, s in ten_k.sessions()
        if s.kind in ("strength", "mobility")
        for e in s.exercises
        if e.role == "drill" or "main" not in INDEX[e.id].roles and e.role == "main"
    ]
    assert not gym


def test_goal_before_the_start_is_refused_at_the_start_field():
    """Bad input: a goal race before the plan start cannot make a plan."""
    with pytest.raises(planning.PlanError, match=r"^start: the goal race on 2026-12-01"):
        make(
            {
                "weekly_km": 20,
                "runs_per_week": 3,
                "available_days": ["tue", "thu", "sun"],
                "goal": {"event": "10k", "date": "2026-12-01"},
            }
        )


def test_planning_table_refuses_numbers_outside_the_protocol(tmp_path):
    """A threshold lives once, validated: a taper cut outside 41–60 % or a misspelt key fails
    at load, naming the field."""
    from pydantic import ValidationError

    from runform.paths import data_dir
    from runform.planconfig import load_config

    text = (data_dir() / "planning.toml").read_text()
    for bad, field in [
        (text.replace("taper_shares = [0.55, 0.45]", "taper_shares = [0.7, 0.45]"), "taper_shares"),
        (text.replace("max_share = 0.30", "max_share = 0.30\nmax_shares = 1"), "max_shares"),
        (text.replace("low = 1.05", "low = 1.15"), "low"),
    ]:
        path = tmp_path / f"{field}.toml"
        path.write_text(bad)
        with pytest.raises(ValidationError, match=field):
            load_config(path)
    assert load_config()["periodisation"]["taper_shares"] == [0.55, 0.45]
