"""RunForm: the entry point. Navigation over the app's areas and the runner picker."""

import duckdb
import streamlit as st

from pages import common
from runform.paths import default_db_path
from runform.store import athletes
from runform.store.connection import explain

st.set_page_config(page_title="RunForm", page_icon=":material/directions_run:", layout="wide")

role = common.sign_in()
con = common.db()
st.sidebar.title("RunForm")
if role.kind == "runner":
    st.sidebar.write(
        f"Signed in with the personal link of **{athletes.get(con, role.athlete_id).name}**."
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

# URL paths differ from the file names: on a server's very first run Streamlit's legacy multipage
# mode (switched off in pages/common.py) would otherwise run a page without this script.
pages = {
    "Assess": [
        st.Page(
            "pages/intake.py",
            title="Intake",
            icon=":material/assignment:",
            url_path="assessment",
            default=True,
        )
    ],
    "Plan": [
        st.Page(
            "pages/plan.py",
            title="Plan",
            icon=":material/calendar_month:",
            url_path="training-plan",
        ),
        st.Page(
            "pages/present.py",
            title="Present",
            icon=":material/slideshow:",
            url_path="present-session",
        ),
    ],
    "Review": [
        st.Page("pages/team.py", title="Team", icon=":material/groups:", url_path="team-review"),
        st.Page(
            "pages/progress.py",
            title="Progress",
            icon=":material/trending_up:",
            url_path="progress-review",
        ),
    ],
    "Log": [
        st.Page(
            "pages/log.py",
            title="Log",
            icon=":material/edit_note:",
            url_path="training-log",
        ),
    ],
}
pages["Coach"] = [
    st.Page("pages/access.py", title="Access", icon=":material/key:", url_path="access-control")
]
if role.kind == "runner":  # a runner's link: their own self-assessment, logging and progress
    pages = {
        "Me": [pages["Assess"][0], pages["Log"][0], pages["Review"][1]],
    }
try:
    st.navigation(pages).run()
except (duckdb.Error, OSError) as e:  # a full or read-only disk mid-write: say what to do
    st.error(str(explain(e, default_db_path())), icon=":material/database:")
