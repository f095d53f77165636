"""What every validated table under data/ shares: strict, frozen sections that name their source,
and one way to read a table (a misspelt key is an error, never a silently ignored setting)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from runform.paths import data_dir

Source = Annotated[str, Field(min_length=10)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(Strict):
    source: Source


Table = TypeVar("Table", bound=BaseModel)


def read(model: type[Table], name: str, path: Path | None = None) -> Table:
    """`data/<name>` (or `path`) validated by `model`; callers cache the result."""
    with open(path or data_dir() / name, "rb") as f:
        return model.model_validate(tomllib.load(f))
