"""Notifications leave the desk: email through a real SMTP server (aiosmtpd) and outgoing webhooks
to a real HTTP server on this machine, asserted exactly (headers, body, HMAC signature). A failing
webhook is retried with backoff while the others are delivered; every attempt is recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.contrib.auth.models import User
from django.db import connection

from socialdesk.config import smtp_mailer
from socialdesk.notifications.models import Attempt, Delivery, Webhook
from socialdesk.notifications.notify import notify
from socialdesk.notifications.sending import notifications_tick
from socialdesk.notifications.webhooks import add_webhook
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, Receiver, port_in, signed


class Mailbox:
    """aiosmtpd handler: keeps each accepted mail with its envelope; refuses one address with 550."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == "gone@acme.test":
            return "550 5.1.1 <gone@acme.test>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes) and envelope.mail_from is not None
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _use_smtp(settings: Any, port: int) -> None:
    """The desk's mailer as settings.py builds it from SOCIALDESK_SMTP_* (the test environment
    replaced it with Django's in-memory backend)."""
    settings.SOCIALDESK_SMTP_HOST = "127.0.0.1"
    settings.MAILERS = {"default": smtp_mailer("127.0.0.1", port, "", "", "none")}


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = port_in(range(8125, 8130))
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    _use_smtp(settings, port)
    settings.SOCIALDESK_EMAIL_FROM = "Socialdesk <desk@acme.test>"
    settings.SOCIALDESK_BASE_URL = "https://desk.acme.test"
    yield mailbox
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from Receiver().running()


@pytest.fixture
def admin(workspace: Any) -> User:
    user = create_user("adam", "admin passphrase here", email="adam@acme.test")
    add_member(workspace, user, Role.ADMIN)
    return user


def test_an_incident_is_mailed_to_the_leads_exactly(workspace: Any, admin: User, smtp: Mailbox) -> None:
    lena = create_user("lena", "lead passphrase here", email="lena@acme.test")
    add_member(workspace, lena, Role.LEAD)
    gone = create_user("gus", "lead passphrase two", email="gone@acme.test")
    add_member(workspace, gone, Role.LEAD)
    nomail = create_user("nora", "lead passphrase three")
    add_member(workspace, nomail, Role.LEAD)
    with time_machine.travel(T0, tick=False):
        made = notify(
            workspace,
            "incident_opened",
            "Many negative posts about Line problem",
            link="/incidents/4/",
        )
    assert made is not None
    # Then adam and lena got one mail each, exactly this one
    assert [(sender, to) for sender, to, _ in smtp.received] == [
        ("desk@acme.test", ["adam@acme.test"]),
        ("desk@acme.test", ["lena@acme.test"]),
    ]
    mail = message_from_bytes(smtp.received[1][2], policy=policy.default)
    assert mail["From"] == "Socialdesk <desk@acme.test>"
    assert mail["To"] == "lena@acme.test"
    # strip(): a subject that fits a line of its own is folded right after "Subject:" (valid RFC 5322;
    # the space left by unfolding means nothing)
    assert mail["Subject"].strip() == "[Acme Telecom] Incident opened: Many negative posts about Line problem"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-Socialdesk-Notification"] == str(made.pk)
    assert mail["X-Socialdesk-Kind"] == "incident_opened"
    assert mail.get_content().replace("\r\n", "\n") == (
        "Many negative posts about Line problem\n"
        "\n"
        "Open: https://desk.acme.test/incidents/4/\n"
        "\n"
        "--\n"
        "Acme Telecom · Incident opened\n"
        "Choose what you receive: https://desk.acme.test/notifications/preferences/\n"
    )
    # And each email delivery is recorded: sent, refused for good (550), or impossible (no address)
    rows = Delivery.objects.filter(notification=made, medium="email").order_by("user__username")
    assert list(rows.values_list("user__username", "status", "attempts", "last_error")) == [
        ("adam", "sent", 1, ""),
        ("gus", "failed", 1, "SMTP 550: 5.1.1 <gone@acme.test>: Recipient address rejected: User unknown"),
        ("lena", "sent", 1, ""),
        ("nora", "failed", 0, "the member has no email address"),
    ]
    attempts = Attempt.objects.filter(delivery__notification=made).order_by("delivery__user__username")
    assert list(attempts.values_list("delivery__user__username", "status_code", "ok", "at")) == [
        ("adam", None, True, T0),
        ("gus", 550, False, T0),
        ("lena", None, True, T0),
    ]


def test_email_waits_and_retries_when_the_server_is_down(workspace: Any, admin: User, settings: Any) -> None:
    _use_smtp(settings, port_in(range(8125, 8130)))  # nothing listens there
    with time_machine.travel(T0, tick=False):
        made = notify(workspace, "spike", "40 posts about roaming in 10 minutes")
    delivery = Delivery.objects.get(notification=made, medium="email")
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "pending",
        1,
        T0 + timedelta(seconds=5),
    )
    assert delivery.last_error.startswith("cannot reach the SMTP server: ")


def test_webhooks_are_signed_slack_bodies_and_a_failing_one_is_retried_without_holding_the_others(
    workspace: Any, admin: User, receiver: Receiver, settings: Any
) -> None:
    settings.SOCIALDESK_BASE_URL = "https://desk.acme.test"
    # Given three webhooks: one fails twice then works, one works, one only wants spikes
    flaky, flaky_secret = add_webhook(admin, workspace, "Flaky", f"{receiver.url}/flaky")
    slack, slack_secret = add_webhook(admin, workspace, "Slack #leads", f"{receiver.url}/slack")
    add_webhook(admin, workspace, "Spikes only", f"{receiver.url}/spikes", ["spike"])
    receiver.script["/flaky"] = [503, 500]
    # When an incident is opened
    with time_machine.travel(T0, tick=False):
        made = notify(workspace, "incident_opened", "<Madrid> outage & more", link="/incidents/4/")
    assert made is not None
    # Then each wanting webhook was called once right away, signed with its own secret
    assert receiver.paths() == ["/flaky", "/slack"]
    _, headers, body = receiver.calls[1]
    assert json.loads(body) == {
        "text": "*Incident opened* · Acme Telecom: &lt;Madrid&gt; outage &amp; more "
        "<https://desk.acme.test/incidents/4/|Open in Socialdesk>",
        "socialdesk": {
            "id": made.pk,
            "kind": "incident_opened",
            "workspace": "acme",
            "text": "<Madrid> outage & more",
            "link": "https://desk.acme.test/incidents/4/",
            "conversation_id": None,
            "incident_id": None,
            "created_at": "2026-11-20T09:00:00+00:00",
        },
    }
    slack_delivery = Delivery.objects.get(webhook=slack)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Socialdesk-Event"] == "incident_opened"
    assert headers["X-Socialdesk-Delivery"] == str(slack_delivery.pk)
    assert headers["X-Socialdesk-Timestamp"] == str(int(T0.timestamp()))
    assert signed(slack_secret, headers, body)
    assert not signed(flaky_secret, headers, body)
    assert signed(flaky_secret, receiver.calls[0][1], receiver.calls[0][2])
    # The flaky one waits 5 s, then 10 s, then is delivered; the others are not called again
    flaky_delivery = Delivery.objects.get(webhook=flaky)
    assert (flaky_delivery.status, flaky_delivery.next_attempt_at) == ("pending", T0 + timedelta(seconds=5))
    assert flaky_delivery.last_error == "HTTP 503: no"
    notifications_tick(T0 + timedelta(seconds=4))
    assert receiver.paths() == ["/flaky", "/slack"]
    notifications_tick(T0 + timedelta(seconds=5))
    notifications_tick(T0 + timedelta(seconds=14))
    notifications_tick(T0 + timedelta(seconds=15))
    notifications_tick(T0 + timedelta(seconds=60))
    assert receiver.paths() == ["/flaky", "/slack", "/flaky", "/flaky"]
    assert receiver.calls[0][2] == receiver.calls[3][2]  # the same body, the same delivery id
    assert receiver.calls[3][1]["X-Socialdesk-Delivery"] == str(flaky_delivery.pk)
    assert receiver.calls[3][1]["X-Socialdesk-Timestamp"] == str(
        int((T0 + timedelta(seconds=15)).timestamp())
    )
    flaky_delivery.refresh_from_db()
    assert (flaky_delivery.status, flaky_delivery.attempts, flaky_delivery.sent_at) == (
        "sent",
        3,
        T0 + timedelta(seconds=15),
    )
    attempts = Attempt.objects.filter(delivery=flaky_delivery).order_by("at")
    assert [(a.at, a.status_code, a.ok, a.error) for a in attempts] == [
        (T0, 503, False, "HTTP 503: no"),
        (T0 + timedelta(seconds=5), 500, False, "HTTP 500: no"),
        (T0 + timedelta(seconds=15), 200, True, ""),
    ]
    assert [(a.status_code, a.ok) for a in Attempt.objects.filter(delivery=slack_delivery)] == [(200, True)]


def test_a_refusing_webhook_fails_for_good_and_one_that_never_answers_gives_up(
    workspace: Any, admin: User, receiver: Receiver
) -> None:
    gone, _ = add_webhook(admin, workspace, "Gone", f"{receiver.url}/gone")
    down, _ = add_webhook(admin, workspace, "Down", f"http://127.0.0.1:{port_in(range(8112, 8120))}/x")
    receiver.script["/gone"] = [404]
    with time_machine.travel(T0, tick=False):
        made = notify(workspace, "spike", "40 posts about roaming")
    refused = Delivery.objects.get(webhook=gone)
    assert (refused.status, refused.attempts, refused.last_error) == ("failed", 1, "HTTP 404: no")
    at = T0
    for _ in range(10):
        at += timedelta(hours=1)
        notifications_tick(at)
    never = Delivery.objects.get(notification=made, webhook=down)
    assert (never.status, never.attempts) == ("failed", 8)
    assert never.last_error.startswith("gave up after 8 attempts: cannot reach the webhook: ConnectError")
    assert receiver.paths() == ["/gone"]


def test_the_webhook_url_and_secret_are_encrypted_at_rest(workspace: Any, admin: User) -> None:
    webhook, secret = add_webhook(admin, workspace, "Slack", "https://hooks.slack.com/services/T0/B0/abc")
    with connection.cursor() as cursor:
        cursor.execute("SELECT target FROM notifications_webhook WHERE id = %s", [webhook.pk])
        stored = cursor.fetchone()[0]
    assert "hooks.slack.com" not in stored and secret not in stored
    assert Webhook.objects.get(pk=webhook.pk).target == {
        "url": "https://hooks.slack.com/services/T0/B0/abc",
        "secret": secret,
    }
