"""A contact's data, as European desks are asked for it: exported whole as JSON by a lead or admin,
erased for good by an admin (texts, handles, raw payloads and search gone; audit, counts and report
numbers kept; a new post from the same person starts afresh), each export and erasure audited.
Refused paths change nothing. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.inbox import search_conversations
from socialdesk.conversations.models import Contact, ContactHandle, Conversation, Message, Note, Status
from socialdesk.errors import DeskError
from socialdesk.ingest.actions import receive_event
from socialdesk.ingest.models import RawEvent
from socialdesk.privacy.actions import erase_contact, export_contact
from socialdesk.privacy.models import AuditEntry
from socialdesk.reports.models import CsatSurvey, Fact
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post
from tests.privacy_setup import FIRST, NOTE, OTHER, SECOND, make_admin, make_desk


@pytest.fixture
def admin(workspace: Any) -> User:
    return make_admin(workspace)


@pytest.fixture
def desk(telecom_policy: Any, x_channel: Any, agent: User) -> dict[str, Any]:
    return make_desk(x_channel, agent)


def _state() -> list[Any]:
    """Everything an erasure or an export could change."""
    return [
        list(
            Message.objects.order_by("pk").values_list("text", "network_message_id", "author_handle", "url")
        ),
        list(Contact.objects.order_by("pk").values_list("display_name", "erased_at")),
        list(ContactHandle.objects.order_by("pk").values_list("contact_id", "network_user_id")),
        list(RawEvent.objects.order_by("pk").values_list("payload", "payload_erased_at")),
        list(Note.objects.order_by("pk").values_list("text", flat=True)),
        list(Conversation.objects.order_by("pk").values_list("subject", "status", "thread_key")),
        AuditEntry.objects.count(),
    ]


def test_a_lead_exports_everything_about_a_contact(desk: dict[str, Any], lead: User) -> None:
    contact = desk["contact"]
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        document = export_contact(lead, contact.workspace, contact.pk)
    assert list(document) == [
        "format",
        "exported_at",
        "workspace",
        "contact",
        "handles",
        "conversations",
        "raw_events",
        "audit",
        "counts",
    ]
    assert document["format"] == "socialdesk.contact-export/1"
    assert document["exported_at"] == "2026-11-21T09:00:00+00:00"
    assert document["contact"] == {
        "id": contact.pk,
        "display_name": "Name u1",
        "created_at": "2026-11-20T09:00:00+00:00",
        "erased_at": None,
        "merged_contacts": [],
    }
    assert document["handles"] == [{"network": "x", "network_user_id": "u1", "handle": "h_u1"}]
    assert document["counts"] == {
        "handles": 1,
        "conversations": 2,
        "messages": 2,
        "notes": 1,
        "activity": 1,
        "raw_events": 2,
        "ratings": 1,
    }
    first, second = document["conversations"]
    assert list(first) == [
        "id",
        "network",
        "channel",
        "private",
        "status",
        "priority",
        "subject",
        "created_at",
        "first_inbound_at",
        "last_message_at",
        "resolved_at",
        "assignee",
        "team",
        "tags",
        "triage",
        "csat",
        "messages",
        "notes",
        "activity",
    ]
    assert [m["text"] for m in first["messages"] + second["messages"]] == [FIRST, SECOND]
    assert first["messages"][0]["triage"]["personal_data"] == ["address"]
    assert first["tags"] == ["router"]
    assert first["notes"] == [{"by": "alice", "at": "2026-11-20T09:00:00+00:00", "text": NOTE}]
    assert first["activity"] == [
        {"action": "tagged", "detail": "router", "by": "alice", "at": "2026-11-20T09:00:00+00:00"}
    ]
    assert first["csat"] == {
        "asked_at": "2026-11-20T09:00:00+00:00",
        "answered_at": "2026-11-20T10:00:00+00:00",
        "score": 4,
        "comment": "quick and kind",
    }
    assert [(r["event_id"], r["payload"]["text"]) for r in document["raw_events"]] == [
        ("e1", FIRST),
        ("e2", SECOND),
    ]
    # The export is itself audited, and listed in the document it produced.
    assert document["audit"] == [
        {"action": "export", "by": "lena", "at": "2026-11-21T09:00:00+00:00", "counts": {}}
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.contact_id, entry.created_at) == (
        "export",
        lead.pk,
        contact.pk,
        T0 + timedelta(days=1),
    )
    # Nothing of the other customer.
    assert "Lisbon" not in json.dumps(document) and "u2" not in json.dumps(document)


def test_an_agent_cannot_export_or_erase_and_nothing_happens(desk: dict[str, Any], agent: User) -> None:
    contact = desk["contact"]
    before = _state()
    for action in (export_contact, erase_contact):
        with pytest.raises(DeskError) as refused:
            action(agent, contact.workspace, contact.pk)
        assert refused.value.status == 403
    assert _state() == before


def test_a_lead_cannot_erase(desk: dict[str, Any], lead: User) -> None:
    contact = desk["contact"]
    before = _state()
    with pytest.raises(DeskError) as refused:
        erase_contact(lead, contact.workspace, contact.pk)
    assert (refused.value.status, str(refused.value)) == (403, "only an admin erases a contact")
    assert _state() == before


def test_another_workspace_is_told_the_contact_does_not_exist(
    desk: dict[str, Any], other_workspace: Any
) -> None:
    stranger = create_user("gus", "globex admin passphrase")
    add_member(other_workspace, stranger, Role.ADMIN)
    contact = desk["contact"]
    before = _state()
    for action in (export_contact, erase_contact):
        with pytest.raises(DeskError) as refused:  # their own workspace, our contact's id
            action(stranger, other_workspace, contact.pk)
        assert refused.value.status == 404
        with pytest.raises(DeskError) as refused:  # our workspace
            action(stranger, contact.workspace, contact.pk)
        assert refused.value.status == 404
    assert _state() == before


def test_an_admin_erases_a_contact_for_good(desk: dict[str, Any], admin: User) -> None:
    contact, channel = desk["contact"], desk["channel"]
    facts_before = sorted(Fact.objects.values_list("kind", "key"))
    assert {row["conversation_id"] for row in search_conversations("router")} == {desk["first"].pk}
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        done = erase_contact(admin, contact.workspace, contact.pk)
    assert done == {
        "contact_id": contact.pk,
        "pseudonym": f"erased-contact-{contact.pk}",
        "counts": {
            "conversations": 2,
            "messages": 2,
            "raw_payloads": 2,
            "notes": 1,
            "handles": 1,
            "merged_contacts": 0,
        },
    }
    mine = Message.objects.filter(conversation__contact=contact)
    assert (
        sorted(mine.values_list("text", "author_handle", "url", "masked_text"))
        == [("[erased]", f"erased-contact-{contact.pk}", "", None)] * 2
    )
    assert not mine.filter(network_message_id__in=["a", "b"]).exists()
    stored = json.dumps(list(RawEvent.objects.values_list("payload", flat=True)))
    notes = list(Note.objects.values_list("text", flat=True))
    for words in ("Calle Mayor", "612 345 678", "h_u1", "Name u1", NOTE):
        assert words not in stored and words not in notes
    assert list(RawEvent.objects.order_by("pk").values_list("event_id", "payload")) == [
        ("e1", {}),
        ("e2", {}),
        ("e3", post("z", OTHER, author="u2", minutes=6)),
    ]
    # Search forgets the words; the other customer's post is still found.
    assert list(search_conversations("router")) == [] and list(search_conversations("612")) == []
    assert len(list(search_conversations("Lisbon"))) == 1
    contact.refresh_from_db()
    assert (contact.display_name, contact.erased_at) == (
        f"erased-contact-{contact.pk}",
        T0 + timedelta(days=2),
    )
    assert not ContactHandle.objects.filter(contact=contact).exists()
    conversations = Conversation.objects.filter(contact=contact).order_by("pk")
    assert [(c.subject, c.status, c.thread_key) for c in conversations] == [
        ("[erased]", Status.CLOSED, f"erased:{c.pk}") for c in conversations
    ]
    # Numbers stay: facts, the rating's score (not its comment), the labels.
    assert sorted(Fact.objects.values_list("kind", "key")) == facts_before
    assert list(CsatSurvey.objects.values_list("score", "comment")) == [(4, "")]
    assert sorted(mine.values_list("intent", flat=True)) == ["complaint", "complaint"]
    entry = AuditEntry.objects.get(action="erase")
    assert (entry.actor_name, entry.contact_id, entry.created_at, entry.counts) == (
        "ada",
        contact.pk,
        T0 + timedelta(days=2),
        done["counts"],
    )
    assert Message.objects.get(network_message_id="z").text == OTHER
    # Once is enough: a second erasure is refused and records nothing.
    with pytest.raises(DeskError) as again:
        erase_contact(admin, contact.workspace, contact.pk)
    assert again.value.status == 409
    assert AuditEntry.objects.filter(action="erase").count() == 1
    # Exporting an erased contact shows what is left: no text, no handle, no payload.
    document = export_contact(admin, contact.workspace, contact.pk)
    assert document["handles"] == [] and document["counts"]["messages"] == 2
    assert FIRST not in json.dumps(document) and "quick and kind" not in json.dumps(document)
    assert channel.pk  # the channel is untouched


def test_after_an_erasure_the_same_person_starts_afresh(desk: dict[str, Any], admin: User) -> None:
    contact, channel = desk["contact"], desk["channel"]
    erase_contact(admin, contact.workspace, contact.pk)
    erased = set(Conversation.objects.filter(contact=contact).values_list("pk", flat=True))
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        # The erased post delivered again (a poll overlapping the webhook): recognised, not restored.
        receive_event(channel, "e1-again", post("a", FIRST, author="u1"))
        # A reply to an erased post and a new post from the same network user.
        receive_event(
            channel, "e4", post("c", "@NimbusMobile any news?", author="u1", reply_to="b", minutes=60)
        )
        receive_event(channel, "e5", post("d", "@NimbusMobile hello again", author="u1", minutes=61))
    assert not Message.objects.filter(text=FIRST).exists()
    new = Message.objects.filter(network_message_id__in=["c", "d"])
    assert new.count() == 2
    assert not {m.conversation_id for m in new} & erased
    fresh = Contact.objects.get(handles__network_user_id="u1")
    assert fresh.pk != contact.pk and fresh.display_name == "Name u1"
    assert set(new.values_list("contact_id", flat=True)) == {fresh.pk}
    assert Conversation.objects.filter(contact=contact).count() == 2
