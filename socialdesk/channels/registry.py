"""Network name -> network package. Adding a network is adding one package that exposes `ADAPTER`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class PayloadError(ValueError):
    """The payload is not what the network documents; the raw event is kept and marked failed."""


class DeliveryError(RuntimeError):
    """Sending failed. `permanent` errors are not retried; the agent is told why. `retry_after` is
    what the network asked for (rate limits: Retry-After, x-rate-limit-reset), in seconds."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class CannotReconcile(RuntimeError):
    """The network offers no way to ask whether something we may have sent arrived."""


class NetworkAdapter(Protocol):
    name: str

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        """Messages in this event; None for an event type the desk does not handle (acknowledged, ignored)."""
        ...

    def deliver(self, message: Message, idempotency_key: str) -> str:
        """Send an outbound message; returns the network's id for it."""
        ...

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        """Hide or delete a customer's message on the network."""
        ...

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        """After a crash mid-send: the network's id if it has what we sent, None if it surely does not;
        raises CannotReconcile when the network cannot tell."""
        ...


_PACKAGES = {
    "sandbox": "socialdesk.channels.sandbox",
    "x": "socialdesk.channels.x",
    "facebook": "socialdesk.channels.facebook",
    "instagram": "socialdesk.channels.instagram",
    "whatsapp": "socialdesk.channels.whatsapp",
    "telegram": "socialdesk.channels.telegram",
    "email": "socialdesk.channels.email",
    "mastodon": "socialdesk.channels.mastodon",
    "reddit": "socialdesk.channels.reddit",
    "bluesky": "socialdesk.channels.bluesky",
}


def adapter_for(network: str) -> NetworkAdapter:
    try:
        module_path = _PACKAGES[network]
    except KeyError:
        raise LookupError(f"no connector is installed for network {network!r}") from None
    adapter: NetworkAdapter = importlib.import_module(module_path).ADAPTER
    return adapter
