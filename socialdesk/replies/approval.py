"""Four eyes, the rest of the round trip: an approver returns a held reply to its author with a note;
the author edits and resubmits it, or discards it. (Approving is `actions.approve_reply`.)"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import DeliveryStatus, Message
from socialdesk.errors import DeskError, Forbidden
from socialdesk.outbox.queue import enqueue_delivery
from socialdesk.policy.drafts import check_draft_reply
from socialdesk.replies.actions import ReplyRejected, log_activity, require_reviewer, send_delay
from socialdesk.replies.holds import hold_reason, tell_approvers
from socialdesk.workspaces.actions import require_member

# What an author can still change: a reply waiting for a lead, or one a lead sent back.
UNSENT = (DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.RETURNED)


def not_pending(message: Message) -> DeskError:
    """Refusal for a reply that is no longer waiting (approved, sent or gone meanwhile)."""
    return DeskError(
        "this reply is no longer waiting: it was approved or sent", code="already_sent", status=409
    )


def require_author(message: Message, user: User, verb: str) -> None:
    require_member(user, message.workspace_id)
    if message.author_user_id != user.pk:
        raise Forbidden(f"only the reply's author may {verb} it")


def checked_text(message: Message, text: str) -> str:
    """An edited reply goes through the same check as a new one (the policy may have changed too)."""
    if not text.strip():
        raise DeskError("a reply needs text")
    violations = check_draft_reply(message.conversation, text, private=message.is_private).violations
    if violations:
        raise ReplyRejected(violations)
    return text


def return_reply(message: Message, reviewer: User, note: str) -> Message:
    """A lead, admin or legal member other than its author sends a held reply back with a note: it
    becomes a draft its author edits and resubmits, or discards."""
    require_reviewer(message, reviewer, "return")
    if not note.strip():
        raise DeskError("say what to change: a returned reply needs a note")
    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, delivery_status=DeliveryStatus.AWAITING_APPROVAL
        ).update(
            delivery_status=DeliveryStatus.RETURNED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            review_note=note.strip(),
        )
        if not updated:
            raise not_pending(message)
        log_activity(message.conversation_id, reviewer, "returned reply", f"#{message.pk}: {note.strip()}")
    message.refresh_from_db()
    return message


def resubmit_reply(message: Message, author: User, text: str | None = None) -> Message:
    """The author sends a returned draft again (edited, or as it is): held for approval again where
    the conversation still needs it, else queued (after the policy's delay)."""
    require_author(message, author, "resubmit")
    conversation = message.conversation
    text = checked_text(message, message.text if text is None else text)
    held = conversation.requires_approval
    now = timezone.now()
    delay = send_delay(conversation)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, delivery_status=DeliveryStatus.RETURNED).update(
            text=text,
            delivery_status=DeliveryStatus.AWAITING_APPROVAL if held else DeliveryStatus.QUEUED,
            held_reason=hold_reason(conversation) if held else "",
            undo_until=None if held or not delay else now + delay,
            reviewed_by=None,
            reviewed_at=None,
            review_note="",
        )
        if not updated:
            raise DeskError("only a returned reply can be resubmitted", code="not_returned", status=409)
        log_activity(message.conversation_id, author, "resubmitted reply", f"#{message.pk}")
        message.refresh_from_db()
        if held:
            tell_approvers(message, author)
        else:
            enqueue_delivery(message, message.undo_until)
    return message


def discard_reply(message: Message, author: User) -> None:
    """The author drops a returned (or still held) draft: it leaves the thread, the log keeps a line."""
    require_author(message, author, "discard")
    with transaction.atomic():
        deleted, _ = Message.objects.filter(pk=message.pk, delivery_status__in=UNSENT).delete()
        if not deleted:
            raise not_pending(message)
        log_activity(message.conversation_id, author, "discarded reply", f"#{message.pk}: {message.text}")
