"""Charts and tables of the review pages: a plotly figure drawn readable on a projector (with
plotly's own PNG download), a CSV download built only when it is clicked, and the Team board."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from runform import compliance, export, team, thresholds
from runform.plaintext import md
from runform.vocab import AVAILABILITY_CHIPS, AVAILABILITY_COLOURS

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
        on_click="ignore",  # a download changes nothing here: no rerun to race the build
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


#: The status chips' colours, in FLAGS order: pain and a new high finding red, load flags orange,
#: acute:chronic (information only) blue, the rest slate and violet.
CHIP_COLOURS = [
    "#C0392B",  # pain
    "#E67E22",  # run spike
    "#2874A6",  # acute:chronic (information)
    "#D35400",  # monotony
    "#9A7D0A",  # adherence
    "#7D3C98",  # wellness
    "#34495E",  # reassessment due
    "#922B21",  # new high finding
]


#: The board's availability columns (`pages.widgets.health.with_availability` adds them).
AVAILABILITY_COLUMNS = {
    "availability_chip": st.column_config.MultiselectColumn(
        "Availability",
        options=list(AVAILABILITY_CHIPS.values()),
        color=[AVAILABILITY_COLOURS[a] for a in AVAILABILITY_CHIPS],
        width=120,
        help="Available, modified (return to run, or strength sparing a region) or unavailable "
        "(running paused), from the runner's open injury episodes",
    ),
    "ostrc_severity": st.column_config.NumberColumn(
        "OSTRC /100",
        format="%d",
        width="small",
        help="Weekly health check (OSTRC-O2): the highest severity of the latest week answered",
    ),
    "open_episodes": st.column_config.NumberColumn("Episodes", format="%d", width="small"),
}


def team_board(shown: pd.DataFrame) -> int | None:
    """The Team board (`flagged` rows), a runner per row with their raised flags as coloured
    chips and short number columns (units in the headers), narrow enough for 1920 × 1080; the
    athlete id of the runner the coach clicks (any cell of the row, e.g. the name), if any."""
    t = thresholds.load()
    chips = team.flag_chips()
    labels = team.flag_labels()
    words = team.status(shown).map(lambda raised: [chips[f] for f in raised])
    # words, not ids: screen readers read the raw value; adherence as a whole percent, as
    # compliance beside it ("88 %" both)
    frame = shown.assign(status=words, adherence=(shown["adherence"] * 100).round())
    picked = st.dataframe(
        frame,
        hide_index=True,
        on_select="rerun",
        selection_mode=["single-row", "single-cell"],
        placeholder="–",  # no value (no pain reported, no check-in), not "None"
        key="team_table",
        column_order=[
            "name",
            "availability_chip",
            "status",
            "adherence",
            "compliance",
            "acwr",
            "tsb",
            "monotony",
            "pain_during",
            "wellness",
            "ostrc_severity",
            "open_episodes",
            "last_assessed",
        ],
        column_config={
            "name": st.column_config.TextColumn("Runner", width=170, help="Click to open"),
            "status": st.column_config.MultiselectColumn(
                "Status",
                options=list(chips.values()),
                color=CHIP_COLOURS,
                width=330,  # room for the availability chip, compliance and form beside it
                help=" · ".join(f"{chips[f]}: {labels[f]}" for f in chips),
            ),
            "adherence": st.column_config.NumberColumn(
                "Adherence",  # the window in the help: the header stays whole in its column
                format="%d %%",
                width="small",
                help=f"Planned sessions done over the last {t.adherence.window_days} days",
            ),
            "compliance": st.column_config.NumberColumn(
                "Compliance",
                format="%d %%",
                width="small",
                help=f"Over the last {t.adherence.window_days} days: minutes logged for the "
                "planned sessions ÷ minutes planned (TrainingPeaks' colours: "
                f"{compliance.legend()['green']})",
            ),
            "acwr": st.column_config.NumberColumn(
                "A:C", format="%.2f", width="small", help="Acute:chronic load (information)"
            ),
            "tsb": st.column_config.NumberColumn(
                "Form (TSB)",
                format="%+.0f",
                width="small",
                help="Fitness minus fatigue of yesterday (load, AU/day): describes load, no "
                "injury prediction",
            ),
            "monotony": st.column_config.NumberColumn("Monotony", format="%.1f", width="small"),
            "pain_during": st.column_config.NumberColumn(
                "Pain /10",
                format="%d",
                width="small",
                help=f"Worst pain during or after work over the last {t.pain.window_days} days",
            ),
            "wellness": st.column_config.NumberColumn(
                "Wellness /25", format="%d", width="small", help="Latest check-in, 5 items 1–5"
            ),
            "last_assessed": st.column_config.DateColumn("Assessed", format="D MMM YYYY"),
            **AVAILABILITY_COLUMNS,
        },
    )
    selection = picked.selection if picked else None
    rows = [*selection.rows, *(r for r, _ in selection.cells)] if selection else []
    return int(shown.iloc[rows[0]]["athlete_id"]) if rows else None


def pain_reasons(shown: pd.DataFrame) -> None:
    """Why each runner's pain is above the model, one line each, under the board."""
    for row in shown[shown["flag_pain"].fillna(False).astype(bool)].itertuples():
        st.markdown(f"**{md(str(row.name))}**: {md(str(row.pain_reason))}")
