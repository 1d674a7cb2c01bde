"""What members hold: open conversations and abusive assignments, counted per member in one query each
(assignment decides with them, the team page shows them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from socialdesk.conversations.models import Conversation, Status
from socialdesk.policy.zone import workspace_zone
from socialdesk.roster.models import AutoAssignment

# What counts against capacity: conversations waiting on the team (pending waits on the customer).
OPEN = (Status.NEW, Status.OPEN)


def open_held(workspace_id: int, user_ids: Iterable[int]) -> dict[int, int]:
    """Open conversations assigned to each member (members holding none are left out)."""
    return dict(
        Conversation.objects.filter(
            workspace_id=workspace_id, assignee_id__in=list(user_ids), status__in=OPEN
        )
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .values_list("assignee_id", "n")
    )


def abusive_since(workspace_id: int, user_ids: Iterable[int], start: datetime) -> dict[int, int]:
    """Abusive conversations the desk assigned to each member since `start`."""
    return dict(
        AutoAssignment.objects.filter(
            workspace_id=workspace_id, user_id__in=list(user_ids), abusive=True, at__gte=start
        )
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )


def day_start(workspace_id: int, at: datetime) -> datetime:
    """Local midnight of `at`'s day in the workspace's zone ("today" on the team page and for the spread)."""
    local = at.astimezone(workspace_zone(workspace_id))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
