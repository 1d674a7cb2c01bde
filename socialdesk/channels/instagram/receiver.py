"""Instagram's webhook: Meta's handshake and signature (channels.meta.webhook) for `object=instagram`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from socialdesk.channels.meta.webhook import handle


@csrf_exempt
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    return handle(request, channel_id, "instagram", "instagram")
