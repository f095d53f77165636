"""Access: personal links for runners (create, list, revoke) and a backup of the database."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import streamlit as st

from pages import common
from runform import clock
from runform.errors import RunFormError
from runform.plaintext import md
from runform.store import athletes, backup, links


def render() -> None:
    common.require(*common.COACH_KINDS)
    con = common.db()
    st.title("Access")
    athlete_id = common.selected_athlete()

    st.subheader("Runner links")
    if not athlete_id:
        st.info("Pick a runner in the sidebar to create or revoke their personal link.")
    else:
        name = athletes.get(con, athlete_id).name
        st.write(
            f"A personal link opens **{md(name)}**'s own self-assessment, log and progress, and "
            "nothing else. It is shown once: only a hash of it is kept."
        )
        with st.form("new_link", enter_to_submit=False):
            days = st.number_input("Valid for (days, 1–365)", value=90, step=1, key="link_days")
            slot = st.empty()
            if st.form_submit_button("Create a link", type="primary"):
                try:
                    _, token = links.create(con, athlete_id, int(days), clock.now())
                except RunFormError as e:  # days out of 1–365, or the runner gone
                    slot.error(str(e))
                else:
                    common.data_changed()
                    slot.success("Send this link to the runner (add it to this app's address):")
                    st.code(f"?runner={token}", language=None)
        existing = links.for_athlete(con, athlete_id)
        now = clock.now()
        for row in existing.itertuples():
            state = (
                "revoked"
                if row.revoked_at is not None and str(row.revoked_at) != "NaT"
                else "expired"
                if row.expires_at < now
                else "active"
            )
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            c1.write(
                f"Link {row.id}: created {row.created_at:%d %b %Y}, until "
                f"{row.expires_at:%d %b %Y} · **{state}**"
            )
            if state == "active" and c2.button("Revoke", key=f"revoke_{row.id}"):
                links.revoke(con, row.id, now)
                common.data_changed()
                st.rerun()

    st.subheader("Backup")
    st.write(
        "A full copy of the database as Parquet files (restore with "
        "`python -m runform restore DIR --db FILE`)."
    )

    def backup_zip() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = backup.backup(con, Path(tmp) / "runform-backup")
            archive = shutil.make_archive(str(Path(tmp) / "runform-backup"), "zip", folder)
            return Path(archive).read_bytes()

    st.download_button(
        "Download a backup (.zip)",
        backup_zip,
        f"runform-backup-{clock.now():%Y%m%d-%H%M}.zip",
        "application/zip",
        key="dl_backup",
    )


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
