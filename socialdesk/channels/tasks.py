from __future__ import annotations

from celery import shared_task

from socialdesk.channels.polling import poll_channels
from socialdesk.channels.webhooks import prune_deliveries


@shared_task(name="socialdesk.channels.tasks.poll_channels")
def poll_channels_task() -> dict[str, int]:
    prune_deliveries()
    return poll_channels()
