"""Shared page pieces: the cached database, sign-in, the address, the athlete picker and the
findings view.

Not a page itself; app.py registers the pages. Streamlit only, no rules: those live in runform.
"""

from __future__ import annotations

import importlib
import math
import os
import runpy
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from runform import access, clock, demo, export, load, team, urlparams
from runform.access import check_password
from runform.compensations import load_rules
from runform.errors import StorageUnavailable
from runform.models import Finding, Plan
from runform.paths import default_db_path
from runform.screens import load_catalogue
from runform.store import athletes, links, plans, review
from runform.store.connection import Connection, checkpoint, connect, scoped

APP = Path(__file__).resolve().parents[1] / "app.py"
NEW_ATHLETE = 0
COACH_KINDS = ("coach", "demo")
EVERYONE = ("coach", "demo", "runner")
SEVERITY_BADGE = {
    "high": ":red-badge[High]",
    "moderate": ":orange-badge[Moderate]",
    "info": ":blue-badge[Info]",
}


def _announce() -> None:
    """Say on the server's console who can reach this app (once per server start)."""
    address = st.get_option("server.address") or "every network interface"
    if coach_password_hash() or oidc_configured():
        print(f"RunForm: coach sign-in is on; listening on {address}.", file=sys.stderr)
    elif address in ("127.0.0.1", "localhost", "::1"):
        print(
            "RunForm: open demo mode (no coach password): listening on this machine only "
            f"({address}). Set a coach password before serving a team on a network.",
            file=sys.stderr,
        )
    else:
        print(
            f"RunForm: WARNING: open demo mode on {address}: anyone who can reach this machine "
            "can see and change everything. Set RUNFORM_COACH_PASSWORD_HASH first.",
            file=sys.stderr,
        )


@st.cache_resource(show_spinner="Opening the database…")
def _database(path: str) -> Connection:
    _announce()
    con = connect(path)
    if athletes.count(con) == 0 and os.environ.get("RUNFORM_DEMO", "1") != "0":
        demo.load_team(con, today=clock.today())
        checkpoint(con)
    return con


def _open() -> Connection:
    try:
        return _database(str(default_db_path()))
    except StorageUnavailable as e:
        st.error(str(e), icon=":material/database:")
        st.stop()


def db() -> Connection:
    """A cursor for this script run: runs happen on different threads, DuckDB wants one each.

    A runner's link gets a cursor that sees only that runner's rows (the store enforces it). A
    database that cannot be opened stops the page with what is wrong and what to do.
    """
    role = current_role()
    cached = getattr(_run, "cursor", None)
    if cached is not None and cached[0] == role:
        return cached[1]
    cur = scoped(_open(), role.athlete_id) if role.kind == "runner" else _open().cursor()
    _run.cursor = (role, cur)
    return cur


_run = threading.local()  # Streamlit runs each script run on its own thread: one cursor per run


@dataclass(frozen=True)
class Role:
    kind: Literal["coach", "runner", "demo"]
    athlete_id: int | None = None


def current_role() -> Role:
    return st.session_state.get("role", Role("demo"))


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
    """Who is here: a runner's link, a signed-in coach, or open demo mode; None when nobody may
    come in yet (a coach must sign in, or the runner link is not valid): show `gate` then.

    A runner's token is kept in the session and put back into the address on every run, so a
    reload, Back or a shared address stays that runner; it never falls back to the coach.
    """
    token = st.query_params.get("runner") or st.session_state.get("runner_token")
    role: Role | None
    if token:
        athlete = links.resolve(_open().cursor(), token, clock.now())
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
        with st.form("coach_sign_in"):
            password = st.text_input("Coach password", type="password", key="coach_password")
            slot = st.empty()
            if st.form_submit_button("Sign in", type="primary", key="coach_sign_in_button"):
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


def gate_pages() -> list[st.Page]:
    """The gate under every page's address, so a deep link keeps its address (no "Page not
    found") and opens the page itself once the coach has signed in."""
    return [
        st.Page(gate, title="Sign in", url_path="sign-in", default=True),
        *(st.Page(gate, title="Sign in", url_path=name) for name in PAGES),
    ]


def require(*kinds: str) -> Role:
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


PAGES = {  # url path and module name: title, icon
    "intake": ("Intake", ":material/assignment:"),
    "plan": ("Plan", ":material/calendar_month:"),
    "present": ("Present", ":material/slideshow:"),
    "team": ("Team", ":material/groups:"),
    "progress": ("Progress", ":material/trending_up:"),
    "log": ("Log", ":material/edit_note:"),
    "access": ("Access", ":material/key:"),
}


def page(name: str, *, hidden: bool = False) -> st.Page:
    """The app's page `name` (a module of pages/ with a render function), for st.navigation,
    st.switch_page and st.page_link alike. Its URL path is the module's name.

    `hidden` registers it without a menu entry: a runner's link still resolves a coach's address
    to its page, whose role check then says whose page it is (instead of "Page not found").
    """
    title, icon = PAGES[name]
    module = importlib.import_module(f"pages.{name}")
    return st.Page(
        module.render,
        title=title,
        icon=icon,
        url_path=name,
        visibility="hidden" if hidden else "visible",
    )


def run_app() -> None:
    """Run app.py in place of a page file that Streamlit ran on its own.

    Streamlit treats a pages/ folder beside the entry script as an old-style multipage app until
    app.py first calls st.navigation, so the first request after a server start that goes straight
    to /log runs pages/log.py by itself. Each page file only defines its page function and hands
    such a run to app.py here: the sign-in, the navigation and then the page, never the page alone.
    """
    runpy.run_path(str(APP), run_name="__main__")


def address() -> dict[str, str]:
    """The address's settings as plain strings (the last value of each)."""
    return {k: st.query_params.get(k) for k in st.query_params}


def bad_address(e: urlparams.BadAddress) -> None:
    """A wrong value in the address: say so and offer the page without it; nothing else draws."""
    st.error(str(e), icon=":material/link_off:")
    if st.button("Open this page without it", key="bad_address_back", type="primary"):
        st.query_params.pop(e.name, None)
        st.rerun()
    st.stop()


def from_address(read: Callable[[], object]):
    """`read()` (which parses the address with runform.urlparams), or the bad-address message."""
    try:
        return read()
    except urlparams.BadAddress as e:
        bad_address(e)


def athlete_picker(con: Connection) -> int:
    """Sidebar choice of runner, shared by every page and kept in the URL (?athlete=ID).

    The choice lives in session state under "athlete_id" (a page may set it, e.g. after saving a
    new runner); the selectbox has no key, so a changed index simply draws a new widget.
    """
    roster = _roster(current_role())
    ids = [NEW_ATHLETE, *roster["id"].tolist()]
    names = dict(zip(roster["id"].tolist(), roster["name"], strict=True))
    current = st.session_state.get("athlete_id")
    if current is None:
        wanted = from_address(lambda: urlparams.number(address(), "athlete"))
        if wanted is not None and wanted not in names:
            bad_address(urlparams.BadAddress("athlete", f"There is no runner {wanted}."))
        current = wanted or (ids[1] if len(ids) > 1 else NEW_ATHLETE)
    if current not in ids:
        current = NEW_ATHLETE
    chosen = st.sidebar.selectbox(
        "Runner",
        ids,
        index=ids.index(current),
        format_func=lambda i: "+ New runner" if i == NEW_ATHLETE else names[i],
    )
    st.session_state["athlete_id"] = chosen
    if chosen == NEW_ATHLETE:
        st.query_params.pop("athlete", None)
    else:
        st.query_params["athlete"] = str(chosen)
    return chosen


def selected_athlete() -> int:
    role = current_role()
    if role.kind == "runner":
        return role.athlete_id
    return st.session_state.get("athlete_id", NEW_ATHLETE)


class Slots(dict):
    """Placeholders drawn under each field, filled with its error after a submit."""

    def add(self, path: str) -> None:
        self[path] = st.empty()

    def show(self, errors: dict[str, str], summary: str | None = None) -> None:
        """Each error under its field; those with no field of their own go with the summary."""
        loose = []
        for path, msg in errors.items():
            key = path
            while key and key not in self:
                key = key.rpartition(".")[0]
            if key:
                self[key].error(f"{path}: {msg}" if key != path else msg)
            else:
                loose.append(f"{path.replace('_', ' ')}: {msg}")
        if loose or summary:
            self["form"].error("\n\n".join([*loose, *([summary] if summary else [])]))


def screen_label(screen_id: str) -> str:
    if screen_id.startswith("pain."):
        return "Pain: " + screen_id.removeprefix("pain.").replace("_", " ")
    spec = load_catalogue().by_id().get(screen_id)
    return spec.name if spec else screen_id


def _value(screen_id: str, value: object) -> str:
    spec = load_catalogue().by_id().get(screen_id)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if screen_id.startswith("pain."):
        return f"{value}/10"
    unit = f" {spec.unit}" if spec and spec.unit and isinstance(value, int | float) else ""
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def evidence_lines(finding: Finding) -> list[str]:
    """One line per test and side, with every threshold it crossed."""
    grouped: dict[tuple, list[str]] = {}
    for e in finding.evidence:
        grouped.setdefault((e.screen, e.side, str(e.value)), []).append(e.threshold)
    lines = []
    for (screen_id, side, _), thresholds in grouped.items():
        e = next(x for x in finding.evidence if x.screen == screen_id and x.side == side)
        where = f", {side}" if side else ""
        value = "" if isinstance(e.value, bool) else f": {_value(screen_id, e.value)}"
        lines.append(f"- **{screen_label(screen_id)}**{where}{value} ({'; '.join(thresholds)})")
    return lines


def show_findings(findings: list[Finding]) -> None:
    """Findings ranked by severity, each with its evidence, explanation and source."""
    titles = load_rules().titles()
    if any(f.id == "pain_flag" for f in findings):
        st.error(
            "**Refer to a clinician before loading the painful region.** Pain of 4/10 or more, "
            "pain at rest or pain on the hip hinge needs a clinician's assessment first; "
            "the plan regresses work for that region until then.",
            icon=":material/medical_services:",
        )
    if not findings:
        st.success("No compensation found by the screens assessed.", icon=":material/check_circle:")
        return
    for f in findings:
        with st.container(border=True):
            side = {"left": " · left side", "right": " · right side", "both": " · both sides"}
            st.markdown(f"#### {titles.get(f.id, f.id)}")
            st.markdown(f"{SEVERITY_BADGE[f.severity]}{side.get(f.side or '', '')}")
            st.write(f.explanation)
            st.markdown("\n".join(evidence_lines(f)))
            st.caption(f"Source: {f.source}")


def query(name: str, *args: object) -> pd.DataFrame:
    """A review query, or `module.function` of `QUERY_MODULES`, cached until the next write (see
    `data_changed`).

    The cache is shared by all sessions, so the viewer's scope is part of its key.
    """
    return _query(current_role(), name, *args)


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _query(role: Role, name: str, *args: object) -> pd.DataFrame:
    prefix, _, function = name.rpartition(".")
    module = QUERY_MODULES[prefix] if prefix else review
    return getattr(module, function)(db(), *args)


# Library modules whose `function(con, …)` compositions pages read through `query`.
QUERY_MODULES = {"load": load, "team": team}


def plan(plan_id: int, version: int | None = None) -> Plan | None:
    """A plan version (the current one by default), cached until the next write."""
    return _plan(current_role(), plan_id, version)


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _plan(role: Role, plan_id: int, version: int | None) -> Plan | None:
    return plans.load(db(), plan_id, version)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _roster(role: Role) -> pd.DataFrame:
    return athletes.roster(db())


def data_changed() -> None:
    """Every write calls this, so cached charts and tables never show stale data."""
    for cached in (_query, _plan, _roster):
        cached.clear()


PLOT_LAYOUT = {
    "font": {"size": 16},
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    "legend": {"orientation": "h", "y": -0.2},
}


def chart(fig, key: str | None = None) -> None:
    """A plotly chart readable on a projector, with plotly's own PNG download."""
    fig.update_layout(**PLOT_LAYOUT)
    st.plotly_chart(
        fig,
        key=key,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}},
    )


def csv_button(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button(
        f"Download {name} (CSV)", export.csv_bytes(frame), f"{name}.csv", "text/csv", key=key
    )


if __name__ == "__main__":  # Streamlit ran this file by itself: see run_app
    run_app()
