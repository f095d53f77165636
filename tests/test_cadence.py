"""The runner's own step rate by speed and the target 5–10 % above it (protocols §5), worked by
hand, and every caller that uses it: findings, the planner, the small win, the chart, the
metronome.

The runs of `RUNS` (easy runs of 30 minutes; speed = km ÷ 0.5 h), binned 0.5 km/h wide, 3 runs
a bin (data/planning.toml [cadence], conventions):

    bin 9.5–10.0 km/h:  9.6 (150), 9.8 (152)               2 runs: too few, not counted
    bin 10.0–10.5:      10.0 (160), 10.2 (162), 10.4 (166)  median 162 spm
    bin 11.0–11.5:      11.0 (168), 11.2 (170), 11.4 (171)  median 170 spm
    a tempo at 12.0 km/h (180): not an easy run, left out

Both counted bins hold 3 runs; the slower is the runner's usual easy speed, so the target there
is 1.05 × 162 = 170.1 to 1.10 × 162 = 178.2 spm. At 10.75 km/h, between the bins' centres 10.25
and 11.25, the runner's own rate is the straight line between them: 162 + 0.5 × (170 − 162) = 166,
and the target 1.05 × 166 = 174.3 spm.
"""

from __future__ import annotations

import io
import json
import wave
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from runform import cadence, clock, figures, metronome, milestones
from runform.compensations import Mark, assess, threshold
from runform.models import AthleteProfile, Intake, SessionLog
from runform.services import assessments, plans
from runform.services import cadence as cadence_service
from runform.store import logs
from tests.conftest import EXAMPLE, add_runner

TODAY = clock.today()
# (km in 30 minutes, cadence, kind)
RUNS = [
    (4.8, 150, "easy_run"),
    (4.9, 152, "easy_run"),
    (5.0, 160, "easy_run"),
    (5.1, 162, "easy_run"),
    (5.2, 166, "easy_run"),
    (5.5, 168, "easy_run"),
    (5.6, 170, "easy_run"),
    (5.7, 171, "easy_run"),
    (6.0, 180, "tempo"),
]


def frame(first: date = date(2026, 9, 1), runs=RUNS) -> pd.DataFrame:
    """One run a day from `first`, in RUNS' order."""
    return pd.DataFrame(
        [
            {
                "day": first + timedelta(days=n),
                "kind": k,
                "run_km": km,
                "minutes": 30.0,
                "cadence_spm": spm,
            }
            for n, (km, spm, k) in enumerate(runs)
        ]
    )


def test_the_baseline_is_the_median_of_each_speed_bin_with_enough_easy_runs() -> None:
    b = cadence.baseline(frame())
    assert [(s.low_kmh, s.high_kmh, s.runs, s.step_rate) for s in b.bins] == [
        (10.0, 10.5, 3, 162.0),
        (11.0, 11.5, 3, 170.0),
    ]
    assert b.runs == 8  # the tempo is not an easy run
    assert b.usual() == b.bins[0]  # a tie in runs: the slower speed


def test_the_target_is_5_to_10_percent_over_the_own_rate_at_matched_speed() -> None:
    b = cadence.baseline(frame())
    usual = cadence.target(b)
    assert usual.basis == "runs"
    assert (usual.low_spm, usual.high_spm) == pytest.approx((170.1, 178.2))
    assert usual.words().startswith("5–10 % over the runner's own 162 spm at 10.0–10.5 km/h")
    assert usual.metronome_bpm() == 170
    inside = cadence.target_at(b, 10.25)
    assert inside is not None and inside.low_spm == pytest.approx(170.1)
    between = cadence.target_at(b, 10.75)
    assert between is not None
    assert between.baseline_spm == pytest.approx(166.0)
    assert (between.low_spm, between.high_spm) == pytest.approx((174.3, 182.6))
    assert cadence.target_at(b, 9.7) is None  # slower than any counted bin: no matched speed
    assert cadence.target_at(b, 12.0) is None


def test_without_runs_the_intake_then_the_rule_tables_mark() -> None:
    """Nothing known: 166 spm from data/rules.toml (a convention), the number kept once."""
    none = cadence.target(cadence.Baseline())
    assert none.basis == "convention" and none.low_spm == threshold("overstriding", "cadence_spm")
    assert none.low_spm == 166
    intake = cadence.target(cadence.Baseline(), intake_spm=160.0)
    assert intake.basis == "intake" and (intake.low_spm, intake.high_spm) == pytest.approx(
        (168.0, 176.0)
    )


def test_the_window_is_the_habit_before_retraining() -> None:
    """With runs before the first assessment, the 56 days before it; else the first 56 days."""
    runs = frame(first=date(2026, 6, 1))
    later = frame(first=date(2026, 9, 1), runs=[(5.1, 175, "easy_run")] * 5)
    both = pd.concat([runs, later], ignore_index=True)
    before = cadence.window(both, anchor=date(2026, 7, 1))
    assert set(before["cadence_spm"]) == {150, 152, 160, 162, 166, 168, 170, 171}
    first_weeks = cadence.window(both, anchor=date(2026, 1, 1))  # nothing before it
    assert max(first_weeks["day"]) < date(2026, 6, 1) + timedelta(days=56)
    assert cadence.baseline(both, date(2026, 7, 1)).bins[0].step_rate == 162.0  # 175s left out


def test_each_run_is_judged_at_its_own_speed() -> None:
    b = cadence.baseline(frame())
    runs = frame(
        first=date(2026, 10, 1),
        runs=[(5.1, 171, "easy_run"), (5.6, 172, "easy_run"), (4.8, 150, "easy_run")],
    )
    judged = cadence.per_run(runs, b)
    assert judged["target_spm"].tolist()[:2] == pytest.approx([170.1, 178.5])
    assert np.isnan(judged["target_spm"].iloc[2])  # 9.6 km/h: no matched speed
    assert judged["held"].tolist()[:2] == [True, False] and pd.isna(judged["held"].iloc[2])
    assert judged["own"].all()
    fallback = cadence.per_run(runs, cadence.Baseline())
    assert (fallback["target_spm"] == 166).all() and not fallback["own"].any()


def test_the_cadence_target_held_for_two_weeks_at_matched_speed() -> None:
    """Two weeks whose runs sit at or above 170.1 spm at 10.2 km/h: a win, although a weekly
    average across paces would say nothing of it."""
    b = cadence.baseline(frame())
    monday = date(2026, 10, 5)
    runs = frame(first=monday, runs=[(5.1, 171, "easy_run")] * 2)
    runs = pd.concat([runs, frame(first=monday + timedelta(days=7), runs=[(5.1, 172, "easy_run")])])
    wins = milestones.cadence_held(
        pd.DataFrame(columns=["week_start", "cadence_spm"]), cadence.per_run(runs, b)
    )
    assert [(w.title, w.day) for w in wins] == [
        ("Cadence target held for 2 weeks", monday + timedelta(days=7))
    ]
    slipped = pd.concat(
        [runs, frame(first=monday + timedelta(days=14), runs=[(5.1, 169, "easy_run")])]
    )
    assert milestones.cadence_held(pd.DataFrame(), cadence.per_run(slipped, b)) == []


# --- the findings ---------------------------------------------------------------------------------


def _intake(spm: float) -> Intake:
    return Intake.model_validate(
        {
            "athlete": EXAMPLE["athlete"],
            "assessed_on": "2026-11-20",
            "screens": {"cadence_spm": spm},
        }
    )


def test_a_personal_mark_replaces_the_convention_in_the_overstriding_rule() -> None:
    own = {"cadence_spm": Mark(value=170.1, words="target 5–10 % over the runner's own 162 spm")}
    [found] = assess(_intake(169), marks=own)
    assert found.id == "overstriding"
    assert found.evidence[0].threshold == "< 170 spm (target 5–10 % over the runner's own 162 spm)"
    assert "coaching convention" not in found.explanation
    assert assess(_intake(171), marks=own) == []
    [fallback] = assess(_intake(165))
    assert fallback.evidence[0].threshold == "< 166 spm" and "convention" in fallback.explanation
    assert assess(_intake(165), marks={"cadence_spm": Mark(value=None, words="off")}) == []


def _log_runs(con, athlete: int, first: date) -> None:
    for n, (km, spm, kind) in enumerate(RUNS):
        logs.save(
            con,
            SessionLog(
                athlete_id=athlete,
                day=first + timedelta(days=n),
                kind=kind,
                minutes=30.0,
                rpe=3.0,
                run_km=km,
                cadence_spm=float(spm),
            ),
        )


def _reassess(con, athlete: int, on: date, spm: float):
    raw = {
        **EXAMPLE,
        "assessed_on": on.isoformat(),
        "pain": [],
        "screens": {"cadence_spm": spm, "knee_to_wall_cm": {"left": 12.0, "right": 12.0}},
    }
    return assessments.record_intake(con, raw, athlete)


def test_once_overstriding_is_found_it_resolves_at_the_runners_own_target(con) -> None:
    """165 spm at the first look: below the 166 convention, overstriding. 169 a week later would
    pass 166, but the runner's own target is 170.1 (162 at 10.0–10.5 km/h): not yet. 171: done."""
    athlete = add_runner(con, AthleteProfile.model_validate(EXAMPLE["athlete"]))
    _log_runs(con, athlete, TODAY - timedelta(days=30))
    first = _reassess(con, athlete, TODAY - timedelta(days=14), 165)
    [ev] = next(f for f in first.findings if f.id == "overstriding").evidence
    assert ev.threshold == "< 166 spm"
    second = _reassess(con, athlete, TODAY - timedelta(days=7), 169)
    [ev] = next(f for f in second.findings if f.id == "overstriding").evidence
    assert ev.threshold.startswith("< 170 spm (target 5–10 % over the runner's own 162 spm")
    third = _reassess(con, athlete, TODAY, 171)
    assert "overstriding" not in [f.id for f in third.findings]


def test_a_runner_never_found_overstriding_keeps_the_convention(con) -> None:
    athlete = add_runner(con, AthleteProfile.model_validate(EXAMPLE["athlete"]))
    _log_runs(con, athlete, TODAY - timedelta(days=30))
    assert cadence_service.finding_marks(con, athlete, TODAY) == {}
    saved = _reassess(con, athlete, TODAY, 168)  # 168: under 1.05 × 162, over 166
    assert "overstriding" not in [f.id for f in saved.findings]


def test_the_plan_s_cadence_blocks_and_the_metronome_use_the_own_target(con) -> None:
    athlete = add_runner(con, AthleteProfile.model_validate(EXAMPLE["athlete"]))
    _log_runs(con, athlete, TODAY - timedelta(days=30))
    _reassess(con, athlete, TODAY - timedelta(days=1), 160)
    own = cadence_service.target(con, athlete)
    assert own.basis == "runs" and own.range_text() == "170–178 spm"
    start = TODAY + timedelta(days=7 - TODAY.weekday())
    saved = plans.generate(con, athlete, {"weeks": 4, "start": start.isoformat()})
    text = json.dumps(plans.load(con, saved.plan_id).model_dump(mode="json"), ensure_ascii=False)
    assert "metronome at 170–178 spm" in text


# --- the chart --------------------------------------------------------------------------------


def test_the_chart_shows_runs_against_speed_the_own_rate_and_the_band() -> None:
    b = cadence.baseline(frame())
    fig = figures.cadence_speed(cadence.per_run(frame(), b), b)
    names = [t.name for t in fig.data]
    assert names[-3:] == ["target +10%", "target +5%", "own easy-pace step rate"]
    own = fig.data[-1]
    assert list(own.x) == [10.25, 11.25] and list(own.y) == [162.0, 170.0]
    assert list(fig.data[-2].y) == pytest.approx([170.1, 178.5])
    empty = figures.cadence_speed(cadence.per_run(frame(), cadence.Baseline()), cadence.Baseline())
    assert empty.layout.shapes[0].y0 == 166
    assert "0.5 km/h" in figures.cadence_speed_note(b)


# --- the metronome ------------------------------------------------------------------------------


def _clicks(data: bytes) -> tuple[np.ndarray, int, int]:
    """Where each click starts (samples), the sample rate and the length in samples."""
    with wave.open(io.BytesIO(data)) as w:
        rate, n = w.getframerate(), w.getnframes()
        pcm = np.frombuffer(w.readframes(n), dtype="<i2").astype(float)
    loud = np.abs(pcm) > 0.05 * 32767
    starts = np.flatnonzero(loud & ~np.concatenate([[False], loud[:-1]]))
    # a click rings for 20 ms: rises within it belong to the same click
    keep = [starts[0]]
    for s in starts[1:]:
        if s - keep[-1] > 0.05 * rate:
            keep.append(s)
    return np.array(keep), rate, n


@pytest.mark.parametrize("bpm", [170, 171, 178])
def test_the_metronome_plays_bpm_clicks_a_minute_evenly(bpm: int) -> None:
    """170 beats: a click every 60 ÷ 170 = 0.3529 s, 2823.5 samples at 8 kHz, 170 in the minute."""
    clicks, rate, length = _clicks(metronome.wav(bpm))
    assert length == 60 * rate  # exactly a minute: the loop's seam falls on the beat
    assert len(clicks) == bpm
    gaps = np.diff(clicks) / rate
    assert np.allclose(gaps, 60 / bpm, atol=1.5 / rate)
    assert (length - clicks[-1]) / rate == pytest.approx(60 / bpm, abs=1.5 / rate)


def test_the_metronome_refuses_a_rate_no_runner_steps_at() -> None:
    with pytest.raises(ValueError, match="120–230"):
        metronome.wav(60)
