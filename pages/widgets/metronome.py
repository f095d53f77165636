"""The metronome of the cadence drill, at the runner's own target: a looping minute of clicks."""

from __future__ import annotations

import streamlit as st

from runform.cadence import Target
from runform.metronome import MAX_BPM, MIN_BPM
from runform.services import cadence as cadence_service


def player(target: Target, key: str) -> None:
    """Clicks at the target's low end to start with; the runner moves up within the range."""
    low = min(MAX_BPM, max(MIN_BPM, round(target.low_spm)))
    high = min(MAX_BPM, max(low, round(target.high_spm)))
    with st.container(border=True):
        st.markdown("**Metronome**: one footstep to each click, at the same easy effort")
        bpm = low
        if high > low:
            bpm = st.select_slider("Steps a minute", list(range(low, high + 1)), value=low, key=key)
        st.audio(cadence_service.metronome_wav(bpm), format="audio/wav", loop=True)
        st.caption(
            f"Target {target.range_text()}: {target.words()}. Start at {low} and move up only "
            "when the rhythm feels easy; run it in short blocks, then fade it out."
        )
