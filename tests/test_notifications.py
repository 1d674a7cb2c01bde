"""Notifications: one event fans out to the members who want its kind (their own choice, else their
role's default), in the desk; the desk's own events (legal escalations, held replies, SLA warnings and
breaches, incidents) raise them; the centre reads, marks read and counts only the user's own."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.models import Conversation, Message
from socialdesk.errors import DeskError
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.notifications.centre import (
    choices_for,
    inbox_of,
    mark_all_read,
    mark_read,
    reset_choices,
    set_choice,
    unread_count,
)
from socialdesk.notifications.models import Delivery, Kind, Medium, Notification
from socialdesk.notifications.notify import notify
from socialdesk.policy.actions import save_policy
from socialdesk.policy.timers import policy_tick
from socialdesk.replies.actions import send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
THREAT = "@NimbusMobile refund the double charge or my lawyer files a claim"


@pytest.fixture
def team(workspace: Any, agent: User, lead: User) -> dict[str, User]:
    """alice (agent), lena (lead), lucia (legal), adam (admin)."""
    legal = create_user("lucia", "legal passphrase here", email="lucia@acme.test")
    admin = create_user("adam", "admin passphrase here")
    add_member(workspace, legal, Role.LEGAL)
    add_member(workspace, admin, Role.ADMIN)
    return {"alice": agent, "lena": lead, "lucia": legal, "adam": admin}


@pytest.fixture
def conversation(x_channel: Any, agent: User) -> Conversation:
    receive_event(x_channel, "e1", post("a", "@NimbusMobile my bill is wrong"))
    found = Message.objects.get(network_message_id="a").conversation
    Conversation.objects.filter(pk=found.pk).update(assignee=agent)
    found.refresh_from_db()
    return found


def _told(notification: Notification | None, medium: str = Medium.IN_APP) -> list[str]:
    assert notification is not None
    rows = Delivery.objects.filter(notification=notification, medium=medium).order_by("user__username")
    return list(rows.values_list("user__username", flat=True))


def test_each_kind_reaches_its_default_audience(
    workspace: Any, team: dict[str, User], conversation: Conversation
) -> None:
    # Given alice is assigned the conversation; when each kind is raised about it
    def told(kind: str, about: Conversation | None = conversation) -> list[str]:
        return _told(notify(workspace, kind, f"a {kind}", conversation=about, at=T0))

    # Then each reaches the members whose role acts on it
    assert told(Kind.LEGAL_ESCALATION) == ["lucia"]
    assert told(Kind.ESCALATION) == ["lena"]
    assert told(Kind.APPROVAL_WAITING) == ["adam", "lena", "lucia"]
    assert told(Kind.SLA_WARNING) == ["alice"]  # the assignee's to act on
    assert told(Kind.SLA_BREACH) == ["adam", "alice", "lena"]
    assert told(Kind.INCIDENT_OPENED, None) == ["adam", "lena"]
    assert told(Kind.SPIKE, None) == ["adam", "lena"]
    # and a warning about nobody's conversation goes to the leads
    Conversation.objects.filter(pk=conversation.pk).update(assignee=None)
    conversation.refresh_from_db()
    assert told(Kind.SLA_WARNING) == ["adam", "lena"]


def test_a_notification_is_one_event_with_its_link_and_one_delivery_per_member(
    workspace: Any, team: dict[str, User], conversation: Conversation
) -> None:
    made = notify(workspace, "spike", "  40 posts   about  roaming\nin 10 minutes ", at=T0)
    assert made is not None
    assert (made.kind, made.text, made.link, made.created_at) == (
        "spike",
        "40 posts about roaming in 10 minutes",
        "",
        T0,
    )
    about = notify(workspace, "sla_breach", "missed", conversation=conversation, at=T0)
    assert about is not None and about.link == f"/c/{conversation.pk}/"
    rows = Delivery.objects.filter(notification=made).order_by("user__username")
    assert list(rows.values_list("user__username", "medium", "status", "sent_at", "read_at")) == [
        ("adam", "in_app", "sent", T0, None),
        ("lena", "in_app", "sent", T0, None),
    ]
    with pytest.raises(ValueError, match="'sale'"):
        notify(workspace, "sale", "no such kind")


def test_members_choose_what_they_get_and_a_named_audience_replaces_the_default(
    workspace: Any, team: dict[str, User], conversation: Conversation
) -> None:
    # Given alice wants spikes, lena does not, adam goes back to his defaults after opting out
    set_choice(team["alice"], workspace, "spike", in_app=True, email=False)
    set_choice(team["lena"], workspace, "spike", in_app=False, email=False)
    set_choice(team["adam"], workspace, "spike", in_app=False, email=False)
    reset_choices(team["adam"], workspace)
    # Then a spike reaches alice and adam, not lena
    assert _told(notify(workspace, "spike", "spike", at=T0)) == ["adam", "alice"]
    # An escalation rule naming the agents reaches them instead of the leads
    assert _told(notify(workspace, "escalation", "x", roles=["agent"], at=T0)) == ["alice"]
    # and a member's own action is not announced to them
    waiting = notify(workspace, "approval_waiting", "held", except_user=team["lena"], at=T0)
    assert _told(waiting) == ["adam", "lucia"]
    # The preferences page reads what each gets now, and whether it is their choice
    lena = {
        c.kind: (c.choice.in_app, c.choice.email, c.choice.chosen)
        for c in choices_for(team["lena"], workspace)
    }
    assert lena == {
        "legal_escalation": (False, False, False),
        "escalation": (True, False, False),
        "approval_waiting": (True, False, False),
        "sla_warning": (False, False, False),
        "sla_breach": (True, True, False),
        "incident_opened": (True, True, False),
        "spike": (False, False, True),
    }
    with pytest.raises(DeskError, match="unknown notification kind 'sale'"):
        set_choice(team["lena"], workspace, "sale", in_app=True, email=True)


def test_the_same_key_is_told_once(workspace: Any, team: dict[str, User]) -> None:
    first = notify(workspace, "incident_opened", "Incident opened", key="incident_opened:7", at=T0)
    again = notify(workspace, "incident_opened", "Incident opened", key="incident_opened:7", at=T0)
    assert first is not None and again is None
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2


def test_the_centre_counts_reads_and_keeps_to_the_users_own(
    workspace: Any, other_workspace: Any, team: dict[str, User]
) -> None:
    lena = team["lena"]
    for minute in range(3):
        notify(workspace, "spike", f"spike {minute}", at=T0 + timedelta(minutes=minute))
    # A brand lena does not work for tells its own leads only
    outsider = create_user("olga", "other lead passphrase")
    add_member(other_workspace, outsider, Role.LEAD)
    notify(other_workspace, "spike", "globex spike", at=T0)
    assert [d.notification.text for d in inbox_of(lena)] == ["spike 2", "spike 1", "spike 0"]
    assert unread_count(lena) == 3
    newest = inbox_of(lena)[0]
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert mark_read(lena, newest.pk).read_at == T0 + timedelta(hours=1)
    assert unread_count(lena) == 2
    assert mark_read(lena, newest.pk, read=False).read_at is None
    assert unread_count(lena) == 3
    # Another's notification is not found, and nothing changes
    olgas = Delivery.objects.get(user=outsider)
    with pytest.raises(DeskError, match="not found") as refused:
        mark_read(lena, olgas.pk)
    assert refused.value.status == 404
    assert Delivery.objects.get(pk=olgas.pk).read_at is None
    assert mark_all_read(lena) == 3
    assert unread_count(lena) == 0
    assert unread_count(outsider) == 1


def test_the_desks_own_events_raise_notifications(
    workspace: Any, team: dict[str, User], x_channel: Any
) -> None:
    save_policy(workspace, TELECOM)
    # A legal threat: the rule names legal and leads
    receive_event(x_channel, "t", post("t", THREAT, author="ana"))
    threat = Message.objects.get(network_message_id="t").conversation
    legal = Notification.objects.get(kind="legal_escalation")
    assert (legal.text, legal.conversation_id, legal.created_at) == (
        f"Escalated (Legal threats go to legal): conversation #{threat.pk}",
        threat.pk,
        T0,
    )
    assert _told(legal) == ["lena", "lucia"]
    # alice's reply is held for approval: the approvers hear of it, alice does not
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        send_reply(threat, team["alice"], "Ana, we're checking the double charge now. ^AL")
    waiting = Notification.objects.get(kind="approval_waiting")
    assert waiting.text == (
        f"A reply by alice in conversation #{threat.pk} waits for approval "
        "(escalated: Legal threats go to legal)"
    )
    assert (waiting.link, _told(waiting)) == ("/approvals/", ["adam", "lena", "lucia"])


def test_sla_warning_then_breach_are_told_once_each(
    workspace: Any, team: dict[str, User], x_channel: Any
) -> None:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "q", post("q", "@NimbusMobile how do I activate roaming?"))
    question = Message.objects.get(network_message_id="q").conversation
    due = question.first_response_due_at
    assert due is not None
    warn_at = due - timedelta(minutes=1)
    policy_tick(warn_at)
    warning = Notification.objects.get(kind="sla_warning")
    assert warning.text.startswith(f"Conversation #{question.pk}: first response due ")
    assert (warning.created_at, _told(warning)) == (warn_at, ["adam", "lena"])  # nobody assigned
    assert policy_tick(due - timedelta(seconds=1))["sla_breaches"] == 0
    assert policy_tick(due)["sla_breaches"] == 1
    assert policy_tick(due + timedelta(minutes=1))["sla_breaches"] == 0  # told once
    breach = Notification.objects.get(kind="sla_breach")
    assert breach.text.startswith(f"Conversation #{question.pk}: first response target missed (due ")
    assert (breach.created_at, breach.conversation_id, _told(breach)) == (due, question.pk, ["adam", "lena"])


def test_an_opened_incident_is_told_to_the_leads(
    workspace: Any, team: dict[str, User], x_channel: Any
) -> None:
    # The crisis rule's incident (burst detection, which would open one at the fifth post, is kept out
    # of the way; tests/test_incident_detection.py checks that it tells the leads too)
    save_policy(
        workspace,
        TELECOM.replace("  min_conversations: 12\n", "  min_conversations: 12\n  min_similar_posts: 1000\n"),
    )
    for i in range(12):
        receive_event(
            x_channel,
            f"e{i}",
            post(f"o{i}", "@NimbusMobile no signal, my calls keep dropping", author=f"u{i}", minutes=i * 4),
        )
    incident = Incident.objects.get()
    told = Notification.objects.get(kind="incident_opened")
    assert (told.text, told.incident_id, told.link, told.created_at) == (
        "Many negative posts about Line problem",
        incident.pk,
        f"/incidents/{incident.pk}/",
        T0 + timedelta(minutes=44),
    )
    assert _told(told) == ["adam", "lena"]
    # One more negative post joins it: the crisis escalation is not announced per conversation
    receive_event(
        x_channel, "e12", post("o12", "@NimbusMobile still no signal here", author="u12", minutes=50)
    )
    assert Conversation.objects.filter(incident=incident).count() == 13
    assert list(Notification.objects.values_list("kind", flat=True)) == ["incident_opened"]
