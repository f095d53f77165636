"""The training log: sessions (typed or from a watch file), the next-morning pain check, the
daily wellness check-in and comments; after each session, the next dose as a proposed version.

A session is the runner's truth and commits on its own; the proposal is a second step, retried
when another device's proposal took the same version number and reported apart when it still
fails, so a page never says "nothing saved" about a session that was saved.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from runform import activities, fitfile, matching, painmodel, plantext, progression
from runform.errors import Conflict, InvalidInput, NotFound, StorageUnavailable
from runform.exercises import by_id, load_library
from runform.models import (
    Comment,
    MorningPain,
    Plan,
    PlannedRef,
    PlanSession,
    SessionLog,
    Wellness,
)
from runform.services import injuries, reviews
from runform.services import plans as plan_service
from runform.services.checks import is_coach, validated
from runform.store import athletes, logs, plans
from runform.store.connection import Connection, check_athlete, transaction
from runform.vocab import KIND_LABELS, RUN_KINDS, label

PROPOSAL_TRIES = 3
COMMENT_RULE = "Write a comment of 1 to 2,000 characters."


class LogSaved(BaseModel):
    """A session stored, and what it changed in the plan."""

    log_id: int
    next_dose: progression.Progression | None = None
    #: The session is saved; only the next-dose proposal failed, for this reason.
    proposal_problem: str | None = None
    #: What the watch file told about itself ("no distance recorded: logged as 0 km").
    file_notes: list[str] = []
    #: The decision subjects the saved session concerns (`progression.concerns`): the page says
    #: each of their decisions, and the other unchanged ones in one line. Not part of the output
    #: (the command line prints the four fields above).
    logged: list[str] = Field(default_factory=list, exclude=True)


def with_summary(raw: dict[str, Any], summary: fitfile.RunSummary) -> dict[str, Any]:
    """The log's fields filled from a watch file's summary (whatever the file's format)."""
    figures = {
        k: v
        for k, v in summary.model_dump().items()
        if k in SessionLog.model_fields and v is not None
    }
    return {
        **raw,
        **figures,
        "run_km": round(summary.distance_km, 2),
        "minutes": round(summary.minutes, 1),
        "fit_sha256": summary.sha256,
    }


def _with_watch_file(raw: dict[str, Any], data: bytes) -> tuple[dict[str, Any], pd.DataFrame, list]:
    """The log's fields filled from a watch file (FIT, GPX or TCX), its series and its notes."""
    try:
        summary, records = activities.decode(data, run_declared=raw.get("kind") in RUN_KINDS)
    except fitfile.FitError as e:
        raise e.under("fit") from e
    return with_summary(raw, summary), records, list(summary.notes)


def log_session(con: Connection, raw: dict[str, Any], fit: bytes | None = None) -> LogSaved:
    """Store a session (the same submission twice is stored once), then propose the next dose.

    A watch file (`fit`: FIT, GPX or TCX bytes) fills the run's figures and keeps its record
    series; a file already logged for this runner, or another file of the same run, is a
    `Conflict` (`logs.DuplicateFile`).
    """
    records, notes = None, list[str]()
    if fit is not None:
        raw, records, notes = _with_watch_file(raw, fit)
    log = validated(SessionLog, raw)
    log_id = logs.save(con, log, records)
    settle_after(con, log.athlete_id, log.day)
    dose, problem = propose_after(con, log.athlete_id, log.day)
    return LogSaved(
        log_id=log_id,
        next_dose=dose,
        proposal_problem=problem,
        file_notes=notes,
        logged=_concerns(log),
    )


def update_log(con: Connection, log_id: int, raw: dict[str, Any]) -> LogSaved:
    """Replace a session's contents (its comments and watch-file series stay).

    A changed `planned` is the runner changing an import's match (`matching`): it must be a
    session planned that day, and a run takes the planned run's kind, so the plan counts it done.
    """
    before = get(con, log_id)
    kept = {"fit_sha256": before.fit_sha256, "started_at": before.started_at}
    log = validated(SessionLog, {**raw, **kept, "heart_rate_bpm": before.heart_rate_bpm})
    check_athlete(con, log.athlete_id)
    if log.planned is not None and log.planned != before.planned:
        log = _matched(con, log)
    logs.update(con, log_id, log)
    settle_after(con, log.athlete_id, log.day)
    dose, problem = propose_after(con, log.athlete_id, log.day)
    return LogSaved(log_id=log_id, next_dose=dose, proposal_problem=problem, logged=_concerns(log))


def _matched(con: Connection, log: SessionLog) -> SessionLog:
    """`log` fulfilling the planned session it names, in that session's kind; InvalidInput
    when no such session is planned that day or the kinds cannot match."""
    day = planned_on(con, log.athlete_id, log.day)
    wanted = next((p for p in day if p.ref == log.planned), None)
    if wanted is None:
        raise InvalidInput({"planned": f"no such session is planned on {log.day:%Y-%m-%d}"})
    kind = wanted.session.kind
    if not matching.same_family(log.kind, kind):
        raise InvalidInput(
            {
                "planned": f"a {label(KIND_LABELS, log.kind).lower()} session cannot fulfil the "
                f"planned {label(KIND_LABELS, kind).lower()} session"
            }
        )
    return log.model_copy(update={"kind": kind})


def candidates(con: Connection, athlete_id: int, day: date) -> list[matching.Candidate]:
    """The day's planned sessions as `matching.match` weighs them."""
    return [
        matching.Candidate(
            ref=p.ref,
            kind=p.session.kind,
            minutes=p.session.minutes,
            done=p.done,
            title=plantext.session_title(p.session),
        )
        for p in planned_on(con, athlete_id, day)
    ]


def _concerns(log: SessionLog) -> list[str]:
    return sorted(
        progression.concerns(log.kind, log.run_km, (e.exercise_id for e in log.exercises))
    )


def delete_log(con: Connection, log_id: int) -> SessionLog:
    """Delete a session with everything in it (exercises, pain, series, comments); returns what
    was deleted."""
    gone = get(con, log_id)  # NotFound, or Forbidden through the cursor's scope
    logs.delete(con, log_id)
    return gone


def record_morning_pain(con: Connection, raw: dict[str, Any]) -> MorningPain:
    """The next-morning pain check."""
    pain = validated(MorningPain, raw)
    logs.save_morning_pain(con, pain)
    settle_after(con, pain.athlete_id, pain.day)
    return pain


def record_no_morning_pain(con: Connection, athlete_id: int, day: date) -> list[MorningPain]:
    """The next-morning check answered "no pain": a score of 0 for each region the
    pain-monitoring model watches (`painmodel.watched`) and each open injury episode's region
    and side, in one transaction; nothing for a runner with no pain to follow (no region gets a
    baseline the runner did not report). NotFound for a runner who does not exist."""
    check_athlete(con, athlete_id)
    if not athletes.exists(con, athlete_id):
        raise NotFound(f"There is no runner {athlete_id} (deleted, or a wrong id).")
    reports = logs.pain_history(con, athlete_id)
    followed = painmodel.watched(reports, day)
    followed += [pair for pair in injuries.open_regions(con, athlete_id) if pair not in followed]
    answers = [
        validated(
            MorningPain,
            {"athlete_id": athlete_id, "day": day, "region": r, "side": side, "score": 0},
        )
        for r, side in followed
    ]
    with transaction(con):
        for answer in answers:
            logs.save_morning_pain(con, answer)
    settle_after(con, athlete_id, day)
    return answers


def record_wellness(con: Connection, raw: dict[str, Any]) -> Wellness:
    """The daily wellness check-in: a second one the same day replaces the first."""
    check = validated(Wellness, raw)
    logs.save_wellness(con, check)
    return check


def add_comment(con: Connection, log_id: int, body: str) -> int:
    """A comment on a session, written as whoever is signed in (the runner or the coach)."""
    author = "coach" if is_coach(con) else "runner"
    try:
        comment = validated(Comment, {"log_id": log_id, "author": author, "body": body})
    except InvalidInput as e:
        if "body" in e.fields:  # too short or too long: one rule, said once
            raise InvalidInput({"body": COMMENT_RULE}) from e
        raise
    get(con, log_id)
    return logs.add_comment(con, comment)


# --- the next dose -----------------------------------------------------------------------------


def propose(con: Connection, athlete_id: int, today: date) -> progression.Progression | None:
    """Progression over the runner's current plan; a change is saved as a proposed version."""
    plan_id = plans.latest_for(con, athlete_id)
    profile = athletes.get(con, athlete_id)
    plan = plans.load(con, plan_id) if plan_id is not None else None
    if plan_id is None or plan is None or profile is None:
        return None  # no plan (or it was deleted meanwhile): nothing to progress
    result = progression.progress(
        plan,
        today,
        logs.exercise_history(con, athlete_id),
        logs.pain_history(con, athlete_id),
        logs.runs(con, athlete_id),
        set(profile.equipment),
        logs.intake_run(con, athlete_id),
        reviews.last_monotony(con, athlete_id, today),
        governed=injuries.running_governed(con, athlete_id),
    )
    if result.changed():
        summary = "; ".join(f"{d.name} {d.action}" for d in result.decisions if d.before != d.after)
        note = f"progression after {today:%d %b}: {summary}"
        plan_service.propose(con, plan_id, result.plan, note)
    return result


def settle_after(con: Connection, athlete_id: int, today: date) -> None:
    """The return-to-run ladder's decision after a log or a morning check
    (`injuries.settle`). What was logged is saved already: a clash with another device or an
    unusable file leaves the ladder where it is until the next log."""
    with suppress(Conflict, StorageUnavailable):
        injuries.settle(con, athlete_id, today)


def propose_after(
    con: Connection, athlete_id: int, today: date
) -> tuple[progression.Progression | None, str | None]:
    """`propose`, retried on a version-number race; a failure is returned, never raised."""
    for attempt in range(PROPOSAL_TRIES):
        try:
            return propose(con, athlete_id, today), None
        except Conflict as e:
            if attempt == PROPOSAL_TRIES - 1:
                return None, f"another device changed the plan at the same moment ({e})"
        except StorageUnavailable as e:
            return None, str(e)
    return None, None


# --- reading -----------------------------------------------------------------------------------


def get(con: Connection, log_id: int) -> SessionLog:
    found = logs.get(con, log_id)
    if found is None:
        raise NotFound(f"Session {log_id} is not in the log (deleted on another device?).")
    return found


def find(con: Connection, log_id: int) -> SessionLog | None:
    """A session, or None when it is not in the log (deleted on another device)."""
    return logs.get(con, log_id)


def exercise_name(exercise_id: str) -> str:
    """A logged exercise's name from the library (an id it no longer has, in words)."""
    found = by_id(load_library()).get(exercise_id)
    return found.name if found is not None else label({}, exercise_id)


def recent(con: Connection, athlete_id: int, limit: int = 30) -> pd.DataFrame:
    """The runner's latest sessions, newest first, with their load and worst pain."""
    return logs.recent(con, athlete_id, limit)


def comments(con: Connection, log_id: int) -> pd.DataFrame:
    return logs.comments(con, log_id)


@dataclass(frozen=True)
class Planned:
    """A planned session of the day as the Log page offers it, with whether it is done."""

    ref: PlannedRef
    session: PlanSession
    done: bool


def planned_on(con: Connection, athlete_id: int, day: date) -> list[Planned]:
    """The sessions planned for `day` by the plan in force, each marked done or not by the
    one rule the reviews use (`store.logs.planned_on`)."""
    out: list[Planned] = []
    loaded: dict[tuple[int, int], Plan] = {}
    for r in logs.planned_on(con, athlete_id, day).to_dict("records"):
        key = (int(r["plan_id"]), int(r["version"]))
        if key not in loaded:
            loaded[key] = plan_service.load(con, *key)
        week, position = int(r["week"]), int(r["position"])
        session = next(w for w in loaded[key].weeks if w.index == week).sessions[position]
        ref = PlannedRef(plan_id=key[0], version=key[1], week=week, position=position)
        out.append(Planned(ref=ref, session=session, done=bool(r["done"])))
    return out
