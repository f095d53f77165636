"""Session logs with their exercises, pain, watch-file series and comments; wellness check-ins.

Each save is one transaction: a log lands whole or not at all.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform.errors import Conflict, Forbidden, NotFound
from runform.models import (
    RUN_RECORD_COLUMNS,
    Comment,
    ExerciseLog,
    MorningPain,
    PlannedRef,
    SessionLog,
    SessionPain,
    Wellness,
)
from runform.store import athletes
from runform.store.connection import (
    Connection,
    check_athlete,
    insert_rows,
    one,
    scalar,
    scope_of,
    table,
    transaction,
)

FIELDS = (
    "athlete_id",
    "day",
    "kind",
    "minutes",
    "rpe",
    "run_km",
    "cadence_spm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "stance_balance_left_pct",
    "cadence_cv_pct",
    "cadence_fade_pct",
    "ground_contact_fade_pct",
    "vertical_oscillation_fade_pct",
    "fit_sha256",
    "started_at",
    "heart_rate_bpm",
    "note",
)
PLANNED = ("plan_id", "plan_version", "week", "position")
RECORD_COLUMNS = RUN_RECORD_COLUMNS


# --- duplicate watch files -----------------------------------------------------------------
# A byte-identical file is refused by the unique index on (athlete_id, fit_sha256). Another file
# of the same activity (one byte appended, re-exported by another app) has another hash, so a
# new watch-file log is also compared with the runner's earlier watch-file logs. session_logs
# keeps no start time, so "the same activity" is judged on what it keeps: the totals first, then
# the recorded series, record by record. The tolerances are this app's conventions, not a
# standard: totals close enough that one activity's copies always pass (the same records give the
# same figures; a re-encoding rounds distance to 1 cm and may drop fractional cadence), series
# alike enough that two runs of one route at one pace do not (distances drift metres apart within
# minutes and cadence varies by a few steps per minute from record to record).
SAME_DISTANCE_PCT = 1.0  # run distance within 1 % ...
SAME_DISTANCE_M = 50.0  # ... or 50 m, whichever is larger
SAME_DURATION_S = 60.0  # minutes within 60 s
SAME_RECORDS_SHARE = 0.9  # 90 % of the records at the same second ...
SAME_RECORD_M = 1.0  # ... agree on distance within 1 m ...
SAME_RECORD_SPM = 1.0  # ... and on cadence within 1 step/min (missing in both also agrees)
# Files of one run in two formats (a watch's FIT, the GPX an app exported from it) differ in their
# records (GPX distance is recomputed from positions), so the run's start decides: another file
# that started within a minute of an earlier one and lasted as long (SAME_DURATION_S) is the same
# run. A convention: two runs of one runner cannot start within a minute of each other.
SAME_START_S = 60.0


class DuplicateFile(Conflict):
    """The run is already logged for this runner: this watch file, or another of the same run.

    `log_id`, `day` and `run_km` name the earlier log; the message says them in words.
    """

    def __init__(
        self,
        message: str,
        *,
        log_id: int | None = None,
        day: date | None = None,
        run_km: float | None = None,
    ) -> None:
        super().__init__(message)
        self.log_id, self.day, self.run_km = log_id, day, run_km


def _earlier(log_id: int, day: date, run_km: float | None) -> str:
    distance = f"{run_km:.2f} km" if run_km else "no distance"
    return f"log {log_id} of {day:%Y-%m-%d}, {distance}"


def _row(log: SessionLog) -> list:
    ref = log.planned
    planned = [ref.plan_id, ref.version, ref.week, ref.position] if ref else [None] * 4
    return [getattr(log, f) for f in FIELDS] + planned


def _children(con: Connection, log_id: int, log: SessionLog, records: pd.DataFrame | None):
    for e in log.exercises:
        con.execute(
            f"INSERT INTO {table(con, 'exercise_logs')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                log_id,
                e.position,
                e.exercise_id,
                e.sets,
                e.reps,
                e.seconds,
                e.load_kg,
                e.rpe,
                e.skipped,
            ],
        )
    for p in log.pain:
        con.execute(
            f"INSERT INTO {table(con, 'pain_reports')} "
            "(athlete_id, log_id, reported_on, region, side, score, "
            '"when") VALUES (?, ?, ?, ?, ?, ?, ?)',
            [log.athlete_id, log_id, log.day, p.region, p.side, p.score, p.when],
        )
    if records is not None and not records.empty:
        frame = records.reindex(columns=list(RECORD_COLUMNS)).assign(log_id=log_id)
        frame = frame[["log_id", *RECORD_COLUMNS]]
        con.register("new_run_records", frame)
        try:
            con.execute(f"INSERT INTO {table(con, 'run_records')} SELECT * FROM new_run_records")
        finally:
            con.unregister("new_run_records")


def _guard_duplicate(
    con: Connection, e: Conflict, log: SessionLog, log_id: int | None = None
) -> None:
    """Turn the unique index's refusal (a Conflict from DuckDB's constraint error) into a
    DuplicateFile naming the earlier log."""
    if not (log.fit_sha256 and "fit_sha256" in str(e.__cause__)):
        raise e
    row = one(
        con,
        "SELECT id, day, run_km FROM session_logs WHERE athlete_id = ? AND fit_sha256 = ? "
        "AND id IS DISTINCT FROM ? ORDER BY id LIMIT 1",
        [log.athlete_id, log.fit_sha256, log_id],
    )
    if row is None:  # the clash is gone already (deleted meanwhile): still say what happened
        raise DuplicateFile(
            "this watch file is already logged for this runner; nothing was saved"
        ) from e
    raise DuplicateFile(
        f"this watch file is already logged for this runner ({_earlier(*row)}); nothing was saved",
        log_id=row[0],
        day=row[1],
        run_km=row[2],
    ) from e


def _guard_same_start(con: Connection, log: SessionLog) -> None:
    """Refuse a watch-file log that starts when an earlier one of the runner started (the same
    run from another file, whatever its format; `SAME_START_S`)."""
    if log.started_at is None:
        return
    row = one(
        con,
        "SELECT id, day, run_km FROM session_logs "
        "WHERE athlete_id = ? AND started_at IS NOT NULL AND fit_sha256 IS DISTINCT FROM ? "
        "AND abs(epoch(started_at) - epoch(?::TIMESTAMP)) <= ? AND abs(minutes - ?) <= ? "
        "ORDER BY id LIMIT 1",
        [
            log.athlete_id,
            log.fit_sha256,
            log.started_at,
            SAME_START_S,
            log.minutes,
            SAME_DURATION_S / 60.0,
        ],
    )
    if row is not None:
        raise DuplicateFile(
            "this run is already logged for this runner, from another file that started at the "
            f"same time ({_earlier(*row)}); nothing was saved",
            log_id=row[0],
            day=row[1],
            run_km=row[2],
        )


def _guard_same_run(con: Connection, log: SessionLog, records: pd.DataFrame) -> None:
    """Refuse a watch-file log whose run an earlier watch-file log of the runner already holds:
    the same records (another copy of the file), or the same start (another format)."""
    km = log.run_km or 0.0
    candidates = con.execute(
        "SELECT id, day, run_km FROM session_logs "
        "WHERE athlete_id = ? AND fit_sha256 IS NOT NULL AND fit_sha256 <> ? "
        "AND abs(minutes - ?) <= ? AND abs(run_km - ?) <= greatest(? * ?, ?) "
        # two files that both know their start, hours apart, are two runs whatever their records
        "AND (started_at IS NULL OR ?::TIMESTAMP IS NULL "
        "     OR abs(epoch(started_at) - epoch(?::TIMESTAMP)) <= ?) ORDER BY id",
        [
            log.athlete_id,
            log.fit_sha256,
            log.minutes,
            SAME_DURATION_S / 60.0,
            km,
            km,
            SAME_DISTANCE_PCT / 100.0,
            SAME_DISTANCE_M / 1000.0,
            log.started_at,
            log.started_at,
            SAME_START_S,
        ],
    ).fetchall()
    for log_id, day, run_km in candidates:
        earlier = con.execute(
            "SELECT t_s, distance_m, cadence_spm FROM run_records WHERE log_id = ? ORDER BY t_s",
            [log_id],
        ).df()
        if same_series(records, earlier):
            raise DuplicateFile(
                "this run is already logged for this runner, from another file of the same "
                f"activity ({_earlier(log_id, day, run_km)}); nothing was saved",
                log_id=log_id,
                day=day,
                run_km=run_km,
            )
    _guard_same_start(con, log)


def same_series(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two watch-file series are one activity's records (see SAME_RECORDS_SHARE)."""
    if a.empty or b.empty:
        return False
    columns = ["t_s", "distance_m", "cadence_spm"]
    left = a[columns].assign(key=a["t_s"].round(1)).drop_duplicates("key")
    right = b[columns].assign(key=b["t_s"].round(1)).drop_duplicates("key")
    both = left.merge(right, on="key", suffixes=("_a", "_b"))
    if len(both) < SAME_RECORDS_SHARE * max(len(left), len(right)):
        return False

    def agree(column: str, tolerance: float) -> pd.Series:
        x = pd.to_numeric(both[f"{column}_a"], errors="coerce")
        y = pd.to_numeric(both[f"{column}_b"], errors="coerce")
        return ((x - y).abs() <= tolerance) | (x.isna() & y.isna())

    alike = agree("distance_m", SAME_RECORD_M) & agree("cadence_spm", SAME_RECORD_SPM)
    return bool(alike.sum() >= SAME_RECORDS_SHARE * max(len(left), len(right)))


def by_submission(con: Connection, submission_id: str | None) -> int | None:
    """The log a form submission already wrote, if any."""
    if not submission_id:
        return None
    return scalar(
        con,
        f"SELECT id FROM {table(con, 'session_logs')} WHERE submission_id = ?",
        [submission_id],
    )


def _known(con: Connection, athlete_id: int) -> None:
    """NotFound unless the runner exists (inside the caller's transaction)."""
    if not athletes.exists(con, athlete_id):
        raise NotFound(f"There is no runner {athlete_id} (deleted, or a wrong id).")


def save(con: Connection, log: SessionLog, records: pd.DataFrame | None = None) -> int:
    """Store a new log with everything in it; returns its id.

    Saving the same submission again (a retry, a double click) returns the first log's id and
    writes nothing. Raises DuplicateFile when the runner already has this watch file, or (given
    the file's `records`) another file of the same run; nothing is written then.
    """
    check_athlete(con, log.athlete_id)
    if (earlier := by_submission(con, log.submission_id)) is not None:
        return earlier
    columns = ", ".join([*FIELDS, *PLANNED, "submission_id"])
    values = [*_row(log), log.submission_id]
    try:
        with transaction(con):
            _known(con, log.athlete_id)
            if log.fit_sha256 and records is not None and not records.empty:
                _guard_same_run(con, log, records)
            log_id = scalar(
                con,
                f"INSERT INTO {table(con, 'session_logs')} "
                f"({columns}) VALUES ({', '.join('?' * len(values))}) RETURNING id",
                values,
            )
            _children(con, log_id, log, records)
    except Conflict as e:
        if log.submission_id and "submission_id" in str(e.__cause__):
            earlier = by_submission(con, log.submission_id)
            if earlier is not None:  # another device saved this submission a moment ago
                return earlier
        _guard_duplicate(con, e, log)
    return log_id


def update(con: Connection, log_id: int, log: SessionLog) -> None:
    """Replace a log's contents, keeping its id, comments and watch-file series.

    Raises Forbidden for another runner's log on a runner's cursor, NotFound when the log is gone
    (deleted on another device) and DuplicateFile as `save` does.
    """
    check_athlete(con, log.athlete_id)
    sets = ", ".join(f"{c} = ?" for c in [*FIELDS, *PLANNED])
    try:
        with transaction(con):
            if scalar(con, "SELECT count(*) FROM session_logs WHERE id = ?", [log_id]) == 0:
                raise NotFound(f"log {log_id} does not exist (deleted elsewhere?)")
            con.execute(
                f"UPDATE {table(con, 'session_logs')} "
                f"SET {sets}, updated_at = current_timestamp WHERE id = ?",
                [*_row(log), log_id],
            )
            con.execute(f"DELETE FROM {table(con, 'exercise_logs')} WHERE log_id = ?", [log_id])
            con.execute(f"DELETE FROM {table(con, 'pain_reports')} WHERE log_id = ?", [log_id])
            _children(con, log_id, log, None)
    except Conflict as e:
        _guard_duplicate(con, e, log, log_id)


def delete(con: Connection, log_id: int) -> None:
    """Delete a log with everything in it; NotFound when it is gone (or another runner's)."""
    with transaction(con):
        if scalar(con, "SELECT count(*) FROM session_logs WHERE id = ?", [log_id]) == 0:
            raise NotFound(f"log {log_id} does not exist")
        for name in ("exercise_logs", "pain_reports", "run_records", "comments"):
            con.execute(f"DELETE FROM {table(con, name)} WHERE log_id = ?", [log_id])
        con.execute(f"DELETE FROM {table(con, 'session_logs')} WHERE id = ?", [log_id])


def get(con: Connection, log_id: int) -> SessionLog | None:
    columns = ", ".join([*FIELDS, *PLANNED])
    row = one(con, f"SELECT {columns} FROM session_logs WHERE id = ?", [log_id])
    if row is None:
        return None
    data = dict(zip([*FIELDS, *PLANNED], row, strict=True))
    ref = {k: data.pop(k) for k in PLANNED}
    exercises = con.execute(
        "SELECT exercise_id, position, sets, reps, seconds, load_kg, rpe, skipped "
        "FROM exercise_logs WHERE log_id = ? ORDER BY position",
        [log_id],
    ).fetchall()
    pain = con.execute(
        'SELECT region, side, score, "when" FROM pain_reports WHERE log_id = ? ORDER BY id',
        [log_id],
    ).fetchall()
    return SessionLog.model_construct(
        **data,
        planned=PlannedRef(
            plan_id=ref["plan_id"],
            version=ref["plan_version"],
            week=ref["week"],
            position=ref["position"],
        )
        if ref["plan_id"] is not None
        else None,
        exercises=[
            ExerciseLog.model_construct(
                exercise_id=i,
                position=p,
                sets=s,
                reps=r,
                seconds=sec,
                load_kg=kg,
                rpe=rpe,
                skipped=sk,
            )
            for i, p, s, r, sec, kg, rpe, sk in exercises
        ],
        pain=[
            SessionPain.model_construct(region=r, side=s, score=sc, when=w) for r, s, sc, w in pain
        ],
    )


def recent(con: Connection, athlete_id: int, limit: int = 30) -> pd.DataFrame:
    """The athlete's latest logs, newest first, with their load (sRPE × minutes)."""
    return con.execute(
        """
        SELECT l.id, l.day, l.kind, l.minutes, l.rpe, l.rpe * l.minutes AS load, l.run_km,
               l.cadence_spm, l.heart_rate_bpm, l.plan_id IS NOT NULL AS planned, l.note,
               (SELECT max(score) FROM pain_reports p WHERE p.log_id = l.id) AS max_pain,
               (SELECT count(*) FROM comments c WHERE c.log_id = l.id) AS comments
        FROM session_logs l WHERE l.athlete_id = ?
        ORDER BY l.day DESC, l.id DESC LIMIT ?
        """,
        [athlete_id, limit],
    ).df()


def planned_on(con: Connection, athlete_id: int, day: date) -> pd.DataFrame:
    """The runner's planned sessions in force on `day`, each with `done` and the `log_id` that
    did it (the `planned_session_status` view: a log of the same plan, day and kind, as the
    reviews count it). Columns: plan_id, version, week, position, kind, done, log_id."""
    frame = con.execute(
        "SELECT plan_id, version, week, position, kind, done, log_id "
        "FROM planned_session_status WHERE athlete_id = ? AND day = ? "
        "ORDER BY plan_id, week, position",
        [athlete_id, day],
    ).df()
    return frame.astype({"log_id": "Int64"})  # a whole number, or missing when not done


def planned_days(con: Connection, athlete_id: int) -> set[date]:
    """The days with a planned session in force for the runner (`planned_session_status`):
    an import asks `planned_on` only for these."""
    rows = con.execute(
        "SELECT DISTINCT day FROM planned_session_status WHERE athlete_id = ?", [athlete_id]
    ).fetchall()
    return {r[0] for r in rows}


def exercise_history(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Every logged exercise with its day, for the progression rules."""
    return con.execute(
        """
        SELECT l.day, l.id AS log_id, e.exercise_id, e.sets, e.reps, e.seconds, e.load_kg, e.rpe,
               e.skipped, l.rpe AS session_rpe
        FROM exercise_logs e JOIN session_logs l ON l.id = e.log_id
        WHERE l.athlete_id = ? ORDER BY l.day, l.id, e.position
        """,
        [athlete_id],
    ).df()


def pain_history(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        'SELECT reported_on AS day, region, side, score, "when" FROM pain_reports '
        "WHERE athlete_id = ? ORDER BY reported_on, id",
        [athlete_id],
    ).df()


def runs(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT day, run_km, minutes, rpe FROM session_logs "
        "WHERE athlete_id = ? AND run_km > 0 ORDER BY day, id",
        [athlete_id],
    ).df()


def cadence_runs(con: Connection, athlete_id: int, end: date | None = None) -> pd.DataFrame:
    """Every run with a cadence up to `end` (all without it), oldest first: the input of
    `runform.cadence` (day, kind, run_km, minutes, cadence_spm)."""
    return con.execute(
        "SELECT day, kind, run_km, minutes, cadence_spm FROM session_logs "
        "WHERE athlete_id = ? AND run_km > 0 AND cadence_spm > 0 "
        "AND (?::DATE IS NULL OR day <= ?) ORDER BY day, id",
        [athlete_id, end, end],
    ).df()


def intake_run(con: Connection, athlete_id: int) -> tuple[date, float] | None:
    """The latest assessment's day and the longest recent run it recorded (the single-run
    spike dates that run on the assessment day), or None without an assessment or a run."""
    row = one(
        con,
        "SELECT assessed_on, TRY_CAST(json_extract(profile, '$.longest_run_km') AS DOUBLE) "
        "FROM assessments WHERE athlete_id = ? ORDER BY assessed_on DESC, id DESC LIMIT 1",
        [athlete_id],
    )
    if row is None or not row[1]:
        return None
    return row[0], float(row[1])


def save_wellness(con: Connection, w: Wellness) -> None:
    """One check-in a day: a second one the same day replaces the first. NotFound for a runner
    who does not exist."""
    check_athlete(con, w.athlete_id)
    with transaction(con):
        _known(con, w.athlete_id)
        con.execute(
            f"INSERT OR REPLACE INTO {table(con, 'wellness')} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                w.athlete_id,
                w.day,
                w.sleep_hours,
                w.sleep_quality,
                w.fatigue,
                w.soreness,
                w.stress,
                w.mood,
            ],
        )


def wellness(con: Connection, athlete_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT * FROM wellness WHERE athlete_id = ? ORDER BY day", [athlete_id]
    ).df()


def save_morning_pain(con: Connection, pain: MorningPain) -> None:
    """A next-morning pain score. NotFound for a runner who does not exist."""
    check_athlete(con, pain.athlete_id)
    with transaction(con):
        _known(con, pain.athlete_id)
        con.execute(
            f"INSERT INTO {table(con, 'pain_reports')} "
            '(athlete_id, reported_on, region, side, score, "when") '
            "VALUES (?, ?, ?, ?, ?, 'next_morning')",
            [pain.athlete_id, pain.day, pain.region, pain.side, pain.score],
        )


def add_comment(con: Connection, comment: Comment) -> int:
    """A comment on a log; returns its id. Forbidden when a runner's link writes as the coach,
    NotFound when the log is gone (or another runner's, on a runner's cursor)."""
    if scope_of(con) is not None and comment.author != "runner":
        raise Forbidden("a runner's link writes comments as the runner")
    with transaction(con):
        if scalar(con, "SELECT count(*) FROM session_logs WHERE id = ?", [comment.log_id]) == 0:
            raise NotFound(f"log {comment.log_id} does not exist")
        return scalar(
            con,
            f"INSERT INTO {table(con, 'comments')} "
            "(log_id, author, body) VALUES (?, ?, ?) RETURNING id",
            [comment.log_id, comment.author, comment.body],
        )


def comments(con: Connection, log_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT author, body, created_at FROM comments WHERE log_id = ? ORDER BY id", [log_id]
    ).df()


# Generated rows: id, the first three FIELDS, the planned session, the figures, no watch file.
DEMO_LOG_COLUMNS = ["id", *FIELDS[:3], *PLANNED, *FIELDS[3:15], "note"]


def save_demo(con: Connection, rows: dict[str, list]) -> None:
    """Bulk insert of generated history (demo and benchmarks), in the caller's transaction: one
    INSERT per table, however many rows (the demo builder calls it once per chunk of runners).

    Rows carry local log ids 1..n; real ids are drawn from the sequence and mapped here.
    """
    if scope_of(con) is not None:
        raise Forbidden("a runner link cannot load generated history")
    local = [r[0] for r in rows["logs"]]
    drawn = con.execute("SELECT nextval('log_id_seq') FROM range(?)", [len(local)]).fetchall()
    real = dict(zip(local, (r[0] for r in drawn), strict=True))
    pain = [
        (a, None if log_id is None else real[log_id], *rest) for a, log_id, *rest in rows["pain"]
    ]
    with transaction(con):
        insert_rows(
            con, "session_logs", DEMO_LOG_COLUMNS, [(real[r[0]], *r[1:]) for r in rows["logs"]]
        )
        insert_rows(
            con,
            "exercise_logs",
            [
                "log_id",
                "position",
                "exercise_id",
                "sets",
                "reps",
                "seconds",
                "load_kg",
                "rpe",
                "skipped",
            ],
            [(real[r[0]], *r[1:]) for r in rows["exercises"]],
        )
        insert_rows(
            con,
            "pain_reports",
            ["athlete_id", "log_id", "reported_on", "region", "side", "score", "when"],
            pain,
        )
        insert_rows(
            con,
            "wellness",
            [
                "athlete_id",
                "day",
                "sleep_hours",
                "sleep_quality",
                "fatigue",
                "soreness",
                "stress",
                "mood",
            ],
            rows["wellness"],
        )
