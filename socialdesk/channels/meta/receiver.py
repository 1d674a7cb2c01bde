"""The three Meta webhooks: one URL per channel, each checking its own object type."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from socialdesk.channels.meta.payloads import split_entries
from socialdesk.channels.meta.webhook import handle
from socialdesk.channels.models import Channel


def _split(channel: Channel, payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return split_entries(payload)


@csrf_exempt
def facebook(request: HttpRequest, channel_id: int) -> HttpResponse:
    return handle(request, channel_id, "facebook", "page", _split)


@csrf_exempt
def instagram(request: HttpRequest, channel_id: int) -> HttpResponse:
    return handle(request, channel_id, "instagram", "instagram", _split)


@csrf_exempt
def whatsapp(request: HttpRequest, channel_id: int) -> HttpResponse:
    return handle(request, channel_id, "whatsapp", "whatsapp_business_account", _split)
