"""The store under load and under faults: concurrent writers on one cached connection, and a writer
process killed with SIGKILL mid-stream. A log must land whole (with its exercises and pain) or not
at all, and every save that returned must survive the crash.

Run with `-s` to see the figures (elapsed time, throughput, kills survived).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from runform.models import AthleteProfile, SessionLog
from runform.store import logs
from runform.store.connection import Connection, connect
from tests.conftest import add_runner

THREADS = 8
LOGS_PER_THREAD = 500
EXERCISES_PER_LOG = 2


def session_log(athlete_id: int, i: int) -> SessionLog:
    return SessionLog(
        athlete_id=athlete_id,
        day=date(2026, 1, 1),
        kind="strength",
        minutes=30 + i % 60,
        rpe=float(i % 11),
        note=f"log {i}",
        exercises=[
            {"exercise_id": "goblet_squat", "position": 0, "sets": 3, "reps": 10},
            {"exercise_id": "calf_raise", "position": 1, "sets": 2, "seconds": 45},
        ],
        pain=[{"region": "knee", "side": "left", "score": i % 11, "when": "during_run"}],
    )


def integrity(con: Connection) -> dict[str, object]:
    """Counts and the logs that are not whole (exercise or pain rows missing or extra)."""

    def q(sql: str) -> list[tuple]:
        return con.execute(sql).fetchall()

    return {
        "logs": q("SELECT count(*) FROM session_logs")[0][0],
        "distinct_ids": q("SELECT count(DISTINCT id) FROM session_logs")[0][0],
        "exercises": q("SELECT count(*) FROM exercise_logs")[0][0],
        "pain": q("SELECT count(*) FROM pain_reports WHERE log_id IS NOT NULL")[0][0],
        "ids": {r[0] for r in q("SELECT id FROM session_logs")},
        "partial": q(
            """
            WITH counted AS (
                SELECT l.id,
                       (SELECT count(*) FROM exercise_logs e WHERE e.log_id = l.id) AS n_ex,
                       (SELECT count(*) FROM pain_reports p WHERE p.log_id = l.id) AS n_pain
                FROM session_logs l
            )
            SELECT id, n_ex, n_pain FROM counted WHERE n_ex <> 2 OR n_pain <> 1
            ORDER BY id LIMIT 20
            """
        ),
        "orphans": q(
            "SELECT count(*) FROM exercise_logs e "
            "WHERE NOT EXISTS (SELECT 1 FROM session_logs l WHERE l.id = e.log_id)"
        )[0][0]
        + q(
            "SELECT count(*) FROM pain_reports p WHERE p.log_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM session_logs l WHERE l.id = p.log_id)"
        )[0][0],
    }


# --- load -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_threads_saving_on_one_cached_connection(tmp_path: Path) -> None:
    """As the app does: one connection per file, one cursor per session thread, all writing."""
    con = connect(tmp_path / "load.duckdb")
    try:
        athlete_id = add_runner(con, AthleteProfile(name="Load test"))
        barrier = threading.Barrier(THREADS)
        saved: list[list[int]] = [[] for _ in range(THREADS)]
        errors: list[BaseException] = []
        prepared = [
            [session_log(athlete_id, t * LOGS_PER_THREAD + i) for i in range(LOGS_PER_THREAD)]
            for t in range(THREADS)
        ]

        def writer(t: int) -> None:
            cur = con.cursor()
            try:
                barrier.wait(timeout=30)
                for log in prepared[t]:
                    saved[t].append(logs.save(cur, log))
            except BaseException as e:  # reported below with the thread's number
                errors.append(e)
            finally:
                cur.close()

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=600)
        elapsed = time.perf_counter() - started
        assert not any(th.is_alive() for th in threads), "a writer thread hung"
        assert not errors, f"{len(errors)} writer(s) failed, first: {errors[0]!r}"

        total = THREADS * LOGS_PER_THREAD
        print(
            f"\nload: {THREADS} threads x {LOGS_PER_THREAD} logs = {total} saves "
            f"(+{total * EXERCISES_PER_LOG} exercises, +{total} pain) in {elapsed:.1f} s, "
            f"{total / elapsed:.0f} logs/s"
        )
        returned = [i for ids in saved for i in ids]
        assert len(returned) == total
        assert len(set(returned)) == total, "save returned the same id twice"
        state = integrity(con)
        assert state["logs"] == total
        assert state["distinct_ids"] == total
        assert state["exercises"] == total * EXERCISES_PER_LOG
        assert state["pain"] == total
        assert state["partial"] == [], "logs without exactly their 2 exercises and 1 pain"
        assert state["orphans"] == 0
        assert state["ids"] == set(returned)
    finally:
        con.close()


# --- faults -----------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date

    from runform.models import EARLIEST, AssessmentRecord, AthleteProfile, Intake, SessionLog
    from runform.store import assessments, logs
    from runform.store.connection import connect

    con = connect(sys.argv[1])
    if sys.argv[2] != "default":
        con.execute(f"SET checkpoint_threshold = '{sys.argv[2]}'")
    athlete_id = con.execute("SELECT min(id) FROM athletes").fetchone()[0]
    if athlete_id is None:
        intake = Intake(athlete=AthleteProfile(name="Crash test"), assessed_on=EARLIEST)
        [(athlete_id, _)] = assessments.save(con, [AssessmentRecord(intake=intake, findings=[])])
    i = 0
    while True:
        i += 1
        log = SessionLog(
            athlete_id=athlete_id,
            day=date(2026, 1, 1),
            kind="strength",
            minutes=30,
            rpe=5,
            note="x" * (i % 500),
            exercises=[
                {"exercise_id": "goblet_squat", "position": 0, "sets": 3, "reps": 10},
                {"exercise_id": "calf_raise", "position": 1, "sets": 2, "seconds": 45},
            ],
            pain=[{"region": "knee", "score": 2, "when": "during_run"}],
        )
        log_id = logs.save(con, log)
        print(log_id, flush=True)
    """
)
KILL_AFTER = (10, 50, 200)
READ_TIMEOUT_S = 60


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


@pytest.mark.slow
@pytest.mark.parametrize(
    "checkpoint",
    [
        "default",
        # a checkpoint after every commit, so some kills land in the middle of one
        "1KB",
    ],
)
def test_writer_killed_mid_stream_loses_nothing_it_confirmed(
    tmp_path: Path, checkpoint: str
) -> None:
    db = tmp_path / "faults.duckdb"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    confirmed: list[int] = []
    survived = 0
    for n in KILL_AFTER:
        before = len(confirmed)
        stderr_path = tmp_path / f"writer-{n}.err"
        with open(stderr_path, "w") as err:
            proc = subprocess.Popen(
                [sys.executable, str(script), str(db), checkpoint],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                cwd=tmp_path,
            )
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            while len(confirmed) - before < n:
                line = lines.get(timeout=READ_TIMEOUT_S)
                assert line is not None, (
                    f"writer died on its own: {stderr_path.read_text()[-2000:]}"
                )
                confirmed.append(int(line))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            reader.join(timeout=30)
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL

        con = connect(db)  # replays the WAL; must open
        try:
            state = integrity(con)
        finally:
            con.close()
        missing = set(confirmed) - state["ids"]
        assert not missing, f"confirmed logs lost after kill #{n}: {sorted(missing)[:10]}"
        assert state["partial"] == [], f"half-written logs after kill #{n}"
        assert state["orphans"] == 0
        assert state["logs"] == state["distinct_ids"]
        # at most one save per kill may have committed after its id was last printed
        assert len(confirmed) <= state["logs"] <= len(confirmed) + KILL_AFTER.index(n) + 1
        assert state["exercises"] == 2 * state["logs"]
        assert state["pain"] == state["logs"]
        survived += 1
    print(
        f"\nfaults ({checkpoint} checkpointing): {survived}/{len(KILL_AFTER)} SIGKILLs survived, "
        f"{len(confirmed)} confirmed logs all present, {state['logs']} logs in the file"
    )
    assert survived == len(KILL_AFTER)
