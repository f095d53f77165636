"""Activity files from any watch or app: FIT, GPX and TCX (each maybe gzipped), told apart by
their content, and ZIP archives of them such as Strava's bulk export, read one member at a time.

Why by content: a file's name says what the runner's app called it, not what it is (Strava names
gzipped FIT files `.fit.gz`, some apps write GPX as `.xml`); the first bytes say it for certain.
Every format gives the same `fitfile.RunSummary` and series, so a run lands in the log the same
way and goes through the same duplicate checks (`store.logs`) whatever its watch.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import IO

import pandas as pd

from runform import fitfile, gpxfile, tcxfile, xmltrack
from runform.fitfile import FitError, RunSummary

MAX_FILE_MB = max(fitfile.MAX_FILE_MB, xmltrack.MAX_FILE_MB)
"""The largest single activity file (a GPX or TCX; a FIT file's own limit is smaller)."""
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_MEMBERS = 50_000
"""Members a ZIP may list: a lifetime of daily runs is under 20,000; this bounds the archive's
directory, which zipfile holds in memory (about 100 bytes a member)."""
MAX_CSV_BYTES = 20 * 1024 * 1024
"""activities.csv of a Strava export: about 1 kB a row, so room for 20,000 activities."""
SUFFIXES = (".fit", ".gpx", ".tcx")
"""Member names a ZIP import tries (and the same gzipped); the content then decides the format.
Other members (photos, JSON, the export's HTML) are counted and left alone."""

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"


def decode(data: bytes, *, run_declared: bool = False) -> tuple[RunSummary, pd.DataFrame]:
    """The run's summary and series from FIT, GPX or TCX bytes, gzipped or not.

    `run_declared`: the runner said it is a run (a run kind picked in the form, Strava's
    activity type), which a GPX or TCX file naming no sport needs when it has no running cadence.
    Raises FitError (NotARun for another sport's activity), and nothing else.
    """
    if data[:2] == _GZIP:
        data = gunzip(data)
    if len(data) >= 12 and data[8:12] == b".FIT":
        return fitfile.decode(data)
    root = xmltrack.root_name(data)
    if root is not None and root.lower() == "gpx":
        return gpxfile.decode(data, run_declared=run_declared)
    if root == "TrainingCenterDatabase":
        return tcxfile.decode(data, run_declared=run_declared)
    raise FitError(f"not an activity file (FIT, GPX or TCX): {_describe(data, root)}")


def _describe(data: bytes, root: str | None) -> str:
    if data[:4] == _ZIP:
        return "it is a ZIP archive; import it on the Import page, which reads every run in it"
    if root is not None:
        return f"it is an XML file of another kind (its root element is <{root}>)"
    if data[:5].lower() == b"<?xml":
        return "it starts like XML but has no element"
    said = fitfile.describe(data)
    return "it starts like none of them" if "FIT header" in said else said


def gunzip(data: bytes) -> bytes:
    """A gzipped file's contents, refused once larger than any activity file may be (a small
    gzip can inflate a thousandfold), so memory stays bounded."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error as exc:
        raise FitError("the gzip-compressed file is damaged and cannot be decompressed") from exc
    if len(out) > MAX_FILE_BYTES:
        raise FitError(
            f"the gzip-compressed file is too large once decompressed (more than {MAX_FILE_MB} MB)"
        )
    if out[:2] == _GZIP:
        raise FitError("the file is gzip-compressed twice; decompress it once and upload that")
    return out


def is_zip(head: bytes) -> bool:
    """Whether bytes starting with `head` (four will do) are a ZIP archive."""
    return head[:4] == _ZIP


# --- ZIP archives ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """What an export's activities.csv says about one member (Strava's bulk export)."""

    sport: str  # Strava's "Activity Type": Run, Trail Run, Ride, Walk, ...
    name: str  # "Morning Run"
    when: datetime | None  # "Activity Date", as Strava writes it (UTC)

    @property
    def is_run(self) -> bool:
        return "run" in self.sport.lower()


@dataclass(frozen=True)
class Member:
    """An activity file inside the archive, with its activities.csv row when it has one."""

    name: str
    size: int
    listed: Listed | None


class Archive:
    """A ZIP of activity files, opened on a seekable binary file; nothing is read into memory
    but its directory and, one at a time, the member asked for (`read`)."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self._zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FitError("the ZIP archive is damaged: its directory cannot be read") from exc
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise FitError(
                f"the ZIP archive lists {len(infos):,} files, more than the {MAX_MEMBERS:,} an "
                "export of a lifetime of runs holds"
            )
        files = [i for i in infos if not i.is_dir() and not _hidden(i.filename)]
        listed = _listing(self._zip, files)
        self.members = [
            Member(i.filename, i.file_size, listed.get(_key(i.filename)))
            for i in files
            if _is_activity_name(i.filename)
        ]
        """The activity files, in the archive's order."""
        table = 1 if any(PurePosixPath(i.filename).name == "activities.csv" for i in files) else 0
        self.other_files = len(files) - len(self.members) - table
        """Files that are no activity (photos, the export's other tables)."""
        self.unfiled = sum(1 for k in listed if k.startswith("\0"))
        """activities.csv rows without a file: activities entered by hand."""

    def read(self, member: Member) -> bytes:
        """One member's bytes, decompressed (gzip too); refused when larger than any activity
        file may be, whatever its header claims."""
        if member.size > MAX_FILE_BYTES:
            raise FitError(f"the file is too large ({member.size / 1024 / 1024:.0f} MB)")
        try:
            with self._zip.open(member.name) as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise FitError("the file is encrypted inside the ZIP archive") from exc
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise FitError("the file is damaged inside the ZIP archive") from exc
        if len(data) > MAX_FILE_BYTES:
            raise FitError(f"the file is too large (more than {MAX_FILE_MB} MB)")
        return gunzip(data) if data[:2] == _GZIP else data

    def close(self) -> None:
        self._zip.close()


def _hidden(name: str) -> bool:
    """macOS resource forks and the like, which a ZIP made on a Mac carries beside each file."""
    parts = PurePosixPath(name).parts
    return any(p.startswith(("__MACOSX", "._")) for p in parts)


def _is_activity_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return lower.endswith(SUFFIXES)


def _key(name: str) -> str:
    """How activities.csv names a member: its path inside the export, without a leading ./."""
    return name.strip().lstrip("./").lower()


def _listing(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo]) -> dict[str, Listed]:
    """activities.csv (Strava's bulk export) by member name; rows without a file under keys
    that start with a NUL (no member has such a name). Empty without the table."""
    table = next((i for i in files if PurePosixPath(i.filename).name == "activities.csv"), None)
    if table is None or table.file_size > MAX_CSV_BYTES:
        return {}
    prefix = str(PurePosixPath(table.filename).parent)
    prefix = "" if prefix == "." else prefix + "/"
    out: dict[str, Listed] = {}
    try:
        with archive.open(table) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            for n, row in enumerate(csv.DictReader(text)):
                listed = Listed(
                    sport=(row.get("Activity Type") or "").strip(),
                    name=(row.get("Activity Name") or "").strip()[:200],
                    when=_strava_time(row.get("Activity Date") or ""),
                )
                filename = (row.get("Filename") or "").strip()
                out[_key(prefix + filename) if filename else f"\0{n}"] = listed
    except (csv.Error, zipfile.BadZipFile, zlib.error, OSError, UnicodeError):
        return {}  # a damaged table: the files still say what they are
    return out


def _strava_time(text: str) -> datetime | None:
    """Strava writes "Jan 6, 2020, 5:35:41 PM" (English month names, UTC)."""
    for pattern in ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    return None


def listed_day(listed: Listed | None) -> date | None:
    return listed.when.date() if listed is not None and listed.when is not None else None
