"""WhatsApp Cloud API: customers' messages in; free-text answers only within 24 hours of their last
message (after that WhatsApp accepts only approved templates, which the desk does not send yet).
The Graph API client, webhook and payloads are shared with Facebook and Instagram in channels.meta."""

from __future__ import annotations

from socialdesk.channels.meta import ACCOUNT_FIELDS
from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField
from socialdesk.channels.whatsapp.adapter import WhatsAppAdapter

SPEC = NetworkSpec(
    name="whatsapp",
    display_name="WhatsApp",
    adapter=WhatsAppAdapter(),
    rules=NetworkRules(
        public_reply=False, private_max=4096, dm_eligibility="user_wrote_first", messaging_window_hours=24,
    ),
    capabilities=frozenset({Capability.PRIVATE_MESSAGE}),
    webhook="socialdesk.channels.whatsapp.receiver.webhook",
    setup_fields=(*ACCOUNT_FIELDS, SetupField("phone_number_id", "Phone number id", config=True)),
    credential_check="socialdesk.channels.whatsapp.client.check_account",
)  # fmt: skip
