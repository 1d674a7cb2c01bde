"""Each network's rules as data (2026). A policy may override any field per network."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

NetworkName = Literal[
    "x", "facebook", "instagram", "whatsapp", "mastodon", "bluesky", "reddit", "telegram", "email"
]
NETWORKS: tuple[NetworkName, ...] = (
    "x", "facebook", "instagram", "whatsapp", "mastodon", "bluesky", "reddit", "telegram", "email",
)  # fmt: skip

# How a network measures length: X weights URLs and wide characters; Mastodon and Bluesky count
# graphemes; Instagram DMs are limited in UTF-8 bytes.
LengthUnit = Literal["x_weighted", "graphemes", "chars", "utf8_bytes"]
# Who may be messaged privately.
DmEligibility = Literal[
    "anyone", "follows_or_open_dms", "user_wrote_first", "allow_incoming", "user_consent", "none"
]


class NetworkRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    public_reply: bool = Field(description="The desk can answer in public on this network.")
    public_max: int | None = Field(default=None, ge=1, description="Length limit of a public reply.")
    public_unit: LengthUnit = "chars"
    private_max: int | None = Field(default=None, ge=1, description="Length limit of a private message.")
    private_unit: LengthUnit = "chars"
    dm_eligibility: DmEligibility = "none"
    messaging_window_hours: int | None = Field(
        default=None, ge=1, description="Free-form private messages only this long after the user's last one."
    )
    human_agent_tag_days: int | None = Field(
        default=None, ge=1, description="With the HUMAN_AGENT tag, private replies allowed this many days."
    )
    private_reply_to_comment_days: int | None = Field(
        default=None, ge=1, description="A comment may get one private reply within this many days."
    )
    can_hide: bool = False
    can_delete_others: bool = False
    delete_max_age_hours: int | None = None

    def limit(self, private: bool) -> tuple[int | None, LengthUnit]:
        """(length limit, how it is counted) for a private message or a public reply."""
        return (self.private_max, self.private_unit) if private else (self.public_max, self.public_unit)


DEFAULT_NETWORK_RULES: dict[str, NetworkRules] = {
    "x": NetworkRules(
        public_reply=True, public_max=280, public_unit="x_weighted", private_max=10_000,
        dm_eligibility="follows_or_open_dms", can_hide=True,
    ),
    "facebook": NetworkRules(
        public_reply=True, public_max=8000, private_max=2000, dm_eligibility="user_wrote_first",
        messaging_window_hours=24, human_agent_tag_days=7, private_reply_to_comment_days=7,
        can_hide=True, can_delete_others=True,
    ),
    "instagram": NetworkRules(
        public_reply=True, public_max=2200, private_max=1000, private_unit="utf8_bytes",
        dm_eligibility="user_wrote_first", messaging_window_hours=24, human_agent_tag_days=7,
        private_reply_to_comment_days=7, can_hide=True, can_delete_others=True,
    ),
    "whatsapp": NetworkRules(
        public_reply=False, private_max=4096, dm_eligibility="user_wrote_first", messaging_window_hours=24,
    ),
    "mastodon": NetworkRules(
        public_reply=True, public_max=500, public_unit="graphemes", private_max=500, private_unit="graphemes",
        dm_eligibility="anyone",
    ),
    "bluesky": NetworkRules(
        public_reply=True, public_max=300, public_unit="graphemes", private_max=1000,
        private_unit="graphemes", dm_eligibility="allow_incoming",
    ),
    "reddit": NetworkRules(
        public_reply=True, public_max=10_000, private_max=10_000, dm_eligibility="user_consent",
        can_hide=True, can_delete_others=True,
    ),
    "telegram": NetworkRules(
        public_reply=True, public_max=4096, private_max=4096, dm_eligibility="user_wrote_first",
        can_delete_others=True, delete_max_age_hours=48,
    ),
    "email": NetworkRules(public_reply=False, private_max=100_000, dm_eligibility="anyone"),
}  # fmt: skip
