"""Import activity files in bulk: FIT, GPX and TCX files (gzipped or not) and ZIP archives of
them, such as Strava's bulk export, for one runner.

Why this shape: a runner's history can be hundreds of files, some of another sport, some already
logged, a few damaged. Each activity is decoded, matched to the planned session of its day
(`matching`) and saved in its own transaction, so one bad file costs only itself and the report
says what became of every file. An archive is read one member at a time (`activities.Archive`),
so its size is bounded by the disk, not by memory. The next-dose proposal runs once at the end,
and only when a run of the last week came in: importing old history does not rewrite the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from functools import partial
from typing import IO, Literal

from pydantic import BaseModel

from runform import activities, clock, matching, progression, thresholds
from runform.activities import Archive, Listed
from runform.errors import InvalidInput
from runform.fitfile import FitError, NotARun
from runform.models import SessionLog
from runform.services import training_log
from runform.services.checks import validated
from runform.store import logs
from runform.store.connection import Connection, check_athlete
from runform.vocab import SessionKind

Status = Literal["imported", "duplicate", "skipped", "failed"]
UNPLANNED_KIND: SessionKind = "easy_run"
"""The kind of an imported run that no planned session claims: the file does not say whether it
was easy or hard; the runner can change it in the History tab."""

Progress = Callable[[int, int, str], None]
"""Called after each file: how many are done, of how many, and the file's name."""


class Imported(BaseModel):
    """What became of one file."""

    name: str
    status: Status
    reason: str = ""
    log_id: int | None = None
    day: date | None = None
    run_km: float | None = None
    minutes: float | None = None
    planned: str | None = None  # the planned session it fulfils, in words; None: unplanned


class ImportReport(BaseModel):
    """Every file's outcome, what an archive held besides, and the proposal made at the end."""

    items: list[Imported] = []
    other_files: int = 0
    unfiled: int = 0
    next_dose: progression.Progression | None = None
    proposal_problem: str | None = None

    def count(self, status: Status) -> int:
        return sum(1 for i in self.items if i.status == status)


class _Work:
    """One activity to import: its name, how to read its bytes, its activities.csv row."""

    def __init__(self, name: str, read: Callable[[], bytes], listed: Listed | None = None) -> None:
        self.name, self.read, self.listed = name, read, listed


def import_files(
    con: Connection,
    athlete_id: int,
    uploads: Sequence[tuple[str, IO[bytes]]],
    *,
    rpe: float,
    undeclared_runs: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every running activity in `uploads` (name, seekable binary file) for the runner.

    `rpe` is the session effort (CR-10) each imported run is logged with, since no file says it.
    `undeclared_runs`: a GPX or TCX file that names no sport (phone apps often leave it out) is
    a run, as the runner says; otherwise such a file needs running cadence or activities.csv's
    word.
    Raises InvalidInput for a bad `rpe` or no file, Forbidden or NotFound for the runner, and
    StorageUnavailable when the database fails; a file's own problem only marks that file.
    """
    check_athlete(con, athlete_id)
    if not uploads:
        raise InvalidInput({"files": "choose at least one file"})
    validated(
        SessionLog,
        {
            "athlete_id": athlete_id,
            "day": clock.today(),
            "kind": "easy_run",
            "minutes": 1.0,
            "rpe": rpe,
        },
    )
    report = ImportReport()
    archives: list[Archive] = []
    work: list[_Work] = []
    try:
        for name, file in uploads:
            work += list(_unpack(name, file, report, archives))
        planned_days = logs.planned_days(con, athlete_id)
        for n, item in enumerate(work, start=1):
            report.items.append(_one(con, athlete_id, item, rpe, planned_days, undeclared_runs))
            if progress is not None:
                progress(n, len(work), item.name)
    finally:
        for archive in archives:
            archive.close()
    _propose(con, athlete_id, report)
    return report


def _unpack(
    name: str, file: IO[bytes], report: ImportReport, archives: list[Archive]
) -> Iterator[_Work]:
    """The activities of one upload: itself, or each activity file of a ZIP archive."""
    head = file.read(4)
    file.seek(0)
    if not activities.is_zip(head):
        yield _Work(name, lambda: file.read(activities.MAX_FILE_BYTES + 1))
        return
    try:
        archive = Archive(file)
    except FitError as e:
        report.items.append(Imported(name=name, status="failed", reason=str(e)))
        return
    archives.append(archive)
    report.other_files += archive.other_files
    report.unfiled += archive.unfiled
    for member in archive.members:
        yield _Work(member.name, partial(archive.read, member), member.listed)


def _one(
    con: Connection,
    athlete_id: int,
    item: _Work,
    rpe: float,
    planned_days: set[date],
    undeclared_runs: bool,
) -> Imported:
    """Decode, match and save one activity in its own transaction; never raises for the file."""
    listed = item.listed
    if listed is not None and listed.sport and not listed.is_run:
        reason = f"not a run ({listed.sport}, as activities.csv says)"
        return Imported(name=item.name, status="skipped", reason=reason)
    try:
        data = item.read()
        if len(data) > activities.MAX_FILE_BYTES:
            raise FitError(f"the file is too large (more than {activities.MAX_FILE_MB} MB)")
        said = undeclared_runs if listed is None else listed.is_run
        summary, records = activities.decode(data, run_declared=said)
    except NotARun as e:
        return Imported(name=item.name, status="skipped", reason=f"not a run ({e.sport})")
    except FitError as e:
        return Imported(name=item.name, status="failed", reason=str(e))
    day = summary.start_day or activities.listed_day(listed)
    if day is None:
        reason = "the file does not say when it was run (the watch's clock was not set)"
        return Imported(name=item.name, status="failed", reason=reason)
    planned = training_log.candidates(con, athlete_id, day) if day in planned_days else []
    found = matching.match(planned, UNPLANNED_KIND, summary.minutes)
    note = f"Imported from {item.name.rpartition('/')[2]}"
    if listed is not None and listed.name:
        note += f": {listed.name}"
    raw = {
        "athlete_id": athlete_id,
        "day": day,
        "kind": found.kind if found else UNPLANNED_KIND,
        "rpe": float(rpe),
        "planned": found.ref.model_dump() if found else None,
        "note": note,
    }
    outcome = Imported(
        name=item.name,
        status="imported",
        day=day,
        run_km=round(summary.distance_km, 2),
        minutes=round(summary.minutes, 1),
        planned=found.title if found else None,
    )
    try:
        log = validated(SessionLog, training_log.with_summary(raw, summary))
        outcome.log_id = logs.save(con, log, records)
    except logs.DuplicateFile as e:
        return outcome.model_copy(update={"status": "duplicate", "reason": str(e), "planned": None})
    except InvalidInput as e:
        reason = "; ".join(f"{k}: {v}" if k else v for k, v in e.fields.items())
        return outcome.model_copy(update={"status": "failed", "reason": reason, "planned": None})
    return outcome


def _propose(con: Connection, athlete_id: int, report: ImportReport) -> None:
    """The ladder's decision and the next dose after the import, as after a logged session, when
    a run of the last week came in (the single-run spike's recent days); old history leaves the
    plan alone."""
    days = [i.day for i in report.items if i.status == "imported" and i.day is not None]
    recent = clock.today() - timedelta(days=thresholds.load().spike.recent_days)
    if days and max(days) >= recent:
        training_log.settle_after(con, athlete_id, max(days))  # the return-to-run ladder
        report.next_dose, report.proposal_problem = training_log.propose_after(
            con, athlete_id, max(days)
        )
