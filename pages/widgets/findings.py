"""Findings as a coach reads them: ranked by severity with their evidence, explanation and
source, the clinician notice first when pain calls for one; and how two assessments compare
(resolved, persisting, new, not re-tested, and the screens' real changes).

Everything here draws what a service returned; the rules themselves live in the services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from runform.evidence import evidence_lines
from runform.models import Finding
from runform.plaintext import md
from runform.services import assessments
from runform.services.assessments import Comparison
from runform.vocab import (
    CHANGE_STATUSES,
    SEVERITY_LABELS,
    SIDE_LABELS,
    label,
)

BADGE_COLOURS = {"high": "red", "moderate": "orange", "info": "blue"}  # Streamlit's badge names
CLINICIAN = (
    "**Refer to a clinician before loading the painful region.** Pain of 4/10 or more, "
    "pain at rest or pain on the hip hinge needs a clinician's assessment first; "
    "the plan regresses work for that region until then."
)


def badge(severity: str) -> str:
    """The severity as a coloured badge: ":red-badge[High]"."""
    colour = BADGE_COLOURS.get(severity, "gray")
    return f":{colour}-badge[{label(SEVERITY_LABELS, severity)}]"


def clinician_notice(findings: Sequence[Finding]) -> None:
    """The referral notice, when a finding says pain needs a clinician first."""
    if any(f.id == "pain_flag" for f in findings):
        st.error(CLINICIAN, icon=":material/medical_services:")


def ranked(findings: Sequence[Finding], screens: Mapping[str, Any] | None = None) -> None:
    """Findings in the order given (most severe first), each with its evidence (in words, both
    sides of a left–right rule from the assessment's `screens`), explanation and source; the
    clinician notice above them when pain calls for it."""
    titles = assessments.finding_titles()
    clinician_notice(findings)
    if not findings:
        st.success("No compensation found by the screens assessed.", icon=":material/check_circle:")
        return
    for f in findings:
        with st.container(border=True):
            st.markdown(f"#### {titles.get(f.id, f.id)}")
            side = f" · {label(SIDE_LABELS, f.side)}" if f.side else ""
            st.markdown(badge(f.severity) + side)
            st.write(f.explanation)
            st.markdown("\n".join(f"- {md(line)}" for line in evidence_lines(f, screens)))
            st.caption(f"Source: {f.source}")


# --- two assessments compared ------------------------------------------------------------------


def comparison(c: Comparison, names: dict[int, str]) -> None:
    """What the later assessment re-tested, each finding's status, and the screens' changes.

    `names` words each assessment ("2026-03-01 · Coach")."""
    retested = f" ({', '.join(c.retested)})." if c.retested else "."
    st.markdown(
        f"**{names[c.before_id]} → {names[c.after_id]}**: re-tested {len(c.retested)} of "
        f"{c.screens_before} screens" + retested
    )
    status_columns(c)
    who = {
        True: f"the same assessor ({md(c.after.assessor or '')})",
        False: f"different assessors ({md(c.before.assessor or '')}, "
        f"then {md(c.after.assessor or '')})",
        None: "an assessor not recorded for one of them",
    }[c.same_assessor]
    st.markdown(
        f"**Screens measured both times**, by {who}. A change counts as real only when it is "
        "larger than the minimal detectable change; the figure used is in the last column. "
        + assessments.real_change_rule()
    )
    screen_changes(c)


def status_columns(c: Comparison) -> None:
    """Resolved, persisting, new and not re-tested side by side, with what was not measured."""
    titles = assessments.finding_titles()
    for col, kind in zip(st.columns(len(CHANGE_STATUSES)), CHANGE_STATUSES, strict=True):
        rows = [s for s in c.statuses if s.status == kind]
        col.markdown(f"**{kind.capitalize()}** ({len(rows)})")
        for s in rows:
            missing = assessments.screen_names(s.not_remeasured)
            why = f": {', '.join(missing)} not measured again" if missing else ""
            col.write(f"- {titles.get(s.finding_id, s.finding_id)}{why}")


def screen_changes(c: Comparison) -> None:
    """The number and grade screens measured both times, with the real-change figure used."""
    table = c.changes.drop(columns=["screen_id"])
    table["side"] = table["side"].map(lambda s: label(SIDE_LABELS, s))
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "screen": "Screen",
            "side": "Side",
            "unit": "Unit",
            "before": "Before",
            "after": "After",
            "change": "Change",
            "real_change_at": "Real change above",
            "real": st.column_config.CheckboxColumn("Real change"),
            "figure": "Figure used",
        },
        column_order=[
            "screen",
            "side",
            "unit",
            "before",
            "after",
            "change",
            "real",
            "real_change_at",
            "figure",
        ],
    )
