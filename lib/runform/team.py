"""The team view: one row per runner with every status flag, each computed by its rule module.

The store gives inputs (daily loads, runs, pain reports, planned sessions, wellness rows, the
latest assessments); the flags come from the same functions the Progress charts, the planner and
progression use: `load` (acute:chronic, monotony), `spike`, `painmodel`, `adherence`,
`wellness`, and `thresholds.reassessment`. Whole frames at a time where the rule allows it, so a
team of hundreds stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from runform import adherence, load, painmodel, spike, thresholds, wellness
from runform.vocab import DURING, FLAGS, MORNING

COLUMNS = [
    "athlete_id",
    "name",
    "last_assessed",
    "acwr_raw",
    "monotony_raw",
    "acwr",
    "monotony",
    "spike_ratio",
    "pain_during",
    "pain_morning",
    "pain_reason",
    "planned_14d",
    "done_14d",
    "adherence",
    "wellness",
    "wellness_baseline",
    *FLAGS,
]


def percent(share: float) -> str:
    return f"{share * 100:g} %"


def flag_labels() -> dict[str, str]:
    """Each flag in words, its numbers read from data/thresholds.toml."""
    t = thresholds.load()
    return {
        "flag_pain": "Pain above the model",
        "flag_spike": f"Run beyond the {t.spike.window_days}-day spike",
        "flag_acwr": f"Acute:chronic above {t.acwr.flag:g} (information)",
        "flag_monotony": f"Monotony above {t.monotony.flag:g}",
        "flag_adherence": f"Adherence under {percent(t.adherence.low)} "
        f"({t.adherence.window_days} days)",
        "flag_wellness": "Wellness well below baseline",
        "flag_reassess": "Reassessment due",
        "flag_new_high": "New high finding",
    }


def flag_chips() -> dict[str, str]:
    """Each flag in a word or two, for the board's status chips (the numbers from
    data/thresholds.toml); `flag_labels` has the full sentence."""
    t = thresholds.load()
    return {
        "flag_pain": "Pain",
        "flag_spike": "Run spike",
        "flag_acwr": f"A:C > {t.acwr.flag:g}",
        "flag_monotony": f"Monotony > {t.monotony.flag:g}",
        "flag_adherence": f"Adherence < {percent(t.adherence.low)}",
        "flag_wellness": "Wellness low",
        "flag_reassess": "Reassess",
        "flag_new_high": "New high finding",
    }


def status(board: pd.DataFrame) -> pd.Series:
    """Each runner's raised flags, in the board's order (FLAGS), as a list of flag ids: the
    board's status chips. A runner with none has an empty list."""
    raised = board[list(FLAGS)].fillna(False).astype(bool)
    return pd.Series(
        [[f for f in FLAGS if row[f]] for _, row in raised.iterrows()],
        index=board.index,
        dtype=object,
    )


def _by_athlete(frame: pd.DataFrame, **columns: str) -> pd.DataFrame:
    """`frame` indexed by athlete_id with its columns renamed (new=old)."""
    return frame.set_index("athlete_id")[list(columns.values())].set_axis(list(columns), axis=1)


def _half_up(values: pd.Series, digits: int) -> pd.Series:
    """Rounded half away from zero for display, as a coach (and SQL `round`) would: 0.625 → 0.63."""
    scale = 10.0**digits
    v = pd.Series(values, dtype=float)
    return np.sign(v) * np.floor(v.abs() * scale + 0.5 + 1e-9) / scale


@dataclass(frozen=True)
class Inputs:
    """What the store gives the team view on `today`; every flag is computed from these."""

    today: date
    runners: pd.DataFrame  # review.runners
    daily: pd.DataFrame  # loads.daily over the acute:chronic window and the last complete week
    runs: pd.DataFrame  # review.runs: the last week's runs and the spike window before them
    pain: pd.DataFrame  # review.pain: the pain model's week and baseline days
    planned: pd.DataFrame  # review.adherence over the adherence window
    wellness: pd.DataFrame  # review.wellness: the last week and the baseline days before it


def acute_chronic_now(daily: pd.DataFrame, today: date) -> pd.DataFrame:
    """Today's rolling acute:chronic ratio and flag per runner (`load.acute_chronic`). A day's
    rolling ratio depends only on its last `chronic_days` calendar days (and whether there are
    that many), so a calendar cut there gives the value of the whole history."""
    first = today - timedelta(days=thresholds.load().acwr.chronic_days - 1)
    ratios = load.acute_chronic(daily[daily["day"] >= pd.Timestamp(first)], ewma=False)
    now = ratios[ratios["day"] == pd.Timestamp(today)]
    return _by_athlete(now, acwr_raw="ratio", flag_acwr="flag")


def monotony_last_week(daily: pd.DataFrame, today: date) -> pd.DataFrame:
    """Monotony of the last complete Monday–Sunday week per runner (`load.weekly`)."""
    monday, sunday = load.last_complete_week(today)
    days = daily["day"]
    week = load.weekly(
        daily[(days >= pd.Timestamp(monday)) & (days <= pd.Timestamp(sunday))], sunday
    )
    return _by_athlete(week, monotony_raw="monotony", flag_monotony="monotony_flag")


def spikes(runs: pd.DataFrame, today: date) -> pd.DataFrame:
    """The largest run ÷ 30-day longest of each runner's logged runs of the last week
    (`spike.ratios`), and whether one broke the rule (`spike.breaks`)."""
    scored = spike.ratios(runs, today - timedelta(days=thresholds.load().spike.recent_days - 1))
    if scored.empty:
        return pd.DataFrame(columns=["spike_ratio", "flag_spike"])
    g = scored.groupby("athlete_id")
    return pd.DataFrame(
        {"spike_ratio": g["ratio"].max().astype(float), "flag_spike": g["spike"].any()}
    )


def pain(reports: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per runner: the worst pain during or after work and next morning of the last week, and
    `painmodel.verdict` over every region (its text when it says regress)."""
    columns = ["pain_during", "pain_morning", "pain_reason", "flag_pain"]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(reports["day"])
    week = pd.Timestamp(today - timedelta(days=thresholds.load().pain.window_days))
    recent = reports[days > week]
    during = recent[recent["when"].isin(DURING)].groupby("athlete_id")["score"].max()
    morning = recent[recent["when"] == MORNING].groupby("athlete_id")["score"].max()
    # The model decides on the last week's reports (the days before are only its baseline), so
    # a runner without one this week has no verdict: ask only about the others.
    asked = reports[reports["athlete_id"].isin(reports.loc[days > week, "athlete_id"])]
    verdicts = {a: painmodel.verdict(r, today) for a, r in asked.groupby("athlete_id")}
    said = {a: v for a, v in verdicts.items() if v is not None}
    out = pd.DataFrame({"pain_during": during, "pain_morning": morning})
    out = out.join(pd.Series({a: v.text for a, v in said.items()}, name="pain_reason"), how="outer")
    out["flag_pain"] = out.index.isin(list(said))
    return out[columns]


def adherence_now(planned: pd.DataFrame, today: date) -> pd.DataFrame:
    """Planned and done sessions of the flag's window and the flag (`adherence.recent`)."""
    return _by_athlete(
        adherence.recent(planned, today),
        planned_14d="planned",
        done_14d="done",
        adherence="adherence",
        flag_adherence="flag",
    )


def wellness_now(rows: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each runner's latest check-in of the last week against their own baseline
    (`wellness.baseline`)."""
    scored = wellness.baseline(rows)
    since = pd.Timestamp(today - timedelta(days=thresholds.load().wellness.recent_days - 1))
    latest = scored[scored["day"] >= since].groupby("athlete_id").tail(1)
    return _by_athlete(latest, wellness="total", wellness_baseline="baseline", flag_wellness="flag")


def table(data: Inputs) -> pd.DataFrame:
    """One row per runner (by name) with every status flag; numbers rounded for display
    (`acwr_raw` and `monotony_raw` keep the values the flags read)."""
    today = data.today
    parts: list[pd.DataFrame | pd.Series] = [
        acute_chronic_now(data.daily, today),
        monotony_last_week(data.daily, today),
        spikes(data.runs, today),
        pain(data.pain, today),
        adherence_now(data.planned, today),
        wellness_now(data.wellness, today),
    ]
    out = data.runners.set_index("athlete_id").join(parts)
    out["acwr"] = _half_up(out["acwr_raw"], 2)
    out["monotony"] = _half_up(out["monotony_raw"], 2)
    out["spike_ratio"] = _half_up(out["spike_ratio"], 2)
    out["adherence"] = _half_up(out["adherence"], 2)
    out["wellness_baseline"] = _half_up(out["wellness_baseline"], 1)
    due = thresholds.load().reassessment.due_days
    age = pd.Timestamp(today) - pd.to_datetime(out["last_assessed"])
    out["flag_reassess"] = ~(age < pd.Timedelta(days=due))  # never assessed: due
    out["flag_new_high"] = out.pop("new_high") > 0
    for column in FLAGS:
        out[column] = out[column].astype("boolean").fillna(False).astype(bool)
    return out.reset_index()[COLUMNS]
