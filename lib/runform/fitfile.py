"""Decode a watch's FIT activity file into running-dynamics figures (shared/protocols.md §4).

Why this shape: an upload is untrusted bytes from a runner, so every way it can be wrong ends in a
`FitError` whose message can be shown as it is; the figures land in session_logs and the series in
run_records (migration 003), so names and units here match those columns.

Decoding uses fitdecode (MIT). Garmin's own SDK is deliberately not used (restrictive licence).
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
from datetime import UTC, datetime
from typing import Any

import fitdecode
import numpy as np
import pandas as pd
from fitdecode.types import DevField
from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["COLUMNS", "FitError", "RunSummary", "decode"]

COLUMNS = (
    "t_s",
    "distance_m",
    "cadence_spm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "stance_balance_left_pct",
)
"""The DataFrame's columns, in run_records' order and units."""

_FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z as a Unix time; FIT date_time counts from it
_FIT_DATETIME_MIN = 0x10000000  # smaller date_time values count from device power-on, not a date

_MESG_FILE_ID = 0
_MESG_SPORT = 12
_MESG_SESSION = 18
_MESG_RECORD = 20

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


class FitError(ValueError):
    """Why an uploaded file cannot be used, worded for the runner who uploaded it."""


class RunSummary(BaseModel):
    """The figures of one run, as session_logs stores them (None when the file lacks the data)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    started_at: datetime
    minutes: float
    distance_km: float | None
    cadence_spm: float | None
    ground_contact_ms: float | None
    vertical_oscillation_cm: float | None
    vertical_ratio_pct: float | None
    stance_balance_left_pct: float | None
    cadence_cv_pct: float | None
    cadence_fade_pct: float | None
    ground_contact_fade_pct: float | None
    vertical_oscillation_fade_pct: float | None
    sha256: str
    records: int

    @field_validator("started_at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        """Stored timestamps are compared across athletes' time zones, so they must be UTC."""
        if v.tzinfo is None:
            raise ValueError("started_at must carry a time zone")
        return v.astimezone(UTC)


def decode(data: bytes) -> tuple[RunSummary, pd.DataFrame]:
    """Decode a FIT run into its summary and per-record series (columns `COLUMNS`).

    Raises FitError for anything that is not a readable FIT run.
    """
    data = bytes(data)
    end = _check_container(data)
    file_type, sports, sessions, rows, dev_units = _read_messages(data[:end])
    if file_type is not None and file_type != "activity":
        raise FitError(f"this FIT file is a {file_type} file, not a recorded activity")
    if not rows:
        raise FitError("the file has no records")

    raw = pd.DataFrame.from_records(rows)
    series = _series(raw, dev_units)
    _check_sport(sports, series)

    ts = _column(raw, "timestamp")
    started_at = _started_at(sessions, ts)
    summary = _summarise(series, sessions, started_at, hashlib.sha256(data).hexdigest())
    return summary, series


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
                raise FitError(f"not a FIT file: {_describe(data)}")
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


def _describe(data: bytes) -> str:
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


def _read_messages(
    data: bytes,
) -> tuple[str | None, list[str], list[dict[str, Any]], list[dict[str, float]], dict[str, str]]:
    """Collect file type, declared sports, sessions and the wanted record fields, in one pass.

    The loop only copies decoded numbers into dicts; all arithmetic happens later on arrays.
    """
    file_type: str | None = None
    sports: list[str] = []
    sessions: list[dict[str, Any]] = []
    rows: list[dict[str, float]] = []
    dev_units: dict[str, str] = {}
    wanted, dev_names, number = _RECORD_FIELDS, _DEV_FIELDS, _NUMBER
    try:
        reader = fitdecode.FitReader(
            io.BytesIO(data),
            processor=None,  # raw values: timestamps stay integers, which is what we need
            check_crc=fitdecode.CrcCheck.DISABLED,  # _check_container already verified it
            error_handling=fitdecode.ErrorHandling.IGNORE,
        )
        with reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                num = frame.def_mesg.global_mesg_num
                if num == _MESG_RECORD:
                    row: dict[str, float] = {}
                    for fd in frame.fields:
                        field, value = fd.field, fd.value
                        if field is None or value is None or type(value) not in number:
                            continue
                        if type(field) is DevField:
                            key = dev_names.get((field.name or "").lower())
                            if key is None:
                                continue
                            if key not in dev_units:
                                dev_units[key] = (field.units or "").strip().lower()
                            row[key] = value
                        elif field.name in wanted:
                            row[field.name] = value
                    rows.append(row)
                elif num == _MESG_SESSION:
                    sessions.append({fd.name: fd.value for fd in frame.fields})
                    sport = frame.get_value("sport", fallback=None)
                    if sport is not None:
                        sports.append(str(sport))
                elif num == _MESG_SPORT:
                    sport = frame.get_value("sport", fallback=None)
                    if sport is not None:
                        sports.append(str(sport))
                elif num == _MESG_FILE_ID and file_type is None:
                    value = frame.get_value("type", fallback=None)
                    file_type = None if value is None else str(value)
    except fitdecode.FitError as exc:
        raise FitError(f"the file is damaged: {exc}") from exc
    except (struct.error, KeyError, IndexError, AssertionError) as exc:
        # fitdecode surfaces some malformed data this way rather than as its own FitError
        raise FitError(f"the file is damaged: unreadable data ({exc!r})") from exc
    return file_type, sports, sessions, rows, dev_units


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
    raise FitError(f"this FIT file is not a run (sport: {', '.join(declared)})")


# --- arrays  --------------------------------------------------------------------------------------


def _column(raw: pd.DataFrame, name: str) -> np.ndarray:
    """A raw field as floats, NaN where a record lacks it (or the file never has it)."""
    if name not in raw.columns:
        return np.full(len(raw), np.nan)
    return pd.to_numeric(raw[name], errors="coerce").to_numpy(dtype=float)


def _dev_column(raw: pd.DataFrame, key: str, dev_units: dict[str, str]) -> np.ndarray:
    scale = _DEV_SCALE[key].get(dev_units.get(key, ""), _DEV_DEFAULT_SCALE[key])
    return _column(raw, key) * scale


def _series(raw: pd.DataFrame, dev_units: dict[str, str]) -> pd.DataFrame:
    """Convert raw fields to run_records' columns and units, all at once on arrays."""
    ts = _column(raw, "timestamp")
    if np.isnan(ts).all():
        raise FitError("the file is damaged: its records carry no timestamps")
    if np.isnan(ts).any():  # records without their own time: place them between their neighbours
        ts = pd.Series(ts).interpolate(limit_direction="both").to_numpy()

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
        },
        columns=list(COLUMNS),
    )


# --- summary  -------------------------------------------------------------------------------------


def _fit_datetime(value: Any) -> datetime | None:
    """A raw FIT date_time as UTC, or None when it is missing or counts from device power-on."""
    if not isinstance(value, _NUMBER) or value < _FIT_DATETIME_MIN:
        return None
    return datetime.fromtimestamp(_FIT_EPOCH + value, UTC)


def _started_at(sessions: list[dict[str, Any]], ts: np.ndarray) -> datetime:
    starts = [s for s in (_fit_datetime(x.get("start_time")) for x in sessions) if s is not None]
    if starts:
        return min(starts)
    finite = ts[~np.isnan(ts)]
    first = _fit_datetime(float(finite.min())) if finite.size else None
    if first is None:
        raise FitError("the file is damaged: it does not say when the run took place")
    return first


def _session_total(sessions: list[dict[str, Any]], *names: str) -> float | None:
    """Sum a total over the sessions, taking the first of `names` each session has."""
    total, found = 0.0, False
    for session in sessions:
        for name in names:
            value = session.get(name)
            if isinstance(value, _NUMBER) and math.isfinite(value):
                total += float(value)
                found = True
                break
    return total if found else None


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if values.size else None


def _fade(t: np.ndarray, values: np.ndarray, valid: np.ndarray, span: float) -> float | None:
    """Last quarter's mean against the first quarter's, in % of the first (quarters by time)."""
    if span <= 0:
        return None
    first = _mean(values[valid & (t <= span / 4)])
    last = _mean(values[valid & (t >= span * 3 / 4)])
    if first is None or last is None or first == 0:
        return None
    return (last - first) / first * 100.0


def _summarise(
    series: pd.DataFrame, sessions: list[dict[str, Any]], started_at: datetime, sha256: str
) -> RunSummary:
    """Averages over moving records (cadence > 0; all records when the file has no cadence)."""
    t = series["t_s"].to_numpy()
    span = float(np.nanmax(t)) if t.size else 0.0
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
        float(moving_cadence.std() / moving_cadence.mean() * 100.0)
        if moving_cadence.size >= 2
        else None
    )

    seconds = _session_total(sessions, "total_timer_time", "total_elapsed_time")
    minutes = seconds / 60.0 if seconds is not None else span / 60.0
    metres = _session_total(sessions, "total_distance")
    if metres is None:
        distance = series["distance_m"].to_numpy()
        metres = float(np.nanmax(distance)) if np.isfinite(distance).any() else None

    return RunSummary(
        started_at=started_at,
        minutes=minutes,
        distance_km=None if metres is None else metres / 1000.0,
        cadence_spm=means["cadence_spm"],
        ground_contact_ms=means["ground_contact_ms"],
        vertical_oscillation_cm=means["vertical_oscillation_cm"],
        vertical_ratio_pct=means["vertical_ratio_pct"],
        stance_balance_left_pct=means["stance_balance_left_pct"],
        cadence_cv_pct=cv,
        cadence_fade_pct=_fade(t, cad_values, cad_ok, span),
        ground_contact_fade_pct=_fade(t, *valid("ground_contact_ms"), span),
        vertical_oscillation_fade_pct=_fade(t, *valid("vertical_oscillation_cm"), span),
        sha256=sha256,
        records=len(series),
    )
