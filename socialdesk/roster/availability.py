"""Who is on: a member's status (set by hand, or by activity and idleness), capacity and skills."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.errors import DeskError
from socialdesk.policy.actions import active_policy_version
from socialdesk.roster.models import Availability, Status, StatusSource
from socialdesk.workspaces.actions import has_role, require_member
from socialdesk.workspaces.models import Membership, Role

# A page load inside this window does not write again: activity is a hint, not an audit.
ACTIVITY_GRANULARITY = timedelta(seconds=60)
DEFAULT_IDLE_MINUTES = 15


def availability_for(workspace_id: int, user_id: int) -> Availability:
    row, _ = Availability.objects.get_or_create(workspace_id=workspace_id, user_id=user_id)
    return row


def require_self_or_lead(actor: User | None, workspace_id: int, user_id: int, what: str) -> None:
    require_member(actor, workspace_id)
    if actor is None or actor.pk == user_id:
        return
    if not has_role(workspace_id, actor.pk, (Role.LEAD, Role.ADMIN)):
        raise DeskError(f"Only leads and admins can change another member's {what}.", status=403)


def member_named(workspace_id: int, username: str) -> User:
    membership = Membership.objects.filter(workspace_id=workspace_id, user__username=username).select_related(
        "user"
    )
    found = membership.first()
    if found is None:
        raise DeskError(f"{username} is not a member of this workspace", status=404)
    return found.user


def set_status(
    actor: User | None, workspace_id: int, username: str, status: str, at: datetime | None = None
) -> Availability:
    """Online, away or offline by hand: it stays so until changed by hand or until the member signs in
    again (working in the desk does not undo a status they chose)."""
    if status not in Status.values:
        raise DeskError(f"Unknown status {status!r}: online, away or offline.")
    user = member_named(workspace_id, username)
    require_self_or_lead(actor, workspace_id, user.pk, "status")
    now = at or timezone.now()
    row = availability_for(workspace_id, user.pk)
    row.status, row.status_source, row.status_changed_at = status, StatusSource.MANUAL, now
    if status == Status.ONLINE:
        row.last_active_at = now
    row.save(update_fields=["status", "status_source", "status_changed_at", "last_active_at"])
    return row


def set_profile(
    actor: User | None,
    workspace_id: int,
    username: str,
    *,
    capacity: int | None,
    languages: list[str],
    networks: list[str],
    categories: list[str],
) -> Availability:
    """Capacity and skills: a lead's or admin's decision (members see theirs)."""
    require_member(actor, workspace_id)
    if actor is not None and not has_role(workspace_id, actor.pk, (Role.LEAD, Role.ADMIN)):
        raise DeskError("Only leads and admins set capacity and skills.", status=403)
    if capacity is not None and not 1 <= capacity <= 200:
        raise DeskError("Capacity is the number of open conversations at once: 1 to 200.")
    user = member_named(workspace_id, username)
    row = availability_for(workspace_id, user.pk)
    row.capacity = capacity
    row.languages = sorted({code.strip().lower() for code in languages if code.strip()})
    row.networks = sorted({name.strip().lower() for name in networks if name.strip()})
    row.categories = sorted({code.strip() for code in categories if code.strip()})
    row.save(update_fields=["capacity", "languages", "networks", "categories"])
    return row


def mark_active(
    workspace_id: int, user_id: int, at: datetime | None = None, *, signing_in: bool = False
) -> None:
    """The member did something in the desk: online, unless they chose away or offline by hand (signing
    in ends that: whoever signs in has come to work)."""
    now = at or timezone.now()
    row = availability_for(workspace_id, user_id)
    chosen = row.status != Status.ONLINE and row.status_source == StatusSource.MANUAL and not signing_in
    fresh = row.last_active_at is not None and now - row.last_active_at < ACTIVITY_GRANULARITY
    if fresh and (row.status == Status.ONLINE or chosen):
        return
    updates: dict[str, object] = {"last_active_at": now}
    if row.status != Status.ONLINE and not chosen:
        updates.update(status=Status.ONLINE, status_source=StatusSource.ACTIVITY, status_changed_at=now)
    Availability.objects.filter(pk=row.pk).update(**updates)


def signed_in(user: User) -> None:
    """Signing in to the desk puts the member online in each of their workspaces."""
    for workspace_id in Membership.objects.filter(user=user).values_list("workspace_id", flat=True):
        mark_active(workspace_id, user.pk, signing_in=True)


def idle_minutes(workspace_id: int) -> int:
    found = active_policy_version(workspace_id)
    return found[1].assignment.away_after_idle_minutes if found else DEFAULT_IDLE_MINUTES


def mark_idle_away(now: datetime | None = None) -> int:
    """Members who came online by activity and have been idle for the policy's minutes show as away
    (a status set by hand is theirs to change)."""
    now = now or timezone.now()
    changed = 0
    candidates = Availability.objects.filter(status=Status.ONLINE, status_source=StatusSource.ACTIVITY)
    for workspace_id in candidates.values_list("workspace_id", flat=True).distinct():
        cutoff = now - timedelta(minutes=idle_minutes(workspace_id))
        with transaction.atomic():
            changed += candidates.filter(workspace_id=workspace_id, last_active_at__lt=cutoff).update(
                status=Status.AWAY, status_changed_at=now
            )
    return changed
