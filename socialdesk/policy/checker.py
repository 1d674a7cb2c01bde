"""The reply checker: every outgoing reply against the policy's reply rules, each violation explained."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialdesk.channels.rules import private_message_refusal
from socialdesk.channels.spec import NetworkRules
from socialdesk.policy.length import UNIT_EXPLANATION, measure
from socialdesk.policy.schema import Policy

if TYPE_CHECKING:
    from socialdesk.conversations.models import Conversation


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    start: int | None = None
    end: int | None = None


def _phrase(term: str) -> re.Pattern[str]:
    # Whole words or phrases, case-insensitive: "offer" matches "Offer!" but not "offered" or "coffee".
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def check_reply(
    policy: Policy, text: str, *, network: str, private: bool, service: bool = True
) -> list[Violation]:
    """Problems with `text` as a reply on `network`; empty when it may be sent.

    `service` is False only for replies a lead marks as marketing (the no-selling rule then does not apply).
    """
    violations: list[Violation] = []
    rules = policy.reply_rules
    if not text.strip():
        return [Violation("empty", "The reply is empty.")]
    if service:
        for term in rules.sales_terms:
            if match := _phrase(term).search(text):
                violations.append(
                    Violation(
                        "no_selling",
                        f"“{match.group(0)}” is promotional; service replies don't sell "
                        "(policy reply_rules.sales_terms).",
                        match.start(),
                        match.end(),
                    )
                )
    if not private:
        for pattern in rules.personal_data_requests:
            if match := re.search(pattern, text):
                violations.append(
                    Violation(
                        "no_personal_data_in_public",
                        f"“{match.group(0)}” asks for personal data in public; move the conversation to a "
                        "private channel first.",
                        match.start(),
                        match.end(),
                    )
                )
    for phrase in rules.condescending_phrases:
        if match := _phrase(phrase).search(text):
            violations.append(
                Violation(
                    "no_condescension",
                    f"“{match.group(0)}” sounds condescending; say it plainly and kindly.",
                    match.start(),
                    match.end(),
                )
            )
    signature = policy.identity.signature
    if rules.require_signature and signature.required and not re.search(signature.pattern, text.rstrip()):
        violations.append(Violation("signature", f"The reply is not signed. {signature.style}"))
    violations.extend(_length(policy, text, network=network, private=private))
    return violations


def _length(policy: Policy, text: str, *, network: str, private: bool) -> list[Violation]:
    rules = policy.rules_for(network)
    if not private and not rules.public_reply:
        return [Violation("channel", f"{network} has no public replies; answer privately.")]
    limit, unit = rules.limit(private)
    if limit is None:
        return []
    length = measure(text, unit)
    if length <= limit:
        return []
    kind = "private message" if private else "public reply"
    return [
        Violation(
            "length",
            f"{length} of {limit} allowed for a {network} {kind} ({UNIT_EXPLANATION[unit]}); "
            f"shorten by {length - limit}.",
        )
    ]


def network_refusals(conversation: Conversation, rules: NetworkRules, *, private: bool) -> list[Violation]:
    """A private message the network would refuse (outside its messaging window, a comment already
    answered privately, no private messages at all): refused before anything is queued."""
    refusal = private_message_refusal(conversation, rules) if private else None
    return [Violation("network", refusal)] if refusal else []


def length_budget(policy: Policy, text: str, *, network: str, private: bool) -> tuple[int, int | None]:
    """(used, limit) as the network counts, for the composer's counter."""
    limit, unit = policy.rules_for(network).limit(private)
    return measure(text, unit), limit
