from __future__ import annotations

from celery import shared_task

from socialdesk.policy.timers import policy_tick


@shared_task(name="socialdesk.policy.tasks.policy_tick")
def policy_tick_task() -> dict[str, int]:
    """Acknowledgments due, 'still working' updates, SLA warnings (beat runs it every 30 s)."""
    return policy_tick()
