"""Telegram bots: updates by webhook (secret-token header) in; answers in the chat, private messages
only to people who started the bot, deleting messages (under 48 hours) out."""

from __future__ import annotations

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField

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
    ),
)  # fmt: skip
