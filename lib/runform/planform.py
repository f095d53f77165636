"""The Plan page's "Generate a new plan" form: which field a planner refusal is about.

The planner raises ``PlanError("start: ...")`` or ``PlanError("athlete.goal.date: ...")``: a field
path, then what is wrong (the same shape as :func:`runform.models.error_messages`). The form has
the plan options' fields; the runner's profile is fixed at intake, so a refusal about the goal is
shown at the Start field (the one thing this form can move), and one about the rest of the
profile with the form, pointing at the intake.
"""

from __future__ import annotations

import re

#: The form's fields, by their PlanOptions names.
FIELDS: tuple[str, ...] = ("weeks", "start", "deload_every", "ramp_pct", "easy_pace_min_per_km")
#: Where the messages that belong to no single field go.
FORM = "form"
#: Profile paths whose refusal the Start field answers (a goal date before the start, say).
AT_START: tuple[str, ...] = ("athlete.goal",)

_PATH = re.compile(r"[A-Za-z_][\w]*(?:\.[\w]+)*")


def _words(path: str) -> str:
    """ "athlete.goal.date" as "goal date"."""
    return path.removeprefix("athlete.").replace(".", " ").replace("_", " ")


def error_fields(message: str) -> dict[str, str]:
    """Form field → message for a planner refusal, e.g. {"start": "goal date: ..."}."""
    path, sep, rest = message.partition(": ")
    if not sep or not _PATH.fullmatch(path):
        return {FORM: message}
    head = path.split(".")[0]
    if head in FIELDS:
        return {head: rest if head == path else f"{_words(path)}: {rest}"}
    if any(path == p or path.startswith(p + ".") for p in AT_START):
        return {"start": f"{_words(path)}: {rest}"}
    if head == "athlete":
        return {FORM: f"{_words(path)}: {rest}. That is the runner's profile: change it at intake."}
    return {FORM: message}
