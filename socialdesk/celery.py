"""The Celery application. Tasks run in-process when SOCIALDESK_BROKER_URL is unset."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

from socialdesk.jobs import job_named

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")

app = Celery("socialdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="socialdesk.jobs.run")
def run_job(name: str) -> None:
    """Beat's entry to the periodic work: one job of socialdesk.jobs by name."""
    job_named(name).run()


@worker_ready.connect
def _recover_on_start(sender: Any, **_: Any) -> None:
    """A worker that starts (or restarts after a crash) first sweeps events whose tasks were lost."""
    app.send_task("socialdesk.ingest.tasks.sweep_pending_events", kwargs={"grace_seconds": 0})
