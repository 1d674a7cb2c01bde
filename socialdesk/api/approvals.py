"""Four eyes and think twice in the REST API: the held-replies queue (list, approve, return) for
leads, admins and legal members, and an author's own unsent reply (undo, edit, resubmit, discard).
Endpoints parse and call the action; refusals are the API's one problem shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import MessageOut, Problem, Rejected, ViolationOut, message_out
from socialdesk.conversations.inbox import scoped
from socialdesk.conversations.models import Message
from socialdesk.replies.actions import approve_reply
from socialdesk.replies.approval import discard_reply, resubmit_reply, return_reply
from socialdesk.replies.queue import HeldReply, held_replies
from socialdesk.replies.think_twice import edit_reply, undo_reply

approvals = Router(tags=["approvals"])
drafts = Router(tags=["replies"])
REFUSALS = {403: Problem, 404: Problem, 409: Problem, 422: Problem}


class CustomerMessageOut(Schema):
    id: int
    author: str
    text: str
    sent_at: datetime


class HeldReplyOut(Schema):
    reply: MessageOut
    conversation: int
    conversation_url: str
    contact: str
    network: str
    author: str | None
    last_customer_message: CustomerMessageOut | None
    violations: list[ViolationOut] = Field(description="The policy's check of the draft as it stands now.")
    can_review: bool = Field(description="This user may approve or return it (an approver, not its author).")


class ApproveIn(Schema):
    text: str | None = Field(
        default=None,
        description="The text you read: if the author changed the reply since, it is refused with 409.",
    )


class ReturnIn(Schema):
    note: str = Field(description="What the author should change.")


class EditIn(Schema):
    text: str


class ResubmitIn(Schema):
    text: str | None = Field(default=None, description="The edited text (leave out to resubmit as it is).")


class UndoneOut(Schema):
    text: str = Field(description="The undone reply's text, for the composer.")


def _held_out(held: HeldReply) -> dict[str, Any]:
    m, conversation = held.message, held.message.conversation
    last = held.last_customer_message
    return {
        "reply": message_out(m),
        "conversation": conversation.pk,
        "conversation_url": f"/c/{conversation.pk}/",
        "contact": conversation.contact.display_name,
        "network": conversation.channel.effective_network,
        "author": m.author_user.username if m.author_user else None,
        "last_customer_message": (
            {"id": last.pk, "author": last.author_handle, "text": last.text, "sent_at": last.sent_at}
            if last
            else None
        ),
        "violations": [v.__dict__ for v in held.violations],
        "can_review": held.can_review,
    }


def _message(request: HttpRequest, message_id: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("conversation", "channel", "author_user", "reviewed_by").filter(
            conversation__in=scoped(request.user)
        ),
        pk=message_id,
    )


def _out(message: Message) -> dict[str, Any]:
    return message_out(_fresh(message))


def _fresh(message: Message) -> Message:
    return Message.objects.select_related("author_user", "reviewed_by").get(pk=message.pk)


@approvals.get(
    "",
    response=list[HeldReplyOut],
    summary="Held replies: those you may review, and your own held or returned ones; oldest first",
)
def list_held(request: HttpRequest) -> list[dict[str, Any]]:
    return [_held_out(h) for h in held_replies(signed_in(request))]


@approvals.post("/{message_id}/approve", response={200: MessageOut, **REFUSALS}, summary="Approve and send")
def approve(request: HttpRequest, message_id: int, body: ApproveIn) -> dict[str, Any]:
    return _out(approve_reply(_message(request, message_id), signed_in(request), seen_text=body.text))


@approvals.post(
    "/{message_id}/return", response={200: MessageOut, **REFUSALS}, summary="Return to its author with a note"
)
def send_back(request: HttpRequest, message_id: int, body: ReturnIn) -> dict[str, Any]:
    return _out(return_reply(_message(request, message_id), signed_in(request), body.note))


@drafts.post(
    "/{message_id}/undo",
    response={200: UndoneOut, **REFUSALS},
    summary="Undo your reply within the policy's send delay (409 once it is over)",
)
def undo(request: HttpRequest, message_id: int) -> dict[str, str]:
    return {"text": undo_reply(_message(request, message_id), signed_in(request))}


@drafts.post(
    "/{message_id}/edit",
    response={200: MessageOut, 422: Rejected, 403: Problem, 404: Problem, 409: Problem},
    summary="Edit your reply while it is held, returned or in its delay (checked again)",
)
def edit(request: HttpRequest, message_id: int, body: EditIn) -> dict[str, Any]:
    return _out(edit_reply(_message(request, message_id), signed_in(request), body.text))


@drafts.post(
    "/{message_id}/resubmit",
    response={200: MessageOut, 422: Rejected, 403: Problem, 404: Problem, 409: Problem},
    summary="Send a returned reply again (edited or as it is)",
)
def resubmit(request: HttpRequest, message_id: int, body: ResubmitIn) -> dict[str, Any]:
    return _out(resubmit_reply(_message(request, message_id), signed_in(request), body.text))


@drafts.post(
    "/{message_id}/discard", response={200: MessageOut, **REFUSALS}, summary="Discard your returned reply"
)
def discard(request: HttpRequest, message_id: int) -> dict[str, Any]:
    message = _message(request, message_id)
    out = message_out(message)
    discard_reply(message, signed_in(request))
    return out
