"""Watch files as they come: a varied corpus, thousands of mutations of it, and duplicates.

No real watch file with a known licence ships with the installed packages, so the corpus is
generated (tests/fitgen.py): fit_tool files, and hand-assembled ones for what fit_tool cannot write
(power-on clocks, compressed timestamps, big-endian messages, no distance, chained files). Each
mutation gets a fresh data size, header CRC and file CRC (fitgen.recrc), so it reaches the decoder
instead of failing the checksum. Every mutated file must either decode to a sane summary or be
refused with a FitError in plain words: nothing else may escape.
"""

from __future__ import annotations

import functools
import math
import random
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from runform import clock
from runform.fitfile import COLUMNS, NOTE_NO_DISTANCE, FitError, RunSummary, decode
from runform.models import AthleteProfile, SessionLog
from runform.store import logs
from tests.conftest import add_runner
from tests.fitgen import FIT_EPOCH, START, recrc, write_raw_run, write_run, write_tiny_records

POWER_ON = 16_441_241  # a Forerunner 70's start time: seconds since power-on
GENERIC = "the file could not be read: its contents contradict each other"


def _wavy(i: int) -> float:
    return 166.0 + (i % 9)


def corpus() -> dict[str, bytes]:
    """Small files (a few kB each), so thousands of mutations decode in seconds."""
    return {
        "full dynamics": write_run(
            None, seconds=120, stance_ms=240.0, vo_mm=85.0, vertical_ratio=7.5, balance=49.6
        ),
        "stryd developer fields": write_run(
            None, seconds=90, cadence_spm=_wavy, stance_ms=240.0, vo_mm=85.0, developer=True
        ),
        "infinite developer field": write_run(
            None, seconds=60, stance_ms=240.0, vo_mm=math.inf, developer=True
        ),
        "no session": write_run(None, seconds=90, cadence_spm=_wavy, session=False),
        "undeclared sport": write_run(None, seconds=60, sport=None),
        "forerunner 70 treadmill": write_raw_run(
            seconds=600,
            step_s=5,
            start=POWER_ON,
            speed_mps=None,
            stance_ms=None,
            activity_local_timestamp=698_070_063,
        ),
        "power-on clock with correlation, big-endian": write_raw_run(
            seconds=120, start=POWER_ON, correlation=1_100_000_000, big_endian=True
        ),
        "power-on clock, real time_created, full timestamps": write_raw_run(
            seconds=120, start=POWER_ON, time_created=1_100_000_000, compressed=False
        ),
        "compressed timestamps with a time zone": write_raw_run(
            seconds=120, activity_local_offset_s=3600
        ),
        "chained power-on and real clock": write_raw_run(seconds=60, start=POWER_ON)
        + write_raw_run(seconds=60),
        "tiny records": write_tiny_records(300, other=20),
        "cycling": write_run(None, seconds=60, sport="cycling"),
    }


# --- the corpus itself ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return corpus()


def test_every_corpus_file_but_the_ride_is_read(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if name == "cycling":
            with pytest.raises(FitError, match="not a run"):
                decode(data)
            continue
        summary, frame = decode(data)
        _check_sane(summary, frame)


def test_the_corpus_covers_the_cases_of_issue_10(files: dict[str, bytes]) -> None:
    treadmill, _ = decode(files["forerunner 70 treadmill"])
    assert treadmill.started_at is None and not treadmill.has_distance
    assert NOTE_NO_DISTANCE in treadmill.notes
    inf, _ = decode(files["infinite developer field"])
    assert inf.vertical_oscillation_cm is None
    correlated, _ = decode(files["power-on clock with correlation, big-endian"])
    assert correlated.started_at is not None


# --- mutations ------------------------------------------------------------------------------------


def split_chain(data: bytes) -> list[bytes]:
    """The FIT files a chained file is made of (each with its header and CRC)."""
    parts, offset = [], 0
    while offset < len(data):
        size = data[offset] + int.from_bytes(data[offset + 4 : offset + 8], "little") + 2
        parts.append(data[offset : offset + size])
        offset += size
    return parts


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to eight byte-level changes to one file of the chain, then its size and CRCs redone."""
    parts = split_chain(data)
    which = rng.randrange(len(parts))
    one, how = _mutate_one(parts[which], rng)
    parts[which] = one
    return b"".join(parts), (f"file {which}: " if len(parts) > 1 else "") + how


def _mutate_one(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    header = data[0]
    body = bytearray(data[header:-2])
    done = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5, 8))):
        if not body:
            break
        pos = rng.randrange(len(body))
        kind = rng.random()
        if kind < 0.35:
            body[pos] ^= 1 << rng.randrange(8)
            done.append(f"flip@{pos}")
        elif kind < 0.5:
            body[pos] = rng.choice((0x00, 0xFF, 0x7F, 0x80, 0x40, 0x60, 0xE0, rng.randrange(256)))
            done.append(f"set@{pos}")
        elif kind < 0.62:
            del body[pos:]
            done.append(f"truncate@{pos}")
        elif kind < 0.77:
            extra = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
            body[pos:pos] = extra
            done.append(f"insert{len(extra)}@{pos}")
        elif kind < 0.88:
            end = min(len(body), pos + rng.randrange(1, 24))
            del body[pos:end]
            done.append(f"delete@{pos}:{end}")
        else:  # repeat a stretch: definitions and data messages out of their order
            end = min(len(body), pos + rng.randrange(2, 40))
            body[pos:pos] = body[pos:end]
            done.append(f"repeat@{pos}:{end}")
    out = bytearray(recrc(data[:header] + bytes(body) + b"\0\0"))
    if rng.random() < 0.05:  # now and then the header's protocol or profile version too
        out[rng.choice((1, 2, 3))] = rng.randrange(256)
        out = bytearray(recrc(out))
        done.append("header")
    return bytes(out), " ".join(done)


_PATH = re.compile(r"(/[\w.-]+){2,}|[A-Za-z]:\\")


def _check_sane(summary: RunSummary, frame: pd.DataFrame) -> None:
    for name, value in summary.model_dump().items():
        if isinstance(value, float):
            assert math.isfinite(value), name
    assert summary.distance_km >= 0 and summary.minutes >= 0
    assert summary.has_distance == (summary.distance_km > 0)
    assert (NOTE_NO_DISTANCE in summary.notes) == (not summary.has_distance)
    assert (summary.started_at is None) == (summary.start_day is None)
    if summary.started_at is not None:
        assert summary.started_at.tzinfo == UTC
    assert summary.records == len(frame) > 0
    assert list(frame.columns) == list(COLUMNS)
    assert frame["t_s"].notna().all()


def _check_refusal(message: str) -> None:
    assert message and "\n" not in message, message
    assert "Traceback" not in message and "Error" not in message, message
    assert not _PATH.search(message), message
    assert message != GENERIC, "a decoding problem left unnamed"


def fuzz(count: int, seed: int) -> Counter:
    """Decode `count` mutated corpus files; fail on anything but a sane summary or a FitError."""
    base = list(corpus().items())
    counts: Counter = Counter()
    started = time.perf_counter()
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")  # one file's mutation reproduces on its own
        name, data = base[i % len(base)]
        mutated, how = mutate(data, rng)
        try:
            summary, frame = decode(mutated)
        except FitError as e:
            counts["refused"] += 1
            _check_refusal(str(e))
            continue
        except Exception as e:  # the failure the test exists to catch
            pytest.fail(f"file {i} ({name}: {how}) raised {type(e).__name__}: {e}")
        counts["parsed"] += 1
        try:
            _check_sane(summary, frame)
        except AssertionError as e:
            pytest.fail(f"file {i} ({name}: {how}) decoded to an insane summary: {e}")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nfuzz seed {seed}: {count} files, {dict(counts)}")
    return counts


def test_two_thousand_mutations_parse_or_are_refused() -> None:
    counts = fuzz(2_000, seed=10)  # ~8 s
    assert counts["parsed"] + counts["refused"] == 2_000
    assert counts["parsed"] > 200 and counts["refused"] > 200  # mutations reach both outcomes


@pytest.mark.slow
def test_twenty_thousand_mutations_parse_or_are_refused() -> None:
    counts = fuzz(20_000, seed=2026)  # ~90 s
    assert counts["parsed"] + counts["refused"] == 20_000


# --- the same run from several files --------------------------------------------------------------

YESTERDAY = clock.today() - timedelta(days=1)


def _log(con, aid: int, data: bytes, **kw) -> int:
    """What the log page does with an upload: decode, then save the figures and the series."""
    summary, frame = decode(data)
    fields = {
        k: v
        for k, v in summary.model_dump().items()
        if k in SessionLog.model_fields and v is not None
    }
    fields.update(run_km=round(summary.distance_km, 2), minutes=round(summary.minutes, 1))
    log = SessionLog(
        athlete_id=aid,
        day=kw.pop("day", YESTERDAY),
        kind="easy_run",
        rpe=4.0,
        fit_sha256=summary.sha256,
        **fields,
        **kw,
    )
    return logs.save(con, log, frame)


@pytest.fixture
def ana(con) -> int:
    return add_runner(con, AthleteProfile(name="Ana", longest_run_km=10.0))


@functools.cache
def _run(speed_mps: float = 3.0, pattern: int = 0, start: datetime = START) -> bytes:
    """A 30-minute run of 5.4 km at 3 m/s, written by fit_tool (made once, then reused)."""

    def cadence(i: int) -> float:
        return _wavy(i) if pattern == 0 else 170.0 - (i % 7)

    return write_run(
        None,
        seconds=1801,
        cadence_spm=cadence,
        stance_ms=240.0,
        speed_mps=speed_mps,
        start=start,
    )


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM session_logs").fetchone()[0]


def test_one_appended_byte_does_not_make_another_run(con, ana: int) -> None:
    first = _log(con, ana, _run())
    with pytest.raises(logs.DuplicateFile, match="already logged") as info:
        _log(con, ana, _run() + b"\0", day=YESTERDAY - timedelta(days=3))  # another day chosen
    assert info.value.log_id == first and info.value.day == YESTERDAY
    assert info.value.run_km == 5.4
    assert f"(log {first} of {YESTERDAY:%Y-%m-%d}, 5.40 km)" in str(info.value)
    assert _count(con) == 1


def test_another_apps_file_of_the_same_run_is_a_duplicate(con, ana: int) -> None:
    """A hand-assembled file holding the same records as fit_tool's, in other bytes."""
    first = _log(con, ana, write_raw_run(seconds=1801, cadence_spm=171.0))
    other = write_run(None, seconds=1801, cadence_spm=171.0, stance_ms=240.0)
    with pytest.raises(logs.DuplicateFile, match="another file of the same activity"):
        _log(con, ana, other)
    assert con.execute("SELECT id FROM session_logs").fetchall() == [(first,)]


def test_the_same_file_again_names_the_earlier_log(con, ana: int) -> None:
    first = _log(con, ana, _run())
    with pytest.raises(logs.DuplicateFile, match="this watch file is already logged") as info:
        _log(con, ana, _run())
    assert info.value.log_id == first
    assert f"(log {first} of {YESTERDAY:%Y-%m-%d}, 5.40 km)" in str(info.value)


def test_two_runs_of_one_route_at_one_pace_are_two_logs(con, ana: int) -> None:
    """Same day, distance within 1 %, time within 60 s: but the records differ (and the second
    run starts that evening: two runs cannot start at the same second, `logs.SAME_START_S`)."""
    _log(con, ana, _run())
    _log(con, ana, _run(speed_mps=3.01, pattern=1, start=START + timedelta(hours=10)))
    assert _count(con) == 2


def test_two_treadmill_runs_without_distance_are_two_logs(con, ana: int) -> None:
    first = write_raw_run(seconds=1801, speed_mps=None, cadence_spm=170.0)
    evening = int(START.timestamp()) - FIT_EPOCH + 10 * 3600  # the second starts 10 hours later
    second = write_raw_run(seconds=1801, speed_mps=None, cadence_spm=172.0, start=evening)
    _log(con, ana, first)
    _log(con, ana, second)
    with pytest.raises(logs.DuplicateFile, match="no distance"):
        _log(con, ana, first + b"\0")
    assert _count(con) == 2


def test_another_runners_copy_is_not_a_duplicate(con, ana: int) -> None:
    ben = add_runner(con, AthleteProfile(name="Ben", longest_run_km=10.0))
    _log(con, ana, _run())
    _log(con, ben, _run() + b"\0")
    assert _count(con) == 2


def test_a_log_typed_by_hand_is_never_a_duplicate(con, ana: int) -> None:
    _log(con, ana, _run())
    typed = SessionLog(athlete_id=ana, day=YESTERDAY, kind="easy_run", minutes=30.0, rpe=4.0)
    logs.save(con, typed.model_copy(update={"run_km": 5.4}))
    assert _count(con) == 2


def test_same_series_tolerances() -> None:
    n = 600
    base = pd.DataFrame(
        {"t_s": range(n), "distance_m": [3.0 * i for i in range(n)], "cadence_spm": [170.0] * n}
    )
    assert logs.same_series(base, base)
    rounded = base.assign(distance_m=base["distance_m"] + 0.6, cadence_spm=169.0)
    assert logs.same_series(base, rounded)  # a re-encoding's rounding
    assert not logs.same_series(base, base.assign(distance_m=base["distance_m"] * 1.01))
    assert not logs.same_series(base, base.iloc[: n // 2])  # half the records
    assert not logs.same_series(base, base.iloc[:0])
