"""The commands over the training log and the team: log, import, the daily check-ins (checkin:
the next-morning pain check and the wellness check-in), team."""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from contextlib import ExitStack

import pandas as pd

from runform import activities, clock, export, team
from runform.cli.common import (
    command,
    database,
    day,
    fields_as,
    ids,
    number,
    only_given,
    print_model,
    print_models,
    read_json,
)
from runform.errors import InvalidInput
from runform.services import imports, reviews, training_log
from runform.vocab import FINDING_SIDES, REGIONS, RUN_KINDS

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
        data = read_json(args.session)
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
    with database(args) as con, fields_as(options, summary):
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

        with database(args) as con, fields_as({"athlete_id": "--athlete", "rpe": "--rpe"}):
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


#: The wellness check-in's items (1–5, 5 the best) besides the hours slept.
WELLNESS_ITEMS = ("sleep_quality", "fatigue", "soreness", "stress", "mood")
#: How the `checkin` commands name the check-ins' fields.
CHECKIN_OPTIONS = {
    "athlete_id": "--athlete",
    "day": "--day",
    "region": "--region",
    "side": "--side",
    "score": "--score",
    "sleep_hours": "--sleep-hours",
    **{item: f"--{item.replace('_', '-')}" for item in WELLNESS_ITEMS},
}


def cmd_morning_pain(args: argparse.Namespace) -> None:
    raw = only_given(
        athlete_id=args.athlete,
        day=args.day or clock.today(),
        region=args.region,
        side=args.side,
        score=args.score,
    )
    with database(args) as con, fields_as(CHECKIN_OPTIONS):
        saved = training_log.record_morning_pain(con, raw)
    print_model(saved)


def cmd_no_pain(args: argparse.Namespace) -> None:
    with database(args) as con, fields_as(CHECKIN_OPTIONS):
        saved = training_log.record_no_morning_pain(con, args.athlete, args.day or clock.today())
    print_models(saved)


def cmd_wellness(args: argparse.Namespace) -> None:
    raw = {
        "athlete_id": args.athlete,
        "day": args.day or clock.today(),
        "sleep_hours": args.sleep_hours,
        **{item: getattr(args, item) for item in WELLNESS_ITEMS},
    }
    with database(args) as con, fields_as(CHECKIN_OPTIONS):
        saved = training_log.record_wellness(con, raw)
    print_model(saved)


def _checkin_commands(sub: argparse._SubParsersAction) -> None:
    ci = sub.add_parser(
        "checkin",
        help="the daily check-ins: the next-morning pain check, or the wellness check-in",
        description="The daily check-ins as the Log page takes them; each prints what it stored "
        "as JSON.",
    )
    actions = ci.add_subparsers(dest="action", required=True, metavar="ACTION")

    mp = command(
        actions,
        "morning-pain",
        "the next-morning pain in one region, 0–10 (the return-to-run ladder may move on)",
        cmd_morning_pain,
    )
    mp.add_argument("--athlete", type=ids, metavar="ID", required=True)
    mp.add_argument(
        "--region", choices=REGIONS, metavar="REGION", required=True, help=", ".join(REGIONS)
    )
    mp.add_argument("--side", choices=FINDING_SIDES, help="(default: midline / not one side)")
    mp.add_argument("--score", type=number(int), metavar="N", required=True, help="0–10")
    mp.add_argument("--day", type=day, metavar="DATE", help="the morning, YYYY-MM-DD (today)")

    np = command(
        actions,
        "no-pain",
        "the next-morning check answered 'no pain': a 0 for each region the pain model watches "
        "and each open injury episode's (none when there is no pain to follow)",
        cmd_no_pain,
    )
    np.add_argument("--athlete", type=ids, metavar="ID", required=True)
    np.add_argument("--day", type=day, metavar="DATE", help="the morning, YYYY-MM-DD (today)")

    wl = command(
        actions,
        "wellness",
        "the daily wellness check-in (a second one the same day replaces the first): hours "
        "slept and five items 1–5, 5 the best",
        cmd_wellness,
    )
    wl.add_argument("--athlete", type=ids, metavar="ID", required=True)
    wl.add_argument("--day", type=day, metavar="DATE", help="YYYY-MM-DD (today)")
    wl.add_argument(
        "--sleep-hours", type=number(float), metavar="H", required=True, help="hours slept, 0–24"
    )
    for item in WELLNESS_ITEMS:
        wl.add_argument(
            f"--{item.replace('_', '-')}", type=number(int), metavar="N", required=True, help="1–5"
        )


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
    with database(args) as con:
        board = reviews.team_board(con, today)
    if args.csv:
        sys.stdout.write(export.csv_bytes(board).decode("utf-8"))
    else:
        print(team_table(board))


def add_commands(sub: argparse._SubParsersAction) -> None:
    lg = command(
        sub,
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
    lg.add_argument("--rpe", type=number(float), metavar="N", help="with --fit: session RPE 0–10")
    lg.add_argument("--day", type=day, metavar="DATE", help="with --fit: YYYY-MM-DD (today)")
    lg.add_argument("--note", metavar="TEXT", help="with --fit: a note")

    im = command(
        sub,
        "import",
        "import activity files (FIT, GPX, TCX, gzipped too) or ZIPs of them such as Strava's "
        "bulk export, each matched to the planned session of its day; print what became of "
        "each file as JSON (progress on stderr)",
        cmd_import,
    )
    im.add_argument("--athlete", type=ids, metavar="ID", required=True)
    im.add_argument("files", nargs="+", metavar="FILE", help="activity files or ZIP archives")
    im.add_argument(
        "--rpe", type=number(float), default=3.0, metavar="N", help="session RPE 0–10 (3)"
    )
    im.add_argument(
        "--undeclared-runs",
        action="store_true",
        help="a GPX or TCX file that names no sport is a run (default: only with running cadence)",
    )

    _checkin_commands(sub)

    tm = command(
        sub, "team", "print the team review: one row per runner with every flag raised", cmd_team
    )
    tm.add_argument("--today", type=day, metavar="DATE", help="YYYY-MM-DD (default today)")
    tm.add_argument("--csv", action="store_true", help="every column as CSV instead")
