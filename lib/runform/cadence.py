"""The runner's own step rate, matched to speed, and the cadence target that follows from it.

Why: step rate rises with running speed, so a fixed mark (the rule table's 166 spm, a
convention) or a week-to-week comparison of runs at different paces misleads. Cadence
retraining aims 5–10 % above the runner's own easy-pace step rate at the same speed
(Heiderscheit et al. 2011; Barton et al. 2016; shared/protocols.md §5). The baseline is the
median step rate of the runner's easy runs, grouped by average speed, from the weeks before
any retraining; every caller (findings, the planner's metronome blocks, the metronome, the
"cadence target held" small win, the Form charts) reads its target here. All numbers come from
data/planning.toml [cadence]; the fallback mark without known runs from data/rules.toml.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from runform.compensations import threshold
from runform.planconfig import load_config

RUN_COLUMNS = ("day", "kind", "run_km", "minutes", "cadence_spm")
"""The runs every function here reads (`store.logs.cadence_runs`): one row per logged run."""
EASY = "easy_run"

Basis = Literal["runs", "intake", "convention"]


class Settings(BaseModel):
    """data/planning.toml [cadence], as this module uses it."""

    model_config = ConfigDict(frozen=True)
    low: float
    high: float
    bin_kmh: float
    min_runs: int
    baseline_days: int
    source: str
    convention: str


def settings() -> Settings:
    c = load_config()["cadence"]
    return Settings(**{k: c[k] for k in Settings.model_fields})


class SpeedBin(BaseModel):
    """Easy runs whose average speed fell in [low_kmh, high_kmh), and their median step rate."""

    model_config = ConfigDict(frozen=True)
    low_kmh: float
    high_kmh: float
    runs: int
    step_rate: float

    @property
    def centre(self) -> float:
        return (self.low_kmh + self.high_kmh) / 2

    def words(self) -> str:
        return f"{self.low_kmh:.1f}–{self.high_kmh:.1f} km/h"


class Baseline(BaseModel):
    """The runner's own step rate by speed: the bins with enough easy runs, slowest first."""

    model_config = ConfigDict(frozen=True)
    bins: tuple[SpeedBin, ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    runs: int = 0  # easy runs with a cadence in the window

    @property
    def known(self) -> bool:
        return bool(self.bins)

    def usual(self) -> SpeedBin | None:
        """The speed the runner runs easy most often (most runs; a tie: the slower bin)."""
        return max(self.bins, key=lambda b: (b.runs, -b.low_kmh)) if self.bins else None


class Target(BaseModel):
    """A step-rate target: `low_spm`–`high_spm`, and what it rests on (`basis`)."""

    model_config = ConfigDict(frozen=True)
    low_spm: float
    high_spm: float
    basis: Basis
    baseline_spm: float | None = None  # the runner's own rate it is 5–10 % above
    speed: SpeedBin | None = None  # the speed it is matched to (basis "runs")
    at_kmh: float | None = None  # the speed asked for, when not the bin's own

    def range_text(self) -> str:
        return f"{self.low_spm:.0f}–{self.high_spm:.0f} spm"

    def words(self) -> str:
        """Where the target comes from, in a sentence's words."""
        if self.basis == "runs" and self.speed is not None and self.baseline_spm is not None:
            where = f"{self.at_kmh:.1f} km/h" if self.at_kmh is not None else self.speed.words()
            return (
                f"5–10 % over the runner's own {self.baseline_spm:.0f} spm at {where} "
                f"(median of {self.speed.runs} easy runs)"
            )
        if self.basis == "intake" and self.baseline_spm is not None:
            return (
                f"5–10 % over the {self.baseline_spm:.0f} spm measured at easy pace at the "
                "assessment (no easy runs at a known speed yet)"
            )
        return "the rule table's mark, a coaching convention (no runs with a cadence known yet)"

    def metronome_bpm(self) -> int:
        """The metronome's beats a minute: the target's low end first (one step a beat)."""
        return round(self.low_spm)


def speed_kmh(run_km: float, minutes: float) -> float | None:
    """A run's average speed; None without distance or time."""
    if not (run_km and minutes) or not math.isfinite(run_km / minutes) or run_km <= 0:
        return None
    return run_km / (minutes / 60.0)


def with_speed(runs: pd.DataFrame) -> pd.DataFrame:
    """`runs` (RUN_COLUMNS) with `speed_kmh`, keeping only runs with a cadence and a speed."""
    if runs.empty:
        return pd.DataFrame(columns=[*RUN_COLUMNS, "speed_kmh"])
    out = runs.loc[:, list(RUN_COLUMNS)].copy()
    km = pd.to_numeric(out["run_km"], errors="coerce")
    minutes = pd.to_numeric(out["minutes"], errors="coerce")
    out["speed_kmh"] = km / (minutes / 60.0)
    out["cadence_spm"] = pd.to_numeric(out["cadence_spm"], errors="coerce")
    ok = (km > 0) & (minutes > 0) & (out["cadence_spm"] > 0) & np.isfinite(out["speed_kmh"])
    out["day"] = pd.to_datetime(out["day"]).dt.date
    return out[ok].reset_index(drop=True)


def window(runs: pd.DataFrame, anchor: date | None, cfg: Settings | None = None) -> pd.DataFrame:
    """The easy runs the baseline reads: the `baseline_days` before `anchor` (the runner's first
    assessment) when any easy run falls before it, else the first `baseline_days` of easy runs
    logged. Either way, the runner's habit before any retraining, so the target holds still
    while the runner works toward it."""
    cfg = cfg or settings()
    easy = with_speed(runs)
    easy = easy[easy["kind"] == EASY]
    if easy.empty:
        return easy
    span = timedelta(days=cfg.baseline_days)
    before = easy[easy["day"] < anchor] if anchor is not None else easy.iloc[0:0]
    if not before.empty:
        return before[before["day"] >= anchor - span]  # type: ignore[operator]
    first = min(easy["day"])
    return easy[easy["day"] < first + span]


def baseline(
    runs: pd.DataFrame, anchor: date | None = None, cfg: Settings | None = None
) -> Baseline:
    """The runner's step rate by speed, from the easy runs of the baseline `window`.

    Each run falls in the speed bin floor(speed ÷ bin_kmh); a bin with at least `min_runs` runs
    counts, its step rate the median of theirs.
    """
    cfg = cfg or settings()
    easy = window(runs, anchor, cfg)
    if easy.empty:
        return Baseline()
    index = np.floor(easy["speed_kmh"].to_numpy(dtype=float) / cfg.bin_kmh + 1e-9).astype(int)
    bins = []
    for k in sorted(set(index.tolist())):
        rates = easy["cadence_spm"].to_numpy(dtype=float)[index == k]
        if len(rates) >= cfg.min_runs:
            bins.append(
                SpeedBin(
                    low_kmh=round(k * cfg.bin_kmh, 6),
                    high_kmh=round((k + 1) * cfg.bin_kmh, 6),
                    runs=len(rates),
                    step_rate=float(np.median(rates)),
                )
            )
    return Baseline(
        bins=tuple(bins), first_day=min(easy["day"]), last_day=max(easy["day"]), runs=len(easy)
    )


def at_speed(b: Baseline, kmh: float) -> tuple[float, SpeedBin] | None:
    """The runner's own step rate at `kmh`, and the bin it comes from (the nearer bin when two
    are interpolated between). Inside a counted bin, that bin's rate; between two, the straight
    line between their centres; outside the speeds the runner has run easy, None (no matched
    speed: nothing to compare with)."""
    for s in b.bins:
        if s.low_kmh <= kmh < s.high_kmh:
            return s.step_rate, s
    slower = [s for s in b.bins if s.high_kmh <= kmh]
    faster = [s for s in b.bins if s.low_kmh > kmh]
    if not slower or not faster:
        return None
    lo, hi = slower[-1], faster[0]
    share = (kmh - lo.centre) / (hi.centre - lo.centre)
    rate = lo.step_rate + share * (hi.step_rate - lo.step_rate)
    return rate, lo if share <= 0.5 else hi


def target_at(b: Baseline, kmh: float | None, cfg: Settings | None = None) -> Target | None:
    """The target at `kmh` (None: at the runner's usual easy speed); None without a baseline
    there."""
    cfg = cfg or settings()
    usual = b.usual()
    if usual is None:
        return None
    if kmh is None:
        rate, where, at = usual.step_rate, usual, None
    else:
        found = at_speed(b, kmh)
        if found is None:
            return None
        (rate, where), at = found, kmh
    return Target(
        low_spm=rate * cfg.low,
        high_spm=rate * cfg.high,
        basis="runs",
        baseline_spm=rate,
        speed=where,
        at_kmh=at,
    )


def target(b: Baseline, intake_spm: float | None = None, cfg: Settings | None = None) -> Target:
    """The runner's target at their usual easy speed; without easy runs at a known speed, 5–10 %
    over the intake's easy-pace cadence; without that either, the rule table's mark (166 spm, a
    convention: the fallback only when nothing of the runner's own is known)."""
    cfg = cfg or settings()
    own = target_at(b, None, cfg)
    if own is not None:
        return own
    if intake_spm is not None and intake_spm > 0:
        return Target(
            low_spm=intake_spm * cfg.low,
            high_spm=intake_spm * cfg.high,
            basis="intake",
            baseline_spm=float(intake_spm),
        )
    mark = fallback_spm()
    return Target(low_spm=mark, high_spm=mark, basis="convention")


def fallback_spm() -> float:
    """The overstriding rule's cadence mark (data/rules.toml, a convention): the one number."""
    return threshold("overstriding", "cadence_spm")


def per_run(runs: pd.DataFrame, b: Baseline, cfg: Settings | None = None) -> pd.DataFrame:
    """Each run with a cadence and a speed, its own target's low end at that speed (`target_spm`;
    the fallback mark for every run without a baseline, NaN outside the runner's known speeds),
    `held` (cadence at or above it; NA where there is no target) and `own` (the target is the
    runner's own, not the fallback)."""
    cfg = cfg or settings()
    out = with_speed(runs)
    if b.known:
        found = [at_speed(b, float(v)) for v in out["speed_kmh"]]
        out["target_spm"] = [np.nan if f is None else f[0] * cfg.low for f in found]
    else:
        out["target_spm"] = fallback_spm()
    held = out["cadence_spm"] >= out["target_spm"]
    out["held"] = held.astype("boolean").where(out["target_spm"].notna())
    out["own"] = b.known
    return out
