"""Email end to end: a local IMAP server polled in (automatic and bulk mail never becomes a
conversation), replies sent to a real SMTP server (aiosmtpd) with threading headers, acknowledgments
marked Auto-Submitted, refused recipients failing with the server's words."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from socialdesk.channels.email.poller import poll_inbox
from socialdesk.channels.email.tests.fake_imap import FakeImap
from socialdesk.channels.models import Channel
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.ingest.models import RawEvent
from socialdesk.outbox.queue import queue_outbound
from socialdesk.replies.actions import send_reply

FIXTURES = Path(__file__).parent / "fixtures"


class Mailbox:
    """aiosmtpd handler: keeps what it accepts; refuses one address with 550."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.rejected = "gone@example.fr"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == self.rejected:
            return "550 5.1.1 <gone@example.fr>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append(envelope.content)
        return "250 Message accepted for delivery"


def _check_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    """The mail server checks the desk's login (LOGIN and PLAIN mechanisms)."""
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"support@nimbus.example",
        b"imap-pass",
    )
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, authenticator=_check_login, auth_require_tls=False
    )
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def imap() -> Iterator[FakeImap]:
    server = FakeImap("support@nimbus.example", "imap-pass").start()
    yield server
    server.stop()


@pytest.fixture
def channel(workspace: Any, imap: FakeImap, smtp: tuple[Mailbox, int]) -> Channel:
    return Channel.objects.create(
        workspace=workspace,
        network="email",
        handle="support@nimbus.example",
        name="Nimbus Support",
        credentials={
            "imap_host": "127.0.0.1",
            "imap_port": imap.port,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp[1],
            "security": "none",
            "username": "support@nimbus.example",
            "password": "imap-pass",
        },
        config={"address": "support@nimbus.example"},
    )


def _eml(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes()


def test_polling_takes_each_mail_once_and_never_automatic_or_bulk_mail(
    channel: Channel, imap: FakeImap
) -> None:
    imap.add(_eml("customer__question"))
    imap.add(_eml("auto__out_of_office"))
    imap.add(_eml("bulk__newsletter"))
    assert poll_inbox(channel) == 3
    assert channel.config["last_uid"] == 103
    assert poll_inbox(channel) == 0  # nothing newer (the server still answers with UID 103)
    assert RawEvent.objects.count() == 3
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.is_private, message.author_handle) == (
        "<CAF1234abc@mail.example.fr>",
        "email",
        True,
        "clara.dupont@example.fr",
    )
    assert message.text.startswith("Facture en double\n\nBonjour, j'ai été facturée deux fois ce mois-ci.")
    assert message.sent_at.isoformat() == "2026-11-20T09:00:00+00:00"  # 10:00 +01:00
    assert message.conversation.contact.display_name == "Clara Dupont"


def test_a_reply_threads_and_an_acknowledgment_is_marked_automatic(
    channel: Channel, agent: Any, imap: FakeImap, smtp: tuple[Mailbox, int]
) -> None:
    imap.add(_eml("customer__question"))
    poll_inbox(channel)
    conversation = Conversation.objects.get()
    reply = send_reply(conversation, agent, "Bonjour Clara, nous vérifions votre facture.")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    mail = message_from_bytes(smtp[0].received[0], policy=policy.default)
    assert (mail["To"], mail["Subject"], mail["In-Reply-To"], mail["References"]) == (
        "clara.dupont@example.fr",
        "Re: Facture en double",
        "<CAF1234abc@mail.example.fr>",
        "<CAF1234abc@mail.example.fr>",
    )
    assert mail["From"] == "Nimbus Support <support@nimbus.example>"
    assert (
        mail["Message-ID"]
        == f"<msg-{reply.pk}.{channel.workspace_id}@nimbus.example>"
        == reply.network_message_id
    )
    assert mail["Auto-Submitted"] is None  # a person wrote it
    ack = queue_outbound(conversation, "Hemos recibido tu mensaje.", is_private=True, automatic=True)
    ack.refresh_from_db()
    auto = message_from_bytes(smtp[0].received[1], policy=policy.default)
    assert (auto["Auto-Submitted"], auto["X-Auto-Response-Suppress"]) == ("auto-replied", "All")
    # The customer answers our reply: same conversation, found through In-Reply-To.
    answer = _eml("customer__question").replace(
        b"Message-ID: <CAF1234abc@mail.example.fr>",
        f"Message-ID: <CAF999@mail.example.fr>\r\nIn-Reply-To: {reply.network_message_id}".encode(),
    )
    imap.add(answer)
    poll_inbox(channel)
    assert (
        Message.objects.get(network_message_id="<CAF999@mail.example.fr>").conversation_id == conversation.pk
    )


def test_a_refused_recipient_fails_with_the_server_words(
    channel: Channel, agent: Any, imap: FakeImap, smtp: tuple[Mailbox, int]
) -> None:
    imap.add(_eml("customer__question").replace(b"clara.dupont@example.fr", b"gone@example.fr"))
    poll_inbox(channel)
    reply = send_reply(Conversation.objects.get(), agent, "Bonjour, nous vérifions.")
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.delivery_error) == (
        DeliveryStatus.FAILED,
        "Email: the recipient was refused ([550])",
    )
    assert smtp[0].received == []


def test_a_wrong_smtp_password_fails_the_reply(channel: Channel, agent: Any, imap: FakeImap) -> None:
    imap.add(_eml("customer__question"))
    poll_inbox(channel)
    channel.credentials = {**channel.credentials, "password": "wrong"}
    channel.save()
    reply = send_reply(Conversation.objects.get(), agent, "Bonjour, nous vérifions.")
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.delivery_error) == (
        DeliveryStatus.FAILED,
        "Email: the mail server refused the login (535)",
    )


def test_a_wrong_imap_password_is_an_error_and_stores_nothing(channel: Channel, imap: FakeImap) -> None:
    import imaplib

    imap.add(_eml("customer__question"))
    channel.credentials = {**channel.credentials, "password": "wrong"}
    channel.save()
    with pytest.raises(imaplib.IMAP4.error, match="Invalid credentials"):
        poll_inbox(channel)
    assert RawEvent.objects.count() == 0


def test_the_polling_pass_reads_mailboxes_and_survives_a_broken_one(
    workspace: Any, channel: Channel, imap: FakeImap
) -> None:
    from socialdesk.channels.polling import poll_channels

    broken = Channel.objects.create(
        workspace=workspace,
        network="email",
        handle="old@nimbus.example",
        credentials={**channel.credentials, "imap_port": 1},  # nothing listens there
        config={"address": "old@nimbus.example"},
    )
    imap.add(_eml("customer__question"))
    assert poll_channels() == {str(channel): 1}
    broken.refresh_from_db()
    assert "last_uid" not in broken.config


def test_email_cannot_be_moderated(
    workspace: Any, channel: Channel, imap: FakeImap, lead: Any, telecom_policy: Any
) -> None:
    from socialdesk.moderation.actions import ModerationRefused, moderate

    imap.add(_eml("customer__question"))
    poll_inbox(channel)
    with pytest.raises(ModerationRefused, match="email does not let the brand hide messages"):
        moderate(Message.objects.get(), "hide", "spam", lead)


def test_connecting_a_mailbox_checks_the_login(
    workspace: Any, imap: FakeImap, smtp: tuple[Mailbox, int]
) -> None:
    from socialdesk.channels.setup import SetupError, connect_channel

    values = {"address": "help@nimbus.example", "imap_host": "127.0.0.1", "imap_port": str(imap.port),
              "smtp_host": "127.0.0.1", "smtp_port": str(smtp[1]), "security": "none",
              "username": "support@nimbus.example", "password": "nope"}  # fmt: skip
    with pytest.raises(
        SetupError, match="email refused these credentials: the IMAP server refused the login"
    ):
        connect_channel(workspace, "email", values)
    with pytest.raises(SetupError, match="missing: Support address"):
        connect_channel(workspace, "email", {**values, "address": " "})
    channel = connect_channel(workspace, "email", {**values, "password": "imap-pass"})
    assert (channel.handle, channel.config["address"], channel.credentials["password"]) == (
        "help@nimbus.example",
        "help@nimbus.example",
        "imap-pass",
    )
