"""Structured runs as FIT workout files that a Garmin (or other FIT-reading) watch can follow.

Written with fit_tool (BSD licence; protocols §5 rules Garmin's SDK out). The encoding follows the
FIT profile and Garmin's workout cookbook (the fitdecode profile, generated from the same
Profile.xlsx, carries the comments quoted below):

- file_id: type workout, manufacturer development, product 0, time_created the session's day at
  noon UTC (never the wall clock, so the same session gives the same bytes), and a serial number
  derived from the content: a watch keeps workouts apart by type + manufacturer + product + serial.
- workout: sport running, wkt_name (at most 15 characters: what the watches list), num_valid_steps
  = every workout_step message, repeat steps included, as in Garmin's cookbook examples
  (``SetNumValidSteps((ushort)workoutSteps.Count)`` after ``CreateWorkoutStepRepeat``).
- workout_step, one per step with message_index 0, 1, ...: duration_type time (duration_time in s,
  stored in ms), distance (duration_distance in m, stored in cm) or open (the lap button);
  intensity warmup / active / recovery / cooldown; target speed (custom_target_speed_low/high in
  m/s: the slow end of the pace band is the low speed), else heart rate (
  custom_target_heart_rate_low/high: "0 - 100 indicates % of max hr; >100 indicates bpm plus 100",
  so 150 bpm is written 250), else open; target_value 0 means "custom low/high" (cookbook). When a
  step has both a pace and a heart-rate band, the heart rate also goes in the secondary target.
  The RPE is the step name ("RPE 7–8"), the note the step's notes.
- a repeat: its child steps, then one workout_step with duration_type repeat_until_steps_cmplt,
  duration_step = the message_index of the first child ("message_index of step to loop back to")
  and repeat_steps (target_value) = the number of times through ("# of repetitions").
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    WorkoutHr,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from runform.models import Plan, PlanSession, PlanWeek, Step, StepTarget
from runform.plantext import kind_label
from runform.workouts import structured_run

#: Workout names longer than this are cut: what Garmin watches show in the workout list.
NAME_CHARS = 15
#: A FIT string field is at most 255 bytes, its NUL terminator included.
_FIELD_BYTES = 254
#: custom heart-rate targets above 100 are bpm + 100 (profile type workout_hr, "bpm_offset").
HR_OFFSET = WorkoutHr.BPM_OFFSET.value

_INTENSITY = {
    "warmup": Intensity.WARMUP,
    "work": Intensity.ACTIVE,
    "recover": Intensity.RECOVERY,
    "cooldown": Intensity.COOLDOWN,
}
_STEP_LABEL = {"warmup": "Warm-up", "work": "Run", "recover": "Recover", "cooldown": "Cool-down"}


def _number(x: float) -> str:
    return f"{x:g}"


def _band(lo: float, hi: float) -> str:
    return _number(lo) if lo == hi else f"{_number(lo)}–{_number(hi)}"


def _text(text: str, max_bytes: int = _FIELD_BYTES) -> str:
    """Printable text cut to a FIT string field (UTF-8 bytes), on a character boundary."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    out = text.encode("utf-8")[: max_bytes - len("…".encode())].decode("utf-8", "ignore")
    return out.rstrip() + "…"


def _speed(pace_s_per_km: float) -> float:
    """m/s for a pace in s/km, to the FIT field's 1/1000 m/s."""
    return round(1000.0 / pace_s_per_km, 3)


def _step_name(step: Step) -> str:
    if step.target is not None:
        return f"RPE {_band(*step.target.rpe)}"
    return _STEP_LABEL[step.kind]


def _target(msg: WorkoutStepMessage, target: StepTarget | None) -> None:
    # target_type first: fit_tool picks the custom_* subfield (and its scale) from it.
    if target is not None and target.pace_s_per_km is not None:
        fast, slow = target.pace_s_per_km
        msg.target_type = WorkoutStepTarget.SPEED
        msg.target_value = 0
        msg.custom_target_speed_low = _speed(slow)
        msg.custom_target_speed_high = _speed(fast)
        if target.hr_bpm is not None:
            msg.secondary_target_type = WorkoutStepTarget.HEART_RATE
            msg.secondary_target_value = 0
            msg.secondary_custom_target_heart_rate_low = target.hr_bpm[0] + HR_OFFSET
            msg.secondary_custom_target_heart_rate_high = target.hr_bpm[1] + HR_OFFSET
    elif target is not None and target.hr_bpm is not None:
        msg.target_type = WorkoutStepTarget.HEART_RATE
        msg.target_value = 0
        msg.custom_target_heart_rate_low = target.hr_bpm[0] + HR_OFFSET
        msg.custom_target_heart_rate_high = target.hr_bpm[1] + HR_OFFSET
    else:
        msg.target_type = WorkoutStepTarget.OPEN


def _plain_step(step: Step, index: int) -> WorkoutStepMessage:
    msg = WorkoutStepMessage()
    msg.message_index = index
    msg.workout_step_name = _text(_step_name(step), 50)
    if step.note.strip():
        msg.notes = _text(step.note)
    msg.intensity = _INTENSITY[step.kind]
    # duration_type first: fit_tool picks the duration_* subfield (and its scale) from it.
    if step.duration_s is not None:
        msg.duration_type = WorkoutStepDuration.TIME
        msg.duration_time = float(step.duration_s)
    elif step.distance_m is not None:
        msg.duration_type = WorkoutStepDuration.DISTANCE
        msg.duration_distance = float(step.distance_m)
    else:
        msg.duration_type = WorkoutStepDuration.OPEN
    _target(msg, step.target)
    return msg


def _repeat_step(first_child: int, times: int, index: int) -> WorkoutStepMessage:
    # The profile leaves name and intensity undefined for a repeat step; Garmin's cookbook writes
    # target_type open and the count in target_value (the repeat_steps subfield).
    msg = WorkoutStepMessage()
    msg.message_index = index
    msg.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    msg.duration_step = first_child
    msg.target_type = WorkoutStepTarget.OPEN
    msg.target_repeat_steps = times
    return msg


def _step_messages(steps: Iterable[Step]) -> list[WorkoutStepMessage]:
    out: list[WorkoutStepMessage] = []
    for step in steps:
        if step.kind == "repeat":
            first = len(out)
            for child in step.steps:
                out.append(_plain_step(child, len(out)))
            out.append(_repeat_step(first, step.repeat or 1, len(out)))
        else:
            out.append(_plain_step(step, len(out)))
    return out


def _serial(session: PlanSession, name: str, description: str) -> int:
    """A content-derived serial number (uint32z, never 0): equal sessions give equal files."""
    crc = zlib.crc32(f"{name}\n{description}\n{session.model_dump_json()}".encode())
    return crc or 1


def workout_name(session: PlanSession) -> str:
    """The watch's name for a session, e.g. '12-16 Intervals' (at most 15 characters)."""
    return f"{session.date:%m-%d} {kind_label(session.kind)}"[:NAME_CHARS]


def workout_fit(session: PlanSession, name: str, *, description: str = "") -> bytes:
    """The session's steps as a FIT workout file (bytes); the same session gives the same bytes.

    `name` is cut to 15 characters; `description` (optional) goes in wkt_description.
    Raises ValueError for a session without steps.
    """
    if not session.steps:
        raise ValueError(
            f"the {session.kind} session of {session.date} has no steps: "
            "only a structured run becomes a watch workout"
        )
    steps = _step_messages(session.steps)
    if len(steps) > 0xFFFE:
        raise ValueError(f"the {session.kind} session of {session.date} has too many steps")
    name = _text(name, 60)[:NAME_CHARS].strip() or workout_name(session)

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = _serial(session, name, description)
    noon = dt.datetime.combine(session.date, dt.time(12), tzinfo=dt.UTC)
    file_id.time_created = round(noon.timestamp() * 1000)  # fit_tool takes ms since 1970

    workout = WorkoutMessage()
    workout.sport = Sport.RUNNING
    workout.workout_name = name
    workout.num_valid_steps = len(steps)
    if description.strip():
        workout.workout_description = _text(description)

    builder = FitFileBuilder(auto_define=True)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all(steps)
    return builder.build().to_bytes()


def filename(session: PlanSession, week_index: int) -> str:
    """The file for a session, e.g. 'w03-2026-12-16-intervals.fit' (letters, digits, '-', '.')."""
    kind = re.sub(r"[^a-z0-9]+", "-", session.kind.lower()).strip("-") or "run"
    return f"w{week_index:02d}-{session.date.isoformat()}-{kind}.fit"


def _watch_sessions(week: PlanWeek) -> list[PlanSession]:
    return [s for s in week.sessions if structured_run(s)]


def _description(runner: str, week: PlanWeek, session: PlanSession) -> str:
    who = f"{runner.strip()}: " if runner.strip() else ""
    kind = kind_label(session.kind).lower()
    return f"{who}RunForm plan week {week.index}, {kind} on {session.date.isoformat()}"


def week_files(week: PlanWeek, runner: str = "") -> list[tuple[str, bytes]]:
    """(file name, FIT bytes) for every running session with steps in the week, in plan order."""
    return [(name, data) for name, _, data in _week_entries(week, runner)]


def _week_entries(week: PlanWeek, runner: str) -> list[tuple[str, PlanSession, bytes]]:
    out: list[tuple[str, PlanSession, bytes]] = []
    seen: set[str] = set()
    for session in _watch_sessions(week):
        name = filename(session, week.index)
        stem, n = name.removesuffix(".fit"), 2
        while name in seen:  # two runs of one kind on one day
            name, n = f"{stem}-{n}.fit", n + 1
        seen.add(name)
        data = workout_fit(
            session, workout_name(session), description=_description(runner, week, session)
        )
        out.append((name, session, data))
    return out


def week_zip(week: PlanWeek, runner: str) -> bytes:
    """A ZIP of one .fit per running session with steps in the week (deterministic bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, session, data in _week_entries(week, runner):
            info = zipfile.ZipInfo(name, date_time=(*session.date.timetuple()[:3], 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
        zf.comment = _text(f"RunForm watch workouts: {runner}, week {week.index}", 200).encode()
    return buf.getvalue()


def write_plan(plan: Plan, directory: Path, runner: str = "") -> list[Path]:
    """Write one .fit per running session with steps into `directory` (created if missing).

    All files are written into a temporary folder beside or inside `directory` first and only
    then moved into place, so a folder that cannot be written gets nothing (an OSError is
    raised, the temporary folder removed). Returns the paths written.
    """
    files = [(name, data) for week in plan.weeks for name, data in week_files(week, runner)]
    names = [name for name, _ in files]
    if len(set(names)) != len(names):  # the week prefix keeps them apart; never overwrite one
        raise ValueError("two watch workouts would get the same file name")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(20, "exists and is not a folder", str(directory))
    fresh = not directory.exists()
    if fresh:
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    else:
        tmp = Path(tempfile.mkdtemp(prefix=".runform-fit-", dir=directory))
    try:
        for name, data in files:
            (tmp / name).write_bytes(data)
        if fresh:
            tmp.chmod(0o755)  # mkdtemp made it private
            tmp.rename(directory)
        else:
            for name, _ in files:
                os.replace(tmp / name, directory / name)
            tmp.rmdir()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [directory / name for name in names]
