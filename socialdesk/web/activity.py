"""A member using the desk is working: pages they open and forms they send mark them active (online,
unless they chose away), so automatic assignment knows who is here. Polling (the live inbox, the
notification badge) is not activity: an open tab on an empty desk is not someone at work."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from socialdesk.roster.availability import mark_active
from socialdesk.workspaces.actions import workspaces_for

# Seconds between two marks for one session: activity is a hint, one write a minute is plenty. Kept in
# the process, not in the session: writing the session on every minute's first request would also move
# its expiry, and a second process merely marks a little more often.
EVERY = 60.0
_marked: dict[str, float] = {}
NOT_THE_DESK = ("/api/", "/hooks/", "/static/", "/admin/", "/status/")


class ActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the view, so the page itself already shows the member online.
        user_id = request.user.pk if self._counts(request) else None
        if user_id is not None:
            now = time.monotonic()
            if len(_marked) > 10_000:  # sessions come and go: forget the ones marked long ago
                for key in [k for k, at in _marked.items() if now - at >= EVERY]:
                    del _marked[key]
            _marked[request.session.session_key or ""] = now
            for workspace_id in workspaces_for(request.user).values_list("pk", flat=True):
                mark_active(workspace_id, user_id)
        return self.get_response(request)

    @staticmethod
    def _counts(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(NOT_THE_DESK):
            return False
        if request.method == "GET" and request.headers.get("HX-Request"):
            return False
        last = _marked.get(request.session.session_key or "")
        return last is None or time.monotonic() - last >= EVERY
