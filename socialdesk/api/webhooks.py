"""A workspace's outgoing webhooks in the REST API, for its leads and admins: list, add (the answer is
the only one that carries the signing secret), remove, and send a test through the real delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.notifications.models import Webhook
from socialdesk.notifications.webhooks import (
    add_webhook,
    last_attempt,
    list_webhooks,
    remove_webhook,
    send_test,
    summary_of_test,
)
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Workspace

router = Router(tags=["webhooks"])
REFUSALS = {403: Problem, 404: Problem, 422: Problem}


class WebhookOut(Schema):
    id: int
    workspace: str
    name: str
    # Only the address's scheme and host: a Slack webhook URL is itself a credential.
    host: str
    kinds: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str  # shown in this answer only


class WebhookIn(Schema):
    name: str
    url: str
    kinds: list[str] = []


class TestOut(Schema):
    delivery_id: int
    status: str
    attempts: int
    status_code: int | None
    error: str
    summary: str


def _out(webhook: Webhook, workspace: Workspace) -> dict[str, Any]:
    parts = urlsplit(webhook.url)
    return {
        "id": webhook.pk,
        "workspace": workspace.slug,
        "name": webhook.name,
        "host": f"{parts.scheme}://{parts.netloc}",
        "kinds": webhook.kinds,
        "active": webhook.active,
        "created_at": webhook.created_at,
    }


def _workspace(request: HttpRequest, slug: str) -> Workspace:
    return get_object_or_404(workspaces_for(request.user), slug=slug)


def _webhook_id(workspace: Workspace, webhook_id: int) -> int:
    """Another workspace's webhook is not found through this one's address."""
    return get_object_or_404(Webhook.objects.filter(workspace=workspace), pk=webhook_id).pk


@router.get("/{slug}/webhooks", response={200: list[WebhookOut], **REFUSALS}, summary="Webhooks")
def list_all(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    workspace = _workspace(request, slug)
    return [_out(w, workspace) for w in list_webhooks(signed_in(request), workspace)]


@router.post("/{slug}/webhooks", response={201: WebhookCreated, **REFUSALS}, summary="Add a webhook")
def add(request: HttpRequest, slug: str, body: WebhookIn) -> Status[dict[str, Any]]:
    """`kinds` empty: every kind. Keep `secret`: it verifies `X-Socialdesk-Signature` and is never
    shown again."""
    workspace = _workspace(request, slug)
    webhook, secret = add_webhook(signed_in(request), workspace, body.name, body.url, body.kinds)
    return Status(201, {**_out(webhook, workspace), "secret": secret})


@router.delete("/{slug}/webhooks/{webhook_id}", response={204: None, **REFUSALS}, summary="Remove a webhook")
def remove(request: HttpRequest, slug: str, webhook_id: int) -> Status[None]:
    remove_webhook(signed_in(request), _webhook_id(_workspace(request, slug), webhook_id))
    return Status(204, None)


@router.post("/{slug}/webhooks/{webhook_id}/test", response={200: TestOut, **REFUSALS}, summary="Send a test")
def test(request: HttpRequest, slug: str, webhook_id: int) -> dict[str, Any]:
    delivery = send_test(signed_in(request), _webhook_id(_workspace(request, slug), webhook_id))
    last = last_attempt(delivery)
    return {
        "delivery_id": delivery.pk,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "status_code": last.status_code if last else None,
        "error": delivery.last_error,
        "summary": summary_of_test(delivery),
    }
