"""Compliance colours (runform.compliance): TrainingPeaks' bands at every edge, missed and
planned by the day, unplanned logs, and the Team board's two-week figure."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from runform import compliance, thresholds


def test_the_bands_are_trainingpeaks():
    c = thresholds.load().compliance
    assert (c.yellow_low, c.green_low, c.green_high, c.yellow_high) == (50, 80, 120, 150)
    assert "TrainingPeaks" in c.source


@pytest.mark.parametrize(
    ("pct", "band"),
    [
        (0, "red"),
        (49, "red"),
        (50, "yellow"),  # yellow_low, included
        (79, "yellow"),
        (80, "green"),  # green_low, included
        (100, "green"),
        (120, "green"),  # green_high, included
        (121, "yellow"),
        (150, "yellow"),  # yellow_high, included
        (151, "red"),
        (400, "red"),
    ],
)
def test_every_band_edge(pct, band):
    assert compliance.band(pct) == band


@pytest.mark.parametrize(
    ("done", "planned", "pct", "band"),
    [
        (39.75, 50, 80, "green"),  # 79.5 % rounds half up to 80: no gap between the bands
        (39.7, 50, 79, "yellow"),  # 79.4 %
        (60.2, 50, 120, "green"),  # 120.4 %
        (60.25, 50, 121, "yellow"),  # 120.5 % rounds up to 121
        (159, 200, 80, "green"),  # 79.5 % exactly in floating point too
        (24.75, 50, 50, "yellow"),  # 49.5 %
        (24.7, 50, 49, "red"),
        (75.25, 50, 151, "red"),  # 150.5 %
        (75.2, 50, 150, "yellow"),
    ],
)
def test_minutes_are_whole_percents_rounded_half_up(done, planned, pct, band):
    got = compliance.percent([done], [planned])[0]
    assert got == pct
    assert compliance.band(got) == band


def test_nothing_planned_has_no_percent_and_counts_as_done():
    assert np.isnan(compliance.percent([20], [0])[0])
    assert compliance.band(float("nan")) == "green"


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["athlete_id", "day", "planned", "planned_minutes", "done_minutes", "log_id"]
    ).astype({"log_id": "Int64"})


def test_statuses_by_the_day():
    today = date(2026, 3, 10)
    sessions = frame(
        [
            (1, pd.Timestamp("2026-03-09"), True, 60.0, 60.0, 1),  # done: green
            (1, pd.Timestamp("2026-03-09"), True, 60.0, 30.0, 2),  # 50 %: yellow
            (1, pd.Timestamp("2026-03-09"), True, 60.0, 20.0, 3),  # 33 %: red
            (1, pd.Timestamp("2026-03-09"), True, 60.0, None, None),  # yesterday: missed
            (1, pd.Timestamp("2026-03-10"), True, 60.0, None, None),  # today: still planned
            (1, pd.Timestamp("2026-03-11"), True, 60.0, None, None),  # tomorrow: planned
            (1, pd.Timestamp("2026-03-09"), False, None, 45.0, 4),  # no plan: unplanned
        ]
    )
    got = compliance.statuses(sessions, today).tolist()
    assert got == ["green", "yellow", "red", "missed", "planned", "planned", "unplanned"]


def test_the_team_figure_sums_the_last_two_weeks():
    """Planned 60 + 60 + 40 minutes in the 14 days before today, 66 and 30 done (the third
    missed): 96 / 160 = 60 % (yellow). Today's session and the unplanned log do not count."""
    today = date(2026, 3, 15)
    sessions = frame(
        [
            (1, pd.Timestamp("2026-03-01"), True, 60.0, 66.0, 1),
            (1, pd.Timestamp("2026-03-05"), True, 60.0, 30.0, 2),
            (1, pd.Timestamp("2026-03-14"), True, 40.0, None, None),
            (1, pd.Timestamp("2026-03-15"), True, 500.0, None, None),  # today
            (1, pd.Timestamp("2026-02-28"), True, 500.0, None, None),  # before the window
            (1, pd.Timestamp("2026-03-06"), False, None, 90.0, 3),  # unplanned
            (2, pd.Timestamp("2026-03-06"), False, None, 90.0, 4),  # nothing planned: no row
        ]
    )
    got = compliance.recent(sessions, today)
    assert got.to_dict("records") == [
        {
            "athlete_id": 1,
            "planned_minutes": 160.0,
            "done_minutes": 96.0,
            "compliance": 60.0,
            "band": "yellow",
        }
    ]


def test_the_legend_names_every_band_with_its_percents():
    words = compliance.legend()
    assert words["green"] == "Done as planned (80–120 % of the planned minutes)"
    assert words["yellow"] == "Done, off the plan (50–79 % or 121–150 %)"
    assert words["red"] == "Done, far off the plan (under 50 % or over 150 %)"
    assert set(words) == {"green", "yellow", "red", "missed", "planned", "unplanned"}
