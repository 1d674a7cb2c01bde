"""Routing and escalation: what the policy decides for a conversation when a customer writes.

`decide` reads the conversation and returns one `Decision`; `apply_decision` writes it in one update
(plus the team, tags and alerts it names). Called from the ingest transaction after triage, so it
happens exactly once per message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.conversations.actions import ALERT_TEXT_CHARS, raise_alert
from socialdesk.conversations.models import Alert, AlertKind, Conversation, Message, Priority, Tag
from socialdesk.notifications.models import Kind
from socialdesk.notifications.notify import notify
from socialdesk.policy.clock import due_at, targets_for
from socialdesk.policy.schema import Condition, Policy
from socialdesk.policy.schema import Priority as PriorityName
from socialdesk.workspaces.actions import ensure_team

PRIORITY_VALUE: dict[PriorityName, int] = {
    "low": Priority.LOW,
    "normal": Priority.NORMAL,
    "high": Priority.HIGH,
    "urgent": Priority.URGENT,
}
PRIORITY_NAME: dict[int, PriorityName] = {value: name for name, value in PRIORITY_VALUE.items()}


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
    for name, value in lists.items():
        allowed = getattr(when, name)
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
        "needs_response": facts.needs_response,
    }
    if when.min_priority_score is not None and facts.priority_score < when.min_priority_score:
        return False
    return all(getattr(when, name) is None or getattr(when, name) == value for name, value in flags.items())


def facts_for(conversation: Conversation, message: Message, *, incident: bool) -> Facts:
    """The conversation as triage left it; sentiment and abuse are the message's own."""
    return Facts(
        intent=conversation.intent,
        sentiment=message.sentiment,
        category=conversation.category,
        language=conversation.language,
        network=conversation.channel.effective_network,
        text=message.text,
        legal_threat=conversation.legal_threat,
        abuse=message.abusive,
        personal_data=conversation.has_personal_data,
        incident=incident,
        private=conversation.is_private,
        needs_response=conversation.needs_response,
        priority_score=conversation.priority_score,
    )


@dataclass(frozen=True)
class Escalation:
    rule: str  # the rule's name, also the alert's text (one alert per rule and conversation)
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """What the policy decided for a conversation after one inbound message. `None` leaves a field as
    it is; `changes()` is the one update that writes the rest."""

    priority: int | None = None
    team_slug: str | None = None
    team_name: str = ""
    reply_channel: Channel | None = None
    requires_approval: bool | None = None
    policy_version: int | None = None
    first_response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    next_response_due_at: datetime | None = None
    ack_due_at: datetime | None = None
    ack_skipped: str | None = None
    clear_sla_warning: bool = False  # a new due time gets its own warning
    tags: tuple[str, ...] = ()
    escalations: tuple[Escalation, ...] = ()

    def changes(self) -> dict[str, object]:
        """The conversation's columns to update (the team, tags and alerts are written apart)."""
        columns: dict[str, object] = {
            "priority": self.priority,
            "reply_channel": self.reply_channel,
            "requires_approval": self.requires_approval,
            "policy_version": self.policy_version,
            "first_response_due_at": self.first_response_due_at,
            "resolution_due_at": self.resolution_due_at,
            "next_response_due_at": self.next_response_due_at,
            "ack_due_at": self.ack_due_at,
            "ack_skipped": self.ack_skipped,
        }
        out = {name: value for name, value in columns.items() if value is not None}
        if self.clear_sla_warning:
            out["sla_warned_at"] = None
        return out


def support_channel(policy: Policy, conversation: Conversation) -> Channel | None:
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


@dataclass
class _Draft:
    """The decision while rules are evaluated in order (later rules see earlier rules' effects)."""

    priority: int
    requires_approval: bool
    team_slug: str | None = None
    tags: list[str] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)


def _route(policy: Policy, facts: Facts, draft: _Draft) -> None:
    """Routing applies to new conversations: the first rule naming a team wins the team, the highest
    priority of all matching rules wins, tags add up; `stop` ends the evaluation."""
    priority: PriorityName = "normal"
    for name, threshold in policy.triage.priority_from_score.items():
        if facts.priority_score >= threshold and PRIORITY_VALUE[name] > PRIORITY_VALUE[priority]:
            priority = name
    for rule in policy.routing:
        if not matches(rule.when, facts):
            continue
        draft.team_slug = draft.team_slug or rule.team
        if rule.priority and PRIORITY_VALUE[rule.priority] > PRIORITY_VALUE[priority]:
            priority = rule.priority
        draft.tags += rule.tags
        if rule.stop:
            break
    draft.priority = PRIORITY_VALUE[priority]


def _escalate(policy: Policy, conversation: Conversation, facts: Facts, draft: _Draft) -> None:
    """Escalation rules apply whenever they start to match (a legal threat in a later message too);
    a rule that already raised its alert for this conversation does nothing again."""
    matching = [rule for rule in policy.escalation if matches(rule.when, facts)]
    if not matching:
        return  # the common case: no need to read the conversation's alerts
    raised = set(
        Alert.objects.filter(conversation=conversation, kind=AlertKind.ESCALATION).values_list(
            "text", flat=True
        )
    )
    for rule in matching:
        text = rule.name[:ALERT_TEXT_CHARS]
        if text in raised:
            continue
        raised.add(text)
        draft.escalations.append(Escalation(rule.name, tuple(rule.notify_roles)))
        draft.team_slug = rule.team
        draft.priority = max(draft.priority, PRIORITY_VALUE[rule.priority])
        draft.requires_approval = draft.requires_approval or rule.requires_approval


def decide(
    policy: Policy, number: int, conversation: Conversation, facts: Facts, *, first: bool, at: datetime
) -> Decision:
    """The decision for the conversation after a message sent at `at`. `first`: the conversation has
    never been through the policy (routing and the clocks start now)."""
    draft = _Draft(priority=conversation.priority, requires_approval=conversation.requires_approval)
    if first:
        _route(policy, facts, draft)
    _escalate(policy, conversation, facts, draft)
    routed = first or bool(draft.escalations)
    support = support_channel(policy, conversation) if first and facts.intent == "question" else None
    targets = targets_for(policy, PRIORITY_NAME[draft.priority], facts.network)
    first_due = resolution_due = next_due = None
    clear_warning = False
    if first or (draft.escalations and conversation.policy_version is not None):
        # New, or escalated while under way: the targets of the priority apply from the first message.
        start = conversation.first_inbound_at
        first_due = due_at(policy, start, targets.first_response_minutes, targets.business_hours)
        resolution_due = due_at(policy, start, targets.resolution_minutes, targets.business_hours)
        clear_warning = not first
    if not first and conversation.first_response_at is not None and conversation.next_response_due_at is None:
        next_due = due_at(policy, at, targets.next_response_minutes, targets.business_hours)
        clear_warning = True
    ack_due, ack_skipped = _acknowledgment(policy, conversation) if first else (None, None)
    return Decision(
        priority=draft.priority if routed else None,
        team_slug=draft.team_slug,
        team_name=next((t.name for t in policy.teams if t.slug == draft.team_slug), draft.team_slug or ""),
        reply_channel=support,
        requires_approval=draft.requires_approval if draft.escalations else None,
        policy_version=number if first else None,
        first_response_due_at=first_due,
        resolution_due_at=resolution_due,
        next_response_due_at=next_due,
        ack_due_at=ack_due,
        ack_skipped=ack_skipped,
        clear_sla_warning=clear_warning,
        tags=tuple(draft.tags),
        escalations=tuple(draft.escalations),
    )


def _acknowledgment(policy: Policy, conversation: Conversation) -> tuple[datetime | None, str | None]:
    """(when the first-contact acknowledgment is due, or why there is none). Whether it goes is the
    gate's decision at that time (`policy.automation`), when triage may know more."""
    contact = policy.first_contact
    if not contact.enabled:
        return None, "first contact acknowledgments are off"
    return conversation.first_inbound_at + timedelta(minutes=contact.within_minutes), None


def apply_decision(
    conversation: Conversation,
    decision: Decision,
    at: datetime,
    *,
    columns: frozenset[str] | None = None,
    team: bool = True,
) -> None:
    """Write the decision: its team, tags and alerts, then the conversation in one update (only
    `columns` of it, when given, and the team only when `team`)."""
    changes = decision.changes()
    if columns is not None:
        changes = {name: value for name, value in changes.items() if name in columns}
    if decision.team_slug and team:
        changes["team"] = ensure_team(conversation.workspace_id, decision.team_slug, decision.team_name)
    for name in decision.tags:
        tag, _ = Tag.objects.get_or_create(workspace_id=conversation.workspace_id, name=name)
        conversation.tags.add(tag)
    for escalation in decision.escalations:
        if raise_alert(conversation, AlertKind.ESCALATION, list(escalation.roles), escalation.rule, at):
            _tell(conversation, escalation, at)
    if changes:
        Conversation.objects.filter(pk=conversation.pk).update(**changes)
        for name, value in changes.items():
            setattr(conversation, name, value)


def _tell(conversation: Conversation, escalation: Escalation, at: datetime) -> None:
    """The roles the rule names hear of it (members' own choices still win); legal's are their own kind.
    A conversation of an open incident is not announced on its own: the incident's notification told
    the leads once, where one per conversation would bury everything else during a crisis."""
    legal = conversation.legal_threat or "legal" in escalation.roles
    if not legal and conversation.incident_id is not None:
        return
    notify(
        conversation.workspace_id,
        Kind.LEGAL_ESCALATION if legal else Kind.ESCALATION,
        f"Escalated ({escalation.rule}): conversation #{conversation.pk}",
        conversation=conversation,
        roles=escalation.roles,
        at=at,
    )


# What routing again may change: the acknowledgment's time, the reply account and the policy version
# were settled when the message arrived, and what was already sent stays sent.
REROUTED = frozenset({"priority", "first_response_due_at", "resolution_due_at"})


def reroute(policy: Policy, number: int, message: Message, *, incident: bool) -> Decision | None:
    """Triage changed its mind about a conversation's opening message (the background refinement):
    routing runs again as if the message had just arrived -- team, priority and the targets that
    follow from it -- unless someone already answered. An assigned conversation keeps its team."""
    conversation = message.conversation
    if conversation.first_response_at is not None:
        return None
    facts = facts_for(conversation, message, incident=incident)
    decision = decide(policy, number, conversation, facts, first=True, at=message.sent_at)
    apply_decision(
        conversation, decision, message.sent_at, columns=REROUTED, team=conversation.assignee_id is None
    )
    return decision


def apply_policy(policy: Policy, number: int, message: Message, *, first: bool, incident: bool) -> Decision:
    """The policy's step in ingest for a triaged inbound message: decide, then apply."""
    conversation = message.conversation
    facts = facts_for(conversation, message, incident=incident)
    decision = decide(policy, number, conversation, facts, first=first, at=message.sent_at)
    apply_decision(conversation, decision, message.sent_at)
    return decision
