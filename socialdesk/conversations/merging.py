"""Threads converge whatever order their posts arrive in.

A reply whose parent has not arrived yet (networks deliver out of order; a poll and a webhook race)
opens a conversation of its own, and its message remembers the parent it waits for (`in_reply_to`).
When that parent arrives it joins the waiting conversation if it found none of its own, or else the
waiting conversation is merged into the parent's: messages, facts, notes, alerts, activity, tags move;
counts and clocks are summed and widened; the emptied conversation is closed with `merged_into` set.

Two workers threading a reply and its parent at once would each miss the other's uncommitted row, so
`lock_thread` makes them take turns on PostgreSQL (a transaction-scoped advisory lock on each id a
message is or waits for); SQLite runs one writer at a time already.
"""

from __future__ import annotations

import hashlib

from django.db import connection, transaction
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.conversations.models import Activity, Alert, Conversation, Direction, Message, Note, Status
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.reports import facts


def _lock_key(channel_id: int, network_message_id: str) -> int:
    digest = hashlib.blake2b(f"thread:{channel_id}:{network_message_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_thread(channel: Channel, *ids: str | None) -> None:
    """Inside a transaction: wait for any other worker threading a message with one of these ids (as its
    own or as its parent) to commit. Sorted, so two workers always lock in the same order."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_lock_key(channel.pk, i) for i in ids if i})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def awaiting(channel: Channel, message_id: str) -> list[Conversation]:
    """Live conversations holding replies to `message_id`, oldest first: it had not arrived when they did."""
    ids = (
        Message.objects.filter(channel=channel, in_reply_to=message_id, direction=Direction.INBOUND)
        .exclude(conversation__status=Status.CLOSED)
        .values_list("conversation_id", flat=True)
    )
    return list(Conversation.objects.filter(pk__in=set(ids)).order_by("created_at", "pk"))


def _earliest(*values: object) -> object:
    present = [v for v in values if v is not None]
    return min(present) if present else None  # type: ignore[type-var]


def merge_conversation(orphan: Conversation, survivor: Conversation) -> bool:
    """Move everything of `orphan` into `survivor` and close it. Idempotent: False when `orphan` was
    merged (or closed) already."""
    if orphan.pk == survivor.pk:
        return False
    with transaction.atomic():
        locked = (
            Conversation.objects.select_for_update().filter(pk__in=[orphan.pk, survivor.pk]).order_by("pk")
        )
        rows = {c.pk: c for c in locked}
        orphan, survivor = rows[orphan.pk], rows[survivor.pk]
        if orphan.status == Status.CLOSED or orphan.merged_into_id is not None:
            return False
        moved = Message.objects.filter(conversation=orphan).update(conversation=survivor)
        Note.objects.filter(conversation=orphan).update(conversation=survivor)
        Activity.objects.filter(conversation=orphan).update(conversation=survivor)
        known = set(Alert.objects.filter(conversation=survivor).values_list("kind", "text"))
        for alert in Alert.objects.filter(conversation=orphan):
            if (alert.kind, alert.text) in known:
                alert.delete()
            else:
                Alert.objects.filter(pk=alert.pk).update(conversation=survivor)
        survivor.tags.add(*orphan.tags.all())
        facts.conversations_merged(orphan, survivor)
        earlier = orphan.first_inbound_at < survivor.first_inbound_at
        updates: dict[str, object] = {
            "message_count": survivor.message_count + orphan.message_count,
            "first_inbound_at": min(orphan.first_inbound_at, survivor.first_inbound_at),
            "last_inbound_at": max(orphan.last_inbound_at, survivor.last_inbound_at),
            "last_message_at": max(orphan.last_message_at, survivor.last_message_at),
            "subject": orphan.subject if earlier else survivor.subject,
            "priority": max(orphan.priority, survivor.priority),
            "priority_score": max(orphan.priority_score, survivor.priority_score),
            "legal_threat": orphan.legal_threat or survivor.legal_threat,
            "has_personal_data": orphan.has_personal_data or survivor.has_personal_data,
            "needs_response": orphan.needs_response or survivor.needs_response,
            "assignee_id": survivor.assignee_id or orphan.assignee_id,
            "team_id": survivor.team_id or orphan.team_id,
            "incident_id": survivor.incident_id or orphan.incident_id,
            "first_response_at": _earliest(orphan.first_response_at, survivor.first_response_at),
            "first_response_due_at": _earliest(orphan.first_response_due_at, survivor.first_response_due_at),
            "next_response_due_at": _earliest(orphan.next_response_due_at, survivor.next_response_due_at),
        }
        if survivor.status in (Status.RESOLVED, Status.PENDING) and orphan.status in (
            Status.NEW,
            Status.OPEN,
        ):
            # The customer's moved messages still wait for an answer.
            updates |= {"status": Status.OPEN, "resolved_at": None}
        Conversation.objects.filter(pk=survivor.pk).update(**updates)
        Conversation.objects.filter(pk=orphan.pk).update(
            status=Status.CLOSED, merged_into=survivor, message_count=0, waiting=False, waiting_since=None
        )
        refresh_waiting([survivor.pk])
        now = timezone.now()
        Activity.objects.bulk_create(
            [
                Activity(
                    conversation=survivor,
                    action="merged",
                    detail=f"conversation #{orphan.pk} joined ({moved} messages): their parent arrived",
                    created_at=now,
                ),
                Activity(
                    conversation_id=orphan.pk,
                    action="merged",
                    detail=f"into conversation #{survivor.pk}",
                    created_at=now,
                ),
            ]
        )
    return True


def pull_in_awaiting(channel: Channel, message_id: str, conversation: Conversation) -> int:
    """After a message landed in `conversation`: merge the conversations that waited for it; how many."""
    merged = 0
    for orphan in awaiting(channel, message_id):
        merged += merge_conversation(orphan, conversation)
    return merged
