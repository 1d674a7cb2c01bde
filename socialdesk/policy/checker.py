"""The reply checker: every outgoing reply against the policy's reply rules, each violation explained
with the words that break it. Built-in detectors (socialdesk/policy/checks/) cover selling, personal
and sensitive data requests, condescension, hostile tone and robotic boilerplate in en/es/pt/fr/de;
the policy's own lists add terms. `socialdesk bench checker` measures it on held-out drafts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socialdesk.channels.rules import private_message_refusal
from socialdesk.channels.spec import NetworkRules
from socialdesk.policy.checks.learned import second_opinion
from socialdesk.policy.checks.personal_data import (
    PUBLIC_RULE,
    SENSITIVE_RULE,
    asked_publicly,
    public_requests,
    sensitive_requests,
)
from socialdesk.policy.checks.selling import RULE as SELLING_RULE
from socialdesk.policy.checks.selling import selling, service_sense
from socialdesk.policy.checks.text import Finding, first_per_span, fold
from socialdesk.policy.checks.tone import (
    CONDESCENSION_RULE,
    HOSTILE_RULE,
    condescension,
    empathetic_after,
    hostility,
    robotic,
    service_should_have,
)
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
    quote: str = ""  # the draft's own words that break the rule ("" for signature, length, channel)


# Built-in detectors, in the order their rules are reported; the policy's own lists add terms to them.
_DETECTORS: tuple[tuple[str, Callable[[str, str], list[Finding]]], ...] = (
    ("selling", selling),
    ("sensitive", sensitive_requests),
    ("public", public_requests),
    ("tone", condescension),
    ("tone", robotic),
)


# Rules whose learned head may veto or add to the patterns (the shipped weights decide which have one).
_LEARNED_RULES = frozenset(
    {SELLING_RULE, SENSITIVE_RULE, PUBLIC_RULE, CONDESCENSION_RULE, HOSTILE_RULE, "robotic"}
)


def _phrase(term: str) -> re.Pattern[str]:
    # Whole words or phrases, case-insensitive: "offer" matches "Offer!" but not "offered" or "coffee".
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def check_reply(
    policy: Policy, text: str, *, network: str, private: bool, service: bool = True, learned: bool = True
) -> list[Violation]:
    """Problems with `text` as a reply on `network`; empty when it may be sent.

    `service` is False only for replies a lead marks as marketing (the no-selling rule then does not apply).
    `learned` False leaves out the learned heads (patterns only), for measuring what they add.
    """
    if not text.strip():
        return [Violation("empty", "The reply is empty.")]
    folded = fold(text)
    findings = _policy_terms(policy, text, folded, private=private, service=service)
    builtin: list[Finding] = []
    for kind, detect in _DETECTORS:
        if (kind == "selling" and not service) or (kind == "public" and private):
            continue
        builtin.extend(detect(text, folded))
    builtin.extend(hostility(text, folded, frozenset(policy.brand.upper().split())))
    # A built-in finding repeats nothing the policy's own terms already reported under the same rule, and
    # words a built-in rule names more precisely ("calm down" is hostile) are not reported twice.
    builtin = first_per_span(builtin)
    findings = [f for f in findings if not any(_covers(b, f) for b in builtin)]
    findings.extend(finding for finding in builtin if not any(_overlap(finding, known) for known in findings))
    if learned:
        # The learned heads judge the draft, whichever list found the words: a vetoed rule's findings go.
        skipped = ({SELLING_RULE} if not service else set()) | ({PUBLIC_RULE} if private else set())
        findings = second_opinion(text, findings, _LEARNED_RULES - skipped)
    violations = [_explained(text, finding) for finding in _in_rule_order(findings)]
    signature = policy.identity.signature
    if (
        policy.reply_rules.require_signature
        and signature.required
        and not re.search(signature.pattern, text.rstrip())
    ):
        violations.append(Violation("signature", f"The reply is not signed. {signature.style}"))
    violations.extend(_length(policy, text, network=network, private=private))
    return violations


RULE_ORDER = (  # the text rules, in the order a draft's findings are listed
    "no_selling",
    "no_sensitive_data_request",
    "no_personal_data_in_public",
    "no_condescension",
    "hostile_tone",
    "robotic",
)


def _in_rule_order(findings: list[Finding]) -> list[Finding]:
    # Stable: within a rule the policy's own terms come first, in the order the policy lists them.
    return sorted(findings, key=lambda f: RULE_ORDER.index(f.rule))


def _covers(builtin: Finding, policy_term: Finding) -> bool:
    return (
        builtin.rule != policy_term.rule
        and builtin.start <= policy_term.start
        and policy_term.end <= builtin.end
    )


def _overlap(a: Finding, b: Finding) -> bool:
    return a.rule == b.rule and a.start < b.end and b.start < a.end


def _explained(text: str, finding: Finding) -> Violation:
    quote = text[finding.start : finding.end]
    return Violation(finding.rule, f"“{quote}” {finding.why}.", finding.start, finding.end, quote)


def _policy_terms(policy: Policy, text: str, folded: str, *, private: bool, service: bool) -> list[Finding]:
    """The policy's own word lists, matched as written (today's messages kept), minus the look-alikes the
    built-in detectors know: a sales word in its service sense, a request that goes to a private channel."""
    rules = policy.reply_rules
    findings: list[Finding] = []
    if service:
        for term in rules.sales_terms:
            match = _phrase(term).search(text)
            if match and not service_sense(folded, match.start(), match.end()):
                findings.append(Finding(SELLING_RULE, match.start(), match.end(), POLICY_SALES_WHY))
    if not private:
        for pattern in rules.personal_data_requests:
            match = re.search(pattern, text)
            if match and asked_publicly(folded, match.start(), match.end()):
                findings.append(Finding(PUBLIC_RULE, match.start(), match.end(), POLICY_PUBLIC_WHY))
    for phrase in rules.condescending_phrases:
        if (
            (match := _phrase(phrase).search(text))
            and not empathetic_after(folded, match.end())
            and not service_should_have(folded, match.start(), match.end())
        ):
            findings.append(Finding(CONDESCENSION_RULE, match.start(), match.end(), POLICY_CONDESCENSION_WHY))
    return findings


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


# The policy's own terms keep the messages agents and tests know.
POLICY_SALES_WHY = "is promotional; service replies don't sell (policy reply_rules.sales_terms)"
POLICY_PUBLIC_WHY = "asks for personal data in public; move the conversation to a private channel first"
POLICY_CONDESCENSION_WHY = "sounds condescending; say it plainly and kindly"
