"""What every command shares: reading a JSON file, parsing an argument, opening the database,
naming a service's field errors as the options that set them, printing a result."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from runform.errors import InvalidInput, StorageUnavailable
from runform.paths import default_db_path
from runform.store.connection import Connection, connect

#: Database ids are 32-bit integers.
MAX_ID = 2**31 - 1


def option(field: str) -> str:
    """The command-line option that sets a plan option (`ramp_pct` is `--ramp`)."""
    return f"--{field.replace('_pct', '').replace('_', '-')}"


#: The options of `plan` and `generate`, by the PlanOptions field each sets.
PLAN_OPTIONS = {f: option(f) for f in ("weeks", "start", "deload_every", "ramp_pct")}


def read_json(path: str) -> object:
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


def validated(path: str, model: type[BaseModel], what: str, context: dict | None = None):
    data = read_json(path)
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        raise InvalidInput.from_validation(e, model, f"{path}: invalid {what}") from e


# --- arguments ---------------------------------------------------------------------------------


def day(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def number(kind: type):
    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None

    return parse


def positive(lo: int, hi: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}, got {value}")
        return value

    return parse


#: A database id: a runner, a plan, a plan version, an episode.
ids = positive(1, MAX_ID)


# --- the commands over the database: open it, call one service, print ------------------------


def command(
    sub: argparse._SubParsersAction, name: str, about: str, func: Callable
) -> argparse.ArgumentParser:
    """A command over a RunForm database (`--db`), run as the coach."""
    c = sub.add_parser(name, help=about, description=about)
    c.add_argument("--db", default=str(default_db_path()), metavar="FILE", help="the database file")
    c.set_defaults(func=func, parser=c)
    return c


@contextlib.contextmanager
def database(args: argparse.Namespace, *, create: bool = False) -> Iterator[Connection]:
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
def fields_as(options: Mapping[str, str], summary: str = "") -> Iterator[None]:
    """A service's field errors as the command line names them: a field that an option sets is
    shown as that option (`ramp_pct` as `--ramp`; a whole path first, so `answers.q1` can be
    `--q1`), the lines under `summary` (the file read)."""
    try:
        yield
    except InvalidInput as e:
        fields: dict[str, str] = {}
        for path, message in e.fields.items():
            head, _, rest = path.partition(".")
            if path in options:
                shown = options[path]
            else:
                shown = f"{options[head]} {rest}".strip() if head in options else path
            fields.setdefault(shown, message)
        raise InvalidInput(fields, "\n".join(filter(None, [summary, e.summary]))) from e


def print_model(model: BaseModel) -> None:
    print(model.model_dump_json(indent=2))


def print_models(models: Sequence[BaseModel]) -> None:
    """A list of results as one JSON array."""
    shown = [m.model_dump(mode="json") for m in models]
    print(json.dumps(shown, indent=2, ensure_ascii=False))


def only_given(**fields: object) -> dict[str, object]:
    """The fields whose option was given (None: left out, so the service's default holds)."""
    return {k: v for k, v in fields.items() if v is not None}
