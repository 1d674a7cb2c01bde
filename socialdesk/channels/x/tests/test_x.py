"""X end to end against a local fake of api.twitter.com: signed webhook deliveries in (CRC, forged,
replayed, oversized, malformed refused), replies and DMs out through tweepy, hidden replies,
rate limits and errors through the outbox, mention polling."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.channels.testing import brand_channel
from socialdesk.channels.x.poller import poll_mentions
from socialdesk.channels.x.tests.fake_server import FakeX
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.ingest.models import RawEvent
from socialdesk.moderation.actions import ModerationRefused, moderate
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.replies.actions import send_reply

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "x-consumer-secret"
TELECOM = (Path(__file__).parents[3] / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8")


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX("ck", SECRET, "at", "ats", brand_id="9001")
    server.users["4242"] = {
        "id": "4242",
        "name": "Ana García",
        "username": "anagarcia",
        "receives_your_dm": True,
    }
    yield from server.running()


@pytest.fixture
def channel(workspace: Any, fake: FakeX) -> Channel:
    keys = {
        "consumer_key": "ck",
        "consumer_secret": SECRET,
        "access_token": "at",
        "access_token_secret": "ats",
    }
    return brand_channel(workspace, "x", "@NimbusMobile", keys, user_id="9001", api_base=fake.url)


def _fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def _sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _deliver(channel: Channel, body: bytes, signature: str | None = None) -> tuple[int, dict[str, Any]]:
    response = Client().post(
        f"/hooks/x/{channel.pk}/",
        data=body,
        content_type="application/json",
        headers={"x-twitter-webhooks-signature": _sign(body) if signature is None else signature},
    )
    return response.status_code, response.json()


def test_crc_challenge_is_answered_with_the_hmac_of_the_token(channel: Channel) -> None:
    response = Client().get(f"/hooks/x/{channel.pk}/", {"crc_token": "challenge-1"})
    assert response.json() == {"response_token": "sha256=cptw904dfwxziAeU7fBlLV2VwcsPqed52+QnsbeUB3s="}
    assert Client().get(f"/hooks/x/{channel.pk}/").status_code == 400


def test_a_mention_becomes_a_conversation_and_our_own_echo_is_skipped(channel: Channel) -> None:
    assert _deliver(channel, _fixture("tweet_create__mention")) == (200, {"stored": 1, "events": 1})
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.is_private, message.author_handle) == (
        "1859000000000000001",
        "mention",
        False,
        "anagarcia",
    )
    assert message.text == "@NimbusMobile my calls keep dropping since this morning, what is going on?"
    assert message.url == "https://x.com/anagarcia/status/1859000000000000001"
    assert message.conversation.contact.display_name == "Ana García"
    assert message.sent_at.isoformat() == "2026-11-20T09:00:00+00:00"
    # X echoes the brand's own reply back: stored as an event, no customer message from it.
    assert _deliver(channel, _fixture("tweet_create__own_reply")) == (200, {"stored": 1, "events": 1})
    assert Message.objects.count() == 1
    # Likes and other activity: acknowledged, nothing stored.
    assert _deliver(channel, _fixture("favorite__ignored")) == (200, {"stored": 0, "events": 0})


def test_a_dm_becomes_a_private_conversation(channel: Channel) -> None:
    assert _deliver(channel, _fixture("direct_message__received"))[0] == 200
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.is_private) == (
        "dm:1859000000000000100",
        "dm",
        True,
    )
    assert message.conversation.is_private is True
    assert message.conversation.contact.display_name == "Ana García"


def test_forged_replayed_oversized_and_malformed_deliveries_are_refused(channel: Channel) -> None:
    body = _fixture("tweet_create__mention")
    assert _deliver(channel, body, signature=_sign(body, "not-the-secret")) == (
        401,
        {"error": "bad signature"},
    )
    assert _deliver(channel, body, signature="") == (401, {"error": "missing signature"})
    assert RawEvent.objects.count() == 0
    assert _deliver(channel, body)[0] == 200
    # The same signed body again: a replay.
    assert _deliver(channel, body) == (409, {"error": "this delivery was already received"})
    assert RawEvent.objects.count() == 1
    huge = b'{"for_user_id": "9001", "pad": "' + b"x" * 1_000_001 + b'"}'
    assert _deliver(channel, huge) == (413, {"error": "body over 1000000 bytes"})
    status, answer = _deliver(channel, b'{"for_user_id": "9001", "tweet_create_events": [')
    assert status == 400
    assert answer["error"].startswith("malformed JSON")
    status, answer = _deliver(channel, b'{"for_user_id": "9001", "tweet_create_events": [{"id_str": "1"}]}')
    assert status == 400
    assert answer["error"].startswith("not an X activity")
    assert _deliver(channel, b'{"for_user_id": "1", "tweet_create_events": []}') == (
        400,
        {"error": "delivery for another account"},
    )
    assert RawEvent.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_public_reply_goes_out_through_tweepy(channel: Channel, agent: Any, fake: FakeX) -> None:
    _deliver(channel, _fixture("tweet_create__mention"))
    reply = send_reply(Conversation.objects.get(), agent, "Sorry Ana, we are checking your area now.")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    [(tweet_id, tweet)] = fake.tweets.items()
    assert tweet["text"] == "Sorry Ana, we are checking your area now."
    assert tweet["referenced_tweets"] == [{"type": "replied_to", "id": "1859000000000000001"}]
    assert reply.network_message_id == tweet_id
    assert ("POST", "/2/tweets") in fake.requests


def test_a_dm_only_to_someone_who_accepts_them(channel: Channel, agent: Any, fake: FakeX) -> None:
    _deliver(channel, _fixture("direct_message__received"))
    conversation = Conversation.objects.get()
    dm = send_reply(conversation, agent, "Thanks Ana, we see the fault and are on it.")
    dm.refresh_from_db()
    assert dm.delivery_status == DeliveryStatus.SENT
    assert [(d["participant_id"], d["text"]) for d in fake.dms] == [
        ("4242", "Thanks Ana, we see the fault and are on it.")
    ]
    assert dm.network_message_id == "dm:" + fake.dms[0]["id"]
    # She closes her DMs: the next one is refused before anything is sent, and the agent is told why.
    fake.users["4242"]["receives_your_dm"] = False
    refused = send_reply(conversation, agent, "One more thing.")
    refused.refresh_from_db()
    assert refused.delivery_status == DeliveryStatus.FAILED
    assert refused.delivery_error.startswith("X: this person does not accept direct messages from the brand")
    assert len(fake.dms) == 1
    assert OutboxItem.objects.get(message=refused).status == "failed"


def test_hide_a_reply_and_deleting_is_refused(
    workspace: Any, channel: Channel, fake: FakeX, lead: Any, telecom_policy: Any
) -> None:

    _deliver(channel, _fixture("tweet_create__mention"))
    message = Message.objects.get()
    with pytest.raises(ModerationRefused, match="x does not let the brand delete others' messages"):
        moderate(message, "delete", "spam", lead)
    moderate(message, "hide", "spam", lead)
    assert fake.hidden == {"1859000000000000001"}
    assert OutboxItem.objects.get(kind="hide").status == "sent"


def test_rate_limit_waits_for_the_reset_then_sends_once(channel: Channel, agent: Any, fake: FakeX) -> None:
    _deliver(channel, _fixture("tweet_create__mention"))
    reset = int(time.time()) + 600
    fake.fail_next("/2/tweets", 429, "Too Many Requests", {"x-rate-limit-remaining": "0",
                                                          "x-rate-limit-reset": str(reset)})  # fmt: skip
    reply = send_reply(Conversation.objects.get(), agent, "Checking now.")
    item = OutboxItem.objects.get()
    assert (item.status, item.attempts, item.last_error) == (
        "pending",
        1,
        "X answered 429: Too Many Requests",
    )
    # Not before X's reset time (the backoff alone would retry after 5 seconds).
    assert abs(item.next_attempt_at.timestamp() - reset) < 5
    assert outbox_tick(timezone.now() + timedelta(seconds=30)).sent == 0
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    reply.refresh_from_db()
    assert (reply.delivery_status, len(fake.tweets)) == (DeliveryStatus.SENT, 1)


def test_server_errors_back_off_and_permanent_errors_fail_with_the_reason(
    channel: Channel, agent: Any, fake: FakeX
) -> None:
    _deliver(channel, _fixture("tweet_create__mention"))
    conversation = Conversation.objects.get()
    fake.fail_next("/2/tweets", 503, "Service Unavailable")
    send_reply(conversation, agent, "Checking now.")
    item = OutboxItem.objects.get()
    assert (item.status, item.last_error) == ("pending", "X answered 503: Service Unavailable")
    assert timedelta(seconds=4) < item.next_attempt_at - timezone.now() <= timedelta(seconds=5)
    assert outbox_tick(timezone.now() + timedelta(seconds=6)).sent == 1
    fake.fail_next("/2/tweets", 403, "You are not allowed to reply to this Tweet.")
    failed = send_reply(conversation, agent, "And another thing.")
    failed.refresh_from_db()
    assert (failed.delivery_status, failed.delivery_error) == (
        DeliveryStatus.FAILED,
        "X answered 403: You are not allowed to reply to this Tweet.",
    )
    assert len(fake.tweets) == 1


def test_a_reply_x_already_has_is_recorded_not_sent_again(channel: Channel, agent: Any, fake: FakeX) -> None:
    # As if the sender died after X accepted the tweet: the row is still `sending`.
    _deliver(channel, _fixture("tweet_create__mention"))
    reply = send_reply(Conversation.objects.get(), agent, "Checking now.")
    item = OutboxItem.objects.get()
    OutboxItem.objects.filter(pk=item.pk).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued", network_message_id=None)
    result = outbox_tick(timezone.now() + timedelta(minutes=3))
    assert (result.recovered, result.sent) == (1, 0)
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id) == (DeliveryStatus.SENT, next(iter(fake.tweets)))
    assert len(fake.tweets) == 1


def test_mentions_are_polled_once_and_dedupe_with_the_webhook(channel: Channel, fake: FakeX) -> None:
    fake.users["77"] = {"id": "77", "name": "Bo", "username": "bo"}
    fake.mentions += [
        {"id": "1859000000000000001", "text": "@NimbusMobile my calls keep dropping", "author_id": "4242",
         "created_at": "2026-11-20T09:00:00.000Z", "conversation_id": "1859000000000000001",
         "edit_history_tweet_ids": ["1859000000000000001"]},
        {"id": "1859000000000000050", "text": "@NimbusMobile roaming in Portugal?", "author_id": "77",
         "created_at": "2026-11-20T09:30:00.000Z", "conversation_id": "1859000000000000050",
         "edit_history_tweet_ids": ["1859000000000000050"]},
    ]  # fmt: skip
    assert poll_mentions(channel) == 2
    assert channel.config["last_mention_id"] == "1859000000000000050"
    assert poll_mentions(channel) == 0  # since_id: nothing new
    assert sorted(Message.objects.values_list("network_message_id", "author_handle")) == [
        ("1859000000000000001", "anagarcia"),
        ("1859000000000000050", "bo"),
    ]
    # The webhook delivers the first one too: same event id, nothing new.
    assert _deliver(channel, _fixture("tweet_create__mention")) == (200, {"stored": 0, "events": 1})
    assert Message.objects.count() == 2
    assert json.loads(json.dumps(fake.requests[-1])) == ["GET", "/2/users/9001/mentions"]


def test_a_revoked_token_fails_permanently(channel: Channel, agent: Any, fake: FakeX) -> None:
    _deliver(channel, _fixture("tweet_create__mention"))
    channel.credentials = {**channel.credentials, "access_token_secret": "revoked"}
    channel.save()
    reply = send_reply(Conversation.objects.get(), agent, "Checking now.")
    reply.refresh_from_db()
    # The fake checks the OAuth 1.0a signature as X does: signed with the wrong secret, refused.
    assert (reply.delivery_status, reply.delivery_error) == (
        DeliveryStatus.FAILED,
        "X answered 401: Unauthorized",
    )
    assert fake.tweets == {}


def test_an_admin_connects_an_account_after_x_accepts_its_credentials(
    workspace: Any, agent: Any, fake: FakeX, settings: Any
) -> None:
    from django.db import connection

    from socialdesk.workspaces.actions import add_member, create_user
    from socialdesk.workspaces.models import Role

    settings.SOCIALDESK_API_BASES = {"x": fake.url}
    admin = create_user("adam", "admin passphrase here")
    add_member(workspace, admin, Role.ADMIN)
    form = {"network": "x", "workspace": str(workspace.pk), "role": "support", "consumer_key": "ck",
            "consumer_secret": SECRET, "access_token": "at", "access_token_secret": "wrong"}  # fmt: skip
    client = Client()
    client.force_login(admin)
    refused = client.post("/channels/", form)
    assert refused.status_code == 422
    assert "x refused these credentials: X answered 401: Unauthorized" in refused.content.decode()
    assert not Channel.objects.filter(network="x").exists()
    page = client.post("/channels/", {**form, "access_token_secret": "ats"}).content.decode()
    assert "X @NimbusMobile connected to Acme Telecom" in page
    channel = Channel.objects.get(network="x")
    assert (channel.handle, channel.account_role, channel.config) == (
        "@NimbusMobile",
        "support",
        {"user_id": "9001"},
    )
    assert f"/hooks/x/{channel.pk}/" in page
    assert SECRET not in page  # secrets are never rendered back
    assert 'value="ats"' not in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM channels_channel WHERE id = %s", [channel.pk])
        stored = str(cursor.fetchone()[0])
    assert SECRET not in stored  # encrypted at rest
    assert channel.credentials["access_token_secret"] == "ats"
    # An agent can see the channel but neither connect nor switch accounts.
    client.force_login(agent)
    assert client.post("/channels/", form).status_code == 403
    assert client.post(f"/channels/{channel.pk}/toggle/").status_code == 403
    client.force_login(admin)
    client.post(f"/channels/{channel.pk}/toggle/")
    channel.refresh_from_db()
    assert channel.is_active is False


def test_dms_wait_for_x_limit_of_15_per_15_minutes(channel: Channel, agent: Any, fake: FakeX) -> None:
    _deliver(channel, _fixture("direct_message__received"))
    conversation = Conversation.objects.get()
    for n in range(15):
        send_reply(conversation, agent, f"Update {n}")
    assert len(fake.dms) == 15
    sixteenth = send_reply(conversation, agent, "Update 15")
    item = OutboxItem.objects.get(message=sixteenth)
    first = OutboxItem.objects.filter(kind="private", status="sent").order_by("sent_at").first()
    assert first is not None and first.sent_at is not None
    # Not sent, and no attempt spent: it waits until the first DM leaves X's 15-minute window.
    assert (item.status, item.attempts, len(fake.dms)) == ("pending", 0, 15)
    assert item.next_attempt_at == first.sent_at + timedelta(minutes=15)
    assert item.last_error == "waiting for the network's sending limit"
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    assert len(fake.dms) == 16
