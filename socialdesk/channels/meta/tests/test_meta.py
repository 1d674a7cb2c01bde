"""Facebook Pages, Messenger, Instagram and WhatsApp Cloud end to end against a local fake of the
Graph API: the subscription handshake, X-Hub-Signature-256, comments and messages in; replies,
private replies (once, 7 days), the 24-hour window and HUMAN_AGENT, hide and delete out."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.channels.meta.tests.fake_graph import FakeGraph
from socialdesk.channels.models import Channel
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.ingest.models import RawEvent
from socialdesk.moderation.actions import moderate
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.outbox.queue import queue_outbound
from socialdesk.replies.actions import ReplyRejected, send_reply

FIXTURES = Path(__file__).parent / "fixtures"
APP_SECRET = "meta-app-secret"
TELECOM = (Path(__file__).parents[3] / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8")
# The captured deliveries were sent between 09:00 and 09:10 UTC on 2026-11-20 and Meta's windows (24 hours,
# 7 days) count from them, so each test starts a few minutes after they arrived, whatever today's date is.
ARRIVED = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deliveries_just_arrived(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(ARRIVED, tick=True)


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    yield from FakeGraph(token="page-token").running()


def _channel(workspace: Any, graph: FakeGraph, network: str, **config: str) -> Channel:
    return Channel.objects.create(
        workspace=workspace,
        network=network,
        handle=f"@nimbus.{network}",
        credentials={"app_secret": APP_SECRET, "access_token": "page-token", "verify_token": "verify-me"},
        config={"api_base": graph.url, **config},
    )


@pytest.fixture
def page(workspace: Any, graph: FakeGraph) -> Channel:
    return _channel(workspace, graph, "facebook", page_id="1001")


def _body(name: str, **now: bool) -> bytes:
    payload = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    if now.get("fresh"):  # as if it arrived just now (the messaging window counts from it)
        for entry in payload["entry"]:
            for messaging in entry.get("messaging", []):
                messaging["timestamp"] = int(time.time() * 1000)
            for change in entry.get("changes", []):
                for message in change["value"].get("messages", []):
                    message["timestamp"] = str(int(time.time()))
    return json.dumps(payload).encode()


def _post(
    channel: Channel, body: bytes, secret: str = APP_SECRET, signature: str | None = None
) -> tuple[int, Any]:
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = Client().post(
        f"/hooks/{channel.network}/{channel.pk}/",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sig if signature is None else signature},
    )
    return response.status_code, response.json()


def test_the_subscription_handshake_echoes_the_challenge_only_with_our_token(page: Channel) -> None:
    url = f"/hooks/facebook/{page.pk}/"
    ok = Client().get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = Client().get(url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "verify token does not match"})


def test_a_page_comment_becomes_a_conversation_and_the_page_own_is_skipped(page: Channel) -> None:
    assert _post(page, _body("page_feed__comment")) == (200, {"stored": 1, "events": 1})
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.in_reply_to, message.is_private) == (
        "4000_8001",
        "comment",
        "1001_4000",
        False,
    )
    assert message.text == "Llevo dos días sin fibra en Sevilla y nadie me responde"
    assert message.conversation.contact.display_name == "Lucía Pérez"
    assert message.sent_at.isoformat() == "2026-11-20T09:00:00+00:00"
    # The page's own comment is stored as an event and makes no customer message; reactions are skipped.
    assert _post(page, _body("page_feed__own_comment")) == (200, {"stored": 1, "events": 1})
    assert Message.objects.count() == 1


def test_forged_replayed_and_wrong_object_deliveries_are_refused(page: Channel) -> None:
    body = _body("page_feed__comment")
    assert _post(page, body, secret="not-the-secret") == (401, {"error": "bad signature"})
    assert _post(page, body, signature="") == (401, {"error": "missing signature"})
    assert _post(page, body)[0] == 200
    assert _post(page, body) == (409, {"error": "this delivery was already received"})
    assert _post(page, b'{"object": "instagram", "entry": []}') == (400, {"error": "not a page delivery"})
    assert _post(page, b'{"object": "page", "entry": [{"id": "1"}')[0] == 400
    status, answer = _post(
        page, b'{"object": "page", "entry": [{"id": "1001", "messaging": [{"sender": {}}]}]}'
    )
    assert status == 400
    assert answer["error"].startswith("not a page delivery")
    assert _post(page, b'{"object": "page", "pad": "' + b"x" * 1_000_001 + b'"}')[0] == 413
    assert RawEvent.objects.count() == 1


def test_public_reply_private_reply_once_hide_and_delete(
    workspace: Any, page: Channel, agent: Any, graph: FakeGraph, lead: Any, telecom_policy: Any
) -> None:

    _post(page, _body("page_feed__comment"))
    conversation = Conversation.objects.get()
    reply = send_reply(conversation, agent, "Hola Lucía, lo revisamos ahora mismo. ^AL")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    [(comment_id, comment)] = graph.comments.items()
    assert (comment["parent"], comment["message"], reply.network_message_id) == (
        "4000_8001",
        "Hola Lucía, lo revisamos ahora mismo. ^AL",
        comment_id,
    )
    private = send_reply(
        conversation, agent, "Lucía, te escribimos por privado para ver tu línea. ^AL", is_private=True
    )
    private.refresh_from_db()
    assert private.delivery_status == DeliveryStatus.SENT
    assert graph.messages[-1]["recipient"] == {"comment_id": "4000_8001"}
    once = "Facebook: this comment was already answered privately (one per comment)"
    items = OutboxItem.objects.count()
    with pytest.raises(ReplyRejected, match=f"^{re.escape(once)}$"):
        send_reply(conversation, agent, "Otro mensaje privado. ^AL", is_private=True)
    assert (OutboxItem.objects.count(), len(graph.messages)) == (items, 1)
    # The sender keeps the same rule for a private reply queued anyway.
    again = queue_outbound(conversation, "Otro mensaje privado. ^AL", is_private=True, author=agent)
    again.refresh_from_db()
    assert (again.delivery_status, again.delivery_error) == (DeliveryStatus.FAILED, once)
    assert len(graph.messages) == 1
    customer = Message.objects.get(network_message_id="4000_8001")
    moderate(customer, "hide", "spam", lead)
    assert graph.hidden == {"4000_8001"}
    moderate(customer, "delete", "spam", lead)
    assert graph.deleted == {"4000_8001"}
    assert list(OutboxItem.objects.filter(kind__in=["hide", "delete"]).values_list("status", flat=True)) == [
        "sent",
        "sent",
    ]


def test_messenger_answers_inside_24_hours_then_with_the_human_agent_tag(
    page: Channel, agent: Any, graph: FakeGraph
) -> None:
    assert _post(page, _body("messenger__message", fresh=True)) == (200, {"stored": 1, "events": 1})
    conversation = Conversation.objects.get()
    assert conversation.is_private is True
    send_reply(conversation, agent, "Te llamamos en 10 minutos.")
    assert graph.messages[-1]["messaging_type"] == "RESPONSE"
    assert graph.messages[-1]["recipient"] == {"id": "PSID-7001"}
    # Three days later the window is over: HUMAN_AGENT (allowed up to 7 days).
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=conversation.last_inbound_at - timedelta(days=3)
    )
    conversation.refresh_from_db()
    send_reply(conversation, agent, "¿Se resolvió?")
    assert (graph.messages[-1]["messaging_type"], graph.messages[-1]["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=conversation.last_inbound_at - timedelta(days=8)
    )
    conversation.refresh_from_db()
    items = OutboxItem.objects.count()
    with pytest.raises(ReplyRejected, match=r"^Facebook: the customer last wrote 11 days"):
        send_reply(conversation, agent, "¿Sigue ahí?")
    assert OutboxItem.objects.count() == items
    # The sender refuses by the same rule what was queued anyway.
    late = queue_outbound(conversation, "¿Sigue ahí?", is_private=True, author=agent)
    late.refresh_from_db()
    assert late.delivery_status == DeliveryStatus.FAILED
    assert late.delivery_error.startswith("Facebook: the customer last wrote 11 days")
    assert len(graph.messages) == 2


def test_instagram_comment_reply_and_hide(workspace: Any, agent: Any, graph: FakeGraph) -> None:
    channel = _channel(workspace, graph, "instagram", ig_user_id="2002")
    assert _post(channel, _body("instagram__comment")) == (200, {"stored": 1, "events": 1})
    message = Message.objects.get()
    assert (message.network_message_id, message.author_handle, message.in_reply_to) == (
        "17850000000000001",
        "joao.silva",
        "17900000000000001",
    )
    reply = send_reply(message.conversation, agent, "Olá João, já estamos a verificar.")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    assert graph.requests[-1] == ("POST", "17850000000000001/replies")


def test_whatsapp_free_text_only_inside_the_window(
    workspace: Any, agent: Any, graph: FakeGraph, time_machine: time_machine.TimeMachineFixture
) -> None:
    channel = _channel(workspace, graph, "whatsapp", phone_number_id="3003")
    assert _post(channel, _body("whatsapp__status")) == (200, {"stored": 0, "events": 0})
    assert _post(channel, _body("whatsapp__text")) == (200, {"stored": 1, "events": 1})
    conversation = Conversation.objects.get()
    assert (conversation.contact.display_name, conversation.is_private) == ("Marta Ruiz", True)
    time_machine.shift(timedelta(days=3))
    outside = (
        "^WhatsApp: the customer last wrote 3 days .* allowed only within 24 hours of their last message$"
    )
    with pytest.raises(ReplyRejected, match=outside):
        send_reply(conversation, agent, "Tu factura llega el día 5.")
    assert OutboxItem.objects.count() == 0
    # The sender refuses by the same rule what was queued anyway.
    late = queue_outbound(conversation, "Tu factura llega el día 5.", is_private=True, author=agent)
    late.refresh_from_db()
    assert late.delivery_status == DeliveryStatus.FAILED
    assert late.delivery_error.startswith("WhatsApp: the customer last wrote 3 days")
    assert late.delivery_error.endswith("allowed only within 24 hours of their last message")
    assert _post(channel, _body("whatsapp__text", fresh=True).replace(b"wamid.HBgL", b"wamid.NEW"))[0] == 200
    conversation.refresh_from_db()
    sent = send_reply(conversation, agent, "Tu factura llega el día 5.")
    sent.refresh_from_db()
    assert sent.delivery_status == DeliveryStatus.SENT
    assert graph.messages == [
        {
            "sender": "3003",
            "to": "34611222333",
            "text": "Tu factura llega el día 5.",
            "id": sent.network_message_id,
        }
    ]


def test_throttling_waits_as_meta_asks_and_a_bad_token_fails(
    page: Channel, agent: Any, graph: FakeGraph
) -> None:
    from django.utils import timezone

    _post(page, _body("page_feed__comment"))
    conversation = Conversation.objects.get()
    usage = {"1001": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    graph.fail_next(
        "/comments", 400, 32, "Page request limit reached", {"x-business-use-case-usage": json.dumps(usage)}
    )
    reply = send_reply(conversation, agent, "Lo revisamos.")
    item = OutboxItem.objects.get()
    assert (item.status, item.last_error) == ("pending", "Facebook answered 400: Page request limit reached")
    assert timedelta(minutes=6, seconds=55) < item.next_attempt_at - timezone.now() <= timedelta(minutes=7)
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    page.credentials = {**page.credentials, "access_token": "expired"}
    page.save()
    failed = send_reply(conversation, agent, "Otra cosa.")
    failed.refresh_from_db()
    assert (failed.delivery_status, failed.delivery_error) == (
        DeliveryStatus.FAILED,
        "Facebook answered 400: Invalid OAuth access token.",
    )


def test_a_reply_meta_already_has_is_recorded_not_sent_again(
    page: Channel, agent: Any, graph: FakeGraph
) -> None:
    from django.utils import timezone

    _post(page, _body("page_feed__comment"))
    reply = send_reply(Conversation.objects.get(), agent, "Lo revisamos.")
    OutboxItem.objects.filter(message=reply).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued", network_message_id=None)
    result = outbox_tick(timezone.now() + timedelta(minutes=3))
    assert (result.recovered, result.sent) == (1, 0)
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id) == (
        DeliveryStatus.SENT,
        next(iter(graph.comments)),
    )
    assert len(graph.comments) == 1


def test_a_whatsapp_message_whose_fate_is_unknown_waits_for_an_agent(
    workspace: Any, agent: Any, graph: FakeGraph
) -> None:
    from django.utils import timezone

    from socialdesk.outbox.queue import resend

    channel = _channel(workspace, graph, "whatsapp", phone_number_id="3003")
    _post(channel, _body("whatsapp__text", fresh=True))
    sent = send_reply(Conversation.objects.get(), agent, "Tu factura llega el día 5.")
    # As if the sender died after the request left: WhatsApp cannot be asked whether it arrived.
    item = OutboxItem.objects.get(message=sent)
    OutboxItem.objects.filter(pk=item.pk).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=sent.pk).update(delivery_status="queued")
    assert outbox_tick(timezone.now() + timedelta(minutes=3)).recovered == 1
    item.refresh_from_db()
    sent.refresh_from_db()
    assert (item.status, sent.delivery_status) == ("uncertain", DeliveryStatus.FAILED)
    assert sent.delivery_error.startswith(
        "the sender stopped while sending and WhatsApp cannot tell whether it arrived"
    )
    assert len(graph.messages) == 1  # nothing was sent a second time on its own
    # The agent checked the phone: not there. Send again, once.
    resend(item)
    item.refresh_from_db()
    sent.refresh_from_db()
    assert (item.status, sent.delivery_status, len(graph.messages)) == ("sent", DeliveryStatus.SENT, 2)


def test_instagram_private_reply_dm_hide_delete_and_failures(
    workspace: Any, agent: Any, graph: FakeGraph, lead: Any, telecom_policy: Any
) -> None:

    channel = _channel(workspace, graph, "instagram", ig_user_id="2002")
    _post(channel, _body("instagram__comment"))
    comment = Message.objects.get()
    conversation = comment.conversation
    private = send_reply(conversation, agent, "João, enviámos-lhe uma mensagem privada. ^AL", is_private=True)
    private.refresh_from_db()
    assert private.delivery_status == DeliveryStatus.SENT
    assert (graph.messages[-1]["sender"], graph.messages[-1]["recipient"]) == (
        "2002",
        {"comment_id": "17850000000000001"},
    )
    # More than 7 days after the comment: no private reply any more.
    Message.objects.filter(pk=comment.pk).update(sent_at=comment.sent_at - timedelta(days=8))
    Message.objects.filter(pk=private.pk).update(delivery_status="failed")  # as if the first had not gone
    too_late = "Instagram: a comment can be answered privately only within 7 days"
    items = OutboxItem.objects.count()
    with pytest.raises(ReplyRejected, match=f"^{too_late}$"):
        send_reply(conversation, agent, "Olá outra vez. ^AL", is_private=True)
    assert OutboxItem.objects.count() == items
    late = queue_outbound(conversation, "Olá outra vez. ^AL", is_private=True, author=agent)
    late.refresh_from_db()
    assert late.delivery_error == too_late
    moderate(comment, "hide", "spam", lead)
    moderate(comment, "delete", "spam", lead)
    assert (graph.hidden, graph.deleted) == ({"17850000000000001"}, {"17850000000000001"})
    # An Instagram DM thread inside the window.
    event = {
        "sender": {"id": "IGSID-55"},
        "recipient": {"id": "2002"},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": "aWdfZAG1faXRlbTox", "text": "o meu tarifário não aparece na app"},
    }
    dm = {"object": "instagram", "entry": [{"id": "2002", "time": int(time.time()), "messaging": [event]}]}
    assert _post(channel, json.dumps(dm).encode()) == (200, {"stored": 1, "events": 1})
    thread = Message.objects.get(network_message_id="aWdfZAG1faXRlbTox").conversation
    answer = send_reply(thread, agent, "Vamos verificar o seu tarifário. ^AL")
    answer.refresh_from_db()
    assert answer.delivery_status == DeliveryStatus.SENT
    assert (graph.messages[-1]["recipient"], graph.messages[-1]["messaging_type"]) == (
        {"id": "IGSID-55"},
        "RESPONSE",
    )


@pytest.mark.parametrize(
    ("network", "obj"), [("instagram", "instagram"), ("whatsapp", "whatsapp_business_account")]
)
def test_instagram_and_whatsapp_refuse_forged_deliveries(
    workspace: Any, graph: FakeGraph, network: str, obj: str
) -> None:
    channel = _channel(workspace, graph, network)
    body = json.dumps({"object": obj, "entry": []}).encode()
    assert _post(channel, body, secret="guessed") == (401, {"error": "bad signature"})
    assert _post(channel, body) == (200, {"stored": 0, "events": 0})
    assert _post(channel, body) == (409, {"error": "this delivery was already received"})
    assert _post(channel, b'{"object": "' + obj.encode() + b'", "entry": [')[0] == 400
    assert _post(channel, b'{"pad": "' + b"x" * 1_000_001 + b'"}') == (
        413,
        {"error": "body over 1000000 bytes"},
    )
    assert _post(channel, json.dumps({"object": "page", "entry": []}).encode()) == (
        400,
        {"error": f"not a {obj} delivery"},
    )
    assert RawEvent.objects.count() == 0  # the one accepted delivery held no events; the refused stored none
    wrong = Client().get(
        f"/hooks/{network}/{channel.pk}/",
        {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"},
    )
    assert wrong.status_code == 403


def test_whatsapp_has_no_moderation(workspace: Any, graph: FakeGraph, lead: Any, telecom_policy: Any) -> None:
    from socialdesk.moderation.actions import ModerationRefused

    channel = _channel(workspace, graph, "whatsapp", phone_number_id="3003")
    _post(channel, _body("whatsapp__text"))
    with pytest.raises(ModerationRefused, match="whatsapp does not let the brand hide messages"):
        moderate(Message.objects.get(), "hide", "spam", lead)


def test_an_answer_no_client_expected_is_retried_not_lost(
    page: Channel, agent: Any, graph: FakeGraph
) -> None:
    _post(page, _body("page_feed__comment"))
    graph.failures.append(("/comments", 200, {"success": True}, {}))  # no "id": the adapter cannot read it
    reply = send_reply(Conversation.objects.get(), agent, "Lo revisamos.")
    item = OutboxItem.objects.get(message=reply)
    assert (item.status, item.last_error) == ("pending", "unexpected error: 'id'")
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT


def test_old_delivery_digests_are_forgotten(page: Channel) -> None:
    from django.utils import timezone

    from socialdesk.channels.models import WebhookDelivery
    from socialdesk.channels.webhooks import prune_deliveries

    body = _body("page_feed__comment")
    _post(page, body)
    WebhookDelivery.objects.create(channel=page, digest="0" * 64)
    WebhookDelivery.objects.filter(digest="0" * 64).update(received_at=timezone.now() - timedelta(days=15))
    assert prune_deliveries() == 1
    assert _post(page, body) == (409, {"error": "this delivery was already received"})  # recent ones stay


def test_a_policy_narrowing_the_window_binds_the_composer_and_the_sender_alike(
    workspace: Any, agent: Any, graph: FakeGraph
) -> None:
    from datetime import timedelta

    from socialdesk.policy.actions import save_policy

    channel = _channel(workspace, graph, "whatsapp", phone_number_id="3003")
    _post(channel, _body("whatsapp__text", fresh=True))
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=conversation.last_inbound_at - timedelta(hours=13)
    )
    conversation.refresh_from_db()
    # The brand answers WhatsApp in free text only within 12 hours (WhatsApp itself allows 24).
    save_policy(
        workspace,
        TELECOM.replace(
            "  mastodon: {public_max: 500}",
            "  mastodon: {public_max: 500}\n  whatsapp: {messaging_window_hours: 12}",
        ),
    )
    twelve = (
        "^WhatsApp: the customer last wrote 0 days 13 hours ago; private messages are allowed only "
        "within 12 hours of their last message$"
    )
    with pytest.raises(ReplyRejected, match=twelve):
        send_reply(conversation, agent, "Tu factura llega el día 5. ^AL")
    assert OutboxItem.objects.count() == 0
    # The sender reads the same effective rules (not WhatsApp's 24 hours) for one queued anyway.
    queued = queue_outbound(conversation, "Tu factura llega el día 5. ^AL", is_private=True, author=agent)
    queued.refresh_from_db()
    assert re.match(twelve, queued.delivery_error)
    assert (queued.delivery_status, graph.messages) == (DeliveryStatus.FAILED, [])
