"""Which plan, week and session are viewed: what the address says (?plan=, ?week=, ?session=),
read the same way by the Plan page and Present, so a shared link opens the same view."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pages.core import cache, nav
from runform import urlparams
from runform.errors import NotFound
from runform.models import Plan
from runform.services import plans as plan_service

#: What names a view of one plan: a plan of another runner takes all of it away.
VIEW = ("plan", "week", "session")


def plan_id(mine: list[int], missing: Callable[[int], str]) -> int | None:
    """The plan `?plan=` names when it is one of the runner's (`mine`, newest first); without
    one, the runner's newest (None: the runner has no plan).

    A plan of another runner is what the address still holds after the sidebar picked someone
    else: it gives way to this runner's newest, and its week and session go with it. A plan
    that does not exist is a bad address: `missing(number)` says so.
    """
    asked = nav.from_address(lambda a: urlparams.number(a, "plan"))
    if asked is not None and asked in mine:
        return asked
    if asked is not None:
        try:
            cache.read(plan_service.owner, asked)
        except NotFound:
            nav.bad_address(urlparams.BadAddress("plan", missing(asked)))
        for name in VIEW:
            st.query_params.pop(name, None)
    return mine[0] if mine else None


def week(plan: Plan) -> int:
    """The week `?week=` names (the first without one); one the plan lacks is a bad address."""
    return nav.from_address(
        lambda a: urlparams.in_range(
            "week", urlparams.number(a, "week") or 1, len(plan.weeks), "this plan"
        )
    )


def session(plan: Plan, week: int) -> int:
    """The position `?session=` names in the week (the first without one)."""
    return nav.from_address(
        lambda a: urlparams.in_range(
            "session",
            urlparams.number(a, "session", minimum=0) or 0,
            len(plan.weeks[week - 1].sessions) - 1,
            f"week {week} (positions from 0)",
        )
    )
