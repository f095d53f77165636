"""GPX and TCX beside FIT: real files from other projects' test suites, the units of cadence,
refusals in plain words, the same summary and series as FIT, and the same duplicate checks.

The real files and their licences: tests/fixtures/activities/README.md.
"""

from __future__ import annotations

import gzip
from datetime import date, timedelta

import numpy as np
import pytest

from runform import activities, xmltrack
from runform.errors import InvalidInput
from runform.fitfile import COLUMNS, NOTE_NO_DISTANCE, FitError, NotARun, RunSummary
from runform.models import AthleteProfile, SessionLog
from runform.services import training_log
from runform.store import logs
from tests.activitygen import fixture, gpx, strava_zip, tcx
from tests.conftest import EXAMPLE, add_runner
from tests.fitgen import START, write_run

# --- real files ---------------------------------------------------------------------------------


def test_garmin_treadmill_tcx_doubles_run_cadence_to_steps() -> None:
    """dblock/tcx's treadmill run: RunCadence 74–78 strides a minute is 148–156 steps, its laps'
    TotalTimeSeconds are the time and its DistanceMeters the distance (no positions)."""
    summary, frame = activities.decode(fixture("dblock-tcx_treadmill_1.tcx"))
    assert isinstance(summary, RunSummary)
    assert list(frame.columns) == list(COLUMNS)
    moving = frame["cadence_spm"].dropna()
    assert moving.between(120, 200).all() and moving.median() in (152.0, 154.0, 156.0)
    assert summary.cadence_spm == pytest.approx(moving.mean())
    assert 145 < summary.cadence_spm < 160
    assert summary.distance_km == pytest.approx(4.11, abs=0.01)  # 1609.34 m a lap
    assert summary.minutes == pytest.approx(27.3, abs=0.1)
    assert summary.heart_rate_bpm is not None and 100 < summary.heart_rate_bpm < 140
    assert summary.started_at is not None and summary.started_at.isoformat().startswith(
        "2025-10-24T15:25:26"
    )
    assert summary.start_day == date(2025, 10, 24)  # no position: UTC's day
    assert frame["ground_contact_ms"].isna().all()  # XML carries no running dynamics


def test_garmin_tcx_without_cadence_keeps_heart_rate_and_distance() -> None:
    summary, frame = activities.decode(fixture("tcxparser_test.tcx"))
    assert summary.cadence_spm is None and frame["cadence_spm"].isna().all()
    assert summary.distance_km == pytest.approx(4.69, abs=0.01)
    assert summary.heart_rate_bpm == pytest.approx(frame["heart_rate_bpm"].mean(), abs=0.5)
    assert len(frame) == 384 and frame["t_s"].iloc[0] == 0.0
    assert frame["distance_m"].dropna().is_monotonic_increasing


@pytest.mark.parametrize(
    ("name", "km", "local_day"),
    [
        # 23:29 UTC at 77° W: 18:29 where it was run (UTC−5 by longitude), still the 24th
        ("togeojson_run.gpx", 3.10, date(2012, 10, 24)),
        ("togeojson_run_gpxtpx.gpx", 3.57, date(2015, 1, 19)),
    ],
)
def test_real_gpx_runs_read_distance_from_positions_and_heart_rate(
    name: str, km: float, local_day: date
) -> None:
    summary, frame = activities.decode(fixture(name), run_declared=True)
    assert summary.distance_km == pytest.approx(km, abs=0.01)
    assert summary.heart_rate_bpm is not None and 100 < summary.heart_rate_bpm < 200
    assert summary.start_day == local_day
    assert frame["distance_m"].is_monotonic_increasing
    assert summary.minutes > 10


def test_a_gpx_that_names_no_sport_needs_the_runners_word_or_running_cadence() -> None:
    """togeojson's Garmin export names no sport and has no cadence: without the runner saying
    it is a run (the form's kind, Strava's activity type) it is refused in words."""
    with pytest.raises(FitError, match="does not say it is a run"):
        activities.decode(fixture("togeojson_run.gpx"))
    summary, _ = activities.decode(gpx(sport=None, cadence=85.0))
    assert summary.cadence_spm == pytest.approx(170.0)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("gpxpy_route.gpx", "holds no recorded track: it has a route"),
        ("gpxpy_Mojstrovka.gpx", "times go backwards at track point 2"),
    ],
)
def test_real_gpx_files_that_are_no_recording_are_refused(name: str, says: str) -> None:
    with pytest.raises(FitError, match=says):
        activities.decode(fixture(name), run_declared=True)


def test_a_walk_without_sensors_is_read_when_the_runner_says_it_is_a_run() -> None:
    summary, frame = activities.decode(fixture("gpxpy_cerknicko-jezero.gpx"), run_declared=True)
    assert summary.distance_km == pytest.approx(4.58, abs=0.01)
    assert summary.cadence_spm is None and summary.heart_rate_bpm is None
    assert len(frame) == 296


# --- units and content --------------------------------------------------------------------------


def test_gpx_cadence_in_strides_is_doubled_and_in_steps_is_kept() -> None:
    """Garmin and Strava write gpxtpx:cad as strides (85 → 170 steps a minute); some apps write
    steps (172 stays 172): no running stride rate reaches 120, no running step rate is below."""
    strides, frame = activities.decode(gpx(cadence=85.0))
    assert strides.cadence_spm == pytest.approx(170.0)
    assert (frame["cadence_spm"] == 170.0).all()
    steps, _ = activities.decode(gpx(cadence=172.0))
    assert steps.cadence_spm == pytest.approx(172.0)


def test_gpx_extensions_are_found_whatever_their_prefix() -> None:
    summary, _ = activities.decode(gpx(namespace="ns3", cadence=88.0, heart_rate=140.0))
    assert summary.cadence_spm == pytest.approx(176.0)
    assert summary.heart_rate_bpm == pytest.approx(140.0)


def test_the_same_run_gives_the_same_figures_in_gpx_tcx_and_fit() -> None:
    """Ten minutes at 3 m/s and 170 steps a minute, written three ways."""
    fit, _ = activities.decode(write_run(None, seconds=600, cadence_spm=170.0, speed_mps=3.0))
    as_gpx, _ = activities.decode(gpx(600, speed_mps=3.0, cadence=85.0))
    as_tcx, _ = activities.decode(tcx(600, speed_mps=3.0, run_cadence=85.0))
    for other in (as_gpx, as_tcx):
        assert other.cadence_spm == pytest.approx(fit.cadence_spm)
        assert other.distance_km == pytest.approx(fit.distance_km, rel=0.01)
        assert other.minutes == pytest.approx(fit.minutes, abs=0.1)
        assert other.started_at == fit.started_at
    assert as_gpx.start_day == as_tcx.start_day == date(2026, 11, 20)  # 08:00 local at 14.5° E


def test_content_decides_not_the_name() -> None:
    """A GPX saved as .fit, a gzipped TCX: the bytes say what they are."""
    summary, _ = activities.decode(gzip.compress(tcx(120)))
    assert summary.cadence_spm == pytest.approx(170.0)
    with pytest.raises(FitError, match="ZIP archive; import it on the Import page"):
        activities.decode(strava_zip({"a.gpx": gpx(60)}))
    with pytest.raises(FitError, match="not an activity file .* JPEG"):
        activities.decode(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    with pytest.raises(FitError, match="XML file of another kind .*<kml>"):
        activities.decode(b'<?xml version="1.0"?><kml><Document/></kml>')


@pytest.mark.parametrize(
    ("data", "says", "error"),
    [
        (tcx(60, sport="Biking"), r"not a run \(sport: cycling\)", NotARun),
        (gpx(60, sport="cycling"), r"not a run \(sport: cycling\)", NotARun),
        (gpx(60, sport="1"), r"not a run \(sport: cycling\)", NotARun),  # Strava's code for a ride
        (
            tcx(60).replace(b"</Activities>", b'<Activity Sport="Running"/></Activities>'),
            "holds 2 activities",
            FitError,
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>',
            "declares a document type",
            FitError,
        ),
        (gpx(1), "lasts no time", FitError),
        (b"<gpx><trk><trkseg><trkpt lat='1' lon='1'></trkpt>", "not well-formed GPX", FitError),
        (b"\x1f\x8b" + b"\0" * 40, "gzip-compressed file is damaged", FitError),
        (gzip.compress(gzip.compress(gpx(60))), "gzip-compressed twice", FitError),
    ],
)
def test_wrong_files_are_refused_saying_what_is_wrong(data: bytes, says: str, error) -> None:
    with pytest.raises(error, match=says):
        activities.decode(data, run_declared=True)


def test_a_gzip_that_inflates_past_the_limit_is_refused_without_inflating_it_all() -> None:
    bomb = gzip.compress(b"<gpx>" + b" " * (activities.MAX_FILE_BYTES + 10))
    assert len(bomb) < 100_000
    with pytest.raises(FitError, match="too large once decompressed"):
        activities.decode(bomb)


def test_an_xml_file_over_the_limit_is_refused_before_parsing(monkeypatch) -> None:
    monkeypatch.setattr(xmltrack, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FitError, match="GPX file is too large"):
        activities.decode(gpx(60))


def test_per_record_glitches_become_gaps_not_refusals() -> None:
    """A heart rate of 0 or 300 and a cadence of -1 in one record are dropped, not averaged."""
    data = gpx(120, cadence=lambda i: -1.0 if i == 5 else 85.0)
    data = data.replace(b"<gpxtpx:hr>150</gpxtpx:hr>", b"<gpxtpx:hr>300</gpxtpx:hr>", 1)
    summary, frame = activities.decode(data)
    assert np.isnan(frame["cadence_spm"].iloc[5]) and np.isnan(frame["heart_rate_bpm"].iloc[0])
    assert summary.cadence_spm == pytest.approx(170.0)
    assert summary.heart_rate_bpm == pytest.approx(150.0)


def test_a_file_without_distance_says_so_and_a_gpx_point_needs_its_position() -> None:
    """TCX distance is the watch's own (DistanceMeters); without it, 0 km and a note."""
    data = tcx(120).replace(b"DistanceMeters>", b"Ignored>")
    summary, _ = activities.decode(data)
    assert summary.distance_km == 0.0 and NOTE_NO_DISTANCE in summary.notes
    no_gps = gpx(120).replace(b'lat="', b'data-lat="').replace(b'lon="', b'data-lon="')
    with pytest.raises(FitError, match="not well-formed GPX"):
        activities.decode(no_gps)


def test_a_gpx_run_with_no_distance_says_so() -> None:
    summary, _ = activities.decode(gpx(120, speed_mps=0.0))
    assert summary.distance_km == 0.0 and NOTE_NO_DISTANCE in summary.notes


# --- through the service and the store: the same checks as FIT --------------------------------


@pytest.fixture
def ana(con) -> int:
    return add_runner(con, AthleteProfile.model_validate(EXAMPLE["athlete"]))


def _log(con, athlete: int, data: bytes, day: date = date(2026, 11, 20)) -> int:
    raw = {"athlete_id": athlete, "day": day, "kind": "easy_run", "rpe": 3.0}
    return training_log.log_session(con, raw, data).log_id


def test_a_gpx_log_keeps_its_series_heart_rate_and_start(con, ana: int) -> None:
    log_id = _log(con, ana, gpx(600))
    saved = logs.get(con, log_id)
    assert isinstance(saved, SessionLog)
    assert saved.cadence_spm == pytest.approx(170.0) and saved.heart_rate_bpm == 150.0
    assert saved.started_at == START.replace(tzinfo=None)
    rows = con.execute(
        "SELECT count(*), avg(heart_rate_bpm) FROM run_records WHERE log_id = ?", [log_id]
    ).fetchone()
    assert rows == (600, 150.0)


def test_the_same_gpx_twice_is_refused(con, ana: int) -> None:
    first = _log(con, ana, gpx(600))
    with pytest.raises(logs.DuplicateFile, match="already logged") as info:
        _log(con, ana, gpx(600))
    assert info.value.log_id == first


def test_the_same_run_as_fit_then_gpx_is_refused_by_its_start(con, ana: int) -> None:
    """A watch's FIT and the GPX an app made of it share no bytes and differ record by record
    (GPX distance comes from positions), but they start at the same second."""
    first = _log(con, ana, write_run(None, seconds=1800, cadence_spm=170.0))
    with pytest.raises(logs.DuplicateFile, match="another file that started at the same time"):
        _log(con, ana, gpx(1800, speed_mps=2.9, cadence=85.0))
    later = gpx(1800, start=START + timedelta(hours=3))  # that evening's run is another
    assert _log(con, ana, later) != first


def test_a_wrong_file_in_the_form_names_the_file_field(con, ana: int) -> None:
    with pytest.raises(InvalidInput) as info:
        _log(con, ana, tcx(60, sport="Biking"))
    assert list(info.value.fields) == ["fit"]
    assert "not a run" in info.value.fields["fit"]
