"""Cached reads, shared by every session and cleared on every write (by `run` only).

A read is a service function called with the asker's cursor; the cache key holds the database
file, the viewer's role (a runner's cursor sees only their rows), the function's name and its
arguments.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from pages.core.db import connection, db
from pages.core.roles import Role, current_role
from runform.models import Plan
from runform.paths import default_db_path
from runform.services import assessments, plans
from runform.store.connection import Connection

P = ParamSpec("P")
R = TypeVar("R")

_BY_NAME = {types.FunctionType: lambda f: f"{f.__module__}.{f.__qualname__}"}


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600, hash_funcs=_BY_NAME)
def _read(database: str, role: Role, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return read(db(), *args, **kwargs)


def read(read: Callable[Concatenate[Connection, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`read(cursor, *args, **kwargs)`, a service's read, cached until the next write."""
    connection()  # a database that cannot be opened stops the page here, saying why
    return _read(str(default_db_path()), current_role(), read, *args, **kwargs)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_NAME)
def _version(database: str, role: Role, plan_id: int, version: int) -> Plan:
    return plans.load(db(), plan_id, version)  # NotFound is raised, so never cached


def plan(plan_id: int, version: int | None = None) -> Plan:
    """A plan version (the current one by default). A numbered version never changes (an edit
    is a new version), so it stays cached across writes; the current one until the next write."""
    if version is None:
        return read(plans.load, plan_id, version)
    connection()  # a database that cannot be opened stops the page here, saying why
    return _version(str(default_db_path()), current_role(), plan_id, version)


def roster() -> pd.DataFrame:
    """The runners the viewer may see, by name."""
    return read(assessments.roster)


def data_changed() -> None:
    """Forget every cached read: called once after each write, by `pages.core.run` alone."""
    _read.clear()
