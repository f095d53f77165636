"""The Log's check-ins: the next-morning pain check and the daily wellness check-in.

Each form returns what was submitted (for `training_log.record_morning_pain` or
`record_wellness`) with its slots, where the page shows the errors or that it was saved.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import streamlit as st

from pages.core.run import FORM, Slots
from runform import scales
from runform.models import MorningPain
from runform.vocab import (
    FINDING_SIDES,
    NO_SIDE_LABEL,
    REGION_LABELS,
    REGIONS,
    SIDE_LABELS,
    WELLNESS_ITEMS,
    WELLNESS_LABELS,
    label,
)

SCALES = scales.load()


def morning_pain(day: date) -> tuple[dict[str, Any] | None, Slots] | None:
    """Where it hurts the morning after training, how much: region, side, score (0–10); or
    "No pain" in one tap (then None in place of the answer)."""
    st.markdown(f"**Next-morning pain**, the morning after training ({day:%a %d %b}).")
    slots = Slots()
    sides: list[str | None] = [None, *FINDING_SIDES]
    with st.form("morning_pain", enter_to_submit=False):
        none = st.form_submit_button("No pain this morning", type="primary", key="mp_none")
        st.caption("Or say where it hurts and how much:")
        c1, c2, c3 = st.columns(3)
        with c1:
            region = st.selectbox(
                "Region", REGIONS, format_func=lambda r: label(REGION_LABELS, r), key="mp_region"
            )
            slots.add("region")
        with c2:
            side = st.selectbox(
                "Side",
                sides,
                key="mp_side",
                format_func=lambda s: NO_SIDE_LABEL if s is None else label(SIDE_LABELS, s),
            )
            slots.add("side")
        with c3:
            score = st.number_input("Pain 0–10", value=None, step=1, key="mp_score")
            slots.add("score")
        slots.add(FORM)
        saved = st.form_submit_button("Save morning pain", key="mp_save")
    if none:
        return None, slots
    if not saved:
        return None
    return {"region": region, "side": side, "score": score}, slots


def no_pain_saved(zeros: list[MorningPain]) -> str:
    """What "No pain" saved: a 0 for each region being followed, or nothing to follow."""
    if not zeros:
        return "No pain, and none to follow up from the last weeks: nothing more to do."
    where = ", ".join(
        label(REGION_LABELS, z.region).lower()
        + ("" if z.side is None else f" ({label(SIDE_LABELS, z.side).lower()})")
        for z in zeros
    )
    return f"Morning check saved: no pain ({where} at 0/10)."


def wellness() -> tuple[dict[str, Any], Slots] | None:
    """Hours slept and the five wellness items, 1–5 with their words (5 the best)."""
    st.markdown("**Daily wellness** (under a minute; 5 is the best).")
    slots = Slots()
    with st.form("wellness", enter_to_submit=False):
        hours = st.number_input("Hours slept", value=7.5, step=0.5, format="%.1f", key="w_hours")
        slots.add("sleep_hours")
        items: dict[str, Any] = {}
        for col, item in zip(st.columns(5), WELLNESS_ITEMS, strict=True):
            with col:
                items[item] = st.select_slider(
                    label(WELLNESS_LABELS, item),
                    options=[1, 2, 3, 4, 5],
                    value=3,
                    format_func=partial(SCALES.wellness.label, item),
                    key=f"w_{item}",
                )
                slots.add(item)
        slots.add(FORM)
        submitted = st.form_submit_button("Save wellness", key="w_save")
    st.caption(SCALES.wellness.source)
    return ({"sleep_hours": hours, **items}, slots) if submitted else None
