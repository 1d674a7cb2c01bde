from __future__ import annotations

from celery import shared_task

from socialdesk.channels.registry import DeliveryError
from socialdesk.conversations.actions import deliver_message


@shared_task(
    name="socialdesk.conversations.tasks.deliver_message",
    autoretry_for=(DeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def deliver_message_task(message_id: int) -> str:
    return deliver_message(message_id)
