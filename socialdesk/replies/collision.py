"""Two agents on one conversation: who else is viewing or typing, and replies someone else sent since
this agent loaded the page (shown before theirs goes out); and, for replies sent to many
conversations without opening them, whether the customer's last message already has its answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message, Presence
from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import require_member

PRESENCE_TTL = timedelta(seconds=15)
# A reply that will reach the customer or already has: one waiting for approval goes out once approved.
ANSWERING = (DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.AWAITING_APPROVAL)


class AlreadyAnswered(DeskError):
    """Someone (or the same agent, earlier) already answered the customer's last message."""

    code = "already_answered"
    status = 409

    def __init__(self, reply: Message) -> None:
        self.reply = reply
        who = reply.author_user.username if reply.author_user else "someone"
        state = DeliveryStatus(reply.delivery_status).label.lower()
        super().__init__(f"already answered by {who} since the customer's last message ({state})")


def answer_since_customer(conversation: Conversation) -> Message | None:
    """The latest agent reply (queued, held or sent) after the customer's last message, if any.
    Automatic messages (acknowledgments, SLA updates) are no answer; a failed reply is none either."""
    last_inbound = (
        conversation.messages.filter(direction=Direction.INBOUND)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return (
        conversation.messages.filter(
            pk__gt=last_inbound or 0,
            direction=Direction.OUTBOUND,
            automatic=False,
            delivery_status__in=ANSWERING,
        )
        .select_related("author_user")
        .order_by("-pk")
        .first()
    )


def replies_since(conversation: Conversation, seen: int, user: User) -> QuerySet[Message]:
    """Replies by other agents after message `seen` (automatic ones do not collide with anyone)."""
    return (
        conversation.messages.filter(pk__gt=seen, direction=Direction.OUTBOUND, automatic=False)
        .exclude(author_user_id=user.pk)
        .select_related("author_user")
        .order_by("pk")
    )


@dataclass(frozen=True)
class Here:
    others: list[tuple[str, bool]]  # (username, typing now?), by username
    newer: list[Message]  # replies by others since `seen`


def check_in(conversation: Conversation, user: User, *, typing: bool, seen: int) -> Here:
    """This agent is on the conversation (typing or not): who else is, and what they sent since."""
    require_member(user, conversation.workspace_id)
    now = timezone.now()
    Presence.objects.update_or_create(
        conversation=conversation,
        user_id=user.pk,
        defaults={"seen_at": now, **({"typing_at": now} if typing else {})},
    )
    others = (
        Presence.objects.filter(conversation=conversation, seen_at__gte=now - PRESENCE_TTL)
        .exclude(user_id=user.pk)
        .select_related("user")
        .order_by("user__username")
    )
    return Here(
        others=[
            (p.user.username, p.typing_at is not None and p.typing_at >= now - PRESENCE_TTL) for p in others
        ],
        newer=list(replies_since(conversation, seen, user)),
    )
