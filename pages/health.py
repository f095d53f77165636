"""Health: the weekly health check (OSTRC-O2), injury episodes and the return-to-run ladder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from pages.core import auth, nav
from pages.core.cache import read
from pages.core.db import db
from pages.core.roles import EVERYONE, is_runner
from pages.core.run import run
from pages.widgets import flash
from pages.widgets import health as widgets
from runform import clock
from runform.services import injuries

TABS = ("Weekly check", "Episodes", "Return to run")


def _save(form: widgets.Submitted, action: Callable[[dict], object], said: Callable) -> None:
    """A submitted form's service call; on success its message on the next run."""
    if form is None:
        return
    raw, slots = form
    done = run(lambda: action(raw), slots)
    if done is not None:
        flash.later(said(done))
        st.rerun()


def _weekly(athlete_id: int, today: date, view: injuries.Overview) -> None:
    """The four questions for a region, once a week."""
    _save(
        widgets.ostrc(view, today),
        lambda raw: injuries.record_ostrc(db(), {**raw, "athlete_id": athlete_id}),
        lambda s: (
            f"Health check saved: {s.region.replace('_', ' ')} severity {s.severity}/100"
            + (" (a substantial problem: tell your coach)." if s.substantial else ".")
        ),
    )


def _episodes(athlete_id: int, today: date, view: injuries.Overview) -> None:
    """Open an episode; the one picked with its history, and its update and close forms."""
    _save(
        widgets.open_form(view, today),
        lambda raw: injuries.open_episode(db(), {**raw, "athlete_id": athlete_id}, today),
        injuries.EpisodeSaved.message,
    )
    chosen = widgets.pick(view, "health_episode")
    if chosen is None:
        st.info("No injury episode recorded.")
        return
    widgets.episode(chosen)
    if not chosen.episode.is_open():
        return
    eid = chosen.episode.id
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Change the status**")
        _save(
            widgets.update_form(chosen, today),
            lambda raw: injuries.update_episode(db(), eid, raw),
            injuries.EpisodeSaved.message,
        )
    with right:
        st.markdown("**The episode is over**")
        _save(
            widgets.close_form(chosen, today),
            lambda raw: injuries.close_episode(db(), eid, raw),
            injuries.EpisodeSaved.message,
        )


def _ladder(today: date, view: injuries.Overview) -> None:
    """The ladder of the episode picked: stage, next decision, capacity tests, the coach's say."""
    chosen = widgets.pick(view, "ladder_episode", ladders=True)
    if chosen is None:
        st.info(
            "No return-to-run ladder: an open episode in a region running loads, with modified "
            "training, starts one."
        )
        return
    widgets.ladder(chosen)
    eid = chosen.episode.id
    _save(
        widgets.capacity_form(chosen, view.tests, today),
        lambda raw: injuries.record_capacity(db(), eid, raw),
        injuries.EpisodeSaved.message,
    )
    if not is_runner():
        _save(
            widgets.override_form(chosen, today),
            lambda raw: injuries.override_stage(db(), eid, raw),
            injuries.EpisodeSaved.message,
        )


def render() -> None:
    auth.require(*EVERYONE)
    athlete_id = nav.selected_athlete()
    st.title("Health")
    if not athlete_id:
        st.info("Pick a runner in the sidebar.")
        st.stop()
    today = clock.today()
    view = read(injuries.overview, athlete_id, today)
    flash.show()
    widgets.status(view)
    # only the open tab runs; the address names it, so a link can open the weekly check
    weekly, episodes, ladder = st.tabs(list(TABS), key="health_tab", bind="query-params")
    if weekly.open:
        with weekly:
            _weekly(athlete_id, today, view)
    if episodes.open:
        with episodes:
            _episodes(athlete_id, today, view)
    if ladder.open:
        with ladder:
            _ladder(today, view)


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
