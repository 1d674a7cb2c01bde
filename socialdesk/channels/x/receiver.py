"""X inbound: the Account Activity webhook (CRC challenge, signed deliveries). The mention poller
(poller.py) stores the same event ids, so the two dedupe."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from socialdesk.channels.models import Channel
from socialdesk.channels.webhooks import Refused, accept, b64_hmac, check_signature, parse_json, read_body
from socialdesk.channels.x.payloads import split_delivery

log = logging.getLogger(__name__)


def crc_response(consumer_secret: str, crc_token: str) -> str:
    """X's Challenge-Response Check: sha256= + base64(HMAC-SHA256(consumer secret, crc_token))."""
    return "sha256=" + b64_hmac(consumer_secret, crc_token.encode("utf-8"))


@csrf_exempt
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id, network="x", is_active=True)
    secret = str(channel.credentials.get("consumer_secret", ""))
    try:
        if not secret:
            raise Refused(503, "this channel has no consumer secret")
        if request.method == "GET":
            token = request.GET.get("crc_token", "")
            if not token or len(token) > 500:
                raise Refused(400, "crc_token missing")
            return JsonResponse({"response_token": crc_response(secret, token)})
        if request.method != "POST":
            raise Refused(405, "GET (CRC) or POST only")
        body = read_body(request)
        given = request.headers.get("x-twitter-webhooks-signature", "")
        check_signature(given, "sha256=" + b64_hmac(secret, body))
        payload = parse_json(body)
        if not isinstance(payload, dict):
            raise Refused(400, "a delivery is a JSON object")
        expected_user = str(channel.config.get("user_id", ""))
        if expected_user and str(payload.get("for_user_id", "")) != expected_user:
            raise Refused(400, "delivery for another account")
        try:
            events = split_delivery(payload)
        except (ValidationError, ValueError) as exc:
            raise Refused(400, f"not an X activity: {str(exc)[:300]}") from None
        if not events:
            # Follows, likes, typing indicators ...: acknowledged, nothing to store.
            log.info("x channel %s: delivery without tweets or DMs (%s)", channel.pk, sorted(payload))
        return accept(channel, body, events)
    except Refused as refused:
        return refused.response()
