"""Decode a GPX track (phone apps, Polar, Suunto, COROS, Strava exports) into a run's summary and
per-record series, the same shape `fitfile.decode` gives.

GPX 1.0/1.1 is parsed by gpxpy (Apache-2.0, maintained). Heart rate and cadence come from the
extensions apps write: Garmin's TrackPointExtension v1/v2 (`hr`, `cad`), Cluetrust's gpxdata
(`hr`, `cadence`, used by Movescount) and the bare `heartrate`/`cadence` some apps use, matched
by local name whatever the namespace prefix. GPX has no distance field, so distance is the sum of
the great-circle steps between positions within each segment (a pause between segments adds
nothing); the time is gpxpy's moving time (stops left out, as a watch's timer does), else the
span of the track.
"""

from __future__ import annotations

import hashlib
from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np
import pandas as pd

from runform import xmltrack
from runform.fitfile import FitError, RunSummary

_CONTRADICT = "its contents contradict each other"

_HR = frozenset({"hr", "heartrate"})
_CADENCE = frozenset({"cad", "cadence", "runcadence"})
# Strava writes its activity types as numbers in <type>: 9 is a run, 1 a ride (Strava's GPX
# export); other apps write words ("running", "trail_running", "cycling").
_STRAVA_TYPES = {"9": "running", "1": "cycling"}


def decode(data: bytes, *, run_declared: bool = False) -> tuple[RunSummary, pd.DataFrame]:
    """A GPX run's summary and series (columns `fitfile.COLUMNS`).

    `run_declared`: the runner said it is a run (a run kind picked in the form, Strava's
    activity type), which a file naming no sport needs when it has no running cadence.
    Raises FitError (NotARun for another sport), and nothing else, for anything else.
    """
    xmltrack.check(data, "GPX")
    try:
        parsed = gpxpy.parse(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FitError("the GPX file is not UTF-8 text, as GPX files are") from exc
    except Exception as exc:  # gpxpy's and the XML parser's errors, for developers' eyes
        raise FitError("the GPX file could not be read: it is not well-formed GPX") from exc
    try:
        return _decode(parsed, hashlib.sha256(data).hexdigest(), run_declared)
    except FitError:
        raise
    except Exception as exc:  # a case no check foresaw: still a refusal, never a trace
        raise FitError(f"the GPX file could not be read: {_CONTRADICT}") from exc


def _decode(
    parsed: gpxpy.gpx.GPX, sha256: str, run_declared: bool
) -> tuple[RunSummary, pd.DataFrame]:
    declared = [_sport(t.type) for t in parsed.tracks]
    xmltrack.sport(declared, "GPX")
    segments = [s for t in parsed.tracks for s in t.segments]
    points = [(p, n) for n, s in enumerate(segments) for p in s.points]
    if not points:
        what = "a route (a planned path)" if parsed.routes else "waypoints only"
        raise FitError(f"the GPX file holds no recorded track: it has {what}")
    ts = xmltrack.seconds([p.time for p, _ in points], "GPX")
    lat = xmltrack.numbers([p.latitude for p, _ in points], -90.0, 90.0)
    lon = xmltrack.numbers([p.longitude for p, _ in points], -180.0, 180.0)
    step = xmltrack.haversine_m(lat, lon)
    segment = np.array([n for _, n in points])
    step[1:][segment[1:] != segment[:-1]] = 0.0  # no distance across a pause between segments
    distance = np.cumsum(step) if np.isfinite(lat).sum() >= 2 else np.full(len(ts), np.nan)
    extras = [_extensions(p) for p, _ in points]
    frame = xmltrack.series(
        ts,
        distance,
        xmltrack.numbers([e.get("cadence") for e in extras], 0.0, 300.0),
        xmltrack.numbers([e.get("hr") for e in extras], 20.0, 250.0),
    )
    xmltrack.check_undeclared(declared, frame, run_declared, "GPX")
    moving = parsed.get_moving_data()
    timer = float(moving.moving_time) if moving and moving.moving_time > 0 else None
    metres = float(np.nanmax(distance)) if np.isfinite(distance).any() else None
    summary = xmltrack.summarise(
        frame,
        ts,
        sha256,
        timer_s=timer,
        metres=metres,
        longitude=xmltrack.first_longitude(lon),
    )
    return summary, frame


def _sport(text: str | None) -> str:
    """A track's <type> in RunForm's words: "running", another sport's name, or "" (none)."""
    words = (text or "").strip().lower()
    if not words:
        return ""
    if words in _STRAVA_TYPES:
        return _STRAVA_TYPES[words]
    if words.isdigit():  # another app's code: it says nothing we can read
        return ""
    return "running" if "run" in words else words


def _extensions(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, Any]:
    """Heart rate and cadence from a point's extensions, by local tag name."""
    found: dict[str, Any] = {}
    for element in point.extensions:
        for node in element.iter():
            name = str(node.tag).rpartition("}")[2].rpartition(":")[2].lower()
            key = "hr" if name in _HR else "cadence" if name in _CADENCE else None
            if key is None or key in found or node.text is None:
                continue
            try:
                found[key] = float(node.text)
            except ValueError:
                continue
    return found
