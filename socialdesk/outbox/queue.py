"""Putting work into the outbox: an outbound message with its row, a moderation row, or a row an
agent wants sent again. Each row is written in the caller's transaction and handed to the sender
after commit, so a rolled-back decision never reaches a network.

Kept apart from `outbox.actions` (the sender): the sender task imports the sender, and this module
imports the task, so neither needs a deferred import.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.actions import first
from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.outbox.actions import MESSAGE_KINDS
from socialdesk.outbox.models import OutboxItem, OutboxKind, OutboxStatus, Post
from socialdesk.outbox.tasks import send_outbox_item_task


def enqueue(message: Message, kind: str, key: str, now: datetime | None = None) -> OutboxItem:
    """A row to send after commit (not before `now`, when given: the sender and the outbox tick both
    honour the row's time, so a delayed row survives a crash and goes out once, when due); call inside
    the transaction that created the message or decision."""
    send_at = now or timezone.now()
    item = OutboxItem.objects.create(
        workspace_id=message.workspace_id,
        channel_id=message.channel_id,
        kind=kind,
        message=message,
        idempotency_key=key,
        next_attempt_at=send_at,
    )
    _send_after_commit(item, send_at)
    return item


def enqueue_post(post: Post, now: datetime | None = None) -> OutboxItem:
    """The brand's post's row (idempotency key: the post id), sent after commit or at `now`."""
    send_at = now or timezone.now()
    item = OutboxItem.objects.create(
        workspace_id=post.workspace_id,
        channel_id=post.channel_id,
        kind=OutboxKind.POST,
        post=post,
        idempotency_key=f"post-{post.pk}",
        next_attempt_at=send_at,
    )
    _send_after_commit(item, send_at)
    return item


def _send_after_commit(item: OutboxItem, send_at: datetime) -> None:
    item_id = item.pk
    wait = max(0.0, (send_at - timezone.now()).total_seconds())
    if wait:
        transaction.on_commit(lambda: send_outbox_item_task.apply_async((item_id,), countdown=wait))
    else:
        transaction.on_commit(lambda: send_outbox_item_task.delay(item_id))


def enqueue_delivery(message: Message, not_before: datetime | None = None) -> None:
    """The message's outbox row, sent after commit or at `not_before` (idempotency key: the message id)."""
    enqueue(message, "private" if message.is_private else "reply", f"msg-{message.pk}", not_before)


def withdraw_delivery(message_id: int, now: datetime) -> bool:
    """Take back a message's row before its time (an undone reply): true if it was still waiting.
    The sender claims only rows that are due, so a row deleted before its time never reached the
    network; one already claimed or sent is left alone."""
    deleted, _ = OutboxItem.objects.filter(
        message_id=message_id, status=OutboxStatus.PENDING, attempts=0, next_attempt_at__gt=now
    ).delete()
    return deleted > 0


def hold_delivery_for_edit(message_id: int, now: datetime) -> bool:
    """Lock a message's waiting row for the rest of the caller's transaction (an edit of a reply in
    its delay): true if it is still waiting. The sender's claim of the row then waits for the edit's
    commit and sends the edited text, or finds the row claimed already and the edit is refused."""
    return (
        OutboxItem.objects.filter(
            message_id=message_id, status=OutboxStatus.PENDING, attempts=0, next_attempt_at__gt=now
        ).update(last_error="")
        > 0
    )


def queue_outbound(
    conversation: Conversation,
    text: str,
    *,
    is_private: bool,
    author: User | None = None,
    automatic: bool = False,
    automatic_reason: str = "",
    language: str = "",
    hold: bool = False,
    held_reason: str = "",
    now: datetime | None = None,
    undo_until: datetime | None = None,
) -> Message:
    """Store an outbound message in the thread and send it after commit, or at `undo_until` (its
    author may take it back until then), or hold it for approval (saying why)."""
    last_inbound = first(conversation.messages.filter(direction=Direction.INBOUND).order_by("-sent_at"))
    channel = conversation.reply_channel or conversation.channel
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            channel=channel,
            direction=Direction.OUTBOUND,
            is_private=is_private,
            kind="dm" if is_private else "reply",
            in_reply_to=(last_inbound.network_message_id or "") if last_inbound else "",
            author_user=author,
            author_handle=channel.handle,
            text=text,
            sent_at=now,
            automatic=automatic,
            automatic_reason=automatic_reason[:300],
            language=language,
            delivery_status=DeliveryStatus.AWAITING_APPROVAL if hold else DeliveryStatus.QUEUED,
            held_reason=held_reason[:300] if hold else "",
            undo_until=None if hold else undo_until,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        if not automatic and not hold:
            # An agent answered: nobody waits (an automatic message or a held reply answers nobody).
            refresh_waiting([conversation.pk])
        if not hold:
            enqueue_delivery(message, undo_until)
    return message


def resend(item: OutboxItem) -> None:
    """An agent checked an uncertain or failed item and wants it sent again (a new attempt, same key)."""
    with transaction.atomic():
        updated = OutboxItem.objects.filter(
            pk=item.pk, status__in=[OutboxStatus.UNCERTAIN, OutboxStatus.FAILED]
        ).update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0, last_error="")
        if updated and item.kind in MESSAGE_KINDS:
            Message.objects.filter(outbox=item).update(
                delivery_status=DeliveryStatus.QUEUED, delivery_error=""
            )
        if updated:
            item_id = item.pk
            transaction.on_commit(lambda: send_outbox_item_task.delay(item_id))
