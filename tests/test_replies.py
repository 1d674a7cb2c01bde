"""Replies to the sandbox are stored, visible, sent once, and threads continue through them."""

from typing import Any

import pytest

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message, Status
from socialdesk.errors import DeskError
from socialdesk.ingest.actions import receive_event
from socialdesk.replies.actions import deliver_message, send_reply
from tests.helpers import post


def test_reply_is_delivered_once_and_starts_the_response_clock(x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", "my line is dead", author="u1"))
    conversation = Conversation.objects.get()
    reply = send_reply(conversation, agent, "Sorry to hear that, checking now.")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.network_message_id == f"sbx-out-msg-{reply.pk}"
    assert reply.in_reply_to == "a"
    delivery = SandboxDelivery.objects.get()
    assert (delivery.text, delivery.in_reply_to, delivery.recipient) == (
        "Sorry to hear that, checking now.",
        "a",
        "Name u1",
    )
    # A retried task (e.g. after a crash) sends nothing new.
    assert deliver_message(reply.pk) == DeliveryStatus.SENT
    Message.objects.filter(pk=reply.pk).update(delivery_status=DeliveryStatus.QUEUED)
    deliver_message(reply.pk)
    assert SandboxDelivery.objects.count() == 1
    conversation.refresh_from_db()
    assert conversation.first_response_at is not None
    assert conversation.status == Status.OPEN


def test_customer_answer_to_our_reply_joins_the_conversation(x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", "my line is dead", author="u1"))
    conversation = Conversation.objects.get()
    reply = send_reply(conversation, agent, "Can you DM us?")
    reply.refresh_from_db()
    receive_event(
        x_channel,
        "2",
        post("b", "done", author="u1", minutes=5, kind="reply", reply_to=reply.network_message_id),
    )
    assert Message.objects.get(network_message_id="b").conversation_id == conversation.pk
    assert Conversation.objects.count() == 1


def test_empty_reply_is_refused(x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a"))
    with pytest.raises(DeskError, match="needs text"):
        send_reply(Conversation.objects.get(), agent, "   ")
    assert SandboxDelivery.objects.count() == 0
