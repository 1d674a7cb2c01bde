"""Telegram bots: updates by webhook (secret-token header) in; answers in the chat, private messages
only to people who started the bot, deleting messages (under 48 hours) out."""

from __future__ import annotations

import re

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField


def broadcast_chat(value: str) -> str:
    """The channel bulletins are posted in: its public @username or its numeric id (negative, as the
    Bot API gives chats and channels)."""
    if re.fullmatch(r"@[A-Za-z][A-Za-z0-9_]{4,31}|-\d{1,20}", value):
        return value
    raise ValueError("a Telegram chat is @name (5-32 letters, digits or _) or a negative numeric id")


SPEC = NetworkSpec(
    __name__, "telegram", "Telegram",
    rules=NetworkRules(
        public_reply=True, public_max=4096, private_max=4096, dm_eligibility="user_wrote_first",
        can_delete_others=True, delete_max_age_hours=48,
    ),
    capabilities=frozenset(
        {Capability.REPLY, Capability.PRIVATE_MESSAGE, Capability.DELETE, Capability.PUBLISH}
    ),
    webhook=True,
    setup_fields=(
        SetupField("bot_token", "Bot token (from @BotFather)", secret=True),
        SetupField("secret_token", "Webhook secret token (you choose it)", secret=True),
        SetupField(
            "broadcast_chat", "Channel for bulletins (@name or -100… id; the bot is its admin)",
            config=True, optional=True, check=broadcast_chat,
        ),
    ),
)  # fmt: skip
