"""Celery tasks of the ingest pipeline. Idempotent: running one twice does nothing the second time."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from socialdesk.ingest.pipeline import process_raw_events, sweep_pending


@shared_task(name="socialdesk.ingest.tasks.process_raw_event")
def process_raw_event_task(raw_id: int) -> int:
    return process_raw_events([raw_id]).processed


@shared_task(name="socialdesk.ingest.tasks.sweep_pending_events")
def sweep_pending_events(grace_seconds: float = 60.0) -> int:
    """Pick up events whose task was lost (worker killed before the broker redelivered, broker down)."""
    return sweep_pending(grace_seconds)


def process_when_stored(raw_id: int, **_: Any) -> None:
    """Receiver of `ingest.actions.event_stored`: the stored event goes to a worker."""
    process_raw_event_task.delay(raw_id)
