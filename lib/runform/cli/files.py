"""The commands over files, without a database (assess, plan, next), and the ones that make,
copy or guard a database file (demo, backup, restore, hash-password)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from pydantic import ValidationError

from runform import access, clock, progression, watch
from runform.cli.common import day, number, option, positive, read_json, validated
from runform.compensations import assess
from runform.errors import InvalidInput
from runform.models import FindingsReport, Intake, Plan, PlanOptions, error_messages
from runform.paths import default_db_path
from runform.planning import PlanError, build_plan
from runform.services import seed
from runform.store import backup as store_backup
from runform.store.connection import connect


def load_intake(path: str) -> Intake:
    data = read_json(path)
    try:
        return Intake.model_validate(data)
    except ValidationError as e:
        raise InvalidInput.from_validation(e, Intake, f"{path}: invalid intake") from e


def cmd_next(args: argparse.Namespace) -> None:
    today = args.today or clock.today()
    plan = validated(args.plan, Plan, "plan")
    given = validated(args.logs, progression.ProgressionInput, "logs", {"today": today})
    print(progression.next_dose(plan, given, today).model_dump_json(indent=2))


def cmd_assess(args: argparse.Namespace) -> None:
    intake = load_intake(args.file)
    report = FindingsReport(findings=assess(intake))
    print(report.model_dump_json(indent=2))


def cmd_plan(args: argparse.Namespace) -> None:
    intake = load_intake(args.file)
    raw = {
        "weeks": args.weeks,
        "start": args.start,
        "deload_every": args.deload_every,
        "ramp_pct": args.ramp,
    }
    try:
        options = PlanOptions.model_validate({k: v for k, v in raw.items() if v is not None})
    except ValidationError as e:
        found = error_messages(e, PlanOptions)
        raise InvalidInput(
            {option(field): msg for field, msg in found.items()}, "invalid plan options"
        ) from e
    try:
        plan = build_plan(
            assess(intake),
            intake.athlete,
            options,
            screens=intake.screens,
            assessed_on=intake.assessed_on,  # the intake's longest run is dated on that day
        )
    except PlanError as e:
        raise InvalidInput(f"{args.file}: {e}") from e
    if args.fit is not None:
        try:
            written = watch.write_plan(plan, Path(args.fit), runner=intake.athlete.name)
        except (OSError, ValueError) as e:
            why = getattr(e, "strerror", None) or e
            raise InvalidInput(f"--fit {args.fit}: cannot write the watch workouts ({why})") from e
        print(f"wrote {len(written)} FIT workout file(s) to {args.fit}", file=sys.stderr)
    print(plan.model_dump_json(indent=2))


def cmd_demo(args: argparse.Namespace) -> None:
    path = Path(args.db)
    if path.exists() and not args.replace:
        raise InvalidInput(f"{path} already exists; pass --replace to overwrite it")
    if path.exists():
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    con = connect(path)
    try:
        n = seed.demo_team(con, n=args.athletes, weeks=args.weeks, seed=args.seed)
    finally:
        con.close()
    print(f"wrote a demo team of {n} runners over {args.weeks} weeks to {path}")


def cmd_backup(args: argparse.Namespace) -> None:
    path = Path(args.db)
    try:
        target, snapshot = store_backup.backup_file(path, Path(args.directory))
    except FileExistsError as e:
        raise InvalidInput(str(e)) from e
    how = " (from a snapshot: the app has it open)" if snapshot else ""
    print(f"backed up {path} to {target}{how}")


def cmd_restore(args: argparse.Namespace) -> None:
    path = Path(args.db)
    try:
        store_backup.restore(Path(args.directory), path, replace=args.replace).close()
    except FileExistsError as e:
        raise InvalidInput(f"{e} (pass --replace to overwrite an existing file)") from e
    print(f"restored {args.directory} into {path}")


def cmd_hash_password(args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("Password: ")
    try:
        print(access.hash_password(password))
    except ValueError as e:
        raise InvalidInput(str(e)) from e


def add_commands(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("assess", help="print the findings JSON for an intake JSON file")
    a.add_argument("file", help="intake JSON (protocols §1); '-' reads stdin")
    a.set_defaults(func=cmd_assess)
    pl = sub.add_parser("plan", help="print the plan JSON for an intake JSON file")
    pl.add_argument("file", help="intake JSON (protocols §1); '-' reads stdin")
    pl.add_argument("--weeks", type=number(int), required=True, help="4–24")
    pl.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    pl.add_argument("--deload-every", type=number(int), help="2–6 (default 4: 3 weeks + 1)")
    pl.add_argument("--ramp", type=number(float), help="weekly run ramp in %%, 0–30 (default 10)")
    pl.add_argument(
        "--fit",
        metavar="DIR",
        help="also write one FIT workout per structured run into DIR (created if missing)",
    )
    pl.set_defaults(func=cmd_plan)
    n = sub.add_parser(
        "next", help="print the proposed next week and every progression decision as JSON"
    )
    n.add_argument("--plan", required=True, help="plan JSON (what 'plan' prints)")
    n.add_argument("--logs", required=True, help="logs JSON (see the README); '-' reads stdin")
    n.add_argument("--today", type=day, help="the day to decide on, YYYY-MM-DD (default today)")
    n.set_defaults(func=cmd_next)
    b = sub.add_parser("backup", help="export the database to a folder (Parquet)")
    b.add_argument("directory", help="a new or empty folder")
    b.add_argument("--db", default=str(default_db_path()), help="the database file")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup folder into a database file")
    r.add_argument("directory", help="a folder written by 'backup'")
    r.add_argument("--db", default=str(default_db_path()), help="the database file to create")
    r.add_argument("--replace", action="store_true", help="overwrite an existing file")
    r.set_defaults(func=cmd_restore)
    h = sub.add_parser("hash-password", help="print the argon2 hash of a coach password")
    h.add_argument("--stdin", action="store_true", help="read the password from stdin")
    h.set_defaults(func=cmd_hash_password)
    d = sub.add_parser("demo", help="write a demo team into a DuckDB file")
    d.add_argument("--athletes", type=positive(1, 100_000), default=12)
    d.add_argument("--weeks", type=positive(2, 520), default=16, help="weeks of history")
    d.add_argument("--db", default=str(default_db_path()), help="DuckDB file to create")
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--replace", action="store_true", help="overwrite an existing file")
    d.set_defaults(func=cmd_demo)
