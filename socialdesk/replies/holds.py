"""Why a reply waits for a lead: the policy's escalation rules that hold replies and that this
conversation triggered (their alerts name them), said in words an approver can act on."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from socialdesk.conversations.actions import ALERT_TEXT_CHARS
from socialdesk.conversations.models import AlertKind, Conversation, Message
from socialdesk.notifications.models import Kind
from socialdesk.notifications.notify import notify
from socialdesk.policy.actions import active_policy_version

GENERIC = "replies in this conversation need approval"


def hold_reason(conversation: Conversation) -> str:
    """The escalations that hold this conversation's replies, e.g. 'escalated: Legal threats go to
    legal'; the generic reason when approval was set some other way (by hand, an older policy)."""
    raised = set(conversation.alerts.filter(kind=AlertKind.ESCALATION).values_list("text", flat=True))
    found = active_policy_version(conversation.workspace_id)
    rules = [
        rule.name
        for rule in (found[1].escalation if found else [])
        if rule.requires_approval and rule.name[:ALERT_TEXT_CHARS] in raised
    ]
    reason = "escalated: " + "; ".join(rules) if rules else GENERIC
    if conversation.legal_threat and rules == []:
        reason += " (legal threat)"
    return reason[:300]


def tell_approvers(message: Message, author: User) -> None:
    """The members who may approve hear that a reply waits for them (not its author: four eyes)."""
    notify(
        message.workspace_id,
        Kind.APPROVAL_WAITING,
        f"A reply by {author.get_username()} in conversation #{message.conversation_id} waits for "
        f"approval ({message.held_reason or GENERIC})",
        link=reverse("web:approvals"),
        conversation=message.conversation,
        except_user=author,
    )
