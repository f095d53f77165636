"""The plan's downloads: each file is named when the page draws and built only when clicked.

A page hands `st.download_button` a callable (`later`), so a rerun builds no PDF, calendar or
watch file; Streamlit calls it when the button is pressed, after the script run, on a thread of
its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

import streamlit as st

from pages.core.db import Connection, connection
from pages.core.roles import current_role
from runform.errors import Forbidden
from runform.services import plans as plan_service
from runform.services.plans import Export, ExportFile, Format

P = ParamSpec("P")

PLAN_BUTTONS: dict[Format, str] = {  # format: the button's label
    "csv": "Sessions (CSV)",
    "ics": "Calendar (.ics)",
    "pdf": "Printable plan (PDF)",
}


def later(
    export: Callable[Concatenate[Connection, P], Export], *args: P.args, **kwargs: P.kwargs
) -> Callable[[], bytes]:
    """`export(cursor, *args, **kwargs).data`, built when called.

    The call comes after this script run and on another thread, when the run's `db()` cursor
    belongs to another run: each click gets a cursor of its own on the server's connection, and
    closes it. That cursor is the coach's (it sees every runner), so only the coach's pages
    offer these downloads.
    """
    if current_role().athlete_id is not None:
        raise Forbidden("Downloads built on a click are the coach's; a runner link has none.")
    base = connection()

    def data() -> bytes:
        cursor = base.cursor()
        try:
            return export(cursor, *args, **kwargs).data
        finally:
            cursor.close()

    return data


def button(
    label: str,
    file: ExportFile | None,
    data: Callable[[], bytes],
    *,
    key: str,
    **options: Any,
) -> None:
    """A download button for `file` (None: a disabled button), its bytes built on a click."""
    st.download_button(
        label,
        data,
        file.filename if file else None,
        file.mime if file else None,
        key=key,
        disabled=file is None,
        on_click="ignore",  # a download changes nothing here: no rerun to race the build
        **options,
    )


def exports(plan_id: int, version: int, files: plan_service.WeekFiles) -> None:
    """The Export tab: the whole plan as CSV, iCalendar and a printable PDF."""
    for column, (fmt, label) in zip(st.columns(3), PLAN_BUTTONS.items(), strict=True):
        with column:
            button(
                label,
                files.plan[fmt],
                later(plan_service.export_plan, plan_id, fmt, version),
                key=f"dl_{fmt}",
            )
    st.caption(
        "The .ics file imports into Google Calendar (Settings → Import) and Apple Calendar "
        "(File → Import); each session is an all-day event with its exercises."
    )
