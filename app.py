"""RunForm: the entry point. Sign-in, the runner picker and the navigation over the app's pages;
and the web server that serves them with the runners' calendar feeds (`pages.core.feed`).

`streamlit run app.py` finds `app` below (an `st.App`) and imports this file once as the server;
every page run then executes it as `__main__`, which runs `main`.
"""

import streamlit as st

from pages.core import auth, cache, feed, nav, style
from runform.errors import StorageUnavailable
from runform.plaintext import md


def main() -> None:
    """One run of the app: sign-in first, then the sidebar and the page the address names."""
    # An emoji icon: drawn by the browser (a material icon's favicon comes from a font server).
    st.set_page_config(page_title="RunForm", page_icon="🏃", layout="wide")
    style.touch_targets()  # 44 px touch targets on a phone

    # only navigation adds history, set up before the picker and the pages write the address
    role = auth.require_or_gate(signed_in=nav.keep_history)
    st.sidebar.title("RunForm")
    roster = cache.roster()
    names = dict(zip(roster["id"].tolist(), roster["name"].tolist(), strict=True))
    if role.kind == "runner":
        st.sidebar.write(f"Signed in with the personal link of **{md(names[role.athlete_id])}**.")
    else:
        nav.athlete_picker(names)
    if role.kind == "demo":  # a badge in the sidebar, not a banner over every page (or a projector)
        st.sidebar.badge("Open demo mode", icon=":material/lock_open:", color="orange")
        st.sidebar.caption(
            "Open demo mode: no coach password is set, so anyone who opens this app can see and "
            "change everything. Set RUNFORM_COACH_PASSWORD_HASH (python -m runform hash-password) "
            "or a [coach] password_hash in .streamlit/secrets.toml to restrict it."
        )

    if role.kind == "runner":  # a runner's link: their own self-assessment, logging and progress
        mine = [nav.HOME, "log", "imports", "health", "progress"]
        pages = {
            "Me": [nav.page(name) for name in mine],
            "": [nav.page(name, hidden=True) for name in nav.PAGES if name not in mine],
        }
    else:
        pages = {
            "Assess": [nav.page(nav.HOME)],  # first: the page served at /
            "Plan": [nav.page("plan"), nav.page("present")],
            "Review": [nav.page("team"), nav.page("progress")],
            "Log": [nav.page("log"), nav.page("imports"), nav.page("health")],
            "Coach": [nav.page("access")],
        }
    try:
        st.navigation(pages).run()
    except StorageUnavailable as e:  # a full or read-only disk mid-write: say what to do
        st.error(str(e), icon=":material/database:")


if __name__ == "__main__":  # a page run (Streamlit executes this file as __main__)
    main()
else:  # imported by `streamlit run app.py` as its web server: the pages, the calendar feed, /intake
    app = st.App(__file__, routes=[*feed.ROUTES, *nav.ROUTES])
