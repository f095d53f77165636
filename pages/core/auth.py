"""Who is here: a runner's personal link, a signed-in coach, or open demo mode.

Every page function starts with `require`, so no page shows anything to someone who has not
signed in or opened a valid runner link, whoever calls it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import streamlit as st

from pages.core.db import connection
from pages.core.nav import PAGES
from pages.core.roles import Role, RoleKind, coach_emails, coach_password_hash, oidc_configured
from runform import access, clock
from runform.access import check_password
from runform.services import access as links


def _oidc_coach() -> bool:
    """Signed in at the identity provider with one of the coach accounts, checked on every run."""
    return bool(st.user.is_logged_in) and access.coach_allowed(st.user.get("email"), coach_emails())


@st.cache_resource
def _throttle() -> access.Throttle:
    """Failed sign-ins across all sessions of this server (per session and per client address)."""
    return access.Throttle()


def _throttle_keys() -> list[str]:
    keys = [f"session:{st.session_state.setdefault('_signin_id', access.new_token())}"]
    if st.context.ip_address:
        keys.append(f"address:{st.context.ip_address}")
    return keys


def sign_in() -> Role | None:
    """Who is here, or None when nobody may come in yet (show `gate` then).

    A runner's token is kept in the session and put back into the address on every run, so a
    reload, Back or a shared address stays that runner; it never falls back to the coach.
    """
    token = st.query_params.get("runner") or st.session_state.get("runner_token")
    role: Role | None
    if token:
        athlete = links.resolve(connection().cursor(), token, clock.now())
        if athlete is None:
            st.session_state.pop("runner_token", None)
            role = None
        else:
            st.session_state["runner_token"] = token
            if st.query_params.get("runner") != token:
                st.query_params["runner"] = token
            role = Role("runner", athlete)
    else:
        secret, oidc = coach_password_hash(), oidc_configured()
        if not secret and not oidc:
            role = Role("demo")
        elif st.session_state.get("coach_signed_in") or (oidc and _oidc_coach()):
            role = Role("coach")
        else:
            role = None
    st.session_state["role"] = role or Role("demo")
    return role


def gate() -> None:
    """What someone not let in sees at any address: why their runner link does not open, or the
    coach's sign-in. Nothing else."""
    st.title("RunForm")
    if st.query_params.get("runner"):
        st.error(
            "This runner link is not valid: it has expired or been revoked. Ask your coach for a "
            "new one.",
            icon=":material/link_off:",
        )
        return
    secret, oidc = coach_password_hash(), oidc_configured()
    if oidc and st.user.is_logged_in:  # signed in at the provider, but not as a coach here
        st.error(
            f"You are signed in as {st.user.get('email') or 'an account'} that is not one of "
            "this team's coach accounts, so RunForm shows you nothing. Runners open the personal "
            "link their coach sends them.",
            icon=":material/block:",
        )
        st.button("Sign out", on_click=st.logout, key="coach_sign_out")
        return
    st.write("Sign in as the coach. Runners open the personal link their coach sends them.")
    if oidc:
        st.button("Sign in with your account", on_click=st.login, type="primary")
    if secret:
        _password_form(secret)


def _password_form(secret: str) -> None:
    with st.form("coach_sign_in"):
        password = st.text_input("Coach password", type="password", key="coach_password")
        slot = st.empty()
        if not st.form_submit_button("Sign in", type="primary", key="coach_sign_in_button"):
            return
    brake, keys, now = _throttle(), _throttle_keys(), time.monotonic()
    wait = max(brake.wait(k, now) for k in keys)
    if wait > 0:
        slot.error(f"Too many wrong passwords: try again in {math.ceil(wait)} s.")
    elif check_password(secret, password):
        for k in keys:
            brake.succeeded(k)
        st.session_state["coach_signed_in"] = True
        st.rerun()
    else:
        for k in keys:
            brake.failed(k, now)
        slot.error("Wrong password.")


def require(*kinds: RoleKind) -> Role:
    """The check every page function starts with, whoever calls it: sign-in first, then the
    page only for the kinds of user it is for. Stops the page otherwise."""
    role = sign_in()
    if role is None:
        gate()
        st.stop()
    if role.kind not in kinds:
        st.error(
            "This page is for the coach. Your link opens your own assessment, log and progress.",
            icon=":material/block:",
        )
        st.stop()
    return role


def gate_pages() -> list[st.Page]:
    """The gate under every page's address, so a deep link keeps its address (no "Page not
    found") and opens the page itself once the coach has signed in."""
    return [
        st.Page(gate, title="Sign in", url_path="sign-in", default=True),
        *(st.Page(gate, title="Sign in", url_path=name) for name in PAGES),
    ]


def require_or_gate(signed_in: Callable[[], None] = lambda: None) -> Role:
    """app.py's first step: who is here, or the sign-in at every address and nothing else.

    `signed_in()` runs first thing once someone is in (before anything else draws), never on
    the sign-in page, which shows nothing but the sign-in."""
    role = sign_in()
    if role is None:
        st.navigation(gate_pages(), position="hidden").run()
        st.stop()
    signed_in()
    return role
