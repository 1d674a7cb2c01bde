from __future__ import annotations

from celery import shared_task

from socialdesk.channels.polling import poll_channels


@shared_task(name="socialdesk.channels.tasks.poll_channels")
def poll_channels_task() -> dict[str, int]:
    return poll_channels()
