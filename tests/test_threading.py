"""Threading rules: reply chains, DMs per contact, comment threads, closed vs resolved."""

from typing import Any

import pytest

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.actions import merge_contacts
from socialdesk.conversations.models import Contact, Conversation, Message, Status
from socialdesk.errors import DeskError
from socialdesk.ingest.actions import receive_event
from tests.helpers import post


def _conv(message_id: str) -> int:
    return Message.objects.get(network_message_id=message_id).conversation_id


def test_reply_chain_stays_in_one_conversation(x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", "my line is dead", author="u1"))
    receive_event(x_channel, "2", post("b", "still dead", author="u1", minutes=5, kind="reply", reply_to="a"))
    receive_event(x_channel, "3", post("c", "same here", author="u2", minutes=6, kind="reply", reply_to="b"))
    assert _conv("a") == _conv("b") == _conv("c")
    conversation = Conversation.objects.get()
    assert conversation.message_count == 3
    assert conversation.contact.display_name == "Name u1"
    assert conversation.subject == "my line is dead"


def test_separate_mentions_are_separate_conversations(x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", "question one", author="u1"))
    receive_event(x_channel, "2", post("b", "question two", author="u1", minutes=1))
    assert _conv("a") != _conv("b")


def test_dms_from_one_contact_share_a_conversation_and_others_do_not(x_channel: Any) -> None:
    receive_event(x_channel, "1", post("d1", "hi", author="u1", kind="dm"))
    receive_event(x_channel, "2", post("d2", "about my bill", author="u1", kind="dm", minutes=3))
    receive_event(x_channel, "3", post("d3", "hello", author="u2", kind="dm", minutes=4))
    assert _conv("d1") == _conv("d2") != _conv("d3")
    assert Conversation.objects.get(pk=_conv("d1")).is_private is True


def test_comments_whose_parent_we_never_saw_group_by_thread_root(x_channel: Any) -> None:
    receive_event(
        x_channel, "1", post("c1", "reply 1", author="u1", kind="comment", reply_to="p9", thread="c0")
    )
    receive_event(
        x_channel, "2", post("c2", "reply 2", author="u2", kind="comment", reply_to="c1x", thread="c0")
    )
    receive_event(x_channel, "3", post("c3", "top-level", author="u3", kind="comment", thread=None))
    assert _conv("c1") == _conv("c2")
    assert _conv("c3") != _conv("c1")
    assert Conversation.objects.get(pk=_conv("c1")).thread_key == "root:c0"


def test_resolved_conversation_reopens_and_closed_one_does_not(x_channel: Any) -> None:
    receive_event(x_channel, "1", post("d1", "hi", author="u1", kind="dm"))
    first = Conversation.objects.get()
    first.status = Status.RESOLVED
    first.save()
    receive_event(x_channel, "2", post("d2", "one more thing", author="u1", kind="dm", minutes=10))
    first.refresh_from_db()
    assert (first.status, first.message_count, first.resolved_at) == (Status.OPEN, 2, None)

    Conversation.objects.filter(pk=first.pk).update(status=Status.CLOSED)
    receive_event(x_channel, "3", post("d3", "new problem", author="u1", kind="dm", minutes=20))
    assert _conv("d3") != first.pk
    assert Conversation.objects.filter(status=Status.NEW).count() == 1


def test_late_delivery_does_not_move_last_message_time_backwards(x_channel: Any) -> None:
    receive_event(x_channel, "2", post("b", "second", author="u1", minutes=30, kind="dm"))
    receive_event(x_channel, "1", post("a", "first", author="u1", minutes=0, kind="dm"))
    conversation = Conversation.objects.get()
    assert conversation.last_inbound_at.isoformat() == "2026-11-20T09:30:00+00:00"
    assert [m.network_message_id for m in conversation.messages.order_by("sent_at")] == ["a", "b"]


def test_same_user_on_two_networks_is_two_handles_until_merged(workspace: Any) -> None:
    x = sandbox_channel(workspace, "x")
    fb = sandbox_channel(workspace, "facebook")
    receive_event(x, "1", post("a", "hi from x", author="same-id", network="x"))
    receive_event(fb, "2", post("b", "hi from fb", author="fb-77", network="facebook", kind="comment"))
    assert Contact.objects.count() == 2
    survivor = Message.objects.get(network_message_id="a").contact
    duplicate = Message.objects.get(network_message_id="b").contact
    assert survivor is not None and duplicate is not None
    merge_contacts(survivor, duplicate)
    assert sorted(survivor.handles.values_list("network", "network_user_id")) == [
        ("facebook", "fb-77"),
        ("x", "same-id"),
    ]
    assert Conversation.objects.filter(contact=survivor).count() == 2
    receive_event(fb, "3", post("c", "again", author="fb-77", network="facebook", kind="comment", minutes=9))
    assert Message.objects.get(network_message_id="c").contact == survivor


def test_merge_across_workspaces_is_refused(workspace: Any, other_workspace: Any) -> None:
    a = Contact.objects.create(workspace=workspace, display_name="A")
    b = Contact.objects.create(workspace=other_workspace, display_name="B")
    with pytest.raises(DeskError, match="different workspaces"):
        merge_contacts(a, b)
    assert Contact.objects.get(pk=b.pk).merged_into is None
