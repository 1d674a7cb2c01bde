"""Reading masked personal data as written: members only, and never without a trace."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from socialdesk.conversations.models import Message, PersonalDataReveal
from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import require_member


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
