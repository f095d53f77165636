"""What every service checks before it writes: valid input, and who is asking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from runform.errors import Forbidden, InvalidInput
from runform.store.connection import Connection, scope_of

M = TypeVar("M", bound=BaseModel)


def validated(
    model: type[M],
    raw: object,
    *,
    prefix: str = "",
    summary: str = "",
    context: Mapping[str, Any] | None = None,
) -> M:
    """`raw` as a `model`, or `InvalidInput` naming each field (under `prefix`) and its fault."""
    if isinstance(raw, model):
        return raw
    try:
        return model.model_validate(raw, context=dict(context) if context else None)
    except ValidationError as e:
        raise InvalidInput.from_validation(e, model, summary, prefix) from e


def coach_only(con: Connection, task: str) -> None:
    """Refuse `task` ("accept a plan change") on a runner link's cursor."""
    if scope_of(con) is not None:
        raise Forbidden(f"Only the coach can {task}; a runner link opens the runner's own pages.")


def is_coach(con: Connection) -> bool:
    return scope_of(con) is None
