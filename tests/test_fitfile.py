"""Watch-file decoding: known generated runs give known figures; wrong uploads give plain errors."""

from __future__ import annotations

import hashlib
import math
import statistics
import struct
import time
import tomllib
from datetime import timedelta

import numpy as np
import pytest
from fitdecode.utils import compute_crc

from runform import fitfile
from runform.fitfile import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_FILE_MB,
    MAX_RECORDS,
    NOTE_NO_DISTANCE,
    NOTE_NO_START,
    FitError,
    RunSummary,
    decode,
)
from runform.paths import REPO_ROOT
from tests.fitgen import (
    FIT_EPOCH,
    START,
    fit_container,
    recrc,
    split_cadence,
    write_raw_run,
    write_run,
    write_tiny_records,
)

THIRTY_MIN = 1800


def _rising(i: int) -> float:
    """160 → 176 steps/min, linearly over the 30-minute run."""
    return 160.0 + 16.0 * i / (THIRTY_MIN - 1)


@pytest.fixture(scope="module")
def steady() -> bytes:
    """30 min at 170 spm with full running dynamics; the session says 30:00 and 5.4 km.

    The records span 29:59 and 5.397 km, so session and record figures can be told apart.
    """
    return write_run(
        None,
        seconds=THIRTY_MIN,
        cadence_spm=170.0,
        stance_ms=240.0,
        vo_mm=85.0,
        vertical_ratio=7.5,
        balance=49.6,
        session_seconds=1800.0,
        session_distance_m=5400.0,
    )


@pytest.fixture(scope="module")
def steady_decoded(steady: bytes) -> tuple[RunSummary, object]:
    return decode(steady)


@pytest.fixture(scope="module")
def rising() -> bytes:
    return write_run(
        None,
        seconds=THIRTY_MIN,
        cadence_spm=_rising,
        stance_ms=lambda i: 230.0 + 20.0 * i / (THIRTY_MIN - 1),
        vo_mm=lambda i: 90.0 - 10.0 * i / (THIRTY_MIN - 1),
    )


# --- figures  -------------------------------------------------------------------------------------


def test_constant_cadence(steady_decoded) -> None:
    summary, _ = steady_decoded
    assert summary.cadence_spm == pytest.approx(170.0, abs=0.5)
    assert summary.cadence_cv_pct == pytest.approx(0.0, abs=1e-9)
    assert summary.cadence_fade_pct == pytest.approx(0.0, abs=1e-9)


def test_odd_cadence_uses_fractional_strides() -> None:
    assert split_cadence(171.0) == (85, 0.5)  # the file really holds 85 strides + 0.5
    summary, frame = decode(write_run(None, seconds=120, cadence_spm=171.0))
    assert summary.cadence_spm == pytest.approx(171.0, abs=1e-6)
    assert (frame["cadence_spm"] == 171.0).all()


def test_running_dynamics_and_units(steady_decoded) -> None:
    summary, _ = steady_decoded
    assert summary.ground_contact_ms == pytest.approx(240.0)
    assert summary.vertical_oscillation_cm == pytest.approx(8.5)  # 85 mm
    assert summary.vertical_ratio_pct == pytest.approx(7.5)
    assert summary.stance_balance_left_pct == pytest.approx(49.6)


def test_distance_minutes_and_start_from_the_session(steady_decoded) -> None:
    summary, frame = steady_decoded
    assert summary.minutes == pytest.approx(30.0)
    assert summary.distance_km == pytest.approx(5.4)
    assert summary.started_at == START
    assert summary.records == THIRTY_MIN == len(frame)


def test_distance_and_minutes_from_records_without_a_session() -> None:
    summary, _ = decode(write_run(None, seconds=600, cadence_spm=170.0, session=False))
    assert summary.minutes == pytest.approx(599 / 60)
    assert summary.distance_km == pytest.approx(599 * 3.0 / 1000)
    assert summary.started_at == START


def test_fades_against_a_hand_computed_quarter_mean(rising: bytes) -> None:
    summary, _ = decode(rising)
    span = THIRTY_MIN - 1  # records at 0 … 1799 s
    first = [i for i in range(THIRTY_MIN) if i <= span / 4]
    last = [i for i in range(THIRTY_MIN) if i >= span * 3 / 4]

    def fade(f) -> float:
        a, b = statistics.fmean(map(f, first)), statistics.fmean(map(f, last))
        return (b - a) / a * 100

    expected = fade(_rising)
    assert 7.3 < expected < 7.5  # sanity: about (174 − 162) / 162, a clear rise, not ~0
    assert summary.cadence_fade_pct == pytest.approx(expected, abs=0.01)
    assert summary.ground_contact_fade_pct == pytest.approx(
        fade(lambda i: 230.0 + 20.0 * i / span), abs=0.01
    )
    assert summary.vertical_oscillation_fade_pct == pytest.approx(
        fade(lambda i: 90.0 - 10.0 * i / span), abs=0.01
    )
    assert summary.vertical_oscillation_fade_pct < 0
    values = [_rising(i) for i in range(THIRTY_MIN)]
    cv = statistics.pstdev(values) / statistics.fmean(values) * 100
    assert summary.cadence_cv_pct == pytest.approx(cv, abs=0.01)


def test_stopped_records_are_left_out_of_the_averages() -> None:
    def cadence(i: int) -> float:
        return 0.0 if 100 <= i < 160 else 170.0

    def contact(i: int) -> float:
        return 0.0 if 100 <= i < 160 else 250.0

    summary, frame = decode(write_run(None, seconds=600, cadence_spm=cadence, stance_ms=contact))
    assert (frame["cadence_spm"] == 0).sum() == 60  # the series keeps the stop
    assert summary.cadence_spm == pytest.approx(170.0)
    assert summary.cadence_cv_pct == pytest.approx(0.0, abs=1e-9)
    assert summary.ground_contact_ms == pytest.approx(250.0)


def test_missing_fields_are_none_and_nan() -> None:
    summary, frame = decode(write_run(None, seconds=60, cadence_spm=170.0))
    assert summary.ground_contact_ms is None
    assert summary.vertical_oscillation_cm is None
    assert summary.vertical_ratio_pct is None
    assert summary.stance_balance_left_pct is None
    assert summary.ground_contact_fade_pct is None
    assert frame["ground_contact_ms"].isna().all()
    assert frame["stance_balance_left_pct"].isna().all()


def test_stryd_developer_fields_fill_in_missing_standard_fields() -> None:
    data = write_run(
        None, seconds=300, cadence_spm=170.0, stance_ms=240.0, vo_mm=85.0, developer=True
    )
    summary, frame = decode(data)
    assert summary.cadence_spm == pytest.approx(170.0)  # 85 RPM strides → steps
    assert summary.ground_contact_ms == pytest.approx(240.0)
    assert summary.vertical_oscillation_cm == pytest.approx(8.5)
    assert frame["vertical_oscillation_cm"].notna().all()


def test_the_frame_has_exactly_the_run_records_columns(steady_decoded) -> None:
    _, frame = steady_decoded
    assert list(frame.columns) == [
        "t_s",
        "distance_m",
        "cadence_spm",
        "ground_contact_ms",
        "vertical_oscillation_cm",
        "vertical_ratio_pct",
        "stance_balance_left_pct",
        "heart_rate_bpm",
    ]
    assert list(frame.columns) == list(COLUMNS)
    assert frame["t_s"].tolist()[:3] == [0.0, 1.0, 2.0]
    assert frame["t_s"].iloc[-1] == THIRTY_MIN - 1
    assert frame["distance_m"].iloc[-1] == pytest.approx((THIRTY_MIN - 1) * 3.0)
    assert np.allclose(frame["vertical_oscillation_cm"], 8.5)


def test_sha256_is_of_the_file_bytes(steady: bytes, steady_decoded) -> None:
    summary, _ = steady_decoded
    assert summary.sha256 == hashlib.sha256(steady).hexdigest()


def test_summary_holds_no_nan(steady_decoded) -> None:
    summary, _ = steady_decoded
    for name, value in summary.model_dump().items():
        assert not (isinstance(value, float) and math.isnan(value)), name


# --- refusals  ------------------------------------------------------------------------------------


def test_a_cycling_file_is_refused_naming_the_sport() -> None:
    with pytest.raises(FitError, match=r"not a run \(sport: cycling\)"):
        decode(write_run(None, seconds=60, cadence_spm=170.0, sport="cycling"))


def test_a_sport_message_alone_is_enough_to_refuse() -> None:
    data = write_run(None, seconds=60, sport="cycling", session=False, sport_message=True)
    with pytest.raises(FitError, match="cycling"):
        decode(data)


def test_an_undeclared_sport_is_accepted_with_running_cadence() -> None:
    summary, _ = decode(write_run(None, seconds=60, cadence_spm=170.0, sport=None))
    assert summary.cadence_spm == pytest.approx(170.0)


def test_an_undeclared_sport_without_running_data_is_refused() -> None:
    with pytest.raises(FitError, match="does not say it is a run"):
        decode(write_run(None, seconds=60, cadence_spm=None, sport=None))


def test_a_jpeg_is_named() -> None:
    with pytest.raises(FitError, match="not a FIT file: it starts like a JPEG image"):
        decode(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 4)


def test_a_zip_gets_advice() -> None:
    with pytest.raises(FitError, match="ZIP archive; unzip it"):
        decode(b"PK\x03\x04" + b"\x00" * 40)


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(FitError, match="empty"):
        decode(b"")


def test_a_truncated_file_is_damaged(steady: bytes) -> None:
    with pytest.raises(FitError, match="the file is damaged: it is cut short"):
        decode(steady[: len(steady) // 2])


def test_a_changed_byte_is_damaged(steady: bytes) -> None:
    broken = bytearray(steady)
    broken[len(broken) // 2] ^= 0xFF
    with pytest.raises(FitError, match="the file is damaged: its checksum"):
        decode(bytes(broken))


def test_a_file_that_passes_its_checksum_but_cannot_be_parsed_is_damaged() -> None:
    body = b"\x00\x01\x02\x03"  # a data message for local type 0, which was never defined
    header = struct.pack("<BBHI4sH", 14, 0x20, 2132, len(body), b".FIT", 0)
    data = header + body
    data += struct.pack("<H", compute_crc(data))  # fitdecode's own CRC, not ours
    with pytest.raises(FitError, match="the file is damaged: .*not defined"):
        decode(data)


def test_a_file_with_no_records_is_refused() -> None:
    with pytest.raises(FitError, match="no records"):
        decode(write_run(None, seconds=0, cadence_spm=170.0))


def test_fit_error_is_a_value_error() -> None:
    assert issubclass(FitError, ValueError)


def test_refusals_are_fit_errors_with_a_runner_message() -> None:
    with pytest.raises(FitError) as info:
        decode(b"\x0e\x20" + b"\x00" * 40)
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)


# --- files without distance, developer oddities  --------------------------------------------------


def test_a_treadmill_run_without_distance_is_0_km_with_a_note() -> None:
    summary, frame = decode(write_raw_run(seconds=1800, speed_mps=None))
    assert summary.distance_km == 0.0
    assert summary.has_distance is False
    assert NOTE_NO_DISTANCE in summary.notes
    assert summary.notes[-1] == "no distance in this file: logged as 0 km"
    assert round(summary.distance_km, 2) == 0.0  # what the page does with it
    assert summary.minutes == pytest.approx(1799 / 60)
    assert summary.cadence_spm == pytest.approx(170.0)
    assert frame["distance_m"].isna().all()


def test_a_session_without_distance_falls_back_to_the_records() -> None:
    summary, _ = decode(write_raw_run(seconds=600, session_distance=False))
    assert summary.has_distance is True
    assert summary.distance_km == pytest.approx(599 * 3.0 / 1000)
    assert NOTE_NO_DISTANCE not in summary.notes


def test_a_run_with_distance_has_no_notes(steady_decoded) -> None:
    summary, _ = steady_decoded
    assert summary.has_distance is True and summary.notes == ()


def test_an_infinite_developer_field_is_not_measured() -> None:
    data = write_run(None, seconds=120, stance_ms=240.0, vo_mm=math.inf, developer=True)
    summary, frame = decode(data)
    assert summary.vertical_oscillation_cm is None
    assert frame["vertical_oscillation_cm"].isna().all()
    assert summary.ground_contact_ms == pytest.approx(240.0)


def test_infinite_values_among_finite_ones_are_skipped() -> None:
    def vo(i: int) -> float:
        return math.inf if i % 3 == 0 else 85.0

    data = write_run(None, seconds=120, stance_ms=240.0, vo_mm=vo, developer=True)
    summary, frame = decode(data)
    assert summary.vertical_oscillation_cm == pytest.approx(8.5)
    assert np.isfinite(frame["vertical_oscillation_cm"].dropna()).all()


# --- clocks: device-relative timestamps  ----------------------------------------------------------

POWER_ON_START = 16_441_241  # a Forerunner 70's session start: seconds since power-on
REAL_START = int(START.timestamp()) - FIT_EPOCH


def test_power_on_timestamps_give_durations_but_no_day() -> None:
    summary, frame = decode(write_raw_run(seconds=3000, step_s=5, start=POWER_ON_START))
    assert summary.minutes == pytest.approx(2995 / 60)
    assert frame["t_s"].iloc[-1] == 2995.0
    assert summary.distance_km == pytest.approx(2995 * 3.0 / 1000)
    assert summary.started_at is None and summary.start_day is None
    assert summary.notes == (NOTE_NO_START,)


def test_a_forerunner_70_shaped_file_is_read() -> None:
    """Power-on clock, compressed timestamps, no distance, a real-looking activity local time."""
    data = write_raw_run(
        seconds=3430,
        step_s=5,
        start=POWER_ON_START,
        speed_mps=None,
        stance_ms=None,
        cadence_spm=None,
        activity_local_timestamp=698_070_063,
    )
    summary, _ = decode(data)
    assert summary.minutes == pytest.approx(3425 / 60)
    assert summary.distance_km == 0.0 and not summary.has_distance
    # Forerunner 70 files days apart carry the same local_timestamp: it does not date the run
    assert summary.started_at is None and summary.start_day is None
    assert set(summary.notes) == {NOTE_NO_START, NOTE_NO_DISTANCE}


def test_a_timestamp_correlation_puts_power_on_times_on_the_real_clock() -> None:
    data = write_raw_run(seconds=600, start=POWER_ON_START, correlation=REAL_START)
    summary, _ = decode(data)
    assert summary.started_at == START
    assert summary.start_day == START.date()
    assert summary.notes == ()


def test_a_real_time_created_dates_a_power_on_run() -> None:
    created = REAL_START + 5
    data = write_raw_run(seconds=600, start=POWER_ON_START, time_created=created)
    summary, _ = decode(data)
    assert summary.started_at == START + timedelta(seconds=5)
    assert summary.minutes == pytest.approx(599 / 60)


def test_the_start_day_is_local_when_the_activity_gives_the_time_zone() -> None:
    data = write_raw_run(seconds=600, activity_local_offset_s=-8 * 3600)  # 07:00 UTC, 23:00 local
    summary, _ = decode(data)
    assert summary.started_at == START
    assert summary.start_day == START.date() - timedelta(days=1)


def test_an_implausible_time_zone_is_ignored() -> None:
    summary, _ = decode(write_raw_run(seconds=600, activity_local_offset_s=40 * 3600))
    assert summary.start_day == START.date()


def test_big_endian_and_compressed_timestamps_read_like_fit_tool_files() -> None:
    ours, _ = decode(write_raw_run(seconds=600, big_endian=True, stance_ms=240.0))
    theirs, _ = decode(write_run(None, seconds=600, stance_ms=240.0))
    assert ours.started_at == theirs.started_at == START
    for name in ("minutes", "distance_km", "cadence_spm", "ground_contact_ms"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name)), name


def test_a_clock_switch_mid_file_keeps_a_sane_duration() -> None:
    """Chained files, the first on the power-on clock, the second on the real one."""
    data = write_raw_run(seconds=300, start=POWER_ON_START) + write_raw_run(seconds=300)
    summary, frame = decode(data)
    assert summary.minutes == pytest.approx(2 * 299 / 60)  # the sessions' timer times
    assert np.isfinite(frame["t_s"]).all()
    assert frame["t_s"].max() < 3600
    assert summary.started_at == START


# --- limits  --------------------------------------------------------------------------------------


def test_the_limits_fit_a_24_hour_ultra() -> None:
    assert MAX_RECORDS >= 24 * 3600
    assert MAX_FILE_BYTES == MAX_FILE_MB * 1024 * 1024
    assert MAX_FILE_BYTES >= MAX_RECORDS * 80  # ~80 bytes a record with a Stryd pod's fields


def test_streamlit_upload_limit_matches_when_set() -> None:
    """The server refuses anything above server.maxUploadSize whatever a widget allows, so it
    is the largest uploader's limit (the Import page's ZIP), and every file limit fits in it."""
    from pages.widgets.imports import MAX_UPLOAD_MB
    from runform import activities

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    size = config.get("server", {}).get("maxUploadSize")
    if size is None:
        pytest.skip("server.maxUploadSize is not set (Streamlit's default is 200 MB)")
    assert size == MAX_UPLOAD_MB
    assert MAX_FILE_MB <= activities.MAX_FILE_MB <= size


class _Huge:
    """A byte-like upload whose length says too large and whose bytes must never be read."""

    def __len__(self) -> int:
        return MAX_FILE_BYTES + 1

    def __bytes__(self) -> bytes:
        raise AssertionError("the bytes were read")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(FitError, match=r"too large \(10\.0 MB; the limit is 10 MB"):
        decode(_Huge())


def test_a_file_at_the_byte_limit_is_not_refused_for_its_size() -> None:
    with pytest.raises(FitError, match="not a FIT file"):
        decode(b"\x00" * MAX_FILE_BYTES)


def test_the_record_limit_refuses_one_record_more(monkeypatch) -> None:
    monkeypatch.setattr(fitfile, "MAX_RECORDS", 500)
    summary, _ = decode(write_tiny_records(500))
    assert summary.records == 500
    with pytest.raises(FitError, match="more than 500 records"):
        decode(write_tiny_records(501))


def test_decoding_stops_as_soon_as_the_record_limit_is_passed(monkeypatch) -> None:
    """Damage after the limit is never reached: the refusal is the limit's, not the damage's."""
    records = write_tiny_records(101)
    damaged = recrc(records[:-2] + b"\x0f" + b"\0\0")  # then a message of an undefined layout
    monkeypatch.setattr(fitfile, "MAX_RECORDS", 200)
    assert "not defined" in _refusal(damaged)
    monkeypatch.setattr(fitfile, "MAX_RECORDS", 100)
    assert "more than 100 records" in _refusal(damaged)


def test_the_message_limit_counts_every_message(monkeypatch) -> None:
    monkeypatch.setattr(fitfile, "MAX_MESSAGES", 1_000)
    decode(write_tiny_records(100, other=800))
    with pytest.raises(FitError, match="more than 1,000 messages"):
        decode(write_tiny_records(100, other=1_000))


def test_the_probes_long_file_is_refused_quickly() -> None:
    """Twice the record limit in tiny records (the probe's 2.5 million decoded for 65 s)."""
    data = write_tiny_records(2 * MAX_RECORDS)
    started = time.perf_counter()
    with pytest.raises(FitError, match=f"more than {MAX_RECORDS:,} records"):
        decode(data)
    assert time.perf_counter() - started < 20  # ~1.5 s here; generous for slow CI machines


def _refusal(data: bytes) -> str:
    with pytest.raises(FitError) as info:
        decode(data)
    return str(info.value)


# --- nothing but FitError  ------------------------------------------------------------------------


def test_an_unforeseen_failure_is_still_a_refusal(monkeypatch, steady: bytes) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("/srv/runform/lib/runform/fitfile.py: something odd")

    monkeypatch.setattr(fitfile, "_series", broken)
    message = _refusal(steady)
    assert message == "the file could not be read: its contents contradict each other"
    assert "/" not in message


@pytest.mark.parametrize(
    "body, words",
    [
        # a record layout with a field of 0 bytes, then a record
        (b"\x40\x00\x00\x14\x00\x01\x00\x00\x02" + b"\x00", "a field of an impossible size"),
        # a record layout with a 4-byte timestamp, then a record of 3 bytes
        (b"\x40\x00\x00\x14\x00\x01\xfd\x04\x86" + b"\x00\x01\x02", "runs past the end"),
        # a developer field description naming developer data index 7, never declared
        (b"\x40\x00\x00\xce\x00\x02\x00\x01\x02\x01\x01\x02" + b"\x00\x07\x00", "developer data"),
        # a data message of local layout 5, never defined
        (b"\x05\x00", "layout that was not defined"),
    ],
    ids=["zero-size field", "cut-short record", "undeclared developer data", "undefined layout"],
)
def test_tiny_crafted_files_are_refused_in_words(body: bytes, words: str) -> None:
    message = _refusal(fit_container(body))
    assert message.startswith("the file is damaged: ")
    assert words in message


def test_an_unknown_sport_code_is_named() -> None:
    message = _refusal(write_raw_run(seconds=60, sport=200))
    assert message == "this FIT file is not a run (sport: unknown sport 200)"


def test_heart_rate_is_read_per_record_and_averaged_over_moving_records() -> None:
    """Heart rate 140 for the first minute and 150 for the second: the mean is 145 bpm."""
    data = write_run(None, seconds=120, heart_rate=lambda i: 140.0 if i < 60 else 150.0)
    summary, frame = decode(data)
    assert summary.heart_rate_bpm == pytest.approx(145.0)
    assert frame["heart_rate_bpm"].iloc[0] == 140.0 and frame["heart_rate_bpm"].iloc[-1] == 150.0
