"""Plans: build one from the latest assessment, edit and adapt it, decide on proposed changes,
export it. Every change is a new version; nothing a coach built is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel

from runform import editing, export, watch, workouts
from runform.errors import InvalidInput, NotFound
from runform.exercises import by_id, load_library
from runform.models import Plan, PlanOptions, PlanSession, PlanWeek
from runform.planning import PlanError, build_plan
from runform.plantext import kind_label
from runform.services import cadence as cadence_service
from runform.services import injuries
from runform.services.checks import coach_only, validated
from runform.store import assessments, athletes, logs, plans
from runform.store.connection import Connection, transaction
from runform.vocab import ADAPT_LABELS, LOGGED_ROLES, WEEKDAYS, AdaptEvent, Region

Format = Literal["csv", "ics", "pdf", "fit"]
#: The options form's fields: a planner refusal about one of them is shown at it.
OPTION_FIELDS: tuple[str, ...] = tuple(PlanOptions.model_fields)


class PlanSaved(BaseModel):
    """A plan version written: the plan, its new version and what changed."""

    plan_id: int
    version: int
    note: str


class ExportFile(BaseModel):
    """A file's name and media type: what a download button says before the file is built."""

    filename: str
    mime: str


class Export(ExportFile):
    """A file for download or for the CLI to write."""

    data: bytes


class WeekFiles(BaseModel):
    """What the Plan page offers to download for one week, named but not built: the whole plan
    by format, the week's watch workouts (a ZIP; None when no run of the week has steps a watch
    can follow) and each such run's workout, by its position in the week."""

    plan: dict[str, ExportFile]
    week: ExportFile | None
    workouts: dict[int, ExportFile]


class SwapChoice(BaseModel):
    """An exercise of the library a planned one can be swapped for."""

    id: str
    name: str


class Swappable(BaseModel):
    """An exercise of a week the coach may swap (at `index` of the session at `position`), and
    what it may become with the runner's equipment: easier, harder, then related."""

    position: int
    index: int
    choices: list[SwapChoice]


# --- reading -----------------------------------------------------------------------------------


def plans_of(con: Connection, athlete_id: int) -> pd.DataFrame:
    """The runner's plans, newest first, with their first and last day."""
    return plans.for_athlete(con, athlete_id)


def versions(con: Connection, plan_id: int) -> pd.DataFrame:
    """A plan's versions, newest first, with their note and status."""
    return plans.versions(con, plan_id)


class VersionInfo(BaseModel):
    """One version of a plan: its note, its status and whether the runner follows it."""

    version: int
    created_at: datetime
    note: str
    status: str  # accepted, proposed or rejected
    current: bool


def version_history(con: Connection, plan_id: int) -> list[VersionInfo]:
    """A plan's versions, newest first (`versions` as plain data); NotFound for no such plan."""
    current = current_version(con, plan_id)
    return [
        VersionInfo(
            version=int(r["version"]),
            created_at=pd.Timestamp(r["created_at"]).to_pydatetime(),
            note=str(r["note"]),
            status=str(r["status"]),
            current=int(r["version"]) == current,
        )
        for r in plans.versions(con, plan_id).to_dict("records")
    ]


def current_version(con: Connection, plan_id: int) -> int:
    """The latest accepted version: the one the runner follows."""
    found = plans.current_version(con, plan_id)
    if found is None:
        raise NotFound(f"There is no plan {plan_id}.")
    return found


def load(con: Connection, plan_id: int, version: int | None = None) -> Plan:
    """A version of a plan (the current one by default)."""
    found = plans.load(con, plan_id, version)
    if found is None:
        which = f"plan {plan_id}" + (f" version {version}" if version else "")
        raise NotFound(f"There is no {which}.")
    return found


def _week(plan_id: int, plan: Plan, week: int | None) -> PlanWeek:
    for found in plan.weeks:
        if found.index == week:
            return found
    raise InvalidInput({"week": f"Plan {plan_id} has no week {week} (1–{len(plan.weeks)})."})


def owner(con: Connection, plan_id: int) -> int:
    """The runner a plan belongs to."""
    found = plans.athlete_of(con, plan_id)
    if found is None:
        raise NotFound(f"There is no plan {plan_id}.")
    return found


def proposal(con: Connection, plan_id: int) -> tuple[int, str] | None:
    """The newest proposed version waiting for the coach, with its note."""
    return plans.proposal(con, plan_id)


def latest_for(con: Connection, athlete_id: int) -> int | None:
    """The runner's newest plan, if any."""
    return plans.latest_for(con, athlete_id)


def swap_choices(con: Connection, plan_id: int, version: int, week: int) -> list[Swappable]:
    """The week's exercises a coach may swap (the main work and drills of the library), each
    with the alternatives that fit the runner's equipment."""
    plan = load(con, plan_id, version)
    profile = athletes.get(con, owner(con, plan_id))
    equipment: set[str] = set(profile.equipment) if profile else set()
    library = by_id(load_library())
    return [
        Swappable(
            position=p,
            index=i,
            choices=[
                SwapChoice(id=o.id, name=o.name) for o in editing.alternatives(e.id, equipment)
            ],
        )
        for p, s in enumerate(_week(plan_id, plan, week).sessions)
        for i, e in enumerate(s.exercises)
        if e.id in library and e.role in LOGGED_ROLES
    ]


def faults(exercise_id: str) -> list[str]:
    """The common faults the library lists for an exercise (none for one it does not know)."""
    found = by_id(load_library()).get(exercise_id)
    return list(found.faults) if found else []


# --- writing -----------------------------------------------------------------------------------


def _planner_fields(error: PlanError) -> dict[str, str]:
    """A planner refusal placed on the options form: at the option it names, at Start for the
    goal (the one thing this form can move), else with the form, pointing at the intake."""
    out: dict[str, str] = {}
    for path, message in error.fields.items():
        head = path.split(".")[0]
        words = path.removeprefix("athlete.").replace(".", " ").replace("_", " ")
        if head in OPTION_FIELDS:
            out[head] = message if head == path else f"{words}: {message}"
        elif path == "athlete.goal" or path.startswith("athlete.goal."):
            out["start"] = f"{words}: {message}"
        elif head == "athlete":
            out[""] = f"{words}: {message}. That is the runner's profile: change it at intake."
        else:
            out[""] = f"{path}: {message}" if path else message
    return out


def build(con: Connection, athlete_id: int, options: PlanOptions) -> tuple[Plan, int]:
    """The plan the latest assessment gives with `options`, and that assessment's id."""
    if not athletes.exists(con, athlete_id):
        raise NotFound(f"There is no runner {athlete_id} (deleted, or a wrong id).")
    past = assessments.history(con, athlete_id)
    if past.empty:
        raise InvalidInput("This runner has no assessment yet: record an intake first.")
    latest = int(past["id"].iloc[0])
    intake = assessments.load(con, latest)
    profile = athletes.get(con, athlete_id)
    assert intake is not None and profile is not None  # the history row names both
    known = logs.runs(con, athlete_id)
    own = cadence_service.target(con, athlete_id)
    try:
        plan = build_plan(
            assessments.findings(con, latest),
            profile,
            options,
            screens=intake.screens,
            known_runs=zip(known["day"].dt.date, known["run_km"], strict=True),
            assessed_on=intake.assessed_on,
            cadence_target=own if own.basis == "runs" else None,
        )
    except PlanError as e:
        raise InvalidInput(_planner_fields(e)) from e
    return plan, latest


def generate(con: Connection, athlete_id: int, raw_options: object) -> PlanSaved:
    """A new plan from the runner's latest assessment, profile, days and known runs."""
    coach_only(con, "build a plan")
    options = validated(PlanOptions, raw_options)
    plan, assessment_id = build(con, athlete_id, options)
    with transaction(con):
        plan_id = plans.create(con, athlete_id, plan, options, assessment_id)
        # an open injury episode shapes it at once (version 1 stays the planner's)
        shaped = injuries.reshape_new_plan(con, athlete_id, options.start)
    if shaped is not None:
        return PlanSaved(plan_id=plan_id, version=shaped.version, note=shaped.note)
    return PlanSaved(plan_id=plan_id, version=1, note="generated")


def _save(con: Connection, plan_id: int, plan: Plan, note: str) -> PlanSaved:
    version = plans.add_version(con, plan_id, plan, note)
    return PlanSaved(plan_id=plan_id, version=version, note=note)


def edit_week(
    con: Connection,
    plan_id: int,
    version: int,
    week: int,
    sessions: Iterable[Mapping[str, Any]],
    exercises: Iterable[Mapping[str, Any]],
    *,
    confirmed: bool = False,
) -> PlanSaved | None:
    """A coach's table edits to one week (days, distances, doses, deletions) as a new version;
    None when nothing changed. Deleting a session needs `confirmed`."""
    coach_only(con, "edit a plan")
    rows = [dict(r) for r in sessions]
    if any(r.get("delete") for r in rows) and not confirmed:
        raise InvalidInput({"confirm": "Tick the box to confirm the deletion, then save again."})
    plan = load(con, plan_id, version)
    new, changes = editing.apply_week_edits(plan, week, rows, [dict(r) for r in exercises])
    if not changes:
        return None
    return _save(con, plan_id, new, f"week {week}: " + "; ".join(changes))


def swap_exercise(
    con: Connection, plan_id: int, version: int, week: int, position: int, index: int, to: str
) -> PlanSaved:
    """One exercise of a session swapped for an easier, harder or related one."""
    coach_only(con, "edit a plan")
    plan = load(con, plan_id, version)
    library = by_id(load_library())
    if to not in library:
        raise InvalidInput({"swap_to": f"{to} is not in the exercise library."})
    old = editing.exercise_at(plan, week, position, index)
    new = editing.swap_exercise(plan, week, position, index, to)
    return _save(con, plan_id, new, f"week {week}: swapped {old.name} for {library[to].name}")


def adapt_week(
    con: Connection,
    plan_id: int,
    version: int,
    week: int,
    event: AdaptEvent,
    region: Region | None = None,
) -> PlanSaved:
    """A week adapted to travel, illness, a niggle (in `region`) or race week."""
    coach_only(con, "adapt a plan")
    if event == "niggle" and not region:
        raise InvalidInput({"region": "choose the region of the niggle"})
    plan = load(con, plan_id, version)
    profile = athletes.get(con, owner(con, plan_id))
    assert profile is not None  # a plan's runner exists
    new = editing.adapt_week(plan, week, event, equipment=set(profile.equipment), region=region)
    what = ADAPT_LABELS[event] + (f" ({region})" if event == "niggle" else "")
    return _save(con, plan_id, new, f"week {week}: {what}")


MOVED = "moved by the coach"


class MoveTo(BaseModel):
    """The day a session moves to."""

    day: date


def _session(plan: Plan, week: int, position: int) -> PlanSession:
    """The session at `position` of `week`, or InvalidInput naming the field "session"."""
    try:
        return editing.session_at(plan, week, position)
    except InvalidInput as e:
        raise InvalidInput({"session": str(e)}) from e


def move_choices(con: Connection, plan_id: int, version: int, week: int) -> dict[int, list[date]]:
    """For each session of the week (by position), the days it may move to: the runner's
    available days of that week (their profile), its own day left out."""
    plan = load(con, plan_id, version)
    found = _week(plan_id, plan, week)
    profile = athletes.get(con, owner(con, plan_id))
    available = set(profile.available_days) if profile else set()
    first = plan.start + timedelta(weeks=week - 1)
    days = [first + timedelta(days=i) for i in range(7)]
    open_days = [d for d in days if WEEKDAYS[d.weekday()] in available]
    return {p: [d for d in open_days if d != s.date] for p, s in enumerate(found.sessions)}


def move_session(
    con: Connection, plan_id: int, version: int, week: int, position: int, to: object
) -> PlanSaved:
    """A planned session moved to another available day of its week, as a new version whose note
    says it was moved by the coach. A day the runner is not available, outside the week or the
    session's own day is refused (field "day"), as is a week or a session the plan lacks (fields
    "week", "session"), and nothing is written."""
    coach_only(con, "move a planned session")
    day = validated(MoveTo, {"day": to}).day
    plan = load(con, plan_id, version)
    _week(plan_id, plan, week)
    session = _session(plan, week, position)
    allowed = move_choices(con, plan_id, version, week)[position]
    if day not in allowed:
        words = ", ".join(f"{d:%a %d %b}" for d in allowed) or "none"
        raise InvalidInput(
            {"day": f"{day:%a %d %b %Y} is not another available day of week {week}: {words}"}
        )
    moved = editing.move_sessions(plan, week, {position: day})
    what = f"{kind_label(session.kind)} {session.date:%a %d %b} → {day:%a %d %b}"
    return _save(con, plan_id, moved, f"week {week}: {MOVED} ({what})")


def restore(con: Connection, plan_id: int, version: int) -> PlanSaved:
    """An earlier version made the current plan again (as a new version: history is kept)."""
    coach_only(con, "restore a plan version")
    return _save(con, plan_id, load(con, plan_id, version), f"restored v{version}")


def decide(con: Connection, plan_id: int, version: int, accept: bool) -> PlanSaved:
    """Accept a proposed version (it becomes the plan) or roll it back (the plan stays).
    NotFound for a plan or version that does not exist; Conflict for one that is not a pending
    proposal (decided already)."""
    coach_only(con, "accept or roll back a plan change")
    load(con, plan_id, version)  # NotFound: no such plan or version
    with transaction(con):
        plans.decide(con, plan_id, version, accept)
        current = current_version(con, plan_id)
    note = f"v{version} accepted" if accept else f"v{version} rolled back; v{current} stays"
    return PlanSaved(plan_id=plan_id, version=current, note=note)


def propose(con: Connection, plan_id: int, plan: Plan, note: str) -> int:
    """A progression's change as a proposed version, waiting for the coach; returns its number.

    A plan identical to the proposal already waiting adds nothing: the waiting one is returned
    (two logs that lead to the same change make one proposal, not two the coach must decide).
    """
    waiting = plans.proposal(con, plan_id)
    if waiting is not None and plans.load(con, plan_id, waiting[0]) == plan:
        return waiting[0]
    return plans.add_version(con, plan_id, plan, note, "proposed")


# --- exports -----------------------------------------------------------------------------------

#: The whole plan's formats: the file name after the runner's, and its media type.
PLAN_FILES: dict[str, tuple[str, str]] = {
    "csv": ("plan.csv", "text/csv"),
    "ics": ("plan.ics", "text/calendar"),
    "pdf": ("plan.pdf", "application/pdf"),
}
FIT_MIME = "application/vnd.ant.fit"


def slug(name: str) -> str:
    return "-".join(name.lower().split()) or "runner"


def _runner(con: Connection, plan_id: int) -> str:
    found = athletes.get(con, owner(con, plan_id))
    return found.name if found else "Runner"


def _plan_file(runner: str, fmt: str) -> ExportFile:
    name, mime = PLAN_FILES[fmt]
    return ExportFile(filename=f"{slug(runner)}-{name}", mime=mime)


def _week_file(runner: str, week: int) -> ExportFile:
    return ExportFile(
        filename=f"{slug(runner)}-week-{week:02d}-workouts.zip", mime="application/zip"
    )


def _workout_file(session: PlanSession, week: int) -> ExportFile:
    return ExportFile(filename=watch.filename(session, week), mime=FIT_MIME)


def week_files(con: Connection, plan_id: int, version: int | None, week: int) -> WeekFiles:
    """The names of what a week's page offers, without building any file (see `WeekFiles`)."""
    plan = load(con, plan_id, version)
    runner = _runner(con, plan_id)
    found = _week(plan_id, plan, week)
    runs = {p: s for p, s in enumerate(found.sessions) if workouts.structured_run(s)}
    return WeekFiles(
        plan={fmt: _plan_file(runner, fmt) for fmt in PLAN_FILES},
        week=_week_file(runner, week) if runs else None,
        workouts={p: _workout_file(s, week) for p, s in runs.items()},
    )


def export_plan(
    con: Connection,
    plan_id: int,
    fmt: Format,
    version: int | None = None,
    week: int | None = None,
) -> Export:
    """The plan as CSV, iCalendar, a printable PDF, or one week's watch workouts (a ZIP)."""
    plan = load(con, plan_id, version)
    runner = _runner(con, plan_id)
    if fmt == "csv":
        return Export(**_plan_file(runner, fmt).model_dump(), data=export.to_csv(plan).encode())
    if fmt == "ics":
        return Export(**_plan_file(runner, fmt).model_dump(), data=export.to_ics(plan, runner))
    if fmt == "pdf":
        return Export(**_plan_file(runner, fmt).model_dump(), data=export.to_pdf(plan, runner))
    found = _week(plan_id, plan, week)
    return Export(
        **_week_file(runner, found.index).model_dump(), data=watch.week_zip(found, runner)
    )


def write_workouts(
    con: Connection, plan_id: int, directory: Path, version: int | None = None
) -> list[Path]:
    """Every structured run of the plan as a FIT workout file in `directory` (all or none)."""
    plan = load(con, plan_id, version)
    runner = athletes.get(con, owner(con, plan_id))
    try:
        return watch.write_plan(plan, directory, runner.name if runner else "")
    except (OSError, ValueError) as e:
        why = getattr(e, "strerror", None) or e
        raise InvalidInput({"directory": f"cannot write the watch workouts ({why})"}) from e


def workout(con: Connection, plan_id: int, version: int, week: int, position: int) -> Export:
    """One structured run as a FIT workout file for a watch."""
    plan = load(con, plan_id, version)
    session = editing.session_at(plan, week, position)
    if not session.steps:
        raise InvalidInput(f"{kind_label(session.kind)} on {session.date} has no steps to export.")
    data = watch.workout_fit(session, watch.workout_name(session))
    return Export(**_workout_file(session, week).model_dump(), data=data)


def first_monday_after(day: date) -> date:
    """The plan form's default start: the next Monday (a week away when today is one)."""
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)
