"""A workspace's outgoing webhooks: its leads and admins add one (the signing secret is made here and
shown once), switch it off or remove it, send it a test, and read its recent deliveries with every
attempt."""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from socialdesk.errors import DeskError
from socialdesk.notifications.models import (
    CHOOSABLE_KINDS,
    Attempt,
    Delivery,
    DeliveryStatus,
    Kind,
    Medium,
    Notification,
    Webhook,
)
from socialdesk.notifications.sending import send_delivery
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Membership, Role, Workspace

# Leads hear of breaches, incidents and spikes, so they may point them at their team's chat.
MANAGERS = (Role.LEAD, Role.ADMIN)
REFUSAL = "only the workspace's leads and admins manage its webhooks"
TEST_TEXT = "Test from Socialdesk, sent by {who}: this webhook receives the desk's notifications"


def managed_workspaces(user: User | AnonymousUser) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    managed = Membership.objects.filter(user_id=user.pk, role__in=MANAGERS).values("workspace_id")
    return Workspace.objects.filter(pk__in=managed).order_by("name")


def webhooks_of(user: User | AnonymousUser) -> QuerySet[Webhook]:
    return Webhook.objects.filter(workspace__in=managed_workspaces(user)).select_related("workspace")


def list_webhooks(actor: User, workspace: Workspace) -> list[Webhook]:
    require_role(actor, workspace.pk, MANAGERS, REFUSAL)
    return list(Webhook.objects.filter(workspace=workspace).order_by("name", "pk"))


def clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise DeskError(
            "the webhook URL must be an http:// or https:// address, e.g. https://hooks.slack.com/…"
        )
    if len(url) > 2000:
        raise DeskError("the webhook URL has at most 2,000 characters")
    return url


def add_webhook(
    actor: User, workspace: Workspace, name: str, url: str, kinds: list[str] | None = None
) -> tuple[Webhook, str]:
    """(the webhook, its signing secret): the secret is stored encrypted and never shown again."""
    require_role(actor, workspace.pk, MANAGERS, REFUSAL)
    name = " ".join(name.split())
    if not name:
        raise DeskError("give the webhook a name (e.g. 'Slack #care-leads')")
    unknown = sorted(set(kinds or []) - set(CHOOSABLE_KINDS))
    if unknown:
        raise DeskError(
            f"unknown notification kinds: {', '.join(unknown)}; one of: {', '.join(CHOOSABLE_KINDS)}"
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook = Webhook.objects.create(
        workspace=workspace,
        name=name[:80],
        target={"url": clean_url(url), "secret": secret},
        kinds=sorted(set(kinds or [])),
    )
    return webhook, secret


def _own(actor: User, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.filter(pk=webhook_id).first()
    if webhook is None:
        raise DeskError("not found", code="not_found", status=404)
    require_role(actor, webhook.workspace_id, MANAGERS, REFUSAL)  # a non-member is told 404
    return webhook


def set_webhook_active(actor: User, webhook_id: int, active: bool) -> Webhook:
    webhook = _own(actor, webhook_id)
    Webhook.objects.filter(pk=webhook.pk).update(active=active)
    webhook.active = active
    return webhook


def remove_webhook(actor: User, webhook_id: int) -> None:
    _own(actor, webhook_id).delete()


def recent_deliveries(actor: User, webhook_id: int, limit: int = 20) -> list[Delivery]:
    webhook = _own(actor, webhook_id)
    return list(
        Delivery.objects.filter(webhook=webhook, medium=Medium.WEBHOOK)
        .select_related("notification")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-pk")[:limit]
    )


def send_test(actor: User, webhook_id: int, now: datetime | None = None) -> Delivery:
    """A signed test notification to this one webhook (switched off or not: it may be tested before
    it is switched on). It is a delivery like any other, recorded with its attempts and retried if
    the receiver fails for a moment; the first attempt is made now, so the answer can be shown."""
    webhook = _own(actor, webhook_id)
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.create(
            workspace_id=webhook.workspace_id,
            kind=Kind.TEST,
            text=TEST_TEXT.format(who=actor.get_username()),
            link=reverse("web:webhooks"),
            created_at=now,
        )
        delivery = Delivery.objects.create(
            notification=notification,
            medium=Medium.WEBHOOK,
            webhook=webhook,
            next_attempt_at=now,
            created_at=now,
        )
    send_delivery(delivery.pk, now)
    delivery.refresh_from_db()
    return delivery


def last_attempt(delivery: Delivery) -> Attempt | None:
    return delivery.attempt_log.order_by("-at", "-pk").first()


def summary_of_test(delivery: Delivery) -> str:
    """One line on how a test delivery went, for the page and the API."""
    name = delivery.webhook.name if delivery.webhook else "the webhook"
    if delivery.status == DeliveryStatus.SENT:
        last = last_attempt(delivery)
        return f"Test delivered to {name} (HTTP {last.status_code if last else '?'})"
    if delivery.status == DeliveryStatus.FAILED:
        return f"Test to {name} failed: {delivery.last_error}"
    return f"Test to {name} not delivered yet ({delivery.last_error}); it is retried"
