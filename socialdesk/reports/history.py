"""Facts worked out from what is already stored: the backfill for conversations that existed before
facts were recorded (a migration runs it) or that came in by import, and the job that records a
target as missed once its due time passes with nobody answering."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message, Status
from socialdesk.reports import facts
from socialdesk.reports.models import Fact, FactKind, Target

LIVE = (Status.NEW, Status.OPEN, Status.PENDING)
MISSED_BATCH = 500


def record_missed_targets(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """Live conversations whose first response or resolution came due unanswered: missed, once."""
    now = now or timezone.now()
    scope = Q(workspace_id=workspace_id) if workspace_id is not None else Q()
    recorded = 0
    checks = (
        (Target.FIRST_RESPONSE, "first_response_due_at", Q(first_response_at__isnull=True)),
        (Target.RESOLUTION, "resolution_due_at", Q()),
        (Target.NEXT_RESPONSE, "next_response_due_at", Q(first_response_at__isnull=False)),
    )
    for target, due_field, pending in checks:
        verdicts = Fact.objects.filter(conversation=OuterRef("pk"), kind=FactKind.SLA, target=target)
        if target == Target.NEXT_RESPONSE:
            verdicts = verdicts.filter(at=OuterRef(due_field))
        overdue = (
            Conversation.objects.filter(scope, pending, status__in=LIVE, **{f"{due_field}__lte": now})
            .exclude(Exists(verdicts))
            .select_related("channel")
            .order_by(due_field)[:MISSED_BATCH]
        )
        for conversation in overdue:
            with transaction.atomic():
                recorded += facts.missed(conversation, target, getattr(conversation, due_field))
    return recorded


FACT_FIELDS = (
    "conversation_id",
    "direction",
    "sent_at",
    "delivery_status",
    "automatic",
    "author_user_id",
    "category",
    "intent",
    "language",
    "sentiment",
)


def backfill(conversations: Iterable[Conversation]) -> int:
    """Every fact the stored history of these conversations implies; facts recorded before are kept
    (the keys are the same as the live ones), so running it twice adds nothing. Returns facts added."""
    conversations = list(conversations)
    threads: dict[int, list[Message]] = defaultdict(list)
    stored = (
        Message.objects.filter(conversation_id__in=[c.pk for c in conversations])
        .exclude(delivery_status__in=[DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.RETURNED])
        .order_by("sent_at", "pk")
        # Only what the facts read: a history import loads a million of these.
        .only(*FACT_FIELDS)
    )
    for message in stored:
        threads[message.conversation_id].append(message)
    with facts.collecting() as gathered:
        for conversation in conversations:
            _backfill_one(conversation, threads[conversation.pk])
    return facts.save_many(gathered)


def backfill_ids(conversation_ids: list[int], batch: int = 500) -> int:
    added = 0
    for start in range(0, len(conversation_ids), batch):
        chunk = conversation_ids[start : start + batch]
        added += backfill(Conversation.objects.filter(pk__in=chunk).select_related("channel").order_by("pk"))
    return added


def backfill_workspace(workspace_id: int, batch: int = 500) -> int:
    added, after = 0, 0
    while True:
        chunk = list(
            Conversation.objects.filter(workspace_id=workspace_id, pk__gt=after)
            .select_related("channel")
            .order_by("pk")[:batch]
        )
        if not chunk:
            return added
        added += backfill(chunk)
        after = chunk[-1].pk


def _backfill_one(conversation: Conversation, messages: list[Message]) -> int:
    count = 0
    first_inbound = next((m for m in messages if m.direction == Direction.INBOUND), None)
    if first_inbound is not None:
        count += facts.customer_message(first_inbound, opened=True, conversation=conversation)
    waiting_since: datetime | None = None
    for message in messages:
        if message.direction == Direction.INBOUND:
            if message is not first_inbound:
                count += facts.customer_message(message, opened=False, conversation=conversation)
            waiting_since = waiting_since or message.sent_at
            continue
        if message.delivery_status != DeliveryStatus.SENT:
            continue
        count += facts.response_sent(
            message, message.sent_at, waited_since=waiting_since, first=False, conversation=conversation
        )
        if not message.automatic:
            waiting_since = None
    if conversation.first_response_at is not None:
        agent = next(
            (m.author_user_id for m in messages if m.direction == Direction.OUTBOUND and not m.automatic),
            None,
        )
        count += facts.first_response(conversation, conversation.first_response_at, agent)
    if conversation.resolved_at is not None and conversation.status in (Status.RESOLVED, Status.CLOSED):
        count += facts.resolved(conversation, conversation.resolved_at, None)
    return count
