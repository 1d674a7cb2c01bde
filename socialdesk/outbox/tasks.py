from __future__ import annotations

from celery import shared_task

from socialdesk.outbox.actions import send_item


@shared_task(name="socialdesk.outbox.tasks.send_item", acks_late=True)
def send_outbox_item_task(item_id: int) -> str:
    # No Celery retries: a failed attempt reschedules the row itself, and outbox_tick sends it when due.
    return send_item(item_id)
