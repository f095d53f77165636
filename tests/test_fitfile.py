"""Watch-file decoding: known generated runs give known figures; wrong uploads give plain errors."""

from __future__ import annotations

import hashlib
import math
import statistics
import struct

import numpy as np
import pytest
from fitdecode.utils import compute_crc

from runform.fitfile import COLUMNS, FitError, RunSummary, decode
from tests.fitgen import START, split_cadence, write_run

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
