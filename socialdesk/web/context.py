"""Template context for every desk page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from socialdesk.notifications.centre import unread_count
from socialdesk.replies.queue import waiting_count
from socialdesk.roster.models import Availability, Status
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Membership, Role


def user_workspaces(request: HttpRequest) -> dict[str, object]:
    """The brands this user works for (the header's switch); queried only when a page shows it."""
    return {"user_workspaces": SimpleLazyObject(lambda: list(workspaces_for(request.user).order_by("name")))}


def approvals_waiting(request: HttpRequest) -> dict[str, object]:
    """Held replies waiting for this user's review (the nav's count); counted only when shown."""
    user = request.user
    return {
        "approvals_waiting": SimpleLazyObject(lambda: waiting_count(user) if user.is_authenticated else 0)
    }


def notifications_unread(request: HttpRequest) -> dict[str, object]:
    """The header's unread count (then kept live by polling web:notification_badge)."""
    user = request.user
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}


def my_status(request: HttpRequest) -> dict[str, object]:
    """The header's status chip (online, away or offline; the team page changes it)."""
    user = request.user

    def status() -> str:
        if not user.is_authenticated:
            return ""
        found = sorted(set(Availability.objects.filter(user_id=user.pk).values_list("status", flat=True)))
        return found[0] if len(found) == 1 else ("mixed" if found else Status.OFFLINE)

    return {"my_status": SimpleLazyObject(status)}


def can_plan(request: HttpRequest) -> dict[str, object]:
    """Whether the header links the staffing plan (leads and admins of some workspace read it)."""
    user = request.user

    def leads() -> bool:
        if not user.is_authenticated:
            return False
        return Membership.objects.filter(user_id=user.pk, role__in=(Role.LEAD, Role.ADMIN)).exists()

    return {"can_plan": SimpleLazyObject(leads)}
