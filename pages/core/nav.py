"""The app's pages, the address, and the runner being viewed.

The address is the source of truth for what is viewed (`?athlete=3&plan=7&week=2`): a link a
coach shares opens the same view. Streamlit drops the address's settings when the sidebar
navigates, so the runner is also remembered for the session and put back into the address.
"""

from __future__ import annotations

import importlib
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from pages.core.roles import current_role
from runform import urlparams

APP = Path(__file__).resolve().parents[2] / "app.py"
T = TypeVar("T")

#: The page every menu starts with, so Streamlit serves it at the app's root (`/`).
HOME = "intake"
PAGES = {  # url path and module name: title, icon
    HOME: ("Intake", ":material/assignment:"),
    "plan": ("Plan", ":material/calendar_month:"),
    "present": ("Present", ":material/slideshow:"),
    "team": ("Team", ":material/groups:"),
    "progress": ("Progress", ":material/trending_up:"),
    "log": ("Log", ":material/edit_note:"),
    "imports": ("Import", ":material/upload_file:"),
    "health": ("Health", ":material/healing:"),
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


def to_home(request: Request) -> RedirectResponse:
    """`/intake` typed or bookmarked by hand: the root with the same settings.

    Streamlit serves the first page at the root and gives it no path of its own, so its own name
    would open the "Page not found" dialog before the page. A redirect relative to the address
    keeps a base URL path (`/runform/intake` goes to `/runform/`)."""
    query = request.url.query
    return RedirectResponse("./" + (f"?{query}" if query else ""), status_code=307)


#: The app server's routes of the pages (app.py hands them to `st.App`).
ROUTES = [Route(f"/{HOME}", to_home, methods=["GET"])]


def run_app() -> None:
    """Run app.py in place of a page file that Streamlit ran on its own.

    Streamlit treats a pages/ folder beside the entry script as an old-style multipage app until
    app.py first calls st.navigation, so the first request after a server start that goes straight
    to /log runs pages/log.py by itself. Each page file only defines its page function and hands
    such a run to app.py here: the sign-in, the navigation and then the page, never the page alone.
    """
    runpy.run_path(str(APP), run_name="__main__")


# --- the address -------------------------------------------------------------------------------

#: Streamlit's frontend pushes a browser history entry every time the script changes
#: st.query_params (`handlePageInfoChanged` in streamlit/static: `history.pushState` unless it is
#: replaying Back or Forward), so each widget that writes the address added one and Back seemed
#: stuck. This makes such a push a replace unless it navigates: another page (path), or another
#: runner where one was named. A runner added to an address that named none (a page opened from
#: the sidebar, which drops the address's settings, getting its runner back) replaces too.
HISTORY_SCRIPT = """<script>
(() => {
  if (window.__runformHistory) return;
  window.__runformHistory = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    if (url !== undefined && url !== null) {
      const now = new URL(window.location.href), next = new URL(String(url), now);
      const was = now.searchParams.get("athlete"), will = next.searchParams.get("athlete");
      if (now.pathname === next.pathname && (was === null || was === will)) {
        return window.history.replaceState(state, title, url);
      }
    }
    return push(state, title, url);
  };
})();
</script>"""


def keep_history() -> None:
    """Only navigation adds a browser history entry (`HISTORY_SCRIPT`); call once per run, first
    thing after the page config, so it is in place before the address changes."""
    st.sidebar.html(HISTORY_SCRIPT, unsafe_allow_javascript=True)


def address() -> dict[str, str]:
    """The address's settings as plain strings (the last value of each)."""
    return {k: st.query_params.get(k) for k in st.query_params}


def bad_address(e: urlparams.BadAddress) -> NoReturn:
    """A wrong value in the address: say so and offer the page without it; nothing else draws."""
    st.error(str(e), icon=":material/link_off:")
    if st.button("Open this page without it", key="bad_address_back", type="primary"):
        st.query_params.pop(e.name, None)
        st.rerun()
    st.stop()


def from_address(read: Callable[[dict[str, str]], T]) -> T:
    """`read(address)` (which parses it with runform.urlparams), or the bad-address message."""
    try:
        return read(address())
    except urlparams.BadAddress as e:
        bad_address(e)


# --- the runner being viewed -------------------------------------------------------------------

NEW_ATHLETE = 0  # "+ New runner" in the picker: the intake of someone not yet in the team
_PICKER, _MEMORY = "athlete_picker", "athlete_id"


def _asked() -> int | None:
    """The runner the address names, else the one viewed last (NEW_ATHLETE for a new one)."""
    wanted = from_address(lambda a: urlparams.number(a, "athlete"))
    return wanted if wanted is not None else st.session_state.get(_MEMORY)


def show(athlete_id: int) -> None:
    """View `athlete_id` from now on (after saving a new runner, or opening one from a list)."""
    st.session_state[_MEMORY] = athlete_id
    if athlete_id == NEW_ATHLETE:
        st.query_params.pop("athlete", None)
    else:
        st.query_params["athlete"] = str(athlete_id)


def _picked() -> None:
    show(st.session_state[_PICKER])


def athlete_picker(names: dict[int, str]) -> int:
    """The sidebar's runner picker (`names`: id → name), showing what the address says."""
    wanted = _asked()
    if wanted not in (NEW_ATHLETE, None) and wanted not in names:
        bad_address(urlparams.BadAddress("athlete", f"There is no runner {wanted}."))
    if wanted is None:
        wanted = next(iter(names), NEW_ATHLETE)
    st.session_state[_PICKER] = wanted
    st.sidebar.selectbox(
        "Runner",
        [NEW_ATHLETE, *names],
        key=_PICKER,
        on_change=_picked,
        format_func=lambda i: "+ New runner" if i == NEW_ATHLETE else names[i],
    )
    show(wanted)
    return wanted


def selected_athlete() -> int:
    """The runner this page shows: a runner link's own, else the picker's (NEW_ATHLETE: none)."""
    role = current_role()
    if role.athlete_id is not None:
        return role.athlete_id
    found = _asked()
    return NEW_ATHLETE if found is None else found
