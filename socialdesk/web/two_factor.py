"""The gate after the password: a signed-in user who has an authenticator app but has not given a code
in this session, or who must enrol because a workspace of theirs requires two-factor, reaches only the
pages that settle it. Everything else (the desk, the admin, the API by session) waits.

API tokens are separate credentials and pass: a request that carries one is not this session's."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from socialdesk.accounts.actions import has_two_factor
from socialdesk.workspaces.actions import two_factor_required_for

# Open whatever the session owes: public pages, static files, webhooks and the way out.
_ALWAYS_OPEN = ("/static/", "/favicon.ico", "/hooks/", "/status/", "/logout/", "/oidc/")


def owes(user: User) -> str | None:
    """What the session still owes: "code" (the app's code or a recovery code), "enrol" (set up an app
    first) or None. Two small queries for a session without a second factor, none once one was given."""
    if getattr(user, "is_verified", lambda: False)():
        return None
    if has_two_factor(user):
        return "code"
    if two_factor_required_for(user):
        return "enrol"
    return None


class TwoFactorGate:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not request.path.startswith(_ALWAYS_OPEN):
            debt = owes(user)
            if debt is not None:
                return self._stop(request, debt) or self.get_response(request)
        return self.get_response(request)

    def _stop(self, request: HttpRequest, debt: str) -> HttpResponse | None:
        """The answer to a request the session may not make yet, or None when it may."""
        settle = reverse("two_factor_verify") if debt == "code" else reverse("web:security")
        if request.path == settle:
            # The page that settles it shows no desk header: nothing of the workspaces yet.
            request.second_factor_owed = True  # type: ignore[attr-defined]
            return None
        if request.path.startswith("/api/"):
            # The session counts for nothing here; the API answers 401 unless a token came along.
            request.user = AnonymousUser()
            return None
        target = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{settle}?{urlencode({'next': target})}")
