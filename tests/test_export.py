"""Plan exports: the CSV, iCalendar and PDF files must read back and be reproducible."""

from __future__ import annotations

import datetime as dt
import io
from typing import get_args

import pandas as pd
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from runform.exercises import by_id, load_library
from runform.export import (
    COLUMNS,
    KIND_LABELS,
    PRODID,
    dose_text,
    pdf_text,
    sessions_frame,
    to_csv,
    to_ics,
    to_pdf,
)
from runform.models import Plan, PlanExercise, PlanSession, PlanWeek, SessionKind

START = dt.date(2025, 3, 3)  # a Monday
ATHLETE = "Zoé Müller"
PLAN_CUE = "Knee over the second toe – slow and controlled"


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def knee_rocks(sets: int = 2) -> PlanExercise:
    return PlanExercise(
        id="knee_to_wall_rock",
        name="Knee-to-wall ankle rocks",
        targets=["limited_ankle_dorsiflexion", "ankle_dorsiflexion_asymmetry"],
        sets=sets,
        reps=10,
        per_side=True,
        rest_s=20,
        role="warmup",
        cues=[PLAN_CUE, "Heel stays down", "Do ≥ 2 extra reps on the stiffer side"],
        reason="Ankle dorsiflexion 8 cm – below the ≥ 10 cm target (café test)",
    )


def calf_stretch() -> PlanExercise:
    return PlanExercise(
        id="calf_stretch_wall",
        name="Wall calf stretch (straight and bent knee)",
        sets=2,
        seconds=30,
        per_side=True,
        rest_s=10,
        role="cooldown",
    )


@pytest.fixture
def plan() -> Plan:
    """Two weeks, the second a deload, with runs, strength, drills and mobility."""
    glute_bridge = PlanExercise(
        id="glute_bridge",
        name="Glute bridge",
        targets=["posterior_chain_weakness"],
        sets=3,
        reps=12,
        tempo="2-1-1-0",
        rest_s=45,
        reason="Weak hip extension – build the posterior chain",
    )
    calf_raise = PlanExercise(
        id="single_leg_calf_raise",
        name="Single-leg calf raise",
        targets=["calf_endurance_deficit"],
        sets=3,
        reps=15,
        per_side=True,
    )
    a_skip = PlanExercise(
        id="a_skip", name="A-skip", sets=3, seconds=20, rest_s=45, role="drill", cues=[]
    )
    week1 = PlanWeek(
        index=1,
        run_km=20.5,
        notes=["Keep easy runs conversational – nose breathing"],
        sessions=[
            PlanSession(date=day(0), kind="mobility", minutes=20, exercises=[knee_rocks()]),
            PlanSession(date=day(1), kind="easy_run", minutes=45, run_km=8, reason="Aerobic base"),
            PlanSession(
                date=day(2),
                kind="strength",
                minutes=35,
                exercises=[knee_rocks(), glute_bridge, calf_raise],
                reason="Posterior chain and calf capacity",
            ),
            PlanSession(date=day(3), kind="drills", minutes=15, exercises=[a_skip]),
            PlanSession(date=day(5), kind="long_run", minutes=75, run_km=12.5),
        ],
    )
    week2 = PlanWeek(
        index=2,
        deload=True,
        run_km=14,
        sessions=[
            PlanSession(
                date=day(7), kind="strength", minutes=25, exercises=[knee_rocks(), glute_bridge]
            ),
            PlanSession(date=day(8), kind="easy_run", minutes=35, run_km=6),
            # A second session on the same day: its UID must still be unique.
            PlanSession(
                date=day(8), kind="mobility", minutes=10, exercises=[calf_stretch(), knee_rocks(1)]
            ),
            PlanSession(date=day(10), kind="tempo", minutes=40, run_km=8),
            PlanSession(date=day(12), kind="reassessment", minutes=30),
        ],
    )
    return Plan(
        start=START, weeks=[week1, week2], notes=["Stop and refer if pain ≥ 3/10 → see a clinician"]
    )


def expected_rows(plan: Plan) -> int:
    return sum(max(1, len(s.exercises)) for _, s in plan.sessions())


def pdf_words(data: bytes) -> str:
    """All page text with whitespace collapsed, so wrapped lines still match."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- labels and doses -----------------------------------------------------------------------


def test_every_session_kind_has_a_label() -> None:
    assert set(KIND_LABELS) == set(get_args(SessionKind))
    assert KIND_LABELS["easy_run"] == "Easy run"


def test_dose_text_per_side_reps_with_tempo_and_rest() -> None:
    ex = PlanExercise(id="x", name="X", sets=3, reps=10, per_side=True, tempo="3-1-1-0")
    assert dose_text(ex) == "3 × 10 per side, tempo 3-1-1-0, rest 60 s"


def test_dose_text_timed() -> None:
    ex = PlanExercise(id="x", name="X", sets=2, seconds=30, rest_s=0)
    assert dose_text(ex) == "2 × 30 s"
    assert dose_text(calf_stretch()) == "2 × 30 s per side, rest 10 s"


def test_pdf_text_maps_to_latin1() -> None:
    assert pdf_text("≥ 10 – 12") == ">= 10 - 12"
    assert pdf_text("Zoé → “fast” … ≤ 5 — Dvořák 中") == 'Zoé -> "fast" ... <= 5 - Dvorák ?'
    pdf_text("’‘·÷≈").encode("latin-1")


# --- CSV ------------------------------------------------------------------------------------


def test_csv_parses_back_with_one_row_per_exercise(plan: Plan) -> None:
    text = to_csv(plan)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == expected_rows(plan) == 14
    assert len(sessions_frame(plan)) == len(frame)

    first = frame.iloc[0]
    assert first["week"] == "1"
    assert first["date"] == "2025-03-03"
    assert first["weekday"] == "Monday"
    assert first["exercise_id"] == "knee_to_wall_rock"
    assert first["reps"] == "10"  # not "10.0"
    assert first["seconds"] == ""
    assert first["targets"] == "limited_ankle_dorsiflexion;ankle_dorsiflexion_asymmetry"
    assert first["reason"] == "Ankle dorsiflexion 8 cm – below the ≥ 10 cm target (café test)"

    run = frame[frame["kind"] == "long_run"].iloc[0]
    assert run["exercise"] == "" and run["run_km"] == "12.5" and run["session_minutes"] == "75"

    week2 = frame[frame["week"] == "2"]
    assert set(week2["deload"]) == {"True"}
    assert set(frame[frame["week"] == "1"]["deload"]) == {"False"}


def test_csv_of_empty_plan_keeps_the_header() -> None:
    empty = Plan(start=START, weeks=[PlanWeek(index=1)])
    assert to_csv(empty).strip() == ",".join(COLUMNS)


# --- iCalendar ------------------------------------------------------------------------------


def test_ics_has_one_all_day_event_per_session(plan: Plan) -> None:
    cal = Calendar.from_ical(to_ics(plan, ATHLETE))
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == f"RunForm: {ATHLETE}"

    events = cal.walk("VEVENT")
    sessions = [s for _, s in plan.sessions()]
    assert len(events) == len(sessions) == 10
    for event, session in zip(events, sessions, strict=True):
        start = event.decoded("DTSTART")
        assert type(start) is dt.date  # all-day, not a datetime
        assert start == session.date
        assert event.decoded("DTEND") == session.date + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == dt.datetime(2025, 3, 3, tzinfo=dt.UTC)

    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[1] == "Easy run 8 km (45 min)"
    assert summaries[2] == "Strength (35 min)"
    assert summaries[4] == "Long run 12.5 km (75 min)"

    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@runform") for uid in uids)


def test_ics_description_lists_doses_cues_and_reason(plan: Plan) -> None:
    events = Calendar.from_ical(to_ics(plan, ATHLETE)).walk("VEVENT")
    strength = str(events[2]["DESCRIPTION"])
    assert "Knee-to-wall ankle rocks: 2 × 10 per side, rest 20 s. " + PLAN_CUE in strength
    assert "Glute bridge: 3 × 12, tempo 2-1-1-0, rest 45 s" in strength
    assert strength.endswith("Posterior chain and calf capacity")
    assert "Week 2 (deload)" in str(events[5]["DESCRIPTION"])
    # No cue in the plan: the library's first cue stands in.
    assert "A-skip: 3 × 20 s, rest 45 s. Skip with a knee drive to hip height" in str(
        events[3]["DESCRIPTION"]
    )


def test_ics_is_byte_identical_and_crlf_folded(plan: Plan) -> None:
    data = to_ics(plan, ATHLETE)
    assert data == to_ics(plan, ATHLETE)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"DTSTART;VALUE=DATE:20250303\r\n" in data


def test_ics_uids_are_stable_per_session_and_differ_per_athlete(plan: Plan) -> None:
    def uids(p: Plan, athlete: str) -> list[str]:
        return [str(e["UID"]) for e in Calendar.from_ical(to_ics(p, athlete)).walk("VEVENT")]

    before = uids(plan, ATHLETE)
    # Adding a session earlier in the plan must not change the UIDs of the others.
    plan.weeks[0].sessions.insert(0, PlanSession(date=day(0), kind="easy_run", minutes=30))
    after = uids(plan, ATHLETE)
    assert after[1:] == before
    assert set(uids(plan, "Someone else")).isdisjoint(after)
    # A double day of the same kind still gets two distinct UIDs.
    plan.weeks[0].sessions.append(PlanSession(date=day(0), kind="mobility", minutes=10))
    doubled = uids(plan, ATHLETE)
    assert len(set(doubled)) == len(doubled) == len(after) + 1
    assert set(after) < set(doubled)


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_opens_with_title_page_grid_and_cards(plan: Plan) -> None:
    data = to_pdf(plan, ATHLETE)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1 + len(plan.weeks)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width) / 72 * 25.4) == 297  # A4

    title = " ".join(reader.pages[0].extract_text().split())
    assert "Zoé Müller" in title and "2025-03-03" in title
    assert "pain >= 3/10 -> see a clinician" in title

    text = pdf_words(data)
    assert "Week 1" in text
    assert "Week 2 - deload" in text
    assert "Long run 75 min, 12.5 km" in text
    assert "Knee-to-wall ankle rocks" in text
    assert "Knee over the second toe - slow and controlled" in text  # plan cue, "–" mapped
    assert "Do >= 2 extra reps" in text
    assert "Arching the lower back to get higher" in text  # a library fault
    assert "Skip with a knee drive to hip height" in text  # library cue when the plan has none
    assert "2 × 30 s per side, rest 10 s" in text
    # Week 2 gives the knee rocks two doses: one card lists both.
    assert "Dose: 2 × 10 per side, rest 20 s / 1 × 10 per side, rest 20 s" in text
    assert text.count("Knee-to-wall ankle rocks") == 2  # one card per week


def test_pdf_is_byte_identical_with_a_fixed_creation_date(plan: Plan) -> None:
    data = to_pdf(plan, ATHLETE)
    assert data == to_pdf(plan, ATHLETE)
    created = PdfReader(io.BytesIO(data)).metadata.creation_date
    assert created == dt.datetime(2025, 3, 3, tzinfo=dt.UTC)


def test_pdf_cards_flow_onto_extra_pages_and_tolerate_unknown_ids() -> None:
    lib = load_library()
    names = [ex.name for ex in lib.exercises[:24]]
    exercises = [PlanExercise(id=ex.id, name=ex.name, sets=2, reps=10) for ex in lib.exercises[:24]]
    exercises.append(PlanExercise(id="not_in_library", name="Coach special", sets=1, seconds=60))
    big = Plan(
        start=START,
        weeks=[
            PlanWeek(
                index=1,
                sessions=[
                    PlanSession(date=START, kind="strength", minutes=60, exercises=exercises)
                ],
            )
        ],
    )
    data = to_pdf(big, ATHLETE)
    assert len(PdfReader(io.BytesIO(data)).pages) > 2
    text = pdf_words(data)
    for name in [*names, "Coach special"]:
        assert pdf_text(name) in text
    assert "exercises (continued)" in text
    assert by_id(lib)[lib.exercises[0].id].faults[0] in text
