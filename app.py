"""RunForm: the entry point. Navigation over the app's areas and the runner picker."""

import streamlit as st

from pages import common

st.set_page_config(page_title="RunForm", page_icon=":material/directions_run:", layout="wide")

con = common.db()
st.sidebar.title("RunForm")
common.athlete_picker(con)

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
st.navigation(pages).run()
