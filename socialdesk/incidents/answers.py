"""Answering everyone an incident hit, once: a short pointer to the bulletin (or "covered by the
bulletin", with no reply of its own), and when it is over, the "fixed" message and one bulk resolve
that a lead can undo. Each person's message passes the automatic-message gate and goes through the
outbox, so each network's rules and sending limits hold however many people there are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from socialdesk.conversations.models import Conversation, Direction, Message, Status
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import resolve_incident
from socialdesk.incidents.bulletins import NOT_FOR_POSTS, status_link
from socialdesk.incidents.models import AnswerHow, BulkResolution, Incident, IncidentAnswer, IncidentStatus
from socialdesk.outbox.queue import queue_outbound
from socialdesk.policy.actions import active_policy
from socialdesk.policy.automation import LIVE, incident_message
from socialdesk.policy.checker import check_reply
from socialdesk.policy.schema import Policy
from socialdesk.reports import facts
from socialdesk.workspaces.actions import LEAD_ROLES, require_role

BULLETIN_STAGE, FIXED_STAGE = "bulletin", "fixed"
MAX_TEXT = 1000


@dataclass
class Outcome:
    """What one "answer everyone" did: counts by how, and why each held one was held."""

    counts: dict[str, int] = field(default_factory=dict)
    held: dict[int, str] = field(default_factory=dict)  # conversation id -> the gate's reason
    resolved: int = 0
    not_resolved: dict[int, str] = field(default_factory=dict)  # conversation id -> why it stays open
    resolution: BulkResolution | None = None

    def add(self, how: str) -> None:
        self.counts[how] = self.counts.get(how, 0) + 1


def _texts(policy: Policy, incident: Incident, texts: Mapping[str, str]) -> dict[str, str]:
    """The lead's words per language, links filled and checked like any reply on every network the
    linked conversations are on."""
    link = status_link(incident)
    filled = {}
    for language, text in texts.items():
        words = " ".join(text.replace("{incident_link}", link).split())
        if not words:
            continue
        if len(words) > MAX_TEXT:
            raise DeskError(f"the {language} text has more than {MAX_TEXT} characters")
        filled[language.strip().lower()] = words
    if not filled:
        raise DeskError("write the message in at least one language")
    networks = (
        Conversation.objects.filter(incident=incident).values_list("channel__network", flat=True).distinct()
    )
    for language, words in filled.items():
        for network in networks:
            for violation in check_reply(policy, words, network=network, private=False):
                if violation.rule not in NOT_FOR_POSTS:
                    raise DeskError(f"the {language} text cannot go out: {violation.message}")
    return filled


def _policy(actor: User | None, incident: Incident, refusal: str) -> Policy:
    require_role(actor, incident.workspace_id, LEAD_ROLES, refusal)
    policy = active_policy(incident.workspace_id)
    if policy is None:
        raise DeskError("the workspace has no policy to check the messages against")
    return policy


def _linked(incident: Incident, stage: str) -> list[Conversation]:
    """Linked conversations not yet answered at this stage, so running it again answers nobody twice;
    those the gate held are asked again (the lead may have added their language since)."""
    done = (
        IncidentAnswer.objects.filter(incident=incident, stage=stage)
        .exclude(how=AnswerHow.HELD)
        .values("conversation_id")
    )
    return list(
        Conversation.objects.filter(incident=incident)
        .exclude(pk__in=done)
        .select_related("channel", "reply_channel", "contact")
        .order_by("pk")
    )


def _answer(
    policy: Policy,
    incident: Incident,
    conversation: Conversation,
    stage: str,
    texts: Mapping[str, str],
    why: str,
    now: datetime,
) -> tuple[str, str]:
    """Pass the gate and queue one person's message; record it (once: a concurrent run finds the row
    locked or loses the unique insert, and rolls its message back). Returns (how, the gate's reason),
    ("", ...) when someone else answered first."""
    verdict = incident_message(policy, conversation, now, texts, why)
    how = (AnswerHow.FIXED if stage == FIXED_STAGE else AnswerHow.POINTER) if verdict.send else AnswerHow.HELD
    try:
        with transaction.atomic():
            earlier = (
                IncidentAnswer.objects.select_for_update()
                .filter(incident=incident, conversation=conversation, stage=stage)
                .first()
            )
            if earlier is not None and earlier.how != AnswerHow.HELD:
                return "", "answered already"
            message = None
            if verdict.send:
                message = queue_outbound(
                    conversation,
                    verdict.text,
                    is_private=verdict.private,
                    automatic=True,
                    automatic_reason=verdict.reason,
                    language=verdict.language,
                    now=now,
                )
            IncidentAnswer.objects.update_or_create(
                incident=incident,
                conversation=conversation,
                stage=stage,
                defaults={"how": how, "reason": verdict.reason[:300], "message": message, "at": now},
            )
    except IntegrityError:
        return "", "answered already"
    return how, verdict.reason


def answer_everyone(
    actor: User | None, incident: Incident, *, reply: bool, texts: Mapping[str, str], now: datetime
) -> Outcome:
    """Every linked conversation not answered yet either gets a short pointer to the bulletin
    (`reply`, in its language, where the gate lets it) or is marked covered by the bulletin."""
    policy = _policy(actor, incident, "only leads and admins answer everyone about an incident")
    if not incident.bulletins.filter(published_at__isnull=False).exists():
        raise DeskError("publish a bulletin first: the answers point at it")
    filled = _texts(policy, incident, texts) if reply else {}
    outcome = Outcome()
    for conversation in _linked(incident, BULLETIN_STAGE):
        if not reply:
            _, created = IncidentAnswer.objects.get_or_create(
                incident=incident,
                conversation=conversation,
                stage=BULLETIN_STAGE,
                defaults={"how": AnswerHow.COVERED, "reason": "covered by the bulletin", "at": now},
            )
            if created:
                outcome.add(AnswerHow.COVERED)
            continue
        how, reason = _answer(
            policy, incident, conversation, BULLETIN_STAGE, filled, "linked to the incident", now
        )
        if how:
            outcome.add(how)
        if how == AnswerHow.HELD:
            outcome.held[conversation.pk] = reason
    return outcome


def other_question(incident: Incident, conversation: Conversation) -> str | None:
    """Why this conversation is about more than the incident, or None. Triage's category tells what a
    message is about: a conversation of another category than the incident's, or a later message of
    another category than the conversation's first, asked something the fix does not answer."""
    about = incident.category or conversation.category
    if incident.category and conversation.category and conversation.category != incident.category:
        return f"the conversation is about {conversation.category}, the incident about {incident.category}"
    inbound = Message.objects.filter(conversation=conversation, direction=Direction.INBOUND).order_by(
        "sent_at", "pk"
    )
    for message in list(inbound)[1:]:
        if message.category and about and message.category != about:
            return f"a later message asks about {message.category}"
    return None


def resolve_with_fixed_message(
    actor: User | None, incident: Incident, *, texts: Mapping[str, str], now: datetime
) -> Outcome:
    """The incident is over: everyone linked gets the lead's "fixed" message (through the gate), the
    incident is resolved, and the conversations that got it and asked nothing else are resolved in
    one go (undo: `undo_bulk_resolution`). The rest stay open for a person."""
    policy = _policy(actor, incident, "only leads and admins resolve incidents")
    if incident.status != IncidentStatus.OPEN:
        raise DeskError("the incident is resolved already")
    filled = _texts(policy, incident, texts)
    outcome = Outcome()
    ready: list[Conversation] = []
    for conversation in _linked(incident, FIXED_STAGE):
        how, reason = _answer(
            policy, incident, conversation, FIXED_STAGE, filled, "the incident is fixed", now
        )
        if how:
            outcome.add(how)
        other = other_question(incident, conversation)
        if how == AnswerHow.HELD:
            outcome.held[conversation.pk] = reason
            outcome.not_resolved[conversation.pk] = reason
        elif other is not None:
            outcome.not_resolved[conversation.pk] = other
        elif how and conversation.status in LIVE:
            ready.append(conversation)
    with transaction.atomic():
        resolve_incident(incident, now, actor=actor)
        outcome.resolution = _bulk_resolve(actor, incident, ready, now)
    outcome.resolved = len(ready)
    return outcome


def _bulk_resolve(
    actor: User | None, incident: Incident, conversations: list[Conversation], now: datetime
) -> BulkResolution:
    before = [[c.pk, c.status, c.resolved_at.isoformat() if c.resolved_at else None] for c in conversations]
    ids = [c.pk for c in conversations]
    Conversation.objects.filter(pk__in=ids, status__in=LIVE).update(status=Status.RESOLVED, resolved_at=now)
    for conversation in conversations:
        facts.resolved(conversation, now, actor.pk if actor else None)
    refresh_waiting(ids)
    return BulkResolution.objects.create(incident=incident, actor=actor, at=now, before=before)


def undo_bulk_resolution(actor: User | None, resolution: BulkResolution, now: datetime) -> int:
    """Put the conversations back as they were, where nothing has changed them since (a customer who
    wrote again reopened theirs already). Returns how many were put back."""
    incident = resolution.incident
    require_role(actor, incident.workspace_id, LEAD_ROLES, "only leads and admins undo a bulk resolve")
    if resolution.undone_at is not None:
        raise DeskError("this bulk resolve was undone already")
    restored = 0
    with transaction.atomic():
        for conversation_id, status, resolved_at in resolution.before:
            restored += Conversation.objects.filter(
                pk=conversation_id, status=Status.RESOLVED, resolved_at=resolution.at
            ).update(status=status, resolved_at=datetime.fromisoformat(resolved_at) if resolved_at else None)
        refresh_waiting([row[0] for row in resolution.before])
        resolution.undone_at = now
        resolution.save(update_fields=["undone_at"])
    return restored
