"""What "today" is: the calendar day, unless RUNFORM_TODAY names another one.

Tests, demos and benchmarks set RUNFORM_TODAY (YYYY-MM-DD) so that a page, the demo team and the
rules agree on one day, whatever day the machine says it is.
"""

from __future__ import annotations

import os
from datetime import date, datetime


def today() -> date:
    fixed = os.environ.get("RUNFORM_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def now() -> datetime:
    """The current time of day on `today()`."""
    fixed = os.environ.get("RUNFORM_TODAY")
    current = datetime.now()
    return datetime.combine(today(), current.time()) if fixed else current
