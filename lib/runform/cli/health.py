"""The commands over a runner's health: injury episodes and their return-to-run ladder
(episode), and the weekly OSTRC-O2 health check (health-check), as the Health page does them."""

from __future__ import annotations

import argparse

from runform import clock, ostrc
from runform.cli.common import (
    command,
    database,
    day,
    fields_as,
    ids,
    number,
    only_given,
    print_model,
)
from runform.services import injuries
from runform.vocab import AVAILABILITIES, FINDING_SIDES, REGIONS

#: The OSTRC-O2's questions, one option each (--q1 … --q4).
QUESTIONS = ostrc.QUESTION_IDS

#: How `health-check` names the answers' fields (`answers.q1` is `--q1`).
HEALTH_CHECK_OPTIONS = {
    "athlete_id": "--athlete",
    "day": "--day",
    "region": "--region",
    **{f"answers.{q}": f"--{q}" for q in QUESTIONS},
}

#: How the `episode` commands name the services' fields.
EPISODE_OPTIONS = {
    "athlete_id": "--athlete",
    "region": "--region",
    "side": "--side",
    "onset": "--onset",
    "diagnosis": "--diagnosis",
    "status": "--status",
    "reason": "--reason",
    "notes": "--notes",
    "day": "--day",
    "ended_on": "--ended-on",
    "results": "--passed/--painful",
    "stage": "--stage",
}


def cmd_episode_open(args: argparse.Namespace) -> None:
    raw = only_given(
        athlete_id=args.athlete,
        region=args.region,
        side=args.side,
        onset=args.onset or clock.today(),
        diagnosis=args.diagnosis,
        status=args.status,
        reason=args.reason,
        notes=args.notes,
    )
    with database(args) as con, fields_as(EPISODE_OPTIONS):
        saved = injuries.open_episode(con, raw, clock.today())  # in force from today, as the page
    print_model(saved)


def cmd_episode_update(args: argparse.Namespace) -> None:
    raw = only_given(
        day=args.day or clock.today(),
        status=args.status,
        reason=args.reason,
        diagnosis=args.diagnosis,
        notes=args.notes,
    )
    with database(args) as con, fields_as(EPISODE_OPTIONS):
        saved = injuries.update_episode(con, args.episode, raw)
    print_model(saved)


def cmd_episode_close(args: argparse.Namespace) -> None:
    raw = only_given(ended_on=args.ended_on or clock.today(), reason=args.reason)
    with database(args) as con, fields_as(EPISODE_OPTIONS):
        saved = injuries.close_episode(con, args.episode, raw)
    print_model(saved)


def cmd_episode_capacity(args: argparse.Namespace) -> None:
    both = set(args.passed) & set(args.painful)
    if both:
        args.parser.error(f"argument --painful: {sorted(both)[0]} is given as --passed too")
    results = {t: True for t in args.passed} | {t: False for t in args.painful}
    raw = {"day": args.day or clock.today(), "results": results}
    with database(args) as con, fields_as(EPISODE_OPTIONS):
        saved = injuries.record_capacity(con, args.episode, raw)
    print_model(saved)


def cmd_episode_stage(args: argparse.Namespace) -> None:
    raw = {"day": args.day or clock.today(), "stage": args.stage, "reason": args.reason}
    with database(args) as con, fields_as(EPISODE_OPTIONS):
        saved = injuries.override_stage(con, args.episode, raw)
    print_model(saved)


def cmd_episode_list(args: argparse.Namespace) -> None:
    with database(args) as con:
        found = injuries.report(con, args.athlete, args.today or clock.today())
    print_model(found)


def cmd_health_check(args: argparse.Namespace) -> None:
    answers = only_given(**{q: getattr(args, q) for q in QUESTIONS})
    raw = {
        "athlete_id": args.athlete,
        "day": args.day or clock.today(),
        "region": args.region,
        "answers": answers,
    }
    with database(args) as con, fields_as(HEALTH_CHECK_OPTIONS):
        saved = injuries.record_ostrc(con, raw)
    print_model(saved)


def _episode_commands(sub: argparse._SubParsersAction) -> None:
    ep = sub.add_parser(
        "episode",
        help="open, update, close or list a runner's injury episodes; record capacity tests, "
        "set a return-to-run stage",
        description="Injury episodes as the Health page keeps them: each change prints the "
        "episode's id and status, what its return-to-run ladder did and the plan version it "
        "wrote (null: the plan did not change), as JSON.",
    )
    actions = ep.add_subparsers(dest="action", required=True, metavar="ACTION")

    op = command(
        actions,
        "open",
        "open an episode (its status in force from today); a modified lower-limb one starts "
        "the return-to-run ladder, and the current plan follows it",
        cmd_episode_open,
    )
    op.add_argument("--athlete", type=ids, metavar="ID", required=True)
    op.add_argument(
        "--region", choices=REGIONS, metavar="REGION", required=True, help=", ".join(REGIONS)
    )
    op.add_argument("--side", choices=FINDING_SIDES, help="(default: midline / not one side)")
    op.add_argument("--onset", type=day, metavar="DATE", help="since when, YYYY-MM-DD (today)")
    op.add_argument("--diagnosis", metavar="TEXT", help="what it is called (up to 120 characters)")
    op.add_argument("--status", choices=AVAILABILITIES, help="training it allows (modified)")
    op.add_argument("--reason", metavar="TEXT", help="why this status")
    op.add_argument("--notes", metavar="TEXT")

    up = command(
        actions,
        "update",
        "change an open episode's status from a day (with a reason), its diagnosis or notes; "
        "what is left out stays",
        cmd_episode_update,
    )
    up.add_argument("--episode", type=ids, metavar="ID", required=True)
    up.add_argument("--status", choices=AVAILABILITIES)
    up.add_argument("--day", type=day, metavar="DATE", help="from, YYYY-MM-DD (today)")
    up.add_argument("--reason", metavar="TEXT", help="why the status changes")
    up.add_argument("--diagnosis", metavar="TEXT")
    up.add_argument("--notes", metavar="TEXT")

    cl = command(
        actions,
        "close",
        "close an episode: the plan from before it resumes the next day when no other is open",
        cmd_episode_close,
    )
    cl.add_argument("--episode", type=ids, metavar="ID", required=True)
    cl.add_argument("--ended-on", type=day, metavar="DATE", help="YYYY-MM-DD (today)")
    cl.add_argument("--reason", metavar="TEXT", help="why it ends")

    tests = [t.id for t in injuries.capacity_tests()]
    cap = command(
        actions,
        "capacity",
        "record capacity tests done (passed without pain, or painful); the ladder may move on",
        cmd_episode_capacity,
    )
    cap.add_argument("--episode", type=ids, metavar="ID", required=True)
    for flag, what in (("--passed", "passed without pain"), ("--painful", "painful")):
        cap.add_argument(
            flag,
            choices=tests,
            action="append",
            default=[],
            metavar="TEST",
            help=f"a test {what} (repeat for more): {', '.join(tests)}",
        )
    cap.add_argument("--day", type=day, metavar="DATE", help="done on, YYYY-MM-DD (today)")

    st = command(
        actions,
        "stage",
        "set the return-to-run ladder's stage (the coach), with a reason kept with the ladder",
        cmd_episode_stage,
    )
    st.add_argument("--episode", type=ids, metavar="ID", required=True)
    st.add_argument("--stage", type=number(int), metavar="N", required=True, help="0 (no run) up")
    st.add_argument("--reason", metavar="TEXT", required=True, help="why, in a few words")
    st.add_argument("--day", type=day, metavar="DATE", help="YYYY-MM-DD (today)")

    ls = command(
        actions,
        "list",
        "print the runner's availability, episodes (open first) with their status history and "
        "ladder, the episodes the pain model suggests, this week's health check and the "
        "capacity tests, as JSON",
        cmd_episode_list,
    )
    ls.add_argument("--athlete", type=ids, metavar="ID", required=True)
    ls.add_argument("--today", type=day, metavar="DATE", help="YYYY-MM-DD (default today)")


def _answers_help(question: ostrc.Question) -> str:
    """A question's topic and its answers by number ("0 No pain, 1 Mild pain, ...")."""
    said = (o.label.replace("{area} problems", "problems") for o in question.options)
    text = f"{question.topic}: " + ", ".join(f"{i} {s}" for i, s in enumerate(said))
    return text.replace("%", "%%")  # argparse formats help with %


def _settled_help() -> str:
    """The questionnaire's logic in words: which answers one answer settles."""
    rule = injuries.questionnaire().logic
    left = " and ".join(f"--{q}" for q in rule.sets)
    return f"With --{rule.question} {rule.option}, {left} may be left out."


def add_commands(sub: argparse._SubParsersAction) -> None:
    _episode_commands(sub)
    hc = command(
        sub,
        "health-check",
        "record one week's OSTRC-O2 answers for a region (answering the week again replaces "
        "them); print the week's severity (0–100) and whether it is a (substantial) problem. "
        f"{_settled_help()}",
        cmd_health_check,
    )
    hc.add_argument("--athlete", type=ids, metavar="ID", required=True)
    hc.add_argument(
        "--region", choices=REGIONS, metavar="REGION", required=True, help=", ".join(REGIONS)
    )
    hc.add_argument("--day", type=day, metavar="DATE", help="a day of the week (today)")
    for question in injuries.questionnaire().questions:
        hc.add_argument(
            f"--{question.id}", type=number(int), metavar="N", help=_answers_help(question)
        )
