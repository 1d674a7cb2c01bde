"""Sending email and webhook deliveries: claim one (pending -> sending, with a lease), try once,
record the attempt, then mark it sent, failed for good, or pending again after a backoff. Each
delivery is claimed and tried on its own, so an endpoint that fails or hangs delays nobody else's.

A sender killed mid-attempt leaves a `sending` row whose lease runs out; the tick makes it pending
again, so the receiver may get it twice (the `X-Socialdesk-Delivery` header lets it tell)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from socialdesk.notifications.errors import SendError
from socialdesk.notifications.mail import send_email
from socialdesk.notifications.models import Attempt, Delivery, DeliveryStatus, Medium
from socialdesk.notifications.outgoing import post_webhook

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=1)  # longer than one attempt's timeout
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 8  # about 10 minutes of trying, then the delivery is failed and shown so


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at an hour."""
    delay: timedelta = BASE_DELAY * (2 ** max(0, attempts - 1))
    return min(MAX_DELAY, delay)


def send_delivery(delivery_id: int, now: datetime | None = None) -> str:
    """One attempt at a due delivery; returns its status afterwards."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_until=now + LEASE)
    delivery = Delivery.objects.select_related("notification__workspace", "user", "webhook").get(
        pk=delivery_id
    )
    if not claimed:
        return str(delivery.status)
    started = time.monotonic()
    code: int | None = None
    error: SendError | None = None
    try:
        code = send_email(delivery) if delivery.medium == Medium.EMAIL else post_webhook(delivery, now)
    except SendError as failed:
        error = failed
    except Exception as failed:  # a bug or an odd answer: retried, logged, never lost
        log.exception("notification delivery %s: unexpected error", delivery_id)
        error = SendError(f"unexpected error: {failed}"[:300])
    Attempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=error.status_code if error else code,
        ok=error is None,
        error=str(error)[:300] if error else "",
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    return _settle(delivery, error, now)


def _settle(delivery: Delivery, error: SendError | None, now: datetime) -> str:
    mine = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if error is None:
        mine.update(status=DeliveryStatus.SENT, sent_at=now, claimed_until=None, last_error="")
        return DeliveryStatus.SENT
    if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        reason = str(error) if error.permanent else f"gave up after {delivery.attempts} attempts: {error}"
        mine.update(status=DeliveryStatus.FAILED, claimed_until=None, last_error=reason[:300])
        return DeliveryStatus.FAILED
    mine.update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now + backoff(delivery.attempts),
        claimed_until=None,
        last_error=str(error)[:300],
    )
    return DeliveryStatus.PENDING


def send_pending(*, notification_id: int | None = None, now: datetime | None = None, limit: int = 200) -> int:
    """Try every due delivery (of one notification, or all); returns how many got through."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    if notification_id is not None:
        due = due.filter(notification_id=notification_id)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(send_delivery(pk, now) == DeliveryStatus.SENT for pk in ids)


@dataclass
class TickResult:
    recovered: int
    sent: int


def notifications_tick(now: datetime | None = None) -> TickResult:
    """The periodic job: deliveries whose sender stopped mid-attempt go back to pending, then every
    due delivery (first tries and retries) is tried."""
    now = now or timezone.now()
    recovered = Delivery.objects.filter(
        Q(status=DeliveryStatus.SENDING), Q(claimed_until__lt=now) | Q(claimed_until__isnull=True)
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=now, claimed_until=None)
    return TickResult(recovered=recovered, sent=send_pending(now=now))
