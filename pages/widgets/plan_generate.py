"""The Plan page's "Generate a new plan" form: what it is built from, and the plan's options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from pages.core.run import FORM, Slots
from runform.models import AthleteProfile
from runform.services import plans as plan_service
from runform.vocab import EQUIPMENT_LABELS, WEEKDAY_LABELS, label


@dataclass
class Generate:
    """The options submitted (raw, for the service to check) and where their errors go."""

    options: dict[str, Any]
    slots: Slots


def _listed(table: Mapping[str, str], values: Sequence[str]) -> str:
    return ", ".join(label(table, v) for v in values) or "none"


def form(profile: AthleteProfile, history: pd.DataFrame, today: date) -> Generate | None:
    """The form in its expander; what was submitted, or None until "Generate plan" is pressed."""
    with st.expander("Generate a new plan", expanded=False):
        if history.empty:
            st.warning("This runner has no assessment yet: record an intake first.")
            return None
        st.write(
            f"From the assessment of **{history.iloc[0].assessed_on:%Y-%m-%d}**, the runner's "
            f"days ({_listed(WEEKDAY_LABELS, profile.available_days)}), "
            f"{profile.minutes_per_day} minutes a day and equipment "
            f"({_listed(EQUIPMENT_LABELS, profile.equipment)})."
        )
        slots = Slots()
        with st.form("generate_plan", enter_to_submit=False):
            c1, c2, c3, c4 = st.columns(4)
            with c1:
                weeks = st.number_input("Weeks (4–24)", value=12, step=1, key="gen_weeks")
                slots.add("weeks")
            with c2:
                start = st.date_input(
                    "Start",
                    plan_service.first_monday_after(today),
                    key="gen_start",
                    format="YYYY-MM-DD",
                )
                slots.add("start")
            with c3:
                deload = st.selectbox(
                    "Deload rhythm",
                    [4, 3, 2],
                    format_func=lambda n: f"every {n}th week ({n - 1}:1)",
                    key="gen_deload",
                )
                slots.add("deload_every")
            with c4:
                ramp = st.number_input(
                    "Weekly run ramp (%)", value=10.0, step=1.0, format="%.0f", key="gen_ramp"
                )
                slots.add("ramp_pct")
            pace = st.number_input(
                "Easy pace (min/km), empty for the level's default",
                value=None,
                step=0.25,
                key="gen_pace",
            )
            slots.add("easy_pace_min_per_km")
            slots.add(FORM)
            if not st.form_submit_button("Generate plan", type="primary", key="generate_plan_go"):
                return None
    raw: dict[str, Any] = {"weeks": weeks, "start": start, "deload_every": deload, "ramp_pct": ramp}
    if pace is not None:
        raw["easy_pace_min_per_km"] = float(pace)
    return Generate(raw, slots)
