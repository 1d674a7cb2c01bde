"""How API callers prove who they are: a personal API token (`Authorization: Bearer sdt_…`) for
scripts and integrations, or the desk's session cookie (with its CSRF token) for the browser."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from socialdesk.workspaces.actions import user_for_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            # Every endpoint reads request.user: the token acts exactly as its user would.
            request.user = user
        return user


def signed_in(request: HttpRequest) -> User:
    """The user the request acts as (django_auth and the token already refuse anonymous requests)."""
    user = request.user
    if not isinstance(user, User):
        raise HttpError(401, "log in first")
    return user
