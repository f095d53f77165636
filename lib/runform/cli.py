"""python -m runform: the command line over the library (parse, call, print; no logic here)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from runform import access, clock, demo, progression, watch
from runform.compensations import assess
from runform.errors import StorageUnavailable
from runform.models import FindingsReport, Intake, Plan, PlanOptions, error_messages
from runform.paths import default_db_path
from runform.planning import PlanError, build_plan
from runform.store import backup as store_backup
from runform.store.connection import connect

EXIT_INVALID = 2


class InvalidInput(Exception):
    """Input the user must fix: printed on stderr, exit status 2, nothing written."""


def _read_json(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidInput(f"{path}: not a UTF-8 text file") from e
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        raise InvalidInput(f"{path}: cannot read the file ({getattr(e, 'strerror', e)})") from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidInput(
            f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})"
        ) from e
    except (ValueError, RecursionError) as e:  # numbers over 4,300 digits, nesting too deep
        raise InvalidInput(f"{path}: JSON too large or too deeply nested to read") from e


def load_intake(path: str) -> Intake:
    data = _read_json(path)
    try:
        return Intake.model_validate(data)
    except ValidationError as e:
        lines = [f"{field}: {msg}" for field, msg in error_messages(e).items()]
        raise InvalidInput(f"{path}: invalid intake\n" + "\n".join(lines)) from e


def _validated(path: str, model: type[BaseModel], what: str, context: dict | None = None):
    data = _read_json(path)
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        lines = [f"{field}: {msg}" for field, msg in error_messages(e, model).items()]
        raise InvalidInput(f"{path}: invalid {what}\n" + "\n".join(lines)) from e


def _day(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def cmd_next(args: argparse.Namespace) -> None:
    today = args.today or clock.today()
    plan = _validated(args.plan, Plan, "plan")
    given = _validated(args.logs, progression.ProgressionInput, "logs", {"today": today})
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
        lines = [
            f"--{field.replace('_pct', '').replace('_', '-')}: {msg}"
            for field, msg in error_messages(e, PlanOptions).items()
        ]
        raise InvalidInput("invalid plan options\n" + "\n".join(lines)) from e
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


def _number(kind: type):
    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None

    return parse


def cmd_demo(args: argparse.Namespace) -> None:
    path = Path(args.db)
    if path.exists() and not args.replace:
        raise InvalidInput(f"{path} already exists; pass --replace to overwrite it")
    if path.exists():
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    con = connect(path)
    try:
        n = demo.load_team(con, n=args.athletes, weeks=args.weeks, seed=args.seed)
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


def _positive(lo: int, hi: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}, got {value}")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m runform", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assess", help="print the findings JSON for an intake JSON file")
    a.add_argument("file", help="intake JSON (protocols §1); '-' reads stdin")
    a.set_defaults(func=cmd_assess)
    pl = sub.add_parser("plan", help="print the plan JSON for an intake JSON file")
    pl.add_argument("file", help="intake JSON (protocols §1); '-' reads stdin")
    pl.add_argument("--weeks", type=_number(int), required=True, help="4–24")
    pl.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    pl.add_argument("--deload-every", type=_number(int), help="2–6 (default 4: 3 weeks + 1)")
    pl.add_argument("--ramp", type=_number(float), help="weekly run ramp in %%, 0–30 (default 10)")
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
    n.add_argument("--today", type=_day, help="the day to decide on, YYYY-MM-DD (default today)")
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
    d.add_argument("--athletes", type=_positive(1, 100_000), default=12)
    d.add_argument("--weeks", type=_positive(2, 520), default=16, help="weeks of history")
    d.add_argument("--db", default=str(default_db_path()), help="DuckDB file to create")
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--replace", action="store_true", help="overwrite an existing file")
    d.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (InvalidInput, store_backup.BackupError, StorageUnavailable) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INVALID
    return 0
