"""Named errors: what went wrong, said once, for the pages, the CLI and the tests alike.

Services and the store raise these and nothing else for a failure a user can meet. A page draws
each one the same way (`InvalidInput` next to its fields, the others with the form), and the CLI
maps each kind to its own exit status (`EXIT_CODES`). Every message is a sentence for a coach or a
runner, never a traceback or a database's wording.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ValidationError

from runform.models import error_messages


class RunFormError(Exception):
    """A failure a user can meet; the message says what happened and, where it can, what to do."""


class InvalidInput(RunFormError, ValueError):
    """Input that must be fixed first; nothing was written.

    `fields` maps a field's path (``"athlete.goal.date"``, ``"screens.knee_to_wall_cm.left"``)
    to what is wrong with it, so a form can show each message next to its field; the path ``""``
    holds what belongs to no single field.
    """

    def __init__(self, fields: Mapping[str, str] | str, summary: str = "") -> None:
        self.fields: dict[str, str] = {"": fields} if isinstance(fields, str) else dict(fields)
        self.summary = summary
        lines = [f"{path}: {msg}" if path else msg for path, msg in self.fields.items()]
        super().__init__("\n".join([summary, *lines] if summary else lines))

    @classmethod
    def from_validation(
        cls, error: ValidationError, model: type[BaseModel], summary: str = "", prefix: str = ""
    ) -> InvalidInput:
        """Pydantic's errors as field paths and plain messages (see `models.error_messages`)."""
        found = error_messages(error, model)
        if prefix:
            found = {f"{prefix}.{k}" if k else prefix: v for k, v in found.items()}
        return cls(found, summary)

    def under(self, prefix: str) -> InvalidInput:
        """The same errors with every field path placed under `prefix`."""
        moved = {f"{prefix}.{k}" if k else prefix: v for k, v in self.fields.items()}
        return InvalidInput(moved, self.summary)


class NotFound(RunFormError):
    """What was asked for does not exist (or no longer: deleted on another device)."""


class Forbidden(RunFormError):
    """The signed-in user may not see or change this (another runner's data, a coach's task)."""


class Conflict(RunFormError):
    """The change clashes with what is stored: a duplicate, or another device's change."""


class StorageUnavailable(RunFormError):
    """The database file cannot be used now; the message says what is wrong and what to do."""


#: The CLI's exit status for each kind of error (2 is also argparse's for a bad argument).
EXIT_CODES: dict[type[RunFormError], int] = {
    InvalidInput: 2,
    NotFound: 3,
    Forbidden: 4,
    Conflict: 5,
    StorageUnavailable: 6,
}


def exit_code(error: RunFormError) -> int:
    """The exit status of the most specific kind `error` is."""
    for kind in type(error).__mro__:
        if kind in EXIT_CODES:
            return EXIT_CODES[kind]
    return 1
