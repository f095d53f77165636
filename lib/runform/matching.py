"""Which planned session an imported activity fulfils: the one rule, used by every import.

An imported run says when it took place and how long it lasted, not which session of the plan it
was. It fulfils the day's planned session of the same kind (a run fulfils a planned run: easy,
long, tempo, intervals or race) that is not done yet and whose planned minutes are closest to the
run's; with none, it is logged as unplanned. The runner can change the match afterwards
(`services.training_log.update_log`). Whether a planned session is done is the
`planned_session_status` view's answer, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from runform.models import PlannedRef
from runform.vocab import RUN_KINDS, SessionKind


@dataclass(frozen=True)
class Candidate:
    """A planned session of the day: where it is in the plan, its kind and minutes, and whether
    a log already fulfils it."""

    ref: PlannedRef
    kind: SessionKind
    minutes: float
    done: bool
    title: str = ""  # the session in words, for the import's report


def same_family(a: SessionKind, b: SessionKind) -> bool:
    """Whether a session of kind `a` can fulfil a planned one of kind `b`: any run a planned
    run, anything else only its own kind."""
    return a == b or (a in RUN_KINDS and b in RUN_KINDS)


def match(candidates: Sequence[Candidate], kind: SessionKind, minutes: float) -> Candidate | None:
    """The planned session an activity of `kind` lasting `minutes` fulfils, or None (unplanned).

    Ties in duration go to the session planned first (the plan's order).
    """
    open_ = [c for c in candidates if not c.done and same_family(kind, c.kind)]
    if not open_:
        return None
    return min(open_, key=lambda c: (abs(c.minutes - minutes), c.ref.week, c.ref.position))
