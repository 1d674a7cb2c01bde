"""What Facebook Pages, Instagram and WhatsApp Cloud share: the webhook handshake and signature, and
the Graph API client (httpx) with Meta's error codes and rate-limit headers. Each network's package
(facebook/, instagram/, whatsapp/) adds its payloads and sends."""
