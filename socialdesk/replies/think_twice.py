"""Think twice: a reply waits the policy's delay in the outbox (a row due at `undo_until`), and until
then its author may take it back or change it. A reply held for approval, or returned, can be changed
too. Every edit goes through the same policy check as a new reply.

Nothing here races the sender: it claims only rows that are due, and undo and edit act only on rows
that are not (in one statement, or with the row locked), so a reply is either taken back whole or
sent as it stands, never both."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.errors import DeskError
from socialdesk.outbox.queue import hold_delivery_for_edit, withdraw_delivery
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.clock import due_at, targets_for
from socialdesk.policy.routing import PRIORITY_NAME
from socialdesk.replies.actions import log_activity
from socialdesk.replies.approval import UNSENT, checked_text, require_author


class AlreadySent(DeskError):
    """The delay is over: the reply is on its way or out, and cannot be taken back from here."""

    code = "already_sent"
    status = 409

    def __init__(self) -> None:
        super().__init__("already sent: the delay to undo or edit this reply is over")


def in_delay(message: Message, now: datetime) -> bool:
    return (
        message.delivery_status == DeliveryStatus.QUEUED
        and message.undo_until is not None
        and message.undo_until > now
    )


def undo_reply(message: Message, author: User) -> str:
    """The author takes back a reply still in its delay: it never reaches the network and leaves the
    thread; returns its text (for the composer)."""
    require_author(message, author, "undo")
    now = timezone.now()
    if not in_delay(message, now):
        raise AlreadySent()
    with transaction.atomic():
        if not withdraw_delivery(message.pk, now):
            raise AlreadySent()
        Message.objects.filter(pk=message.pk).delete()
        _restart_next_response_clock(message.conversation, now)
        refresh_waiting([message.conversation_id])  # the undone reply answered nobody
        log_activity(message.conversation_id, author, "undid reply", message.text)
    return message.text


def edit_reply(message: Message, author: User, text: str) -> Message:
    """The author changes a reply in its delay, held for approval or returned; checked again."""
    require_author(message, author, "edit")
    text = checked_text(message, text)
    now = timezone.now()
    with transaction.atomic():
        if in_delay(message, now):
            if not hold_delivery_for_edit(message.pk, now):
                raise AlreadySent()
            updated = Message.objects.filter(pk=message.pk).update(text=text)
        else:
            updated = Message.objects.filter(pk=message.pk, delivery_status__in=UNSENT).update(text=text)
        if not updated:
            raise AlreadySent()
        log_activity(message.conversation_id, author, "edited reply", f"#{message.pk}")
    message.refresh_from_db()
    return message


def undo_deadlines(
    conversation: Conversation, user: User, now: datetime | None = None
) -> dict[int, datetime]:
    """This user's replies here that can still be undone, with the time each goes out."""
    now = now or timezone.now()
    rows = conversation.messages.filter(
        author_user_id=user.pk, delivery_status=DeliveryStatus.QUEUED, undo_until__gt=now
    ).values_list("pk", "undo_until")
    return {pk: until for pk, until in rows if until is not None}


def _restart_next_response_clock(conversation: Conversation, now: datetime) -> None:
    """Sending stopped the next-response clock; the undone reply never went out, so the clock runs
    again from the customer's last message if no other reply of ours answered it."""
    conversation.refresh_from_db()
    if conversation.first_response_at is None or conversation.next_response_due_at is not None:
        return  # the first-response clock never stopped, or nothing was stopped
    found = active_policy_version(conversation.workspace_id)
    last_in = conversation.messages.filter(direction=Direction.INBOUND).order_by("-sent_at").first()
    if found is None or last_in is None:
        return
    answered = conversation.messages.filter(
        direction=Direction.OUTBOUND, automatic=False, sent_at__gte=last_in.sent_at
    ).exclude(delivery_status__in=[*UNSENT, DeliveryStatus.FAILED])
    if answered.exists():
        return
    policy = found[1]
    network = (conversation.reply_channel or conversation.channel).effective_network
    targets = targets_for(policy, PRIORITY_NAME[conversation.priority], network)
    due = due_at(policy, last_in.sent_at, targets.next_response_minutes, targets.business_hours)
    Conversation.objects.filter(pk=conversation.pk).update(next_response_due_at=due)
