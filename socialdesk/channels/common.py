"""What every network's adapter does the same way: turn a parser's complaint into PayloadError, and
find the contact's account on the network to write to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from socialdesk.channels.errors import DeliveryError, PayloadError

if TYPE_CHECKING:
    from socialdesk.conversations.models import ContactHandle, Message


def normalized[Parsed](what: str, parse: Callable[[], Parsed]) -> Parsed:
    """Run the network's parser; a payload that is not what the network documents is a PayloadError
    (the raw event is kept and marked failed) naming `what` it should have been."""
    try:
        return parse()
    except ValidationError as exc:
        raise PayloadError(f"not {what}: {exc.errors(include_url=False)}") from exc
    except KeyError as exc:
        raise PayloadError(f"not {what}: no {exc}") from exc


def recipient_handle(message: Message, network: str, display: str) -> ContactHandle:
    """The contact's (first) account on `network`, which private messages are written to."""
    handle = message.conversation.contact.handles.filter(network=network).order_by("pk").first()
    if handle is None:
        raise DeliveryError(f"{display}: this contact has no {display} account to write to", permanent=True)
    return handle
