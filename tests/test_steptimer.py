"""Present's exercise timer as phases: every set, both sides, the rests, reps at the tempo."""

from __future__ import annotations

import pytest

from runform import exercises, steptimer
from runform.models import PlanExercise


def ex(**kw) -> PlanExercise:
    base = {"id": "x", "name": "X", "sets": 3, "rest_s": 60}
    return PlanExercise(**{**base, **kw})


def shape(phases: list[steptimer.Phase]) -> list[tuple[str, str, int | None]]:
    return [(p.kind, p.label, p.duration_s) for p in phases]


def test_a_hold_on_both_sides_covers_every_set_each_side_and_the_rests_between_sets():
    phases = steptimer.exercise_phases(ex(seconds=30, per_side=True, sets=3, rest_s=45))
    assert shape(phases) == [
        ("work", "Set 1 of 3 · left side", 30),
        ("work", "Set 1 of 3 · right side", 30),
        ("rest", "Rest before set 2", 45),
        ("work", "Set 2 of 3 · left side", 30),
        ("work", "Set 2 of 3 · right side", 30),
        ("rest", "Rest before set 3", 45),
        ("work", "Set 3 of 3 · left side", 30),
        ("work", "Set 3 of 3 · right side", 30),
    ]
    assert steptimer.total_seconds(phases) == 6 * 30 + 2 * 45


def test_reps_take_the_prescribed_tempo():
    phases = steptimer.exercise_phases(ex(reps=8, tempo="3-1-1-0", sets=2, rest_s=90))
    assert shape(phases) == [
        ("work", "Set 1 of 2", 40),
        ("rest", "Rest before set 2", 90),
        ("work", "Set 2 of 2", 40),
    ]
    assert phases[0].note == "8 reps at tempo 3-1-1-0"


def test_an_explosive_part_of_the_tempo_counts_one_second():
    assert steptimer.work_seconds(ex(reps=5, tempo="2-0-X-1")) == 5 * 4


def test_reps_without_a_tempo_are_counted_not_timed():
    phases = steptimer.exercise_phases(ex(reps=12, sets=2, rest_s=60))
    assert shape(phases) == [
        ("work", "Set 1 of 2", None),
        ("rest", "Rest before set 2", 60),
        ("work", "Set 2 of 2", None),
    ]
    assert phases[0].note == "12 reps: count them, no timer"
    assert steptimer.total_seconds(phases) is None


def test_one_set_and_no_rest_has_no_rest_phase():
    assert shape(steptimer.exercise_phases(ex(seconds=20, sets=1))) == [("work", "Set 1 of 1", 20)]
    assert [p.kind for p in steptimer.exercise_phases(ex(seconds=20, sets=3, rest_s=0))] == [
        "work"
    ] * 3


@pytest.mark.parametrize(("sets", "per_side"), [(1, False), (2, True), (4, False), (5, True)])
def test_the_phase_count_is_sets_times_sides_plus_the_rests(sets, per_side):
    phases = steptimer.exercise_phases(ex(seconds=10, sets=sets, per_side=per_side))
    assert len(phases) == sets * (2 if per_side else 1) + (sets - 1)


def test_the_timer_runs_through_timed_phases_and_waits_at_a_counted_one():
    phases = steptimer.exercise_phases(ex(reps=10, sets=2, rest_s=60))
    # at a counted set nothing moves on its own
    assert steptimer.advance(phases, 0, 1000.0, 5000.0) == (0, 1000.0)
    # the rest runs out on its own and hands over to the next set when it ended
    assert steptimer.advance(phases, 1, 1000.0, 1061.0) == (2, 1060.0)
    timed = steptimer.exercise_phases(ex(seconds=30, sets=2, rest_s=60, per_side=True))
    # 30 s left, 30 s right, 60 s rest: at 100 s it is 40 s into the rest, at 130 s 10 s into
    # set 2's left side
    index, begun = steptimer.advance(timed, 0, 0.0, 100.0)
    assert (timed[index].label, begun) == ("Rest before set 2", 60.0)
    index, begun = steptimer.advance(timed, 0, 0.0, 130.0)
    assert (timed[index].label, begun) == ("Set 2 of 2 · left side", 120.0)
    assert steptimer.remaining_s(timed[index], begun, 130.0) == 20.0


def test_every_tempo_in_the_library_gives_whole_seconds():
    tempos = [e.dose.tempo for e in exercises.load_library().exercises if e.dose.tempo]
    assert tempos, "the library prescribes tempos"
    for tempo in tempos:
        assert exercises.tempo_seconds(tempo) >= 1
