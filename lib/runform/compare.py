"""Compare two assessments: screen changes against the minimal detectable change, and findings."""

from __future__ import annotations

from typing import Any

import pandas as pd

from runform import screens
from runform.models import Finding


def screen_changes(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """One row per numeric screen and side assessed both times, with whether the change is real."""
    specs = screens.load_catalogue().by_id()
    rows = []
    for sid, spec in specs.items():
        if spec.kind not in ("number", "grade") or sid not in before or sid not in after:
            continue
        a, b = before[sid], after[sid]
        pairs = (
            [(s, a[s], b[s]) for s in screens.SIDES if s in a and s in b]
            if isinstance(a, dict) and isinstance(b, dict)
            else [(None, a, b)]
        )
        for side, x, y in pairs:
            mdc = spec.real_change(x) if spec.kind == "number" else 1
            rows.append(
                {
                    "screen": spec.name,
                    "screen_id": sid,
                    "side": side or "",
                    "unit": spec.unit,
                    "before": x,
                    "after": y,
                    "change": round(y - x, 2),
                    "real_change_at": round(mdc, 2),
                    "real": abs(y - x) >= mdc and abs(y - x) > 0,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "screen",
            "screen_id",
            "side",
            "unit",
            "before",
            "after",
            "change",
            "real_change_at",
            "real",
        ],
    )


def finding_changes(before: list[Finding], after: list[Finding]) -> dict[str, list[str]]:
    """Finding ids resolved, persisting and new between two assessments."""
    a, b = {f.id for f in before}, {f.id for f in after}
    order = [f.id for f in before] + [f.id for f in after if f.id not in a]
    return {
        "resolved": [i for i in order if i in a - b],
        "persisting": [i for i in order if i in a & b],
        "new": [i for i in order if i in b - a],
    }
