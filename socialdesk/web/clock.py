"""One clock on screen: every page shows its times in the workspace's time zone (the active
policy's business hours), the zone the SLA clock and its alerts run on. Django's `date` filter and
`timezone.localtime` follow the active zone, so activating it once per request fixes every template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from socialdesk.conversations.inbox import workspace_ids
from socialdesk.policy.zone import workspace_zone, zone_name
from socialdesk.workspaces.models import Workspace


def use_workspace_clock(request: HttpRequest, workspace_id: int) -> None:
    """A page about one workspace's object (a conversation, an incident) shows that workspace's clock."""
    zone = workspace_zone(workspace_id)
    timezone.activate(zone)
    request.desk_zone = zone_name(zone)  # type: ignore[attr-defined]


def _page_workspace(request: HttpRequest) -> int | None:
    """The workspace a list page is about: the one filtered on, else the user's first (by name)."""
    ids = workspace_ids(request.user)
    if not ids:
        return None
    slug = request.GET.get("workspace", "")
    rows = Workspace.objects.filter(pk__in=ids).order_by("name")
    if slug:
        rows = rows.filter(slug=slug)
    return rows.values_list("pk", flat=True).first()


class WorkspaceClockMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.desk_zone = zone_name(UTC)  # type: ignore[attr-defined]
        if request.user.is_authenticated and not request.path.startswith(("/api/", "/hooks/")):
            found = _page_workspace(request)
            if found is not None:
                use_workspace_clock(request, found)
        try:
            return self.get_response(request)
        finally:
            # Threads serve other requests next: the zone never leaks into them.
            timezone.deactivate()


def desk_zone(request: HttpRequest) -> dict[str, object]:
    """The zone the page's times are in, for its header."""
    return {"desk_zone": getattr(request, "desk_zone", "UTC")}
