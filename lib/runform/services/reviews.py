"""Reviews: one runner's progress against their baseline, and the team board.

The store gives inputs (SQL); the rules (`load`, `team`, `adherence`, `wellness`, `compare`,
`milestones`) compute from them; this module only puts the two together, so the Progress page,
the Team page and the CLI all read the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from runform import adherence, clock, compare, load, milestones, team, thresholds, wellness
from runform.compensations import load_rules
from runform.screens import load_catalogue
from runform.services import cadence as cadence_service
from runform.store import loads, review
from runform.store.connection import Connection

# --- training load (protocols §3) --------------------------------------------------------------


def daily_load(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """One row per runner and day, rest days as 0: athlete_id, day, load (AU), run_km."""
    return loads.daily(con, athlete_ids, start, end)[["athlete_id", "day", "load", "run_km"]]


def weekly_load(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """`load.weekly` over every ISO week that overlaps `start`..`end` (default today), whole."""
    end = end or clock.today()
    monday = None if start is None else start - timedelta(days=start.weekday())
    return load.weekly(loads.daily(con, athlete_ids, monday, end), end)


def acwr(
    con: Connection,
    athlete_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    chronic_days: int | None = None,
    acute_days: int | None = None,
) -> pd.DataFrame:
    """`load.acute_chronic` over the whole history up to `end`; `start` only trims the rows
    returned, so a value on `start` is the same as without it."""
    df = load.acute_chronic(loads.daily(con, athlete_ids, None, end), acute_days, chronic_days)
    if start is not None:
        df = df[df["day"] >= pd.Timestamp(start)]
    return df.reset_index(drop=True)


def last_monotony(con: Connection, athlete_id: int, today: date) -> float | None:
    """Last calendar week's monotony (Foster 1998); None when it is not known."""
    monday, sunday = load.last_complete_week(today)
    weekly = weekly_load(con, [athlete_id], start=monday, end=sunday)
    if weekly.empty or pd.isna(weekly["monotony"].iloc[-1]):
        return None
    return float(weekly["monotony"].iloc[-1])


# --- the team ----------------------------------------------------------------------------------


def team_inputs(con: Connection, today: date) -> team.Inputs:
    """Every input of the team board's flags on `today` (SQL only: the rules come after)."""
    t = thresholds.load()
    since = today - timedelta(days=min(t.spike.recent_days, t.wellness.recent_days) - 1)
    monday, _ = load.last_complete_week(today)
    first_load = min(today - timedelta(days=t.acwr.chronic_days - 1), monday)
    first_pain = today - timedelta(days=t.pain.window_days + t.pain.baseline_days)
    return team.Inputs(
        today=today,
        runners=review.runners(con),
        daily=loads.daily(con, None, first_load, today),
        runs=review.runs(con, since - timedelta(days=t.spike.window_days), today),
        pain=review.pain(con, None, first_pain, today),
        planned=review.adherence(con, None, *adherence.window(today)),
        wellness=review.wellness(con, None, wellness.first_needed(since), today),
    )


def team_board(con: Connection, today: date) -> pd.DataFrame:
    """One row per runner with every status flag (`team.table`)."""
    return team.table(team_inputs(con, today))


def team_adherence(con: Connection, start: date, end: date) -> pd.DataFrame:
    """Planned, done and adherence per runner and week (`adherence.weekly`)."""
    return adherence.weekly(review.adherence(con, None, start, end))


@dataclass(frozen=True)
class TeamAdherence:
    """Planned and done sessions of every runner in a range, by week and over the whole range."""

    weeks: pd.DataFrame  # `team_adherence` with each runner's name
    runners: pd.DataFrame  # `adherence.per_runner` with each runner's name


def team_adherence_summary(con: Connection, start: date, end: date) -> TeamAdherence:
    """`team_adherence` from `start` to `end`, and its sum per runner, each named."""
    weeks = team_adherence(con, start, end)
    names = review.runners(con)[["athlete_id", "name"]]
    return TeamAdherence(
        weeks=weeks.merge(names, on="athlete_id"),
        runners=adherence.per_runner(weeks).merge(names, on="athlete_id"),
    )


def prevalence(con: Connection) -> pd.DataFrame:
    """How many runners have each finding at their latest assessment, with its title."""
    found = review.prevalence(con)
    return found.assign(finding=found["finding_id"].map(load_rules().titles()))


# --- one runner --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Findings:
    """Every finding of every assessment, what was measured, and the latest two compared."""

    by_assessment: pd.DataFrame  # review.findings_by_assessment
    measured: pd.DataFrame  # review.measured_screens
    # compare.status_table: only what was measured again is compared; with each finding's
    # `title` and the names of the screens not measured again (`not_remeasured_names`)
    status: pd.DataFrame
    latest_on: date | None


def findings(con: Connection, athlete_id: int) -> Findings:
    found = review.findings_by_assessment(con, athlete_id)
    measured = review.measured_screens(con, athlete_id)
    latest = measured["assessed_on"].max() if not measured.empty else None
    status = compare.status_table(found, measured)
    titles = load_rules().titles()
    return Findings(
        by_assessment=found,
        measured=measured,
        status=status.assign(
            title=[titles.get(f, f) for f in status["finding_id"]],
            not_remeasured_names=pd.Series(
                [compare.screen_names(s) for s in status["not_remeasured"]],
                index=status.index,
                dtype=object,
            ),
        ),
        latest_on=None if latest is None or pd.isna(latest) else pd.Timestamp(latest).date(),
    )


def screens(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Every numeric screen value by assessment and side, with its baseline."""
    return review.screens(con, athlete_id)


def screen_progress(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The screens re-tested at the latest assessment against their first value."""
    return compare.screen_progress(
        review.screens(con, athlete_id), review.measured_screens(con, athlete_id)
    )


def asymmetry(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The left–right difference of each two-sided screen at each assessment."""
    return review.asymmetry(con, athlete_id)


@dataclass(frozen=True)
class ScreenReview:
    """A runner's screens over time; the number screens, progress and asymmetry carry each
    screen's name (`screen`)."""

    values: pd.DataFrame  # `screens`: every value
    numbers: pd.DataFrame  # the values of number screens (what the charts draw)
    progress: pd.DataFrame  # `screen_progress`
    asymmetry: pd.DataFrame  # `asymmetry`


def screen_review(con: Connection, athlete_id: int) -> ScreenReview:
    """The runner's screen values, their progress and asymmetry, in one read."""
    specs = load_catalogue().by_id()

    def named(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(screen=[specs[s].name if s in specs else s for s in frame["screen_id"]])

    values = review.screens(con, athlete_id)
    kinds = values["screen_id"].map(lambda s: specs[s].kind if s in specs else None)
    return ScreenReview(
        values=values,
        numbers=named(values[kinds == "number"]),
        progress=named(compare.screen_progress(values, review.measured_screens(con, athlete_id))),
        asymmetry=named(review.asymmetry(con, athlete_id)),
    )


def planned(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """The planned sessions in force from `start` to `end`, each with whether it was done."""
    return review.adherence(con, athlete_id, start, end)


@dataclass(frozen=True)
class Adherence:
    """The planned sessions of a range, each with whether it was done, and their counts."""

    planned: pd.DataFrame  # `planned`
    weekly: pd.DataFrame  # `adherence.weekly`
    by_kind: pd.DataFrame  # `adherence.by_kind`


def adherence_summary(
    con: Connection, athlete_id: int, start: date, end: date, today: date
) -> Adherence:
    """The sessions planned from `start` to `end` (up to yesterday: today is not over), counted
    by week and by kind of session."""
    rows = planned(con, athlete_id, start, min(end, today - timedelta(days=1)))
    return Adherence(planned=rows, weekly=adherence.weekly(rows), by_kind=adherence.by_kind(rows))


def pain(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    return review.pain(con, athlete_id, start, end)


@dataclass(frozen=True)
class FormReview:
    """Running form by week, and cadence against speed (each run against its own target)."""

    weeks: pd.DataFrame
    cadence: cadence_service.CadenceReview


def form(con: Connection, athlete_id: int, start: date, end: date) -> FormReview:
    """Running form by week (cadence, contact, oscillation, consistency, long-run fade), and each
    run's cadence at its speed against the runner's own target (`runform.cadence`)."""
    return FormReview(
        weeks=review.form(con, athlete_id, start, end),
        cadence=cadence_service.review(con, athlete_id, start, end),
    )


def wellness_trend(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """Check-ins from `start` to `end` against the runner's own rolling baseline."""
    rows = review.wellness(con, athlete_id, wellness.first_needed(start), end)
    scored = wellness.baseline(rows)
    return scored[scored["day"] >= pd.Timestamp(start)].reset_index(drop=True)


def progression_history(con: Connection, athlete_id: int) -> pd.DataFrame:
    """Every plan change after the first version: when, which plan, its status and note."""
    return review.progression_history(con, athlete_id)


def small_wins(
    con: Connection, athlete_id: int, start: date, end: date, today: date
) -> list[milestones.Milestone]:
    """The milestones of the range, most recent first (`milestones.find`)."""
    seen = findings(con, athlete_id)
    return milestones.find(
        seen.status,
        seen.latest_on,
        review.screens(con, athlete_id),
        review.adherence(con, athlete_id, start, min(end, today - timedelta(days=1))),
        review.long_runs(con, athlete_id, start, end),
        review.form(con, athlete_id, start, end),
        today,
        measured=seen.measured,
        cadence_runs=cadence_service.review(con, athlete_id, start, end).runs,
    )


def retested(con: Connection, athlete_id: int) -> tuple[date | None, list[str]]:
    """The latest assessment's day and the names of the screens it measured again."""
    on, again = compare.latest_retested(review.measured_screens(con, athlete_id))
    return on, compare.screen_names(again)
