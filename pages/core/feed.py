"""The calendar feed a runner subscribes to: `GET /feed/<link token>.ics`, served by the app's own
web server beside the pages (app.py hands `ROUTES` to `st.App`).

The runner's personal link token opens it, so revoking the link (or its expiry) closes the feed
too: a token that opens nothing gets 403 and no data. Google and Apple Calendar fetch it again
every few hours, so a plan change reaches the runner's phone.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from pages.core.db import server_connection
from runform import clock, handover
from runform.errors import StorageUnavailable
from runform.services import calendar

PATH = handover.FEED_PATH
REFUSED = (
    "This calendar link is not valid: it has expired or been revoked. Ask your coach for a new one."
)


def calendar_feed(request: Request) -> Response:
    """The runner's plan as iCalendar, or a refusal that says why and holds nothing of theirs.

    A plain function: Starlette runs it on a worker thread, which gets its own cursor."""
    try:
        con = server_connection().cursor()
    except StorageUnavailable as e:
        return PlainTextResponse(str(e), status_code=503)
    try:
        body = calendar.feed(con, request.path_params["token"], clock.now())
    finally:
        con.close()
    if body is None:
        return PlainTextResponse(REFUSED, status_code=403, headers={"Cache-Control": "no-store"})
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store", "Content-Disposition": 'inline; filename="plan.ics"'},
    )


ROUTES = [Route(PATH, calendar_feed, methods=["GET"])]
