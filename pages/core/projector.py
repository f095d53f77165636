"""Projector mode: the Team, Plan and Present pages laid out for a room (`?projector=1`).

A toggle at the top of those pages; the address keeps it, so a link or a reload opens the same
layout. On: the sidebar and Streamlit's header are hidden (the main area takes the whole width),
type is larger, and the Present page's exercise picker reads from the back of the room. The demo
warning is a badge in the sidebar (app.py), so no banner takes projector space either way.
"""

from __future__ import annotations

import streamlit as st

PARAM = "projector"
KEY = "projector"

#: Small on purpose: Streamlit has no per-page sidebar state, so the layout is a few CSS rules.
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; font-size: 1.4rem; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"] { font-size: 1.4rem; }
[data-testid="stRadio"] [role="radiogroup"] label p { font-size: 1.8rem; }
[data-testid="stMainBlockContainer"] [data-baseweb="select"] div { font-size: 1.3rem; }
[data-testid="stMetricValue"] { font-size: 4.5rem; }
</style>
"""


def on() -> bool:
    """Whether the address asks for projector mode."""
    return st.query_params.get(PARAM) == "1"


def _sync() -> None:
    if st.session_state.get(KEY):
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)


def layout() -> bool:
    """The "Projector" toggle (kept in the address) and, when it is on, the projector layout.
    Whether it is on."""
    if KEY not in st.session_state or st.session_state[KEY] != on():
        st.session_state[KEY] = on()  # the address wins: a link, a reload, Back
    st.toggle(
        "Projector",
        key=KEY,
        on_change=_sync,
        help="Full width, no sidebar, large type: for a room. Kept in the address.",
    )
    if st.session_state[KEY]:
        st.html(STYLE)
    return bool(st.session_state[KEY])
