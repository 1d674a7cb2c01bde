"""Playing a scenario day on a simulated clock: every post arrives at its own time, the agents' replies
go out at theirs, and between them the policy's timed work and the outbox run once per tick, at the
simulated time. The whole desk sees that time (time-machine moves the process clock), so due times,
acknowledgments and delays are what they would have been that day; a 24-hour day takes about a minute.

Only the scenario's workspace is ticked, so playing a day into a desk in use moves no other brand's
timers; processing and sending run in this process for the run (a broker's workers would see the real
clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import time_machine
from django.contrib.auth.models import User

from socialdesk.celery import app as celery_app
from socialdesk.channels.models import Channel
from socialdesk.channels.sandbox.payloads import ScenarioPost
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.channels.sandbox.scenario import AgentReply, Scenario
from socialdesk.conversations.models import Direction, Message
from socialdesk.errors import DeskError
from socialdesk.ingest.actions import receive_event
from socialdesk.ingest.pipeline import process_pending
from socialdesk.ingest.refine import refine_recent
from socialdesk.outbox.actions import outbox_tick
from socialdesk.policy.timers import policy_tick
from socialdesk.replies.actions import send_reply
from socialdesk.reports.history import record_missed_targets
from socialdesk.workspaces.actions import add_member
from socialdesk.workspaces.models import Role, Workspace

TICK = timedelta(minutes=1)  # how often beat runs the policy's jobs (socialdesk.jobs: every minute)
TAIL = timedelta(hours=2)  # keep the clock running after the last post so its timers can fire


@dataclass
class RunResult:
    posts: int = 0
    stored: int = 0
    agent_replies: int = 0
    refused_replies: list[str] = field(default_factory=list)
    ticks: int = 0
    automatic: dict[str, int] = field(default_factory=dict)
    started: datetime | None = None
    ended: datetime | None = None


@contextmanager
def _in_process() -> Iterator[None]:
    """Tasks run here, at the simulated time, for the length of the run."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before


def _agent(workspace: Workspace, name: str) -> User:
    user, created = User.objects.get_or_create(
        username=f"{workspace.slug}-{name.lower()}", defaults={"first_name": name.title()}
    )
    if created:
        user.set_unusable_password()
        user.save()
    add_member(workspace, user, Role.AGENT)
    return user


def _reply(workspace: Workspace, reply: AgentReply, result: RunResult) -> None:
    parent = (
        Message.objects.filter(
            workspace_id=workspace.pk, direction=Direction.INBOUND, network_message_id=reply.reply_to
        )
        .select_related("conversation")
        .first()
    )
    if parent is None:
        result.refused_replies.append(f"{reply.id}: post {reply.reply_to} never reached the desk")
        return
    try:
        send_reply(parent.conversation, _agent(workspace, reply.agent), reply.text, is_private=reply.private)
        result.agent_replies += 1
    except DeskError as refused:
        result.refused_replies.append(f"{reply.id}: {refused}")


def run_scenario(
    workspace: Workspace,
    scenario: Scenario,
    *,
    tick: timedelta = TICK,
    tail: timedelta = TAIL,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Play the day into `workspace` (its policy must be active). Receiving is idempotent on the post
    id, so playing a day twice adds nothing but the timers' work."""
    events: list[ScenarioPost | AgentReply] = sorted([*scenario.posts, *scenario.replies], key=lambda e: e.at)
    ended = events[-1].at + tail
    result = RunResult(started=events[0].at, ended=ended)
    channels: dict[str, Channel] = {}
    clock_at = events[0].at.replace(second=0, microsecond=0)

    def run_ticks_until(moment: datetime, traveller: time_machine.Traveller) -> None:
        nonlocal clock_at
        while clock_at <= moment:
            traveller.move_to(clock_at)
            refine_recent(clock_at, workspace_id=workspace.pk)
            done = policy_tick(clock_at, workspace.pk)
            outbox_tick(clock_at, workspace_id=workspace.pk)
            record_missed_targets(clock_at, workspace.pk)
            for name, count in done.items():
                result.automatic[name] = result.automatic.get(name, 0) + count
            result.ticks += 1
            clock_at += tick

    with _in_process(), time_machine.travel(clock_at, tick=False) as traveller:
        for event in events:
            run_ticks_until(event.at, traveller)
            traveller.move_to(event.at)
            if isinstance(event, AgentReply):
                _reply(workspace, event, result)
            else:
                channel = channels.get(event.network) or channels.setdefault(
                    event.network, sandbox_channel(workspace, event.network)
                )
                stored = receive_event(channel, event.id, event.model_dump(mode="json", exclude_none=True))
                process_pending()
                result.posts += 1
                result.stored += int(stored)
            if progress:
                progress(1)
        run_ticks_until(ended, traveller)
    return result
