"""The runner link a coach hands over: its full address and a QR code that decodes to it."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from runform import access, handover

PAGES = ["intake", "plan", "present", "team", "progress", "log", "access"]


@pytest.mark.parametrize(
    ("page_url", "base"),
    [
        ("http://127.0.0.1:8501/access", "http://127.0.0.1:8501"),
        ("https://team.example/runform/access", "https://team.example/runform"),
        ("https://team.example/runform/", "https://team.example/runform"),
        ("https://team.example", "https://team.example"),
        ("http://coach.local:8501/team?flag=flag_pain#x", "http://coach.local:8501"),
    ],
)
def test_the_base_is_the_apps_address_without_page_query_or_fragment(page_url, base):
    assert handover.app_base(page_url, PAGES) == base


def test_a_path_that_is_not_a_page_is_kept():
    assert handover.app_base("https://x.example/apps/runform", PAGES) == (
        "https://x.example/apps/runform"
    )


@pytest.mark.parametrize("bad", ["", "access", "/access", "127.0.0.1:8501/access"])
def test_a_relative_address_is_refused(bad):
    with pytest.raises(ValueError, match="absolute"):
        handover.app_base(bad, PAGES)


def test_the_link_is_the_base_with_the_token():
    token = access.new_token()
    assert handover.runner_link("https://t.example/rf/", token) == (
        f"https://t.example/rf/?runner={token}"
    )
    with pytest.raises(ValueError):
        handover.runner_link("https://t.example", "")


def test_a_token_is_quoted_in_the_link():
    assert handover.runner_link("http://h", "a b&c") == "http://h/?runner=a%20b%26c"


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_qr_code_decodes_to_the_link():
    link = handover.runner_link("http://192.168.1.20:8501", access.new_token())
    png = handover.qr_png(link)
    assert png.startswith(b"\x89PNG")
    assert decode(png) == [link]
    # what segno encoded is the link's bytes, nothing added
    assert handover.qr(link).designator.endswith("-M")


def test_another_link_gives_another_code():
    a = handover.runner_link("http://h:8501", access.new_token())
    b = handover.runner_link("http://h:8501", access.new_token())
    assert decode(handover.qr_png(a)) != decode(handover.qr_png(b))


def test_the_feed_link_is_the_base_with_the_token():
    link = handover.feed_link("https://team.example/runform/", "a-b_c")
    assert link == "https://team.example/runform/feed/a-b_c.ics"
    assert handover.webcal(link) == "webcal://team.example/runform/feed/a-b_c.ics"
    with pytest.raises(ValueError):
        handover.feed_link("https://team.example", "")
