"""A contact's data, as European desks are asked for it: exported whole as JSON by a lead or admin,
erased for good by an admin (texts, handles, raw payloads and search gone; audit, counts and report
numbers kept; a new post from the same person starts afresh), each export and erasure audited.
Refused paths change nothing. On SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.actions import add_note, tag_conversation
from socialdesk.conversations.models import Contact, Conversation
from socialdesk.ingest.actions import receive_event
from socialdesk.privacy.actions import export_contact
from socialdesk.reports.models import CsatSurvey
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

FIRST = "@NimbusMobile my router at Calle Mayor 5 keeps dropping"
SECOND = "@NimbusMobile still no internet, call me on 612 345 678"
OTHER = "@NimbusMobile roaming does not work in Lisbon"


@pytest.fixture
def admin(workspace: Any) -> User:
    user = create_user("ada", "admin passphrase here")
    add_member(workspace, user, Role.ADMIN)
    return user


@pytest.fixture
def desk(telecom_policy: Any, x_channel: Any, agent: User) -> dict[str, Any]:
    """Two conversations of u1 (a note, a tag and a rating on the first) and one of u2."""
    with time_machine.travel(T0, tick=False):
        receive_event(x_channel, "e1", post("a", FIRST, author="u1"))
        receive_event(x_channel, "e2", post("b", SECOND, author="u1", minutes=5))
        receive_event(x_channel, "e3", post("z", OTHER, author="u2", minutes=6))
        first = Conversation.objects.get(messages__network_message_id="a")
        add_note(first, agent, "customer says the landline works")
        tag_conversation(first, "router", agent)
    CsatSurvey.objects.create(
        workspace=first.workspace,
        conversation=first,
        decided_at=T0,
        asked_at=T0,
        answered_at=T0 + timedelta(hours=1),
        score=4,
        comment="quick and kind",
    )
    contact = Contact.objects.get(handles__network_user_id="u1")
    other = Contact.objects.get(handles__network_user_id="u2")
    return {"contact": contact, "other": other, "first": first, "channel": x_channel}


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
    print(document)
