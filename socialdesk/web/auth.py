"""Who is asking, for views behind `login_required`."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def signed_in(request: HttpRequest) -> User:
    """The signed-in user; actions take a real user, never the anonymous one."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
