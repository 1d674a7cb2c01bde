"""Reading masked personal data as written: members only, and never without a trace."""

from __future__ import annotations

import hmac
from datetime import datetime
from hashlib import sha256

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from socialdesk.conversations.models import Message, PersonalDataReveal
from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import require_member

# What an erased or anonymised message says instead of its text.
ERASED = "[erased]"


def pseudonym(contact_id: int) -> str:
    """The stable name an erased contact keeps: its number says nothing about the person."""
    return f"erased-contact-{contact_id}"


def erased_network_id(channel_id: int, network_id: str) -> str:
    """What an erased message keeps of its network id: a keyed digest. Nobody can look the post up on
    the network from it, yet the same post delivered again (a webhook retry, a poll overlapping the
    webhook) is recognised by threading and dropped instead of bringing the text back."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"{channel_id}:{network_id}".encode("utf-8", "replace"), sha256).hexdigest()
    return "erased:" + digest[:40]


def shown_text(message: Message) -> str:
    """What pages and the API show of a message: masked when it holds data the desk must not show."""
    return message.text if message.masked_text is None else message.masked_text


def reveal_personal_data(message: Message, actor: User, now: datetime | None = None) -> str:
    """The message as written, for a member of its workspace; who read it and when is kept."""
    require_member(actor, message.workspace_id)
    if message.masked_text is None:
        raise DeskError("nothing in this message is masked")
    PersonalDataReveal.objects.create(
        workspace_id=message.workspace_id, message=message, actor=actor, created_at=now or timezone.now()
    )
    return message.text
