"""Notifications by email, through Django's default mailer (settings.MAILERS: the SMTP server named
by SOCIALDESK_SMTP_*)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from socialdesk.notifications.errors import SendError
from socialdesk.notifications.models import Delivery, Kind
from socialdesk.notifications.text import absolute


def message_for(delivery: Delivery) -> EmailMessage:
    notification = delivery.notification
    assert delivery.user is not None  # noqa: S101 - email deliveries are made for members
    label = Kind(notification.kind).label
    lines = [notification.text, ""]
    if notification.link:
        lines += [f"Open: {absolute(notification.link)}", ""]
    lines += [
        "--",
        f"{notification.workspace.name} · {label}",
        f"Choose what you receive: {absolute('/notifications/preferences/')}",
    ]
    return EmailMessage(
        subject=f"[{notification.workspace.name}] {label}: {notification.text}"[:200],
        body="\n".join(lines) + "\n",
        from_email=settings.SOCIALDESK_EMAIL_FROM,
        to=[delivery.user.email],
        headers={
            # RFC 3834: machine-made, so vacation responders stay quiet.
            "Auto-Submitted": "auto-generated",
            "X-Socialdesk-Notification": str(notification.pk),
            "X-Socialdesk-Kind": notification.kind,
        },
    )


def send_email(delivery: Delivery) -> int | None:
    """Send it; None on success (the backend does not report the server's final reply code)."""
    try:
        message_for(delivery).send()
    except smtplib.SMTPRecipientsRefused as refused:
        code, reason = next(iter(refused.recipients.values()))
        raise SendError(_words(code, reason), status_code=code, permanent=code >= 500) from refused
    except smtplib.SMTPResponseException as answered:
        code = answered.smtp_code
        # 535: the desk's own login is wrong; an admin may fix it, so it is retried like 4xx.
        permanent = code >= 500 and code != 535
        raise SendError(
            _words(code, answered.smtp_error), status_code=code, permanent=permanent
        ) from answered
    except (smtplib.SMTPException, OSError) as failed:
        raise SendError(f"cannot reach the SMTP server: {failed}"[:300]) from failed
    return None


def _words(code: int, reason: bytes | str) -> str:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason
    return f"SMTP {code}: {text}"[:300]
