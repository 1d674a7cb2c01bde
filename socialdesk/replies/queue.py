"""The held-replies queue: replies waiting for four eyes, each with what an approver needs to decide
(the draft and its check as the policy stands now, the conversation, the customer's last message,
why it was held), and the drafts approvers returned to this user."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from socialdesk.conversations.models import DeliveryStatus, Direction, Message
from socialdesk.policy.checker import Violation
from socialdesk.policy.drafts import check_draft_reply
from socialdesk.workspaces.actions import APPROVER_ROLES
from socialdesk.workspaces.models import Membership


@dataclass(frozen=True)
class HeldReply:
    message: Message
    violations: list[Violation]
    last_customer_message: Message | None
    can_review: bool  # an approver who did not write it


def _approver_workspaces(user: User) -> QuerySet[Membership, int]:
    return Membership.objects.filter(user_id=user.pk, role__in=APPROVER_ROLES).values_list(
        "workspace_id", flat=True
    )


def waiting(user: User) -> QuerySet[Message]:
    """Held replies this user may review (approver), plus this user's own held or returned drafts;
    oldest first."""
    return (
        Message.objects.filter(
            Q(delivery_status=DeliveryStatus.AWAITING_APPROVAL, workspace_id__in=_approver_workspaces(user))
            | Q(
                author_user_id=user.pk,
                delivery_status__in=[DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.RETURNED],
            )
        )
        .select_related("conversation__contact", "conversation__channel", "author_user", "reviewed_by")
        .order_by("sent_at", "pk")
    )


def waiting_count(user: User) -> int:
    """Held replies waiting for this user's review (the nav's count)."""
    return (
        Message.objects.filter(
            delivery_status=DeliveryStatus.AWAITING_APPROVAL, workspace_id__in=_approver_workspaces(user)
        )
        .exclude(author_user_id=user.pk)
        .count()
    )


def held_replies(user: User, limit: int = 200) -> list[HeldReply]:
    approver_of = set(_approver_workspaces(user))
    found = []
    for message in waiting(user)[:limit]:
        conversation = message.conversation
        last_in = (
            conversation.messages.filter(direction=Direction.INBOUND, sent_at__lte=message.sent_at)
            .order_by("-sent_at", "-pk")
            .first()
        )
        found.append(
            HeldReply(
                message=message,
                violations=check_draft_reply(
                    conversation, message.text, private=message.is_private
                ).violations,
                last_customer_message=last_in,
                can_review=message.delivery_status == DeliveryStatus.AWAITING_APPROVAL
                and message.workspace_id in approver_of
                and message.author_user_id != user.pk,
            )
        )
    return found
