"""What triage suggests moderating; agents decide."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.conversations.models import Direction, Message
from socialdesk.policy.schema import ModerationReason, Policy

SUGGESTION_WORDS = {
    "personal_data": ("personal_data", "personal-data", "pii", "personal data", "privacy"),
    "spam": ("spam", "scam"),
    "abuse": ("abuse", "insult", "harass", "profanity"),
}


@dataclass(frozen=True)
class Suggestion:
    why: str  # personal_data, spam or abuse
    reason: str  # the policy's moderation reason code ("" when the policy lists none for it)
    action: str  # hide/delete, the first the policy and the network allow ("" when none)
    move_to_private: bool


def suggest_moderation(policy: Policy, message: Message) -> Suggestion | None:
    """What triage suggests for a customer's message: personal data exposed in public -> move to
    private and hide for the policy's personal-data reason; spam and abuse -> their reasons. Only
    reasons the policy defines, only actions the network allows."""
    if message.direction != Direction.INBOUND or message.hidden or message.deleted:
        return None
    if message.personal_data and not message.is_private:
        why = "personal_data"
    elif message.intent == "spam":
        why = "spam"
    elif message.abusive:
        why = "abuse"
    else:
        return None
    rules = policy.rules_for(message.channel.effective_network)
    allowed = {"hide": rules.can_hide, "delete": rules.can_delete_others}
    for listed in policy.moderation.reasons:
        text = f"{listed.code} {listed.label}".lower()
        if any(word in text for word in SUGGESTION_WORDS[why]):
            action = next((a for a in listed.actions if allowed.get(a)), "")
            return Suggestion(why, listed.code, action, why == "personal_data")
    return Suggestion(why, "", "", why == "personal_data")


def about_personal_data(reason: ModerationReason) -> bool:
    """Is this policy reason the one for personal data exposed (by its code or label)?"""
    text = f"{reason.code} {reason.label}".lower()
    return any(word in text for word in SUGGESTION_WORDS["personal_data"])
