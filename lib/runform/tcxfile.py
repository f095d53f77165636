"""Decode a TCX activity (Garmin Training Center XML, written by Garmin Connect, Polar, Suunto,
Wahoo and many apps) into a run's summary and per-record series, as `fitfile.decode` gives them.

Parsed by tcxreader (MIT, maintained). A trackpoint's cadence is the ActivityExtension v2 `TPX`
RunCadence where present, else its <Cadence>; distance is the trackpoint's DistanceMeters (the
watch's own, GPS or foot pod); the time is the laps' TotalTimeSeconds (the watch's timer, as FIT's
total_timer_time), else the span of the trackpoints.
"""

from __future__ import annotations

import hashlib
import io
import re

import numpy as np
import pandas as pd
from tcxreader.tcxreader import TCXExercise, TCXReader

from runform import xmltrack
from runform.fitfile import FitError, RunSummary

_CONTRADICT = "its contents contradict each other"

_ACTIVITY = re.compile(rb"<(?:[\w.-]+:)?Activity\b([^>]*)>")
_SPORT = re.compile(rb'Sport\s*=\s*["\']([^"\']*)["\']')
_LAP_TIME = re.compile(rb"<(?:[\w.-]+:)?TotalTimeSeconds>\s*([0-9.eE+-]+)\s*<")
# TCX's Sport attribute is Running, Biking or Other (TrainingCenterDatabase v2 schema).
_SPORTS = {"running": "running", "biking": "cycling", "other": ""}


def decode(data: bytes, *, run_declared: bool = False) -> tuple[RunSummary, pd.DataFrame]:
    """A TCX run's summary and series (columns `fitfile.COLUMNS`); `run_declared` as in
    `gpxfile.decode` (TCX's Sport="Other" names no sport). Raises FitError (NotARun for another
    sport), and nothing else, for anything that is not a readable TCX run."""
    xmltrack.check(data, "TCX")
    activities = _ACTIVITY.findall(data)
    if not activities:
        raise FitError("the TCX file holds no activity (a course or workout is not a recording)")
    if len(activities) > 1:
        raise FitError(
            f"the TCX file holds {len(activities)} activities; export each run on its own"
        )
    declared = [_sport(activities[0])]
    xmltrack.sport(declared, "TCX")
    try:
        exercise = TCXReader().read(io.BytesIO(data), only_gps=False)
    except Exception as exc:  # the XML parser's and tcxreader's errors, for developers' eyes
        raise FitError("the TCX file could not be read: it is not well-formed TCX") from exc
    try:
        return _decode(data, exercise, declared, run_declared)
    except FitError:
        raise
    except Exception as exc:  # a case no check foresaw: still a refusal, never a trace
        raise FitError(f"the TCX file could not be read: {_CONTRADICT}") from exc


def _sport(attributes: bytes) -> str:
    found = _SPORT.search(attributes)
    words = found.group(1).decode("utf-8", "replace").strip().lower() if found else ""
    return _SPORTS.get(words, words)


def _decode(
    data: bytes, exercise: TCXExercise, declared: list[str], run_declared: bool
) -> tuple[RunSummary, pd.DataFrame]:
    points = exercise.trackpoints or []
    ts = xmltrack.seconds([p.time for p in points], "TCX")
    run_cadence = [p.tpx_ext.get("RunCadence") for p in points]
    plain = [p.cadence for p in points]
    cadence = run_cadence if any(c is not None for c in run_cadence) else plain
    distance = xmltrack.numbers([p.distance for p in points], 0.0, 1_000_000.0)
    lon = xmltrack.numbers([p.longitude for p in points], -180.0, 180.0)
    frame = xmltrack.series(
        ts,
        distance,
        xmltrack.numbers(cadence, 0.0, 300.0),
        xmltrack.numbers([p.hr_value for p in points], 20.0, 250.0),
    )
    xmltrack.check_undeclared(declared, frame, run_declared, "TCX")
    laps = [float(t) for t in _LAP_TIME.findall(data)]
    timer = sum(laps) if laps and all(np.isfinite(laps)) and sum(laps) > 0 else None
    metres = float(exercise.distance) if exercise.distance else None
    if metres is None and np.isfinite(distance).any():
        metres = float(np.nanmax(distance))
    summary = xmltrack.summarise(
        frame,
        ts,
        hashlib.sha256(data).hexdigest(),
        timer_s=timer,
        metres=metres,
        longitude=xmltrack.first_longitude(lon),
    )
    return summary, frame
