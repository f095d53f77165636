"""Plan exports: a CSV for spreadsheets, an iCalendar feed for phones and a printable PDF.

Every export is a pure function of the plan (and the athlete's name), with no clock and no
randomness, so exporting the same plan twice gives byte-identical files: a re-import updates the
calendar instead of duplicating it, and a download can be compared or cached safely.

All of them carry text that runners and coaches type (names, notes, custom exercises), so each
format has its own guard: :func:`csv_bytes` defuses spreadsheet formulas, :func:`ics_text` keeps
calendar properties on one line, and :func:`pdf_text` keeps to the glyphs of the embedded fonts.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import cast

import pandas as pd
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont
from icalendar import Calendar, Event

from runform.exercises import Exercise, by_id, load_library
from runform.models import (
    Plan,
    PlanExercise,
    PlanSession,
    PlanWeek,
)
from runform.paths import REPO_ROOT
from runform.plantext import (
    STEPS_SEPARATOR,
    dose_text,
    kind_label,
    km_text,
    session_title,
    steps_text,
)

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
    "steps",
)

PRODID = "-//RunForm//Training plan//EN"

# English names, not strftime("%A"), so the CSV does not depend on the server's locale.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- CSV ------------------------------------------------------------------------------------

#: First characters that make Excel, LibreOffice Calc or Google Sheets read a cell as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# A ";" or tab inside a text cell, then (after spaces or quotes) a formula start. A spreadsheet
# that splits on ";" (Excel's list separator in many locales opens .csv files that way) or on tabs
# starts a new cell there, whatever the CSV's quoting says.
_SPLIT_FORMULA = re.compile(r"""([;\t][ "]*)(?=[=+\-@\t\r])""")


def _defuse(value: object) -> object:
    """A text cell with a ``'`` before every formula start a spreadsheet could see; else as is."""
    if not isinstance(value, str):
        return value
    if ";" in value or "\t" in value:  # the test first: most cells have neither
        value = _SPLIT_FORMULA.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV that a spreadsheet opens without running anything in it.

    Use this for every CSV the app offers. It follows OWASP's "CSV Injection" page
    (https://owasp.org/www-community/attacks/CSV_Injection): a text cell (or column name) that
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote,
    so ``=HYPERLINK(...)`` typed as a name shows as that text instead of a live link. As that page
    warns, a field separator inside the text can start a new cell too: the CSV quotes cells that
    contain a comma, but a spreadsheet that splits on ``;`` or tabs ignores that, so a formula start
    after a ``;`` or tab in a text cell gets the quote as well (``Ana;=1+1`` -> ``Ana;'=1+1``).
    Only ``str`` values are touched, in any column: numbers stay numbers (``-3`` is the number -3,
    not text), and blank and NaN cells stay empty. The index is not written, as for
    ``frame.to_csv(index=False)``; lines end with CRLF on every platform.
    """
    safe = frame.copy()
    for i in range(safe.shape[1]):  # by position: column names may repeat
        column = safe.iloc[:, i]
        if column.dtype.kind not in "biufcmM":  # object, string, categorical...
            # An object Series: pandas' own string dtype refuses some text (lone surrogates).
            cells = [_defuse(v) for v in column.tolist()]
            # pandas-stubs leaves Series out of isetitem's values; pandas takes any array-like
            safe.isetitem(i, pd.Series(cells, index=safe.index, dtype=object))  # type: ignore[arg-type]
    names = safe.columns
    if isinstance(names, pd.MultiIndex):
        tuples = [tuple(map(_defuse, c)) for c in names]
        safe.columns = pd.MultiIndex.from_tuples(tuples, names=names.names)
    else:
        safe.columns = pd.Index([_defuse(c) for c in names], dtype=object, name=names.name)
    # CRLF as RFC 4180 says: the csv module then quotes every cell holding a CR or LF. With "\n"
    # a lone CR stayed unquoted, and spreadsheets start a new row (and a new cell) at it.
    text = safe.to_csv(index=False, lineterminator="\r\n")
    # "replace": a lone surrogate (a broken emoji from a form) must not make the export fail.
    return text.encode("utf-8", "replace")


def sessions_frame(plan: Plan) -> pd.DataFrame:
    """One row per exercise of every session, so a spreadsheet can filter and pivot the plan.

    A session without exercises (a plain run) still gets one row with the exercise columns
    blank. ``reason`` is the exercise's reason, or the session's when the exercise has none.
    ``steps`` is a structured run's steps in words (:func:`steps_text`), joined by " | ", on
    every row of its session.
    """
    rows: list[dict[str, object]] = []
    for week, session in plan.sessions():
        base = {
            "steps": STEPS_SEPARATOR.join(steps_text(session.steps)),
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
    """The plan as CSV text, one row per exercise, defused by :func:`csv_bytes`."""
    return csv_bytes(sessions_frame(plan)).decode("utf-8")


# --- iCalendar ------------------------------------------------------------------------------

# Line and paragraph breaks of every kind: a space in iCalendar text, a line break in the PDF.
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def ics_text(s: str) -> str:
    """Text for one iCalendar property value (SUMMARY, DESCRIPTION line, X-WR-CALNAME...).

    A line feed in a name used to crash the export (icalendar refuses raw line breaks in
    property values), and other control characters (NUL, ESC...) are invalid in iCalendar text
    (RFC 5545, 3.3.11). Breaks and tabs become a space, other control characters and lone
    surrogates are dropped, and runs of white space become one space; letters, emoji and CJK
    are kept as they are. icalendar itself escapes ``,`` ``;`` and ``\\`` and folds long lines.
    """
    out: list[str] = []
    for ch in s:
        if ch in _BREAKS or ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cs"):
            out.append(ch)
    return " ".join("".join(out).split())


def _description(week: PlanWeek, session: PlanSession, index: dict[str, Exercise]) -> str:
    """Event notes: what to do and why, readable on a phone's calendar screen.

    The first cue is the plan's own, else the library's, so every exercise has one reminder.
    """
    lines = [f"Week {week.index}" + (" (deload)" if week.deload else "")]
    if session.steps:
        lines.append("")
        lines += [f"{n}. {text}" for n, text in enumerate(steps_text(session.steps), 1)]
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
    # Each line is cleaned, so only these deliberate breaks remain (icalendar writes them as \n).
    return "\n".join(ics_text(line) for line in lines)


def _uid(athlete: str, session: PlanSession, position: int) -> str:
    """Stable across exports so re-importing the plan updates events instead of adding copies.

    ``position`` counts earlier sessions of the same kind on the same date, so inserting a
    session elsewhere in the plan does not change this one's UID.
    """
    key = f"{athlete}|{session.date.isoformat()}|{session.kind}|{position}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@runform"


def to_ics(plan: Plan, athlete: str, refresh_hours: int | None = None) -> bytes:
    """The plan as an iCalendar file: one all-day event per session.

    `refresh_hours` makes it a subscription feed: REFRESH-INTERVAL (RFC 7986) and Apple's and
    Outlook's X-PUBLISHED-TTL ask a calendar app to fetch it again that often.

    icalendar writes the CRLF line endings, escaping and line folding that Google Calendar and
    Apple Calendar expect. DTSTAMP is the plan start (not "now") so the output is reproducible.
    Every text value goes through :func:`ics_text`; the UID hashes the name as given, so cleaning
    it does not change the UIDs of calendars already imported.
    """
    index = by_id(load_library())
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", ics_text(f"RunForm: {athlete}"))
    if refresh_hours is not None:
        every = dt.timedelta(hours=refresh_hours)
        cal.add("refresh-interval", every, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", f"PT{refresh_hours}H")
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
        event.add("summary", ics_text(session_title(session)))
        event.add("description", _description(week, session, index))
        event.add("categories", [ics_text(kind_label(session.kind))])
        cal.add_component(event)
    return cal.to_ical()


# --- PDF ------------------------------------------------------------------------------------


#: The embedded fonts (see data/fonts/README.md for their versions and licences). They are code
#: assets, not reference tables, so they stay with the repository even when RUNFORM_DATA moves.
FONT_DIR: Path = REPO_ROOT / "data" / "fonts"
_FONT = "DejaVu"  # DejaVu Sans: Latin, Greek, Cyrillic and typographic symbols, regular and bold
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_CJK = "DroidSansFallback"  # Chinese, Japanese and Korean; added to a PDF only when it needs it
_CJK_FILE = "DroidSansFallback.ttf"


@functools.cache
def _cmap(filename: str) -> frozenset[int]:
    """The code points a bundled font has glyphs for (read once per process)."""
    with TTFont(FONT_DIR / filename, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _covered(code: int) -> bool:
    """Whether any embedded font can draw this character (the CJK font is read only if asked)."""
    return code in _cmap(_FONT_FILES[""]) or code in _cmap(_CJK_FILE)


def _joins_emoji(ch: str) -> bool:
    """Zero-width joiner, variation selectors, skin tones, tags and the keycap mark: the parts
    that glue an emoji sequence together (and mean nothing once its base emoji is gone)."""
    code = ord(ch)
    return (
        code == 0x200D
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or code == 0x20E3
    )


@functools.lru_cache(maxsize=8192)
def pdf_text(s: str) -> str:
    """Text the embedded fonts can print: nothing crashes and nothing prints as a blank box.

    Composed to NFC first (an "e" plus a combining accent becomes "é"). Every kind of line break
    becomes ``\\n`` and a tab a space; other control characters and lone surrogates are dropped.
    A character none of the fonts has is dropped if it is a symbol, mark or format character (an
    emoji, together with the joiners, skin tones and selectors of its sequence, so "🏃‍♀️" leaves
    no stray "♀"), and printed as "?" if it is a letter, digit or punctuation of a script the
    fonts lack, so a name in that script still shows that something was there. Everything else,
    including Chinese, Japanese and Korean, prints as it is.
    """
    out: list[str] = []
    skip = False  # inside an emoji sequence whose base was dropped
    glued = False  # just after a joiner in such a sequence: the next character goes too
    for ch in unicodedata.normalize("NFC", s.replace("\r\n", "\n")):
        if skip and (glued or _joins_emoji(ch)):
            glued = ch == "\u200d"
            continue
        skip = glued = False
        category = unicodedata.category(ch)
        if ch in _BREAKS:
            out.append("\n")
        elif ch == "\t":
            out.append(" ")
        elif category in ("Cc", "Cs"):
            continue
        elif _covered(ord(ch)):
            out.append(ch)
        elif category[0] == "Z":
            out.append(" ")
        elif category[0] in "LNP":
            out.append("?")
        else:  # S*, M*, Cf, Co, Cn: an emoji or a mark, dropped with the rest of its sequence
            skip = True
    return "".join(out)


def pdf_line(s: str) -> str:
    """:func:`pdf_text` on one line: breaks and runs of spaces become a single space."""
    return " ".join(pdf_text(s).split())


_MARGIN = 12.0
_GAP = 6.0
_LINE = 5.0


class _PlanPDF(FPDF):
    """A4 landscape with a footer naming the athlete and the page, for loose printed sheets.

    Text is set in embedded DejaVu Sans. Fallback fonts are switched on only for a PDF whose text
    needs them (fpdf2 checks every character once they are on, which is slower): DejaVu's regular
    face for the few symbols its bold face lacks, and the CJK font, which is also only loaded
    (about 0.3 s) when a character needs it.
    """

    def __init__(self, athlete: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        for style, filename in _FONT_FILES.items():
            self.add_font(_FONT, style, FONT_DIR / filename)
        # add_font registers a TTFFont (only the built-in core fonts are CoreFont)
        regular = cast(TTFFont, self.fonts[_FONT.lower()])
        bold = cast(TTFFont, self.fonts[_FONT.lower() + "B"])
        self._regular = frozenset(regular.cmap)
        self._both = self._regular.intersection(bold.cmap)
        self._fallbacks: list[str] = []
        self.wrapped: dict[tuple[object, ...], list[str]] = {}  # see _wrap
        self.athlete = pdf_line(athlete)

    def t(self, s: str) -> str:
        """:func:`pdf_text`, making sure a fallback font is on for any character that needs one."""
        text = pdf_text(s)
        extra = [ch for ch in text if ord(ch) not in self._both and ch != "\n"]
        if extra:
            wanted = [_FONT]
            if _CJK in self._fallbacks or any(ord(ch) not in self._regular for ch in extra):
                wanted.append(_CJK)
            if wanted != self._fallbacks:
                if _CJK in wanted and _CJK.lower() not in self.fonts:
                    self.add_font(_CJK, "", FONT_DIR / _CJK_FILE)
                self.set_fallback_fonts(wanted, exact_match=False)
                self._fallbacks = wanted
        return text

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(_FONT, size=8)
        self.set_text_color(110)
        self.cell(0, 5, self.t(f"RunForm - {self.athlete} - page {self.page_no()}"), align="C")
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
        details.append(f"{km_text(session.run_km)} km")
    return kind_label(session.kind) + (f"\n{', '.join(details)}" if details else "")


def _title_page(pdf: _PlanPDF, plan: Plan) -> None:
    """Who the plan is for, when it starts, how long it is, and the plan-wide notes."""
    pdf.add_page()
    pdf.set_font(_FONT, "B", 26)
    pdf.cell(0, 16, "RunForm training plan", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, size=14)
    deloads = [str(w.index) for w in plan.weeks if w.deload]
    facts = [
        f"Athlete: {pdf.athlete}",
        f"Plan start: {plan.start.isoformat()} ({_WEEKDAYS[plan.start.weekday()]})",
        f"Weeks: {len(plan.weeks)}",
        f"Sessions: {len(plan.sessions())}",
    ]
    if deloads:
        facts.append("Deload weeks: " + ", ".join(deloads))
    for fact in facts:
        pdf.cell(0, 9, pdf.t(fact), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if plan.notes:
        pdf.ln(6)
        pdf.set_font(_FONT, "B", 14)
        pdf.cell(0, 9, "Notes", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FONT, size=11)
        for note in plan.notes:
            pdf.multi_cell(0, 6, pdf.t(f"- {note}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _week_header(pdf: _PlanPDF, week: PlanWeek, days: list[dt.date]) -> None:
    """Week number, deload flag, date range, weekly volume and the week's notes."""
    pdf.set_font(_FONT, "B", 18)
    title = f"Week {week.index}" + (" - deload" if week.deload else "")
    pdf.cell(0, 10, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, size=10)
    sub = f"{days[0].isoformat()} to {days[-1].isoformat()} - {week.phase} phase"
    if week.run_km:
        sub += f" - running {km_text(week.run_km)} km"
    pdf.cell(0, 6, pdf.t(sub), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for note in week.notes:
        pdf.multi_cell(0, _LINE, pdf.t(f"- {note}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
    pdf.set_font(_FONT, size=9)
    with pdf.table(
        col_widths=(1,) * 7,
        line_height=_LINE,
        text_align="LEFT",
        v_align="TOP",
        padding=1.5,
    ) as table:
        head = table.row()
        for d in days:
            head.cell(pdf.t(f"{_WEEKDAYS[d.weekday()][:3]} {d.day} {d:%b}"))
        body = table.row(min_height=30)
        for d in days:
            body.cell(pdf.t("\n\n".join(by_day[d]) or "Rest"))
    if outside:
        # Sessions dated outside the grid are still shown, never silently dropped.
        lines = [f"{s.date.isoformat()}: {_session_line(s)}".replace("\n", ", ") for s in outside]
        pdf.multi_cell(0, _LINE, pdf.t("Also: " + "; ".join(lines)), new_x=XPos.LMARGIN)
    pdf.ln(4)


def _runs(pdf: _PlanPDF, week: PlanWeek) -> None:
    """Each structured run of the week with its steps, one numbered line per step."""
    runs = [s for s in week.sessions if s.steps]
    if not runs:
        return
    pdf.set_font(_FONT, "B", 13)
    pdf.cell(0, 8, "Runs this week", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for session in runs:
        lines = [f"{n}. {text}" for n, text in enumerate(steps_text(session.steps), 1)]
        pdf.set_font(_FONT, "B", 10)
        head = f"{_WEEKDAYS[session.date.weekday()][:3]} {session.date.day} {session.date:%b}: "
        head += session_title(session)
        if pdf.will_page_break(_LINE * (len(lines) + 1)):
            pdf.add_page()
        pdf.multi_cell(0, _LINE, pdf.t(head), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FONT, size=9)
        for line in lines:
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, _LINE, pdf.t(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.ln(3)


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
    return lines


def _wrap(pdf: _PlanPDF, width: float, text: str) -> list[str]:
    """The lines ``multi_cell`` breaks ``text`` into in the current font, measured once per PDF.

    Cards are measured before they are drawn (so a card is never split across two pages) and the
    same exercise comes back week after week; fpdf2's line breaking is most of the PDF's build
    time, so each distinct text is broken once and its lines are then printed with ``cell``.
    """
    key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, width, text)
    lines = pdf.wrapped.get(key)
    if lines is None:
        # with output="LINES" alone, multi_cell returns just the lines
        lines = cast(list[str], pdf.multi_cell(width, _LINE, text, dry_run=True, output="LINES"))
        pdf.wrapped[key] = lines
    return lines


def _print_lines(pdf: _PlanPDF, width: float, lines: list[str]) -> None:
    """Lines from :func:`_wrap`, one under the other from the current position."""
    for line in lines:
        pdf.cell(width, _LINE, line, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _cards(pdf: _PlanPDF, week: PlanWeek, index: dict[str, Exercise]) -> None:
    """Exercise cards in two columns; a row that does not fit moves to the next page whole."""
    items = _distinct_exercises(week)
    if not items:
        return
    pdf.set_font(_FONT, "B", 13)
    pdf.cell(0, 8, "Exercises this week", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    width = (pdf.epw - _GAP) / 2
    inner = width - 4
    cards = []
    for ex, doses in items:
        pdf.set_font(_FONT, "B", 11)
        title = _wrap(pdf, inner, pdf.t(ex.name))
        pdf.set_font(_FONT, size=9)
        body = _wrap(pdf, inner, pdf.t("\n".join(_card_lines(ex, doses, index.get(ex.id)))))
        cards.append((title, body, (len(title) + len(body)) * _LINE + 4))
    for i in range(0, len(cards), 2):
        pair = cards[i : i + 2]
        row_h = max(card[2] for card in pair)
        if pdf.will_page_break(row_h):
            pdf.add_page()
            pdf.set_font(_FONT, "B", 13)
            more = f"Week {week.index} - exercises (continued)"
            pdf.cell(0, 8, more, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = pdf.get_y()
        for col, (title, body, _) in enumerate(pair):
            x = pdf.l_margin + col * (width + _GAP)
            pdf.rect(x, top, width, row_h)
            pdf.set_xy(x + 2, top + 2)
            pdf.set_font(_FONT, "B", 11)
            _print_lines(pdf, inner, title)
            pdf.set_font(_FONT, size=9)
            _print_lines(pdf, inner, body)
        pdf.set_xy(pdf.l_margin, top + row_h + 3)


def to_pdf(plan: Plan, athlete: str) -> bytes:
    """A printable A4 landscape plan: a title page, then per week a grid, the structured runs'
    steps and exercise cards.

    The creation date is fixed to the plan start so the same plan gives identical bytes.
    """
    index = by_id(load_library())
    pdf = _PlanPDF(athlete)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_MARGIN + 4)
    pdf.set_creation_date(dt.datetime.combine(plan.start, dt.time(0, 0), tzinfo=dt.UTC))
    pdf.set_title(f"RunForm training plan: {pdf.athlete}")
    pdf.set_author("RunForm")
    _title_page(pdf, plan)
    for week in plan.weeks:
        pdf.add_page()
        days = _week_days(plan, week)
        _week_header(pdf, week, days)
        _week_grid(pdf, week, days)
        _runs(pdf, week)
        _cards(pdf, week, index)
    return bytes(pdf.output())


__all__ = [
    "COLUMNS",
    "FONT_DIR",
    "FORMULA_STARTS",
    "PRODID",
    "csv_bytes",
    "ics_text",
    "pdf_line",
    "pdf_text",
    "sessions_frame",
    "to_csv",
    "to_ics",
    "to_pdf",
]
