"""What the plan reads from the workspace's history: new conversations per interval, and how long a
conversation keeps an agent busy.

Handling time is not recorded anywhere (agents do not clock in and out of a conversation), so it is
measured from the responses: for each agent, the gap between one response and their next is the
time spent on the next one, when it is short enough to be continuous work (`BREAK`; a longer gap is a
pause, and that response is not counted). The mean of those gaps is the work per response; times the
responses per new conversation, it is the work per conversation. With fewer than `MIN_SAMPLES` gaps
the plan uses `DEFAULT_HANDLE_SECONDS` and says so."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from socialdesk.reports.models import Fact, FactKind

BREAK = timedelta(minutes=15)
MIN_SAMPLES = 30
DEFAULT_HANDLE_SECONDS = 300


def counts_from_history(
    workspace_id: int, start: datetime, end: datetime, step: timedelta, kind: str = FactKind.OPENED
) -> Counter[datetime]:
    """Facts of `kind` per interval start (UTC, aligned on `start`), from `start` to `end`."""
    found: Counter[datetime] = Counter()
    moments = Fact.objects.filter(
        workspace_id=workspace_id, kind=kind, at__gte=start, at__lt=end
    ).values_list("at", flat=True)
    for at in moments:
        found[start + ((at - start) // step) * step] += 1
    return found


def first_opened(workspace_id: int, start: datetime, end: datetime) -> datetime | None:
    """When the history begins: the first new conversation between `start` and `end`."""
    moment: datetime | None = (
        Fact.objects.filter(workspace_id=workspace_id, kind=FactKind.OPENED, at__gte=start, at__lt=end)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return moment


@dataclass(frozen=True)
class HandleTime:
    seconds: float
    source: str  # "policy", "history" or "default"
    samples: int = 0


def measured_handle_time(workspace_id: int, start: datetime, end: datetime) -> HandleTime:
    """Agent-seconds per new conversation between `start` and `end` (module docstring)."""
    responses = Fact.objects.filter(
        workspace_id=workspace_id, kind=FactKind.RESPONSE, at__gte=start, at__lt=end, agent__isnull=False
    ).values_list("agent_id", "at")
    by_agent: dict[int, list[datetime]] = defaultdict(list)
    for agent, at in responses:
        by_agent[agent].append(at)
    gaps = []
    for moments in by_agent.values():
        moments.sort()
        gaps += [(b - a).total_seconds() for a, b in pairwise(moments) if b - a <= BREAK]
    opened = Fact.objects.filter(
        workspace_id=workspace_id, kind=FactKind.OPENED, at__gte=start, at__lt=end
    ).count()
    if len(gaps) < MIN_SAMPLES or not opened:
        return HandleTime(DEFAULT_HANDLE_SECONDS, "default", len(gaps))
    per_response = sum(gaps) / len(gaps)
    per_conversation = per_response * sum(len(m) for m in by_agent.values()) / opened
    return HandleTime(round(per_conversation, 1), "history", len(gaps))
