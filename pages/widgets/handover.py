"""Handing a runner their personal link: the full address with a copy button and its QR code,
on the Access page when the link is made and, in the same session, on Present's projector.

The token is shown once: it is never stored (only its hash is); this coach's session keeps the
link it just made in memory so Present can put its QR code on the projector, and loses it when
the session ends.
"""

from __future__ import annotations

import os

import streamlit as st

from pages.core import nav
from runform import handover

BASE_ENV = "RUNFORM_BASE_URL"
MADE = "handover_links"  # session state: athlete id -> the link made in this session


def base_url() -> str | None:
    """The app's address as runners reach it: RUNFORM_BASE_URL when set (behind a proxy, or
    a name the runners' phones know), else the address the coach is using; None if neither is
    known."""
    configured = os.environ.get(BASE_ENV, "").strip()
    if configured:
        return handover.app_base(configured, nav.PAGES)
    url = st.context.url
    return handover.app_base(url, nav.PAGES) if url else None


def made(athlete_id: int, token: str) -> None:
    """The new link, shown once: the full address (copy button), its QR code, and where it
    comes from. Without a known address: the part to add to the app's address."""
    base = base_url()
    if base is None:
        st.write("Send this to the runner (add it to this app's address):")
        st.code(f"?runner={token}", language=None)
        return
    link = handover.runner_link(base, token)
    st.session_state.setdefault(MADE, {})[athlete_id] = link
    st.write("Send this link to the runner (the button on the right copies it), or let them scan:")
    st.code(link, language=None)
    qr(link, width=280)
    feed = handover.feed_link(base, token)
    st.write(
        "Their calendar feed: subscribe to it in Google Calendar (Other calendars › From URL) or "
        f"on an iPhone (open the [webcal link]({handover.webcal(feed)})), and plan changes reach "
        "their phone. Revoking the link closes the feed too."
    )
    st.code(feed, language=None)
    source = BASE_ENV if os.environ.get(BASE_ENV) else "the address you are using"
    st.caption(
        f"The link is built from {source}: the runner's phone must reach it (on a network, not "
        "127.0.0.1). Present can show this code on the projector until this session ends."
    )


def qr(link: str, width: int) -> None:
    st.image(handover.qr_png(link), width=width, caption="Scan to open the runner's link")


def on_projector(athlete_id: int) -> None:
    """Present's "runner's link" panel: the QR code of the link made in this session, if any."""
    link = st.session_state.get(MADE, {}).get(athlete_id)
    with st.expander("Runner's link (QR code)", icon=":material/qr_code_2:"):
        if link is None:
            st.write(
                "Create a link on the Access page first: a link is shown once, so its code can "
                "be shown here only in the session that made it."
            )
        else:
            qr(link, width=420)
            st.code(link, language=None)
