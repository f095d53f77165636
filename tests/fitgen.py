"""Write small, exactly known FIT activity files for the watch-file tests and the benchmark.

The files are built with fit_tool (BSD), never with Garmin's SDK. Every series is either a constant
or a function of the second index, so a test can work out the figures a decoder should report.
"""

from __future__ import annotations

import math
import struct
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
    heart_rate: Series = None,
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
                hr=value_at(heart_rate, i),
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
    hr: float | None = None,
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
    if hr is not None:
        rec.heart_rate = round(hr)
    return rec


# --- hand-assembled files ---------------------------------------------------------------------
# fit_tool always writes little-endian messages with full timestamps on the real clock. Watches do
# more than that: the Forerunner 70 (and other watches whose clock was never set) count seconds
# from power-on, use compressed-timestamp record headers and may have no distance at all. These
# writers assemble such files byte by byte, following the FIT protocol's file layout.

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z as a Unix time
POWER_ON_LIMIT = 0x10000000  # FIT: date_time values below this count from device power-on

# FIT base types: (code, struct format)
ENUM, UINT8, UINT16, UINT32, FLOAT32, STRING, BYTE = (
    (0x00, "B"),
    (0x02, "B"),
    (0x84, "H"),
    (0x86, "I"),
    (0x88, "f"),
    (0x07, "s"),
    (0x0D, "s"),
)


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC = _crc_table()


def crc16(buf: bytes | bytearray, crc: int = 0) -> int:
    """FIT's CRC-16 (the FIT protocol's CRC, also called CRC-16/ARC)."""
    for byte in buf:
        crc = (crc >> 8) ^ _CRC[(crc ^ byte) & 0xFF]
    return crc


def fit_container(body: bytes, *, header_size: int = 14) -> bytes:
    """Wrap message bytes in a FIT header (protocol 2.0, profile 21.32) and the file CRC."""
    header = struct.pack("<BBHI4s", header_size, 0x20, 2132, len(body), b".FIT")
    if header_size == 14:
        header += struct.pack("<H", crc16(header))
    data = header + body
    return data + struct.pack("<H", crc16(data))


def recrc(data: bytes | bytearray) -> bytes:
    """Make a (mutated) single FIT file consistent again: data size, header CRC and file CRC.

    Everything after the header, minus the two CRC bytes, is taken as the messages, so a
    mutation anywhere in them reaches the decoder instead of failing the checksum.
    """
    header_size = data[0] if data and data[0] in (12, 14) else 14
    body = bytes(data[header_size:-2]) if len(data) >= header_size + 2 else b""
    return fit_container(body, header_size=header_size)


class Layout:
    """One local message definition and a packer for its data messages."""

    def __init__(
        self,
        local: int,
        global_num: int,
        fields: list[tuple[int, tuple[int, str], int]],
        *,
        big_endian: bool = False,
        dev_fields: list[tuple[int, int, int]] = (),
        dev_format: str = "",
    ) -> None:
        self.local = local
        order = ">" if big_endian else "<"
        fmt = order
        out = bytearray([0x40 | (0x20 if dev_fields else 0) | local, 0, 1 if big_endian else 0])
        out += struct.pack(order + "H", global_num)
        out.append(len(fields))
        for num, (code, char), size in fields:
            out += bytes([num, size, code])
            fmt += f"{size}s" if char == "s" else char * (size // struct.calcsize(char))
        if dev_fields:
            out.append(len(dev_fields))
            for num, size, index in dev_fields:
                out += bytes([num, size, index])
            fmt += dev_format
        self.definition = bytes(out)
        self.packer = struct.Struct(fmt)

    def message(self, *values, timestamp_offset: int | None = None) -> bytes:
        """A data message; with `timestamp_offset` (0-31) a compressed-timestamp header."""
        if timestamp_offset is None:
            head = self.local
        else:
            head = 0x80 | (self.local << 5) | (timestamp_offset & 0x1F)
        return bytes([head]) + self.packer.pack(*values)


def write_raw_run(
    *,
    seconds: int,
    step_s: int = 1,
    start: int | None = None,
    cadence_spm: float | None = 170.0,
    stance_ms: float | None = 240.0,
    speed_mps: float | None = 3.0,
    session_distance: bool = True,
    compressed: bool = True,
    big_endian: bool = False,
    time_created: int | None = None,
    correlation: int | None = None,
    activity_local_offset_s: int | None = None,
    activity_local_timestamp: int | None = None,
    sport: int | None = 1,
) -> bytes:
    """A run of `seconds` with a record every `step_s` seconds, assembled byte by byte.

    `start` is the first record's raw FIT time (default: fitgen.START on the real clock; give a
    value below POWER_ON_LIMIT for a watch that counts from power-on). `time_created` defaults
    to `start`. `correlation`, when given, is the real FIT time of `start`, written as a
    timestamp_correlation message. `activity_local_offset_s` writes an activity message whose
    local_timestamp is its timestamp plus that many seconds (a time zone); or give
    `activity_local_timestamp` as a raw value. `speed_mps=None` writes no distance anywhere
    (a treadmill run without a foot pod); `session_distance=False` leaves it out of the session
    only. With `compressed`, records after the first use compressed-timestamp headers.
    `sport=None` leaves the sport out (1 is running, 2 cycling).
    """
    if start is None:
        start = int(START.timestamp()) - FIT_EPOCH
    created = start if time_created is None else time_created
    fields_id = [(0, ENUM, 1), (1, UINT16, 2), (4, UINT32, 4)]
    file_id = Layout(0, 0, fields_id, big_endian=big_endian)
    body = bytearray(file_id.definition + file_id.message(4, 255, created))

    rec_fields = [(253, UINT32, 4)]
    values: list[Callable[[int], int]] = []
    if speed_mps is not None:
        rec_fields.append((5, UINT32, 4))  # distance, 1/100 m
        values.append(lambda i: round(i * step_s * speed_mps * 100))
    if cadence_spm is not None:
        whole, frac = split_cadence(cadence_spm)
        rec_fields += [(4, UINT8, 1), (53, UINT8, 1)]  # cadence, fractional_cadence (1/128)
        values += [lambda i: whole, lambda i: round(frac * 128)]
    if stance_ms is not None:
        rec_fields.append((41, UINT16, 2))  # stance_time, 1/10 ms
        values.append(lambda i: round(stance_ms * 10))
    full = Layout(1, 20, rec_fields, big_endian=big_endian)
    short = Layout(2, 20, rec_fields[1:], big_endian=big_endian)
    body += full.definition + short.definition

    n = max(0, seconds // step_s)
    for i in range(n):
        t = start + i * step_s
        rest = [f(i) for f in values]
        if compressed and i and step_s < 32:
            body += short.message(*rest, timestamp_offset=t)
        else:
            body += full.message(t, *rest)

    end = start + max(n - 1, 0) * step_s
    span = end - start
    ses_fields = [(253, UINT32, 4), (2, UINT32, 4), (7, UINT32, 4), (8, UINT32, 4)]
    ses_values = [end, start, span * 1000, span * 1000]
    if speed_mps is not None and session_distance:
        ses_fields.append((9, UINT32, 4))
        ses_values.append(round(span * speed_mps * 100))
    if sport is not None:
        ses_fields.append((5, ENUM, 1))
        ses_values.append(sport)
    session = Layout(3, 18, ses_fields, big_endian=big_endian)
    body += session.definition + session.message(*ses_values)

    if correlation is not None:
        corr = Layout(4, 162, [(253, UINT32, 4), (1, UINT32, 4)], big_endian=big_endian)
        body += corr.definition + corr.message(correlation, start)
    local = activity_local_timestamp
    if local is None and activity_local_offset_s is not None:
        local = end + activity_local_offset_s
    if local is not None:
        act = Layout(5, 34, [(253, UINT32, 4), (5, UINT32, 4)], big_endian=big_endian)
        body += act.definition + act.message(end, local)
    return fit_container(bytes(body))


def write_tiny_records(count: int, *, other: int = 0) -> bytes:
    """A valid running file of `count` minimal records (2 bytes each) and `other` 2-byte events.

    The shape of the probe's 5 MB file of 2.5 million records: real time, compressed
    timestamps, one cadence byte per record.
    """
    start = int(START.timestamp()) - FIT_EPOCH
    file_id = Layout(0, 0, [(0, ENUM, 1), (4, UINT32, 4)])
    first = Layout(1, 20, [(253, UINT32, 4), (4, UINT8, 1)])
    short = Layout(2, 20, [(4, UINT8, 1)])
    event = Layout(3, 21, [(0, ENUM, 1)])  # event: timer
    session = Layout(0, 18, [(2, UINT32, 4), (5, ENUM, 1)])
    parts = [file_id.definition, file_id.message(4, start), first.definition, short.definition]
    parts.append(first.message(start, 85))
    step = short.message(85, timestamp_offset=0)[1:]
    parts += [bytes([0x80 | (2 << 5) | ((start + i) & 0x1F)]) + step for i in range(1, count)]
    parts.append(event.definition)
    parts += [event.message(0)] * other
    parts += [session.definition, session.message(start, 1)]
    return fit_container(b"".join(parts))
