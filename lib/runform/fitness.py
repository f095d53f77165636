"""Fitness, fatigue and form from the daily session load, done and planned (protocols §3).

The fitness-fatigue model in the form of TrainingPeaks' Performance Management Chart (Banister
et al. 1975; Allen & Coggan 2010), fed with Foster's session RPE × minutes instead of TSS, with
the time constants of data/thresholds.toml [fitness] (42 and 7 days):

    CTL_today = CTL_yesterday + (load_today − CTL_yesterday) / 42     fitness
    ATL_today = ATL_yesterday + (load_today − ATL_yesterday) / 7      fatigue
    TSB_today = CTL_yesterday − ATL_yesterday                         form

both starting at 0 the day before the record starts. That is an exponentially weighted mean with
λ = 1/N, not the 2/(N+1) of the acute:chronic ratio (`runform.load`), because the PMC defines it
so. The input is the daily calendar of `store.loads.daily` (rest days as 0), the same load the
weekly charts and acute:chronic read. Ahead of today the load is projected from the planned
sessions: planned minutes × the session's target RPE (`target_rpe`). It describes load; it is no
prediction of injury or performance (`thresholds.load().fitness.note_text()`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd

from runform import load, thresholds, workouts
from runform.models import PlanSession
from runform.planconfig import load_config

COLUMNS = ["athlete_id", "day", "load", "ctl", "atl", "tsb", "projected"]
PLANNED_COLUMNS = ["athlete_id", "day", "minutes", "rpe"]
#: A running kind saved without steps (not what the planner writes) is projected at the middle of
#: its band in data/planning.toml [rpe]; this names the band of each.
RUN_RPE_BANDS = {
    "easy_run": "easy",
    "long_run": "long",
    "tempo": "threshold",
    "intervals": "interval",
    "race": "race",
    "cross_training": "cross_training",
}


def pmc(
    daily: pd.DataFrame, ctl_days: int | None = None, atl_days: int | None = None
) -> pd.DataFrame:
    """Per athlete and day: load, fitness (ctl), fatigue (atl) and form (tsb), by the module's
    formulas. `daily` is whole calendars sorted by athlete and day (`store.loads.daily`, maybe
    with planned days after them, marked by a `projected` column; without it none is)."""
    cfg = thresholds.load().fitness
    ctl_days = ctl_days or cfg.ctl_days
    atl_days = atl_days or cfg.atl_days
    if daily.empty:
        return pd.DataFrame(columns=COLUMNS)
    d = daily[["athlete_id", "day", "load"]].assign(
        day=pd.to_datetime(daily["day"]),
        load=daily["load"].astype(float),
        projected=daily["projected"].astype(bool) if "projected" in daily else False,
        seed=False,
    )
    # A zero day before each athlete's first: pandas' recursive EWM (adjust=False) starts from the
    # first value, so a 0 there makes CTL and ATL start at 0 as the PMC does.
    first = d.groupby("athlete_id", sort=False).head(1)
    seeds = first.assign(day=first["day"] - pd.Timedelta(days=1), load=0.0, seed=True)
    d = pd.concat([seeds, d]).sort_values(["athlete_id", "day"], kind="stable")
    d = d.reset_index(drop=True)
    by_athlete = d.groupby("athlete_id", sort=False)["load"]
    for column, days in (("ctl", ctl_days), ("atl", atl_days)):
        weighted = by_athlete.ewm(alpha=1 / days, adjust=False).mean()
        d[column] = weighted.reset_index(level=0, drop=True)
    d["tsb"] = (d["ctl"] - d["atl"]).groupby(d["athlete_id"], sort=False).shift(1)
    return d[~d["seed"]][COLUMNS].reset_index(drop=True)


def target_rpe(session: PlanSession, pace_min_per_km: float) -> float:
    """The session RPE a planned session aims at: the time-weighted middle of its steps' RPE
    bands (a step by distance timed at its pace, else `pace_min_per_km`; a step until the lap
    button has no time and does not weigh), else `[fitness.planned_rpe]` of its kind (a
    convention), else the middle of its kind's band in data/planning.toml [rpe]."""
    weight = total = 0.0
    for step in workouts.flat(session.steps):
        if step.target is None:
            continue
        minutes = workouts.steps_minutes([step], pace_min_per_km)
        weight += minutes
        total += minutes * sum(step.target.rpe) / 2
    if weight > 0:
        return total / weight
    table = thresholds.load().fitness.planned_rpe.model_dump()
    if session.kind in table:
        return float(table[session.kind])
    low, high = load_config()["rpe"][RUN_RPE_BANDS[session.kind]]
    return (low + high) / 2


def planned_rows(
    athlete_id: int, sessions: Iterable[PlanSession], pace_min_per_km: float
) -> pd.DataFrame:
    """Planned sessions as the projection reads them: athlete_id, day, minutes, target rpe."""
    rows = [
        (athlete_id, pd.Timestamp(s.date), float(s.minutes), target_rpe(s, pace_min_per_km))
        for s in sessions
    ]
    return pd.DataFrame(rows, columns=PLANNED_COLUMNS)


def projected_daily(planned: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """One row per athlete and day from `first` to `last`: the planned load (`load.session_load`
    of planned minutes and target RPE; days without a session 0), `projected` true."""
    if planned.empty or last < first:
        return pd.DataFrame(columns=["athlete_id", "day", "load", "projected"])
    days = pd.date_range(first, last, freq="D")
    out = []
    for athlete_id, rows in planned.groupby("athlete_id", sort=True):
        per_day = (
            rows.assign(load=load.session_load(rows["rpe"], rows["minutes"]))
            .groupby("day")["load"]
            .sum()
            .reindex(days, fill_value=0.0)
        )
        out.append(pd.DataFrame({"athlete_id": athlete_id, "day": days, "load": per_day.values}))
    frame = pd.concat(out, ignore_index=True)
    return frame.assign(projected=True)


def with_projection(daily: pd.DataFrame, planned: pd.DataFrame, today: date) -> pd.DataFrame:
    """`pmc` over the record up to `today` (`store.loads.daily`) and, after it, the planned
    sessions' load up to the last planned day (`planned_rows`); planned days on or before today
    are the record's business and left out. A runner with no record starts from today at 0."""
    future = planned[pd.to_datetime(planned["day"]) > pd.Timestamp(today)]
    last = pd.to_datetime(future["day"]).max() if not future.empty else None
    ahead = (
        projected_daily(future, today + timedelta(days=1), last.date())
        if last is not None
        else pd.DataFrame(columns=["athlete_id", "day", "load", "projected"])
    )
    past = daily[["athlete_id", "day", "load"]].assign(
        day=pd.to_datetime(daily["day"]), projected=False
    )
    frames = [f for f in (past, ahead) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    both = pd.concat(frames, ignore_index=True).sort_values(["athlete_id", "day"], kind="stable")
    return pmc(both.reset_index(drop=True))


def latest_form(daily: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each athlete's form (TSB) on `today` from their record (`store.loads.daily` up to today,
    rest days included, so a runner who stopped logging shows the fatigue gone): athlete_id, tsb."""
    if daily.empty:
        return pd.DataFrame(columns=["athlete_id", "tsb"])
    curves = pmc(daily)
    on = curves[curves["day"] == pd.Timestamp(today)]
    return on[["athlete_id", "tsb"]].reset_index(drop=True).astype({"tsb": float})


def note() -> str:
    """What the chart shows and what it is not, for the caption under it."""
    f = thresholds.load().fitness
    return f"{f.note_text()} Source: {f.source}."
