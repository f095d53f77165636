"""Time build_plan: a 24-week plan for a realistic runner with many findings.

Run: python benchmarks/bench_planning.py [--repeat N]   (default 50; --repeat 3 for CI)
It reports the median and p95 against the 50 ms target; it never fails on speed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta
from functools import partial

from runform.compensations import assess
from runform.models import AthleteProfile, Intake, PainEntry, PlanOptions
from runform.planning import build_plan

TARGET_MS = 50.0


def runner_intake() -> Intake:
    """A 45 km/week half-marathoner with a knee niggle and most screens below the thresholds."""
    athlete = AthleteProfile(
        name="Bench Runner",
        running_years=6.0,
        weekly_km=45.0,
        runs_per_week=5,
        longest_run_km=16.0,
        available_days=["mon", "tue", "thu", "fri", "sat", "sun"],
        minutes_per_day=75,
        equipment=["band", "mini_band", "dumbbells", "box", "bench"],
    )
    faults = {"knee_valgus": True, "pelvic_drop": True, "trunk_lean": False}
    faults |= {"poor_depth": False, "loss_of_balance": False}
    return Intake(
        athlete=athlete,
        assessed_on=date(2025, 11, 3),
        pain=[PainEntry(region="knee", side="left", score=4, when="during_run")],
        screens={
            "knee_to_wall_cm": {"left": 7.0, "right": 9.5},
            "navicular_drop_mm": {"left": 11.0, "right": 9.0},
            "hip_ir_deg": {"left": 26.0, "right": 38.0},
            "hip_er_deg": {"left": 35.0, "right": 36.0},
            "thoracic_rotation_deg": {"left": 40.0, "right": 52.0},
            "hip_hinge": 2,
            "trunk_flexor_s": 140.0,
            "trunk_extensor_s": 120.0,
            "side_plank_s": {"left": 45.0, "right": 70.0},
            "single_leg_squat": {"left": faults, "right": faults},
            "single_leg_bridge_reps": {"left": 14.0, "right": 19.0},
            "calf_raise_reps": {"left": 18.0, "right": 24.0},
            "cadence_spm": 160.0,
            "vertical_oscillation_cm": 10.8,
            "overstride": True,
        },
    )


def logged_runs(start: date) -> list[tuple[date, float]]:
    """The runner's last eight weeks of runs before the plan: five a week, a long run on Sunday."""
    runs = []
    for week in range(8, 0, -1):
        monday = start - timedelta(weeks=week)
        for day, km in ((0, 8.0), (1, 10.0), (3, 8.0), (4, 6.0), (6, 14.0 + week % 2)):
            runs.append((monday + timedelta(days=day), km))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="plans to build (default 50)")
    args = parser.parse_args(argv)

    intake = runner_intake()
    findings = assess(intake)
    options = PlanOptions(weeks=24, start=date(2026, 1, 5))
    known = logged_runs(options.start)
    plan_for = partial(
        build_plan,
        findings,
        intake.athlete,
        options,
        known_runs=known,
        assessed_on=intake.assessed_on,
    )
    plan_for()  # warm the library and config caches

    times = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        plan = plan_for()
        times.append((time.perf_counter() - t0) * 1000)

    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    sessions = sum(len(w.sessions) for w in plan.weeks)
    print(
        f"build_plan: {len(findings)} findings, {len(plan.weeks)} weeks, {sessions} sessions, "
        f"{len(known)} logged runs known, {len(times)} runs"
    )
    print(f"median {median:.1f} ms, p95 {p95:.1f} ms (target: under {TARGET_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
