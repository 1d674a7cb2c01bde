"""The policy's clocks at work (periodic jobs): first-contact acknowledgments, 'still working on it'
updates and SLA warnings. Every step claims its conversation first, so a job run twice, or after a
crash, sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from socialdesk.conversations.actions import raise_alert
from socialdesk.conversations.models import AlertKind, Conversation, Direction, Status
from socialdesk.outbox.queue import queue_outbound
from socialdesk.policy.actions import active_policy_version, parsed_policy
from socialdesk.policy.checker import length_budget
from socialdesk.policy.clock import calendar_for, humanize_minutes, targets_for
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.routing import PRIORITY_NAME
from socialdesk.policy.schema import Policy
from socialdesk.policy.templates import choose_template, fill_template

LIVE = [Status.NEW, Status.OPEN, Status.PENDING]


def _ack_visibility(policy: Policy, conversation: Conversation, now: datetime) -> tuple[bool | None, str]:
    """(private?, reason if it cannot be sent) following the network's rules."""
    rules = policy.rules_for(conversation.channel.effective_network)
    wanted = policy.first_contact.visibility
    private = conversation.is_private if wanted == "same_as_message" else wanted == "private"
    if private and not conversation.is_private and rules.dm_eligibility != "anyone":
        # A public post does not open a private channel on this network: acknowledge in public.
        private = False
    if not private and not rules.public_reply:
        private = True
    window = rules.messaging_window_hours
    if private and window and now - conversation.last_inbound_at > timedelta(hours=window):
        return None, f"outside the {window}-hour messaging window"
    return private, ""


def send_due_acknowledgments(now: datetime | None = None) -> int:
    """Acknowledge conversations whose first-contact time has come: once, never to an agent-answered one."""
    now = now or timezone.now()
    sent = 0
    due = Conversation.objects.filter(ack_sent_at__isnull=True, ack_due_at__lte=now, status__in=LIVE)
    for conversation_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            # Claim: whoever flips ack_sent_at owns this acknowledgment.
            if not Conversation.objects.filter(pk=conversation_id, ack_sent_at__isnull=True).update(
                ack_sent_at=now
            ):
                continue
            conversation = Conversation.objects.select_related("channel", "contact", "workspace").get(
                pk=conversation_id
            )
            sent += _acknowledge(conversation, now)
    return sent


def _acknowledge(conversation: Conversation, now: datetime) -> int:
    def skip(reason: str) -> int:
        Conversation.objects.filter(pk=conversation.pk).update(ack_skipped=reason)
        return 0

    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return skip("no active policy")
    policy = found[1]
    if conversation.messages.filter(direction=Direction.OUTBOUND, automatic=False).exists():
        return skip("an agent answered first")
    if conversation.first_response_due_at is not None and now >= conversation.first_response_due_at:
        # "We'll answer within an hour" is no use once the hour has passed (a backlog, a long outage).
        return skip("too late: the first response was already due")
    private, reason = _ack_visibility(policy, conversation, now)
    if private is None:
        return skip(reason)
    network = conversation.channel.effective_network
    targets = targets_for(policy, PRIORITY_NAME[conversation.priority], network)
    template = choose_template(policy, conversation.language, network)
    text = fill_template(
        template.text,
        policy,
        conversation,
        expected_response=humanize_minutes(targets.first_response_minutes, template.language),
    )
    used, limit = length_budget(policy, text, network=network, private=private)
    if limit is not None and used > limit:
        return skip(f"acknowledgment template is too long for {network} ({used} of {limit})")
    queue_outbound(conversation, text, is_private=private, automatic=True, now=now)
    return 1


def active_policies() -> Iterator[tuple[int, Policy]]:
    """(workspace id, policy) for every workspace with an active policy: the periodic jobs work per
    workspace so each can use its own thresholds in the query."""
    rows = PolicyVersion.objects.filter(is_active=True).values_list("workspace_id", "pk")
    for workspace_id, version_id in rows:
        yield workspace_id, parsed_policy(version_id)


def send_still_working_updates(now: datetime | None = None, batch: int = 500) -> int:
    """When a case runs longer than the policy allows without news, tell the customer we're on it."""
    now = now or timezone.now()
    sent = 0
    for workspace_id, policy in active_policies():
        minutes = policy.sla.still_working_after_minutes
        if not minutes:
            continue
        threshold = timedelta(minutes=minutes)
        calendar = calendar_for(policy.business_hours)
        # Business time never runs faster than the wall clock, so this prefilter loses nothing.
        candidates = (
            Conversation.objects.filter(
                workspace_id=workspace_id,
                status__in=LIVE,
                still_working_sent_at__isnull=True,
                policy_version__isnull=False,
                first_inbound_at__lte=now - threshold,
            )
            .select_related("channel", "contact")
            .order_by("first_inbound_at")[:batch]
        )
        for conversation in candidates:
            if calendar.elapsed(conversation.first_inbound_at, now) < threshold:
                continue
            last_out = _last_outbound_at(conversation)
            if last_out is not None and calendar.elapsed(last_out, now) < threshold:
                continue
            with transaction.atomic():
                claimed = Conversation.objects.filter(
                    pk=conversation.pk, still_working_sent_at__isnull=True
                ).update(still_working_sent_at=now)
                if not claimed:
                    continue
                text = fill_template(policy.sla.still_working_template, policy, conversation)
                queue_outbound(
                    conversation, text, is_private=conversation.is_private, automatic=True, now=now
                )
                sent += 1
    return sent


def _last_outbound_at(conversation: Conversation) -> datetime | None:
    return (
        conversation.messages.filter(direction=Direction.OUTBOUND)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def warn_before_breach(now: datetime | None = None, batch: int = 2000) -> int:
    """One alert per due time about to pass (or passed) without a response. `sla_warned_at` marks a
    conversation as warned until the customer writes again after our reply (a new next-response due)."""
    now = now or timezone.now()
    created = 0
    for workspace_id, policy in active_policies():
        horizon = now + timedelta(minutes=policy.sla.warn_before_minutes)
        zone = calendar_for(policy.business_hours).zone
        first_due = Q(first_response_at__isnull=True, first_response_due_at__lte=horizon)
        next_due = Q(next_response_due_at__lte=horizon)
        candidates = Conversation.objects.filter(
            first_due | next_due, workspace_id=workspace_id, status__in=LIVE, sla_warned_at__isnull=True
        ).order_by("pk")[:batch]
        for conversation in candidates:
            first = conversation.first_response_at is None and conversation.first_response_due_at is not None
            label = "first response" if first else "next response"
            due = conversation.first_response_due_at if first else conversation.next_response_due_at
            if due is None:
                continue
            text = f"{label} due {due.astimezone(zone):%Y-%m-%d %H:%M}"
            raise_alert(conversation, AlertKind.SLA_WARNING, ["lead"], text, now)
            Conversation.objects.filter(pk=conversation.pk).update(sla_warned_at=now)
            created += 1
    return created


def policy_tick(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "acknowledgments": send_due_acknowledgments(now),
        "still_working": send_still_working_updates(now),
        "sla_warnings": warn_before_breach(now),
    }
