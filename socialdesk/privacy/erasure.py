"""Removing what identifies a person while the desk keeps its numbers. Shared by an erasure (one
contact, all of their conversations) and the retention sweep (conversations closed long ago).

What stays: conversations and messages as rows (direction, kind, times, triage labels, delivery status),
reporting facts and rollups (they never held text), CSAT scores, tags, the activity log (desk actions by
members) and the privacy audit log. What goes: message texts, URLs and attachments' links, masked
texts and personal-data spans, network ids (replaced by keyed digests), subjects, notes, ratings'
comments, notification texts, post embeddings and the raw payloads the messages came in.

Not re-linked: a conversation's thread key is retired and it is closed, so no later post threads into
it; a post delivered again is recognised by the digest of its id and dropped; an erased contact loses
its handles, so the next post from the same network user makes a new contact with nothing of the old."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Value
from django.db.models.functions import Concat

from socialdesk.conversations.models import (
    Activity,
    Contact,
    ContactHandle,
    Conversation,
    Direction,
    Message,
    Note,
    Status,
)
from socialdesk.conversations.personal_data import ERASED, erased_network_id, pseudonym
from socialdesk.incidents.models import PostMeaning
from socialdesk.ingest.models import RawEvent
from socialdesk.notifications.models import Notification
from socialdesk.outbox.models import OutboxItem, OutboxStatus
from socialdesk.reports.models import CsatSurvey


def anonymise_conversations(conversation_ids: list[int], at: datetime, why: str) -> dict[str, int]:
    """Anonymise these conversations (call inside a transaction); counts of what changed. `why` goes in
    each conversation's activity log ("contact erased", "retention")."""
    conversations = list(
        Conversation.objects.filter(pk__in=conversation_ids, anonymised_at__isnull=True).only(
            "pk", "contact_id", "channel_id"
        )
    )
    ids = [c.pk for c in conversations]
    messages = Message.objects.filter(conversation_id__in=ids)
    # Digests of the network ids, computed here: they are keyed, so SQL cannot compute them.
    for message in messages.exclude(network_message_id__startswith="erased:").only(
        "pk", "channel_id", "network_message_id", "in_reply_to"
    ):
        Message.objects.filter(pk=message.pk).update(
            network_message_id=erased_network_id(message.channel_id, message.network_message_id)
            if message.network_message_id
            else None,
            in_reply_to=erased_network_id(message.channel_id, message.in_reply_to)
            if message.in_reply_to
            else "",
        )
    for conversation in conversations:
        messages.filter(conversation_id=conversation.pk, direction=Direction.INBOUND).update(
            author_handle=pseudonym(conversation.contact_id)
        )
    raw_ids = set(messages.exclude(raw_event=None).values_list("raw_event_id", flat=True))
    counts = {
        "conversations": len(ids),
        "messages": messages.update(
            text=ERASED,
            masked_text=None,
            url="",
            personal_data=[],
            triage={},
            delivery_error="",
            review_note="",
            held_reason="",
        ),
        "raw_payloads": RawEvent.objects.filter(pk__in=raw_ids, payload_erased_at__isnull=True).update(
            payload={}, payload_erased_at=at
        ),
        "notes": Note.objects.filter(conversation_id__in=ids).update(text=ERASED),
    }
    # A reply still waiting to go out would now send "[erased]": it is stopped instead.
    OutboxItem.objects.filter(message__conversation_id__in=ids, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.FAILED, last_error="not sent: the conversation was anonymised"
    )
    CsatSurvey.objects.filter(conversation_id__in=ids).update(comment="")
    Notification.objects.filter(conversation_id__in=ids).update(text=ERASED)
    PostMeaning.objects.filter(message__conversation_id__in=ids).delete()
    Conversation.objects.filter(pk__in=ids).update(
        subject=ERASED,
        status=Status.CLOSED,
        waiting=False,
        waiting_since=None,
        thread_key=Concat(Value("erased:"), F("pk")),
        anonymised_at=at,
    )
    Activity.objects.bulk_create(
        Activity(conversation_id=pk, actor=None, action="anonymised", detail=why, created_at=at) for pk in ids
    )
    return counts


def erase_contact_rows(contact: Contact, at: datetime) -> dict[str, int]:
    """Erase one contact (call inside a transaction): every conversation anonymised, the handles
    deleted, the name replaced by the pseudonym, in this contact and in those merged into it."""
    ids = list(Conversation.objects.filter(contact=contact).values_list("pk", flat=True))
    counts = anonymise_conversations(ids, at, "contact erased")
    counts["handles"], _ = ContactHandle.objects.filter(contact=contact).delete()
    merged = list(Contact.objects.filter(merged_into=contact).values_list("pk", flat=True))
    for pk in [contact.pk, *merged]:
        Contact.objects.filter(pk=pk).update(display_name=pseudonym(pk), erased_at=at)
    counts["merged_contacts"] = len(merged)
    return counts
