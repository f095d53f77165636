"""Write small, exactly known FIT activity files for the watch-file tests and the benchmark.

The files are built with fit_tool (BSD), never with Garmin's SDK. Every series is either a constant
or a function of the second index, so a test can work out the figures a decoder should report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fit_tool.base_type import BaseType
from fit_tool.developer_field import DeveloperField
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.messages.sport_message import SportMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

Series = float | Callable[[int], float] | None
"""A constant, a function of the second index (0, 1, ...), or None to leave the field out."""

START = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)

# Stryd-style developer fields: (field number, name, units, base type).
_DEV_CADENCE = (0, "Cadence", "RPM", BaseType.UINT8)
_DEV_GROUND_TIME = (1, "Ground Time", "Milliseconds", BaseType.UINT16)
_DEV_VO = (2, "Vertical Oscillation", "Centimeters", BaseType.FLOAT32)


def value_at(series: Series, i: int) -> float | None:
    """The series' value at second i (None when the field is left out)."""
    if series is None:
        return None
    if callable(series):
        return float(series(i))
    return float(series)


def split_cadence(spm: float) -> tuple[int, float]:
    """Steps/min → (whole strides/min, fractional strides in 1/128 steps), as FIT stores them."""
    strides = spm / 2.0
    whole = math.floor(strides)
    return whole, round((strides - whole) * 128) / 128


def _ms(t: datetime) -> int:
    return round(t.timestamp() * 1000)


def write_run(
    path_or_none: str | Path | None,
    *,
    seconds: int,
    cadence_spm: Series = 170.0,
    stance_ms: Series = None,
    vo_mm: Series = None,
    vertical_ratio: Series = None,
    balance: Series = None,
    sport: str | None = "running",
    start: datetime = START,
    speed_mps: float = 3.0,
    session: bool = True,
    session_seconds: float | None = None,
    session_distance_m: float | None = None,
    sport_message: bool = False,
    developer: bool = False,
) -> bytes:
    """Write a run, one record a second; return the FIT bytes (and save them when given a path).

    Record i sits at start + i s with distance i × speed_mps. The session, when written, reports
    `session_seconds` (default: seconds − 1, the span of the records) and `session_distance_m`
    (default: the last record's distance). `sport=None` leaves the sport out of the session.
    With `developer=True`, cadence, stance time and vertical oscillation are written only as
    Stryd-style developer fields ("Cadence" RPM, "Ground Time" ms, "Vertical Oscillation" cm).
    """
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    start_ms = _ms(start)

    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 0x12345678
    file_id.time_created = start_ms
    builder.add(file_id)

    sport_enum = Sport[sport.upper()] if sport is not None else None
    if sport_message and sport_enum is not None:
        msg = SportMessage()
        msg.sport = sport_enum
        builder.add(msg)

    if developer:
        dev_id = DeveloperDataIdMessage()
        dev_id.application_id = b"stryd-test-app01"
        dev_id.developer_data_index = 0
        builder.add(dev_id)
        for num, name, units, base_type in (_DEV_CADENCE, _DEV_GROUND_TIME, _DEV_VO):
            desc = FieldDescriptionMessage()
            desc.developer_data_index = 0
            desc.field_definition_number = num
            desc.fit_base_type_id = base_type
            desc.field_name = name
            desc.units = units
            builder.add(desc)

    for i in range(seconds):
        builder.add(
            _record(
                i,
                start_ms=start_ms,
                speed_mps=speed_mps,
                cadence=value_at(cadence_spm, i),
                stance=value_at(stance_ms, i),
                vo=value_at(vo_mm, i),
                ratio=value_at(vertical_ratio, i),
                bal=value_at(balance, i),
                developer=developer,
            )
        )

    if session:
        span = max(seconds - 1, 0)
        msg = SessionMessage()
        msg.timestamp = start_ms + span * 1000
        msg.start_time = start_ms
        if sport_enum is not None:
            msg.sport = sport_enum
        elapsed = float(span if session_seconds is None else session_seconds)
        msg.total_elapsed_time = elapsed
        msg.total_timer_time = elapsed
        msg.total_distance = (
            span * speed_mps if session_distance_m is None else float(session_distance_m)
        )
        builder.add(msg)

    data = builder.build().to_bytes()
    if path_or_none is not None:
        Path(path_or_none).write_bytes(data)
    return data


def _record(
    i: int,
    *,
    start_ms: int,
    speed_mps: float,
    cadence: float | None,
    stance: float | None,
    vo: float | None,
    ratio: float | None,
    bal: float | None,
    developer: bool,
) -> RecordMessage:
    dev_fields: list[DeveloperField] = []
    if developer:
        for (num, _, _, base_type), value in (
            (_DEV_CADENCE, None if cadence is None else round(cadence / 2)),
            (_DEV_GROUND_TIME, None if stance is None else round(stance)),
            (_DEV_VO, None if vo is None else vo / 10.0),
        ):
            if value is None:
                continue
            field = DeveloperField(
                developer_data_index=0, field_id=num, base_type=base_type, size=base_type.size
            )
            field.set_value(0, value)
            dev_fields.append(field)

    rec = RecordMessage(developer_fields=dev_fields or None)
    rec.timestamp = start_ms + i * 1000
    rec.distance = i * speed_mps
    if not developer:
        if cadence is not None:
            whole, frac = split_cadence(cadence)
            rec.cadence = whole
            rec.fractional_cadence = frac
        if stance is not None:
            rec.stance_time = stance
        if vo is not None:
            rec.vertical_oscillation = vo
    if ratio is not None:
        rec.vertical_ratio = ratio
    if bal is not None:
        rec.stance_time_balance = bal
    return rec
