"""WhatsApp Cloud API: customers' messages in; free-text answers only within 24 hours of their last
message (after that WhatsApp accepts only approved templates, which the desk does not send yet).
The Graph API client, webhook and payloads are shared with Facebook and Instagram in channels.meta."""

from __future__ import annotations

from socialdesk.channels.meta import ACCOUNT_FIELDS
from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField

SPEC = NetworkSpec(
    __name__, "whatsapp", "WhatsApp",
    rules=NetworkRules(
        public_reply=False, private_max=4096, dm_eligibility="user_wrote_first", messaging_window_hours=24,
    ),
    capabilities=frozenset({Capability.PRIVATE_MESSAGE}),
    webhook=True,
    setup_fields=(*ACCOUNT_FIELDS, SetupField("phone_number_id", "Phone number id", config=True)),
)  # fmt: skip
