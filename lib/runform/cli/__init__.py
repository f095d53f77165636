"""python -m runform: the command line over the library (parse, call, print; no logic here).

The commands that use the database call one service each (`runform.services`) as the coach (an
unscoped connection) and print its result. Every failure a user can meet is a named error
(`runform.errors`), printed once by `main` as `error: <message>` with its own exit status.

The commands live by use case: `files` (assess, plan, next, demo, backup, restore,
hash-password), `plans` (record, generate, adapt, export, plan-version, move), `training` (log,
import, checkin, team), `health` (episode, health-check); `common` holds what they share.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from runform import errors
from runform.cli import files, health, plans, training
from runform.errors import RunFormError

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m runform",
        description=(__doc__ or "RunForm's command line").splitlines()[0],
        epilog="exit status: 0 done, 2 invalid input, 3 not found, 4 forbidden, 5 conflict, "
        "6 storage (the database file cannot be used)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    for group in (files, plans, training, health):
        group.add_commands(sub)
    return p


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
