"""What GPX and TCX files share on their way to a run's summary and series (`gpxfile`, `tcxfile`).

Why a module of its own: both formats are XML with times in UTC, carry cadence in strides per
minute (usually) and no time zone, and must be refused in the same plain words as a FIT file
(`fitfile.FitError`). The checks here bound what an untrusted upload may cost (size, records,
no DTD) before a parser builds its tree, and turn the points into the series and summary that
`fitfile` gives, so every format lands in session_logs and run_records the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from runform.fitfile import (
    COLUMNS,
    MAX_RECORDS,
    NOTE_NO_START,
    FitError,
    NotARun,
    RunSummary,
    summary,
)
from runform.models import EARLIEST

MAX_FILE_MB = 32
"""Upload size of a GPX or TCX file in MB. XML spends 230–450 bytes on a record where FIT spends
about 45 (the fixtures under tests/fixtures/activities and tests/activitygen.py), so a file at
this limit holds some 70,000–140,000 records: a day-long run recorded every second or two.
Parsing costs memory for a moment: measured, a 23 MB GPX of 100,000 points peaked at 280 MB above
the process's resting size while gpxpy built its objects (3.5 s), a 22 MB TCX of 60,000 at 145 MB
(1.8 s); so about 400 MB at the limit, once, for the largest file a day's run makes."""
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

RUNNING_STRIDES = (60.0, 115.0)
"""One foot's cycles a minute while running (half of 120–230 steps a minute, protocols §1)."""
STEPS_FROM = 120.0
"""A file whose moving cadence has a median of at least this already counts steps, not strides:
no running stride rate reaches it, and no running step rate falls below it."""

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.S)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def check(data: bytes, what: str) -> None:
    """Refuse what no parser should see: too large, empty, or with a DTD (entity expansion)."""
    if len(data) > MAX_FILE_BYTES:
        raise FitError(
            f"the {what} file is too large ({len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_MB} MB, a day-long run recorded every second)"
        )
    if not data.strip():
        raise FitError(f"the {what} file is empty")
    if _DTD.search(data):
        raise FitError(
            f"the {what} file declares a document type, which no {what} file needs; "
            "it is not read (a safeguard against files built to exhaust the server)"
        )


def root_name(data: bytes) -> str | None:
    """The XML root element's local name ("gpx", "TrainingCenterDatabase"), or None when the
    bytes do not start like XML. Read from the first 4 kB, before any parser runs."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    found = _ROOT.search(_PROLOG.sub(b"", head))
    return found.group(2).decode("ascii") if found else None


def sport(declared: Sequence[str], what: str) -> None:
    """Refuse a file that says it is another sport (or mixes sports); an undeclared file passes
    here and is judged by `check_undeclared`."""
    named = sorted({s for s in declared if s})
    if not named or named == ["running"]:
        return
    if "running" in named:
        raise FitError(f"this {what} file mixes sports ({', '.join(named)}); upload the run alone")
    raise NotARun(f"this {what} file is not a run (sport: {', '.join(named)})", ", ".join(named))


def check_undeclared(
    declared: Sequence[str], series: pd.DataFrame, run_declared: bool, what: str
) -> None:
    """A file that names no sport is read as a run when the runner says it is one (the kind
    picked in the form, Strava's activity type) or when it has running cadence, as FIT's rule
    trusts undeclared files with running dynamics."""
    steps = series["cadence_spm"].dropna()
    low, high = (2 * r for r in RUNNING_STRIDES)
    running = bool(steps.size) and low <= steps.median() <= high
    if any(declared) or run_declared or running:
        return
    raise FitError(
        f"this {what} file does not say it is a run and has no running cadence, so it cannot be "
        "read as one"
    )


def to_steps(cadence: np.ndarray) -> np.ndarray:
    """Cadence as steps per minute, as run_records stores it.

    GPX and TCX files do not state the unit. FIT counts strides (one foot's cycles) for running
    and the app doubles them (shared/protocols.md §4, after the FIT profile); Garmin's
    ActivityExtension v2 schema types TCX RunCadence as CadenceValue_t, the revolutions per
    minute of its bike Cadence, and its TrackPointExtension schema calls GPX cad "revolutions per
    minute": one foot's, so strides too, which is what Garmin and Strava write (the TCX fixture
    from a Garmin treadmill run holds 74–78 at 2.7 m/s, i.e. 148–156 steps a minute). Some apps
    write steps instead; a running file's moving cadence tells them apart (`STEPS_FROM`).
    """
    moving = cadence[np.isfinite(cadence) & (cadence > 0)]
    if not moving.size:
        return np.full(len(cadence), np.nan)
    scale = 1.0 if float(np.median(moving)) >= STEPS_FROM else 2.0
    return np.where(np.isfinite(cadence) & (cadence > 0), cadence * scale, np.nan)


def numbers(values: Sequence[float | None], low: float, high: float) -> np.ndarray:
    """Floats, NaN where a value is missing, not finite or outside [low, high] (a record's
    sensor glitch, never a reason to refuse the file)."""
    out = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(out) & (out >= low) & (out <= high), out, np.nan)


def seconds(times: Sequence[datetime | None], what: str) -> np.ndarray:
    """Each record's time as Unix seconds (a time without a zone is UTC, as both formats
    write it); records without one are placed between their neighbours, as FIT's are."""
    if len(times) > MAX_RECORDS:
        raise FitError(
            f"the {what} file has more than {MAX_RECORDS:,} track points (a run of about "
            f"{MAX_RECORDS / 3600:.0f} hours recorded every second), the most this app reads "
            "from one file"
        )
    ts = np.array(
        [
            np.nan if t is None else (t if t.tzinfo else t.replace(tzinfo=UTC)).timestamp()
            for t in times
        ],
        dtype=float,
    )
    if not ts.size:
        raise FitError(f"the {what} file has no track points")
    if np.isnan(ts).all():
        raise FitError(f"the {what} file's track points carry no times, so it is not a recording")
    if np.isnan(ts).any():
        ts = pd.Series(ts).interpolate(limit_direction="both").to_numpy()
    back = np.flatnonzero(np.diff(ts) < 0)
    if back.size:
        raise FitError(
            f"the {what} file is damaged: its times go backwards at track point {back[0] + 2:,}"
        )
    if ts[-1] <= ts[0]:
        raise FitError(f"the {what} file's track lasts no time, so it is not a recording of a run")
    return ts


def haversine_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Metres between consecutive positions (0 for the first; 0 across a missing position)."""
    r = 6_371_000.0
    p, q = np.radians(lat), np.radians(lon)
    dp, dq = np.diff(p), np.diff(q)
    a = np.sin(dp / 2) ** 2 + np.cos(p[:-1]) * np.cos(p[1:]) * np.sin(dq / 2) ** 2
    step = 2 * r * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.concatenate([[0.0], np.nan_to_num(step)])


def series(
    ts: np.ndarray, distance: np.ndarray, cadence: np.ndarray, heart_rate: np.ndarray
) -> pd.DataFrame:
    """run_records' columns (`fitfile.COLUMNS`); XML formats have no running dynamics."""
    nothing = np.full(len(ts), np.nan)
    return pd.DataFrame(
        {
            "t_s": ts - ts[0],
            "distance_m": distance,
            "cadence_spm": to_steps(cadence),
            "ground_contact_ms": nothing,
            "vertical_oscillation_cm": nothing,
            "vertical_ratio_pct": nothing,
            "stance_balance_left_pct": nothing,
            "heart_rate_bpm": heart_rate,
        },
        columns=list(COLUMNS),
    )


def local_day(started_at: datetime, longitude: float | None) -> date:
    """The start's calendar day where it was run. Neither format carries a time zone, so the
    zone is estimated from the longitude (15° an hour, the mean solar time; off by an hour or two
    where a country's zone differs, which moves only runs within that long of midnight); UTC's
    day without a position."""
    if longitude is None or not math.isfinite(longitude):
        return started_at.date()
    hours = max(-12, min(14, round(longitude / 15.0)))
    return (started_at + timedelta(hours=hours)).date()


def summarise(
    frame: pd.DataFrame,
    ts: np.ndarray,
    sha256: str,
    *,
    timer_s: float | None,
    metres: float | None,
    longitude: float | None,
) -> RunSummary:
    """The run's summary as `fitfile.summary` makes it. A start before RunForm's earliest day
    is a clock never set (as FIT's power-on times are): the day chosen for the log is used."""
    started = datetime.fromtimestamp(float(ts[0]), UTC)
    notes: list[str] = []
    if started.date() < EARLIEST:
        start, day = None, None
        notes.append(NOTE_NO_START)
    else:
        start, day = started, local_day(started, longitude)
    totals = {"total_timer_time": timer_s, "total_distance": metres}
    sessions = [{k: v for k, v in totals.items() if v is not None}]
    return summary(frame, sessions, sha256, start, day, notes)


def first_longitude(lon: np.ndarray) -> float | None:
    known = lon[np.isfinite(lon)]
    return float(known[0]) if known.size else None
