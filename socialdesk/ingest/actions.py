"""Ingest, the receiving end: store raw events idempotently and announce each after commit.

Storing sits below everything that processes: receivers and pollers of every network call it, and
`ingest.pipeline` (above triage, policy and the outbox) processes what it stored. The hand-off is
the `event_stored` signal, which the pipeline's Celery task listens to (connected in
`IngestConfig.ready`), so this module needs nothing from the layers above it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.ingest.models import RawEvent

# Sent after the commit that stored a raw event, with `raw_id`; a receiver that raises (the broker is
# down) leaves the event pending for the sweep, and the error reaches the caller after the commit.
event_stored = Signal()

LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value: Any) -> Any:
    """The payload minus NUL characters, which PostgreSQL's jsonb cannot hold and no post means, and with
    lone surrogates (half of a broken emoji: not text, refused by jsonb and by SQLite's encoder when the
    message is written) replaced by U+FFFD, so the customer's post is kept."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        return value if value.isascii() else LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, Mapping):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


def receive_event(
    channel: Channel, event_id: str, payload: Mapping[str, Any], received_at: datetime | None = None
) -> bool:
    """Store a delivery and enqueue its processing. Returns False for a duplicate (nothing stored)."""
    try:
        with transaction.atomic():
            raw = RawEvent.objects.create(
                channel=channel,
                event_id=event_id,
                payload=storable(payload),
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:
        return False
    raw_id = raw.pk
    transaction.on_commit(lambda: event_stored.send(sender=RawEvent, raw_id=raw_id))
    return True


def receive_events(channel: Channel, events: Sequence[tuple[str, Mapping[str, Any]]]) -> list[int]:
    """Store many deliveries in one statement (bulk pollers, benchmarks). Returns the new rows' ids."""
    now = timezone.now()
    ids = [event_id for event_id, _ in events]
    existing = set(
        RawEvent.objects.filter(channel=channel, event_id__in=ids).values_list("event_id", flat=True)
    )
    rows = [
        RawEvent(channel=channel, event_id=event_id, payload=storable(payload), received_at=now)
        for event_id, payload in events
        if event_id not in existing
    ]
    RawEvent.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        RawEvent.objects.filter(channel=channel, event_id__in=[r.event_id for r in rows]).values_list(
            "pk", flat=True
        )
    )
