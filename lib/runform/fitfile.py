"""Decode a watch's FIT activity file into running-dynamics figures (shared/protocols.md §4).

Why this shape: an upload is untrusted bytes from a runner, so every way it can be wrong ends in a
`FitError` whose message can be shown as it is (plain words, no trace, no server path); the figures
land in session_logs and the series in run_records (migration 003), so names and units here match
those columns. Size and length are capped (`MAX_FILE_BYTES`, `MAX_RECORDS`, `MAX_MESSAGES`) before
and during decoding, so a hostile file costs a bounded time and memory.

Decoding uses fitdecode (MIT). Garmin's own SDK is deliberately not used (restrictive licence).
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import fitdecode
import numpy as np
import pandas as pd
from fitdecode.types import DevField
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from runform.errors import InvalidInput
from runform.models import RUN_RECORD_COLUMNS

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "MAX_MESSAGES",
    "MAX_RECORDS",
    "NOTE_NO_DISTANCE",
    "NOTE_NO_START",
    "FitError",
    "NotARun",
    "RunSummary",
    "decode",
    "summary",
]

# --- limits (issue 10) ----------------------------------------------------------------------------
# The one place for how much a single upload may hold. Measured on public sample files (Garmin
# Fenix 2 and Forerunner runs, a Wahoo ELEMNT ride): a record message takes 30-55 bytes, 43 on
# average; a Stryd pod's developer fields add about 25 (estimated from their field sizes), and
# other messages (laps, events, HRV) add up to as many messages again as there are records.
MAX_RECORDS = 100_000
"""Record messages per file: a 24-hour ultra recorded every second is 86,400; this is ~27.8 h."""
MAX_MESSAGES = 3 * MAX_RECORDS
"""All messages (definitions too): HRV or sensor messages can double the count of a real file;
this also stops a file of millions of tiny non-record messages (decoding costs ~35 µs each)."""
MAX_FILE_MB = 10
"""Upload size in MB (1 MB = 1024 × 1024 bytes, as Streamlit's `server.maxUploadSize` counts):
MAX_RECORDS at ~100 bytes each, so every file within the record limit also fits this."""
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
"""The byte limit checked before anything else is read (10,485,760)."""

NOTE_NO_DISTANCE = "no distance in this file: logged as 0 km"
NOTE_NO_START = (
    "the watch's clock was not set, so the file does not say when the run took place: "
    "the day chosen here is used"
)

COLUMNS = RUN_RECORD_COLUMNS
"""The DataFrame's columns, in run_records' order and units (`models.RUN_RECORD_COLUMNS`)."""

_FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z as a Unix time; FIT date_time counts from it
# FIT protocol: "If a date_time is < 0x10000000 then it is system time (seconds from device power
# on)". Such times are fine for durations but say nothing about the day.
_FIT_DATETIME_MIN = 0x10000000
_FIT_DATETIME_MAX = 0xFFFFFFFE  # 0xFFFFFFFF is FIT's "invalid"
_MAX_UTC_OFFSET_S = 15 * 3600  # local time zones span UTC-12 to UTC+14

_MESG_FILE_ID = 0
_MESG_SPORT = 12
_MESG_SESSION = 18
_MESG_RECORD = 20
_MESG_ACTIVITY = 34
_MESG_TIMESTAMP_CORRELATION = 162

# Standard record fields kept from each record message (everything else is skipped at once).
_RECORD_FIELDS = frozenset(
    {
        "timestamp",
        "distance",
        "cadence",
        "fractional_cadence",
        "stance_time",
        "vertical_oscillation",
        "vertical_ratio",
        "stance_time_balance",
        "heart_rate",
    }
)
# Stryd (and similar) developer fields, matched by lower-cased name. Used only when the file has no
# standard field for the figure. Stryd's units: Cadence in RPM (strides/min), Ground Time in
# Milliseconds, Vertical Oscillation in Centimeters.
_DEV_FIELDS = {
    "cadence": "dev:cadence",
    "ground time": "dev:ground_time",
    "vertical oscillation": "dev:vertical_oscillation",
}
# Multiplier to the column's unit, by the developer field's declared unit (lower-cased). A unit not
# listed here is taken to be Stryd's.
_DEV_SCALE = {
    "dev:cadence": {"rpm": 2.0, "strides/min": 2.0, "spm": 1.0, "steps/min": 1.0},
    "dev:ground_time": {"ms": 1.0, "milliseconds": 1.0, "s": 1000.0, "seconds": 1000.0},
    "dev:vertical_oscillation": {"cm": 1.0, "centimeters": 1.0, "mm": 0.1, "millimeters": 0.1},
}
_DEV_DEFAULT_SCALE = {"dev:cadence": 2.0, "dev:ground_time": 1.0, "dev:vertical_oscillation": 1.0}

_NUMBER = (int, float)
_IGNORED_SPORTS = frozenset({"generic", "transition"})  # say nothing about what was done

_UNREADABLE = "the file could not be read: its contents contradict each other"


class FitError(InvalidInput):
    """Why an uploaded file cannot be used, worded for the runner who uploaded it.

    The one refusal of every activity format (FIT here, GPX and TCX in `gpxfile` and `tcxfile`).
    """


class NotARun(FitError):
    """A readable activity of another sport (`sport`, in words): a bulk import lists and skips
    it, where a damaged file is a failure."""

    def __init__(self, message: str, sport: str) -> None:
        super().__init__(message)
        self.sport = sport


class RunSummary(BaseModel):
    """The figures of one run, as session_logs stores them (None when the file lacks the data).

    `distance_km` is 0.0 when the file has no distance (a treadmill run without a foot pod):
    `has_distance` is then False and `notes` says so. `started_at` is None when the watch's clock
    was never set and nothing in the file gives the real time (`start_day` is None too, and the
    page uses the day chosen in the form); `start_day` is the start's local day when the file gives
    its time zone, else its UTC day. `notes` are sentences for the runner.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    started_at: datetime | None
    start_day: date | None
    minutes: Annotated[float, Field(ge=0)]
    distance_km: Annotated[float, Field(ge=0)]
    has_distance: bool
    cadence_spm: float | None
    ground_contact_ms: float | None
    vertical_oscillation_cm: float | None
    vertical_ratio_pct: float | None
    stance_balance_left_pct: float | None
    heart_rate_bpm: float | None
    cadence_cv_pct: float | None
    cadence_fade_pct: float | None
    ground_contact_fade_pct: float | None
    vertical_oscillation_fade_pct: float | None
    sha256: str
    records: int
    notes: tuple[str, ...] = ()

    @field_validator("started_at")
    @classmethod
    def _utc(cls, v: datetime | None) -> datetime | None:
        """Stored timestamps are compared across athletes' time zones, so they must be UTC."""
        if v is None:
            return None
        if v.tzinfo is None:
            raise ValueError("started_at must carry a time zone")
        return v.astimezone(UTC)


def decode(data: bytes) -> tuple[RunSummary, pd.DataFrame]:
    """Decode a FIT run into its summary and per-record series (columns `COLUMNS`).

    Raises FitError, and nothing else, for anything that is not a readable FIT run.
    """
    if len(data) > MAX_FILE_BYTES:  # before copying or reading anything
        raise FitError(
            f"the file is too large ({len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_MB} MB, enough for a run of over 24 hours recorded every second)"
        )
    try:
        return _decode(bytes(data))
    except FitError:
        raise
    except Exception as exc:  # a case no check above foresaw: still a refusal, never a trace
        raise FitError(_UNREADABLE) from exc


def _decode(data: bytes) -> tuple[RunSummary, pd.DataFrame]:
    end = _check_container(data)
    found = _read_messages(data[:end])
    if found.file_type is not None and found.file_type != "activity":
        if isinstance(found.file_type, str):
            raise FitError(f"this FIT file is a {found.file_type} file, not a recorded activity")
        kind = _name(found.file_type, "file type")
        raise FitError(f"this FIT file is not a recorded activity ({kind})")
    if not found.rows:
        raise FitError("the file has no records")

    raw = pd.DataFrame.from_records(found.rows)
    ts = _timestamps(_column(raw, "timestamp"), found)
    series = _series(raw, ts, found.dev_units)
    _check_sport(found.sports, series)

    started_at, start_day, notes = _when(found, ts)
    sha = hashlib.sha256(data).hexdigest()
    return summary(series, found.sessions, sha, started_at, start_day, notes), series


def summary(
    series: pd.DataFrame,
    sessions: list[dict[str, Any]],
    sha256: str,
    started_at: datetime | None,
    start_day: date | None,
    notes: list[str],
) -> RunSummary:
    """The run's figures from its series (columns `COLUMNS`) and session totals
    (`total_timer_time`, `total_elapsed_time`, `total_distance`, as FIT names them; a GPX or TCX
    file gives its own), the same way whatever the file's format."""
    figures = _summarise(series, sessions, sha256)
    if not figures["has_distance"]:
        notes = [*notes, NOTE_NO_DISTANCE]
    try:
        return RunSummary(started_at=started_at, start_day=start_day, notes=tuple(notes), **figures)
    except ValidationError as exc:
        raise FitError("the file is damaged: its figures are out of any possible range") from exc


# --- container checks -----------------------------------------------------------------------------


def _check_container(data: bytes) -> int:
    """Check header, size and checksum of each chained FIT file; return where the last one ends.

    Done before fitdecode so a wrong upload gets a plain answer ("it starts like a JPEG image")
    rather than a parser trace, and so the checksum runs once over the whole buffer.
    """
    if not data:
        raise FitError("not a FIT file: the file is empty")
    offset = 0
    while offset < len(data):
        rest = data[offset:]
        if len(rest) < 12 or rest[8:12] != b".FIT" or rest[0] not in (12, 14):
            if offset == 0:
                raise FitError(f"not a FIT file: {describe(data)}")
            break  # trailing bytes after a complete FIT file: ignored
        header_size = rest[0]
        if len(rest) < header_size:
            raise FitError("the file is damaged: it is cut short inside its header")
        (data_size,) = struct.unpack_from("<I", rest, 4)
        if header_size == 14:
            (header_crc,) = struct.unpack_from("<H", rest, 12)
            if header_crc and header_crc != _crc16(rest[:12]):
                raise FitError("the file is damaged: its header checksum does not match")
        total = header_size + data_size + 2
        if len(rest) < total:
            raise FitError(
                f"the file is damaged: it is cut short ({len(rest):,} of {total:,} bytes)"
            )
        (file_crc,) = struct.unpack_from("<H", rest, total - 2)
        if file_crc != _crc16(rest[: total - 2]):
            raise FitError("the file is damaged: its checksum does not match its contents")
        if data_size == 0 and offset == 0:
            raise FitError("the file has no records")
        offset += total
    return offset


_MAGIC = (
    (b"\xff\xd8\xff", "it starts like a JPEG image"),
    (b"\x89PNG", "it starts like a PNG image"),
    (b"GIF8", "it starts like a GIF image"),
    (b"%PDF", "it starts like a PDF document"),
    (b"PK\x03\x04", "it is a ZIP archive; unzip it and upload the .fit file inside"),
    (b"\x1f\x8b", "it is gzip-compressed; decompress it and upload the .fit file"),
    (b"<?xml", "it is an XML file (GPX or TCX?); export the original .fit file instead"),
    (b"<gpx", "it is a GPX file; export the original .fit file instead"),
    (b"<Training", "it is a TCX file; export the original .fit file instead"),
)


def describe(data: bytes) -> str:
    """Say what the bytes look like, so the runner knows which file they picked by mistake."""
    head = data[:16].lstrip(b"\xef\xbb\xbf \t\r\n")  # BOM and whitespace before XML
    for magic, text in _MAGIC:
        if head.startswith(magic):
            return text
    if len(data) < 12:
        return f"it is only {len(data)} bytes long"
    return "it does not start with a FIT header"


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def _crc16(buf: bytes) -> int:
    """FIT's CRC-16 (ARC). One byte-table pass; fitdecode's nibble version is ~15 times slower."""
    crc = 0
    table = _CRC_TABLE
    for byte in buf:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


# --- message reading ------------------------------------------------------------------------------


class _Found:
    """What one pass over the messages collected (raw values; arithmetic happens later)."""

    def __init__(self) -> None:
        self.file_id_seen = False
        self.file_type: str | int | None = None
        self.time_created: Any = None
        self.sports: list[str] = []
        self.sessions: list[dict[str, Any]] = []
        self.activities: list[dict[str, Any]] = []
        self.correlations: list[dict[str, Any]] = []
        self.rows: list[dict[str, float]] = []
        self.dev_units: dict[str, str] = {}


def _read_messages(data: bytes) -> _Found:
    """Collect file type, declared sports, sessions, clocks and the wanted record fields.

    Every failure inside fitdecode becomes a FitError naming the message's byte offset.
    """
    found = _Found()
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        processor=None,  # raw values: timestamps stay integers, which is what we need
        check_crc=fitdecode.CrcCheck.DISABLED,  # _check_container already verified it
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    offset: Any = None
    try:
        with reader:
            try:
                _collect(reader, found)
            except Exception:
                offset = getattr(reader, "_chunk_offset", None)  # closing the reader resets it
                raise
    except FitError:
        raise
    except Exception as exc:  # fitdecode's own errors and the odd struct, key or assertion error
        raise FitError(_damaged(exc, offset)) from exc
    return found


def _collect(reader: fitdecode.FitReader, found: _Found) -> None:
    """One pass: copy decoded numbers into dicts; stop as soon as a limit is passed."""
    rows, dev_units = found.rows, found.dev_units
    wanted, dev_names, number = _RECORD_FIELDS, _DEV_FIELDS, _NUMBER
    frames = 0
    for frame in reader:
        frames += 1
        if frames > MAX_MESSAGES:
            raise FitError(
                f"the file holds more than {MAX_MESSAGES:,} messages, far more than "
                "a single run needs; it cannot be read"
            )
        if frame.frame_type != fitdecode.FIT_FRAME_DATA:
            continue
        num = frame.def_mesg.global_mesg_num
        if num == _MESG_RECORD:
            if len(rows) >= MAX_RECORDS:
                raise FitError(
                    f"the file has more than {MAX_RECORDS:,} records (a run of about "
                    f"{MAX_RECORDS / 3600:.0f} hours recorded every second), the most "
                    "this app reads from one file"
                )
            row: dict[str, float] = {}
            for fd in frame.fields:
                field, value = fd.field, fd.value
                if field is None or value is None or type(value) not in number:
                    continue
                if type(field) is DevField:
                    key = dev_names.get(str(field.name or "").lower())
                    if key is None:
                        continue
                    if key not in dev_units:
                        dev_units[key] = str(field.units or "").strip().lower()
                    row[key] = value
                elif field.name in wanted:
                    row[field.name] = value
            rows.append(row)
        elif num == _MESG_SESSION:
            found.sessions.append({fd.name: fd.value for fd in frame.fields})
            _add_sport(found.sports, frame)
        elif num == _MESG_SPORT:
            _add_sport(found.sports, frame)
        elif num == _MESG_ACTIVITY:
            found.activities.append({fd.name: fd.value for fd in frame.fields})
        elif num == _MESG_TIMESTAMP_CORRELATION:
            found.correlations.append({fd.name: fd.value for fd in frame.fields})
        elif num == _MESG_FILE_ID and not found.file_id_seen:  # the first file's
            found.file_id_seen = True
            found.file_type = frame.get_value("type", fallback=None)
            found.time_created = frame.get_value("time_created", fallback=None)


def _add_sport(sports: list[str], frame: Any) -> None:
    sport = frame.get_value("sport", fallback=None)
    if sport is not None:
        sports.append(_name(sport, "sport"))


def _name(value: Any, what: str) -> str:
    """An enum value as the profile names it, or words for a number the profile does not know."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"unknown {what} {value}"
    return f"unreadable {what}"


def _damaged(exc: Exception, offset: Any) -> str:
    """The runner's wording for a decoding failure; fitdecode's own text is for developers."""
    at = getattr(exc, "offset", offset)
    where = f"the message at byte {at:,}" if isinstance(at, int) else "a message"
    text = str(exc)
    if isinstance(exc, fitdecode.FitEOFError):
        problem = f"{where} runs past the end of the file"
    elif isinstance(exc, fitdecode.FitParseError) and "local message" in text:
        problem = f"{where} uses a message layout that was not defined before it"
    elif isinstance(exc, fitdecode.FitParseError) and "dev" in text:
        problem = f"{where} uses developer data that was not defined before it"
    elif isinstance(exc, fitdecode.FitHeaderError):
        problem = "a FIT file chained inside it has a broken header"
    elif isinstance(exc, AssertionError):
        problem = f"{where} runs past the end of the data the header announces"
    elif isinstance(exc, (struct.error, ValueError)):
        problem = f"{where} declares a field of an impossible size"
    else:
        problem = f"{where} holds values that cannot be interpreted"
    return f"the file is damaged: {problem}"


def _check_sport(sports: list[str], series: pd.DataFrame) -> None:
    """Refuse files that say they are something else; trust undeclared files with run dynamics."""
    declared = sorted({s for s in sports if s not in _IGNORED_SPORTS})
    if not declared:
        dynamics = ("cadence_spm", "ground_contact_ms", "vertical_oscillation_cm")
        if not series[list(dynamics)].notna().to_numpy().any():
            raise FitError(
                "this FIT file does not say it is a run and has no cadence or ground contact "
                "data, so it cannot be read as one"
            )
        return
    if declared == ["running"]:
        return
    if "running" in declared:
        raise FitError(
            f"this FIT file mixes sports ({', '.join(declared)}); upload the run on its own"
        )
    raise NotARun(f"this FIT file is not a run (sport: {', '.join(declared)})", ", ".join(declared))


# --- arrays  --------------------------------------------------------------------------------------


def _column(raw: pd.DataFrame, name: str) -> np.ndarray:
    """A raw field as floats, NaN where a record lacks it, the file never has it, or it is ±inf."""
    if name not in raw.columns:
        return np.full(len(raw), np.nan)
    values = pd.to_numeric(raw[name], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def _dev_column(raw: pd.DataFrame, key: str, dev_units: dict[str, str]) -> np.ndarray:
    scale = _DEV_SCALE[key].get(dev_units.get(key, ""), _DEV_DEFAULT_SCALE[key])
    return _column(raw, key) * scale


def _is_absolute(value: float) -> bool:
    return _FIT_DATETIME_MIN <= value <= _FIT_DATETIME_MAX


def _correlation_offset(found: _Found) -> float | None:
    """Seconds to add to a power-on time to get a real FIT time, from timestamp_correlation."""
    for c in found.correlations:
        real, system = c.get("timestamp"), c.get("system_timestamp")
        if (
            isinstance(real, _NUMBER)
            and isinstance(system, _NUMBER)
            and _is_absolute(real)
            and 0 <= system < _FIT_DATETIME_MIN
        ):
            return float(real - system)
    return None


def _timestamps(ts: np.ndarray, found: _Found) -> np.ndarray:
    """Record times on one clock, gaps filled between neighbours.

    A file can switch from power-on time to real time mid-run (the watch found the time): with a
    timestamp_correlation message the power-on times are moved onto the real clock; without one,
    the records on the minority clock are treated as lacking a time.
    """
    if np.isnan(ts).all():
        raise FitError("the file is damaged: its records carry no timestamps")
    known = ~np.isnan(ts)
    relative = known & (ts < _FIT_DATETIME_MIN)
    absolute = known & ~relative
    if relative.any() and absolute.any():
        offset = _correlation_offset(found)
        ts = ts.copy()
        if offset is not None:
            ts[relative] += offset
        elif relative.sum() > absolute.sum():
            ts[absolute] = np.nan
        else:
            ts[relative] = np.nan
    if np.isnan(ts).any():  # records without their own time: place them between their neighbours
        ts = pd.Series(ts).interpolate(limit_direction="both").to_numpy()
    return ts


def _series(raw: pd.DataFrame, ts: np.ndarray, dev_units: dict[str, str]) -> pd.DataFrame:
    """Convert raw fields to run_records' columns and units, all at once on arrays."""
    strides = _column(raw, "cadence")
    cadence = 2.0 * (strides + np.nan_to_num(_column(raw, "fractional_cadence")))
    if np.isnan(cadence).all() and "dev:cadence" in raw.columns:
        cadence = _dev_column(raw, "dev:cadence", dev_units)

    contact = _column(raw, "stance_time")
    if np.isnan(contact).all() and "dev:ground_time" in raw.columns:
        contact = _dev_column(raw, "dev:ground_time", dev_units)

    oscillation = _column(raw, "vertical_oscillation") / 10.0  # mm → cm
    if np.isnan(oscillation).all() and "dev:vertical_oscillation" in raw.columns:
        oscillation = _dev_column(raw, "dev:vertical_oscillation", dev_units)

    return pd.DataFrame(
        {
            "t_s": ts - ts[0],
            "distance_m": _column(raw, "distance"),
            "cadence_spm": cadence,
            "ground_contact_ms": contact,
            "vertical_oscillation_cm": oscillation,
            "vertical_ratio_pct": _column(raw, "vertical_ratio"),
            "stance_balance_left_pct": _column(raw, "stance_time_balance"),
            "heart_rate_bpm": _column(raw, "heart_rate"),
        },
        columns=list(COLUMNS),
    )


# --- when the run took place ----------------------------------------------------------------------


def _fit_datetime(value: Any) -> datetime | None:
    """A raw FIT date_time as UTC, or None when it is missing or counts from device power-on."""
    if not isinstance(value, _NUMBER) or not math.isfinite(value) or not _is_absolute(value):
        return None
    return datetime.fromtimestamp(_FIT_EPOCH + value, UTC)


def _when(found: _Found, ts: np.ndarray) -> tuple[datetime | None, date | None, list[str]]:
    """The run's start (UTC), its day and what to tell the runner about them.

    The start on the records' own clock is the sessions' earliest start_time, else the first
    record. When that clock counts from power-on, as the FIT SDK describes, the real time comes
    from a timestamp_correlation message, else from file_id.time_created (the watch creates the
    activity file as the run starts), else it is unknown.
    """
    starts = [
        float(s["start_time"])
        for s in found.sessions
        if isinstance(s.get("start_time"), _NUMBER) and math.isfinite(s["start_time"])
    ]
    first = float(np.nanmin(ts))
    absolute_starts = [s for s in starts if _is_absolute(s)]
    relative_starts = [s for s in starts if s < _FIT_DATETIME_MIN]
    if absolute_starts:
        start = min(absolute_starts)
    elif _is_absolute(first):
        start = first
    else:
        start = min(relative_starts) if relative_starts else first

    started_at = _fit_datetime(start)
    if started_at is None:  # a power-on time: find the real clock elsewhere in the file
        offset = _correlation_offset(found)
        if offset is not None:
            started_at = _fit_datetime(start + offset)
        if started_at is None:
            started_at = _fit_datetime(found.time_created)
    if started_at is None:
        return None, None, [NOTE_NO_START]
    return started_at, _local_day(found, started_at), []


def _local_day(found: _Found, started_at: datetime) -> date:
    """The start's local calendar day when the activity message gives the time zone, else UTC's.

    The zone is the activity's local_timestamp minus its timestamp, trusted only when both are
    real times: watches without a set clock (a Forerunner 70) write the same local_timestamp into
    activities days apart, so it does not date their runs.
    """
    for a in found.activities:
        stamp, local = a.get("timestamp"), a.get("local_timestamp")
        if not (isinstance(stamp, _NUMBER) and isinstance(local, _NUMBER)):
            continue
        shift = local - stamp
        if _is_absolute(stamp) and _is_absolute(local) and abs(shift) <= _MAX_UTC_OFFSET_S:
            return (started_at + timedelta(seconds=shift)).date()
    return started_at.date()


# --- summary  -------------------------------------------------------------------------------------


def _session_total(sessions: list[dict[str, Any]], *names: str) -> float | None:
    """Sum a total over the sessions, taking the first of `names` each session has."""
    total, found = 0.0, False
    for session in sessions:
        for name in names:
            value = session.get(name)
            if isinstance(value, _NUMBER) and math.isfinite(value) and value >= 0:
                total += float(value)
                found = True
                break
    return total if found and math.isfinite(total) else None


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _mean(values: np.ndarray) -> float | None:
    return _finite(float(values.mean())) if values.size else None


def _fade(t: np.ndarray, values: np.ndarray, valid: np.ndarray, span: float) -> float | None:
    """Last quarter's mean against the first quarter's, in % of the first (quarters by time)."""
    if span <= 0:
        return None
    first = _mean(values[valid & (t <= span / 4)])
    last = _mean(values[valid & (t >= span * 3 / 4)])
    if first is None or last is None or first == 0:
        return None
    return _finite((last - first) / first * 100.0)


def _summarise(series: pd.DataFrame, sessions: list[dict[str, Any]], sha256: str) -> dict:
    """Averages over moving records (cadence > 0; all records when the file has no cadence)."""
    with np.errstate(all="ignore"):  # overflow in a hostile file ends as None, not a warning
        return _figures(series, sessions, sha256)


def _figures(series: pd.DataFrame, sessions: list[dict[str, Any]], sha256: str) -> dict:
    t = series["t_s"].to_numpy()
    span = float(np.nanmax(t) - np.nanmin(t)) if t.size else 0.0
    span = span if math.isfinite(span) else 0.0
    cadence = series["cadence_spm"].to_numpy()
    moving = cadence > 0 if np.isfinite(cadence).any() else np.ones(len(series), dtype=bool)

    def valid(column: str) -> tuple[np.ndarray, np.ndarray]:
        values = series[column].to_numpy()
        return values, moving & (values > 0)  # 0 means "not measured" for all of these

    means: dict[str, float | None] = {}
    for column in COLUMNS[2:]:
        values, ok = valid(column)
        means[column] = _mean(values[ok])

    cad_values, cad_ok = valid("cadence_spm")
    moving_cadence = cad_values[cad_ok]
    cv = (
        _finite(float(moving_cadence.std() / moving_cadence.mean() * 100.0))
        if moving_cadence.size >= 2
        else None
    )

    seconds = _session_total(sessions, "total_timer_time", "total_elapsed_time")
    minutes = seconds / 60.0 if seconds is not None else span / 60.0
    metres = _session_total(sessions, "total_distance")
    if metres is None:
        distance = series["distance_m"].to_numpy()
        metres = float(np.nanmax(distance)) if np.isfinite(distance).any() else None
    has_distance = metres is not None and metres > 0

    return {
        "minutes": minutes,
        "distance_km": metres / 1000.0 if has_distance and metres is not None else 0.0,
        "has_distance": has_distance,
        "cadence_spm": means["cadence_spm"],
        "ground_contact_ms": means["ground_contact_ms"],
        "vertical_oscillation_cm": means["vertical_oscillation_cm"],
        "vertical_ratio_pct": means["vertical_ratio_pct"],
        "stance_balance_left_pct": means["stance_balance_left_pct"],
        "heart_rate_bpm": means["heart_rate_bpm"],
        "cadence_cv_pct": cv,
        "cadence_fade_pct": _fade(t, cad_values, cad_ok, span),
        "ground_contact_fade_pct": _fade(t, *valid("ground_contact_ms"), span),
        "vertical_oscillation_fade_pct": _fade(t, *valid("vertical_oscillation_cm"), span),
        "sha256": sha256,
        "records": len(series),
    }
