"""The Import page's pieces: the files asked for, and what became of each one."""

from __future__ import annotations

from typing import IO, NamedTuple

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from pages.widgets.session_form import rpe_label
from runform.services.imports import ImportReport

MAX_UPLOAD_MB = 256
"""The browser upload's limit. Streamlit holds an upload in the server's memory while the page
reads it, so a larger export (Strava's can pass a gigabyte with its photos) goes through the
command line, which reads it from disk a file at a time: `python -m runform import`."""
IMPORT_RPE = 3
"""The effort an imported run is logged with unless the runner says otherwise (CR-10 3,
"moderate": an easy run; a file does not say how hard it felt)."""
STATUS_WORDS = {
    "imported": "imported",
    "duplicate": "already logged",
    "skipped": "skipped: not a run",
    "failed": "could not be read",
}
_REPORT = "import_report"


class Asked(NamedTuple):
    files: list[tuple[str, IO[bytes]]]
    rpe: int
    undeclared_runs: bool
    slots: Slots


def asked(athlete_id: int) -> Asked | None:
    """The files and the effort to log them with, once the Import button is pressed."""
    slots = Slots()
    with st.form("import_form", enter_to_submit=False):
        uploads = st.file_uploader(
            "Activity files (.fit, .gpx, .tcx, gzipped too) or a ZIP of them, such as the "
            "bulk export Strava sends (Settings › My Account › Download or Delete Your Account)",
            type=["fit", "gpx", "tcx", "gz", "zip"],
            accept_multiple_files=True,
            key="import_files",
            max_upload_size=MAX_UPLOAD_MB,
        )
        slots.add("files")
        rpe = st.select_slider(
            "Session effort to log each run with (change any one later in the Log's History)",
            options=list(range(11)),
            value=IMPORT_RPE,
            format_func=rpe_label,
            key="import_rpe",
        )
        slots.add("rpe")
        undeclared = st.checkbox(
            "A file that does not name its sport is a run (phone apps often leave it out; "
            "Strava's activities.csv names every one)",
            value=True,
            key="import_undeclared",
        )
        slots.add(FORM)
        if not st.form_submit_button("Import", type="primary", key="import_go"):
            return None
    st.session_state.pop(f"{_REPORT}_{athlete_id}", None)
    return Asked([(f.name, f) for f in uploads or []], rpe, undeclared, slots)


def remember(athlete_id: int, report: ImportReport) -> None:
    st.session_state[f"{_REPORT}_{athlete_id}"] = report


def summary(athlete_id: int) -> None:
    """The last import's outcome for this runner: counts, then every file with its reason."""
    report: ImportReport | None = st.session_state.get(f"{_REPORT}_{athlete_id}")
    if report is None:
        return
    counts = {s: report.count(s) for s in STATUS_WORDS}  # type: ignore[arg-type]
    text = (
        f"{counts['imported']} run(s) imported, {counts['duplicate']} already logged, "
        f"{counts['skipped']} skipped (not runs), {counts['failed']} could not be read."
    )
    (st.success if counts["imported"] else st.info)(text, icon=":material/upload_file:")
    if report.other_files or report.unfiled:
        st.caption(
            f"Also in the archive: {report.other_files} other file(s) (photos, tables), left "
            f"alone; {report.unfiled} activit(y/ies) in activities.csv without a file (entered "
            "by hand), not imported."
        )
    if report.proposal_problem:
        st.warning(f"The next dose could not be proposed: {report.proposal_problem}.")
    elif report.next_dose is not None and report.next_dose.changed():
        st.info("The recent runs change the next dose: a proposed plan version waits on the Log.")
    rows = pd.DataFrame(
        [
            {
                "File": i.name,
                "Outcome": STATUS_WORDS[i.status],
                "Day": i.day,
                "km": i.run_km,
                "Minutes": i.minutes,
                "Planned session it fulfils": i.planned or ("unplanned" if i.log_id else ""),
                "Why": i.reason,
            }
            for i in report.items
        ]
    )
    if not rows.empty:
        st.dataframe(rows, hide_index=True, key="import_outcome")
