"""TinyNet's webhook: a shared secret header, one post per delivery."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt

from socialdesk.channels.models import Channel
from socialdesk.channels.webhooks import Refused, accept, check_signature, parse_json, read_body


@csrf_exempt
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id, network="tinynet", is_active=True)
    try:
        check_signature(request.headers.get("X-Tiny-Token", ""), str(channel.credentials.get("token", "")))
        body = read_body(request)
        post = parse_json(body)
        return accept(channel, body, [(f"post:{post['id']}", post)])
    except Refused as refused:
        return refused.response()
