"""The one way the desk tells people something: `notify`. Callers (policy routing and timers, reply
holds, incidents) say what happened; who hears of it, and how, is decided here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from socialdesk.conversations.models import Conversation
from socialdesk.notifications.audience import recipients
from socialdesk.notifications.models import Delivery, DeliveryStatus, Kind, Medium, Notification, Webhook
from socialdesk.notifications.tasks import send_notification_task
from socialdesk.workspaces.models import Workspace

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from socialdesk.incidents.models import Incident

NO_EMAIL = "the member has no email address"


def notify(
    workspace: Workspace | int,
    kind: str,
    text: str,
    *,
    link: str = "",
    conversation: Conversation | None = None,
    incident: Incident | None = None,
    roles: tuple[str, ...] | list[str] | None = None,
    key: str = "",
    at: datetime | None = None,
    except_user: User | None = None,
) -> Notification | None:
    """Record one notification and deliver it to everyone who wants it.

    `kind`: a `Kind` value ("spike", "incident_opened", "sla_breach", ...). `text`: one line a person
    reads (up to 300 characters). `link`: a path in the desk; by default the conversation's or the
    incident's page. `roles`: the roles to tell instead of the kind's default (an escalation rule's
    notify_roles); members' own choices still win. `key`: makes the call idempotent (a second call
    with the same key in the workspace records nothing and returns None). `at`: when it happened
    (default now). `except_user`: the member whose own action it was (an author is not asked to
    approve their own reply).

    In-app deliveries exist when this returns; email and webhook deliveries are sent after the
    transaction commits, and retried by the `notifications-tick` job.
    """
    kind = Kind(kind)  # an unknown kind is a caller's bug: ValueError names it
    at = at or timezone.now()
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    if not link and conversation is not None:
        link = reverse("web:conversation", args=[conversation.pk])
    elif not link and incident is not None:
        link = reverse("web:incident", args=[incident.pk])
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    workspace_id=workspace_id,
                    kind=kind,
                    text=" ".join(text.split())[:300],
                    link=link[:300],
                    conversation=conversation,
                    incident=incident,
                    key=key[:120],
                    created_at=at,
                )
        except IntegrityError:
            return None  # already told (same key)
        deliveries = _deliveries(notification, conversation, roles, except_user)
        Delivery.objects.bulk_create(deliveries)
        if any(d.status == DeliveryStatus.PENDING for d in deliveries):
            notification_id = notification.pk
            transaction.on_commit(lambda: send_notification_task.delay(notification_id))
    return notification


def email_enabled() -> bool:
    return bool(settings.SOCIALDESK_SMTP_HOST)


def _deliveries(
    notification: Notification,
    conversation: Conversation | None,
    roles: tuple[str, ...] | list[str] | None,
    except_user: User | None,
) -> list[Delivery]:
    at = notification.created_at
    due = min(at, timezone.now())  # an event dated ahead (a simulated clock) is still sent now
    found = []
    for recipient in recipients(
        notification.workspace_id,
        notification.kind,
        roles=tuple(roles) if roles is not None else None,
        assignee_id=conversation.assignee_id if conversation is not None else None,
        except_user_id=except_user.pk if except_user is not None else None,
    ):
        common = {"notification": notification, "user_id": recipient.user_id, "created_at": at}
        if recipient.choice.in_app:
            found.append(Delivery(medium=Medium.IN_APP, status=DeliveryStatus.SENT, sent_at=at, **common))
        if recipient.choice.email and email_enabled():
            if recipient.email:
                found.append(Delivery(medium=Medium.EMAIL, next_attempt_at=due, **common))
            else:
                found.append(
                    Delivery(medium=Medium.EMAIL, status=DeliveryStatus.FAILED, last_error=NO_EMAIL, **common)
                )
    for webhook in Webhook.objects.filter(workspace_id=notification.workspace_id, active=True).order_by("pk"):
        if webhook.wants(notification.kind):
            found.append(
                Delivery(
                    notification=notification,
                    medium=Medium.WEBHOOK,
                    webhook=webhook,
                    next_attempt_at=due,
                    created_at=at,
                )
            )
    return found
