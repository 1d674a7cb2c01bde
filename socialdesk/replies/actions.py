"""An agent's reply from draft to outbox: checked against the policy, held when someone else answered
meanwhile, held for approval where the policy says so, sent again after a failure."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Activity, Conversation, DeliveryStatus, Message, Status
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.errors import DeskError, Forbidden
from socialdesk.outbox.actions import send_item
from socialdesk.outbox.models import OutboxItem
from socialdesk.outbox.queue import enqueue_delivery, queue_outbound, resend
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.checker import Violation
from socialdesk.policy.drafts import DraftCheck, check_draft_reply
from socialdesk.replies.collision import replies_since
from socialdesk.replies.holds import hold_reason, tell_approvers
from socialdesk.reports import facts
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
    delay = send_delay(conversation)
    now = timezone.now()
    with transaction.atomic():
        message = queue_outbound(
            conversation,
            text,
            is_private=private,
            author=author,
            hold=held,
            held_reason=hold_reason(conversation) if held else "",
            now=now,
            undo_until=now + delay if delay else None,
        )
        updates: dict[str, object] = {}
        if not held:
            # Answered: the next-response clock stops (a held reply stops it only once approved).
            facts.next_response(conversation, now, author.pk)
            updates["next_response_due_at"] = None
        if conversation.status == Status.NEW:
            updates["status"] = Status.OPEN
        if updates:
            Conversation.objects.filter(pk=conversation.pk).update(**updates)
        if held:
            tell_approvers(message, author)
    return message


def send_delay(conversation: Conversation) -> timedelta:
    """Think twice: how long the policy lets an agent's reply wait before it goes out (none without a
    policy)."""
    found = active_policy_version(conversation.workspace_id)
    return timedelta(seconds=found[1].reply_rules.send_delay_seconds if found else 0)


def require_reviewer(message: Message, reviewer: User | None, verb: str) -> None:
    """Four eyes: a lead, admin or legal member who did not write the reply."""
    require_role(
        reviewer,
        message.workspace_id,
        APPROVER_ROLES,
        f"only a lead, admin or legal member may {verb} replies",
    )
    if reviewer is not None and message.author_user_id == reviewer.pk:
        raise Forbidden(
            f"you wrote this reply: another lead, admin or legal member must {verb} it", code="own_reply"
        )


def approve_reply(message: Message, approver: User, *, seen_text: str | None = None) -> Message:
    """A lead, admin or legal member other than its author releases a held reply; sent at once (it
    has been thought over twice). `seen_text`: the text the approver read, so an edit the author made
    meanwhile is not approved unread."""
    require_reviewer(message, approver, "approve")
    now = timezone.now()
    held = Message.objects.filter(pk=message.pk, delivery_status=DeliveryStatus.AWAITING_APPROVAL)
    if seen_text is not None:
        current = held.values_list("text", flat=True).first()
        # A browser's form sends line breaks as CRLF; the same words are the same reply.
        if current is not None and _lines(current) != _lines(seen_text):
            raise DeskError(
                "the author changed this reply after you read it: read it again", code="changed", status=409
            )
        held = held.filter(text=current)  # and not changed between this read and the update
    with transaction.atomic():
        updated = held.update(
            delivery_status=DeliveryStatus.QUEUED, reviewed_by=approver, reviewed_at=now, review_note=""
        )
        if updated:
            facts.next_response(message.conversation, now, message.author_user_id)
            Conversation.objects.filter(pk=message.conversation_id).update(next_response_due_at=None)
            refresh_waiting([message.conversation_id])
            log_activity(message.conversation_id, approver, "approved reply", f"#{message.pk}")
            enqueue_delivery(message)
    message.refresh_from_db()
    if not updated and message.delivery_status == DeliveryStatus.AWAITING_APPROVAL:
        raise DeskError(
            "the author changed this reply after you read it: read it again", code="changed", status=409
        )
    return message


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n")


def log_activity(conversation_id: int, actor: User | None, action: str, detail: str) -> None:
    """A line in the conversation's activity log (the timeline on its page)."""
    Activity.objects.create(
        conversation_id=conversation_id,
        actor=actor,
        action=action,
        detail=detail[:200],
        created_at=timezone.now(),
    )


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
