"""Every controlled vocabulary of RunForm, with the words people read for each value.

One list each, so a pain region typed at intake matches the regions an exercise loads, a session
kind logged matches the kind planned, and a page, an export and a SQL query all say the same
thing. Each set is a `Literal` (for pydantic and mypy), a tuple of its values in display order,
and a label table; `label(table, value)` reads a label and tolerates a value added later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args


def label(table: Mapping[str, str], value: object) -> str:
    """The words for `value` in `table`; a value the table does not know reads as plain words."""
    if value is None:
        return ""
    text = str(value)
    return table.get(text, text.replace("_", " "))


# --- the runner ---------------------------------------------------------------------------------
Sex = Literal["female", "male", "other"]
SEXES: tuple[Sex, ...] = get_args(Sex)
SEX_LABELS: dict[str, str] = {"female": "Female", "male": "Male", "other": "Other"}

# --- sides -------------------------------------------------------------------------------------
Side = Literal["left", "right"]
SIDES: tuple[Side, ...] = get_args(Side)
FindingSide = Literal["left", "right", "both"]
FINDING_SIDES: tuple[FindingSide, ...] = get_args(FindingSide)
SIDE_LABELS: dict[str, str] = {"left": "Left", "right": "Right", "both": "Both sides"}
#: A pain with no side (midline: lower back, neck) is stored as no side at all.
NO_SIDE_LABEL = "midline / not one side"

# --- findings ----------------------------------------------------------------------------------
Severity = Literal["info", "moderate", "high"]
#: Most severe first: the order findings are listed, counted and charted in.
SEVERITIES: tuple[Severity, ...] = ("high", "moderate", "info")
SEVERITY_RANK: dict[str, int] = {s: len(SEVERITIES) - 1 - i for i, s in enumerate(SEVERITIES)}
SEVERITY_LABELS: dict[str, str] = {"high": "High", "moderate": "Moderate", "info": "Info"}
SEVERITY_COLOURS: dict[str, str] = {"high": "#C0392B", "moderate": "#E67E22", "info": "#2E86C1"}

FINDING_IDS: tuple[str, ...] = (
    "limited_ankle_dorsiflexion",
    "ankle_dorsiflexion_asymmetry",
    "hip_rotation_deficit",
    "thoracic_rotation_deficit",
    "dynamic_knee_valgus",
    "pelvic_drop",
    "excessive_trunk_flexion",
    "poor_hip_hinge",
    "posterior_chain_weakness",
    "calf_endurance_deficit",
    "core_endurance_imbalance",
    "excessive_pronation",
    "overstriding",
    "high_vertical_oscillation",
    "pain_flag",
)
#: How a finding compares between two assessments (runform.compare), in display order.
FindingStatus = Literal["baseline", "resolved", "persisting", "new", "not re-tested"]
CHANGE_STATUSES: tuple[FindingStatus, ...] = ("resolved", "persisting", "new", "not re-tested")

# --- pain --------------------------------------------------------------------------------------
Region = Literal[
    "foot",
    "ankle",
    "shin",
    "calf",
    "knee",
    "thigh",
    "hamstring",
    "hip",
    "groin",
    "lower_back",
    "upper_back",
    "neck",
    "shoulder",
]
REGIONS: tuple[Region, ...] = get_args(Region)
REGION_LABELS: dict[str, str] = {r: r.replace("_", " ").capitalize() for r in REGIONS}

#: Regions running loads: pain here leads the running as well as the exercises (protocols §5).
LOWER_LIMB: frozenset[str] = frozenset(
    {"foot", "ankle", "shin", "calf", "knee", "thigh", "hamstring", "hip", "groin"}
)

PainWhen = Literal["rest", "during_run", "after_run", "next_morning"]
PAIN_WHEN: tuple[PainWhen, ...] = get_args(PainWhen)
#: When pain is reported with a logged session (the other two: intake and the morning check).
SessionPainWhen = Literal["during_run", "after_run"]
SESSION_PAIN_WHEN: tuple[SessionPainWhen, ...] = get_args(SessionPainWhen)
#: Pain during or after work: what the pain-monitoring model's "during" limit reads.
DURING: tuple[PainWhen, ...] = ("during_run", "after_run")
MORNING: PainWhen = "next_morning"
PAIN_WHEN_LABELS: dict[str, str] = {
    "rest": "At rest",
    "during_run": "During running",
    "after_run": "After running",
    "next_morning": "Next morning",
}

# --- the week ----------------------------------------------------------------------------------
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
WEEKDAY_LABELS: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}

# --- equipment and exercises -------------------------------------------------------------------
Equipment = Literal[
    "band",
    "mini_band",
    "dumbbells",
    "kettlebell",
    "barbell",
    "box",
    "bench",
    "dowel",
    "foam_roller",
    "slider",
    "medicine_ball",
    "cable",
    "leg_press",
]
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)
EQUIPMENT_LABELS: dict[str, str] = {e: e.replace("_", " ").capitalize() for e in EQUIPMENT}

ExerciseCategory = Literal["mobility", "strength", "motor_control", "conditioning"]
#: Where an exercise sits in a session: before or after the main work, the main work, or as a
#: running drill inside a run. The library lists the roles an exercise can take; a planned
#: exercise has one.
ExerciseRole = Literal["warmup", "main", "drill", "cooldown"]
EXERCISE_ROLES: tuple[ExerciseRole, ...] = get_args(ExerciseRole)
#: The roles a runner logs and a coach edits: warm-ups and cool-downs go with the session.
LOGGED_ROLES: tuple[ExerciseRole, ...] = ("main", "drill")

# --- sessions ----------------------------------------------------------------------------------
SessionKind = Literal[
    "mobility",
    "strength",
    "drills",
    "easy_run",
    "long_run",
    "tempo",
    "intervals",
    "race",
    "cross_training",
    "reassessment",
]
SESSION_KINDS: tuple[SessionKind, ...] = get_args(SessionKind)
KIND_LABELS: dict[str, str] = {
    "mobility": "Mobility",
    "strength": "Strength",
    "drills": "Running drills",
    "easy_run": "Easy run",
    "long_run": "Long run",
    "tempo": "Tempo run",
    "intervals": "Intervals",
    "race": "Race",
    "cross_training": "Cross-training",
    "reassessment": "Reassessment",
}
RUN_KINDS: tuple[SessionKind, ...] = ("easy_run", "long_run", "tempo", "intervals", "race")
#: Hard days of Bowerman's hard/easy principle (protocols §5).
HARD_KINDS: tuple[SessionKind, ...] = ("long_run", "tempo", "intervals", "race")
#: Sessions that may carry a run distance: the runs, and drills done on the move.
DISTANCE_KINDS: tuple[SessionKind, ...] = (*RUN_KINDS, "drills")

StepKind = Literal["warmup", "work", "recover", "cooldown", "repeat"]
STEP_KINDS: tuple[StepKind, ...] = get_args(StepKind)
STEP_LABELS: dict[str, str] = {
    "warmup": "Warm-up",
    "work": "Run",
    "recover": "Recover",
    "cooldown": "Cool-down",
    "repeat": "Repeat",
}

Phase = Literal["base", "build", "peak", "taper", "race", "recovery"]
PHASES: tuple[Phase, ...] = get_args(Phase)
PHASE_LABELS: dict[str, str] = {p: p.capitalize() for p in PHASES}

# --- plans and their versions ------------------------------------------------------------------
#: A version is accepted (the plan followed), proposed (progression's, waiting for the coach) or
#: rejected (rolled back).
VersionStatus = Literal["accepted", "proposed", "rejected"]
VERSION_STATUSES: tuple[VersionStatus, ...] = get_args(VersionStatus)
VERSION_STATUS_LABELS: dict[str, str] = {
    "accepted": "Accepted",
    "proposed": "Waiting for the coach",
    "rejected": "Rolled back",
}
#: What happened in a week that the coach adapts it to (runform.editing.adapt_week).
AdaptEvent = Literal["travel", "illness", "niggle", "race"]
ADAPT_EVENTS: tuple[AdaptEvent, ...] = get_args(AdaptEvent)
ADAPT_LABELS: dict[str, str] = {
    "travel": "Travel: equipment-free variants, shorter sessions",
    "illness": "Illness: rest, then a gentle return",
    "niggle": "Minor niggle: regress the region",
    "race": "Race week: taper",
}

#: A progression decision about one exercise or the running.
Action = Literal["advance", "hold", "regress", "pause"]
ACTIONS: tuple[Action, ...] = get_args(Action)
ACTION_LABELS: dict[str, str] = {
    "advance": "Advance",
    "hold": "Hold",
    "regress": "Regress",
    "pause": "Pause",
}

# --- who entered it ----------------------------------------------------------------------------
#: Who entered an assessment: the coach's full battery, a runner's self-assessment, the demo.
AssessmentMode = Literal["coach", "self", "demo"]
ASSESSMENT_MODES: tuple[AssessmentMode, ...] = get_args(AssessmentMode)
MODE_LABELS: dict[str, str] = {"coach": "Coach", "self": "Runner (self)", "demo": "Demo"}
#: Who wrote a comment on a log: whoever is signed in, never a choice.
Author = Literal["runner", "coach"]
AUTHORS: tuple[Author, ...] = get_args(Author)
AUTHOR_LABELS: dict[str, str] = {"runner": "Runner", "coach": "Coach"}

# --- wellness ----------------------------------------------------------------------------------
#: The five McLean et al. 2010 items, each rated 1–5 (5 the best state).
WellnessItem = Literal["sleep_quality", "fatigue", "soreness", "stress", "mood"]
WELLNESS_ITEMS: tuple[WellnessItem, ...] = get_args(WellnessItem)
WELLNESS_LABELS: dict[str, str] = {
    "sleep_quality": "Sleep quality",
    "fatigue": "Fatigue",
    "soreness": "Soreness",
    "stress": "Stress",
    "mood": "Mood",
}

# --- the team board ----------------------------------------------------------------------------
#: The team view's status flags, in the order the board shows them (runform.team computes them;
#: their labels carry numbers from data/thresholds.toml, so `team.flag_labels` words them).
Flag = Literal[
    "flag_pain",
    "flag_spike",
    "flag_acwr",
    "flag_monotony",
    "flag_adherence",
    "flag_wellness",
    "flag_reassess",
    "flag_new_high",
]
FLAGS: tuple[Flag, ...] = get_args(Flag)

# --- the calendar ------------------------------------------------------------------------------
#: How a session sits on the calendar (runform.compliance decides it): a done session by its
#: compliance band (TrainingPeaks' colours, data/thresholds.toml [compliance]), a planned one
#: missed (its day is over) or still to come, and a log that matches no planned session.
Compliance = Literal["green", "yellow", "red", "missed", "planned", "unplanned"]
COMPLIANCE: tuple[Compliance, ...] = get_args(Compliance)
COMPLIANCE_LABELS: dict[str, str] = {
    "green": "Done as planned",
    "yellow": "Done, off the plan",
    "red": "Done, far off the plan",
    "missed": "Missed",
    "planned": "Planned",
    "unplanned": "Unplanned",
}
#: Their colours (TrainingPeaks' green, yellow, red and grey; planned an outline blue, unplanned
#: violet), dark enough for white text on a projector.
COMPLIANCE_COLOURS: dict[str, str] = {
    "green": "#1E8449",
    "yellow": "#B7950B",
    "red": "#C0392B",
    "missed": "#7F8C8D",
    "planned": "#2874A6",
    "unplanned": "#7D3C98",
}

# --- injury episodes and return to running -----------------------------------------------------
#: An episode's status: training as usual, modified (the return-to-run ladder or the pain-led
#: rules of protocols §5), or unavailable (running paused; mobility and pain-free strength stay).
Availability = Literal["full", "modified", "unavailable"]
AVAILABILITIES: tuple[Availability, ...] = get_args(Availability)
#: Worst last: a runner with several open episodes is as available as the least available one.
AVAILABILITY_RANK: dict[str, int] = {a: i for i, a in enumerate(AVAILABILITIES)}
AVAILABILITY_LABELS: dict[str, str] = {
    "full": "Full training",
    "modified": "Modified training",
    "unavailable": "Unavailable",
}
#: The Team board's chip for each: a runner without an open episode is available.
AVAILABILITY_CHIPS: dict[str, str] = {
    "full": "Available",
    "modified": "Modified",
    "unavailable": "Unavailable",
}
AVAILABILITY_COLOURS: dict[str, str] = {
    "full": "#1E8449",
    "modified": "#E67E22",
    "unavailable": "#C0392B",
}
#: What happened on a return-to-run ladder: where it started, a decision after the runner's
#: logs (advance, hold, regress) or the coach setting the stage with a reason.
LadderAction = Literal["start", "advance", "hold", "regress", "override"]
LADDER_ACTIONS: tuple[LadderAction, ...] = get_args(LadderAction)
LADDER_ACTION_LABELS: dict[str, str] = {
    "start": "Started",
    "advance": "Advance",
    "hold": "Hold",
    "regress": "Regress",
    "override": "Set by the coach",
}
