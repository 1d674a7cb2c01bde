"""Telegram's webhook: Telegram sends the secret token set with setWebhook in
X-Telegram-Bot-Api-Secret-Token; anything else is refused. One stored event per message."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from socialdesk.channels.models import Channel
from socialdesk.channels.telegram.payloads import event_id
from socialdesk.channels.webhooks import Refused, accept, check_signature, parse_json, read_body


@csrf_exempt
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id, network="telegram", is_active=True)
    try:
        if request.method != "POST":
            raise Refused(405, "POST only")
        expected = str(channel.credentials.get("secret_token", ""))
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not expected:
            raise Refused(503, "this channel has no webhook secret token")
        check_signature(given, expected, what="secret token")
        body = read_body(request)
        payload = parse_json(body)
        if not isinstance(payload, dict):
            raise Refused(400, "an update is a JSON object")
        try:
            key = event_id(payload)
        except ValidationError as exc:
            raise Refused(400, f"not a Telegram update: {str(exc)[:300]}") from None
        return accept(channel, body, [(key, payload)] if key else [])
    except Refused as refused:
        return refused.response()
