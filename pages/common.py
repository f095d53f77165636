"""What the pages not yet moved onto pages/core and pages/widgets still use (issue 13's page
rewrite removes this module: each page draws with widgets and runs services through core).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages.core import cache
from pages.core.auth import require
from pages.core.db import db
from pages.core.nav import NEW_ATHLETE, PAGES, page, run_app, selected_athlete
from pages.core.roles import COACH_KINDS, EVERYONE, Role, current_role
from runform import export, urlparams
from runform.compensations import load_rules
from runform.models import Finding, Plan
from runform.screens import load_catalogue
from runform.services import reviews
from runform.store import athletes, plans, review

__all__ = [
    "COACH_KINDS",
    "EVERYONE",
    "NEW_ATHLETE",
    "PAGES",
    "current_role",
    "db",
    "page",
    "require",
    "run_app",
    "selected_athlete",
]
SEVERITY_BADGE = {
    "high": ":red-badge[High]",
    "moderate": ":orange-badge[Moderate]",
    "info": ":blue-badge[Info]",
}


def address() -> dict[str, str]:
    """The address's settings as plain strings (the last value of each)."""
    return {k: st.query_params.get(k) for k in st.query_params}


def bad_address(e: urlparams.BadAddress) -> None:
    """A wrong value in the address: say so and offer the page without it; nothing else draws."""
    st.error(str(e), icon=":material/link_off:")
    if st.button("Open this page without it", key="bad_address_back", type="primary"):
        st.query_params.pop(e.name, None)
        st.rerun()
    st.stop()


def from_address(read: Callable[[], object]):
    """`read()` (which parses the address with runform.urlparams), or the bad-address message."""
    try:
        return read()
    except urlparams.BadAddress as e:
        bad_address(e)


class Slots(dict):
    """Placeholders drawn under each field, filled with its error after a submit."""

    def add(self, path: str) -> None:
        self[path] = st.empty()

    def show(self, errors: dict[str, str], summary: str | None = None) -> None:
        """Each error under its field; those with no field of their own go with the summary."""
        loose = []
        for path, msg in errors.items():
            key = path
            while key and key not in self:
                key = key.rpartition(".")[0]
            if key:
                self[key].error(f"{path}: {msg}" if key != path else msg)
            else:
                loose.append(f"{path.replace('_', ' ')}: {msg}")
        if loose or summary:
            self["form"].error("\n\n".join([*loose, *([summary] if summary else [])]))


def screen_label(screen_id: str) -> str:
    if screen_id.startswith("pain."):
        return "Pain: " + screen_id.removeprefix("pain.").replace("_", " ")
    spec = load_catalogue().by_id().get(screen_id)
    return spec.name if spec else screen_id


def _value(screen_id: str, value: object) -> str:
    spec = load_catalogue().by_id().get(screen_id)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if screen_id.startswith("pain."):
        return f"{value}/10"
    unit = f" {spec.unit}" if spec and spec.unit and isinstance(value, int | float) else ""
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def evidence_lines(finding: Finding) -> list[str]:
    """One line per test and side, with every threshold it crossed."""
    grouped: dict[tuple, list[str]] = {}
    for e in finding.evidence:
        grouped.setdefault((e.screen, e.side, str(e.value)), []).append(e.threshold)
    lines = []
    for (screen_id, side, _), thresholds in grouped.items():
        e = next(x for x in finding.evidence if x.screen == screen_id and x.side == side)
        where = f", {side}" if side else ""
        value = "" if isinstance(e.value, bool) else f": {_value(screen_id, e.value)}"
        lines.append(f"- **{screen_label(screen_id)}**{where}{value} ({'; '.join(thresholds)})")
    return lines


def show_findings(findings: list[Finding]) -> None:
    """Findings ranked by severity, each with its evidence, explanation and source."""
    titles = load_rules().titles()
    if any(f.id == "pain_flag" for f in findings):
        st.error(
            "**Refer to a clinician before loading the painful region.** Pain of 4/10 or more, "
            "pain at rest or pain on the hip hinge needs a clinician's assessment first; "
            "the plan regresses work for that region until then.",
            icon=":material/medical_services:",
        )
    if not findings:
        st.success("No compensation found by the screens assessed.", icon=":material/check_circle:")
        return
    for f in findings:
        with st.container(border=True):
            side = {"left": " · left side", "right": " · right side", "both": " · both sides"}
            st.markdown(f"#### {titles.get(f.id, f.id)}")
            st.markdown(f"{SEVERITY_BADGE[f.severity]}{side.get(f.side or '', '')}")
            st.write(f.explanation)
            st.markdown("\n".join(evidence_lines(f)))
            st.caption(f"Source: {f.source}")


def query(name: str, *args: object) -> pd.DataFrame:
    """A review query, or `module.function` of `QUERY_MODULES`, cached until the next write (see
    `data_changed`).

    The cache is shared by all sessions, so the viewer's scope is part of its key.
    """
    return _query(current_role(), name, *args)


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _query(role: Role, name: str, *args: object) -> pd.DataFrame:
    if name in RENAMED:
        return RENAMED[name](db(), *args)
    return getattr(review, name)(db(), *args)


# The reads the old pages name, now services.
RENAMED = {
    "load.weekly_load": reviews.weekly_load,
    "load.acwr": reviews.acwr,
    "team.flags": reviews.team_board,
    "team.adherence_weeks": reviews.team_adherence,
}


def plan(plan_id: int, version: int | None = None) -> Plan | None:
    """A plan version (the current one by default), cached until the next write."""
    return _plan(current_role(), plan_id, version)


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _plan(role: Role, plan_id: int, version: int | None) -> Plan | None:
    return plans.load(db(), plan_id, version)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _roster(role: Role) -> pd.DataFrame:
    return athletes.roster(db())


def data_changed() -> None:
    """Every write calls this, so cached charts and tables never show stale data."""
    for cached in (_query, _plan, _roster):
        cached.clear()
    cache.data_changed()


PLOT_LAYOUT = {
    "font": {"size": 16},
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    "legend": {"orientation": "h", "y": -0.2},
}


def chart(fig, key: str | None = None) -> None:
    """A plotly chart readable on a projector, with plotly's own PNG download."""
    fig.update_layout(**PLOT_LAYOUT)
    st.plotly_chart(
        fig,
        key=key,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}},
    )


def csv_button(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button(
        f"Download {name} (CSV)", export.csv_bytes(frame), f"{name}.csv", "text/csv", key=key
    )


if __name__ == "__main__":  # Streamlit ran this file by itself: see run_app
    run_app()
