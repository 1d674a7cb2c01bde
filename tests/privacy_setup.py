"""Two customers' history for the privacy tests: u1 with two conversations (a note, a tag and a rating
on the first), u2 with one; and an admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.actions import add_note, tag_conversation
from socialdesk.conversations.models import Contact, Conversation
from socialdesk.ingest.actions import receive_event
from socialdesk.reports.models import CsatSurvey
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

FIRST = "@NimbusMobile my router at Calle Mayor 5 keeps dropping"
SECOND = "@NimbusMobile still no internet, call me on 612 345 678"
OTHER = "@NimbusMobile roaming does not work in Lisbon"
NOTE = "customer says the landline works"


def make_admin(workspace: Any) -> User:
    user = create_user("ada", "admin passphrase here")
    add_member(workspace, user, Role.ADMIN)
    return user


def make_desk(x_channel: Any, agent: User) -> dict[str, Any]:
    """{"contact": u1's contact, "first": their first conversation, "channel"}."""
    with time_machine.travel(T0, tick=False):
        receive_event(x_channel, "e1", post("a", FIRST, author="u1"))
        receive_event(x_channel, "e2", post("b", SECOND, author="u1", minutes=5))
        receive_event(x_channel, "e3", post("z", OTHER, author="u2", minutes=6))
        first = Conversation.objects.get(messages__network_message_id="a")
        add_note(first, agent, NOTE)
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
    return {"contact": contact, "first": first, "channel": x_channel}
