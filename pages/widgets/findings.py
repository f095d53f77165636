"""Findings as a coach reads them: ranked by severity with their evidence, explanation and
source, the clinician notice first when pain calls for one; and how two assessments compare
(resolved, persisting, new, not re-tested, and the screens' real changes).

Everything here draws what a service returned; the rules themselves live in the services.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from runform.models import Finding
from runform.plaintext import md
from runform.services import assessments
from runform.services.assessments import Comparison
from runform.vocab import (
    CHANGE_STATUSES,
    REGION_LABELS,
    SEVERITY_LABELS,
    SIDE_LABELS,
    label,
)

BADGE_COLOURS = {"high": "red", "moderate": "orange", "info": "blue"}  # Streamlit's badge names
PAIN_PREFIX = "pain."  # evidence of a pain report names its region: "pain.knee"
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


def ranked(findings: Sequence[Finding]) -> None:
    """Findings in the order given (most severe first), each with its evidence, explanation
    and source; the clinician notice above them when pain calls for it."""
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
            st.markdown("\n".join(evidence_lines(f)))
            st.caption(f"Source: {f.source}")


def screen_label(screen_id: str) -> str:
    """A screen's name, or "Pain: Knee" for a pain report's evidence."""
    if screen_id.startswith(PAIN_PREFIX):
        return "Pain: " + label(REGION_LABELS, screen_id.removeprefix(PAIN_PREFIX))
    spec = assessments.catalogue().by_id().get(screen_id)
    return spec.name if spec else screen_id


def value_text(screen_id: str, value: object) -> str:
    """A measured value as read: "7.5 cm", "5/10" for pain, "yes" or "no" for a flag."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if screen_id.startswith(PAIN_PREFIX):
        return f"{value}/10"
    spec = assessments.catalogue().by_id().get(screen_id)
    unit = f" {spec.unit}" if spec and spec.unit and isinstance(value, int | float) else ""
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def evidence_lines(finding: Finding) -> list[str]:
    """One line per test and side, with every threshold it crossed."""
    grouped: dict[tuple[str, str | None, str], list[str]] = {}
    for e in finding.evidence:
        grouped.setdefault((e.screen, e.side, str(e.value)), []).append(e.threshold)
    lines = []
    for (screen_id, side, _), thresholds in grouped.items():
        e = next(x for x in finding.evidence if x.screen == screen_id and x.side == side)
        where = f", {label(SIDE_LABELS, side).lower()}" if side else ""
        value = "" if isinstance(e.value, bool) else f": {value_text(screen_id, e.value)}"
        lines.append(f"- **{screen_label(screen_id)}**{where}{value} ({'; '.join(thresholds)})")
    return lines


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
