"""Meta's webhook: the subscription handshake (hub.challenge echoed when hub.verify_token matches)
and deliveries signed with X-Hub-Signature-256 = sha256= + hex HMAC-SHA256(app secret, raw body)."""

from __future__ import annotations

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from pydantic import ValidationError

from socialdesk.channels.meta.payloads import split_entries
from socialdesk.channels.models import Channel
from socialdesk.channels.webhooks import Refused, accept, check_signature, hmac_sha256, parse_json, read_body


def handle(request: HttpRequest, channel_id: int, network: str, obj: str) -> HttpResponse:
    """One Meta network's webhook for one channel; `obj` is the delivery's `object` for the network."""
    channel = get_object_or_404(Channel, pk=channel_id, network=network, is_active=True)
    try:
        if request.method == "GET":
            return _handshake(request, channel)
        if request.method != "POST":
            raise Refused(405, "GET (verification) or POST only")
        secret = str(channel.credentials.get("app_secret", ""))
        if not secret:
            raise Refused(503, "this channel has no app secret")
        body = read_body(request)
        check_signature(
            request.headers.get("X-Hub-Signature-256", ""), "sha256=" + hmac_sha256(secret, body).hex()
        )
        payload = parse_json(body)
        if not isinstance(payload, dict) or payload.get("object") != obj:
            raise Refused(400, f"not a {obj} delivery")
        try:
            events = split_entries(payload)
        except (ValidationError, ValueError, KeyError, TypeError) as exc:
            raise Refused(400, f"not a {obj} delivery: {str(exc)[:300]}") from None
        return accept(channel, body, events)
    except Refused as refused:
        return refused.response()


def _handshake(request: HttpRequest, channel: Channel) -> HttpResponse:
    expected = str(channel.credentials.get("verify_token", ""))
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") != "subscribe" or not expected:
        raise Refused(400, "not a subscription request")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Refused(403, "verify token does not match")
    challenge = request.GET.get("hub.challenge", "")
    if not challenge or len(challenge) > 200:
        raise Refused(400, "hub.challenge missing")
    return HttpResponse(challenge, content_type="text/plain")
