"""Plan exports: a CSV for spreadsheets, an iCalendar feed for phones and a printable PDF.

Every export is a pure function of the plan (and the athlete's name), with no clock and no
randomness, so exporting the same plan twice gives byte-identical files: a re-import updates the
calendar instead of duplicating it, and a download can be compared or cached safely.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from icalendar import Calendar, Event

from runform.exercises import Exercise, by_id, load_library
from runform.models import Plan, PlanExercise, PlanSession, PlanWeek

#: Human labels for session kinds, shared by every export so they read the same everywhere.
KIND_LABELS: dict[str, str] = {
    "mobility": "Mobility",
    "strength": "Strength",
    "drills": "Running drills",
    "easy_run": "Easy run",
    "long_run": "Long run",
    "tempo": "Tempo run",
    "intervals": "Intervals",
    "reassessment": "Reassessment",
}

#: Columns of :func:`sessions_frame`, in order, so an empty plan still has a header.
COLUMNS: tuple[str, ...] = (
    "week",
    "deload",
    "date",
    "weekday",
    "kind",
    "session_minutes",
    "run_km",
    "role",
    "exercise_id",
    "exercise",
    "sets",
    "reps",
    "seconds",
    "per_side",
    "tempo",
    "rest_s",
    "targets",
    "reason",
)

PRODID = "-//RunForm//Training plan//EN"

# English names, not strftime("%A"), so the CSV does not depend on the server's locale.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Characters outside Latin-1 that plan text commonly contains, and what the PDF shows instead.
# A few Latin-1 ones (÷ ·) are included too because they read better as ASCII in print.
_PDF_REPLACEMENTS: dict[str, str] = {
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2212": "-",  # − minus sign
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
    "\u2265": ">=",  # ≥
    "\u2264": "<=",  # ≤
    "\u00f7": "/",  # ÷
    "\u2248": "~",  # ≈
    "\u2192": "->",  # →
    "\u2190": "<-",  # ←
    "\u00b7": "-",  # · middle dot
    "\u2022": "-",  # • bullet
    "\u2018": "'",  # ' left single quote
    "\u2019": "'",  # ' right single quote / apostrophe
    "\u201c": '"',  # " left double quote
    "\u201d": '"',  # " right double quote
    "\u2026": "...",  # …
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
}


def kind_label(kind: str) -> str:
    """The label for a session kind, tolerating kinds added to the model after this table."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _num(x: float) -> str:
    """Kilometres as people write them: 8, 8.5 (never 8.0 or 8.499999)."""
    return f"{round(x, 1):g}"


def dose_text(ex: PlanExercise) -> str:
    """One line a runner can follow, e.g. "3 × 10 per side, tempo 3-1-1-0, rest 60 s"."""
    if ex.reps is not None and ex.seconds is not None:
        work = f"{ex.sets} × {ex.reps} × {ex.seconds} s"
    elif ex.reps is not None:
        work = f"{ex.sets} × {ex.reps}"
    elif ex.seconds is not None:
        work = f"{ex.sets} × {ex.seconds} s"
    else:
        work = f"{ex.sets} set" + ("" if ex.sets == 1 else "s")
    parts = [work + (" per side" if ex.per_side else "")]
    if ex.tempo:
        parts.append(f"tempo {ex.tempo}")
    if ex.rest_s:
        parts.append(f"rest {ex.rest_s} s")
    return ", ".join(parts)


def session_title(session: PlanSession) -> str:
    """A calendar-sized title, e.g. "Easy run 8 km (45 min)" or "Strength (35 min)"."""
    title = kind_label(session.kind)
    if session.run_km > 0:
        title += f" {_num(session.run_km)} km"
    if session.minutes > 0:
        title += f" ({session.minutes} min)"
    return title


# --- CSV ------------------------------------------------------------------------------------


def sessions_frame(plan: Plan) -> pd.DataFrame:
    """One row per exercise of every session, so a spreadsheet can filter and pivot the plan.

    A session without exercises (a plain run) still gets one row with the exercise columns
    blank. ``reason`` is the exercise's reason, or the session's when the exercise has none.
    """
    rows: list[dict[str, object]] = []
    for week, session in plan.sessions():
        base = {
            "week": week.index,
            "deload": week.deload,
            "date": session.date.isoformat(),
            "weekday": _WEEKDAYS[session.date.weekday()],
            "kind": session.kind,
            "session_minutes": session.minutes,
            "run_km": session.run_km,
        }
        if not session.exercises:
            rows.append({**base, "reason": session.reason})
        for ex in session.exercises:
            rows.append(
                {
                    **base,
                    "role": ex.role,
                    "exercise_id": ex.id,
                    "exercise": ex.name,
                    "sets": ex.sets,
                    "reps": ex.reps,
                    "seconds": ex.seconds,
                    "per_side": ex.per_side,
                    "tempo": ex.tempo,
                    "rest_s": ex.rest_s,
                    "targets": ";".join(ex.targets),
                    "reason": ex.reason or session.reason,
                }
            )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    # Nullable dtypes so blank cells stay blank and whole numbers are not written as 10.0.
    return frame.astype(
        {
            "week": "Int64",
            "deload": "boolean",
            "session_minutes": "Int64",
            "run_km": "float64",
            "sets": "Int64",
            "reps": "Int64",
            "seconds": "Int64",
            "per_side": "boolean",
            "rest_s": "Int64",
        }
    )


def to_csv(plan: Plan) -> str:
    """The plan as CSV text (UTF-8 when encoded), one row per exercise."""
    return sessions_frame(plan).to_csv(index=False)


# --- iCalendar ------------------------------------------------------------------------------


def _description(week: PlanWeek, session: PlanSession, index: dict[str, Exercise]) -> str:
    """Event notes: what to do and why, readable on a phone's calendar screen.

    The first cue is the plan's own, else the library's, so every exercise has one reminder.
    """
    lines = [f"Week {week.index}" + (" (deload)" if week.deload else "")]
    if session.exercises:
        lines.append("")
    for ex in session.exercises:
        line = f"- {ex.name}: {dose_text(ex)}"
        known = index.get(ex.id)
        cues = ex.cues or (list(known.cues) if known else [])
        if cues:
            line += f". {cues[0]}"
        lines.append(line)
    if session.reason:
        lines += ["", session.reason]
    return "\n".join(lines)


def _uid(athlete: str, session: PlanSession, position: int) -> str:
    """Stable across exports so re-importing the plan updates events instead of adding copies.

    ``position`` counts earlier sessions of the same kind on the same date, so inserting a
    session elsewhere in the plan does not change this one's UID.
    """
    key = f"{athlete}|{session.date.isoformat()}|{session.kind}|{position}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@runform"


def to_ics(plan: Plan, athlete: str) -> bytes:
    """The plan as an iCalendar file: one all-day event per session.

    icalendar writes the CRLF line endings, escaping and line folding that Google Calendar and
    Apple Calendar expect. DTSTAMP is the plan start (not "now") so the output is reproducible.
    """
    index = by_id(load_library())
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"RunForm: {athlete}")
    stamp = dt.datetime.combine(plan.start, dt.time(0, 0), tzinfo=dt.UTC)
    seen: dict[tuple[dt.date, str], int] = {}
    for week, session in plan.sessions():
        position = seen.get((session.date, session.kind), 0)
        seen[(session.date, session.kind)] = position + 1
        event = Event()
        event.add("uid", _uid(athlete, session, position))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
        event.add("summary", session_title(session))
        event.add("description", _description(week, session, index))
        event.add("categories", [kind_label(session.kind)])
        cal.add_component(event)
    return cal.to_ical()


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(s: str) -> str:
    """Make text printable with fpdf2's built-in fonts, which only know Latin-1.

    Known typographic characters become ASCII look-alikes, accented letters outside Latin-1
    lose their accent (ř -> r), and anything else becomes "?" rather than crashing the export.
    """
    out: list[str] = []
    for ch in s:
        ch = _PDF_REPLACEMENTS.get(ch, ch)
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            ch = base if base.strip() else "?"
        out.append(ch)
    return "".join(out)


_MARGIN = 12.0
_GAP = 6.0
_LINE = 5.0


class _PlanPDF(FPDF):
    """A4 landscape with a footer naming the athlete and the page, for loose printed sheets."""

    def __init__(self, athlete: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.athlete = athlete

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110)
        text = pdf_text(f"RunForm - {self.athlete} - page {self.page_no()}")
        self.cell(0, 5, text, align="C")
        self.set_text_color(0)


def _week_days(plan: Plan, week: PlanWeek) -> list[dt.date]:
    """The seven dates of a week's grid: from the week's nominal start, or its first session."""
    first = plan.start + dt.timedelta(weeks=week.index - 1)
    dates = [s.date for s in week.sessions]
    if dates and not first <= min(dates) <= first + dt.timedelta(days=6):
        first = min(dates)
    return [first + dt.timedelta(days=i) for i in range(7)]


def _session_line(session: PlanSession) -> str:
    """A grid entry: kind label, then minutes and km when they apply."""
    details = []
    if session.minutes:
        details.append(f"{session.minutes} min")
    if session.run_km:
        details.append(f"{_num(session.run_km)} km")
    return kind_label(session.kind) + (f"\n{', '.join(details)}" if details else "")


def _title_page(pdf: _PlanPDF, plan: Plan, athlete: str) -> None:
    """Who the plan is for, when it starts, how long it is, and the plan-wide notes."""
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 26)
    pdf.cell(0, 16, "RunForm training plan", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=14)
    deloads = [str(w.index) for w in plan.weeks if w.deload]
    facts = [
        f"Athlete: {athlete}",
        f"Plan start: {plan.start.isoformat()} ({_WEEKDAYS[plan.start.weekday()]})",
        f"Weeks: {len(plan.weeks)}",
        f"Sessions: {len(plan.sessions())}",
    ]
    if deloads:
        facts.append("Deload weeks: " + ", ".join(deloads))
    for fact in facts:
        pdf.cell(0, 9, pdf_text(fact), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if plan.notes:
        pdf.ln(6)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 9, "Notes", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=11)
        for note in plan.notes:
            pdf.multi_cell(0, 6, pdf_text(f"- {note}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _week_header(pdf: _PlanPDF, week: PlanWeek, days: list[dt.date]) -> None:
    """Week number, deload flag, date range, weekly volume and the week's notes."""
    pdf.set_font("Helvetica", "B", 18)
    title = f"Week {week.index}" + (" - deload" if week.deload else "")
    pdf.cell(0, 10, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=10)
    sub = f"{days[0].isoformat()} to {days[-1].isoformat()}"
    if week.run_km:
        sub += f" - running {_num(week.run_km)} km"
    pdf.cell(0, 6, pdf_text(sub), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for note in week.notes:
        pdf.multi_cell(0, _LINE, pdf_text(f"- {note}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _week_grid(pdf: _PlanPDF, week: PlanWeek, days: list[dt.date]) -> None:
    """Seven columns, one per date, so the week can be read at a glance on the fridge."""
    by_day: dict[dt.date, list[str]] = {d: [] for d in days}
    outside: list[PlanSession] = []
    for session in week.sessions:
        if session.date in by_day:
            by_day[session.date].append(_session_line(session))
        else:
            outside.append(session)
    pdf.set_font("Helvetica", size=9)
    with pdf.table(
        col_widths=(1,) * 7,
        line_height=_LINE,
        text_align="LEFT",
        v_align="TOP",
        padding=1.5,
    ) as table:
        head = table.row()
        for d in days:
            head.cell(pdf_text(f"{_WEEKDAYS[d.weekday()][:3]} {d.day} {d:%b}"))
        body = table.row(min_height=30)
        for d in days:
            body.cell(pdf_text("\n\n".join(by_day[d]) or "Rest"))
    if outside:
        # Sessions dated outside the grid are still shown, never silently dropped.
        lines = [f"{s.date.isoformat()}: {_session_line(s)}".replace("\n", ", ") for s in outside]
        pdf.multi_cell(0, _LINE, pdf_text("Also: " + "; ".join(lines)), new_x=XPos.LMARGIN)
    pdf.ln(4)


def _distinct_exercises(week: PlanWeek) -> list[tuple[PlanExercise, list[str]]]:
    """Each exercise once per week with every distinct dose it is given that week."""
    seen: dict[str, tuple[PlanExercise, list[str]]] = {}
    for session in week.sessions:
        for ex in session.exercises:
            _, doses = seen.setdefault(ex.id, (ex, []))
            dose = dose_text(ex)
            if dose not in doses:
                doses.append(dose)
    return list(seen.values())


def _card_lines(ex: PlanExercise, doses: list[str], known: Exercise | None) -> list[str]:
    """Card body: dose, up to three cues and up to two common faults from the library."""
    cues = ex.cues or (list(known.cues) if known else [])
    lines = ["Dose: " + " / ".join(doses)]
    if known and known.equipment:
        lines.append("Equipment: " + ", ".join(known.equipment))
    lines += [f"- {cue}" for cue in cues[:3]]
    if known:
        lines += [f"Avoid: {fault}" for fault in known.faults[:2]]
    return [pdf_text(line) for line in lines]


def _height(pdf: _PlanPDF, width: float, text: str) -> float:
    """Height ``multi_cell`` will need, so a card is never split across two pages."""
    return float(pdf.multi_cell(width, _LINE, text, dry_run=True, output="HEIGHT"))


def _cards(pdf: _PlanPDF, week: PlanWeek, index: dict[str, Exercise]) -> None:
    """Exercise cards in two columns; a row that does not fit moves to the next page whole."""
    items = _distinct_exercises(week)
    if not items:
        return
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Exercises this week", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    width = (pdf.epw - _GAP) / 2
    inner = width - 4
    cards = []
    for ex, doses in items:
        pdf.set_font("Helvetica", "B", 11)
        title = pdf_text(ex.name)
        title_h = _height(pdf, inner, title)
        pdf.set_font("Helvetica", size=9)
        body = "\n".join(_card_lines(ex, doses, index.get(ex.id)))
        cards.append((title, title_h, body, title_h + _height(pdf, inner, body) + 4))
    for i in range(0, len(cards), 2):
        pair = cards[i : i + 2]
        row_h = max(card[3] for card in pair)
        if pdf.will_page_break(row_h):
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 13)
            more = f"Week {week.index} - exercises (continued)"
            pdf.cell(0, 8, more, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = pdf.get_y()
        for col, (title, _, body, _) in enumerate(pair):
            x = pdf.l_margin + col * (width + _GAP)
            pdf.rect(x, top, width, row_h)
            pdf.set_xy(x + 2, top + 2)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(inner, _LINE, title, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", size=9)
            pdf.multi_cell(inner, _LINE, body, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(pdf.l_margin, top + row_h + 3)


def to_pdf(plan: Plan, athlete: str) -> bytes:
    """A printable A4 landscape plan: a title page, then a grid and exercise cards per week.

    The creation date is fixed to the plan start so the same plan gives identical bytes.
    """
    index = by_id(load_library())
    pdf = _PlanPDF(athlete)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN + 4)
    pdf.set_creation_date(dt.datetime.combine(plan.start, dt.time(0, 0), tzinfo=dt.UTC))
    pdf.set_title(f"RunForm training plan: {athlete}")
    pdf.set_author("RunForm")
    _title_page(pdf, plan, athlete)
    for week in plan.weeks:
        pdf.add_page()
        days = _week_days(plan, week)
        _week_header(pdf, week, days)
        _week_grid(pdf, week, days)
        _cards(pdf, week, index)
    return bytes(pdf.output())


__all__ = [
    "COLUMNS",
    "KIND_LABELS",
    "PRODID",
    "dose_text",
    "kind_label",
    "pdf_text",
    "session_title",
    "sessions_frame",
    "to_csv",
    "to_ics",
    "to_pdf",
]
