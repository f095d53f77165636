"""Access: personal links for runners (create, list, revoke) and a backup of the database."""

from __future__ import annotations

import streamlit as st

from pages.core import auth, cache, nav
from pages.core.db import db
from pages.core.roles import COACH_KINDS
from pages.core.run import FORM, Slots, run
from pages.widgets import handover
from runform import clock
from runform.plaintext import md
from runform.services import access, assessments


def render() -> None:
    auth.require(*COACH_KINDS)
    st.title("Access")
    athlete_id = nav.selected_athlete()

    st.subheader("Runner links")
    if not athlete_id:
        st.info("Pick a runner in the sidebar to create or revoke their personal link.")
    else:
        runner_links(athlete_id)

    st.subheader("Backup")
    st.write(
        "A full copy of the database as Parquet files (restore with "
        "`python -m runform restore DIR --db FILE`)."
    )
    con = db()  # the download runs on its own thread after this run: it keeps this cursor
    st.download_button(
        "Download a backup (.zip)",
        lambda: access.backup_zip(con),
        f"runform-backup-{clock.now():%Y%m%d-%H%M}.zip",
        "application/zip",
        key="dl_backup",
        on_click="ignore",  # a download changes nothing here: no rerun to race the build
    )


def runner_links(athlete_id: int) -> None:
    """A new link for the runner (its token shown once), and their links, each revocable while
    it is active."""
    name = cache.read(assessments.profile, athlete_id).name
    st.write(
        f"A personal link opens **{md(name)}**'s own self-assessment, log and progress, and "
        "nothing else. It is shown once: only a hash of it is kept."
    )
    with st.form("new_link", enter_to_submit=False):
        days = st.number_input("Valid for (days, 1–365)", value=90, step=1, key="link_days")
        slots = Slots()
        slots.add("days")
        slots.add(FORM)
        if st.form_submit_button("Create a link", type="primary"):
            asked = {"athlete_id": athlete_id, "days": days}
            made = run(lambda: access.create_link(db(), asked, clock.now()), slots, summary="")
            if made is not None:
                slots[FORM].success("Link created. It is shown only now.")
                handover.made(athlete_id, made.token)
    # not cached: a link's state changes with the clock, not only with a write
    for row in access.links_of(db(), athlete_id, clock.now()).itertuples():
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.write(
            f"Link {row.id}: created {row.created_at:%d %b %Y}, until "
            f"{row.expires_at:%d %b %Y} · **{row.state}**"
        )
        if row.state == "active" and c2.button("Revoke", key=f"revoke_{row.id}"):
            revoke(int(row.id))


def revoke(link_id: int) -> None:
    """The link stops working now; the list shows it revoked (or why it could not be)."""
    if run(lambda: access.revoke_link(db(), link_id, clock.now())) is not None:
        st.rerun()


if __name__ == "__main__":  # Streamlit ran this file by itself: see nav.run_app
    nav.run_app()
