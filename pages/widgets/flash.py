"""A message that outlives the rerun after a write: `later` keeps it, `show` draws it once.

A page that writes and then reruns (to show the new state) would otherwise lose its "saved"
message with the run that drew it.
"""

from __future__ import annotations

import streamlit as st

_KEY = "flash_message"


def later(message: str) -> None:
    """Say `message` (a success) on the next run."""
    st.session_state[_KEY] = message


def show() -> None:
    """The message kept by `later`, once."""
    message = st.session_state.pop(_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
