"""Who is waiting for us: `Conversation.waiting_since` is when the customer's oldest message that no
agent has answered yet was sent (None: nobody waits). The inbox's default order reads it.

- A customer's message starts the wait (or keeps the older start).
- An agent's reply on its way (queued or sent, not held for approval or returned) ends it.
- The desk's automatic messages (acknowledgments, updates) do not: the customer still waits for a person.
- Resolving or closing ends it; a new customer message reopens the conversation and starts it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least

from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message, Status

# An outbound message that answers the customer: an agent's, and not waiting for a reviewer.
ANSWER = Q(direction=Direction.OUTBOUND, automatic=False) & ~Q(
    delivery_status__in=[DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.RETURNED]
)
DONE = (Status.RESOLVED, Status.CLOSED)


def started_waiting(at: datetime) -> dict[str, object]:
    """The update for a customer's message sent `at`: the wait starts, or keeps its older start
    (Least is NULL on SQLite when the column is, and skips the NULL on PostgreSQL: Coalesce covers both)."""
    return {"waiting": True, "waiting_since": Coalesce(Least("waiting_since", Value(at)), Value(at))}


def unanswered_since() -> Subquery:
    """For a conversation (OuterRef "pk"): the time of its oldest customer message with no answer sent
    after it; NULL when every one was answered."""
    answered_later = Message.objects.filter(
        ANSWER, conversation_id=OuterRef(OuterRef("pk")), sent_at__gte=OuterRef("sent_at")
    )
    open_messages = Message.objects.filter(
        conversation_id=OuterRef("pk"), direction=Direction.INBOUND
    ).filter(~Exists(answered_later))
    return Subquery(open_messages.order_by("sent_at", "pk").values("sent_at")[:1])


def refresh_waiting(conversations: QuerySet[Conversation] | Iterable[int]) -> None:
    """Work out `waiting_since` again from the thread (after a reply, an undo, an approval, a status
    change); two updates, whatever the number of conversations."""
    qs = (
        conversations
        if isinstance(conversations, QuerySet)
        else Conversation.objects.filter(pk__in=list(conversations))
    )
    qs.filter(status__in=DONE).update(waiting=False, waiting_since=None)
    live = qs.exclude(status__in=DONE)
    live.update(waiting_since=unanswered_since())
    live.update(waiting=Case(When(waiting_since__isnull=False, then=Value(True)), default=Value(False)))


def answered_wait_start(reply: Message) -> datetime | None:
    """When the customer started waiting for this reply: their oldest message after the previous sent
    answer (None when they had not written since, e.g. an agent's follow-up)."""
    earlier = Message.objects.filter(
        conversation_id=reply.conversation_id, sent_at__lte=reply.sent_at
    ).exclude(pk=reply.pk)
    previous = (
        earlier.filter(ANSWER, delivery_status=DeliveryStatus.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    asked = earlier.filter(direction=Direction.INBOUND)
    if previous is not None:
        asked = asked.filter(sent_at__gt=previous)
    return asked.order_by("sent_at").values_list("sent_at", flat=True).first()
