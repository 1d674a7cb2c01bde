"""One list of periodic work for beat, `socialdesk worker` and the demo server's clock."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from socialdesk import jobs
from socialdesk.jobs import JOBS, Clock, Job


def test_beat_schedules_every_job_through_the_one_task() -> None:
    expected = {
        job.name: {"task": "socialdesk.jobs.run", "schedule": job.every, "args": [job.name]} for job in JOBS
    }
    assert expected == settings.CELERY_BEAT_SCHEDULE
    assert [job.name for job in JOBS] == [
        "sweep-pending-events",
        "refine-triage",
        "policy-tick",
        "outbox-tick",
        "notifications-tick",
        "poll-channels",
        "prune-webhook-deliveries",
        "roster-tick",
        "report-missed-targets",
        "send-scheduled-reports",
        "retention-sweep",
    ]
    for job in JOBS:
        assert callable(import_string(job.function)), job.name
    from socialdesk.celery import app

    assert "socialdesk.jobs.run" in app.tasks


def test_the_clock_runs_each_job_when_due_and_a_failing_job_stops_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[str] = []

    def run(self: Job) -> Any:
        ran.append(self.name)
        if self.name == "broken":
            raise RuntimeError("boom")
        return {"done": 1}

    monkeypatch.setattr(Job, "run", run)
    now = [1000.0]
    jobs_ = (Job("broken", "x.y", 10.0), Job("fast", "x.y", 10.0), Job("slow", "x.y", 60.0))
    clock = Clock(jobs_, now=lambda: now[0])
    results: list[tuple[str, Any]] = []
    clock.run_due(on_result=lambda job, result: results.append((job.name, result)))
    assert (ran, results) == (["broken", "fast", "slow"], [("fast", {"done": 1}), ("slow", {"done": 1})])
    now[0] += 9.0
    clock.run_due()
    assert ran == ["broken", "fast", "slow"]  # nothing due yet
    now[0] += 1.0
    clock.run_due()
    assert ran == ["broken", "fast", "slow", "broken", "fast"]  # the failed one runs again when due
    now[0] += 50.0
    clock.run_due()
    assert ran[5:] == ["broken", "fast", "slow"]


def test_a_job_runs_its_function(transactional_db: None) -> None:
    assert jobs.job_named("prune-webhook-deliveries").run() == 0
    with pytest.raises(LookupError, match="no job 'nope'"):
        jobs.job_named("nope")
