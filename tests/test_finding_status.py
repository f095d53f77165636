"""Comparisons only of what was measured: a finding is resolved only when the screens that raised
it were measured again and no longer raise it; otherwise it is "not re-tested". Small wins only for
screens re-tested at the latest assessment. The assessor is stored with each assessment."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from runform import change, clock, compare, demo, milestones
from runform.compensations import assess
from runform.models import AthleteProfile, Intake
from runform.services import assessments as assessment_service
from runform.store import assessments, athletes, review
from runform.store.connection import connect, migrations, schema_version
from tests.apptest import open_page

TODAY = date(2026, 6, 17)
PROFILE = AthleteProfile(
    name="Ana", weekly_km=30.0, runs_per_week=3, longest_run_km=10.0, available_days=["mon"]
)
NONE_SEEN = dict.fromkeys(
    ["knee_valgus", "pelvic_drop", "trunk_lean", "poor_depth", "loss_of_balance"], False
)

# A coach's full battery (all 18 screens) raising 15 findings, knee pain included.
FULL = {
    "knee_to_wall_cm": {"left": 7.0, "right": 10.5},
    "navicular_drop_mm": {"left": 12, "right": 11},
    "hip_ir_deg": {"left": 25, "right": 38},
    "hip_er_deg": {"left": 30, "right": 32},
    "hip_hinge": 1,
    "thoracic_rotation_deg": {"left": 30, "right": 45},
    "trunk_flexor_s": 150,
    "trunk_extensor_s": 60,
    "side_plank_s": {"left": 40, "right": 70},
    "single_leg_squat": {
        "left": {**NONE_SEEN, "knee_valgus": True, "pelvic_drop": True, "trunk_lean": True},
        "right": NONE_SEEN,
    },
    "single_leg_bridge_reps": {"left": 12, "right": 22},
    "calf_raise_reps": {"left": 15, "right": 24},
    "cadence_spm": 158,
    "ground_contact_ms": 300,
    "vertical_oscillation_cm": 11.5,
    "overstride": True,
    "trunk_flexion": True,
    "crossover": True,
}
KNEE_PAIN = [{"region": "knee", "side": "left", "score": 4, "when": "during_run"}]
# The runner's own self-assessment afterwards: 5 of the 18 screens, all in the normal range.
SELF = {
    "knee_to_wall_cm": {"left": 12.0, "right": 12.5},
    "hip_ir_deg": {"left": 40, "right": 41},
    "single_leg_bridge_reps": {"left": 25, "right": 26},
    "calf_raise_reps": {"left": 27, "right": 28},
    "cadence_spm": 172,
}
RETESTED_AND_GONE = {
    "limited_ankle_dorsiflexion",
    "ankle_dorsiflexion_asymmetry",
    "hip_rotation_deficit",
    "posterior_chain_weakness",
    "calf_endurance_deficit",
    "pain_flag",  # pain is asked at every assessment: no pain reported is the answer
}


def intake_of(screens: dict, on: date, pain=(), assessor: str | None = None) -> Intake:
    return Intake(
        athlete=PROFILE, assessed_on=on, screens=screens, pain=list(pain), assessor=assessor
    )


def statuses(before: Intake, after: Intake) -> dict[str, str]:
    got = compare.finding_status(
        assess(before),
        assess(after),
        compare.measured_in(before.screens),
        compare.measured_in(after.screens),
    )
    return {s.finding_id: s.status for s in got}


def test_a_5_of_18_self_assessment_resolves_only_what_it_re_tested():
    full = intake_of(FULL, TODAY - timedelta(days=30), KNEE_PAIN)
    assert len(full.screens) == 18 and len(assess(full)) == 15
    got = statuses(full, intake_of(SELF, TODAY))
    assert {f for f, s in got.items() if s == "resolved"} == RETESTED_AND_GONE
    untested = {f for f, s in got.items() if s == "not re-tested"}
    assert untested == {f.id for f in assess(full)} - RETESTED_AND_GONE
    assert len(untested) == 9
    # overstriding came from the video flag and the cadence: cadence alone is not a re-test
    assert got["overstriding"] == "not re-tested"
    # the old rule ("absent means resolved") would have called all 15 resolved
    assert set(got.values()) == {"resolved", "not re-tested"}


def test_a_finding_still_raised_persists_and_a_first_one_is_new():
    full = intake_of(FULL, TODAY - timedelta(days=30))
    later = intake_of({**SELF, "knee_to_wall_cm": {"left": 7.5, "right": 12.0}}, TODAY)
    got = statuses(full, later)
    assert got["limited_ankle_dorsiflexion"] == "persisting"
    first = intake_of({"cadence_spm": 172}, TODAY - timedelta(days=30))
    assert statuses(first, later)["limited_ankle_dorsiflexion"] == "new"


def test_a_side_not_measured_again_is_not_a_re_test():
    before = intake_of({"knee_to_wall_cm": {"left": 7.0, "right": 10.5}}, TODAY - timedelta(1))
    left_only = intake_of({"knee_to_wall_cm": {"left": 12.0}}, TODAY)
    got = statuses(before, left_only)
    # the asymmetry needs both sides: with the right side not measured it cannot be judged
    assert got["ankle_dorsiflexion_asymmetry"] == "not re-tested"


def test_a_ratio_finding_needs_both_of_its_screens_again():
    f = next(f for f in assess(intake_of(FULL, TODAY)) if f.id == "excessive_trunk_flexion")
    assert [e.screen for e in f.evidence] == ["trunk_flexion", "hip_hinge", "trunk_flexor_s"]
    assert "trunk_extensor_s" in compare.produced_by(f)  # the ratio's other screen


def test_a_single_assessment_is_the_baseline():
    full = intake_of(FULL, TODAY)
    got = compare.finding_status(None, assess(full))
    assert {s.status for s in got} == {"baseline"} and len(got) == 14


# --- through the store --------------------------------------------------------------------------


def record(con, aid: int, screens: dict, on: date, mode="coach", assessor=None, pain=()) -> int:
    saved = assessment_service.record_intake(con, intake_of(screens, on, pain, assessor), aid, mode)
    return saved.assessment_id


def new_runner(con, screens: dict, on: date, mode="coach", assessor=None, pain=()):
    """A runner created with their first assessment, as the app does: (athlete, assessment)."""
    saved = assessment_service.record_intake(
        con, intake_of(screens, on, pain, assessor), None, mode
    )
    return saved.athlete_id, saved.assessment_id


def test_the_status_table_over_the_store_inputs(con):
    aid, _ = new_runner(con, FULL, TODAY - timedelta(days=30), assessor="Sam", pain=KNEE_PAIN)
    record(con, aid, SELF, TODAY, mode="self", assessor=change.SELF)
    table = compare.status_table(
        review.findings_by_assessment(con, aid), review.measured_screens(con, aid)
    )
    resolved = set(table.loc[table["status"] == "resolved", "finding_id"])
    assert resolved == RETESTED_AND_GONE
    assert (table["status"] == "not re-tested").sum() == 9
    row = table.set_index("finding_id").loc["overstriding"]
    assert row["not_remeasured"] == ["overstride"]
    wins = milestones.resolved_findings(table, TODAY)
    assert len(wins) == len(RETESTED_AND_GONE)
    assert all("re-tested at the latest" in w.detail for w in wins)


def test_an_assessment_with_no_screens_re_tests_nothing(con):
    aid, _ = new_runner(con, {"cadence_spm": 158, "overstride": True}, TODAY - timedelta(days=30))
    record(con, aid, {}, TODAY)  # pain asked, no screens done
    measured = review.measured_screens(con, aid)
    table = compare.status_table(review.findings_by_assessment(con, aid), measured)
    assert table["status"].tolist() == ["not re-tested"]
    assert compare.latest_retested(measured) == (TODAY, [])


def test_small_wins_only_for_screens_re_tested_at_the_latest_assessment(con):
    aid, _ = new_runner(
        con, {"knee_to_wall_cm": {"left": 8.0, "right": 8.0}}, TODAY - timedelta(60)
    )
    record(con, aid, {"knee_to_wall_cm": {"left": 11.0, "right": 8.0}}, TODAY - timedelta(30))
    # the latest measured only the heel raise: the knee-to-wall gain is no win any more
    record(con, aid, {"calf_raise_reps": {"left": 20, "right": 20}}, TODAY)
    screens, measured = review.screens(con, aid), review.measured_screens(con, aid)
    assert milestones.improved_screens(screens, measured) == []
    record(con, aid, {"knee_to_wall_cm": {"left": 11.0}}, TODAY)
    wins = milestones.improved_screens(review.screens(con, aid), review.measured_screens(con, aid))
    assert [w.title for w in wins] == ["Knee-to-wall (weight-bearing lunge) (left): 8 → 11 cm"]


@pytest.mark.parametrize(
    ("first", "latest", "real", "figure"),
    [
        ("Sam", "sam ", False, "same assessor: 1.9 cm"),
        ("Sam", "Lena", True, "between assessors: 1.6 cm"),
        (None, "Lena", False, "assessor not recorded"),
    ],
)
def test_the_wins_choose_the_figure_from_who_assessed(con, first, latest, real, figure):
    aid, _ = new_runner(
        con, {"knee_to_wall_cm": {"left": 8.0}}, TODAY - timedelta(60), assessor=first
    )
    record(con, aid, {"knee_to_wall_cm": {"left": 9.9}}, TODAY, assessor=latest)
    progress = compare.screen_progress(review.screens(con, aid), review.measured_screens(con, aid))
    assert progress["real"].tolist() == [real]
    assert progress["figure"].iloc[0].startswith(figure)
    wins = milestones.improved_screens(review.screens(con, aid), review.measured_screens(con, aid))
    assert [figure in w.detail for w in wins] == ([True] if real else [])


def test_the_assessor_is_saved_returned_and_offered_again(con):
    aid, first = new_runner(con, {"cadence_spm": 160}, TODAY - timedelta(30), assessor="  Sam  ")
    record(con, aid, {"cadence_spm": 162}, TODAY, mode="self", assessor=change.SELF)
    assert assessments.load(con, first).assessor == "Sam"
    assert assessments.history(con, aid)["assessor"].tolist() == ["self", "Sam"]
    assert assessments.last_assessor(con, aid) == "Sam"  # a self-assessment is not the default
    blank = record(con, aid, {"cadence_spm": 163}, TODAY, assessor="   ")
    assert assessments.load(con, blank).assessor is None


def test_the_intake_json_may_carry_the_assessor():
    assert (
        Intake.model_validate({"athlete": PROFILE.model_dump(), "assessed_on": TODAY}).assessor
        is None
    )
    with pytest.raises(ValueError, match="at most 80 characters"):
        Intake.model_validate(
            {"athlete": PROFILE.model_dump(), "assessed_on": TODAY, "assessor": "x" * 81}
        )


def test_an_older_database_gains_the_assessor_column(tmp_path):
    path = tmp_path / "v7.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    for version, sql in migrations():
        if version <= 7:
            raw.execute(sql)
            raw.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    raw.execute(
        "INSERT INTO assessments (athlete_id, assessed_on, mode, profile) "
        "VALUES (1, ?, 'coach', ?)",
        [TODAY, PROFILE.model_dump_json()],
    )
    raw.close()
    con = connect(path)
    assert schema_version(con) >= 8
    assert con.execute("SELECT id, assessor FROM assessments").fetchall() == [(1, None)]
    assert assessments.load(con, 1).assessor is None
    con.close()


# --- on the pages -------------------------------------------------------------------------------


@pytest.fixture
def self_assessed(demo_db) -> int:
    """The first demo runner, after a coach's full battery, does a 5-screen self-assessment."""
    con = duckdb.connect(str(demo_db))
    try:
        aid = 1
        profile = athletes.get(con, aid)
        done = Intake(
            athlete=profile, assessed_on=clock.today(), screens=SELF, assessor=change.SELF
        )
        assessment_service.record_intake(con, done, aid, "self")
    finally:
        con.close()
    return aid


def test_progress_findings_say_not_re_tested(self_assessed):
    at = open_page("progress", {"athlete": str(self_assessed), "section": "Findings"}, timeout=120)
    assert not at.exception, at.exception
    text = [m.value for m in at.markdown]
    untested = [t for t in text if t.startswith("**Not re-tested**")]
    assert untested and untested[0] != "**Not re-tested** (0)", text
    assert any("not measured again" in t for t in text)
    assert any("re-tested 5 of the previous one's screens" in c.value for c in at.caption)


def test_intake_comparison_says_what_was_re_tested_and_which_figure(self_assessed):
    at = open_page("intake", {"athlete": str(self_assessed)}, timeout=120)
    assert not at.exception, at.exception
    compare_with = at.selectbox(key="compare_with")
    compare_with.set_value(compare_with.options[1]).run()  # the demo's last coach assessment
    assert not at.exception, at.exception
    text = [m.value for m in at.markdown]
    assert any("re-tested 5 of 17 screens" in t for t in text), text
    assert any(t.startswith("**Not re-tested**") and t != "**Not re-tested** (0)" for t in text)
    [table] = [d.value for d in at.dataframe if "figure" in d.value.columns]
    knee = table[table["screen"].str.startswith("Knee-to-wall")]
    assert set(knee["figure"]) == {"between assessors: 1.6 cm"}  # a coach, then the runner
    assert any("different assessors" in t for t in text)


def test_the_coach_form_offers_the_last_assessor_and_saves_the_one_entered(demo_db):
    con = duckdb.connect(str(demo_db))
    try:
        last = assessments.last_assessor(con, 1)
    finally:
        con.close()
    assert last in demo.DEMO_COACHES
    at = open_page("intake", {"athlete": "1", "mode": "coach"}, timeout=120)
    assert not at.exception, at.exception
    field = at.text_input(key="c1_assessor")
    assert field.value == last
    field.set_value("  Ada Lovelace ")
    [save] = [b for b in at.button if b.label == "Save assessment"]
    save.click().run()
    assert not at.exception, at.exception
    assert any("Assessment saved" in s.value for s in at.success)
    con = duckdb.connect(str(demo_db))
    try:
        got = con.execute(
            "SELECT mode, assessor FROM assessments WHERE athlete_id = 1 ORDER BY id DESC LIMIT 1"
        ).fetchall()
    finally:
        con.close()
    assert got == [("coach", "Ada Lovelace")]


def test_demo_assessments_name_their_assessor_and_show_both_figures():
    records = demo.build_team(n=6, today=TODAY)
    assert all(r.intake.assessor in demo.DEMO_COACHES for r in records)
    by_runner: dict[str, set[str]] = {}
    for r in records:
        by_runner.setdefault(r.intake.athlete.name, set()).add(r.intake.assessor)
    sizes = sorted(len(v) for v in by_runner.values())
    assert sizes[0] == 1 and sizes[-1] == 2  # same-assessor and between-assessor pairs
