"""Ingest, the receiving end: store raw events idempotently and hand them to the pipeline after
commit (`ingest.pipeline` processes each exactly once; its entry points are re-exported here for
the CLI, the benchmarks and the tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.ingest.models import RawEvent
from socialdesk.ingest.pipeline import ProcessResult, pending_event_ids, process_pending, process_raw_events
from socialdesk.ingest.tasks import process_raw_event_task

__all__ = [
    "ProcessResult",
    "pending_event_ids",
    "process_pending",
    "process_raw_events",
    "receive_event",
    "receive_events",
    "storable",
]


def storable(value: Any) -> Any:
    """The payload minus NUL characters, which PostgreSQL's jsonb cannot hold and no post means."""
    if isinstance(value, str):
        return value.replace("\x00", "")
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
    transaction.on_commit(lambda: process_raw_event_task.delay(raw_id))
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
