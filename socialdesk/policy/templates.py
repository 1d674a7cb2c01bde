"""The policy's texts filled for one conversation: acknowledgments, 'still working' updates, saved
replies. A variable without a value becomes empty rather than failing a send."""

from __future__ import annotations

from django.contrib.auth.models import User

from socialdesk.conversations.models import Conversation
from socialdesk.policy.schema import AckTemplate, Policy


def written_in(policy: Policy, template: AckTemplate) -> str:
    """The language a template is written in: its own, or the policy's default for '*'."""
    return policy.first_contact.default_language if template.language == "*" else template.language


def choose_template(
    policy: Policy, templates: list[AckTemplate], language: str, network: str
) -> AckTemplate | None:
    """The template in the customer's language (the network's own before one for any network); else,
    only when the policy says so, the one in its default language; else none: a customer is never
    answered in a language the policy did not choose for them."""
    usable = [t for t in templates if t.network in (network, "*")]
    same = [t for t in usable if written_in(policy, t) == language]
    if not same and policy.automation.other_languages == "default_language":
        default = policy.first_contact.default_language
        same = [t for t in usable if written_in(policy, t) == default]
    if not same:
        return None
    # The network's own wording first, then an exact language over '*'.
    return max(same, key=lambda t: (t.network == network, t.language != "*"))


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill_template(text: str, policy: Policy, conversation: Conversation, **extra: str) -> str:
    """A policy template with the conversation's values; variables without a value become empty."""
    offline = {o.kind: o.address for o in policy.channels.offline}
    incident = conversation.incident
    values = _Values(
        name=_first_name(conversation),
        brand=policy.brand,
        phone=offline.get("phone", ""),
        email=offline.get("email", ""),
        # Public values only (see schema.TEMPLATE_VARIABLES): never the incident's internal title.
        incident_public=incident.public_text if incident else "",
        incident_link=incident.public_url if incident else "",
        **extra,
    )
    return text.format_map(values)


def _first_name(conversation: Conversation) -> str:
    name = conversation.contact.display_name.strip()
    return name.split()[0] if name else "there"


def agent_initials(user: object) -> str:
    """The signature initials of an agent: first and last name, else the username's first letters."""
    if not isinstance(user, User):
        return ""
    names = [n for n in (user.first_name, user.last_name) if n.strip()]
    if len(names) == 2:
        return (names[0][0] + names[1][0]).upper()
    return user.username[:2].upper()


def saved_replies(policy: Policy, conversation: Conversation, user: object) -> list[dict[str, object]]:
    """The category's saved replies, filled for this conversation and signed by this agent."""
    category = policy.category(conversation.category)
    agent = user.get_full_name() or user.username if isinstance(user, User) else ""
    return [
        {
            "name": item.name,
            "text": fill_template(
                item.text, policy, conversation, initials=agent_initials(user), agent=agent
            ),
            "private": item.private,
        }
        for item in (category.saved_replies if category else [])
    ]
