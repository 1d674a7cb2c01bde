"""What Facebook Pages, Instagram and WhatsApp Cloud share: the webhook handshake and signature, and
the Graph API client (httpx) with Meta's error codes and rate-limit headers. Each network's package
(facebook/, instagram/, whatsapp/) adds its payloads and sends."""

from socialdesk.channels.spec import SetupField

ACCOUNT_FIELDS = (
    SetupField("access_token", "Access token", secret=True),
    SetupField("app_secret", "App secret (signs the webhook)", secret=True),
    SetupField("verify_token", "Webhook verify token (you choose it)", secret=True),
)
