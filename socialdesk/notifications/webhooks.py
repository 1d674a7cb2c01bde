"""A workspace's outgoing webhooks: admins add one (the signing secret is made here and shown once),
switch it off or remove it, and read its recent deliveries with every attempt."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from socialdesk.errors import DeskError
from socialdesk.notifications.models import Delivery, Kind, Medium, Webhook
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Membership, Role, Workspace

ADMINS = (Role.ADMIN,)
REFUSAL = "only the workspace's admins manage its webhooks"


def admin_workspaces(user: User | AnonymousUser) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    admin_of = Membership.objects.filter(user_id=user.pk, role=Role.ADMIN).values("workspace_id")
    return Workspace.objects.filter(pk__in=admin_of).order_by("name")


def webhooks_of(user: User | AnonymousUser) -> QuerySet[Webhook]:
    return Webhook.objects.filter(workspace__in=admin_workspaces(user)).select_related("workspace")


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
    require_role(actor, workspace.pk, ADMINS, REFUSAL)
    name = " ".join(name.split())
    if not name:
        raise DeskError("give the webhook a name (e.g. 'Slack #care-leads')")
    unknown = sorted(set(kinds or []) - set(Kind.values))
    if unknown:
        raise DeskError(f"unknown notification kinds: {', '.join(unknown)}; one of: {', '.join(Kind.values)}")
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
    require_role(actor, webhook.workspace_id, ADMINS, REFUSAL)  # a non-member is told 404
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
