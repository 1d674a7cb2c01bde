from __future__ import annotations

from celery import shared_task

from socialdesk.notifications.sending import send_pending


@shared_task(name="socialdesk.notifications.tasks.send_notification", acks_late=True)
def send_notification_task(notification_id: int) -> int:
    # No Celery retries: a failed attempt reschedules its delivery, and notifications_tick sends it when due.
    return send_pending(notification_id=notification_id)
