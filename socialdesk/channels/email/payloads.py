"""Email in: an RFC 5322 message reduced to what the desk keeps (ids, threading headers, sender,
subject, the text part), and RFC 3834's rule: automatic and bulk mail is never a conversation (so it
is never answered, acknowledgments included)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage

MAX_TEXT = 50_000
NO_REPLY = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@", "donotreply@")


class StoredEmail(BaseModel):
    """What a raw event holds for one email (attachments are not kept)."""

    model_config = ConfigDict(extra="forbid")

    uid: str
    message_id: str = Field(min_length=1, max_length=300)
    in_reply_to: str = ""
    references: list[str] = Field(default_factory=list)
    sender: str
    sender_name: str = ""
    subject: str = ""
    date: datetime
    text: str
    automatic: str = Field(default="", description="Why RFC 3834 says this is not a person writing.")


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return str(content)[:MAX_TEXT]


def automatic_reason(message: EmailMessage, sender: str) -> str:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in {"bulk", "junk", "list"}:
        return f"Precedence: {precedence}"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing list"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-responder"
    if sender.lower().startswith(NO_REPLY):
        return f"sent from {sender}"
    return ""


def parse(raw: bytes, uid: str) -> StoredEmail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default builds EmailMessage
    name, address = parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip() or f"<uid-{uid}@socialdesk.invalid>"
    try:
        date = parsedate_to_datetime(str(message.get("Date", "")))
        date = date if date.tzinfo else date.replace(tzinfo=UTC)
    except (TypeError, ValueError):
        date = datetime.now(tz=UTC)
    return StoredEmail(
        uid=uid,
        message_id=message_id[:300],
        in_reply_to=str(message.get("In-Reply-To", "")).strip()[:300],
        references=str(message.get("References", "")).split()[:50],
        sender=address.lower(),
        sender_name=name,
        subject=str(message.get("Subject", ""))[:300],
        date=date,
        text=_text(message),
        automatic=automatic_reason(message, address),
    )


def normalize(payload: dict[str, Any]) -> list[InboundMessage]:
    email = StoredEmail.model_validate(payload)
    if email.automatic or not email.sender:
        return []
    root = email.references[0] if email.references else None
    return [
        InboundMessage(
            network="email",
            message_id=email.message_id,
            kind="email",
            is_private=True,
            author=Author(network_user_id=email.sender, handle=email.sender, display_name=email.sender_name),
            text=(f"{email.subject}\n\n{email.text}" if email.subject else email.text).strip() or "(empty)",
            created_at=email.date,
            in_reply_to=email.in_reply_to or None,
            thread_root=root,
        )
    ]
