"""Two agents on one conversation: who else is viewing or typing, and replies someone else sent since
this agent loaded the page (shown before theirs goes out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from socialdesk.conversations.models import Conversation, Direction, Message, Presence
from socialdesk.workspaces.actions import require_member

PRESENCE_TTL = timedelta(seconds=15)


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
