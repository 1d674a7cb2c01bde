"""Checking a draft reply in a conversation against the policy: the rules it breaks and its length as
the network counts it."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.conversations.models import Conversation
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.checker import Violation, check_reply, length_budget


@dataclass(frozen=True)
class DraftCheck:
    violations: list[Violation]
    used: int
    limit: int | None
    network: str


def check_draft_reply(conversation: Conversation, text: str, *, private: bool) -> DraftCheck:
    """A draft reply in this conversation against the policy (no policy: no rules to break, no limit)."""
    network = (conversation.reply_channel or conversation.channel).effective_network
    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return DraftCheck([], len(text), None, network)
    policy = found[1]
    used, limit = length_budget(policy, text, network=network, private=private)
    return DraftCheck(check_reply(policy, text, network=network, private=private), used, limit, network)
