"""Charts and tables of the review pages: a plotly figure drawn readable on a projector (with
plotly's own PNG download), a CSV download built only when it is clicked, and the Team board."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from runform import export, thresholds

#: Large type and a legend under the plot: a team review happens on a projector.
PROJECTOR = {
    "font": {"size": 16},
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    "legend": {"orientation": "h", "y": -0.2},
}
PNG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart(fig: go.Figure, key: str) -> None:
    """`fig` (from `runform.figures`) readable on a projector, with plotly's PNG download. A
    legend the figure places itself (`y` set) stays where it is."""
    own = fig.layout.legend.to_plotly_json()
    fig.update_layout(PROJECTOR)
    if "y" in own:
        fig.update_layout(legend=own)
    st.plotly_chart(fig, key=key, config=PNG)


def csv_button(frame: pd.DataFrame, name: str, key: str) -> None:
    """ "Download `name` (CSV)": the file is written when the button is clicked, not on every
    run of the page."""
    st.download_button(
        f"Download {name} (CSV)",
        lambda: export.csv_bytes(frame),
        f"{name}.csv",
        "text/csv",
        key=key,
    )


# --- the Team board ----------------------------------------------------------------------------


def flagged(board: pd.DataFrame, flags: Mapping[str, str], chosen: list[str]) -> pd.DataFrame:
    """The board's runners flagged for any of `chosen` (everyone when none is chosen), with how
    many `flags` each has raised, the most first, then by name."""
    counted = board.assign(flags=board[list(flags)].sum(axis=1))
    shown = counted[counted[chosen].any(axis=1)] if chosen else counted
    return shown.sort_values(["flags", "name"], ascending=[False, True])


def team_metrics(board: pd.DataFrame, flags: Mapping[str, str]) -> None:
    """How many runners, how many with a flag raised, how many with pain above the model."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Runners", len(board))
    c2.metric("Need attention", int(board[list(flags)].any(axis=1).sum()))
    c3.metric("Pain above the model", int(board["flag_pain"].sum()))


def team_board(shown: pd.DataFrame, flags: Mapping[str, str]) -> int | None:
    """The Team board (`flagged` rows), a runner per row, each flag a checkbox column; the
    athlete id of the row the coach selects, if any."""
    t = thresholds.load()
    picked = st.dataframe(
        shown,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="team_table",
        column_order=[
            "name",
            "flags",
            *flags,
            "adherence",
            "acwr",
            "monotony",
            "pain_during",
            "pain_reason",
            "wellness",
            "last_assessed",
        ],
        column_config={
            "name": "Runner",
            "flags": st.column_config.NumberColumn("Flags", help="How many flags are raised"),
            **{k: st.column_config.CheckboxColumn(v) for k, v in flags.items()},
            "adherence": st.column_config.ProgressColumn(
                f"Adherence {t.adherence.window_days} d",
                min_value=0,
                max_value=1,
                format="percent",
            ),
            "acwr": "A:C ratio",
            "monotony": "Monotony",
            "pain_during": f"Pain ({t.pain.window_days} d)",
            "pain_reason": "Pain: why",
            "wellness": "Wellness",
            "last_assessed": st.column_config.DateColumn("Last assessed", format="D MMM YYYY"),
        },
    )
    rows = picked.selection.rows if picked else []
    return int(shown.iloc[rows[0]]["athlete_id"]) if rows else None
