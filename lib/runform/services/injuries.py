"""Injury episodes, the weekly health check (OSTRC-O2) and the return-to-run ladder.

Every write validates, checks who asks (a runner's link writes only its own runner's episodes:
`Forbidden` otherwise), writes in one transaction with what it changes in the plan: a status
change, a closed episode or a ladder stage reshapes the runner's current plan from that day
(`availability.shape`) as a new accepted version whose note says why. The runner or the coach
may open, update and close an episode; only the coach sets a ladder stage by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel

from runform import availability, ostrc, painmodel, planconfig, returntorun, workouts
from runform.errors import InvalidInput, NotFound
from runform.health import (
    CapacityEntry,
    Episode,
    EpisodeClose,
    EpisodeInput,
    EpisodeUpdate,
    OstrcEntry,
    StageOverride,
)
from runform.models import Step
from runform.services.checks import coach_only, is_coach, validated
from runform.store import athletes, injuries, logs, plans, review
from runform.store.connection import Connection, check_athlete, transaction
from runform.vocab import AVAILABILITY_LABELS, Author, Availability

M = TypeVar("M", bound=BaseModel)

# --- results -----------------------------------------------------------------------------------


class PlanChanged(BaseModel):
    """The plan version an episode's change wrote."""

    plan_id: int
    version: int
    note: str


class EpisodeSaved(BaseModel):
    """An episode written, and what it changed in the plan (None: nothing to change)."""

    episode_id: int
    status: Availability
    closed: bool = False
    plan: PlanChanged | None = None
    ladder: list[str] = []  # what the ladder did, in words

    def message(self) -> str:
        what = "closed" if self.closed else AVAILABILITY_LABELS[self.status].lower()
        parts = [f"Episode saved ({what})."]
        parts += self.ladder
        if self.plan is not None:
            parts.append(f"Plan v{self.plan.version}: {self.plan.note}.")
        return " ".join(parts)


class OstrcSaved(BaseModel):
    region: str
    week_start: date
    severity: int
    problem: bool
    substantial: bool


@dataclass(frozen=True)
class Ladder:
    """An episode's return-to-run ladder now: its stage, the next decision, the stage's steps,
    the capacity tests' latest results and the stage changes so far."""

    stage: int
    since: date
    words: str
    decision: returntorun.Decision
    steps: list[Step]
    tests: dict[str, bool]
    events: pd.DataFrame
    top: int


@dataclass(frozen=True)
class EpisodeView:
    episode: Episode
    history: pd.DataFrame  # injury_status rows: day, status, reason, author
    ladder: Ladder | None


@dataclass(frozen=True)
class Overview:
    """What the Health page shows for one runner on a day."""

    status: Availability
    episodes: list[EpisodeView]
    suggestions: list[painmodel.Verdict]
    concerns: list[str]  # regions the weekly check asks about first
    answered: dict[str, ostrc.Score]  # this week's answers, by region
    week_start: date
    running: str | None = None  # why the running follows an episode, if it does
    tests: list[returntorun.Test] = field(default_factory=list)


class StatusChange(BaseModel):
    """One status of an episode's history, in force from `day`."""

    day: date
    status: Availability
    reason: str
    author: str


class LadderEvent(BaseModel):
    """One stage change of a return-to-run ladder."""

    day: date
    stage: int
    action: str
    rule: str
    reason: str
    author: str


class LadderReport(BaseModel):
    """A `Ladder` as plain data."""

    stage: int
    top: int
    since: date
    words: str
    decision: returntorun.Decision
    steps: list[Step]
    tests: dict[str, bool]
    events: list[LadderEvent]


class EpisodeReport(Episode):
    """An episode with its status history and, while it leads the running, its ladder."""

    history: list[StatusChange]
    ladder: LadderReport | None


class HealthReport(BaseModel):
    """The `Overview` of one runner on a day as plain data (what the command line prints)."""

    athlete_id: int
    today: date
    status: Availability
    running: str | None
    episodes: list[EpisodeReport]
    suggestions: list[painmodel.Verdict]
    concerns: list[str]
    week_start: date
    answered: dict[str, ostrc.Score]
    capacity_tests: list[returntorun.Test]


# --- who asks ----------------------------------------------------------------------------------


def _author(con: Connection) -> Author:
    return "coach" if is_coach(con) else "runner"


def _own(con: Connection, episode_id: int) -> Episode:
    """The episode, after checking the asker may change it (Forbidden for another runner's)."""
    athlete_id = injuries.owner(con, episode_id)
    if athlete_id is None:
        raise NotFound(f"There is no injury episode {episode_id} (deleted, or a wrong id).")
    check_athlete(con, athlete_id)
    found = injuries.get(con, episode_id)
    assert found is not None  # the owner's cursor sees it
    return found


def _runner(con: Connection, athlete_id: int) -> None:
    check_athlete(con, athlete_id)
    if not athletes.exists(con, athlete_id):
        raise NotFound(f"There is no runner {athlete_id} (deleted, or a wrong id).")


def _open_only(ep: Episode, field_name: str) -> None:
    if not ep.is_open():
        raise InvalidInput(
            {
                field_name: f"this episode was closed on {ep.ended_on:%d %b %Y}: nothing can "
                "change it now; open a new episode if the problem is back"
            }
        )


# --- writing -----------------------------------------------------------------------------------


def open_episode(con: Connection, raw: dict[str, Any], day: date) -> EpisodeSaved:
    """A new episode (by the runner or the coach), its status in force from `day`."""
    ep = validated(EpisodeInput, raw)
    _runner(con, ep.athlete_id)
    author = _author(con)
    with transaction(con):
        episode_id = injuries.create(con, ep, day, author)
        _start_ladders(con, ep.athlete_id, day, author)
        changed = _reshape(con, ep.athlete_id, day, f"{ep.region.replace('_', ' ')} episode opened")
    return EpisodeSaved(episode_id=episode_id, status=ep.status, plan=changed)


def update_episode(con: Connection, episode_id: int, raw: dict[str, Any]) -> EpisodeSaved:
    """A status change from `raw["day"]` (with its reason) and the episode's words brought up to
    date; a status, diagnosis or notes left out of `raw` stay as they are. A closed episode
    changes no more."""
    ep = _own(con, episode_id)
    kept = {"status": ep.status, "diagnosis": ep.diagnosis, "notes": ep.notes}
    change = validated(EpisodeUpdate, {**kept, **raw})
    _open_only(ep, "status")
    if change.day < ep.onset:
        raise InvalidInput({"day": f"must not be before the onset ({ep.onset:%d %b %Y})"})
    author = _author(con)
    changed = None
    with transaction(con):
        injuries.update_words(con, episode_id, change.diagnosis, change.notes)
        if change.status != ep.status:
            injuries.add_status(con, episode_id, change.day, change.status, change.reason, author)
            _start_ladders(con, ep.athlete_id, change.day, author)
            why = f"{ep.place().lower()} {AVAILABILITY_LABELS[change.status].lower()}"
            changed = _reshape(con, ep.athlete_id, change.day, why)
    return EpisodeSaved(episode_id=episode_id, status=change.status, plan=changed)


def close_episode(con: Connection, episode_id: int, raw: dict[str, Any]) -> EpisodeSaved:
    """The episode ends on `ended_on` (not before its onset); the plan from before it resumes
    from the next day when no other episode is open."""
    ep = _own(con, episode_id)
    end = validated(EpisodeClose, raw)
    _open_only(ep, "ended_on")
    if end.ended_on < ep.onset:
        raise InvalidInput(
            {
                "ended_on": f"must not be before the onset ({ep.onset:%d %b %Y}): the episode "
                "cannot end before it started"
            }
        )
    with transaction(con):
        injuries.close(con, episode_id, end.ended_on)
        reason = end.reason or "episode closed"
        injuries.add_status(con, episode_id, end.ended_on, "full", reason, _author(con))
        changed = _reshape(
            con, ep.athlete_id, end.ended_on + timedelta(days=1), f"{ep.place().lower()} closed"
        )
    return EpisodeSaved(episode_id=episode_id, status="full", closed=True, plan=changed)


def record_ostrc(con: Connection, raw: dict[str, Any]) -> OstrcSaved:
    """One week's OSTRC-O2 answers for one region (answering the week again replaces them)."""
    problems = {
        f"answers.{k}": v for k, v in ostrc.answer_problems(dict(raw.get("answers") or {})).items()
    }
    try:
        entry = validated(OstrcEntry, raw)
    except InvalidInput as e:
        raise InvalidInput({**e.fields, **problems}) from e
    if problems:
        raise InvalidInput(problems)
    _runner(con, entry.athlete_id)
    scored = ostrc.score(entry.answers)
    injuries.save_ostrc(con, entry, scored.answers)
    return OstrcSaved(
        region=entry.region,
        week_start=entry.week(),
        severity=scored.severity,
        problem=scored.problem,
        substantial=scored.substantial,
    )


def record_capacity(con: Connection, episode_id: int, raw: dict[str, Any]) -> EpisodeSaved:
    """Capacity tests done (passed: without pain); the ladder may move on at once."""
    ep = _own(con, episode_id)
    entry = validated(CapacityEntry, raw)
    _open_only(ep, "results")
    with transaction(con):
        injuries.save_capacity(con, episode_id, entry)
        moved, changed = _settle(con, ep.athlete_id, entry.day)
    return EpisodeSaved(episode_id=episode_id, status=ep.status, plan=changed, ladder=moved)


def override_stage(con: Connection, episode_id: int, raw: dict[str, Any]) -> EpisodeSaved:
    """The coach sets the ladder's stage, with a reason (kept with the ladder's history)."""
    coach_only(con, "set a return-to-run stage")
    ep = _own(con, episode_id)
    choice = validated(StageOverride, raw)
    _open_only(ep, "stage")
    if not availability.uses_ladder(ep.region, ep.status):
        raise InvalidInput(
            {
                "stage": "this episode has no return-to-run ladder (a modified lower-limb "
                "episode has one)"
            }
        )
    with transaction(con):
        injuries.add_ladder_event(
            con, episode_id, choice.day, choice.stage, "override", "coach", choice.reason, "coach"
        )
        changed = _reshape(
            con,
            ep.athlete_id,
            choice.day + timedelta(days=1),
            f"coach set stage {choice.stage}: {choice.reason}",
        )
    said = f"{returntorun.stage_words(choice.stage)} (set by the coach: {choice.reason})."
    return EpisodeSaved(episode_id=episode_id, status=ep.status, plan=changed, ladder=[said])


def settle(con: Connection, athlete_id: int, today: date) -> list[str]:
    """After a log or a morning check: each ladder's decision on `today`; an advance or a regress
    is kept and reshapes the plan from the next day. Returns what moved, in words."""
    check_athlete(con, athlete_id)
    with transaction(con):
        moved, _ = _settle(con, athlete_id, today)
    return moved


def open_regions(con: Connection, athlete_id: int) -> list[tuple[str, str | None]]:
    """The regions (with sides) of the runner's open episodes: the next-morning check follows
    them as it follows the regions the pain model watches."""
    return [(e.region, e.side) for e in injuries.for_athlete(con, athlete_id) if e.is_open()]


def running_governed(con: Connection, athlete_id: int) -> str | None:
    """Why the runner's running follows an episode now (paused or the ladder), or None."""
    return _situation(con, athlete_id).running()


def reshape_new_plan(con: Connection, athlete_id: int, start: date) -> PlanChanged | None:
    """A plan just built, shaped by the runner's open episodes from its start (a new version;
    the first stays as the planner built it, to come back to when they close)."""
    return _reshape(con, athlete_id, start, "built while an injury episode is open")


# --- the ladder and the plan (inside the caller's transaction) ---------------------------------


def _position(con: Connection, episode_id: int) -> returntorun.Position | None:
    events = injuries.ladder_events(con, episode_id)
    if events.empty:
        return None
    last = events.iloc[-1]
    return returntorun.Position(stage=int(last["stage"]), since=pd.Timestamp(last["day"]).date())


def _tests(con: Connection, episode_id: int, today: date) -> dict[str, bool]:
    """Each capacity test's latest result on or before `today`."""
    done = injuries.capacity(con, episode_id)
    if done.empty:
        return {}
    done = done[pd.to_datetime(done["day"]).dt.date <= today]
    latest = done.groupby("test_id", sort=False).head(1)  # newest first already
    return {str(t): bool(p) for t, p in zip(latest["test_id"], latest["passed"], strict=True)}


def _open(con: Connection, athlete_id: int) -> list[Episode]:
    return [e for e in injuries.for_athlete(con, athlete_id) if e.is_open()]


def _situation(con: Connection, athlete_id: int) -> availability.Situation:
    """The open episodes that change the training (one back to full training changes nothing,
    though it stays open for the coach to close)."""
    return availability.Situation(
        tuple(
            availability.Open(
                episode_id=e.id,
                region=e.region,
                status=e.status,
                title=e.title(),
                stage=None if (p := _position(con, e.id)) is None else p.stage,
            )
            for e in _open(con, athlete_id)
            if e.status != "full"
        )
    )


def _start_ladders(con: Connection, athlete_id: int, day: date, author: str) -> None:
    """A modified lower-limb episode without a ladder starts one, before the first run."""
    for e in _open(con, athlete_id):
        if availability.uses_ladder(e.region, e.status) and _position(con, e.id) is None:
            injuries.add_ladder_event(
                con,
                e.id,
                day,
                0,
                "start",
                "return-to-run ladder",
                "The episode is modified training in a region running loads: running returns "
                "by the ladder, after the capacity tests.",
                author,
            )


def _settle(con: Connection, athlete_id: int, today: date) -> tuple[list[str], PlanChanged | None]:
    moved: list[str] = []
    pain = logs.pain_history(con, athlete_id)
    for e in _open(con, athlete_id):
        at = _position(con, e.id)
        if at is None or not availability.uses_ladder(e.region, e.status):
            continue
        runs = injuries.run_days(con, athlete_id, at.since, today)
        d = returntorun.decide(at, e.region, today, runs, pain, _tests(con, e.id, today))
        if d.action != "hold":
            injuries.add_ladder_event(
                con, e.id, today, d.stage_to, d.action, d.rule, d.reason, "ladder"
            )
            moved.append(d.reason)
    if not moved:
        return moved, None
    return moved, _reshape(con, athlete_id, today + timedelta(days=1), "return-to-run ladder")


def _reshape(con: Connection, athlete_id: int, day: date, why: str) -> PlanChanged | None:
    """The runner's current plan shaped by their open episodes from `day` (see
    `availability.shape`), saved as an accepted version; None when it changes nothing."""
    plan_id = plans.latest_for(con, athlete_id)
    if plan_id is None:
        return None
    current = plans.load(con, plan_id)
    version = plans.current_version(con, plan_id)
    if current is None or version is None:
        return None
    situation = _situation(con, athlete_id)
    found = injuries.base(con, plan_id)
    if found is None and not situation.episodes:
        return None
    if found is None:
        injuries.set_base(con, plan_id, version, day)
        base = current
    else:
        base = plans.load(con, plan_id, found[0]) or current
    if not situation.episodes:
        injuries.drop_base(con, plan_id)
    profile = athletes.get(con, athlete_id)
    equipment: set[str] = set(profile.equipment) if profile else set()
    shaped = availability.shape(base, current, situation, day, equipment)
    if shaped.plan == current:
        return None
    note = f"Health: {why}; {'; '.join(shaped.notes)}"
    new = plans.add_version(con, plan_id, shaped.plan, note)
    return PlanChanged(plan_id=plan_id, version=new, note=note)


# --- reading -----------------------------------------------------------------------------------


def _ladder(con: Connection, e: Episode, athlete_id: int, today: date) -> Ladder | None:
    """The episode's ladder while it leads the running (modified, lower limb), else None."""
    at = _position(con, e.id)
    if at is None or not availability.uses_ladder(e.region, e.status):
        return None
    cfg = returntorun.load()
    tests = _tests(con, e.id, today)
    runs = injuries.run_days(con, athlete_id, at.since, today)
    decision = returntorun.decide(
        at, e.region, today, runs, logs.pain_history(con, athlete_id), tests
    )
    steps: list[Step] = []
    if at.stage >= 1:
        plan_id = plans.latest_for(con, athlete_id)
        plan = plans.load(con, plan_id) if plan_id is not None else None
        pace = plan.pace_min_per_km if plan is not None else 6.0
        pacing = workouts.Pacing.make(planconfig.load_config(), pace, None, None)
        steps = returntorun.workout(at.stage, pacing, cfg).steps
    return Ladder(
        stage=at.stage,
        since=at.since,
        words=returntorun.stage_words(at.stage, cfg),
        decision=decision,
        steps=steps,
        tests=tests,
        events=injuries.ladder_events(con, e.id),
        top=cfg.top(),
    )


def overview(con: Connection, athlete_id: int, today: date) -> Overview:
    """The runner's episodes (open first) with their history and ladder, the episodes the pain
    model suggests, and the week's health check."""
    found = injuries.for_athlete(con, athlete_id)
    views = [
        EpisodeView(
            episode=e,
            history=injuries.status_history(con, e.id),
            ladder=_ladder(con, e, athlete_id, today) if e.is_open() else None,
        )
        for e in found
    ]
    opened = [e for e in found if e.is_open()]
    pain = logs.pain_history(con, athlete_id)
    monday = today - timedelta(days=today.weekday())
    answers = injuries.ostrc(con, athlete_id, monday, today)
    watched = [r for r, _ in painmodel.watched(pain, today)] if not pain.empty else []
    concerns = list(dict.fromkeys([*(e.region for e in opened), *watched]))
    return Overview(
        status=availability.worst(e.status for e in opened),
        episodes=views,
        suggestions=availability.suggest(pain, today, [e.region for e in opened]),
        concerns=concerns,
        answered={str(r["region"]): availability.scored_row(r) for _, r in answers.iterrows()},
        week_start=monday,
        running=_situation(con, athlete_id).running(),
        tests=capacity_tests(),
    )


def _records(frame: pd.DataFrame, model: type[M]) -> list[M]:
    """A frame's rows as `model`s, its `day` column as dates."""
    rows = frame.to_dict("records")
    return [model.model_validate({**r, "day": pd.Timestamp(r["day"]).date()}) for r in rows]


def report(con: Connection, athlete_id: int, today: date) -> HealthReport:
    """`overview` as plain data, for a runner who exists (NotFound otherwise)."""
    _runner(con, athlete_id)
    view = overview(con, athlete_id, today)
    return HealthReport(
        athlete_id=athlete_id,
        today=today,
        status=view.status,
        running=view.running,
        episodes=[
            EpisodeReport(
                **v.episode.model_dump(),
                history=_records(v.history, StatusChange),
                ladder=None
                if v.ladder is None
                else LadderReport(
                    stage=v.ladder.stage,
                    top=v.ladder.top,
                    since=v.ladder.since,
                    words=v.ladder.words,
                    decision=v.ladder.decision,
                    steps=v.ladder.steps,
                    tests=v.ladder.tests,
                    events=_records(v.ladder.events, LadderEvent),
                ),
            )
            for v in view.episodes
        ],
        suggestions=view.suggestions,
        concerns=view.concerns,
        week_start=view.week_start,
        answered=view.answered,
        capacity_tests=view.tests,
    )


def capacity_tests() -> list[returntorun.Test]:
    """The return-to-run ladder's capacity tests (data/returntorun.toml)."""
    return list(returntorun.load().capacity.tests)


def questionnaire() -> ostrc.Questionnaire:
    """The OSTRC-O2 questions and answers (data/ostrc.toml)."""
    return ostrc.load()


def worded(text: str, region: str) -> str:
    """A question or an answer of the questionnaire for `region` ("knee problems")."""
    return ostrc.worded(text, region)


def stage_words(stage: int) -> str:
    """A ladder stage in words ("Stage 2 of 8: 2 min run / 1 min walk × 7")."""
    return returntorun.stage_words(stage)


def ostrc_trend(con: Connection, athlete_id: int, start: date, end: date) -> pd.DataFrame:
    """The runner's OSTRC-O2 severity by week and region (`availability.trend`)."""
    return availability.trend(injuries.ostrc(con, athlete_id, start, end))


def team_health(con: Connection, today: date) -> pd.DataFrame:
    """Each runner's availability, open episodes and latest OSTRC-O2 severity (the Team board's
    availability columns; `availability.team`)."""
    days = returntorun.load().episodes.ostrc_recent_days
    return availability.team(
        review.runners(con)["athlete_id"].tolist(),
        injuries.open_episodes(con),
        injuries.ostrc(con, None, today - timedelta(days=days), today),
        today,
    )
