"""Where a conversation stands against its response target, read from its current due times every
time it is shown. A stored alert only says what was true when it was raised; the chip agents see
must never say "about to be missed" once the target passed (then it was missed) or was met (nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from socialdesk.conversations.models import Conversation, Status

LIVE = (Status.NEW, Status.OPEN, Status.PENDING)


@dataclass(frozen=True)
class SlaState:
    target: str  # "first response" or "next response"
    due: datetime
    missed: bool  # False: due within the warning window

    @property
    def code(self) -> str:
        return "missed" if self.missed else "due_soon"


def current_target(conversation: Conversation) -> tuple[str, datetime] | None:
    """The response the customer is waiting for now, and when it is due; None when nobody waits."""
    if conversation.status not in LIVE:
        return None
    if conversation.first_response_at is None:
        due = conversation.first_response_due_at
        return ("first response", due) if due is not None else None
    if conversation.next_response_due_at is not None:
        return "next response", conversation.next_response_due_at
    return None


def sla_state(conversation: Conversation, now: datetime, warn_before: timedelta) -> SlaState | None:
    """Missed, about to be missed (within `warn_before`), or None (met, or not close yet)."""
    found = current_target(conversation)
    if found is None:
        return None
    target, due = found
    if due <= now:
        return SlaState(target, due, missed=True)
    if due - now <= warn_before:
        return SlaState(target, due, missed=False)
    return None
