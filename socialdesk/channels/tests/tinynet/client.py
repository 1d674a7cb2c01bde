"""TinyNet's outbound "I/O": a list in memory the test reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialdesk.channels.errors import DeliveryError

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules

SENT: list[tuple[str, NetworkRules]] = []


def send(text: str, rules: NetworkRules) -> str:
    SENT.append((text, rules))
    return f"tiny-{len(SENT)}"


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    if channel.credentials.get("token") != "good":
        raise DeliveryError("TinyNet: bad token", permanent=True)
    return "@tiny_brand", {"tiny_id": "7"}
