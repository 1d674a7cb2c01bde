"""Times in the API: ISO 8601 with the offset of the workspace's clock (the active policy's time
zone), the clock the pages and alerts use, so "13:29" on a page is "13:29:00+01:00" here. Endpoints
about one workspace's object switch to its clock; lists use the clock of the workspace filtered on,
else the user's first (each time is still one instant, whatever its offset)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from socialdesk.conversations.inbox import workspace_ids
from socialdesk.policy.zone import workspace_zone
from socialdesk.workspaces.models import Workspace


class _DeskJSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            # Django's encoder would write UTC as "Z" and drop microseconds: say the offset instead.
            return timezone.localtime(o).isoformat()
        return super().default(o)


class DeskRenderer(JSONRenderer):
    encoder_class = _DeskJSONEncoder


def use_workspace_clock(workspace_id: int) -> None:
    """Until the response is written (web.clock's middleware resets the zone after every request)."""
    timezone.activate(workspace_zone(workspace_id))


def use_list_clock(request: HttpRequest, slug: str = "") -> None:
    rows = Workspace.objects.filter(pk__in=workspace_ids(request.user)).order_by("name")
    if slug:
        rows = rows.filter(slug=slug)
    found = rows.values_list("pk", flat=True).first()
    if found is not None:
        use_workspace_clock(found)
