"""One screen's widgets (a number, a grade, the faults seen, a yes/no), and the whole battery.

A screen left empty is "not assessed" (None), never 0. Each side gets its own error slot
(`screens.<id>.<side>`, or `screens.<id>` for a one-sided screen) right under its widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from pages.core.run import Slots
from runform.errors import InvalidInput
from runform.screens import ScreenSpec
from runform.services import assessments
from runform.vocab import SIDE_LABELS, SIDES, label

NONE_SEEN = "none seen"
NOT_ASSESSED = "not assessed"
FLAG_OPTIONS = [NOT_ASSESSED, "no", "yes"]
BOTH_FAULTS = "Choose either 'none seen' or the faults you saw, not both."


def battery(prefix: str, slots: Slots, refused: dict[str, str]) -> dict[str, Any]:
    """Every screen of the catalogue under its group's heading; returns those assessed."""
    catalogue = assessments.catalogue()
    values: dict[str, Any] = {}
    for group in catalogue.groups:
        st.subheader(group.name)
        for spec in catalogue.in_group(group.id):
            v = screen_field(spec, prefix, None, slots, refused)
            if v is not None:
                values[spec.id] = v
    slots.add("screens")
    return values


def screen_field(
    spec: ScreenSpec,
    prefix: str,
    current: Any,
    slots: Slots,
    refused: dict[str, str],
    *,
    title: bool = True,
) -> Any:
    """One screen's widgets, pre-filled from `current`; returns its value (None: not assessed).

    A choice the widgets themselves cannot accept ("none seen" with a fault) goes into `refused`
    under its field path, and that side is left out of the value.
    """
    if title:
        st.markdown(f"**{spec.name}**" + (f" ({spec.unit})" if spec.unit else ""))
    sides = SIDES if spec.bilateral else (None,)
    values: dict[str | None, Any] = {}
    for col, side in zip(st.columns(len(sides)), sides, strict=True):
        path = f"screens.{spec.id}.{side}" if side else f"screens.{spec.id}"
        had = current.get(side) if side and isinstance(current, dict) else current
        with col:
            v = _side(spec, side, had, f"{prefix}{spec.id}_{side}", path, refused)
            slots.add(path)
        if v is not None:
            values[side] = v
    if spec.bilateral:
        slots.add(f"screens.{spec.id}")
    if not values:
        return None
    return values if spec.bilateral else values[None]


def _side(
    spec: ScreenSpec, side: str | None, had: Any, key: str, path: str, refused: dict[str, str]
) -> Any:
    """One side's widget (the whole screen's for a one-sided one); its value or None."""
    name = label(SIDE_LABELS, side) if side else spec.name
    if spec.kind == "number":
        return st.number_input(
            name,
            value=had,
            step=float(spec.step),
            key=key,
            help=f"Allowed: {spec.range_text()}. Leave empty if not assessed.",
            placeholder=NOT_ASSESSED,
        )
    if spec.kind == "grade":
        top, bottom, grades = int(spec.max or 0), int(spec.min or 0), spec.grades or []
        return st.selectbox(
            name,
            [None, *range(top, bottom - 1, -1)],
            index=0 if had is None else top - had + 1,
            key=key,
            format_func=lambda g: NOT_ASSESSED if g is None else f"{g}: {grades[g]}",
        )
    if spec.kind == "faults":
        faults = spec.faults or []
        seen = [f for f, b in (had or {}).items() if b] or ([NONE_SEEN] if had else [])
        picked = st.multiselect(
            f"{name}: faults seen",
            [NONE_SEEN, *faults],
            default=seen,
            key=key,
            format_func=lambda f: f if f == NONE_SEEN else spec.fault_label(f),
            placeholder=NOT_ASSESSED,
        )
        if NONE_SEEN in picked and len(picked) > 1:
            refused[path] = BOTH_FAULTS
            return None
        return {f: f in picked for f in faults} if picked else None
    choice = st.radio(
        name,
        FLAG_OPTIONS,
        horizontal=True,
        key=key,
        index=0 if had is None else (2 if had else 1),
    )
    return None if choice == NOT_ASSESSED else choice == "yes"


def refuse(refused: Mapping[str, str]) -> None:
    """Stop before any service runs when the widgets themselves refused a choice."""
    if refused:
        raise InvalidInput(refused)
