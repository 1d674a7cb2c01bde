"""The one list of periodic work. Celery beat schedules it (settings.CELERY_BEAT_SCHEDULE, through
the `socialdesk.jobs.run` task), and without a broker `socialdesk worker` and the demo server's
clock run the same jobs at the same intervals. Every job is idempotent: running one twice, or on two
machines at once, does nothing twice."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    # Named by dotted path and imported when run: the settings read this list before Django is set up.
    function: str
    every: float  # seconds

    def run(self) -> Any:
        function: Callable[[], Any] = import_string(self.function)
        return function()


JOBS: tuple[Job, ...] = (
    # Events whose task was lost (a worker killed before the broker redelivered, a broker down).
    Job("sweep-pending-events", "socialdesk.ingest.pipeline.sweep_pending", 30.0),
    # New posts triaged again on the accurate path; conversations routed again when that changed.
    Job("refine-triage", "socialdesk.ingest.refine.refine_recent", 5.0),
    # Acknowledgments due, 'still working on it' updates, SLA warnings.
    Job("policy-tick", "socialdesk.policy.timers.policy_tick", 30.0),
    # Retries when due, and what a sender stopped in the middle of (see socialdesk.outbox.actions).
    Job("outbox-tick", "socialdesk.outbox.actions.outbox_tick", 10.0),
    # Notification emails and webhooks: retries when due, and what a sender stopped in the middle of.
    Job("notifications-tick", "socialdesk.notifications.sending.notifications_tick", 10.0),
    # Mailboxes and mention timelines of the networks that are polled (their specs name a poller).
    Job("poll-channels", "socialdesk.channels.polling.poll_channels", 60.0),
    # Webhook digests older than the replay window (the table would otherwise only grow).
    Job("prune-webhook-deliveries", "socialdesk.channels.webhooks.prune_deliveries", 60.0),
    # Idle members to away, at-risk conversations off absent assignees, the waiting queue to people.
    Job("roster-tick", "socialdesk.roster.assignment.roster_tick", 30.0),
    # Response targets that came due with nobody answering: recorded as missed for the reports.
    Job("report-missed-targets", "socialdesk.reports.history.record_missed_targets", 60.0),
    # Scheduled report emails whose slot has come, once per slot (the send row is the claim).
    Job("send-scheduled-reports", "socialdesk.reports.summaries.schedules.send_due_reports", 60.0),
    # The policy's retention limits: old raw payloads deleted, long-closed conversations anonymised.
    # Hourly: the limits are counted in days and months, and each run is one audit entry per workspace.
    Job("retention-sweep", "socialdesk.privacy.retention.retention_sweep", 3600.0),
)


def job_named(name: str) -> Job:
    try:
        return next(job for job in JOBS if job.name == name)
    except StopIteration:
        raise LookupError(f"no job {name!r}") from None


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery beat's schedule: every job through the one task that runs a job by name."""
    return {
        job.name: {"task": "socialdesk.jobs.run", "schedule": job.every, "args": [job.name]} for job in JOBS
    }


class Clock:
    """Runs each job when its interval has passed, for the processes that run without beat (the
    worker without a broker, the demo server). The first pass runs every job."""

    def __init__(self, jobs: tuple[Job, ...] = JOBS, now: Callable[[], float] = time.monotonic) -> None:
        self.jobs = jobs
        self.now = now
        self.last_run: dict[str, float] = {}

    def run_due(self, on_result: Callable[[Job, Any], None] | None = None) -> None:
        for job in self.jobs:
            now = self.now()
            if now - self.last_run.get(job.name, float("-inf")) < job.every:
                continue
            self.last_run[job.name] = now
            try:
                result = job.run()
            except Exception:  # one failing job must not stop the others; it runs again next time
                log.exception("job %s failed", job.name)
                continue
            if on_result is not None:
                on_result(job, result)
