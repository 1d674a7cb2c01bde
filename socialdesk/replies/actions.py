"""An agent's reply from draft to outbox: checked against the policy, held when someone else answered
meanwhile, held for approval where the policy says so, sent again after a failure."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from socialdesk.conversations.models import Conversation, DeliveryStatus, Message, Status
from socialdesk.errors import DeskError
from socialdesk.outbox.actions import send_item
from socialdesk.outbox.models import OutboxItem
from socialdesk.outbox.queue import enqueue_delivery, queue_outbound, resend
from socialdesk.policy.checker import Violation
from socialdesk.policy.drafts import DraftCheck, check_draft_reply
from socialdesk.replies.collision import replies_since
from socialdesk.workspaces.actions import APPROVER_ROLES, require_member, require_role


class ReplyRejected(DeskError):
    """The reply breaks the policy's reply rules; each violation says why."""

    code = "reply_rejected"

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(v.message for v in violations))

    def details(self) -> dict[str, object]:
        return {"violations": [v.__dict__ for v in self.violations]}


class ReplyCollision(DeskError):
    """Someone else replied after the agent loaded the conversation; nothing was sent."""

    code = "collision"
    status = 409

    def __init__(self, newer: list[Message]) -> None:
        self.newer = newer
        super().__init__("someone else replied while you were typing")

    def details(self) -> dict[str, object]:
        return {
            "replies": [
                {"id": m.pk, "author": m.author_user.username if m.author_user else "", "text": m.text}
                for m in self.newer
            ]
        }


def check_draft(conversation: Conversation, user: User, text: str, *, private: bool) -> DraftCheck:
    """The composer's live check: the rules the draft breaks and its length as the network counts."""
    require_member(user, conversation.workspace_id)
    return check_draft_reply(conversation, text, private=private)


def send_reply(
    conversation: Conversation,
    author: User,
    text: str,
    *,
    is_private: bool | None = None,
    seen: int | None = None,
) -> Message:
    """An agent's reply: refused when someone else replied after message `seen` (None: the agent saw
    them and sends anyway), checked against the policy's reply rules, held for approval where the
    policy says so, otherwise queued for delivery."""
    require_member(author, conversation.workspace_id)
    if not text.strip():
        raise DeskError("a reply needs text")
    if seen is not None and (newer := list(replies_since(conversation, seen, author))):
        raise ReplyCollision(newer)
    private = conversation.is_private if is_private is None else is_private
    violations = check_draft_reply(conversation, text, private=private).violations
    if violations:
        raise ReplyRejected(violations)
    held = conversation.requires_approval
    with transaction.atomic():
        message = queue_outbound(conversation, text, is_private=private, author=author, hold=held)
        updates: dict[str, object] = {}
        if not held:
            # Answered: the next-response clock stops (a held reply stops it only once approved).
            updates["next_response_due_at"] = None
        if conversation.status == Status.NEW:
            updates["status"] = Status.OPEN
        if updates:
            Conversation.objects.filter(pk=conversation.pk).update(**updates)
    return message


def approve_reply(message: Message, approver: User) -> Message:
    """A lead, admin or legal member releases a held reply."""
    require_role(
        approver,
        message.workspace_id,
        APPROVER_ROLES,
        "only a lead, admin or legal member may approve replies",
    )
    updated = Message.objects.filter(pk=message.pk, delivery_status=DeliveryStatus.AWAITING_APPROVAL).update(
        delivery_status=DeliveryStatus.QUEUED
    )
    if updated:
        Conversation.objects.filter(pk=message.conversation_id).update(next_response_due_at=None)
        enqueue_delivery(message)
    message.refresh_from_db()
    return message


def resend_reply(message: Message, user: User) -> Message:
    """An agent checked a failed or uncertain reply (or moderation) and sends it again, same key."""
    require_member(user, message.workspace_id)
    for item in OutboxItem.objects.filter(message=message):
        resend(item)
    message.refresh_from_db()
    return message


def deliver_message(message_id: int) -> str:
    """Send a queued outbound message through its outbox row (once: a sent row is not sent again);
    returns the message's delivery status afterwards."""
    for item_id in OutboxItem.objects.filter(
        message_id=message_id, kind__in=["reply", "private"]
    ).values_list("pk", flat=True):
        send_item(item_id)
    return str(Message.objects.values_list("delivery_status", flat=True).get(pk=message_id))
