"""python -m runform: the command line over the library (parse, call, print; no logic here).

The commands that use the database call one service each (`runform.services`) as the coach (an
unscoped connection) and print its result. Every failure a user can meet is a named error
(`runform.errors`), printed once by `main` as `error: <message>` with its own exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import math
import os
import sys
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import get_args

import pandas as pd
from pydantic import BaseModel, ValidationError

from runform import access, activities, clock, errors, export, progression, team, watch
from runform.compensations import assess
from runform.errors import InvalidInput, RunFormError, StorageUnavailable
from runform.models import FindingsReport, Intake, Plan, PlanOptions, error_messages
from runform.paths import default_db_path
from runform.planning import PlanError, build_plan
from runform.services import assessments, imports, plans, reviews, seed, training_log
from runform.store import backup as store_backup
from runform.store.connection import Connection, connect
from runform.vocab import ADAPT_EVENTS, REGIONS, RUN_KINDS

#: Database ids are 32-bit integers.
MAX_ID = 2**31 - 1


def _option(field: str) -> str:
    """The command-line option that sets a plan option (`ramp_pct` is `--ramp`)."""
    return f"--{field.replace('_pct', '').replace('_', '-')}"


#: The options of `plan` and `generate`, by the PlanOptions field each sets.
PLAN_OPTIONS = {f: _option(f) for f in ("weeks", "start", "deload_every", "ramp_pct")}


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
        raise InvalidInput.from_validation(e, Intake, f"{path}: invalid intake") from e


def _validated(path: str, model: type[BaseModel], what: str, context: dict | None = None):
    data = _read_json(path)
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        raise InvalidInput.from_validation(e, model, f"{path}: invalid {what}") from e


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
        found = error_messages(e, PlanOptions)
        raise InvalidInput(
            {_option(field): msg for field, msg in found.items()}, "invalid plan options"
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


# --- the commands over the database: open it, call one service, print ------------------------


@contextlib.contextmanager
def _database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Connection]:
    """The coach's (unscoped) connection to `--db`, closed afterwards.

    Only `create` makes a missing file, and a file made for a command that then fails is
    removed again, so a typo in `--db` or a refused input leaves nothing behind.
    """
    path = Path(args.db)
    fresh = not path.exists()
    if fresh and not create:
        raise StorageUnavailable(
            f"The database {path} does not exist. What to do: check --db (or RUNFORM_DB); "
            "'record' creates a database with its first runner, 'demo' one with a demo team."
        )
    con = connect(path)
    try:
        yield con
    except BaseException:
        con.close()
        if fresh:
            path.unlink(missing_ok=True)
            Path(f"{path}.wal").unlink(missing_ok=True)
        raise
    con.close()


@contextlib.contextmanager
def _fields_as(options: Mapping[str, str], summary: str = "") -> Iterator[None]:
    """A service's field errors as the command line names them: a field that an option sets is
    shown as that option (`ramp_pct` as `--ramp`), the lines under `summary` (the file read)."""
    try:
        yield
    except InvalidInput as e:
        fields: dict[str, str] = {}
        for path, message in e.fields.items():
            head, _, rest = path.partition(".")
            shown = f"{options[head]} {rest}".strip() if head in options else path
            fields.setdefault(shown, message)
        raise InvalidInput(fields, "\n".join(filter(None, [summary, e.summary]))) from e


def _print_model(model: BaseModel) -> None:
    print(model.model_dump_json(indent=2))


def cmd_record(args: argparse.Namespace) -> None:
    raw = _read_json(args.file)
    with (
        _database(args, create=True) as con,
        _fields_as({}, f"{args.file}: invalid intake"),
    ):
        saved = assessments.record_intake(con, raw, args.athlete)
    _print_model(saved)


def cmd_generate(args: argparse.Namespace) -> None:
    given = {
        "weeks": args.weeks,
        "start": args.start,
        "deload_every": args.deload_every,
        "ramp_pct": args.ramp,
    }
    raw = {k: v for k, v in given.items() if v is not None}
    with _database(args) as con, _fields_as(PLAN_OPTIONS):
        saved = plans.generate(con, args.athlete, raw)
    _print_model(saved)


def cmd_adapt(args: argparse.Namespace) -> None:
    if args.region is not None and args.event != "niggle":
        args.parser.error("argument --region: only with --event niggle")
    with _database(args) as con, _fields_as({"week": "--week", "region": "--region"}):
        version = plans.current_version(con, args.plan)
        saved = plans.adapt_week(con, args.plan, version, args.week, args.event, args.region)
    _print_model(saved)


#: How the options of `log --fit` name the session's fields.
LOG_OPTIONS = {
    "athlete_id": "--athlete",
    "fit": "--fit",
    "kind": "--kind",
    "rpe": "--rpe",
    "day": "--day",
    "note": "--note",
}


def _read_fit(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(activities.MAX_FILE_BYTES + 1)  # enough for the decoder to refuse more
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        why = getattr(e, "strerror", None) or e
        raise InvalidInput({"--fit": f"{path}: cannot read the file ({why})"}) from e


def cmd_log(args: argparse.Namespace) -> None:
    if args.session is None and args.fit is None:
        args.parser.error("give a session JSON file (SESSION.json) or a watch file (--fit FILE)")
    fit: bytes | None = None
    if args.fit is None:
        typed = [o for o in ("kind", "rpe", "day", "note") if getattr(args, o) is not None]
        if typed:
            args.parser.error(
                f"argument --{typed[0]}: only with --fit (SESSION.json holds the session's fields)"
            )
        summary = f"{args.session}: invalid session"
        data = _read_json(args.session)
        if not isinstance(data, dict):
            raise InvalidInput({"input": "must be a JSON object: one session"}, summary)
        if "athlete_id" in data:
            raise InvalidInput({"athlete_id": "leave it out: --athlete names the runner"}, summary)
        raw = {**data, "athlete_id": args.athlete}
        options = {"athlete_id": "--athlete"}
    else:
        missing = [o for o in ("kind", "rpe") if getattr(args, o) is None]
        if missing:
            args.parser.error(f"argument --fit: needs --{missing[0]} too")
        fit = _read_fit(args.fit)
        summary = "invalid session"
        raw = {
            "athlete_id": args.athlete,
            "day": args.day or clock.today(),
            "kind": args.kind,
            "rpe": args.rpe,
            **({"note": args.note} if args.note is not None else {}),
        }
        options = LOG_OPTIONS
    with _database(args) as con, _fields_as(options, summary):
        saved = training_log.log_session(con, raw, fit)
    # the proposed plan itself is stored as a version; the decisions say what changed
    shown = saved.model_dump(mode="json", exclude={"next_dose": {"plan"}})
    print(json.dumps(shown, indent=2, ensure_ascii=False))


def cmd_import(args: argparse.Namespace) -> None:
    with ExitStack() as files:
        uploads = []
        for path in args.files:
            try:
                uploads.append((path, files.enter_context(open(path, "rb"))))
            except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
                why = getattr(e, "strerror", None) or e
                raise InvalidInput({"FILE": f"{path}: cannot read the file ({why})"}) from e

        def progress(done: int, total: int, name: str) -> None:
            print(f"{done}/{total} {name}", file=sys.stderr)

        with _database(args) as con, _fields_as({"athlete_id": "--athlete", "rpe": "--rpe"}):
            report = imports.import_files(
                con,
                args.athlete,
                uploads,
                rpe=args.rpe,
                undeclared_runs=args.undeclared_runs,
                progress=progress,
            )
    shown = report.model_dump(mode="json", exclude={"next_dose": {"plan"}})
    shown["counts"] = {s: report.count(s) for s in ("imported", "duplicate", "skipped", "failed")}
    print(json.dumps(shown, indent=2, ensure_ascii=False))


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
    with _database(args) as con, _fields_as(options):
        if args.format == "fit" and args.week is None:
            written = plans.write_workouts(con, args.plan, out, args.version)
            print(f"wrote {len(written)} FIT workout file(s) to {out}")
            return
        found = plans.export_plan(con, args.plan, args.format, args.version, args.week)
    target = _write_export(found, out)
    print(f"wrote {target} ({len(found.data)} bytes)")


def _printable(text: object) -> str:
    """`text` on one line with control and format characters shown as '?' (a name typed into
    the app cannot move the terminal's cursor or reorder what follows)."""
    one_line = " ".join(str(text).split())
    return "".join("?" if unicodedata.category(c)[0] == "C" else c for c in one_line)


def _cell(value: object, fmt: str = "{}") -> str:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return "–" if missing else fmt.format(value)


def team_table(board: pd.DataFrame) -> str:
    """The team board as a plain-text table: one row per runner, raised flags by their label."""
    labels = team.flag_labels()
    header = ["ID", "Runner", "Last assessed", "Adherence", "A:C", "Monotony", "Pain", "Flags"]
    rows = [header]
    for r in board.to_dict("records"):
        raised = [label for flag, label in labels.items() if r[flag]]
        assessed = r["last_assessed"]
        rows.append(
            [
                str(r["athlete_id"]),
                _printable(r["name"]),
                _cell(None if pd.isna(assessed) else pd.Timestamp(assessed).date()),
                _cell(r["adherence"], "{:.0%}"),
                _cell(r["acwr"], "{:.2f}"),
                _cell(r["monotony"], "{:.2f}"),
                _cell(r["pain_during"], "{:g}/10"),
                "; ".join(raised) or "–",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
        for row in rows
    )


def cmd_team(args: argparse.Namespace) -> None:
    today = args.today or clock.today()
    with _database(args) as con:
        board = reviews.team_board(con, today)
    if args.csv:
        sys.stdout.write(export.csv_bytes(board).decode("utf-8"))
    else:
        print(team_table(board))


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
    p = argparse.ArgumentParser(
        prog="python -m runform",
        description=(__doc__ or "RunForm's command line").splitlines()[0],
        epilog="exit status: 0 done, 2 invalid input, 3 not found, 4 forbidden, 5 conflict, "
        "6 storage (the database file cannot be used)",
    )
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
    _database_commands(sub)
    return p


def _database_commands(sub: argparse._SubParsersAction) -> None:
    """The commands over a RunForm database: one service each, run as the coach."""
    ids = _positive(1, MAX_ID)

    def command(name: str, about: str, func) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=about, description=about)
        c.add_argument(
            "--db", default=str(default_db_path()), metavar="FILE", help="the database file"
        )
        c.set_defaults(func=func, parser=c)
        return c

    rec = command(
        "record",
        "store an intake (a new runner, or with --athlete a new assessment of that runner); "
        "print the athlete id, the assessment id and the findings as JSON",
        cmd_record,
    )
    rec.add_argument("file", metavar="INTAKE.json", help="intake JSON; '-' reads stdin")
    rec.add_argument("--athlete", type=ids, metavar="ID", help="the runner (default: a new one)")

    gen = command(
        "generate",
        "build a new plan from the runner's latest assessment; print its id and version as JSON",
        cmd_generate,
    )
    gen.add_argument("--athlete", type=ids, metavar="ID", required=True)
    gen.add_argument("--weeks", type=_number(int), required=True, metavar="N", help="4–24")
    gen.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    gen.add_argument("--deload-every", type=_number(int), metavar="N", help="2–6 (default 4)")
    gen.add_argument(
        "--ramp",
        type=_number(float),
        metavar="PCT",
        help="weekly run ramp in %%, 0–30 (default 10)",
    )

    ad = command(
        "adapt",
        "adapt a week of the current plan version as a new version; print it and its note as JSON",
        cmd_adapt,
    )
    ad.add_argument("--plan", type=ids, metavar="ID", required=True)
    ad.add_argument("--week", type=_positive(1, 1000), metavar="N", required=True)
    ad.add_argument("--event", choices=ADAPT_EVENTS, required=True)
    ad.add_argument("--region", choices=REGIONS, help="the niggle's region (with --event niggle)")

    lg = command(
        "log",
        "log a session (SESSION.json) or a watch file (--fit); print the log id, the next-dose "
        "decisions and any proposal problem as JSON",
        cmd_log,
    )
    lg.add_argument("--athlete", type=ids, metavar="ID", required=True)
    given = lg.add_mutually_exclusive_group()
    given.add_argument(
        "session",
        nargs="?",
        metavar="SESSION.json",
        help="a session log as JSON without athlete_id (see the README); '-' reads stdin",
    )
    given.add_argument(
        "--fit", metavar="FILE", help="a watch or app file of a run (.fit, .gpx or .tcx)"
    )
    lg.add_argument("--kind", choices=RUN_KINDS, help="with --fit: the run's kind")
    lg.add_argument("--rpe", type=_number(float), metavar="N", help="with --fit: session RPE 0–10")
    lg.add_argument("--day", type=_day, metavar="DATE", help="with --fit: YYYY-MM-DD (today)")
    lg.add_argument("--note", metavar="TEXT", help="with --fit: a note")

    ex = command(
        "export",
        "write a plan as CSV, iCalendar or PDF, or its watch workouts (FIT)",
        cmd_export,
    )
    ex.add_argument("--plan", type=ids, metavar="ID", required=True)
    ex.add_argument("--format", choices=get_args(plans.Format), required=True)
    ex.add_argument("--version", type=ids, metavar="N", help="the plan version (default current)")
    ex.add_argument(
        "--week", type=_positive(1, 1000), metavar="N", help="fit: only this week, as a ZIP"
    )
    ex.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the file to write (into a folder under its own name); fit without --week: the "
        "folder for one workout file per structured run",
    )

    im = command(
        "import",
        "import activity files (FIT, GPX, TCX, gzipped too) or ZIPs of them such as Strava's "
        "bulk export, each matched to the planned session of its day; print what became of "
        "each file as JSON (progress on stderr)",
        cmd_import,
    )
    im.add_argument("--athlete", type=ids, metavar="ID", required=True)
    im.add_argument("files", nargs="+", metavar="FILE", help="activity files or ZIP archives")
    im.add_argument(
        "--rpe", type=_number(float), default=3.0, metavar="N", help="session RPE 0–10 (3)"
    )
    im.add_argument(
        "--undeclared-runs",
        action="store_true",
        help="a GPX or TCX file that names no sport is a run (default: only with running cadence)",
    )

    tm = command(
        "team", "print the team review: one row per runner with every flag raised", cmd_team
    )
    tm.add_argument("--today", type=_day, metavar="DATE", help="YYYY-MM-DD (default today)")
    tm.add_argument("--csv", action="store_true", help="every column as CSV instead")


def _failed(error: Exception, code: int) -> int:
    print(f"error: {error}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user's error is one message on stderr and its exit status
    (`errors.EXIT_CODES`: 2 invalid input, 3 not found, 4 forbidden, 5 conflict, 6 storage)."""
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except RunFormError as e:
        return _failed(e, errors.exit_code(e))
    except BrokenPipeError:  # the reader went away (`... | head`): nothing more to print
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
