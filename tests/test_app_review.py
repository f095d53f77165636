"""The team view and the runner view through AppTest, on the demo team of a fresh database."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from runform import clock, compare, milestones
from runform import team as team_rules
from runform.models import AthleteProfile
from runform.plaintext import md
from runform.services import assessments, reviews
from runform.services import cadence as cadence_service
from runform.store import plans, review
from runform.vocab import FLAGS as VOCAB_FLAGS
from tests.apptest import open_page, param
from tests.conftest import add_runner

SECTIONS = ["Findings", "Screens", "Load", "Pain", "Health", "Adherence", "Form", "Wellness"]
SECTIONS += ["Progression"]
DOWNLOADS = {
    "Health": "Download health-check (CSV)",
    "Findings": "Download findings (CSV)",
    "Screens": "Download screens (CSV)",
    "Load": "Download weekly-load (CSV)",
    "Pain": "Download pain (CSV)",
    "Adherence": "Download adherence (CSV)",
    "Calendar": "Download fitness-fatigue-form (CSV)",
    "Form": "Download form (CSV)",
    "Wellness": "Download wellness (CSV)",
    "Progression": "Download progression (CSV)",
}
FLAGS = list(VOCAB_FLAGS)


def sql(db_path, text: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(text, list(params)).fetchall()
    finally:
        con.close()


def open_at(page: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    """`page` of the app on the demo team, opened at its address with `query`."""
    at = open_page(page, query, timeout=120)
    assert not at.exception, at.exception
    return at


def team_page(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = open_at("team", query)
    assert [t.value for t in at.main.title] == ["Team"]
    return at


def progress_page(athlete_id: int, query: dict[str, str] | None = None) -> AppTest:
    """The Progress page of `athlete_id`, chosen in the address as the sidebar picker keeps it."""
    at = open_at("progress", {"athlete": str(athlete_id), **(query or {})})
    assert [t.value for t in at.main.title] == ["Progress"]
    assert at.sidebar.selectbox[0].value == athlete_id
    return at


def table(at: AppTest) -> pd.DataFrame:
    [frame] = [d for d in at.dataframe if d.key == "team_table"]
    return frame.value


# --- team view --------------------------------------------------------------------------------


@pytest.fixture
def team(demo_db) -> AppTest:
    return team_page()


def test_team_table_lists_every_runner_with_the_flags(team, db_path):
    shown = table(team)
    assert len(shown) == 12
    assert set(FLAGS) <= set(shown.columns)
    # Same flags as the query (today's), most flags first.
    con = duckdb.connect(str(db_path))
    try:
        expected = reviews.team_board(con, clock.today())
    finally:
        con.close()
    by_id = expected.set_index("athlete_id")[FLAGS]
    got = shown.set_index("athlete_id")[FLAGS]
    pd.testing.assert_frame_equal(
        got.sort_index(), by_id.sort_index(), check_dtype=False, check_index_type=False
    )
    assert shown["flags"].is_monotonic_decreasing
    metrics = {m.label: m.value for m in team.metric}
    assert metrics["Runners"] == "12"
    assert metrics["Need attention"] == str(int((shown["flags"] > 0).sum()))
    labels = [b.proto.label for b in team.get("download_button")]
    assert "Download team (CSV)" in labels
    assert "Download findings-prevalence (CSV)" in labels
    assert len(team.get("plotly_chart")) >= 1


def test_flag_filter_narrows_the_rows_and_goes_into_the_url(team):
    everyone = table(team)
    counts = everyone[FLAGS].sum()
    some = [f for f in FLAGS if 0 < counts[f] < len(everyone)]
    assert some, f"the demo team has no flag raised for only some runners: {counts.to_dict()}"
    flag = some[0]
    team.multiselect(key="team_flags").set_value([flag]).run()
    assert not team.exception
    shown = table(team)
    assert sorted(shown["athlete_id"]) == sorted(everyone.loc[everyone[flag], "athlete_id"])
    assert shown[flag].all()
    assert param(team, "flag") == [flag]
    assert param(team, "view") == ["team"]
    # Two flags: runners with either of them.
    other = next(f for f in FLAGS if f != flag and counts[f] > 0)
    team.multiselect(key="team_flags").set_value([flag, other]).run()
    shown = table(team)
    either = everyone[everyone[flag] | everyone[other]]
    assert sorted(shown["athlete_id"]) == sorted(either["athlete_id"])
    assert sorted(param(team, "flag")) == sorted([flag, other])
    # Cleared: everyone again, and no flag in the URL.
    team.multiselect(key="team_flags").set_value([]).run()
    assert len(table(team)) == len(everyone)
    assert param(team, "flag") == []


def test_a_flag_in_the_url_preselects_the_filter(demo_db):
    at = team_page({"flag": "flag_adherence"})
    assert at.multiselect(key="team_flags").value == ["flag_adherence"]
    shown = table(at)
    assert len(shown) >= 1
    assert shown["flag_adherence"].all()
    assert param(at, "flag") == ["flag_adherence"]


def test_selecting_a_row_opens_that_runners_progress(team):
    team.multiselect(key="team_flags").set_value(["flag_pain"]).run()
    shown = table(team)
    assert len(shown) >= 1
    athlete_id, name = int(shown.iloc[0]["athlete_id"]), shown.iloc[0]["name"]
    team.session_state["team_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    team.run()
    assert not team.exception, team.exception
    assert [t.value for t in team.main.title] == ["Progress"]
    assert f"Runner: **{name}**" in [c.value for c in team.caption]
    assert team.session_state["athlete_id"] == athlete_id
    assert team.sidebar.selectbox[0].value == athlete_id
    assert param(team, "athlete") == [str(athlete_id)]
    # the address it left opens the same runner's progress again (a reload, a shared link)
    again = open_at("progress", {"athlete": param(team, "athlete")[0]})
    assert [t.value for t in again.main.title] == ["Progress"]
    assert f"Runner: **{name}**" in [c.value for c in again.caption]


def test_clicking_a_runners_name_opens_their_progress(team):
    shown = table(team)
    athlete_id, name = int(shown.iloc[2]["athlete_id"]), shown.iloc[2]["name"]
    team.session_state["team_table"] = {
        "selection": {"rows": [], "columns": [], "cells": [[2, "name"]]}
    }
    team.run()
    assert not team.exception, team.exception
    assert [t.value for t in team.main.title] == ["Progress"]
    assert f"Runner: **{name}**" in [c.value for c in team.caption]
    assert team.session_state["athlete_id"] == athlete_id


def test_the_board_shows_status_chips_and_short_columns(team):
    [frame] = [d for d in team.dataframe if d.key == "team_table"]
    shown = frame.value
    chips = team_rules.flag_chips()
    for row in shown.itertuples():  # the chips are exactly the raised flags, in board order
        assert list(row.status) == [chips[f] for f in FLAGS if getattr(row, f)]
    assert any(len(s) > 0 for s in shown["status"])
    # adherence and compliance both read as whole percents ("88 %"), not a fraction and a percent
    for column in ("adherence", "compliance"):
        known = shown[column].dropna()
        assert (known % 1 == 0).all() and known.between(0, 200).all() and (known > 1).any()
    config = frame.proto.column_order
    assert list(config) == [
        "name",
        "availability_chip",
        "status",
        "adherence",
        "compliance",
        "acwr",
        "tsb",
        "monotony",
        "pain_during",
        "wellness",
        "ostrc_severity",
        "open_episodes",
        "last_assessed",
    ]
    # why a runner's pain is above the model, in words under the board
    flare = shown[shown["flag_pain"]]
    texts = [m.value for m in team.main.markdown]
    for row in flare.itertuples():
        assert f"**{md(row.name)}**: {md(row.pain_reason)}" in texts


@pytest.mark.parametrize("page", ["team", "plan", "present"])
def test_projector_mode_is_kept_in_the_address(demo_db, page):
    at = open_at(page, {"projector": "1"})
    assert at.toggle(key="projector").value is True
    styles = [h.proto.body for h in at.get("html")]
    assert any("stSidebar" in s and "display: none" in s for s in styles), styles
    at.toggle(key="projector").set_value(False).run()
    assert not at.exception, at.exception
    assert param(at, "projector") == []
    assert not any("stSidebar" in h.proto.body for h in at.get("html"))
    at.toggle(key="projector").set_value(True).run()
    assert param(at, "projector") == ["1"]


# --- runner view ------------------------------------------------------------------------------


def flare_runner(db_path) -> int:
    """The demo runner with pain in logged sessions (the one who flares up)."""
    [(athlete_id,)] = sql(
        db_path,
        "SELECT athlete_id FROM pain_reports WHERE log_id IS NOT NULL GROUP BY ALL "
        "ORDER BY count(*) DESC LIMIT 1",
    )
    return athlete_id


@pytest.fixture
def runner_view(demo_db) -> tuple[AppTest, int]:
    athlete_id = flare_runner(demo_db)
    # A coach's edit of the current plan, so the Progression section has a row.
    plan_id = sql(demo_db, "SELECT max(id) FROM plans WHERE athlete_id = ?", [athlete_id])[0][0]
    con = duckdb.connect(str(demo_db))
    try:
        plans.add_version(con, plan_id, plans.load(con, plan_id), "edited in a test")
    finally:
        con.close()
    st.cache_data.clear()
    return progress_page(athlete_id), athlete_id


def test_every_section_renders_its_charts_and_download(runner_view):
    at, _ = runner_view
    for section in SECTIONS:
        at.radio(key="progress_section").set_value(section).run()
        assert not at.exception, (section, at.exception)
        assert param(at, "section") == [section]
        charts = at.get("plotly_chart")
        tables = [d for d in at.dataframe if d.key != "team_table"]
        assert charts or tables, f"{section}: no chart or table"
        if section != "Progression":
            assert charts, f"{section}: no chart"
        labels = [b.proto.label for b in at.get("download_button")]
        assert DOWNLOADS[section] in labels, (section, labels)


def test_each_section_without_data_shows_an_info_message(demo_db):
    """A runner with nothing recorded yet: no section fails, each says why it is empty."""
    con = duckdb.connect(str(demo_db))
    try:
        # created today by an intake with the profile only (runners come with an intake)
        athlete_id = add_runner(
            con, AthleteProfile(name="Zz New", longest_run_km=8.0), on=clock.today()
        )
    finally:
        con.close()
    st.cache_data.clear()
    at = progress_page(athlete_id)
    assert "Runner: **Zz New**" in [c.value for c in at.caption]
    for section in SECTIONS:
        at.radio(key="progress_section").set_value(section).run()
        assert not at.exception, (section, at.exception)
        said = [i.value for i in at.info] + [s.value for s in at.success]
        assert len(said) >= 2, (section, said)  # the small-wins note and the section's own


def test_date_range_goes_into_the_url_and_limits_the_data(runner_view):
    at, _ = runner_view
    today = clock.today()
    assert param(at, "from") == [(today - timedelta(weeks=16)).isoformat()]
    assert param(at, "to") == [today.isoformat()]
    first, last = today - timedelta(weeks=6), today - timedelta(weeks=2)
    at.date_input(key="progress_range").set_value((first, last)).run()
    assert not at.exception
    assert param(at, "from") == [first.isoformat()]
    assert param(at, "to") == [last.isoformat()]
    # The demo history ends before its start: nothing logged in a range long before it.
    old = (today - timedelta(days=3 * 365), today - timedelta(days=3 * 365 - 20))
    at.date_input(key="progress_range").set_value(old).run()
    at.radio(key="progress_section").set_value("Load").run()
    assert not at.exception
    assert "No logged sessions in this range." in [i.value for i in at.info]


def test_the_url_range_and_section_open_the_view(demo_db):
    today = clock.today()
    first, last = today - timedelta(weeks=8), today - timedelta(weeks=1)
    at = open_at("progress", {"from": first.isoformat(), "to": last.isoformat(), "section": "Pain"})
    assert [t.value for t in at.main.title] == ["Progress"]
    assert at.date_input(key="progress_range").value == (first, last)
    assert at.radio(key="progress_section").value == "Pain"
    assert param(at, "from") == [first.isoformat()]
    assert param(at, "to") == [last.isoformat()]
    assert param(at, "section") == ["Pain"]


def test_small_wins_show_the_runners_milestones(runner_view, db_path):
    at, athlete_id = runner_view
    today = clock.today()
    begin = today - timedelta(weeks=16)
    con = duckdb.connect(str(db_path))
    try:
        found = review.findings_by_assessment(con, athlete_id)
        measured = review.measured_screens(con, athlete_id)
        wins = milestones.find(
            compare.status_table(found, measured),
            found["assessed_on"].max().date(),
            review.screens(con, athlete_id),
            review.adherence(con, athlete_id, begin, today - timedelta(days=1)),
            review.long_runs(con, athlete_id, begin, today),
            review.form(con, athlete_id, begin, today),
            today,
            measured=measured,
            cadence_runs=cadence_service.review(con, athlete_id, begin, today).runs,
        )
    finally:
        con.close()
    assert wins, "the demo runner has no milestone"
    assert "Small wins" in [s.value for s in at.subheader]
    shown = [m.value for m in at.markdown]
    for w in wins[:6]:
        assert f"**{w.title}**" in shown
    assert "No milestone yet" not in " ".join(i.value for i in at.info)


# --- the pages' shape (issue 13) ---------------------------------------------------------------

# What a page may import from the library (docs/architecture.md): services, the vocabulary,
# display text, the figures, the address and the clock, and the team flags' labels.
PAGE_IMPORTS = {
    "runform": {"clock", "figures", "urlparams"},
    "runform.plaintext": {"md"},
    "runform.services": {"access", "assessments", "calendar", "injuries", "reviews"},
    "runform.team": {"flag_labels"},
}


@pytest.mark.parametrize("name", ["progress", "team", "access", "health"])
def test_a_review_page_is_a_thin_render_function(name):
    """Under 150 lines, reading through services and drawing with widgets and figures: no store,
    no shim, no rule computed on the page, and handed to app.py when run by itself."""
    import ast

    from tests.conftest import ROOT

    text = (ROOT / "pages" / f"{name}.py").read_text()
    assert len(text.splitlines()) < 150
    tree = ast.parse(text)
    [render] = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "render"]
    assert ast.unparse(render.body[0]).startswith("auth.require(")
    assert ast.unparse(tree.body[-1]) == "if __name__ == '__main__':\n    nav.run_app()"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("runform") for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("runform"):
            names = {a.name for a in node.names}
            assert names <= PAGE_IMPORTS.get(node.module or "", set()), (node.module, names)
    assert '.replace("_", " ")' not in text


def test_one_assessment_shows_its_findings_as_the_baseline(demo_db):
    """A runner with one assessment (issue 14 saw "0 / 0 / 0" for one with 13 findings): every
    finding is listed as the baseline and counted once in the chart's single bar."""
    con = duckdb.connect(str(demo_db))
    try:
        [(assessment_id,)] = con.execute(
            "SELECT assessment_id FROM findings GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()
        form = assessments.intake(con, assessment_id).model_dump(mode="json")
        form["athlete"]["name"] = "Zz Solo"
        saved = assessments.record_intake(con, form)
    finally:
        con.close()
    st.cache_data.clear()
    assert len(saved.findings) >= 5
    at = progress_page(saved.athlete_id)
    shown = [m.value for m in at.markdown]
    assert f"**Baseline** ({len(saved.findings)})" in shown, shown
    assert not [m for m in shown if m.startswith(("**Resolved**", "**New**"))]
    [chart] = [c for c in at.get("plotly_chart") if "findings_chart" in str(c.proto.id)]
    bars = json.loads(chart.proto.spec)["data"]
    assert [len(b["x"]) for b in bars] == [1] * len(bars)  # one bar: the one assessment
    assert sum(int(numbers(b["y"]).sum()) for b in bars) == len(saved.findings)


def numbers(values) -> np.ndarray:
    """A trace's numbers as plotly sends them: a list, or typed binary data (plotly 6)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)
