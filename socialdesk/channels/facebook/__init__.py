"""Facebook Page + Messenger: feed comments and visitor posts, Messenger DMs; public replies,
private replies to comments (once, 7 days), Messenger within 24 h then HUMAN_AGENT, hide and delete.
The Graph API client, webhook and payloads are shared with Instagram and WhatsApp in channels.meta."""

from __future__ import annotations

from socialdesk.channels.meta import ACCOUNT_FIELDS
from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec

SPEC = NetworkSpec(
    __name__, "facebook", "Facebook",
    rules=NetworkRules(
        public_reply=True, public_max=8000, private_max=2000, dm_eligibility="user_wrote_first",
        messaging_window_hours=24, human_agent_tag_days=7, private_reply_to_comment_days=7,
        can_hide=True, can_delete_others=True,
    ),
    capabilities=frozenset(Capability),
    webhook=True,
    setup_fields=ACCOUNT_FIELDS,
)  # fmt: skip
