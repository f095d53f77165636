"""Pain rows: where, which side, how much (0–10) and when. One widget for the Intake and the Log,
so a pain is asked the same way wherever a runner reports it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from pages.core.run import Slots
from runform.vocab import (
    FINDING_SIDES,
    NO_SIDE_LABEL,
    PAIN_WHEN_LABELS,
    REGION_LABELS,
    REGIONS,
    SIDE_LABELS,
    label,
)

NO_PAIN = "No pain today"


def no_pain(prefix: str, *, value: bool = False) -> bool:
    """The "No pain today" answer: on, the pain rows are hidden and no pain is recorded.

    Drawn outside the form that holds the rows, so turning it on hides them at once."""
    return st.toggle(
        NO_PAIN,
        value=value,
        key=f"{prefix}no_pain",
        help="Turn on when nothing hurts today, at rest or when running.",
    )


def pain_rows(
    prefix: str,
    slots: Slots,
    *,
    rows: int,
    whens: Sequence[str],
    had: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """`rows` pain reports (a row left at "no pain" is none); returns the reports given.

    `whens` are the timings this form asks about, the first the default; `had` pre-fills rows.
    Errors of `pain.N.field` show under the rows (slot "pain").
    """
    out: list[dict[str, Any]] = []
    regions: list[str | None] = [None, *REGIONS]
    sides: list[str | None] = [None, *FINDING_SIDES]
    for i in range(rows):
        h = had[i] if i < len(had) else {}
        c1, c2, c3, c4 = st.columns(4)
        region = c1.selectbox(
            f"Pain {i + 1}: where",
            regions,
            index=regions.index(h.get("region")),
            format_func=lambda r: "no pain" if r is None else label(REGION_LABELS, r),
            key=f"{prefix}pain{i}_region",
        )
        side = c2.selectbox(
            "Side",
            sides,
            index=sides.index(h.get("side")),
            format_func=lambda s: NO_SIDE_LABEL if s is None else label(SIDE_LABELS, s),
            key=f"{prefix}pain{i}_side",
        )
        score = c3.number_input(
            "Pain 0–10", value=h.get("score"), step=1, key=f"{prefix}pain{i}_score"
        )
        when = c4.selectbox(
            "When",
            list(whens),
            index=list(whens).index(h.get("when", whens[0])),
            format_func=lambda w: label(PAIN_WHEN_LABELS, w),
            key=f"{prefix}pain{i}_when",
        )
        if region is not None:
            out.append({"region": region, "side": side, "score": score, "when": when})
    slots.add("pain")
    return out
