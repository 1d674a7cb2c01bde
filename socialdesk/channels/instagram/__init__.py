"""Instagram (professional account via the Graph API): comments on our media and DMs; public
replies, private replies to comments (once, 7 days), DMs within 24 h then HUMAN_AGENT, hide, delete.
The Graph API client, webhook and payloads are shared with Facebook and WhatsApp in channels.meta."""

from __future__ import annotations

from socialdesk.channels.meta import ACCOUNT_FIELDS
from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec

SPEC = NetworkSpec(
    __name__, "instagram", "Instagram",
    rules=NetworkRules(
        public_reply=True, public_max=2200, private_max=1000, private_unit="utf8_bytes",
        dm_eligibility="user_wrote_first", messaging_window_hours=24, human_agent_tag_days=7,
        private_reply_to_comment_days=7, can_hide=True, can_delete_others=True,
    ),
    # Instagram publishes only posts with an image or video: no text bulletins.
    capabilities=frozenset(Capability) - {Capability.PUBLISH},
    webhook=True,
    setup_fields=ACCOUNT_FIELDS,
)  # fmt: skip
