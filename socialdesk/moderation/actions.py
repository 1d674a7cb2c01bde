"""Hiding or deleting a customer's message: refused unless the policy lists the reason and the
network allows the action; audited; the network is told through the outbox."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Direction, Message, ModerationLog
from socialdesk.errors import DeskError
from socialdesk.moderation.suggestions import about_personal_data
from socialdesk.outbox.queue import enqueue
from socialdesk.policy.actions import active_policy_version
from socialdesk.workspaces.actions import require_member


class ModerationRefused(DeskError):
    """Hiding or deleting is refused; the message says which policy rule stands in the way."""

    code = "moderation_refused"


def moderate(message: Message, action: str, reason: str, actor: User, note: str = "") -> ModerationLog:
    """Hide or delete a customer's message, only for a reason the policy lists, with an audit entry."""
    require_member(actor, message.workspace_id)
    found = active_policy_version(message.workspace_id)
    if found is None:
        raise ModerationRefused("this workspace has no active policy, so no reason allows moderation")
    number, policy = found
    listed = policy.moderation_reason(reason)
    codes = ", ".join(r.code for r in policy.moderation.reasons)
    if listed is None:
        raise ModerationRefused(
            f"{reason or 'no reason'!s} is not a moderation reason in the policy ({codes})"
        )
    if action not in listed.actions:
        raise ModerationRefused(
            f"the policy allows only {' and '.join(listed.actions)} for {reason}, not {action}"
        )
    if message.direction != Direction.INBOUND:
        raise ModerationRefused("only customers' messages are moderated")
    rules = policy.rules_for(message.channel.effective_network)
    network = message.channel.effective_network
    if action == "hide" and not rules.can_hide:
        raise ModerationRefused(f"{network} does not let the brand hide messages")
    if action == "delete" and not rules.can_delete_others:
        raise ModerationRefused(f"{network} does not let the brand delete others' messages")
    max_age = rules.delete_max_age_hours
    if action == "delete" and max_age and timezone.now() - message.sent_at > timedelta(hours=max_age):
        raise ModerationRefused(f"{network} allows deleting only within {max_age} hours")
    with transaction.atomic():
        field = "hidden" if action == "hide" else "deleted"
        changes = {field: True}
        if about_personal_data(listed):
            # Taken down for exposing someone's data: no search finds it again, masked or not.
            changes["search_excluded"] = True
        if not Message.objects.filter(pk=message.pk, **{field: False}).update(**changes):
            raise ModerationRefused(f"the message is already {field}")
        entry = ModerationLog.objects.create(
            workspace_id=message.workspace_id,
            message=message,
            action=action,
            reason=reason,
            note=note,
            actor=actor,
            policy_version=number,
        )
        # The network is told through the outbox (retried, rate-limited; undone here if it refuses).
        enqueue(message, action, f"mod-{entry.pk}")
        return entry
