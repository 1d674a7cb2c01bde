"""WhatsApp's own calls on the shared Graph client: the account check and sending a text."""

from __future__ import annotations

from socialdesk.channels.meta.graph import graph
from socialdesk.channels.models import Channel


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: the business phone number once the Graph API accepts the token."""
    phone = graph(
        channel, "GET", channel.config["phone_number_id"], params={"fields": "display_phone_number"}
    )
    return str(phone.get("display_phone_number") or phone["id"]), {}


def send_text(channel: Channel, to: str, text: str) -> str:
    """POST /{phone number id}/messages with a free-text body; returns WhatsApp's message id."""
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": text, "preview_url": False},
    }
    phone = str(channel.config.get("phone_number_id", ""))
    answer = graph(channel, "POST", f"{phone}/messages", body=body)
    return str(answer["messages"][0]["id"])
