"""The Celery application. Tasks run in-process when SOCIALDESK_BROKER_URL is unset."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")

app = Celery("socialdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
