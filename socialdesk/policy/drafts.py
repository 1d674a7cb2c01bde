"""Checking a draft reply in a conversation against the policy: the rules it breaks and its length as
the network counts it."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.conversations.models import Conversation
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.checker import Violation, check_reply, length_budget, network_refusals
from socialdesk.policy.networks import effective_rules


@dataclass(frozen=True)
class DraftCheck:
    violations: list[Violation]
    used: int
    limit: int | None
    network: str


def check_draft_reply(conversation: Conversation, text: str, *, private: bool) -> DraftCheck:
    """A draft reply in this conversation against the policy and the network's private-message rules
    (no policy: only the network's own rules, no length limit)."""
    network = (conversation.reply_channel or conversation.channel).effective_network
    found = active_policy_version(conversation.workspace_id)
    refused = network_refusals(conversation, effective_rules(found, network), private=private)
    if found is None:
        return DraftCheck(refused, len(text), None, network)
    policy = found[1]
    used, limit = length_budget(policy, text, network=network, private=private)
    return DraftCheck(
        refused + check_reply(policy, text, network=network, private=private), used, limit, network
    )
