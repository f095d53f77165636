"""The Health page through AppTest: opening, updating and closing an injury episode; the weekly
OSTRC-O2 on a runner's link (the phone); the return-to-run ladder with the coach's override; the
Team board's availability filter and the weekly trend on Progress. Widgets are found by key."""

from __future__ import annotations

from datetime import timedelta

import duckdb
from streamlit.testing.v1 import AppTest

from runform import clock
from runform.plaintext import md
from tests.apptest import open_page, param, runner_link


def query(db_path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def episode_of(db_path, region: str) -> tuple[int, int]:
    """The demo's open episode in `region`: (athlete, episode)."""
    [(athlete, episode)] = query(
        db_path,
        "SELECT athlete_id, id FROM injury_episodes WHERE region = ? AND ended_on IS NULL",
        [region],
    )
    return athlete, episode


def health(query_: dict[str, str]) -> AppTest:
    at = open_page("health", query_)
    assert not at.exception, at.exception
    assert "Health" in [t.value for t in at.title]
    return at


def texts(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in [*at.markdown, *at.info, *at.warning, *at.caption])


def test_open_update_and_close_an_episode(demo_db):
    at = health({"athlete": "1", "health_tab": "Episodes"})
    assert "No injury episode recorded." in [i.value for i in at.info]
    at.selectbox(key="ep_region").set_value("knee")
    at.selectbox(key="ep_side").set_value("left")
    at.text_input(key="ep_diagnosis").set_value("patellar tendinopathy (sports doctor)")
    at.radio(key="ep_status").set_value("unavailable")
    at.text_input(key="ep_reason").set_value("pain on stairs")
    at.button(key="ep_open").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success][0].startswith("Episode saved (unavailable). Plan v")
    [(eid, status)] = query(
        demo_db,
        "SELECT e.id, s.status FROM injury_episodes e JOIN injury_status s ON s.episode_id = e.id "
        "WHERE e.athlete_id = 1",
    )
    assert status == "unavailable"

    at.radio(key=f"upd_{eid}_status").set_value("modified")
    at.text_input(key=f"upd_{eid}_reason").set_value("walks without pain")
    at.button(key=f"upd_{eid}_save").click().run()
    assert not at.exception and not at.error
    assert "Episode saved (modified training)." in at.success[0].value
    history = query(
        demo_db, "SELECT status FROM injury_status WHERE episode_id = ? ORDER BY seq", [eid]
    )
    assert history == [("unavailable",), ("modified",)]

    # the end before the onset: said at the field, nothing written
    at.date_input(key=f"close_{eid}_day").set_value(clock.today() - timedelta(days=1))
    onset = clock.today()
    at.date_input(key=f"close_{eid}_day").set_value(onset - timedelta(days=3))
    at.button(key=f"close_{eid}_save").click().run()
    assert not at.exception
    assert any("must not be before the onset" in e.value for e in at.error), at.error
    assert query(demo_db, "SELECT ended_on FROM injury_episodes WHERE id = ?", [eid]) == [(None,)]

    at.date_input(key=f"close_{eid}_day").set_value(onset)
    at.button(key=f"close_{eid}_save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Episode saved (closed).")
    assert query(demo_db, "SELECT ended_on FROM injury_episodes WHERE id = ?", [eid]) == [(onset,)]
    assert not [r for r in at.radio if r.key == f"upd_{eid}_status"]  # closed: no more changes


def test_the_weekly_health_check_on_a_runners_phone(demo_db):
    athlete, _ = episode_of(demo_db, "knee")
    at = health({"runner": runner_link(demo_db, athlete)})
    assert param(at, "health_tab") in ([], ["Weekly check"])
    assert at.selectbox(key="ostrc_region").value == "knee"  # the open episode's region first
    questions = [at.radio(key=f"ostrc_knee_{q}") for q in ("q1", "q2", "q3", "q4")]
    assert questions[0].label.startswith("Have you had any difficulties participating")
    assert "knee problems" in questions[0].label
    assert "Answered this week: severity 35/100." in texts(at)

    def week_rows() -> list[tuple]:
        return query(
            demo_db,
            "SELECT q1, q2, q3, q4 FROM ostrc_answers WHERE athlete_id = ? AND region = 'knee' "
            "AND week_start = date_trunc('week', ?::DATE)",
            [athlete, clock.today()],
        )

    before = week_rows()
    for radio, answer in zip(questions[:3], (1, 1, 0), strict=True):
        radio.set_value(answer)
    at.button(key="ostrc_save").click().run()  # question 4 left unanswered
    assert not at.exception
    assert any("choose an answer" in e.value for e in at.error), at.error
    assert week_rows() == before

    at.radio(key="ostrc_knee_q4").set_value(1)
    at.button(key="ostrc_save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Health check saved: knee severity 22/100."
    assert week_rows() == [(1, 1, 0, 1)]
    assert "wording" in texts(at) and "Clarsen" in texts(at)


def test_the_runner_sees_the_ladder_and_the_coach_sets_a_stage(demo_db):
    athlete, eid = episode_of(demo_db, "knee")
    mine = health({"runner": runner_link(demo_db, athlete), "health_tab": "Return to run"})
    assert [s.value for s in mine.subheader] == ["Stage 3 of 8: 3 min run / 1 min walk × 6"]
    assert "3 min" in texts(mine)
    assert [r for r in mine.radio if r.key == f"cap_{eid}_hops"]
    assert not [s for s in mine.selectbox if s.key == f"ovr_{eid}_stage"], "the coach's say"

    at = health({"athlete": str(athlete), "health_tab": "Return to run"})
    count = query(demo_db, "SELECT count(*) FROM ladder_events WHERE episode_id = ?", [eid])
    at.selectbox(key=f"ovr_{eid}_stage").set_value(5)
    at.button(key=f"ovr_{eid}_save").click().run()  # no reason
    assert not at.exception
    assert "say why the stage changes, in a few words" in [e.value for e in at.error]
    assert query(demo_db, "SELECT count(*) FROM ladder_events WHERE episode_id = ?", [eid]) == count
    at.text_input(key=f"ovr_{eid}_reason").set_value("physio cleared longer runs")
    at.button(key=f"ovr_{eid}_save").click().run()
    assert not at.exception and not at.error
    assert "set by the coach: physio cleared longer runs" in at.success[0].value
    assert [s.value for s in at.subheader] == ["Stage 5 of 8: 5 min run / 1 min walk × 5"]


def test_a_runner_sees_their_own_health_only(demo_db):
    [(flare,)] = query(
        demo_db,
        "SELECT athlete_id FROM pain_reports WHERE log_id IS NOT NULL GROUP BY ALL "
        "ORDER BY count(*) DESC LIMIT 1",
    )
    at = health({"runner": runner_link(demo_db, flare), "health_tab": "Episodes"})
    assert "No injury episode recorded." in [i.value for i in at.info]
    assert "Achilles" not in texts(at) and "patellofemoral" not in texts(at)
    # pain above the model two weeks running: an episode is suggested
    assert any("open an injury episode for the knee" in w.value for w in at.warning)


def test_the_team_board_shows_and_filters_availability(demo_db):
    ladder, _ = episode_of(demo_db, "knee")
    out, _ = episode_of(demo_db, "calf")
    at = open_page("team")
    assert not at.exception

    def board() -> dict[int, list[str]]:
        [frame] = [d for d in at.dataframe if d.key == "team_table"]
        shown = frame.value
        return dict(zip(shown["athlete_id"], shown["availability_chip"], strict=True))

    everyone = board()
    assert everyone[ladder] == ["Modified"] and everyone[out] == ["Unavailable"]
    assert sum(v == ["Available"] for v in everyone.values()) == len(everyone) - 2
    said = md("Achilles tendinopathy (physio) · unavailable")
    assert any(said in m.value for m in at.markdown), [m.value for m in at.markdown]

    at.multiselect(key="team_availability").set_value(["unavailable"]).run()
    assert not at.exception
    assert list(board()) == [out]
    assert param(at, "availability") == ["unavailable"]
    at.multiselect(key="team_availability").set_value(["modified", "unavailable"]).run()
    assert sorted(board()) == sorted([ladder, out])
    at.multiselect(key="team_availability").set_value([]).run()
    assert len(board()) == len(everyone) and param(at, "availability") == []

    shared = open_page("team", {"availability": "modified"})
    assert shared.multiselect(key="team_availability").value == ["modified"]


def test_progress_shows_the_weekly_health_check_by_region(demo_db):
    athlete, _ = episode_of(demo_db, "knee")
    at = open_page("progress", {"athlete": str(athlete), "section": "Health"})
    assert not at.exception
    assert [c for c in at.get("plotly_chart")]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download health-check (CSV)" in labels
