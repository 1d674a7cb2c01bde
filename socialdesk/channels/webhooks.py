"""What every webhook receiver does the same way: read a bounded body, check its signature, refuse a
replayed body, store each event idempotently and answer at once. Receivers only verify and store;
processing happens after commit (DESIGN: receivers only verify, store, enqueue)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from socialdesk.channels.models import Channel, WebhookDelivery
from socialdesk.channels.registry import networks
from socialdesk.ingest.actions import receive_event

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes; real deliveries are a few KB, a bigger body is an attack or a mistake


class Refused(Exception):
    """A webhook request is refused with this status and reason; nothing is stored."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> JsonResponse:
        return JsonResponse({"error": self.reason}, status=self.status)


def read_body(request: HttpRequest, limit: int = MAX_BODY) -> bytes:
    declared = request.headers.get("Content-Length", "")
    if declared.isdecimal() and int(declared) > limit:
        raise Refused(413, f"body over {limit} bytes")
    body = request.body
    if len(body) > limit:
        raise Refused(413, f"body over {limit} bytes")
    return body


def hmac_sha256(secret: str, data: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).digest()


def check_signature(given: str, expected: str, what: str = "signature") -> None:
    """401 unless `given` equals `expected` (compared in constant time)."""
    if not given:
        raise Refused(401, f"missing {what}")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8")):
        raise Refused(401, f"bad {what}")


def b64_hmac(secret: str, data: bytes) -> str:
    return base64.b64encode(hmac_sha256(secret, data)).decode("ascii")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(400, f"malformed JSON: {exc}") from None


def accept(channel: Channel, body: bytes, events: Sequence[tuple[str, Mapping[str, Any]]]) -> JsonResponse:
    """Store a verified delivery's events (each idempotent on its event id); a body seen before is a
    replay (409, nothing stored)."""
    digest = hashlib.sha256(body).hexdigest()
    stored = 0
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(channel=channel, digest=digest)
            for event_id, payload in events:
                stored += int(receive_event(channel, event_id, payload))
    except IntegrityError:
        raise Refused(409, "this delivery was already received") from None
    return JsonResponse({"stored": stored, "events": len(events)})


REPLAY_WINDOW_DAYS = 14  # networks retry a delivery for hours, not weeks


def prune_deliveries(days: int = REPLAY_WINDOW_DAYS) -> int:
    """Forget digests older than the replay window (the table would otherwise only grow)."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = WebhookDelivery.objects.filter(received_at__lt=cutoff).delete()
    return deleted


@csrf_exempt
def receive(request: HttpRequest, network: str, channel_id: int) -> HttpResponse:
    """`hooks/<network>/<channel id>/`: the network's own receiver, found in the registry (404 for a
    network that takes no webhooks). CSRF-exempt here because Django checks the routed view."""
    spec = networks().get(network)
    view = spec.webhook_view() if spec is not None else None
    if view is None:
        raise Http404(f"{network} takes no webhooks")
    return view(request, channel_id)
