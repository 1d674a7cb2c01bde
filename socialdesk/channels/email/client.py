"""Email out over SMTP and in over IMAP (stdlib smtplib/imaplib). Replies thread with In-Reply-To and
References; automatic messages say `Auto-Submitted: auto-replied` (RFC 3834) so other robots do not
answer them; the Message-ID comes from the outbox key, so one reply is one id."""

from __future__ import annotations

import contextlib
import imaplib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from django.utils import timezone

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel
from socialdesk.conversations.models import Message

TIMEOUT = 20.0


def login_of(channel: Channel) -> dict[str, Any]:
    return dict(channel.credentials)


def reply_subject(subject: str) -> str:
    subject = subject.strip() or "Your message"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def compose(message: Message, idempotency_key: str) -> EmailMessage:
    channel = message.channel
    address = str(channel.config.get("address", ""))
    domain = address.rpartition("@")[2] or "socialdesk.invalid"
    handle = message.conversation.contact.handles.filter(network="email").order_by("pk").first()
    if handle is None:
        raise DeliveryError("Email: this contact has no email address", permanent=True)
    parent = Message.objects.filter(channel_id=channel.pk, network_message_id=message.in_reply_to).first()
    stored = parent.raw_event.payload if parent is not None and parent.raw_event is not None else {}
    mail = EmailMessage()
    mail["From"] = formataddr((channel.name or address, address))
    mail["To"] = handle.network_user_id
    mail["Subject"] = reply_subject(str(stored.get("subject", "")) or message.conversation.subject)
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = f"<{idempotency_key}.{message.workspace_id}@{domain}>"
    if message.in_reply_to:
        references = [*stored.get("references", []), message.in_reply_to]
        mail["In-Reply-To"] = message.in_reply_to
        mail["References"] = " ".join(references[-20:])
    if message.automatic:
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(message.text)
    return mail


def send(message: Message, idempotency_key: str) -> str:
    mail = compose(message, idempotency_key)
    creds = login_of(message.channel)
    host, port = str(creds.get("smtp_host", "")), int(creds.get("smtp_port", 587))
    security = str(creds.get("security", "starttls"))
    try:
        smtp: smtplib.SMTP
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if creds.get("username"):
                smtp.login(str(creds["username"]), str(creds.get("password", "")))
            smtp.send_message(mail)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"Email: the mail server refused the login ({exc.smtp_code})", permanent=True
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"Email: the mail server does not support this ({exc})", permanent=True) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        permanent = all(code >= 500 for code in codes)
        raise DeliveryError(f"Email: the recipient was refused ({codes})", permanent=permanent) from exc
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        raise DeliveryError(
            f"Email: the mail server answered {exc.smtp_code} {text}", permanent=exc.smtp_code >= 500
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"Email: the mail server could not be reached: {exc}", permanent=False) from exc
    return str(mail["Message-ID"])


def open_imap(channel: Channel) -> imaplib.IMAP4:
    creds = login_of(channel)
    host, port = str(creds.get("imap_host", "")), int(creds.get("imap_port", 993))
    if str(creds.get("security", "ssl")) == "ssl":
        return imaplib.IMAP4_SSL(host, port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    return imaplib.IMAP4(host, port, timeout=TIMEOUT)


def check_login(channel: Channel) -> None:
    """The mailbox accepts the login (setup check); DeliveryError in the server's words if not."""
    try:
        imap = open_imap(channel)
        try:
            imap.login(
                str(channel.credentials.get("username", "")), str(channel.credentials.get("password", ""))
            )
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                imap.logout()
    except imaplib.IMAP4.error as exc:
        raise DeliveryError(f"the IMAP server refused the login: {exc}", permanent=True) from exc


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: the support address once the mailbox accepts the login."""
    check_login(channel)
    return str(channel.config["address"]), {}
