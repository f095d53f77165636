"""The Log's history: the latest sessions, the one opened, its deletion and its comments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from runform.plaintext import md_block
from runform.vocab import AUTHOR_LABELS, KIND_LABELS, label

_OPEN = "open_log"
_OWNER = "open_log_runner"  # whose session the box holds
COLUMNS: dict[str, Any] = {
    "day": st.column_config.DateColumn("Day", format="ddd D MMM"),
    "kind": "Kind",
    "minutes": "Time (min)",
    "rpe": "RPE (0–10)",
    "load": "Load (AU)",
    "run_km": "Distance (km)",
    "cadence_spm": "Cadence (spm)",
    "heart_rate_bpm": "Heart rate (bpm)",  # the run's average, from a watch or app file
    "max_pain": "Worst pain (0–10)",
    "comments": "Comments",
    "note": "Note",
}


def _number(fmt: str) -> Callable[[Any], str]:
    """A number as text in `fmt`, and a blank where there is none (or no distance)."""
    return lambda x: "" if pd.isna(x) or x == "" else format(float(x), fmt)


def rows(past: pd.DataFrame) -> pd.DataFrame:
    """The history as read: kinds in words, minutes, load, cadence and heart rate whole, km to one
    decimal, pain and RPE as given, and blanks (never "None") where nothing was logged."""
    return past.assign(
        kind=past["kind"].map(lambda k: label(KIND_LABELS, k)),
        minutes=past["minutes"].map(_number(".0f")),
        rpe=past["rpe"].map(_number("g")),
        load=past["load"].map(_number(".0f")),
        run_km=past["run_km"].where(past["run_km"] > 0, "").map(_number(".1f")),
        cadence_spm=past["cadence_spm"].map(_number(".0f")),
        heart_rate_bpm=past["heart_rate_bpm"].map(_number(".0f")),
        max_pain=past["max_pain"].map(_number("g")),
        comments=past["comments"].map(lambda n: str(int(n)) if n else ""),
        note=past["note"].fillna(""),
    )


def table(past: pd.DataFrame) -> None:
    """The latest sessions, newest first, with their load and worst pain."""
    st.dataframe(
        rows(past),
        hide_index=True,
        column_order=list(COLUMNS),
        column_config=COLUMNS,
    )


def pick(past: pd.DataFrame, athlete_id: int) -> int:
    """The session opened below the table. One that is no longer in the log (deleted on
    another device) is said so, and the newest is opened instead; another runner picked opens
    their newest, saying nothing."""
    if st.session_state.get(_OWNER) != athlete_id:
        st.session_state.pop(_OPEN, None)
    st.session_state[_OWNER] = athlete_id
    asked = st.session_state.get(_OPEN)
    ids = [int(i) for i in past["id"].tolist()]
    labels = {
        i: f"{day:%a %d %b} · {label(KIND_LABELS, kind)}"
        for i, day, kind in zip(ids, past["day"], past["kind"], strict=True)
    }
    chosen = st.selectbox("Open a session", ids, format_func=labels.__getitem__, key=_OPEN)
    assert chosen is not None  # the history is not empty
    if asked is not None and asked not in labels:
        st.info(
            f"Session {asked} is no longer in the log (deleted on another device?).",
            icon=":material/info:",
        )
    return chosen


def forget_pick() -> None:
    """After deleting the opened session: open the newest, without saying it is gone."""
    st.session_state.pop(_OPEN, None)


def delete_asked(log_id: int) -> bool:
    """The delete button, enabled once the box is ticked; True when clicked."""
    sure = st.checkbox("Yes, delete this session", key=f"del_confirm_{log_id}")
    return st.button("Delete session", disabled=not sure, key=f"del_{log_id}")


def comments(log_id: int, shown: pd.DataFrame, author: str) -> tuple[str, Slots] | None:
    """The session's comments, then the form for a new one from `author` (who is signed in,
    never a choice): the comment submitted, with its slots, or None."""
    st.markdown("**Comments**")
    for c in shown.itertuples():
        st.markdown(
            f"**{label(AUTHOR_LABELS, c.author)}** · {c.created_at:%d %b %H:%M}:  \n"
            + md_block(c.body)
        )
    slots = Slots()
    with st.form(f"comment_{log_id}", clear_on_submit=True, enter_to_submit=False):
        st.caption(f"From the {label(AUTHOR_LABELS, author).lower()}")
        body = st.text_area("Comment", key=f"body_{log_id}", height=68)
        slots.add("body")
        slots.add(FORM)
        if not st.form_submit_button("Add comment", key=f"comment_save_{log_id}"):
            return None
    return body, slots
