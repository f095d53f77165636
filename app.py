"""RunForm: the entry point. Sign-in, the runner picker and the navigation over the app's pages."""

import duckdb
import streamlit as st

from pages import common
from runform.paths import default_db_path
from runform.plaintext import md
from runform.store import athletes
from runform.store.connection import explain

st.set_page_config(page_title="RunForm", page_icon=":material/directions_run:", layout="wide")

role = common.sign_in()
if role is None:  # nobody signed in where someone must be: the sign-in at every address, only it
    st.navigation(common.gate_pages(), position="hidden").run()
    st.stop()
con = common.db()
st.sidebar.title("RunForm")
if role.kind == "runner":
    st.sidebar.write(
        f"Signed in with the personal link of **{md(athletes.get(con, role.athlete_id).name)}**."
    )
else:
    common.athlete_picker(con)
if role.kind == "demo":
    st.warning(
        "Open demo mode: no coach password is set, so anyone who opens this app can see and "
        "change everything. Set RUNFORM_COACH_PASSWORD_HASH (python -m runform hash-password) "
        "or a [coach] password_hash in .streamlit/secrets.toml to restrict it.",
        icon=":material/lock_open:",
    )

if role.kind == "runner":  # a runner's link: their own self-assessment, logging and progress
    mine = ["intake", "log", "progress"]
    pages = {
        "Me": [common.page(name) for name in mine],
        "": [common.page(name, hidden=True) for name in common.PAGES if name not in mine],
    }
else:
    pages = {
        "Assess": [common.page("intake")],
        "Plan": [common.page("plan"), common.page("present")],
        "Review": [common.page("team"), common.page("progress")],
        "Log": [common.page("log")],
        "Coach": [common.page("access")],
    }
try:
    st.navigation(pages).run()
except (duckdb.Error, OSError) as e:  # a full or read-only disk mid-write: say what to do
    st.error(str(explain(e, default_db_path())), icon=":material/database:")
