"""Compare assessments: screen changes against the minimal detectable change, and finding status.

Only what was measured is compared. A finding counts as resolved only when every screen that
produced it was measured again, on every side it was measured before, and the finding no longer
fires; otherwise it is "not re-tested". The screens that produced a finding are its evidence's
screens, plus the other screen of a ratio test (the evidence names only the first).

Pain evidence (`pain.<region>`) counts as re-asked at every assessment: both intake modes ask about
pain (the coach form's Pain section, and the self-assessment's Pain step, which cannot be skipped),
and an empty pain list is the answer "no pain", so a pain finding that is gone is resolved.

Real change itself is `runform.change.is_real`; this module only pairs the values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pandas as pd

from runform import change, screens
from runform.compensations import Condition, load_rules
from runform.models import Finding
from runform.vocab import SIDES

PAIN = "pain"  # the pseudo-screen every assessment measures: pain is asked each time
STATUSES = ("resolved", "persisting", "new", "not re-tested", "baseline")

# screen id -> the sides measured ("left", "right", or "none" for a one-sided screen)
Measured = Mapping[str, frozenset[str]]


def measured_in(values: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """The screens (and sides) an intake's screens JSON holds, with pain always asked."""
    out: dict[str, frozenset[str]] = {PAIN: frozenset({"none"})}
    for sid, v in values.items():
        if v is None:
            continue
        out[sid] = frozenset(v) if isinstance(v, dict) else frozenset({"none"})
    return out


def measured_by_assessment(frame: pd.DataFrame) -> dict[int, dict[str, frozenset[str]]]:
    """`review.measured_screens` rows as {assessment_id: Measured}; every assessment asks pain."""
    out: dict[int, dict[str, frozenset[str]]] = {}
    row: Any  # an itertuples row: each field has its column's type (pandas-stubs: any scalar)
    for row in frame.itertuples():
        got = out.setdefault(int(row.assessment_id), {PAIN: frozenset({"none"})})
        if isinstance(row.screen_id, str):
            got[row.screen_id] = got.get(row.screen_id, frozenset()) | {row.side}
    return out


def _others(conditions: Iterable[Condition], screen: str) -> set[str]:
    out: set[str] = set()
    for c in conditions:
        if c.test == "ratio_above" and c.screen == screen and c.other:
            out.add(c.other)
        out |= _others(c.all or [], screen)
    return out


def produced_by(finding: Finding) -> list[str]:
    """The screens that produced a finding (pain evidence as `PAIN`), in evidence order."""
    rules = {r.id: r for r in load_rules().findings}
    rule = rules.get(finding.id)
    out: list[str] = []
    for e in finding.evidence:
        sid = PAIN if e.screen.startswith("pain.") else e.screen
        extra = sorted(_others(rule.when, sid)) if rule else []
        for s in [sid, *extra]:
            if s not in out:
                out.append(s)
    return out


def not_remeasured(finding: Finding, before: Measured, after: Measured) -> list[str]:
    """The screens of `finding` the later assessment did not measure on every earlier side."""
    missing = []
    for sid in produced_by(finding):
        was = before.get(sid, frozenset())
        now = after.get(sid)
        if now is None or not was <= now:
            missing.append(sid)
    return missing


@dataclass(frozen=True)
class Status:
    finding_id: str
    severity: str
    status: str  # one of STATUSES
    screens: tuple[str, ...]  # the screens that produced it
    not_remeasured: tuple[str, ...] = ()


def finding_status(
    before: list[Finding] | None,
    after: list[Finding],
    measured_before: Measured | None = None,
    measured_after: Measured | None = None,
) -> list[Status]:
    """Each finding of two assessments: resolved, persisting, new or not re-tested.

    `before` None means `after` is the only assessment: its findings are the baseline.
    """
    if before is None:
        return [Status(f.id, f.severity, "baseline", tuple(produced_by(f))) for f in after]
    now = {f.id: f for f in after}
    was = {f.id for f in before}
    out: list[Status] = []
    for f in before:
        if f.id in now:
            g = now[f.id]
            out.append(Status(f.id, g.severity, "persisting", tuple(produced_by(g))))
            continue
        missing = not_remeasured(f, measured_before or {}, measured_after or {})
        out.append(
            Status(
                f.id,
                f.severity,
                "not re-tested" if missing else "resolved",
                tuple(produced_by(f)),
                tuple(missing),
            )
        )
    out += [
        Status(f.id, f.severity, "new", tuple(produced_by(f))) for f in after if f.id not in was
    ]
    return out


STATUS_COLUMNS = ["finding_id", "severity", "status", "screens", "not_remeasured"]


def latest_two(measured: pd.DataFrame) -> list[int]:
    """The runner's latest assessment ids, newest first (at most two), by date then id."""
    if measured.empty:
        return []
    order = (
        measured[["assessment_id", "assessed_on"]]
        .drop_duplicates()
        .sort_values(["assessed_on", "assessment_id"], ascending=False)
    )
    return [int(i) for i in order["assessment_id"].head(2)]


def _findings(frame: pd.DataFrame, assessment_id: int) -> list[Finding]:
    rows = frame[frame["assessment_id"] == assessment_id]
    return [
        Finding(
            id=r.finding_id,
            severity=r.severity,
            side=None if pd.isna(r.side) else r.side,
            evidence=json.loads(r.evidence) if isinstance(r.evidence, str) else r.evidence,
            explanation=r.explanation,
            source=r.source,
        )
        for r in cast("Iterator[Any]", rows.itertuples())  # fields typed by column, see above
    ]


def status_table(findings: pd.DataFrame, measured: pd.DataFrame) -> pd.DataFrame:
    """`finding_status` between a runner's latest two assessments, from the store's inputs
    (`review.findings_by_assessment` and `review.measured_screens`)."""
    ids = latest_two(measured)
    if not ids:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    by = measured_by_assessment(measured)
    latest = _findings(findings, ids[0])
    if len(ids) == 1:
        got = finding_status(None, latest)
    else:
        got = finding_status(_findings(findings, ids[1]), latest, by[ids[1]], by[ids[0]])
    rows = [
        (s.finding_id, s.severity, s.status, list(s.screens), list(s.not_remeasured)) for s in got
    ]
    table = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    rank = {s: i for i, s in enumerate(STATUSES)}
    return table.sort_values(
        ["status", "finding_id"], key=lambda c: c.map(rank) if c.name == "status" else c
    ).reset_index(drop=True)


def screen_names(ids: Iterable[str]) -> list[str]:
    """Display names for screen ids (pain as "pain questions")."""
    specs = screens.load_catalogue().by_id()
    return ["pain questions" if i == PAIN else specs[i].name if i in specs else i for i in ids]


def retested(before: Measured, after: Measured) -> list[str]:
    """Screens measured in both assessments (catalogue order), i.e. the ones re-tested."""
    return [s.id for s in screens.load_catalogue().screens if s.id in before and s.id in after]


def latest_retested(measured: pd.DataFrame) -> tuple[date | None, list[str]]:
    """The latest assessment's date and the screens it measured again from the one before
    (None and [] with fewer than two assessments)."""
    ids = latest_two(measured)
    if len(ids) < 2:
        return None, []
    by = measured_by_assessment(measured)
    on = measured.loc[measured["assessment_id"] == ids[0], "assessed_on"].iloc[0]
    return pd.Timestamp(on).date(), retested(by[ids[1]], by[ids[0]])


CHANGE_COLUMNS = [
    "screen",
    "screen_id",
    "side",
    "unit",
    "before",
    "after",
    "change",
    "real_change_at",
    "figure",
    "real",
]


def screen_changes(
    before: dict[str, Any], after: dict[str, Any], same: bool | None = None
) -> pd.DataFrame:
    """One row per number or grade screen and side measured both times, with whether the change
    is real (`change.is_real`) and which figure decided it (`same`: who assessed, see
    `change.same_assessor`)."""
    specs = screens.load_catalogue().by_id()
    rows = []
    for sid, spec in specs.items():
        if spec.kind not in ("number", "grade") or sid not in before or sid not in after:
            continue
        a, b = before[sid], after[sid]
        pairs = (
            [(s, a[s], b[s]) for s in SIDES if s in a and s in b]
            if isinstance(a, dict) and isinstance(b, dict)
            else [(None, a, b)]
        )
        for side, x, y in pairs:
            t = change.threshold(spec, x, same)
            rows.append(
                {
                    "screen": spec.name,
                    "screen_id": sid,
                    "side": side or "",
                    "unit": spec.unit,
                    "before": x,
                    "after": y,
                    "change": round(y - x, 2),
                    "real_change_at": round(t.value, 2),
                    "figure": t.text(),
                    "real": change.is_real(spec, x, y, same),
                }
            )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


PROGRESS_COLUMNS = [
    "screen_id",
    "side",
    "baseline_on",
    "baseline",
    "assessed_on",
    "value",
    "change",
    "figure",
    "real",
]


def screen_progress(values: pd.DataFrame, measured: pd.DataFrame) -> pd.DataFrame:
    """Each number screen and side measured at the latest assessment against its first value.

    `values` is `review.screens` (measured values only), `measured` `review.measured_screens`.
    A screen not measured at the latest assessment has no row: no comparison for a test not done
    this time. The figure follows who assessed the first and the latest value.
    """
    ids = latest_two(measured)
    if not ids or values.empty:
        return pd.DataFrame(columns=PROGRESS_COLUMNS)
    specs = screens.load_catalogue().by_id()
    who = measured.drop_duplicates("assessment_id").set_index("assessment_id")["assessor"]
    ordered = values.sort_values(["assessed_on", "assessment_id"])
    first = ordered.groupby(["screen_id", "side"]).head(1).set_index(["screen_id", "side"])
    rows = []
    r: Any  # an itertuples row, as in measured_by_assessment
    for r in ordered[ordered["assessment_id"] == ids[0]].itertuples():
        spec = specs.get(r.screen_id)
        base = first.loc[(r.screen_id, r.side)]
        if spec is None or spec.kind != "number" or int(base["assessment_id"]) == ids[0]:
            continue
        same = change.same_assessor(who.get(base["assessment_id"]), who.get(ids[0]))
        rows.append(
            {
                "screen_id": r.screen_id,
                "side": r.side,
                "baseline_on": base["assessed_on"],
                "baseline": base["value"],
                "assessed_on": r.assessed_on,
                "value": r.value,
                "change": round(r.value - base["value"], 2),
                "figure": change.threshold(spec, base["value"], same).text(),
                "real": change.is_real(spec, base["value"], r.value, same),
            }
        )
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
