"""Mastodon end to end against a local instance: mentions and direct messages polled in, replies
and direct messages out through Mastodon.py with the person's @mention, the Idempotency-Key making a
resend after a crash the same status, rate limits and refusals through the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from socialdesk.channels.mastodon.poller import poll_mentions
from socialdesk.channels.mastodon.tests.fake_instance import FakeInstance
from socialdesk.channels.models import Channel
from socialdesk.channels.testing import brand_channel
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.replies.actions import send_reply

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def instance() -> Iterator[FakeInstance]:
    server = FakeInstance("masto-token")
    for name in ("notification__mention", "notification__direct", "notification__favourite"):
        server.notifications.append(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))
    yield from server.running()


@pytest.fixture
def channel(workspace: Any, instance: FakeInstance) -> Channel:
    account = {"instance": instance.url, "account_id": "109000000000000001"}
    return brand_channel(
        workspace, "mastodon", "@NimbusMobile@mastodon.social", {"access_token": "masto-token"}, **account
    )


def test_mentions_and_direct_messages_are_polled_once(channel: Channel, instance: FakeInstance) -> None:
    assert poll_mentions(channel) == 2  # the favourite is not asked for
    assert channel.config["last_notification_id"] == "34975870"
    assert poll_mentions(channel) == 0
    assert instance.requests[-1] == ("GET", "/api/v1/notifications")
    public, direct = Message.objects.order_by("sent_at")
    assert (public.kind, public.is_private, public.author_handle, public.network_message_id) == (
        "mention",
        False,
        "tomas@fosstodon.org",
        "113500000000000001",
    )
    assert public.text == "@NimbusMobile is eSIM activation broken? I've tried 3 times\nerror code E42"
    assert public.url == "https://fosstodon.org/@tomas/113500000000000001"
    assert public.sent_at == datetime(2026, 11, 20, 9, 20, tzinfo=UTC)
    assert (direct.kind, direct.is_private) == ("dm", True)
    assert public.conversation.contact_id == direct.conversation.contact_id  # one person


def test_a_reply_mentions_the_person_and_a_dm_is_direct(
    channel: Channel, agent: Any, instance: FakeInstance
) -> None:
    poll_mentions(channel)
    public = Message.objects.get(network_message_id="113500000000000001").conversation
    reply = send_reply(public, agent, "Sorry Tomás, E42 means the profile was used already; resetting it.")
    reply.refresh_from_db()
    status = instance.statuses[str(reply.network_message_id)]
    assert status["content"] == (
        "<p>@tomas@fosstodon.org Sorry Tomás, E42 means the profile was used already; resetting it.</p>"
    )
    assert (status["in_reply_to_id"], status["visibility"]) == ("113500000000000001", "public")
    direct = Message.objects.get(network_message_id="113500000000000050").conversation
    dm = send_reply(direct, agent, "@tomas@fosstodon.org thanks, checking that ICCID now.")
    dm.refresh_from_db()
    status = instance.statuses[str(dm.network_message_id)]
    assert status["visibility"] == "direct"
    assert (
        status["content"] == "<p>@tomas@fosstodon.org thanks, checking that ICCID now.</p>"
    )  # not mentioned twice
    assert instance.keys == {
        f"msg-{reply.pk}": reply.network_message_id,
        f"msg-{dm.pk}": dm.network_message_id,
    }


def test_a_resend_after_a_crash_is_the_same_status(
    channel: Channel, agent: Any, instance: FakeInstance
) -> None:
    poll_mentions(channel)
    conversation = Message.objects.get(network_message_id="113500000000000001").conversation
    reply = send_reply(conversation, agent, "Checking.")
    first = Message.objects.get(pk=reply.pk).network_message_id
    OutboxItem.objects.filter(message=reply).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued", network_message_id=None)
    result = outbox_tick(timezone.now() + timedelta(minutes=3))
    assert (result.recovered, result.sent) == (1, 1)
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id, len(instance.statuses)) == (
        DeliveryStatus.SENT,
        first,
        1,
    )


def test_rate_limit_and_refusal(channel: Channel, agent: Any, instance: FakeInstance) -> None:
    poll_mentions(channel)
    conversation = Message.objects.get(network_message_id="113500000000000001").conversation
    reset = datetime.now(tz=UTC) + timedelta(minutes=30)
    instance.fail_next("/api/v1/statuses", 429, "Too many requests",
                       {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.isoformat()})  # fmt: skip
    reply = send_reply(conversation, agent, "Checking.")
    item = OutboxItem.objects.get(message=reply)
    assert (item.status, item.last_error) == ("pending", "Mastodon answered: Hit rate limit.")
    assert abs((item.next_attempt_at - reset).total_seconds()) < 5
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    instance.fail_next("/api/v1/statuses", 422, "Validation failed: Text character limit of 500 exceeded")
    refused = send_reply(conversation, agent, "Another.")
    refused.refresh_from_db()
    assert (refused.delivery_status, refused.delivery_error) == (
        DeliveryStatus.FAILED,
        "Mastodon answered: 422 Unprocessable Entity Validation failed: Text character limit of 500 exceeded",
    )
    assert Conversation.objects.count() == 2


def test_moderation_is_refused_mastodon_has_none_for_others_posts(
    workspace: Any, channel: Channel, instance: FakeInstance, lead: Any, telecom_policy: Any
) -> None:
    from socialdesk.moderation.actions import ModerationRefused, moderate

    poll_mentions(channel)
    message = Message.objects.get(network_message_id="113500000000000001")
    with pytest.raises(ModerationRefused, match="mastodon does not let the brand hide messages"):
        moderate(message, "hide", "spam", lead)
    with pytest.raises(ModerationRefused, match="mastodon does not let the brand delete others' messages"):
        moderate(message, "delete", "spam", lead)
    assert OutboxItem.objects.count() == 0


def test_connecting_an_account_checks_the_token(workspace: Any, instance: FakeInstance) -> None:
    from socialdesk.channels.setup import SetupError, connect_channel

    with pytest.raises(SetupError, match="mastodon refused these credentials: Mastodon answered: 401"):
        connect_channel(workspace, "mastodon", {"instance": instance.url, "access_token": "stolen"})
    channel = connect_channel(
        workspace, "mastodon", {"instance": instance.url, "access_token": "masto-token"}
    )
    assert (channel.handle, channel.config) == (
        "@NimbusMobile",
        {"instance": instance.url, "account_id": "109000000000000001"},
    )
