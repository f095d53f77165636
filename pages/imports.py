"""Import: a runner's activities from any watch or app, or a whole Strava export, in one go.

Each file is matched to the planned session of its day (or logged as unplanned) and saved on its
own, with a progress bar; the summary says what became of every file and why.
"""

from __future__ import annotations

import streamlit as st

from pages.core import auth, nav
from pages.core.db import db
from pages.core.roles import EVERYONE
from pages.core.run import run
from pages.widgets import imports as widgets
from runform.services import imports


def render() -> None:
    auth.require(*EVERYONE)
    athlete_id = nav.selected_athlete()
    st.title("Import activities")
    if not athlete_id:
        st.info("Pick a runner in the sidebar.")
        st.stop()
    st.caption(
        "FIT, GPX and TCX files from any watch or app, or the ZIP of Strava's bulk export: every "
        "run is logged, matched to the planned session of its day; rides, walks and other sports "
        "are listed and skipped, runs already logged are skipped."
    )
    asked = widgets.asked(athlete_id)
    if asked is not None:
        bar = st.progress(0.0, text="Reading the files…")

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"{done} of {total}: {name}")

        report = run(
            lambda: imports.import_files(
                db(),
                athlete_id,
                asked.files,
                rpe=float(asked.rpe),
                undeclared_runs=asked.undeclared_runs,
                progress=progress,
            ),
            asked.slots,
            summary="Nothing was imported.",
        )
        bar.empty()
        if report is not None:
            widgets.remember(athlete_id, report)
    widgets.summary(athlete_id)


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
