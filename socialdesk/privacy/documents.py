"""Everything the desk holds about one contact, as one JSON-ready document (a subject access request).

Texts are exported as written (not masked): the document goes to the person they belong to. A raw
event is exported with its payload only when every message it carried is this contact's; a webhook
that batched several people's posts is listed without it, so one person's export never holds another's
words."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from socialdesk.conversations.models import (
    Activity,
    Contact,
    Conversation,
    Message,
    ModerationLog,
    Note,
    PersonalDataReveal,
)
from socialdesk.ingest.models import RawEvent
from socialdesk.privacy.models import AuditEntry
from socialdesk.reports.models import CsatSurvey

FORMAT = "socialdesk.contact-export/1"


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _message(
    message: Message, moderation: list[dict[str, Any]], reveals: list[dict[str, Any]]
) -> dict[str, Any]:
    author = message.author_user.get_username() if message.author_user is not None else message.author_handle
    return {
        "id": message.pk,
        "direction": message.direction,
        "kind": message.kind,
        "private": message.is_private,
        "sent_at": _at(message.sent_at),
        "author": author,
        "text": message.text,
        "url": message.url,
        "network_message_id": message.network_message_id,
        "in_reply_to": message.in_reply_to,
        "delivery_status": message.delivery_status,
        "automatic": message.automatic,
        "hidden": message.hidden,
        "deleted": message.deleted,
        "raw_event_id": message.raw_event_id,
        "triage": {
            "language": message.language,
            "sentiment": message.sentiment,
            "intent": message.intent,
            "category": message.category,
            "personal_data": message.personal_data,
            "legal_threat": message.legal_threat,
            "abusive": message.abusive,
            "needs_response": message.needs_response,
            "priority_score": message.priority_score,
        },
        "moderation": moderation,
        "reveals": reveals,
    }


def _by_message(rows: list[Any], build: Any) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.message_id].append(build(row))
    return grouped


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _conversation(
    conversation: Conversation,
    messages: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    activity: list[dict[str, Any]],
    survey: CsatSurvey | None,
) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "network": conversation.channel.effective_network,
        "channel": conversation.channel.handle,
        "private": conversation.is_private,
        "status": conversation.status,
        "priority": conversation.priority,
        "subject": conversation.subject,
        "created_at": _at(conversation.created_at),
        "first_inbound_at": _at(conversation.first_inbound_at),
        "last_message_at": _at(conversation.last_message_at),
        "resolved_at": _at(conversation.resolved_at),
        "assignee": _username(conversation.assignee),
        "team": conversation.team.slug if conversation.team is not None else None,
        "tags": sorted(tag.name for tag in conversation.tags.all()),
        "triage": {
            "language": conversation.language,
            "sentiment": conversation.sentiment,
            "intent": conversation.intent,
            "category": conversation.category,
            "legal_threat": conversation.legal_threat,
            "personal_data": conversation.has_personal_data,
        },
        "csat": None
        if survey is None
        else {
            "asked_at": _at(survey.asked_at),
            "answered_at": _at(survey.answered_at),
            "score": survey.score,
            "comment": survey.comment,
        },
        "messages": messages,
        "notes": notes,
        "activity": activity,
    }


def contact_document(contact: Contact, exported_at: datetime) -> dict[str, Any]:
    """The export of one contact: who they are on each network, every conversation with its messages
    (and triage), notes, tags, activity, ratings, the raw events their messages came in, and the
    privacy audit entries about them."""
    conversations = list(
        Conversation.objects.filter(contact=contact)
        .select_related("channel", "assignee", "team")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    ids = [c.pk for c in conversations]
    messages = list(
        Message.objects.filter(conversation_id__in=ids)
        .select_related("author_user")
        .order_by("sent_at", "pk")
    )
    message_ids = [m.pk for m in messages]
    moderation = _by_message(
        list(ModerationLog.objects.filter(message_id__in=message_ids).select_related("actor").order_by("pk")),
        lambda row: {
            "action": row.action,
            "reason": row.reason,
            "note": row.note,
            "by": _username(row.actor),
            "at": _at(row.created_at),
        },
    )
    reveals = _by_message(
        list(
            PersonalDataReveal.objects.filter(message_id__in=message_ids)
            .select_related("actor")
            .order_by("pk")
        ),
        lambda row: {"by": _username(row.actor), "at": _at(row.created_at)},
    )
    per_conversation: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"messages": [], "notes": [], "activity": []}
    )
    for message in messages:
        per_conversation[message.conversation_id]["messages"].append(
            _message(message, moderation.get(message.pk, []), reveals.get(message.pk, []))
        )
    for note in (
        Note.objects.filter(conversation_id__in=ids).select_related("author").order_by("created_at", "pk")
    ):
        per_conversation[note.conversation_id]["notes"].append(
            {"by": _username(note.author), "at": _at(note.created_at), "text": note.text}
        )
    activities = (
        Activity.objects.filter(conversation_id__in=ids).select_related("actor").order_by("created_at", "pk")
    )
    for activity in activities:
        per_conversation[activity.conversation_id]["activity"].append(
            {
                "action": activity.action,
                "detail": activity.detail,
                "by": _username(activity.actor),
                "at": _at(activity.created_at),
            }
        )
    surveys = {s.conversation_id: s for s in CsatSurvey.objects.filter(conversation_id__in=ids)}
    handles = list(contact.handles.order_by("network", "pk"))
    raw_events = _raw_events(contact, messages)
    audit = AuditEntry.objects.filter(workspace_id=contact.workspace_id, contact_id=contact.pk).order_by(
        "created_at", "pk"
    )
    documents = [_conversation(c, **per_conversation[c.pk], survey=surveys.get(c.pk)) for c in conversations]
    return {
        "format": FORMAT,
        "exported_at": _at(exported_at),
        "workspace": contact.workspace.slug,
        "contact": {
            "id": contact.pk,
            "display_name": contact.display_name,
            "created_at": _at(contact.created_at),
            "erased_at": _at(contact.erased_at),
            "merged_contacts": list(
                Contact.objects.filter(merged_into=contact).order_by("pk").values_list("pk", flat=True)
            ),
        },
        "handles": [
            {"network": h.network, "network_user_id": h.network_user_id, "handle": h.handle} for h in handles
        ],
        "conversations": documents,
        "raw_events": raw_events,
        "audit": [
            {"action": e.action, "by": e.actor_name, "at": _at(e.created_at), "counts": e.counts}
            for e in audit
        ],
        "counts": {
            "handles": len(handles),
            "conversations": len(conversations),
            "messages": len(messages),
            "notes": sum(len(d["notes"]) for d in documents),
            "activity": sum(len(d["activity"]) for d in documents),
            "raw_events": len(raw_events),
            "ratings": sum(1 for s in surveys.values() if s.score is not None),
        },
    }


def _raw_events(contact: Contact, messages: list[Message]) -> list[dict[str, Any]]:
    raw_ids = {m.raw_event_id for m in messages if m.raw_event_id is not None}
    # Events that also carried someone else's message: listed, their payload withheld.
    shared = set(
        Message.objects.filter(raw_event_id__in=raw_ids)
        .exclude(conversation__contact=contact)
        .values_list("raw_event_id", flat=True)
    )
    rows = RawEvent.objects.filter(pk__in=raw_ids).select_related("channel").order_by("received_at", "pk")
    return [
        {
            "id": raw.pk,
            "network": raw.channel.effective_network,
            "event_id": raw.event_id,
            "received_at": _at(raw.received_at),
            "status": raw.status,
            "payload": None if raw.pk in shared or raw.payload_erased_at is not None else raw.payload,
            "payload_withheld": raw.pk in shared,
        }
        for raw in rows
    ]
