"""Saved replies chosen by name for many conversations at once. The policy keeps them per category;
the bulk bar offers every name, so a conversation of another category gets the reply of that name
from whichever category has it (its own category's first), filled for that conversation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from socialdesk.conversations.models import Conversation
from socialdesk.errors import DeskError
from socialdesk.policy.actions import active_policy
from socialdesk.policy.schema import Policy, SavedReply
from socialdesk.policy.templates import agent_initials, fill_template
from socialdesk.workspaces.models import Workspace


def saved_reply_names(workspaces: QuerySet[Workspace]) -> list[str]:
    """Every saved reply's name in the active policies of these workspaces, sorted, once each."""
    names: set[str] = set()
    for workspace_id in workspaces.values_list("pk", flat=True):
        policy = active_policy(workspace_id)
        if policy is not None:
            names.update(reply.name for category in policy.categories for reply in category.saved_replies)
    return sorted(names)


def _named(policy: Policy, category: str, name: str) -> SavedReply | None:
    own = policy.category(category)
    categories = [own, *policy.categories] if own else policy.categories
    return next((r for c in categories if c is not None for r in c.saved_replies if r.name == name), None)


def saved_reply_for(conversation: Conversation, name: str, agent: User) -> tuple[str, bool]:
    """(text filled for this conversation and signed by this agent, private?) of the saved reply
    `name` in the conversation's workspace policy."""
    policy = active_policy(conversation.workspace_id)
    reply = _named(policy, conversation.category, name) if policy else None
    if policy is None or reply is None:
        raise DeskError(f"this brand's policy has no saved reply named “{name}”", code="no_saved_reply")
    text = fill_template(
        reply.text,
        policy,
        conversation,
        initials=agent_initials(agent),
        agent=agent.get_full_name() or agent.username,
    )
    return text, reply.private
