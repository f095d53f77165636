"""What open injury episodes do to a runner's plan, and how available each runner is.

Pure: a plan, the version it was before any episode reshaped it (its base) and the open episodes
in; the plan the runner follows from a day on out. While an episode is open:
- `unavailable` pauses the running (runs and running drills); mobility and strength that spares
  the region stay;
- `modified` in a region running loads (the lower limb) makes the return-to-run ladder the
  running: each planned run becomes the ladder's current stage (`returntorun`), at most every
  other day, with its structured steps; before the first stage the running waits;
- `modified` elsewhere keeps the running, with the pain-led rules of protocols §5.
Every open episode's region is spared in strength work (`editing.spare_region`), and with a
lower-limb episode hops, pogos and fast drills wait (protocols §5, capacity before impact). When
no episode is open the base's sessions come back from that day on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from runform import editing, ostrc, painmodel, planconfig, returntorun, thresholds, workouts
from runform.exercises import Library, by_id, load_library
from runform.models import Plan, PlanSession
from runform.planning import minutes as exercise_minutes
from runform.vocab import (
    AVAILABILITY_LABELS,
    AVAILABILITY_RANK,
    LOWER_LIMB,
    REGION_LABELS,
    RUN_KINDS,
    Availability,
    label,
)

#: Every week note this module writes starts so, and is rewritten on each reshaping.
NOTE = "Health: "
#: Sessions that are running: paused while unavailable, the ladder's slots while modified.
RUNNING_KINDS: frozenset[str] = frozenset({*RUN_KINDS, "drills"})


def worst(statuses: Iterable[str]) -> Availability:
    """The least available of `statuses` ("full" when there are none)."""
    found = sorted(statuses, key=AVAILABILITY_RANK.__getitem__)
    return found[-1] if found else "full"  # type: ignore[return-value]


def uses_ladder(region: str, status: str) -> bool:
    """A modified episode in a region running loads: the ladder is the running."""
    return status == "modified" and region in LOWER_LIMB


@dataclass(frozen=True)
class Open:
    """An open episode as the plan reads it; `stage` is its ladder's (None: no ladder)."""

    episode_id: int
    region: str
    status: Availability
    title: str
    stage: int | None = None


@dataclass(frozen=True)
class Situation:
    """A runner's open episodes."""

    episodes: tuple[Open, ...] = ()

    def status(self) -> Availability:
        return worst(e.status for e in self.episodes)

    def ladder(self) -> Open | None:
        """The ladder the running follows: the lowest stage of the modified lower-limb
        episodes, when none is unavailable."""
        if self.status() == "unavailable":
            return None
        on = [e for e in self.episodes if uses_ladder(e.region, e.status)]
        return min(on, key=lambda e: (e.stage or 0, e.episode_id)) if on else None

    def running(self) -> str | None:
        """Why the running does not follow the plan's own rules now, or None when it does."""
        if self.status() == "unavailable":
            names = [e.title for e in self.episodes if e.status == "unavailable"]
            return f"running paused: {'; '.join(names)} (unavailable)"
        ladder = self.ladder()
        if ladder is not None:
            return (
                f"the return-to-run ladder leads the running ({ladder.title}): "
                f"{returntorun.stage_words(ladder.stage or 0).lower()}"
            )
        return None


@dataclass(frozen=True)
class Shaped:
    plan: Plan
    notes: list[str]  # what changed, in words (a version's note)


def shape(
    base: Plan,
    current: Plan,
    situation: Situation,
    from_day: date,
    equipment: set[str],
    lib: Library | None = None,
) -> Shaped:
    """The plan from `from_day` on, for the open episodes of `situation`.

    Before `from_day` the `current` plan stays as it is. From it on: with no open episode the
    `base`'s sessions come back; otherwise the running is taken from the base's runs (paused, or
    the ladder's stage at most every other day) and the other sessions from `current`, each
    sparing every open episode's region. Applying it again changes nothing.
    """
    lib = lib or load_library()
    plan = current.model_copy(deep=True)
    bases = {w.index: w for w in base.weeks}
    status = situation.status()
    ladder = situation.ladder()
    pacing = workouts.Pacing.make(planconfig.load_config(), plan.pace_min_per_km, None, None)
    cfg = returntorun.load()
    last_run: date | None = None
    notes: list[str] = []
    for w in plan.weeks:
        before = [s for s in w.sessions if s.date < from_day]
        w.notes = [n for n in w.notes if not n.startswith(NOTE)]
        for s in before:
            if s.kind in RUN_KINDS and (last_run is None or s.date > last_run):
                last_run = s.date
        source = bases.get(w.index)
        if source is None:
            continue
        later = [s.model_copy(deep=True) for s in source.sessions if s.date >= from_day]
        if not situation.episodes:
            w.sessions = before + later
            w.run_km = round(sum(s.run_km for s in w.sessions), 1)
            continue
        others = [
            s.model_copy(deep=True)
            for s in w.sessions
            if s.date >= from_day and s.kind not in RUNNING_KINDS
        ]
        planned_runs = [s for s in later if s.kind in RUNNING_KINDS]
        if not planned_runs and not others:
            w.sessions = before
            continue
        new_runs: list[PlanSession] = []
        if status == "unavailable" and planned_runs:
            w.notes.append(f"{NOTE}{situation.running()}.")
        elif ladder is not None and planned_runs:
            stage = ladder.stage or 0
            if stage == 0:
                w.notes.append(
                    f"{NOTE}no running yet ({ladder.title}): {returntorun.stage_words(0).lower()}."
                )
            for s in planned_runs:
                if stage == 0 or s.kind == "drills":
                    continue
                gap = cfg.ladder.min_days_between
                if last_run is not None and (s.date - last_run).days < gap:
                    continue
                new_runs.append(_ladder_session(s, stage, ladder.title, pacing, cfg))
                last_run = s.date
        else:
            new_runs = planned_runs
        lower = any(e.region in LOWER_LIMB for e in situation.episodes)
        for s in [*others, *new_runs]:
            if _spare(s, situation, equipment, lower, lib):
                editing.retime_session(s, plan.pace_min_per_km)
        w.sessions = before + sorted(
            [*new_runs, *others], key=lambda s: (s.date, s.kind not in RUN_KINDS)
        )
        w.run_km = round(sum(s.run_km for s in w.sessions), 1)
    notes.append(_summary(situation, from_day))
    return Shaped(plan=Plan.model_validate(plan.model_dump()), notes=notes)


def _ladder_session(
    s: PlanSession,
    stage: int,
    title: str,
    pacing: workouts.Pacing,
    cfg: returntorun.ReturnConfig,
) -> PlanSession:
    """A planned run made the ladder's stage: its steps, time and distance; warm-up and
    cool-down exercises kept, running drills left out."""
    w = returntorun.workout(stage, pacing, cfg)
    kept = [e for e in s.exercises if e.role in ("warmup", "cooldown")]
    own = sum(exercise_minutes(e) for e in kept)
    was = label({}, s.kind)
    return PlanSession(
        date=s.date,
        kind="easy_run",
        minutes=min(600, math.ceil(own + w.minutes)),
        run_km=round(w.km, 1),
        exercises=kept,
        steps=w.steps,
        reason=(
            f"Return to run ({title}), {returntorun.stage_words(stage, cfg).lower()} in place of "
            f"the {was} planned: easy, stop and walk if the pain passes "
            f"{returntorun.return_limit():g}/10; the ladder is a coaching convention "
            "(data/returntorun.toml)."
        ),
    )


def _spare(
    s: PlanSession,
    situation: Situation,
    equipment: set[str],
    lower: bool,
    lib: Library,
) -> bool:
    """Strength that spares each open episode's region; no impact or fast work with a
    lower-limb episode open (protocols §5: capacity before impact). Whether `s` changed."""
    was = list(s.exercises)
    for e in situation.episodes:
        head = f"{label(REGION_LABELS, e.region)} episode"
        for paused in editing.spare_region(s, e.region, equipment, head, lib):
            s.reason = (
                f"{s.reason} {head}: {paused.name} paused while the "
                f"{label(REGION_LABELS, e.region).lower()} settles (nothing that spares it)."
            ).strip()
    if lower:
        index = by_id(lib)
        s.exercises = [
            x
            for x in s.exercises
            if x.id not in index or not (index[x.id].impact or index[x.id].fast)
        ]
    return s.exercises != was


def _summary(situation: Situation, from_day: date) -> str:
    if not situation.episodes:
        return f"no open injury episode: the plan from before it resumes from {from_day:%a %d %b}"
    status = situation.status()
    what = situation.running() or "running as planned, strength sparing the region"
    return (
        f"{AVAILABILITY_LABELS[status].lower()} from {from_day:%a %d %b}: {what}"
        if status != "full"
        else f"full training from {from_day:%a %d %b}, strength sparing the region"
    )


# --- suggesting an episode ---------------------------------------------------------------------


def suggest(
    pain: pd.DataFrame, today: date, open_regions: Iterable[str]
) -> list[painmodel.Verdict]:
    """Regions whose pain the pain-monitoring model says regress in each of the last weeks
    (data/returntorun.toml [episodes]) and that no open episode covers: the latest verdict of
    each, to suggest an episode for."""
    if pain.empty:
        return []
    weeks = returntorun.load().episodes.suggest_after_weeks
    window = timedelta(days=thresholds.load().pain.window_days)
    covered = set(open_regions)
    out: list[painmodel.Verdict] = []
    for region in sorted(set(pain["region"]) - covered):
        found = [painmodel.verdict(pain, today - k * window, [region]) for k in range(weeks)]
        first = found[0]
        if first is not None and all(v is not None for v in found):
            out.append(first)
    return out


# --- the Team board -----------------------------------------------------------------------------


def team(
    runners: Sequence[int], episodes: pd.DataFrame, answers: pd.DataFrame, today: date
) -> pd.DataFrame:
    """Per runner: availability (the least available open episode; "full" without one), the
    open episodes in words, and the highest OSTRC-O2 severity of their latest answered week in
    the recent days (data/returntorun.toml), with whether it was a substantial problem."""
    rows = []
    recent = returntorun.load().episodes.ostrc_recent_days
    since = pd.Timestamp(today - timedelta(days=recent))
    # each runner's rows found once (a filter per runner made the board quadratic in the team)
    none = episodes.iloc[0:0]
    open_by_runner = dict(tuple(episodes.groupby("athlete_id"))) if not episodes.empty else {}
    if not answers.empty:
        answers = answers[pd.to_datetime(answers["week_start"]) >= since]
    answers_by_runner = dict(tuple(answers.groupby("athlete_id"))) if not answers.empty else {}
    for athlete_id in runners:
        mine = open_by_runner.get(athlete_id, none)
        titles = [
            label(REGION_LABELS, r["region"])
            + (f" ({r['side']})" if isinstance(r["side"], str) else "")
            + (f": {r['diagnosis']}" if r["diagnosis"] else "")
            + f" · {AVAILABILITY_LABELS[r['status']].lower()}"
            for _, r in mine.iterrows()
        ]
        severity, substantial = _latest_severity(answers_by_runner.get(athlete_id))
        rows.append(
            {
                "athlete_id": athlete_id,
                "availability": worst(mine["status"]) if not mine.empty else "full",
                "episodes": "; ".join(titles),
                "open_episodes": len(titles),
                "ostrc_severity": severity,
                "ostrc_substantial": substantial,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "athlete_id",
            "availability",
            "episodes",
            "open_episodes",
            "ostrc_severity",
            "ostrc_substantial",
        ],
    )


def _latest_severity(mine: pd.DataFrame | None) -> tuple[float | None, bool]:
    """The highest severity of a runner's latest answered week among `mine` (their recent
    answers), and whether any region of it was a substantial problem."""
    if mine is None or mine.empty:
        return None, False
    latest = mine[mine["week_start"] == mine["week_start"].max()]
    scored = [scored_row(r) for _, r in latest.iterrows()]
    return float(max(s.severity for s in scored)), any(s.substantial for s in scored)


def scored_row(row: pd.Series) -> ostrc.Score:
    """A stored row of answers (q1–q4) scored."""
    return ostrc.score({q: int(row[q]) for q in ostrc.QUESTION_IDS})


def trend(answers: pd.DataFrame) -> pd.DataFrame:
    """The OSTRC-O2 severity by week and region (for the Progress trend): week_start, region,
    severity, substantial, and each question's score."""
    columns = ["week_start", "region", "severity", "substantial", *ostrc.QUESTION_IDS]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for _, r in answers.iterrows():
        s = scored_row(r)
        out.append(
            {
                "week_start": r["week_start"],
                "region": r["region"],
                "severity": s.severity,
                "substantial": s.substantial,
                **s.scores,
            }
        )
    return pd.DataFrame(out, columns=columns)
