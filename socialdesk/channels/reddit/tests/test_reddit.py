"""Reddit end to end against a local fake of reddit.com: the inbox polled in (mentions, private
messages), replies and private messages out through praw (private only with the person's consent),
moderator removals, Reddit's RATELIMIT and refusals through the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.channels.reddit.poller import poll_inbox
from socialdesk.channels.reddit.tests.fake_reddit import FakeReddit
from socialdesk.channels.testing import brand_channel
from socialdesk.conversations.models import DeliveryStatus, Message
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.outbox.queue import queue_outbound
from socialdesk.replies.actions import ReplyRejected, send_reply

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def site() -> Iterator[FakeReddit]:
    server = FakeReddit("app-id", "app-secret", "NimbusMobile", "reddit-pass")
    server.inbox = json.loads((FIXTURES / "inbox__mention_and_message.json").read_text(encoding="utf-8"))
    yield from server.running()


@pytest.fixture
def channel(workspace: Any, site: FakeReddit) -> Channel:
    app = {
        "client_id": "app-id",
        "client_secret": "app-secret",
        "username": "NimbusMobile",
        "password": "reddit-pass",
    }
    return brand_channel(workspace, "reddit", "u/NimbusMobile", app, api_base=site.url)


def test_the_inbox_is_polled_once(channel: Channel, site: FakeReddit) -> None:
    assert poll_inbox(channel) == 2
    assert channel.config["last_inbox_name"] == "t4_2fk3a1"
    assert poll_inbox(channel) == 0
    mention = Message.objects.get(network_message_id="t1_kx7q2z")
    assert (mention.kind, mention.is_private, mention.author_handle, mention.in_reply_to) == (
        "mention",
        False,
        "madrid_dev",
        "t1_kx7q2z",
    )
    assert mention.text == "u/NimbusMobile no data since 8am in Chamberí, any ETA?"
    assert (
        mention.url
        == "https://www.reddit.com/r/NimbusMobile/comments/post1/network_down_in_madrid/kx7q2z/?context=3"
    )
    assert mention.sent_at == datetime(2026, 11, 20, 9, 10, tzinfo=UTC)
    pm = Message.objects.get(network_message_id="t4_2fk3a1")
    assert (pm.kind, pm.is_private, pm.text) == (
        "dm",
        True,
        "eSIM from the EU shop\n\nHi, I bought an eSIM in the EU shop and it never arrived by email.",
    )


def test_reply_in_public_and_private_only_with_consent(
    channel: Channel, agent: Any, site: FakeReddit
) -> None:
    poll_inbox(channel)
    mention = Message.objects.get(network_message_id="t1_kx7q2z").conversation
    reply = send_reply(mention, agent, "We see an outage in Chamberí; ETA 11:00.")
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id) == (
        DeliveryStatus.SENT,
        site.comments[0]["name"],
    )
    assert (site.comments[0]["parent_id"], site.comments[0]["body"]) == (
        "t1_kx7q2z",
        "We see an outage in Chamberí; ETA 11:00.",
    )
    # madrid_dev never wrote to us privately: no private message without consent, refused before
    # anything is queued ...
    items = OutboxItem.objects.count()
    with pytest.raises(ReplyRejected, match=r"^Reddit: this person has not written to us privately"):
        send_reply(mention, agent, "Could you send us your line number?", is_private=True)
    assert (OutboxItem.objects.count(), site.sent) == (items, [])
    # ... and by the sender too, by the same rule, if one was queued anyway.
    refused = queue_outbound(mention, "Could you send us your line number?", is_private=True, author=agent)
    refused.refresh_from_db()
    assert refused.delivery_status == DeliveryStatus.FAILED
    assert refused.delivery_error.startswith("Reddit: this person has not written to us privately")
    assert site.sent == []
    # porto_tech did: the answer goes into their private thread.
    pm = Message.objects.get(network_message_id="t4_2fk3a1").conversation
    answer = send_reply(pm, agent, "Sorry! We re-sent the eSIM QR code to your email.")
    answer.refresh_from_db()
    assert answer.delivery_status == DeliveryStatus.SENT
    assert site.comments[0]["parent_id"] == "t4_2fk3a1"


def test_moderator_removal_and_a_subreddit_we_do_not_moderate(
    workspace: Any, channel: Channel, site: FakeReddit, lead: Any, telecom_policy: Any
) -> None:
    from socialdesk.moderation.actions import moderate

    poll_inbox(channel)
    mention = Message.objects.get(network_message_id="t1_kx7q2z")
    moderate(mention, "hide", "spam", lead)
    assert site.removed == [("t1_kx7q2z", False)]
    site.moderated = set()
    mention.refresh_from_db()
    Message.objects.filter(pk=mention.pk).update(hidden=False)
    mention.refresh_from_db()
    moderate(mention, "hide", "spam", lead)
    item = OutboxItem.objects.filter(kind="hide").order_by("-pk").first()
    assert item is not None
    assert (item.status, item.last_error) == ("failed", "Reddit answered 403")
    mention.refresh_from_db()
    assert mention.hidden is False  # undone in the desk: Reddit did not remove it


def test_ratelimit_waits_the_minutes_reddit_names(channel: Channel, agent: Any, site: FakeReddit) -> None:
    poll_inbox(channel)
    mention = Message.objects.get(network_message_id="t1_kx7q2z").conversation
    site.fail_next(
        "/api/comment",
        "RATELIMIT",
        "Looks like you've been doing that a lot. Take a break for 4 minutes before trying again.",
        "ratelimit",
    )
    reply = send_reply(mention, agent, "Checking.")
    item = OutboxItem.objects.get(message=reply)
    assert item.status == "pending"
    assert item.last_error.startswith("Reddit answered RATELIMIT: Looks like you've been doing that a lot.")
    assert timedelta(minutes=3, seconds=55) < item.next_attempt_at - timezone.now() <= timedelta(minutes=4)
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    assert len(site.comments) == 1


def test_a_reply_reddit_already_has_is_recorded_not_sent_again(
    channel: Channel, agent: Any, site: FakeReddit
) -> None:
    poll_inbox(channel)
    reply = send_reply(Message.objects.get(network_message_id="t1_kx7q2z").conversation, agent, "Checking.")
    OutboxItem.objects.filter(message=reply).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued", network_message_id=None)
    result = outbox_tick(timezone.now() + timedelta(minutes=3))
    assert (result.recovered, result.sent) == (1, 0)
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id, len(site.comments)) == (
        DeliveryStatus.SENT,
        site.comments[0]["name"],
        1,
    )


def test_a_wrong_password_fails_permanently(channel: Channel, agent: Any, site: FakeReddit) -> None:
    poll_inbox(channel)
    channel.credentials = {**channel.credentials, "password": "changed"}
    channel.save()
    reply = send_reply(Message.objects.get(network_message_id="t1_kx7q2z").conversation, agent, "Checking.")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert reply.delivery_error == "Reddit refused the login: invalid_grant error processing request"
