"""Bulk imports: a Strava-style export ZIP with FIT, GPX, TCX and gzipped files, a ride and a
duplicate; each run matched to the planned session of its day; the match changed afterwards.

The export is built here from the fixtures (tests/activitygen.py), so every number is known.
"""

from __future__ import annotations

import copy
import gzip
import io
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest

from runform import activities, clock, matching
from runform.cli import main
from runform.errors import Forbidden, InvalidInput
from runform.models import PlannedRef
from runform.services import assessments, imports, plans, training_log
from runform.store.connection import Connection, connect, scoped
from tests.activitygen import fixture, gpx, strava_zip, tcx
from tests.conftest import EXAMPLE
from tests.fitgen import write_run

TODAY = clock.today()


def morning(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def runner(tmp_path) -> tuple[Connection, int, date]:
    """A runner with a plan that began on the Monday three weeks ago: (cursor, id, start)."""
    con = connect(tmp_path / "imports.duckdb")
    raw = copy.deepcopy(EXAMPLE)
    raw["assessed_on"] = (TODAY - timedelta(days=40)).isoformat()
    raw["athlete"]["goal"] = None
    athlete = assessments.record_intake(con, raw).athlete_id
    start = TODAY - timedelta(days=TODAY.weekday(), weeks=3)
    plans.generate(con, athlete, {"weeks": 8, "start": start.isoformat()})
    yield con, athlete, start
    con.close()


def run_day(con: Connection, athlete: int, start: date) -> tuple[date, training_log.Planned]:
    """The plan's first day with one planned run, and that run."""
    for d in range(14):
        day = start + timedelta(days=d)
        runs = [p for p in training_log.planned_on(con, athlete, day) if p.session.run_km > 0]
        if len(runs) == 1:
            return day, runs[0]
    raise AssertionError("the plan has no day with one planned run")


def export(con: Connection, athlete: int, start: date) -> tuple[bytes, date]:
    """Strava's shape: activities/…, some gzipped, and activities.csv naming each file's type."""
    day, planned = run_day(con, athlete, start)
    minutes = int(planned.session.minutes)
    first = write_run(None, seconds=minutes * 60, cadence_spm=168.0, start=morning(day))
    ride = b"not even a GPX file: activities.csv says it is a ride, so it is never opened"
    members = {
        "activities/101.fit.gz": first,  # the planned run of `day`
        "activities/102.gpx": gpx(1800, start=morning(day - timedelta(days=1), 18)),
        "activities/103.tcx.gz": tcx(1500, start=morning(day - timedelta(days=2))),
        "activities/104.fit": write_run(None, seconds=600, sport="cycling"),  # not in the table
        "activities/105.gpx": ride,
        "activities/106.fit": first,  # the same run again, not gzipped: a duplicate
        "activities/107.tcx": b"<TrainingCenterDatabase><Activities><Activity Sport='Running'>",
        "activities/108.gpx.gz": fixture("togeojson_run_gpxtpx.gpx"),  # names no sport
        "media/photo.jpg": b"\xff\xd8\xff\xe0",
    }
    rows = [
        {
            "Activity ID": "101",
            "Activity Type": "Run",
            "Activity Name": "Planned easy",
            "Filename": "activities/101.fit.gz",
            "Activity Date": f"{day:%b %d, %Y}, 7:00:00 AM",
        },
        {"Activity ID": "105", "Activity Type": "Ride", "Filename": "activities/105.gpx"},
        {
            "Activity ID": "108",
            "Activity Type": "Run",
            "Activity Name": "Greeting SF",
            "Filename": "activities/108.gpx.gz",
        },
        {"Activity ID": "109", "Activity Type": "Run", "Activity Name": "Typed in by hand"},
    ]
    return strava_zip(members, rows), day


def test_a_strava_export_imports_every_run_and_says_what_became_of_each_file(runner):
    con, athlete, start = runner
    data, day = export(con, athlete, start)
    seen: list[tuple[int, int, str]] = []
    report = imports.import_files(
        con,
        athlete,
        [("export.zip", io.BytesIO(data))],
        rpe=3.0,
        progress=lambda n, total, name: seen.append((n, total, name)),
    )
    outcome = {i.name.rpartition("/")[2]: i for i in report.items}
    assert {k: v.status for k, v in outcome.items()} == {
        "101.fit.gz": "imported",
        "102.gpx": "imported",
        "103.tcx.gz": "imported",
        "104.fit": "skipped",
        "105.gpx": "skipped",
        "106.fit": "duplicate",
        "107.tcx": "failed",
        "108.gpx.gz": "imported",
    }
    assert outcome["104.fit"].reason == "not a run (cycling)"
    assert outcome["105.gpx"].reason == "not a run (Ride, as activities.csv says)"
    assert "already logged" in outcome["106.fit"].reason
    assert "not well-formed TCX" in outcome["107.tcx"].reason
    assert (report.count("imported"), report.other_files, report.unfiled) == (4, 1, 1)
    assert [n for n, _, _ in seen] == list(range(1, 9)) and {t for _, t, _ in seen} == {8}

    planned = outcome["101.fit.gz"]
    assert planned.day == day and planned.planned is not None  # matched to the day's run
    logged = training_log.get(con, planned.log_id)
    assert logged.planned is not None and logged.rpe == 3.0
    assert logged.note == "Imported from 101.fit.gz: Planned easy"
    assert [p.done for p in training_log.planned_on(con, athlete, day) if p.session.run_km] == [
        True
    ]
    unplanned = training_log.get(con, outcome["102.gpx"].log_id)
    assert unplanned.planned is None and unplanned.kind == imports.UNPLANNED_KIND
    strava = training_log.get(con, outcome["108.gpx.gz"].log_id)
    assert strava.day == date(2015, 1, 19) and strava.heart_rate_bpm is not None


def test_importing_the_same_export_again_adds_nothing(runner):
    con, athlete, start = runner
    data, _ = export(con, athlete, start)
    imports.import_files(con, athlete, [("a.zip", io.BytesIO(data))], rpe=3.0)
    before = con.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    again = imports.import_files(con, athlete, [("a.zip", io.BytesIO(data))], rpe=3.0)
    assert again.count("imported") == 0 and again.count("duplicate") == 5
    assert con.execute("SELECT count(*) FROM session_logs").fetchone()[0] == before


def test_each_activity_is_its_own_transaction(runner, monkeypatch):
    """A store fault on one activity marks that file and keeps the others."""
    con, athlete, start = runner
    real = imports.logs.save
    calls = {"n": 0}

    def flaky(c, log, records=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise InvalidInput({"minutes": "the disk said no"})
        return real(c, log, records)

    monkeypatch.setattr(imports.logs, "save", flaky)
    files = [(f"{n}.gpx", io.BytesIO(gpx(600, start=morning(start, 6 + n)))) for n in range(3)]
    report = imports.import_files(con, athlete, files, rpe=2.0)
    assert [i.status for i in report.items] == ["imported", "failed", "imported"]
    assert report.items[1].reason == "minutes: the disk said no"


def test_the_archive_is_read_one_member_at_a_time(runner):
    """No read of the upload is larger than one member: the archive is never held whole."""
    con, athlete, start = runner
    members = {
        f"activities/{n}.gpx": gpx(900, start=morning(start - timedelta(days=n))) for n in range(6)
    }
    data = strava_zip(members, stored=True)
    largest = max(len(v) for v in members.values())

    class Watched(io.BytesIO):
        biggest = 0

        def read(self, n=-1):
            out = super().read(n)
            Watched.biggest = max(Watched.biggest, len(out))
            return out

    report = imports.import_files(con, athlete, [("big.zip", Watched(data))], rpe=3.0)
    assert report.count("imported") == 6
    assert len(data) > 3 * largest and Watched.biggest <= largest


def test_a_member_past_the_size_limit_fails_alone(runner, monkeypatch):
    con, athlete, start = runner
    monkeypatch.setattr(activities, "MAX_FILE_BYTES", 50_000)
    small = gpx(60, start=morning(start))
    data = strava_zip({"a/big.gpx": gpx(900, start=morning(start, 9)), "a/small.gpx": small})
    report = imports.import_files(con, athlete, [("x.zip", io.BytesIO(data))], rpe=3.0)
    assert [(i.status, i.reason[:21]) for i in report.items] == [
        ("failed", "the file is too large"),
        ("imported", ""),
    ]


def test_a_damaged_zip_and_a_bad_effort_are_said_plainly(runner):
    con, athlete, _ = runner
    bad = imports.import_files(con, athlete, [("x.zip", io.BytesIO(b"PK\x03\x04broken"))], rpe=3)
    assert bad.items[0].status == "failed" and "ZIP archive is damaged" in bad.items[0].reason
    logged = con.execute("SELECT count(*) FROM session_logs").fetchone()
    with pytest.raises(InvalidInput) as e:
        imports.import_files(con, athlete, [("a.gpx", io.BytesIO(gpx(60)))], rpe=11.0)
    assert "rpe" in e.value.fields
    with pytest.raises(InvalidInput, match="choose at least one file"):
        imports.import_files(con, athlete, [], rpe=3.0)
    assert con.execute("SELECT count(*) FROM session_logs").fetchone() == logged


def test_a_runner_link_imports_only_for_its_runner(runner):
    con, athlete, _ = runner
    mine = scoped(con, athlete)
    assert imports.import_files(mine, athlete, [("a.gpx", io.BytesIO(gpx(60)))], rpe=3).items
    with pytest.raises(Forbidden):
        imports.import_files(mine, athlete + 1, [("a.gpx", io.BytesIO(gpx(60)))], rpe=3)


# --- matching -----------------------------------------------------------------------------------


def _ref(position: int) -> PlannedRef:
    return PlannedRef(plan_id=1, version=1, week=1, position=position)


def test_a_run_matches_the_open_planned_run_of_the_closest_duration():
    """Planned that day: strength 20 min, easy run 45, tempo 42 (done). A 40-minute run is
    closest to the tempo (2 min off) but that is done; the easy run (5 min off) is left."""
    day = [
        matching.Candidate(_ref(0), "strength", 20, False),
        matching.Candidate(_ref(1), "easy_run", 45, False),
        matching.Candidate(_ref(2), "tempo", 42, True),
    ]
    assert matching.match(day, "easy_run", 40.0).ref == _ref(1)
    day[2] = matching.Candidate(_ref(2), "tempo", 42, False)
    assert matching.match(day, "easy_run", 40.0).ref == _ref(2)  # a run fulfils any planned run
    assert matching.match(day[:1], "easy_run", 20.0) is None  # a run never fulfils strength
    tie = [
        matching.Candidate(_ref(3), "long_run", 50, False),
        matching.Candidate(_ref(4), "easy_run", 30, False),
    ]
    assert matching.match(tie, "easy_run", 40.0).ref == _ref(3)  # 10 min off each: plan's order


def test_the_runner_changes_the_match_afterwards(runner):
    con, athlete, start = runner
    day, planned = run_day(con, athlete, start)
    report = imports.import_files(
        con, athlete, [("a.gpx", io.BytesIO(gpx(2400, start=morning(day))))], rpe=3.0
    )
    log_id = report.items[0].log_id
    matched = training_log.get(con, log_id)
    assert matched.planned == planned.ref and matched.kind == planned.session.kind

    raw = matched.model_dump(exclude={"submission_id"})
    training_log.update_log(con, log_id, {**raw, "planned": None, "kind": "easy_run"})
    assert training_log.get(con, log_id).planned is None
    assert not [p for p in training_log.planned_on(con, athlete, day) if p.done]

    training_log.update_log(
        con, log_id, {**raw, "planned": planned.ref.model_dump(), "kind": "tempo"}
    )
    again = training_log.get(con, log_id)
    assert again.planned == planned.ref and again.kind == planned.session.kind  # its kind follows
    assert again.started_at == matched.started_at and again.fit_sha256 == matched.fit_sha256

    other = next(p for p in training_log.planned_on(con, athlete, day) if p.ref != planned.ref)
    with pytest.raises(InvalidInput, match="cannot fulfil the planned"):
        training_log.update_log(con, log_id, {**raw, "planned": other.ref.model_dump()})
    elsewhere = planned.ref.model_copy(update={"week": 7})
    with pytest.raises(InvalidInput, match="no such session is planned"):
        training_log.update_log(con, log_id, {**raw, "planned": elsewhere.model_dump()})


# --- the command line ---------------------------------------------------------------------------


def test_the_command_line_imports_an_export_from_disk(runner, tmp_path, capsys):
    con, athlete, start = runner
    data, _ = export(con, athlete, start)
    db = con.execute("PRAGMA database_list").fetchall()[0][2]
    con.close()
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    assert main(["import", "--db", db, "--athlete", str(athlete), str(path)]) == 0
    out, err = capsys.readouterr()
    shown = json.loads(out)
    assert shown["counts"] == {"imported": 4, "duplicate": 1, "skipped": 2, "failed": 1}
    assert "8/8 activities/108.gpx.gz" in err
    assert main(["import", "--db", db, "--athlete", str(athlete), str(tmp_path / "nope.zip")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_gzip_members_are_read_whatever_the_name_says():
    """activities.decode decides by content: a .gz member that is a GPX inside."""
    data = gzip.compress(gpx(120))
    summary, _ = activities.decode(data)
    assert summary.cadence_spm == pytest.approx(170.0)
