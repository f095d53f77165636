"""Injury episodes with their status history, the weekly OSTRC-O2 answers, the return-to-run
ladder's stage changes and capacity tests, and the plan version an episode reshaped.

Writes name the real tables (`table`) and join the caller's transaction; the service checks who
may write first (`owner` reads the real table, so another runner's episode is Forbidden rather
than missing).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from runform.health import CapacityEntry, Episode, EpisodeInput, OstrcEntry
from runform.store.connection import Connection, one, scalar, table, transaction
from runform.vocab import RUN_KINDS

_EPISODES = """
SELECT e.id, e.athlete_id, e.region, e.side, e.onset, e.diagnosis, e.notes, e.ended_on,
       (SELECT s.status FROM injury_status s WHERE s.episode_id = e.id
        ORDER BY s.seq DESC LIMIT 1) AS status,
       e.opened_by
FROM injury_episodes e
"""
_FIELDS = (
    "id",
    "athlete_id",
    "region",
    "side",
    "onset",
    "diagnosis",
    "notes",
    "ended_on",
    "status",
    "opened_by",
)


def _episode(row: tuple) -> Episode:
    return Episode.model_validate(dict(zip(_FIELDS, row, strict=True)))


def create(con: Connection, ep: EpisodeInput, day: date, author: str) -> int:
    """A new episode with its first status (in force from `day`); returns its id."""
    with transaction(con):
        episode_id = scalar(
            con,
            f"INSERT INTO {table(con, 'injury_episodes')} "
            "(athlete_id, region, side, onset, diagnosis, notes, opened_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [ep.athlete_id, ep.region, ep.side, ep.onset, ep.diagnosis, ep.notes, author],
        )
        add_status(con, episode_id, day, ep.status, ep.reason, author)
    return int(episode_id)


def owner(con: Connection, episode_id: int) -> int | None:
    """Whose episode it is, from the real table (None: no such episode)."""
    return scalar(
        con, f"SELECT athlete_id FROM {table(con, 'injury_episodes')} WHERE id = ?", [episode_id]
    )


def get(con: Connection, episode_id: int) -> Episode | None:
    row = one(con, _EPISODES + "WHERE e.id = ?", [episode_id])
    return None if row is None else _episode(row)


def for_athlete(con: Connection, athlete_id: int) -> list[Episode]:
    """The runner's episodes: open ones first, then the latest onset first."""
    rows = con.execute(
        _EPISODES
        + "WHERE e.athlete_id = ? ORDER BY e.ended_on IS NOT NULL, e.onset DESC, e.id DESC",
        [athlete_id],
    ).fetchall()
    return [_episode(r) for r in rows]


def add_status(
    con: Connection, episode_id: int, day: date, status: str, reason: str, author: str
) -> None:
    with transaction(con):
        seq = scalar(
            con,
            "SELECT coalesce(max(seq), 0) + 1 FROM injury_status WHERE episode_id = ?",
            [episode_id],
        )
        con.execute(
            f"INSERT INTO {table(con, 'injury_status')} "
            "(episode_id, seq, day, status, reason, author) VALUES (?, ?, ?, ?, ?, ?)",
            [episode_id, seq, day, status, reason, author],
        )


def update_words(con: Connection, episode_id: int, diagnosis: str, notes: str) -> None:
    con.execute(
        f"UPDATE {table(con, 'injury_episodes')} SET diagnosis = ?, notes = ? WHERE id = ?",
        [diagnosis, notes, episode_id],
    )


def close(con: Connection, episode_id: int, ended_on: date) -> None:
    con.execute(
        f"UPDATE {table(con, 'injury_episodes')} SET ended_on = ? WHERE id = ?",
        [ended_on, episode_id],
    )


def status_history(con: Connection, episode_id: int) -> pd.DataFrame:
    """Every status the episode has had, oldest first: day, status, reason, author."""
    return con.execute(
        "SELECT day, status, reason, author, created_at FROM injury_status "
        "WHERE episode_id = ? ORDER BY seq",
        [episode_id],
    ).df()


def open_episodes(con: Connection) -> pd.DataFrame:
    """Every open episode in scope with its current status (the Team board's input)."""
    return con.execute(
        "SELECT * FROM (" + _EPISODES + ") WHERE ended_on IS NULL ORDER BY athlete_id, onset, id"
    ).df()


# --- the weekly OSTRC-O2 -----------------------------------------------------------------------


def save_ostrc(con: Connection, entry: OstrcEntry, answers: dict[str, int]) -> None:
    """One week's answers for a region; answering the same week again replaces them."""
    with transaction(con):
        con.execute(
            f"INSERT OR REPLACE INTO {table(con, 'ostrc_answers')} "
            "(athlete_id, week_start, region, q1, q2, q3, q4, answered_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry.athlete_id,
                entry.week(),
                entry.region,
                answers["q1"],
                answers["q2"],
                answers["q3"],
                answers["q4"],
                entry.day,
            ],
        )


def ostrc(con: Connection, athlete_id: int | None, start: date, end: date) -> pd.DataFrame:
    """The answers of the weeks starting from `start`'s week to `end`, of one runner or (None)
    everyone in scope: athlete_id, week_start, region, q1–q4 (answer indexes), answered_on."""
    return con.execute(
        """
        SELECT athlete_id, week_start, region, q1, q2, q3, q4, answered_on
        FROM ostrc_answers
        WHERE ($1::INTEGER IS NULL OR athlete_id = $1)
          AND week_start BETWEEN date_trunc('week', $2::DATE) AND $3
        ORDER BY athlete_id, week_start, region
        """,
        [athlete_id, start, end],
    ).df()


# --- the return-to-run ladder ------------------------------------------------------------------


def add_ladder_event(
    con: Connection,
    episode_id: int,
    day: date,
    stage: int,
    action: str,
    rule: str,
    reason: str,
    author: str,
) -> None:
    with transaction(con):
        seq = scalar(
            con,
            "SELECT coalesce(max(seq), 0) + 1 FROM ladder_events WHERE episode_id = ?",
            [episode_id],
        )
        con.execute(
            f"INSERT INTO {table(con, 'ladder_events')} "
            "(episode_id, seq, day, stage, action, rule, reason, author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [episode_id, seq, day, stage, action, rule, reason, author],
        )


def ladder_events(con: Connection, episode_id: int) -> pd.DataFrame:
    """The ladder's stage changes, oldest first: day, stage, action, rule, reason, author."""
    return con.execute(
        "SELECT day, stage, action, rule, reason, author FROM ladder_events "
        "WHERE episode_id = ? ORDER BY seq",
        [episode_id],
    ).df()


def save_capacity(con: Connection, episode_id: int, entry: CapacityEntry) -> None:
    with transaction(con):
        for test_id, passed in entry.results.items():
            con.execute(
                f"INSERT OR REPLACE INTO {table(con, 'capacity_tests')} "
                "(episode_id, day, test_id, passed) VALUES (?, ?, ?, ?)",
                [episode_id, entry.day, test_id, passed],
            )


def capacity(con: Connection, episode_id: int) -> pd.DataFrame:
    """Every capacity test of the episode, newest first: day, test_id, passed."""
    return con.execute(
        "SELECT day, test_id, passed FROM capacity_tests WHERE episode_id = ? "
        "ORDER BY day DESC, test_id",
        [episode_id],
    ).df()


def run_days(con: Connection, athlete_id: int, after: date, until: date) -> list[date]:
    """The days runs were logged after `after` up to `until` (a run kind, or any distance)."""
    rows = con.execute(
        "SELECT day FROM session_logs WHERE athlete_id = $a AND day > $after AND day <= $until "
        "AND (list_contains($kinds, kind) OR run_km > 0) ORDER BY day",
        {"a": athlete_id, "after": after, "until": until, "kinds": list(RUN_KINDS)},
    ).fetchall()
    return [r[0] for r in rows]


# --- the plan an episode reshaped --------------------------------------------------------------


def base(con: Connection, plan_id: int) -> tuple[int, date] | None:
    """The version an open episode reshaped the plan from, and since when; None when no
    episode reshapes it."""
    row = one(con, "SELECT version, since FROM plan_bases WHERE plan_id = ?", [plan_id])
    return None if row is None else (int(row[0]), row[1])


def set_base(con: Connection, plan_id: int, version: int, since: date) -> None:
    con.execute(
        f"INSERT OR REPLACE INTO {table(con, 'plan_bases')} (plan_id, version, since) "
        "VALUES (?, ?, ?)",
        [plan_id, version, since],
    )


def drop_base(con: Connection, plan_id: int) -> None:
    con.execute(f"DELETE FROM {table(con, 'plan_bases')} WHERE plan_id = ?", [plan_id])
