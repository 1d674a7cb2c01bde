"""Template context for every desk page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from socialdesk.workspaces.actions import workspaces_for


def user_workspaces(request: HttpRequest) -> dict[str, object]:
    """The brands this user works for (the header's switch); queried only when a page shows it."""
    return {"user_workspaces": SimpleLazyObject(lambda: list(workspaces_for(request.user).order_by("name")))}
