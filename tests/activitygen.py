"""GPX and TCX files built for tests: a run of `seconds` one point a second, as apps write them.

The real files under tests/fixtures/activities cover what apps do; these cover what those files
lack (GPX cadence in strides or steps, a ride, a run starting when a FIT file starts) with
numbers a test can work out by hand.
"""

from __future__ import annotations

import gzip
import io
import math
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fitgen import START

FIXTURES = Path(__file__).parent / "fixtures" / "activities"
LAT, LON = 46.05, 14.50  # Ljubljana: UTC+1 by longitude (14.5° ÷ 15° an hour, rounded)
METRES_PER_DEGREE = 6_371_000.0 * math.pi / 180.0


def _at(i: int, speed_mps: float) -> tuple[float, float]:
    """A point i seconds into a run due north at `speed_mps`."""
    return LAT + i * speed_mps / METRES_PER_DEGREE, LON


def gpx(
    seconds: int = 600,
    *,
    speed_mps: float = 3.0,
    cadence: Callable[[int], float] | float | None = 85.0,
    heart_rate: float | None = 150.0,
    sport: str | None = "running",
    start: datetime = START,
    namespace: str = "gpxtpx",
) -> bytes:
    """A GPX 1.1 track with Garmin TrackPointExtension hr and cad (cad as given: strides by
    default, as Garmin and Strava write it)."""
    points = []
    for i in range(seconds):
        lat, lon = _at(i, speed_mps)
        when = (start + timedelta(seconds=i)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        ext = ""
        if heart_rate is not None:
            ext += f"<{namespace}:hr>{heart_rate:g}</{namespace}:hr>"
        if cadence is not None:
            value = cadence(i) if callable(cadence) else cadence
            ext += f"<{namespace}:cad>{value:g}</{namespace}:cad>"
        extensions = (
            f"<extensions><{namespace}:TrackPointExtension>{ext}"
            f"</{namespace}:TrackPointExtension></extensions>"
            if ext
            else ""
        )
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>300</ele><time>{when}</time>'
            f"{extensions}</trkpt>"
        )
    kind = f"<type>{sport}</type>" if sport else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="RunForm tests" xmlns="http://www.topografix.com/GPX/1/1" '
        f'xmlns:{namespace}="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Test run</name>{kind}<trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def tcx(
    seconds: int = 600,
    *,
    speed_mps: float = 3.0,
    run_cadence: float | None = 85.0,
    heart_rate: float | None = 150.0,
    sport: str = "Running",
    start: datetime = START,
    lap_seconds: float | None = None,
) -> bytes:
    """A TCX activity, one lap, with TPX RunCadence (strides) and heart rate per trackpoint."""
    points = []
    for i in range(seconds):
        lat, lon = _at(i, speed_mps)
        when = (start + timedelta(seconds=i)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        hr = f"<HeartRateBpm><Value>{heart_rate:g}</Value></HeartRateBpm>" if heart_rate else ""
        cad = f"<ns3:RunCadence>{run_cadence:g}</ns3:RunCadence>" if run_cadence else ""
        points.append(
            f"<Trackpoint><Time>{when}</Time><Position><LatitudeDegrees>{lat:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<DistanceMeters>{i * speed_mps:.1f}</DistanceMeters>{hr}"
            f"<Extensions><ns3:TPX><ns3:Speed>{speed_mps}</ns3:Speed>{cad}</ns3:TPX>"
            "</Extensions></Trackpoint>"
        )
    total = float(seconds - 1 if lap_seconds is None else lap_seconds)
    first = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<TrainingCenterDatabase "
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{first}</Id><Lap StartTime="{first}">'
        f"<TotalTimeSeconds>{total:g}</TotalTimeSeconds>"
        f"<DistanceMeters>{(seconds - 1) * speed_mps:.1f}</DistanceMeters>"
        f"<Track>{''.join(points)}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


def strava_zip(
    members: Mapping[str, bytes], rows: list[dict[str, str]] | None = None, *, stored: bool = False
) -> bytes:
    """A ZIP shaped like Strava's bulk export: activities/… and activities.csv (`rows`, with
    Strava's column names), gzipping members whose name ends in .gz (`stored`: uncompressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, gzip.compress(data) if name.endswith(".gz") else data)
        if rows is not None:
            header = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"]
            lines = [",".join(header)]
            for r in rows:
                lines.append(",".join(f'"{r.get(h, "")}"' for h in header))
            z.writestr("activities.csv", "\n".join(lines) + "\n")
    return out.getvalue()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
