"""The policy's clocks at work (periodic jobs): first-contact acknowledgments, 'still working on it'
updates and SLA warnings. Automatic messages pass the one gate in `policy.automation`; every step
claims its conversation first, so a job run twice, or after a crash, sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from socialdesk.conversations.actions import raise_alert
from socialdesk.conversations.models import AlertKind, Conversation, Status
from socialdesk.notifications.models import Kind, Notification
from socialdesk.notifications.notify import notify
from socialdesk.outbox.queue import queue_outbound
from socialdesk.policy import automation
from socialdesk.policy.actions import parsed_policy
from socialdesk.policy.clock import calendar_for
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.schema import Policy
from socialdesk.workspaces.models import Workspace

LIVE = [Status.NEW, Status.OPEN, Status.PENDING]


def active_policies(workspace_id: int | None = None) -> Iterator[tuple[int, Policy]]:
    """(workspace id, policy) for every workspace with an active policy (or only the one given): the
    periodic jobs work per workspace so each can use its own thresholds in the query."""
    rows = PolicyVersion.objects.filter(is_active=True)
    if workspace_id is not None:
        rows = rows.filter(workspace_id=workspace_id)
    for found_id, version_id in rows.values_list("workspace_id", "pk"):
        yield found_id, parsed_policy(version_id)


def _automating(workspace_id: int | None) -> Iterator[tuple[int, Policy]]:
    """The active policies of workspaces whose automation is switched on. A switched-off workspace
    claims nothing, so its timers are intact when it is switched on again (and the gate's catch-up
    window keeps that from becoming a burst)."""
    enabled = set(Workspace.objects.filter(automation_enabled=True).values_list("pk", flat=True))
    for found_id, policy in active_policies(workspace_id):
        if found_id in enabled:
            yield found_id, policy


def _record(conversation: Conversation, verdict: automation.Verdict) -> None:
    """Keep the gate's decision on the conversation (shown on its page); send what it allowed."""
    log = [*conversation.automation_log, verdict.log_entry()][-20:]
    changes: dict[str, object] = {"automation_log": log}
    if verdict.kind == automation.ACKNOWLEDGMENT:
        changes["ack_skipped"] = "" if verdict.send else verdict.reason[:200]
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    if verdict.send:
        queue_outbound(
            conversation,
            verdict.text,
            is_private=verdict.private,
            automatic=True,
            automatic_reason=f"{verdict.kind}: {verdict.reason}",
            language=verdict.language,
            now=verdict.at,
        )


def send_due_acknowledgments(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """Acknowledge conversations whose first-contact time has come, through the gate; each is decided
    once (claimed first), so a job run twice, or after a crash, sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    for found_id, policy in _automating(workspace_id):
        due = Conversation.objects.filter(
            workspace_id=found_id, ack_sent_at__isnull=True, ack_due_at__lte=now, status__in=LIVE
        )
        zone = policy.business_hours.timezone
        if policy.automation.business_hours_only and not calendar_for(policy.business_hours).is_open(now):
            continue  # nothing goes out before opening; decided then, with what is known then
        for conversation in due.select_related("channel", "contact").order_by("ack_due_at", "pk")[:500]:
            verdict = automation.acknowledgment(policy, conversation, now, zone)
            if verdict.at > now:
                continue  # e.g. waiting for opening hours: decided then, with what is known then
            with transaction.atomic():
                if Conversation.objects.filter(pk=conversation.pk, ack_sent_at__isnull=True).update(
                    ack_sent_at=now
                ):
                    _record(conversation, verdict)
                    sent += int(verdict.send)
    return sent


def send_still_working_updates(
    now: datetime | None = None, workspace_id: int | None = None, batch: int = 500
) -> int:
    """Once a person has answered and the customer wrote again, and nobody has written back for the
    policy's time, tell the customer we're still on it (through the gate), once per message."""
    now = now or timezone.now()
    sent = 0
    for found_id, policy in _automating(workspace_id):
        minutes = policy.sla.still_working_after_minutes
        if not minutes:
            continue
        # Business time never runs faster than the wall clock, so this prefilter loses nothing.
        candidates = Conversation.objects.filter(
            workspace_id=found_id,
            status__in=LIVE,
            first_response_at__isnull=False,
            first_response_at__lte=now - timedelta(minutes=minutes),
        )
        # Decided after the last message already: nothing new to decide until someone writes.
        candidates = candidates.filter(
            Q(still_working_sent_at__isnull=True) | Q(still_working_sent_at__lt=F("last_message_at"))
        ).select_related("channel", "contact")
        for conversation in candidates.order_by("first_response_at")[:batch]:
            verdict = automation.update(policy, conversation, now, policy.business_hours.timezone)
            if verdict is None or verdict.at > now or verdict.about is None:
                continue
            with transaction.atomic():
                # Claim per customer message: the update it may get is decided once.
                claimed = (
                    Conversation.objects.filter(pk=conversation.pk)
                    .filter(
                        Q(still_working_sent_at__isnull=True) | Q(still_working_sent_at__lt=verdict.about)
                    )
                    .update(still_working_sent_at=now)
                )
                if claimed:
                    _record(conversation, verdict)
                    sent += int(verdict.send)
    return sent


def warn_before_breach(
    now: datetime | None = None, workspace_id: int | None = None, batch: int = 2000
) -> int:
    """One alert per due time about to pass (or passed) without a response. `sla_warned_at` marks a
    conversation as warned until the customer writes again after our reply (a new next-response due)."""
    now = now or timezone.now()
    created = 0
    for found_id, policy in active_policies(workspace_id):
        horizon = now + timedelta(minutes=policy.sla.warn_before_minutes)
        zone = calendar_for(policy.business_hours).zone
        first_due = Q(first_response_at__isnull=True, first_response_due_at__lte=horizon)
        next_due = Q(next_response_due_at__lte=horizon)
        candidates = Conversation.objects.filter(
            first_due | next_due, workspace_id=found_id, status__in=LIVE, sla_warned_at__isnull=True
        ).order_by("pk")[:batch]
        for conversation in candidates:
            first = conversation.first_response_at is None and conversation.first_response_due_at is not None
            label = "first response" if first else "next response"
            due = conversation.first_response_due_at if first else conversation.next_response_due_at
            if due is None:
                continue
            # Labelled with the zone: the page shows the same time on the same clock (web.clock).
            text = f"{label} due {due.astimezone(zone):%Y-%m-%d %H:%M %Z}"
            if raise_alert(conversation, AlertKind.SLA_WARNING, ["lead"], text, now):
                notify(
                    found_id,
                    Kind.SLA_WARNING,
                    f"Conversation #{conversation.pk}: {text}",
                    conversation=conversation,
                    key=f"sla_warning:{conversation.pk}:{due.timestamp():.0f}",
                    at=now,
                )
            Conversation.objects.filter(pk=conversation.pk).update(sla_warned_at=now)
            created += 1
    return created


# A target missed longer ago than this is old news (a desk started after a long stop): not announced.
BREACH_CATCH_UP = timedelta(hours=12)


def _breached(workspace_id: int, now: datetime, due_field: str, answered: bool) -> Iterator[Conversation]:
    """Live conversations whose `due_field` passed within the catch-up window, not yet announced
    (a breach notification made at or after that due time)."""
    announced = Notification.objects.filter(
        conversation=OuterRef("pk"), kind=Kind.SLA_BREACH, created_at__gte=OuterRef(due_field)
    )
    rows = Conversation.objects.filter(
        workspace_id=workspace_id,
        status__in=LIVE,
        first_response_at__isnull=not answered,
        **{f"{due_field}__lte": now, f"{due_field}__gt": now - BREACH_CATCH_UP},
    ).filter(~Exists(announced))
    yield from rows.order_by(due_field, "pk")[:500]


def notify_breaches(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """One notification per response target missed (first response, or next response after ours);
    the notification's key makes a second run, or a second machine, announce nothing twice."""
    now = now or timezone.now()
    told = 0
    for found_id, policy in active_policies(workspace_id):
        zone = calendar_for(policy.business_hours).zone
        for due_field, answered, label in (
            ("first_response_due_at", False, "first response"),
            ("next_response_due_at", True, "next response"),
        ):
            for conversation in _breached(found_id, now, due_field, answered):
                due: datetime = getattr(conversation, due_field)
                made = notify(
                    found_id,
                    Kind.SLA_BREACH,
                    f"Conversation #{conversation.pk}: {label} target missed "
                    f"(due {due.astimezone(zone):%Y-%m-%d %H:%M %Z})",
                    conversation=conversation,
                    key=f"sla_breach:{conversation.pk}:{due.timestamp():.0f}",
                    at=now,
                )
                told += made is not None
    return told


def policy_tick(now: datetime | None = None, workspace_id: int | None = None) -> dict[str, int]:
    """The policy's timed work at `now`, for every workspace or only the one given (a scenario run
    on a simulated clock must not move any other workspace's timers)."""
    now = now or timezone.now()
    return {
        "acknowledgments": send_due_acknowledgments(now, workspace_id),
        "still_working": send_still_working_updates(now, workspace_id),
        "sla_warnings": warn_before_breach(now, workspace_id),
        "sla_breaches": notify_breaches(now, workspace_id),
    }
