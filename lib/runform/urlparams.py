"""The view settings a page reads from its address (``?athlete=3&week=2``), checked in one place.

A link can be typed, shortened by a chat app or edited by hand: every value is parsed here, and
a wrong one becomes a sentence for the person who opened it, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from runform.errors import InvalidInput
from runform.models import EARLIEST, LATEST

NUMBERS = {
    "athlete": "a runner's number",
    "plan": "a plan's number",
    "week": "a week number",
    "session": "a session's position in its week",
}
DATES = {"day": "a day", "from": "the first day of the range", "to": "the last day of the range"}
MAX_NUMBER = 2**31 - 1  # the store's INTEGER ids


class BadAddress(InvalidInput):
    """A value in the address that cannot be used; the message names it and says why."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__({name: message})
        self.name, self.message = name, message

    def __str__(self) -> str:
        return self.message


def number(params: Mapping[str, str], name: str, *, minimum: int = 1) -> int | None:
    """A whole number from the address, or None when it is absent."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    what = NUMBERS.get(name, name)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        raise BadAddress(
            name, f"The address has {name}={raw[:20]!r}, but {what} is a whole number."
        )
    value = int(raw)
    if value < minimum or value > MAX_NUMBER:
        raise BadAddress(
            name,
            f"The address has {name}={raw}, but {what} starts at {minimum}."
            if value < minimum
            else f"The address has {name}={raw}, which is no {what} RunForm has.",
        )
    return value


def day(params: Mapping[str, str], name: str) -> date | None:
    """An ISO date (YYYY-MM-DD) from the address, or None when it is absent."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    what = DATES.get(name, name)
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadAddress(
            name, f"The address has {name}={raw[:20]!r}, but {what} is written YYYY-MM-DD."
        ) from None
    if not EARLIEST <= value <= LATEST:
        raise BadAddress(
            name,
            f"The address has {name}={raw}, outside the years RunForm keeps "
            f"({EARLIEST.year}–{LATEST.year}).",
        )
    return value


def choice(params: Mapping[str, str], name: str, options: list[str]) -> str | None:
    """One of `options` from the address, or None when it is absent."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in options:
        raise BadAddress(
            name, f"The address has {name}={raw[:20]!r}; it can be one of: {', '.join(options)}."
        )
    return raw


def in_range(name: str, value: int, last: int, what: str) -> int:
    """`value` when it is at most `last`; the address named something that does not exist."""
    if value > last:
        raise BadAddress(name, f"The address has {name}={value}, but {what} has only {last}.")
    return value
