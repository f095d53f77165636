"""The Health page's pieces: the runner's availability, the weekly OSTRC-O2 form, the episodes
with their forms and the return-to-run ladder. Each form returns what was submitted with its
slots (where the page's `run` shows errors), or None."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from pages.widgets.charts import chart, csv_button
from runform import figures, plantext
from runform.plaintext import md
from runform.services import injuries
from runform.vocab import (
    AVAILABILITIES,
    AVAILABILITY_CHIPS,
    AVAILABILITY_LABELS,
    FINDING_SIDES,
    LADDER_ACTION_LABELS,
    NO_SIDE_LABEL,
    REGION_LABELS,
    REGIONS,
    SIDE_LABELS,
    label,
)

Submitted = tuple[dict[str, Any], Slots] | None
BADGE = {"full": "green", "modified": "orange", "unavailable": "red"}


def _region(r: str) -> str:
    return label(REGION_LABELS, r)


def _side(s: str | None) -> str:
    return NO_SIDE_LABEL if s is None else label(SIDE_LABELS, s)


# --- the runner now ----------------------------------------------------------------------------


def status(view: injuries.Overview) -> None:
    """The runner's availability, what it does to the running, and the episodes the pain model
    suggests opening."""
    st.badge(AVAILABILITY_LABELS[view.status], color=BADGE[view.status])
    if view.running:
        st.caption(f"Running: {md(view.running)}.")
    for v in view.suggestions:
        st.warning(
            f"Pain above the model two weeks running ({md(v.text)}): open an injury episode for "
            f"the {_region(v.region).lower()} on the Episodes tab.",
            icon=":material/healing:",
        )


# --- the weekly health check -------------------------------------------------------------------


def ostrc(view: injuries.Overview, today: date) -> Submitted:
    """The OSTRC-O2's four questions for one region, answers as the questionnaire words them."""
    q = injuries.questionnaire()
    about = q.questionnaire
    st.markdown(f"**Weekly health check** ({about.name}), week of {view.week_start:%a %d %b}.")
    regions = list(dict.fromkeys([*view.concerns, *REGIONS]))
    region = st.selectbox("Region", regions, format_func=_region, key="ostrc_region")
    done = view.answered.get(region)
    if done is not None:
        st.info(f"Answered this week: severity {done.severity}/100. Answer again to change it.")
    slots = Slots()
    worded = injuries.worded
    with st.form(f"ostrc_{region}", enter_to_submit=False):
        st.caption(worded(about.intro, region))
        answers: dict[str, Any] = {}
        for question in q.questions:
            labels = [worded(o.label, region) for o in question.options]
            answers[question.id] = st.radio(
                worded(question.text, region),
                range(len(labels)),
                index=None,
                format_func=labels.__getitem__,
                key=f"ostrc_{region}_{question.id}",
            )
            slots.add(f"answers.{question.id}")
        slots.add(FORM)
        sent = st.form_submit_button("Save this week's answers", type="primary", key="ostrc_save")
    st.caption(f"{about.title}: {about.source}. {about.scoring_source}. {about.wording_status}")
    if not sent:
        return None
    chosen = {k: v for k, v in answers.items() if v is not None}
    return {"day": today, "region": region, "answers": chosen}, slots


# --- episodes ----------------------------------------------------------------------------------


def open_form(view: injuries.Overview, today: date) -> Submitted:
    """A new episode: region, side, onset, its name, status, reason and notes."""
    suggested = [v.region for v in view.suggestions]
    first = REGIONS.index(suggested[0]) if suggested else REGIONS.index("knee")
    slots = Slots()
    with (
        st.expander("Open an injury episode", expanded=bool(suggested or not view.episodes)),
        st.form("episode_open", enter_to_submit=False),
    ):
        region = st.selectbox("Region", REGIONS, first, format_func=_region, key="ep_region")
        slots.add("region")
        side = st.selectbox("Side", [None, *FINDING_SIDES], format_func=_side, key="ep_side")
        slots.add("side")
        onset = st.date_input("Since", today, format="YYYY-MM-DD", key="ep_onset")
        slots.add("onset")
        diagnosis = st.text_input(
            "What it is called (your words or a clinician's)", key="ep_diagnosis"
        )
        slots.add("diagnosis")
        state = _status_radio("modified", "ep_status")
        slots.add("status")
        reason = st.text_input("Why this status", key="ep_reason")
        slots.add("reason")
        notes = st.text_area("Notes", key="ep_notes", height=80)
        slots.add("notes")
        slots.add(FORM)
        sent = st.form_submit_button("Open the episode", type="primary", key="ep_open")
    if not sent:
        return None
    raw = {"region": region, "side": side, "onset": onset, "diagnosis": diagnosis}
    return raw | {"status": state, "reason": reason, "notes": notes}, slots


def _status_radio(current: str, key: str) -> str:
    return st.radio(
        "Status",
        AVAILABILITIES,
        AVAILABILITIES.index(current),  # type: ignore[arg-type]
        format_func=AVAILABILITY_LABELS.__getitem__,
        horizontal=True,
        key=key,
        help="Full: training as usual. Modified: the return-to-run ladder (lower limb) or "
        "strength that spares the region. Unavailable: running paused; mobility and pain-free "
        "strength stay.",
    )


def pick(view: injuries.Overview, key: str, ladders: bool = False) -> injuries.EpisodeView | None:
    """The episode shown (open ones first): chosen when there are several."""
    found = [v for v in view.episodes if not ladders or v.ladder is not None]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    titles = {v.episode.id: _title(v) for v in found}
    chosen = st.selectbox("Episode", list(titles), format_func=titles.__getitem__, key=key)
    return next(v for v in found if v.episode.id == chosen)


def _title(v: injuries.EpisodeView) -> str:
    e = v.episode
    when = f"since {e.onset:%d %b %Y}" + (f", ended {e.ended_on:%d %b %Y}" if e.ended_on else "")
    return f"{e.title()} · {AVAILABILITY_LABELS[e.status].lower()} · {when}"


def episode(v: injuries.EpisodeView) -> None:
    """An episode in words with its status history."""
    e = v.episode
    st.markdown(f"**{md(e.title())}**: {md(_title(v).split(' · ', 1)[1])}")
    if e.notes:
        st.caption(md(e.notes))
    history = v.history.assign(status=v.history["status"].map(AVAILABILITY_LABELS))
    st.dataframe(
        history,
        hide_index=True,
        column_order=["day", "status", "reason", "author"],
        column_config={
            "day": st.column_config.DateColumn("From", format="D MMM YYYY"),
            "status": "Status",
            "reason": "Why",
            "author": "By",
        },
        key=f"ep_history_{e.id}",
    )


def update_form(v: injuries.EpisodeView, today: date) -> Submitted:
    """A status change (from a day, with a reason) and the episode's name and notes."""
    e = v.episode
    k = f"upd_{e.id}_"
    slots = Slots()
    with st.form(f"episode_update_{e.id}", enter_to_submit=False):
        state = _status_radio(e.status, k + "status")
        slots.add("status")
        day = st.date_input("From", today, format="YYYY-MM-DD", key=k + "day")
        slots.add("day")
        reason = st.text_input("Why", key=k + "reason")
        slots.add("reason")
        diagnosis = st.text_input("What it is called", e.diagnosis, key=k + "diagnosis")
        slots.add("diagnosis")
        notes = st.text_area("Notes", e.notes, key=k + "notes", height=80)
        slots.add("notes")
        slots.add(FORM)
        sent = st.form_submit_button("Save the change", type="primary", key=k + "save")
    raw = {"status": state, "day": day, "reason": reason, "diagnosis": diagnosis, "notes": notes}
    return (raw, slots) if sent else None


def close_form(v: injuries.EpisodeView, today: date) -> Submitted:
    """The episode's end: the day it ended and why."""
    k = f"close_{v.episode.id}_"
    slots = Slots()
    with st.form(f"episode_close_{v.episode.id}", enter_to_submit=False):
        ended = st.date_input("Ended on", today, format="YYYY-MM-DD", key=k + "day")
        slots.add("ended_on")
        reason = st.text_input("Why it ends", key=k + "reason")
        slots.add("reason")
        slots.add(FORM)
        sent = st.form_submit_button("Close the episode", key=k + "save")
    return ({"ended_on": ended, "reason": reason}, slots) if sent else None


# --- the return-to-run ladder ------------------------------------------------------------------


def ladder(v: injuries.EpisodeView) -> None:
    """Where the runner is on the ladder, what it waits for, the stage's run and its history."""
    found = v.ladder
    assert found is not None
    st.subheader(f"{found.words}")
    st.progress(found.stage / found.top, text=f"Stage {found.stage} of {found.top}")
    d = found.decision
    if d.action == "hold":
        st.info(f"Holding ({d.rule}). {md(d.reason)}")
    else:
        say = st.success if d.action == "advance" else st.warning
        say(
            f"Due: {LADDER_ACTION_LABELS[d.action].lower()} ({d.rule}). {md(d.reason)} The "
            "stage changes with the next log, morning check or capacity test."
        )
    if found.steps:
        st.markdown("\n".join(f"- {md(line)}" for line in plantext.steps_text(found.steps)))
    events = found.events.assign(action=found.events["action"].map(LADDER_ACTION_LABELS))
    st.dataframe(
        events,
        hide_index=True,
        column_order=["day", "stage", "action", "reason", "author"],
        column_config={
            "day": st.column_config.DateColumn("Day", format="D MMM YYYY"),
            "stage": st.column_config.NumberColumn("Stage", format="%d"),
            "action": "What",
            "reason": "Why",
            "author": "By",
        },
        key=f"ladder_events_{v.episode.id}",
    )


CAPACITY = {"not done": None, "passed without pain": True, "painful": False}


def capacity_form(v: injuries.EpisodeView, tests: list, today: date) -> Submitted:
    """The capacity tests done today: each passed without pain, painful, or not done."""
    k = f"cap_{v.episode.id}_"
    slots = Slots()
    latest = v.ladder.tests if v.ladder else {}
    with st.form(f"capacity_{v.episode.id}", enter_to_submit=False):
        st.markdown("**Capacity tests** (the ladder's next stage may need them)")
        day = st.date_input("Done on", today, format="YYYY-MM-DD", key=k + "day")
        slots.add("day")
        results: dict[str, Any] = {}
        for t in tests:
            was = {True: "passed", False: "painful"}.get(latest.get(t.id), "not done yet")
            results[t.id] = st.radio(
                f"{t.name}: {t.passes} (latest: {was})",
                list(CAPACITY),
                horizontal=True,
                key=k + t.id,
            )
        slots.add("results")
        slots.add(FORM)
        sent = st.form_submit_button("Save the tests", type="primary", key=k + "save")
    done = {t: CAPACITY[r] for t, r in results.items() if CAPACITY[r] is not None}
    return ({"day": day, "results": done}, slots) if sent else None


def override_form(v: injuries.EpisodeView, today: date) -> Submitted:
    """The coach sets the stage, with a reason."""
    found = v.ladder
    assert found is not None
    k = f"ovr_{v.episode.id}_"
    slots = Slots()
    with (
        st.expander("Set the stage (coach)"),
        st.form(f"override_{v.episode.id}", enter_to_submit=False),
    ):
        stage = st.selectbox(
            "Stage",
            list(range(found.top + 1)),
            found.stage,
            format_func=lambda s: injuries.stage_words(s),
            key=k + "stage",
        )
        slots.add("stage")
        reason = st.text_input("Why (kept with the ladder)", key=k + "reason")
        slots.add("reason")
        slots.add(FORM)
        sent = st.form_submit_button("Set the stage", key=k + "save")
    return ({"day": today, "stage": stage, "reason": reason}, slots) if sent else None


# --- Progress and Team ---------------------------------------------------------------------------


def trend(weeks: pd.DataFrame) -> None:
    """The weekly OSTRC-O2 severity by region (Progress), with its table and download."""
    if weeks.empty:
        st.info("No weekly health check answered in this range (Health page, Weekly check).")
        return
    chart(figures.ostrc_trend(weeks), "ostrc_chart")
    about = injuries.questionnaire().questionnaire
    st.caption(f"{about.title}. {about.scoring_source}. {about.wording_status}")
    _trend_table(weeks)
    csv_button(weeks, "health-check", "dl_health")


def _trend_table(trend: pd.DataFrame) -> None:
    st.dataframe(
        trend.assign(region=trend["region"].map(_region)),
        hide_index=True,
        column_config={
            "week_start": st.column_config.DateColumn("Week of", format="D MMM YYYY"),
            "region": "Region",
            "severity": st.column_config.NumberColumn("Severity /100", format="%d"),
            "substantial": st.column_config.CheckboxColumn("Substantial problem"),
            "q1": st.column_config.NumberColumn("Participation", format="%d"),
            "q2": st.column_config.NumberColumn("Training", format="%d"),
            "q3": st.column_config.NumberColumn("Performance", format="%d"),
            "q4": st.column_config.NumberColumn("Pain", format="%d"),
        },
        key="ostrc_trend_table",
    )


AVAILABILITY_KEY = "team_availability"


def with_availability(board: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """The Team board with each runner's availability chip, open episodes and OSTRC-O2
    severity (`injuries.team_health`)."""
    out = board.merge(health, on="athlete_id", how="left")
    out["availability"] = out["availability"].fillna("full")
    out["availability_chip"] = [[AVAILABILITY_CHIPS[a]] for a in out["availability"]]
    return out


def availability_filter(board: pd.DataFrame) -> pd.DataFrame:
    """Only the runners of the availabilities chosen (kept in the address as `availability`);
    everyone when none is chosen."""
    wanted = [a for a in st.query_params.get_all("availability") if a in AVAILABILITIES]
    chosen = st.multiselect(
        "Availability",
        list(AVAILABILITIES),
        default=wanted,
        format_func=AVAILABILITY_CHIPS.__getitem__,
        key=AVAILABILITY_KEY,
        placeholder="everyone",
    )
    if chosen:
        st.query_params["availability"] = chosen
    else:
        st.query_params.pop("availability", None)
    return board[board["availability"].isin(chosen)] if chosen else board


def episode_lines(shown: pd.DataFrame) -> None:
    """Each runner's open episodes, one line each, under the board."""
    for row in shown[shown["open_episodes"].fillna(0) > 0].itertuples():
        severity = "" if pd.isna(row.ostrc_severity) else f" · OSTRC {row.ostrc_severity:.0f}/100"
        st.markdown(f"**{md(str(row.name))}**: {md(str(row.episodes))}{severity}")
