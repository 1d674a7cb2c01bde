"""What Facebook Pages, Instagram and WhatsApp Cloud share: the webhook handshake and signature, the
Graph API client (httpx) with Meta's error codes and rate-limit headers, the one webhook envelope
their payloads come in (payloads.py), sending by the messaging rules (send.py), the comments adapter
of Facebook and Instagram, and the end-to-end tests against one fake Graph API. Each network's own
package (facebook/, instagram/, whatsapp/) exports its spec, adapter, client and receiver."""

from socialdesk.channels.spec import SetupField

ACCOUNT_FIELDS = (
    SetupField("access_token", "Access token", secret=True),
    SetupField("app_secret", "App secret (signs the webhook)", secret=True),
    SetupField("verify_token", "Webhook verify token (you choose it)", secret=True),
)
