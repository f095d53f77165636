"""A runner's personal link as a coach hands it over: the full address and its QR code.

Pure: the app's base address comes from the caller (the coach's own address, or the configured
RUNFORM_BASE_URL), never guessed here. The QR code (segno) encodes exactly the link's text, so a
phone's camera opens the same address the copy button gives.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

import segno


def app_base(page_url: str, pages: Iterable[str]) -> str:
    """The app's own address from the address of one of its pages: the scheme, host and any
    base path, without the page (`pages`: the app's url paths), query or fragment.

    >>> app_base("https://team.example/runform/access?x=1", ["access"])
    'https://team.example/runform'
    """
    scheme, netloc, path, _, _ = urlsplit(page_url.strip())
    if not scheme or not netloc:
        raise ValueError(f"not an absolute address: {page_url!r}")
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] in set(pages):
        parts.pop()
    return urlunsplit((scheme, netloc, "/".join(["", *parts]), "", "")).rstrip("/")


def runner_link(base: str, token: str) -> str:
    """The full personal link: the app's base address opened with `?runner=TOKEN`."""
    if not token:
        raise ValueError("a runner link needs its token")
    return f"{base.rstrip('/')}/?runner={quote(token, safe='')}"


#: Where the app serves a runner's calendar feed (pages.core.feed), under its base address.
FEED_PATH = "/feed/{token}.ics"


def feed_link(base: str, token: str) -> str:
    """The runner's calendar feed: `base`/feed/TOKEN.ics, which Google and Apple Calendar
    subscribe to (the link's token opens it; revoking the link closes it)."""
    if not token:
        raise ValueError("a calendar feed needs the link's token")
    return base.rstrip("/") + FEED_PATH.format(token=quote(token, safe=""))


def webcal(link: str) -> str:
    """The same feed as a webcal:// address, which a phone opens in its calendar app."""
    scheme, rest = link.split("://", 1)
    return ("webcal://" if scheme in ("http", "https") else f"{scheme}://") + rest


def qr(link: str) -> segno.QRCode:
    """The QR code of `link`: byte mode, medium error correction (15 %), readable off a screen."""
    return segno.make_qr(link, error="m")


def qr_png(link: str, scale: int = 8) -> bytes:
    """`qr(link)` as a PNG with the standard quiet zone of 4 modules, dark on white."""
    out = io.BytesIO()
    qr(link).save(out, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return out.getvalue()
