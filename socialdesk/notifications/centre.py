"""The member's side: the notification centre (their in-app deliveries, read and unread) and their
choices per kind. Every read goes through the user's own deliveries in their own workspaces."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from socialdesk.errors import DeskError
from socialdesk.notifications.audience import Choice, default_choice
from socialdesk.notifications.models import CHOOSABLE_KINDS, Delivery, Medium, Preference
from socialdesk.workspaces.actions import require_member, workspaces_for
from socialdesk.workspaces.models import Membership, Workspace


def inbox_of(user: User | AnonymousUser) -> QuerySet[Delivery]:
    """The user's in-app notifications, newest first (a workspace they left drops out)."""
    return (
        Delivery.objects.filter(
            user_id=user.pk or 0,
            medium=Medium.IN_APP,
            notification__workspace__in=workspaces_for(user),
        )
        .select_related("notification__workspace")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User | AnonymousUser) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def mark_read(user: User, delivery_id: int, *, read: bool = True) -> Delivery:
    """Mark one of the user's notifications read (or unread again); another's is not found."""
    delivery = inbox_of(user).filter(pk=delivery_id).first()
    if delivery is None:
        raise DeskError("not found", code="not_found", status=404)
    delivery.read_at = (delivery.read_at or timezone.now()) if read else None
    Delivery.objects.filter(pk=delivery.pk).update(read_at=delivery.read_at)
    return delivery


def mark_all_read(user: User) -> int:
    return Delivery.objects.filter(pk__in=inbox_of(user).filter(read_at__isnull=True).values("pk")).update(
        read_at=timezone.now()
    )


@dataclass(frozen=True)
class KindChoice:
    kind: str
    label: str
    choice: Choice


def choices_for(user: User, workspace: Workspace) -> list[KindChoice]:
    """Every kind with what this member gets now: their stored choice, else their role's default."""
    require_member(user, workspace.pk)
    role = Membership.objects.get(workspace=workspace, user=user).role
    stored = {
        p.kind: Choice(p.in_app, p.email, chosen=True)
        for p in Preference.objects.filter(workspace=workspace, user=user)
    }
    return [
        KindChoice(kind.value, kind.label, stored.get(kind) or default_choice(kind, role))
        for kind in CHOOSABLE_KINDS
    ]


def set_choice(user: User, workspace: Workspace, kind: str, *, in_app: bool, email: bool) -> Preference:
    require_member(user, workspace.pk)
    if kind not in CHOOSABLE_KINDS:
        raise DeskError(f"unknown notification kind {kind!r}; one of: {', '.join(CHOOSABLE_KINDS)}")
    preference, _ = Preference.objects.update_or_create(
        workspace=workspace, user=user, kind=kind, defaults={"in_app": in_app, "email": email}
    )
    return preference


def reset_choices(user: User, workspace: Workspace) -> None:
    """Back to the role's defaults."""
    require_member(user, workspace.pk)
    Preference.objects.filter(workspace=workspace, user=user).delete()
