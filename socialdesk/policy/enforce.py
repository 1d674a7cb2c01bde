"""The policy at work on live conversations: triage facts -> routing, escalation, response targets,
first-contact acknowledgments, 'still working on it' updates, SLA warnings, reply checks, moderation.

Called from the ingest transaction (apply_policy_to_inbound) and from periodic jobs (policy_tick);
every step is idempotent: a job run twice, or after a crash, sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.conversations.actions import queue_outbound
from socialdesk.conversations.models import (
    Alert,
    AlertKind,
    Conversation,
    Direction,
    Message,
    ModerationLog,
    Priority,
    Status,
    Tag,
)
from socialdesk.incidents.actions import join_incident
from socialdesk.outbox.actions import enqueue
from socialdesk.policy.actions import active_policy_version, parsed_policy
from socialdesk.policy.checker import Violation, check_reply, length_budget, network_refusals
from socialdesk.policy.clock import calendar_for, due_at, humanize_minutes, targets_for
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.networks import effective_rules
from socialdesk.policy.schema import AckTemplate, Condition, Policy
from socialdesk.policy.schema import Priority as PriorityName
from socialdesk.triage.actions import result_fields, triage_message
from socialdesk.triage.engine import Result as Triage
from socialdesk.workspaces.actions import ensure_team
from socialdesk.workspaces.models import Team

PRIORITY_VALUE: dict[PriorityName, int] = {
    "low": Priority.LOW,
    "normal": Priority.NORMAL,
    "high": Priority.HIGH,
    "urgent": Priority.URGENT,
}
PRIORITY_NAME: dict[int, PriorityName] = {value: name for name, value in PRIORITY_VALUE.items()}
LIVE = [Status.NEW, Status.OPEN, Status.PENDING]


@dataclass(frozen=True)
class Facts:
    """What conditions are evaluated against."""

    intent: str
    sentiment: str
    category: str
    language: str
    network: str
    text: str
    legal_threat: bool
    abuse: bool
    personal_data: bool
    incident: bool
    private: bool
    needs_response: bool = False
    priority_score: int = 0


def matches(when: Condition, facts: Facts) -> bool:
    lists = {
        "intent": facts.intent,
        "sentiment": facts.sentiment,
        "category": facts.category,
        "language": facts.language,
        "network": facts.network,
    }
    for field, value in lists.items():
        allowed = getattr(when, field)
        if allowed and value not in allowed:
            return False
    if when.keywords and not any(k.lower() in facts.text.lower() for k in when.keywords):
        return False
    flags = {
        "legal_threat": facts.legal_threat,
        "abuse": facts.abuse,
        "personal_data": facts.personal_data,
        "incident": facts.incident,
        "private": facts.private,
    }
    flags["needs_response"] = facts.needs_response
    if when.min_priority_score is not None and facts.priority_score < when.min_priority_score:
        return False
    return all(
        getattr(when, field) is None or getattr(when, field) == value for field, value in flags.items()
    )


def _facts(conversation: Conversation, message: Message, result: Triage, incident: bool) -> Facts:
    return Facts(
        intent=conversation.intent,
        sentiment=result.sentiment,
        category=conversation.category,
        language=conversation.language,
        network=conversation.channel.effective_network,
        text=message.text,
        legal_threat=conversation.legal_threat,
        abuse=result.abusive,
        personal_data=conversation.has_personal_data,
        incident=incident,
        private=conversation.is_private,
        needs_response=conversation.needs_response,
        priority_score=conversation.priority_score,
    )


def _support_channel(policy: Policy, conversation: Conversation) -> Channel | None:
    """The support account to answer from, when this brand account redirects questions."""
    channel = conversation.channel
    if channel.account_role != AccountRole.BRAND:
        return None
    network = channel.effective_network
    accounts = [a for a in policy.channels.accounts if a.network == network]
    account = next((a for a in accounts if a.handle.lower() == channel.handle.lower()), None) or next(
        (a for a in accounts if a.role == "brand"), None
    )
    if account is None or not account.redirect_questions_to_support:
        return None
    candidates = Channel.objects.filter(
        workspace_id=conversation.workspace_id, account_role=AccountRole.SUPPORT, is_active=True
    )
    return next((c for c in candidates if c.effective_network == network), None)


def apply_policy_to_inbound(message: Message) -> None:
    """Triage the message and apply the workspace policy to its conversation (inside the ingest
    transaction, so it happens exactly once per message)."""
    # The conversation as threading left it: the fields read here are not changed by threading.
    conversation = message.conversation
    found = active_policy_version(conversation.workspace_id)
    result = triage_message(message, found)
    Message.objects.filter(pk=message.pk).update(**result_fields(result))
    first = conversation.policy_version is None and not conversation.intent
    if first:
        conversation.intent, conversation.category = result.intent, result.category
        conversation.language = result.language
    conversation.sentiment = result.sentiment
    conversation.legal_threat = conversation.legal_threat or result.legal_threat
    conversation.has_personal_data = conversation.has_personal_data or (
        bool(result.personal_data) and not message.is_private
    )
    conversation.needs_response = result.needs_response or (
        conversation.needs_response and conversation.first_response_at is None
    )
    conversation.priority_score = max(conversation.priority_score, result.priority_score)
    # Saved before the policy runs, so the crisis count includes this conversation.
    conversation.save(
        update_fields=[
            "intent",
            "category",
            "language",
            "sentiment",
            "legal_threat",
            "has_personal_data",
            "needs_response",
            "priority_score",
        ]
    )
    if found is None:
        return
    number, policy = found
    incident = join_incident(policy, conversation, message.sent_at)
    facts = _facts(conversation, message, result, incident is not None)
    fields = _route(policy, conversation, facts, first)
    fields += _escalate(policy, conversation, facts, message.sent_at)
    if first:
        conversation.policy_version = number
        fields += ["policy_version", *_start_clocks(policy, conversation, result)]
    elif conversation.first_response_at is not None and conversation.next_response_due_at is None:
        targets = targets_for(policy, PRIORITY_NAME[conversation.priority], facts.network)
        conversation.next_response_due_at = due_at(
            policy, message.sent_at, targets.next_response_minutes, targets.business_hours
        )
        conversation.sla_warned_at = None  # a new due time gets its own warning
        fields += ["next_response_due_at", "sla_warned_at"]
    if fields:
        conversation.save(update_fields=sorted(set(fields)))


def _route(policy: Policy, conversation: Conversation, facts: Facts, first: bool) -> list[str]:
    """Routing applies to new conversations: the first rule naming a team wins the team, the highest
    priority of all matching rules wins, tags add up; `stop` ends the evaluation."""
    if not first:
        return []
    team_slug: str | None = None
    priority: PriorityName = "normal"
    for name, threshold in policy.triage.priority_from_score.items():
        if facts.priority_score >= threshold and PRIORITY_VALUE[name] > PRIORITY_VALUE[priority]:
            priority = name
    tags: list[str] = []
    for rule in policy.routing:
        if not matches(rule.when, facts):
            continue
        team_slug = team_slug or rule.team
        if rule.priority and PRIORITY_VALUE[rule.priority] > PRIORITY_VALUE[priority]:
            priority = rule.priority
        tags += rule.tags
        if rule.stop:
            break
    conversation.priority = PRIORITY_VALUE[priority]
    fields = ["priority"]
    if team_slug:
        conversation.team = _team(policy, conversation.workspace_id, team_slug)
        fields.append("team")
    if tags:
        _tag(conversation, tags)
    support = _support_channel(policy, conversation) if facts.intent == "question" else None
    if support is not None:
        conversation.reply_channel = support
        fields.append("reply_channel")
    return fields


def _team(policy: Policy, workspace_id: int, slug: str) -> Team:
    return ensure_team(workspace_id, slug, next((t.name for t in policy.teams if t.slug == slug), slug))


def _tag(conversation: Conversation, names: list[str]) -> None:
    for name in names:
        tag, _ = Tag.objects.get_or_create(workspace_id=conversation.workspace_id, name=name)
        conversation.tags.add(tag)


def raise_alert(
    conversation: Conversation, kind: AlertKind, roles: list[str], text: str, at: datetime
) -> bool:
    """Create the alert unless the same one exists (then False): alerts are idempotent per reason."""
    try:
        with transaction.atomic():
            Alert.objects.create(
                workspace_id=conversation.workspace_id,
                conversation=conversation,
                kind=kind,
                roles=roles,
                text=text[:300],
                created_at=at,
            )
    except IntegrityError:
        return False
    return True


def _escalate(policy: Policy, conversation: Conversation, facts: Facts, at: datetime) -> list[str]:
    """Escalation rules apply whenever they start to match (a legal threat in a later message too)."""
    fields: list[str] = []
    for rule in policy.escalation:
        if not matches(rule.when, facts):
            continue
        if not raise_alert(conversation, AlertKind.ESCALATION, list(rule.notify_roles), rule.name, at):
            continue  # already escalated by this rule
        conversation.team = _team(policy, conversation.workspace_id, rule.team)
        if PRIORITY_VALUE[rule.priority] > conversation.priority:
            conversation.priority = PRIORITY_VALUE[rule.priority]
        conversation.requires_approval = conversation.requires_approval or rule.requires_approval
        fields += ["team", "priority", "requires_approval"]
        if conversation.policy_version is not None:
            # Already under way: the targets of the new priority apply from the first message,
            # and the new due time gets its own warning.
            conversation.sla_warned_at = None
            fields += [*_due_times(policy, conversation), "sla_warned_at"]
    return fields


def _due_times(policy: Policy, conversation: Conversation) -> list[str]:
    targets = targets_for(
        policy, PRIORITY_NAME[conversation.priority], conversation.channel.effective_network
    )
    start = conversation.first_inbound_at
    conversation.first_response_due_at = due_at(
        policy, start, targets.first_response_minutes, targets.business_hours
    )
    conversation.resolution_due_at = due_at(policy, start, targets.resolution_minutes, targets.business_hours)
    return ["first_response_due_at", "resolution_due_at"]


def _start_clocks(policy: Policy, conversation: Conversation, result: Triage) -> list[str]:
    fields = _due_times(policy, conversation)
    contact = policy.first_contact
    if not contact.enabled:
        conversation.ack_skipped = "first contact acknowledgments are off"
    elif result.intent in contact.skip_intents:
        conversation.ack_skipped = f"not acknowledged: {result.intent}"
    else:
        conversation.ack_due_at = conversation.first_inbound_at + timedelta(minutes=contact.within_minutes)
    return [*fields, "ack_skipped", "ack_due_at"]


@dataclass(frozen=True)
class DraftCheck:
    violations: list[Violation]
    used: int
    limit: int | None
    network: str


def check_draft_reply(conversation: Conversation, text: str, *, private: bool) -> DraftCheck:
    """A draft reply in this conversation against the policy: the rules it breaks and its length as
    the network counts it (no policy: only the network's own private-message rules, no limit)."""
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


def check_outgoing(conversation: Conversation, text: str, *, private: bool) -> list[Violation]:
    """The reply checker for a reply in this conversation (no policy: no rules to break)."""
    return check_draft_reply(conversation, text, private=private).violations


# --- periodic work -------------------------------------------------------------------------------


def choose_template(policy: Policy, language: str, network: str) -> AckTemplate:
    def score(t: AckTemplate) -> int:
        return (2 if t.language == language else 0 if t.language == "*" else -9) + (
            1 if t.network == network else 0 if t.network == "*" else -9
        )

    return max(policy.first_contact.templates, key=score)


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill_template(text: str, policy: Policy, conversation: Conversation, **extra: str) -> str:
    """A policy template with the conversation's values; variables without a value become empty."""
    offline = {o.kind: o.address for o in policy.channels.offline}
    values = _Values(
        name=_first_name(conversation),
        brand=policy.brand,
        phone=offline.get("phone", ""),
        email=offline.get("email", ""),
        incident=conversation.incident.title if conversation.incident else "",
        **extra,
    )
    return text.format_map(values)


def _first_name(conversation: Conversation) -> str:
    name = conversation.contact.display_name.strip()
    return name.split()[0] if name else "there"


def _ack_visibility(policy: Policy, conversation: Conversation, now: datetime) -> tuple[bool | None, str]:
    """(private?, reason if it cannot be sent) following the network's rules."""
    rules = policy.rules_for(conversation.channel.effective_network)
    wanted = policy.first_contact.visibility
    private = conversation.is_private if wanted == "same_as_message" else wanted == "private"
    if private and not conversation.is_private and rules.dm_eligibility != "anyone":
        # A public post does not open a private channel on this network: acknowledge in public.
        private = False
    if not private and not rules.public_reply:
        private = True
    window = rules.messaging_window_hours
    if private and window and now - conversation.last_inbound_at > timedelta(hours=window):
        return None, f"outside the {window}-hour messaging window"
    return private, ""


def send_due_acknowledgments(now: datetime | None = None) -> int:
    """Acknowledge conversations whose first-contact time has come: once, never to an agent-answered one."""
    now = now or timezone.now()
    sent = 0
    due = Conversation.objects.filter(ack_sent_at__isnull=True, ack_due_at__lte=now, status__in=LIVE)
    for conversation_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            # Claim: whoever flips ack_sent_at owns this acknowledgment.
            if not Conversation.objects.filter(pk=conversation_id, ack_sent_at__isnull=True).update(
                ack_sent_at=now
            ):
                continue
            conversation = Conversation.objects.select_related("channel", "contact", "workspace").get(
                pk=conversation_id
            )
            sent += _acknowledge(conversation, now)
    return sent


def _acknowledge(conversation: Conversation, now: datetime) -> int:
    def skip(reason: str) -> int:
        Conversation.objects.filter(pk=conversation.pk).update(ack_skipped=reason)
        return 0

    found = active_policy_version(conversation.workspace)
    if found is None:
        return skip("no active policy")
    policy = found[1]
    if conversation.messages.filter(direction=Direction.OUTBOUND, automatic=False).exists():
        return skip("an agent answered first")
    if conversation.first_response_due_at is not None and now >= conversation.first_response_due_at:
        # "We'll answer within an hour" is no use once the hour has passed (a backlog, a long outage).
        return skip("too late: the first response was already due")
    private, reason = _ack_visibility(policy, conversation, now)
    if private is None:
        return skip(reason)
    network = conversation.channel.effective_network
    targets = targets_for(policy, PRIORITY_NAME[conversation.priority], network)
    template = choose_template(policy, conversation.language, network)
    text = fill_template(
        template.text,
        policy,
        conversation,
        expected_response=humanize_minutes(targets.first_response_minutes, template.language),
    )
    used, limit = length_budget(policy, text, network=network, private=private)
    if limit is not None and used > limit:
        return skip(f"acknowledgment template is too long for {network} ({used} of {limit})")
    queue_outbound(conversation, text, is_private=private, automatic=True, now=now)
    return 1


def active_policies() -> Iterator[tuple[int, Policy]]:
    """(workspace id, policy) for every workspace with an active policy: the periodic jobs work per
    workspace so each can use its own thresholds in the query."""
    rows = PolicyVersion.objects.filter(is_active=True).values_list("workspace_id", "pk")
    for workspace_id, version_id in rows:
        yield workspace_id, parsed_policy(version_id)


def send_still_working_updates(now: datetime | None = None, batch: int = 500) -> int:
    """When a case runs longer than the policy allows without news, tell the customer we're on it."""
    now = now or timezone.now()
    sent = 0
    for workspace_id, policy in active_policies():
        minutes = policy.sla.still_working_after_minutes
        if not minutes:
            continue
        threshold = timedelta(minutes=minutes)
        calendar = calendar_for(policy.business_hours)
        # Business time never runs faster than the wall clock, so this prefilter loses nothing.
        candidates = (
            Conversation.objects.filter(
                workspace_id=workspace_id,
                status__in=LIVE,
                still_working_sent_at__isnull=True,
                policy_version__isnull=False,
                first_inbound_at__lte=now - threshold,
            )
            .select_related("channel", "contact")
            .order_by("first_inbound_at")[:batch]
        )
        for conversation in candidates:
            if calendar.elapsed(conversation.first_inbound_at, now) < threshold:
                continue
            last_out = _last_outbound_at(conversation)
            if last_out is not None and calendar.elapsed(last_out, now) < threshold:
                continue
            with transaction.atomic():
                claimed = Conversation.objects.filter(
                    pk=conversation.pk, still_working_sent_at__isnull=True
                ).update(still_working_sent_at=now)
                if not claimed:
                    continue
                text = fill_template(policy.sla.still_working_template, policy, conversation)
                queue_outbound(
                    conversation, text, is_private=conversation.is_private, automatic=True, now=now
                )
                sent += 1
    return sent


def _last_outbound_at(conversation: Conversation) -> datetime | None:
    return (
        conversation.messages.filter(direction=Direction.OUTBOUND)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def warn_before_breach(now: datetime | None = None, batch: int = 2000) -> int:
    """One alert per due time about to pass (or passed) without a response. `sla_warned_at` marks a
    conversation as warned until the customer writes again after our reply (a new next-response due)."""
    now = now or timezone.now()
    created = 0
    for workspace_id, policy in active_policies():
        horizon = now + timedelta(minutes=policy.sla.warn_before_minutes)
        zone = calendar_for(policy.business_hours).zone
        first_due = Q(first_response_at__isnull=True, first_response_due_at__lte=horizon)
        next_due = Q(next_response_due_at__lte=horizon)
        candidates = Conversation.objects.filter(
            first_due | next_due, workspace_id=workspace_id, status__in=LIVE, sla_warned_at__isnull=True
        ).order_by("pk")[:batch]
        for conversation in candidates:
            first = conversation.first_response_at is None and conversation.first_response_due_at is not None
            label = "first response" if first else "next response"
            due = conversation.first_response_due_at if first else conversation.next_response_due_at
            if due is None:
                continue
            text = f"{label} due {due.astimezone(zone):%Y-%m-%d %H:%M}"
            raise_alert(conversation, AlertKind.SLA_WARNING, ["lead"], text, now)
            Conversation.objects.filter(pk=conversation.pk).update(sla_warned_at=now)
            created += 1
    return created


def policy_tick(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "acknowledgments": send_due_acknowledgments(now),
        "still_working": send_still_working_updates(now),
        "sla_warnings": warn_before_breach(now),
    }


# --- moderation ----------------------------------------------------------------------------------


class ModerationRefused(PermissionError):
    """Hiding or deleting is refused; the message says which policy rule stands in the way."""


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
    reasons the policy defines, only actions the network allows; agents decide."""
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


def moderate(message: Message, action: str, reason: str, actor: User, note: str = "") -> ModerationLog:
    """Hide or delete a customer's message, only for a reason the policy lists, with an audit entry."""
    found = active_policy_version(message.conversation.workspace)
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
        if not Message.objects.filter(pk=message.pk, **{field: False}).update(**{field: True}):
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
