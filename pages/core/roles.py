"""Who can be here: the roles, and how the coach's sign-in is configured."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import streamlit as st

RoleKind = Literal["coach", "runner", "demo"]
COACH_KINDS: tuple[RoleKind, ...] = ("coach", "demo")
EVERYONE: tuple[RoleKind, ...] = ("coach", "demo", "runner")


@dataclass(frozen=True)
class Role:
    kind: RoleKind
    athlete_id: int | None = None


def current_role() -> Role:
    return st.session_state.get("role", Role("demo"))


def is_runner() -> bool:
    return current_role().kind == "runner"


def coach_password_hash() -> str | None:
    if os.environ.get("RUNFORM_COACH_PASSWORD_HASH"):
        return os.environ["RUNFORM_COACH_PASSWORD_HASH"]
    try:
        return st.secrets.get("coach", {}).get("password_hash")
    except FileNotFoundError:
        return None


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def coach_emails() -> list[str]:
    """The identity-provider accounts that are this team's coaches (RUNFORM_COACH_EMAILS, comma
    separated, or `[coach] emails = [...]` in secrets)."""
    if os.environ.get("RUNFORM_COACH_EMAILS"):
        return os.environ["RUNFORM_COACH_EMAILS"].split(",")
    try:
        return list(st.secrets.get("coach", {}).get("emails", []))
    except FileNotFoundError:
        return []
