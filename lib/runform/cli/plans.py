"""The commands over a runner's assessments and plans: record, generate, adapt, export, the
coach's decisions on versions (plan-version) and moving a planned session (move)."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import get_args

from runform.cli.common import (
    PLAN_OPTIONS,
    command,
    database,
    day,
    fields_as,
    ids,
    number,
    positive,
    print_model,
    print_models,
    read_json,
)
from runform.errors import InvalidInput
from runform.services import assessments, plans
from runform.vocab import ADAPT_EVENTS, REGIONS


def cmd_record(args: argparse.Namespace) -> None:
    raw = read_json(args.file)
    with (
        database(args, create=True) as con,
        fields_as({}, f"{args.file}: invalid intake"),
    ):
        saved = assessments.record_intake(con, raw, args.athlete)
    print_model(saved)


def cmd_generate(args: argparse.Namespace) -> None:
    given = {
        "weeks": args.weeks,
        "start": args.start,
        "deload_every": args.deload_every,
        "ramp_pct": args.ramp,
    }
    raw = {k: v for k, v in given.items() if v is not None}
    with database(args) as con, fields_as(PLAN_OPTIONS):
        saved = plans.generate(con, args.athlete, raw)
    print_model(saved)


def cmd_adapt(args: argparse.Namespace) -> None:
    if args.region is not None and args.event != "niggle":
        args.parser.error("argument --region: only with --event niggle")
    with database(args) as con, fields_as({"week": "--week", "region": "--region"}):
        version = plans.current_version(con, args.plan)
        saved = plans.adapt_week(con, args.plan, version, args.week, args.event, args.region)
    print_model(saved)


def _write_export(found: plans.Export, out: Path) -> Path:
    """`found` written to `out` (into it under its own name when `out` is a folder), whole or
    not at all: a file `out` names is replaced only once the new one is complete."""
    target = out / found.filename if out.is_dir() else out
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(found.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        why = getattr(e, "strerror", None) or e
        raise InvalidInput({"--out": f"cannot write {target} ({why})"}) from e
    return target


def cmd_export(args: argparse.Namespace) -> None:
    if args.week is not None and args.format != "fit":
        args.parser.error("argument --week: only with --format fit (one week's watch workouts)")
    out = Path(args.out)
    options = {"week": "--week", "version": "--version", "directory": "--out"}
    with database(args) as con, fields_as(options):
        if args.format == "fit" and args.week is None:
            written = plans.write_workouts(con, args.plan, out, args.version)
            print(f"wrote {len(written)} FIT workout file(s) to {out}")
            return
        found = plans.export_plan(con, args.plan, args.format, args.version, args.week)
    target = _write_export(found, out)
    print(f"wrote {target} ({len(found.data)} bytes)")


def cmd_versions(args: argparse.Namespace) -> None:
    with database(args) as con:
        found = plans.version_history(con, args.plan)
    print_models(found)


def cmd_accept(args: argparse.Namespace) -> None:
    with database(args) as con:
        saved = plans.decide(con, args.plan, args.version, accept=True)
    print_model(saved)


def cmd_reject(args: argparse.Namespace) -> None:
    with database(args) as con:
        saved = plans.decide(con, args.plan, args.version, accept=False)
    print_model(saved)


def cmd_restore_version(args: argparse.Namespace) -> None:
    with database(args) as con:
        saved = plans.restore(con, args.plan, args.version)
    print_model(saved)


#: How `move` names the fields of `plans.move_session`.
MOVE_OPTIONS = {"week": "--week", "session": "--session", "day": "--to"}


def cmd_move(args: argparse.Namespace) -> None:
    with database(args) as con, fields_as(MOVE_OPTIONS):
        version = args.version or plans.current_version(con, args.plan)
        # --session counts from 1, as the service's messages do; its position from 0
        saved = plans.move_session(con, args.plan, version, args.week, args.session - 1, args.to)
    print_model(saved)


def _plan_version_commands(sub: argparse._SubParsersAction) -> None:
    pv = sub.add_parser(
        "plan-version",
        help="list a plan's versions, accept or reject a proposed one, restore an older one",
        description="A plan's versions: every change is a new version, and a progression's "
        "change waits as a proposed version for the coach to accept or reject.",
    )
    actions = pv.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = command(
        actions,
        "list",
        "print the plan's versions, newest first, with their note, status (accepted, proposed, "
        "rejected) and which is current, as JSON",
        cmd_versions,
    )
    ls.add_argument("--plan", type=ids, metavar="ID", required=True)
    for name, about, func in (
        (
            "accept",
            "accept a proposed version: it becomes the current plan",
            cmd_accept,
        ),
        (
            "reject",
            "reject (roll back) a proposed version: the current plan stays",
            cmd_reject,
        ),
        (
            "restore",
            "make an older version the current plan again, as a new version",
            cmd_restore_version,
        ),
    ):
        c = command(actions, name, f"{about}; print the current version and a note as JSON", func)
        c.add_argument("--plan", type=ids, metavar="ID", required=True)
        c.add_argument("--version", type=ids, metavar="N", required=True)


def add_commands(sub: argparse._SubParsersAction) -> None:
    rec = command(
        sub,
        "record",
        "store an intake (a new runner, or with --athlete a new assessment of that runner); "
        "print the athlete id, the assessment id and the findings as JSON",
        cmd_record,
    )
    rec.add_argument("file", metavar="INTAKE.json", help="intake JSON; '-' reads stdin")
    rec.add_argument("--athlete", type=ids, metavar="ID", help="the runner (default: a new one)")

    gen = command(
        sub,
        "generate",
        "build a new plan from the runner's latest assessment; print its id and version as JSON",
        cmd_generate,
    )
    gen.add_argument("--athlete", type=ids, metavar="ID", required=True)
    gen.add_argument("--weeks", type=number(int), required=True, metavar="N", help="4–24")
    gen.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    gen.add_argument("--deload-every", type=number(int), metavar="N", help="2–6 (default 4)")
    gen.add_argument(
        "--ramp",
        type=number(float),
        metavar="PCT",
        help="weekly run ramp in %%, 0–30 (default 10)",
    )

    ad = command(
        sub,
        "adapt",
        "adapt a week of the current plan version as a new version; print it and its note as JSON",
        cmd_adapt,
    )
    ad.add_argument("--plan", type=ids, metavar="ID", required=True)
    ad.add_argument("--week", type=positive(1, 1000), metavar="N", required=True)
    ad.add_argument("--event", choices=ADAPT_EVENTS, required=True)
    ad.add_argument("--region", choices=REGIONS, help="the niggle's region (with --event niggle)")

    ex = command(
        sub,
        "export",
        "write a plan as CSV, iCalendar or PDF, or its watch workouts (FIT)",
        cmd_export,
    )
    ex.add_argument("--plan", type=ids, metavar="ID", required=True)
    ex.add_argument("--format", choices=get_args(plans.Format), required=True)
    ex.add_argument("--version", type=ids, metavar="N", help="the plan version (default current)")
    ex.add_argument(
        "--week", type=positive(1, 1000), metavar="N", help="fit: only this week, as a ZIP"
    )
    ex.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the file to write (into a folder under its own name); fit without --week: the "
        "folder for one workout file per structured run",
    )

    _plan_version_commands(sub)

    mv = command(
        sub,
        "move",
        "move a planned session to another day of its week the runner is available, as a new "
        "version; print it and its note as JSON",
        cmd_move,
    )
    mv.add_argument("--plan", type=ids, metavar="ID", required=True)
    mv.add_argument("--version", type=ids, metavar="N", help="the plan version (default current)")
    mv.add_argument("--week", type=positive(1, 1000), metavar="N", required=True)
    mv.add_argument(
        "--session",
        type=positive(1, 1000),
        metavar="N",
        required=True,
        help="the week's Nth session, 1 first (in the order the export lists them)",
    )
    mv.add_argument("--to", type=day, metavar="DATE", required=True, help="YYYY-MM-DD")
