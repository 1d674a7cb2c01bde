"""Recording a reporting fact when it happens, and adding it to the hourly rollups in the same
transaction (so a report never sees one without the other).

Callers pass the conversation the fact is about; its dimensions (network, team, category, ...) are
read from it as they stand at that moment. Recording is idempotent on `key`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F

from socialdesk.reports.models import DIMENSIONS, Fact, FactKind, Rollup, Target

if TYPE_CHECKING:
    from socialdesk.conversations.models import Conversation, Message
    from socialdesk.policy.schema import Priority as PriorityName

PRIORITY_NAMES: dict[int, PriorityName] = {1: "low", 2: "normal", 3: "high", 4: "urgent"}


@dataclass(frozen=True)
class Measure:
    """How long something took and whether it met its target, both ways a lead asks: against the
    policy's due time (business hours where the policy says so) and in plain wall-clock time."""

    seconds: float | None = None
    business_seconds: float | None = None
    met: bool | None = None
    met_wall: bool | None = None


def measure(
    workspace_id: int,
    start: datetime,
    end: datetime,
    *,
    due: datetime | None = None,
    target_minutes: int | None = None,
) -> Measure:
    seconds = max((end - start).total_seconds(), 0.0)
    return Measure(
        seconds=seconds,
        business_seconds=business_seconds(workspace_id, start, end),
        met=None if due is None else end <= due,
        met_wall=None if target_minutes is None else seconds <= target_minutes * 60,
    )


def business_seconds(workspace_id: int, start: datetime, end: datetime) -> float | None:
    """Opening hours between two moments by the workspace's policy (None without a policy)."""
    # The policy's calendar is read-only policy data (pyproject.toml names this crossing).
    from socialdesk.policy.actions import active_policy_version
    from socialdesk.policy.clock import calendar_for

    found = active_policy_version(workspace_id)
    if found is None:
        return None
    if end - start > timedelta(days=120):
        return None  # a conversation left open for months measures nothing useful in opening hours
    return calendar_for(found[1].business_hours).elapsed(start, end).total_seconds()


def target_minutes(conversation: Conversation, target: str) -> int | None:
    """The policy's minutes for a response target at the conversation's priority and network."""
    from socialdesk.policy.actions import active_policy_version
    from socialdesk.policy.clock import targets_for

    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return None
    targets = targets_for(
        found[1], PRIORITY_NAMES.get(conversation.priority, "normal"), network_of(conversation)
    )
    return int(getattr(targets, f"{target}_minutes"))


def network_of(conversation: Conversation) -> str:
    """The network whose rules apply (the simulated one for a sandbox account, as the inbox's network
    filter reads it). Not cached by channel id: ids are reused when a database is recreated (tests)."""
    return conversation.channel.effective_network


def record(
    conversation: Conversation,
    kind: str,
    at: datetime,
    key: str,
    *,
    agent_id: int | None = None,
    target: str = "",
    timing: Measure = Measure(),
    score: int | None = None,
    labels: dict[str, str] | None = None,
) -> int:
    """Write one fact and its rollups; 0 when a fact with this key was recorded before.
    `labels` overrides the conversation's triage labels (a customer message carries its own)."""
    labels = labels or {}
    row = FactRow(
        workspace_id=conversation.workspace_id,
        kind=kind,
        at=at,
        key=key[:120],
        conversation_id=conversation.pk,
        network=network_of(conversation),
        channel_id=conversation.channel_id,
        team_id=conversation.team_id,
        agent_id=agent_id,
        category=labels.get("category", conversation.category),
        intent=labels.get("intent", conversation.intent),
        language=labels.get("language", conversation.language),
        priority=conversation.priority,
        sentiment=labels.get("sentiment", conversation.sentiment),
        incident_id=conversation.incident_id,
        target=target,
        seconds=timing.seconds,
        business_seconds=timing.business_seconds,
        met=timing.met,
        met_wall=timing.met_wall,
        score=score,
    )
    gathered = _collecting.get()
    if gathered is not None:
        gathered.append(row)
        return 1
    return save(Fact(**asdict(row)))


@dataclass(slots=True)
class FactRow:
    """A fact's values before it is stored, named as `Fact`'s columns: a backfill gathers a million of
    these, and a plain row costs a tenth of a model instance."""

    workspace_id: int
    kind: str
    at: datetime
    key: str
    conversation_id: int | None
    network: str
    channel_id: int | None
    team_id: int | None
    agent_id: int | None
    category: str
    intent: str
    language: str
    priority: int | None
    sentiment: str
    incident_id: int | None
    target: str
    seconds: float | None
    business_seconds: float | None
    met: bool | None
    met_wall: bool | None
    score: int | None


_collecting: ContextVar[list[FactRow] | None] = ContextVar("collecting", default=None)


@contextmanager
def collecting() -> Iterator[list[FactRow]]:
    """Facts recorded inside are gathered instead of saved, for `save_many` (a backfill of many
    conversations writes them in a few statements, not one savepoint each)."""
    gathered: list[FactRow] = []
    token = _collecting.set(gathered)
    try:
        yield gathered
    finally:
        _collecting.reset(token)


def save_many(gathered: list[FactRow]) -> int:
    """Save the facts whose keys are new, and their rollups; returns how many were new."""
    unique = {(f.workspace_id, f.key): f for f in gathered}
    fresh: list[FactRow] = []
    by_workspace: dict[int, list[str]] = {}
    for workspace_id, key in unique:
        by_workspace.setdefault(workspace_id, []).append(key)
    for workspace_id, keys in by_workspace.items():
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            known = set(
                Fact.objects.filter(workspace_id=workspace_id, key__in=chunk).values_list("key", flat=True)
            )
            fresh += [unique[(workspace_id, k)] for k in chunk if k not in known]
    with transaction.atomic():
        insert_facts(fresh)
        add_to_rollups(fresh)
    return len(fresh)


def insert_facts(fresh: list[FactRow]) -> None:
    """One prepared INSERT run over plain tuples: `bulk_create` compiles every value of every row
    through the ORM, which cost a history import more than all its other writes together. The rows'
    ids are not read back (nothing reads them)."""
    if not fresh:
        return
    fields = [field for field in Fact._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(quote(field.attname) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Only the model's table and column names are formatted in; every value is a parameter.
    sql = f"INSERT INTO {quote(Fact._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    names = [field.attname for field in fields]
    when = {field.attname for field in fields if isinstance(field, models.DateTimeField)}
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        tuple(adapt(getattr(fact, name)) if name in when else getattr(fact, name) for name in names)
        for fact in fresh
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def save(fact: Fact) -> int:
    try:
        with transaction.atomic():
            fact.save(force_insert=True)
            add_to_rollups([fact])
    except IntegrityError:
        return 0
    return 1


def dimension_values(fact: Fact | FactRow) -> list[tuple[str, str]]:
    """(dimension, value) for each rollup row a fact adds to; blank dimensions are counted as "" so
    that every breakdown adds up to the total."""

    def text(value: object) -> str:
        return "" if value is None else str(value)[:60]

    values = {
        "all": "",
        "network": fact.network,
        "channel": text(fact.channel_id),
        "team": text(fact.team_id),
        "agent": text(fact.agent_id),
        "category": fact.category,
        "intent": fact.intent,
        "language": fact.language,
        "priority": text(fact.priority),
        "sentiment": fact.sentiment,
        "incident": text(fact.incident_id),
    }
    return [(dimension, values[dimension]) for dimension in DIMENSIONS]


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# The rollup row's key in the order the values are passed, its sums, and its unique constraint's columns.
ROLLUP_KEY = ("workspace_id", "hour", "kind", "target", "dimension", "value")
ROLLUP_SUMS = ("count", "seconds", "business_seconds", "met", "met_wall", "scored", "score")
UNIQUE_KEY = ("workspace_id", "dimension", "kind", "target", "hour", "value")


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _sums(fact: Fact | FactRow) -> list[float]:
    return [
        1,
        fact.seconds or 0.0,
        fact.business_seconds or 0.0,
        1 if fact.met else 0,
        1 if fact.met_wall else 0,
        0 if fact.score is None else 1,
        fact.score or 0,
    ]


def take_from_rollups(facts: list[Fact]) -> None:
    """Undo `add_to_rollups` for facts being withdrawn (rare: a conversation merged into another)."""
    for fact in facts:
        minus = {name: F(name) - amount for name, amount in zip(ROLLUP_SUMS, _sums(fact), strict=True)}
        for dimension, value in dimension_values(fact):
            Rollup.objects.filter(
                workspace_id=fact.workspace_id,
                hour=hour_of(fact.at),
                kind=fact.kind,
                target=fact.target,
                dimension=dimension,
                value=value,
            ).update(**minus)


def add_to_rollups(facts: Sequence[Fact | FactRow]) -> None:
    """One upsert statement for all the rows these facts add to (SQLite and PostgreSQL both speak
    INSERT ... ON CONFLICT DO UPDATE)."""
    rows: dict[tuple[int, datetime, str, str, str, str], list[float]] = {}
    for fact in facts:
        hour = hour_of(fact.at)
        sums = _sums(fact)
        for dimension, value in dimension_values(fact):
            key = (fact.workspace_id, hour, fact.kind, fact.target, dimension, value)
            row = rows.setdefault(key, [0, 0.0, 0.0, 0, 0, 0, 0])
            for i, amount in enumerate(sums):
                row[i] += amount
    if not rows:
        return
    table = connection.ops.quote_name(Rollup._meta.db_table)
    names = [quote(c) for c in (*ROLLUP_KEY, *ROLLUP_SUMS)]
    columns = ", ".join(names)
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in names[len(ROLLUP_KEY) :])
    conflict = ", ".join(quote(c) for c in UNIQUE_KEY)
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    keys = list(rows)
    for start in range(0, len(keys), 200):
        chunk = keys[start : start + 200]
        params: list[Any] = []
        for key in chunk:
            workspace_id, hour, kind, target, dimension, value = key
            params += [
                workspace_id,
                connection.ops.adapt_datetimefield_value(hour),
                kind,
                target,
                dimension,
                value,
            ]
            params += rows[key]
        # Only the table's name and fixed column names are formatted in; every value is a parameter.
        statement = (
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO UPDATE SET {added}"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


# What happened, as the desk's actions tell it. Each is one call at the moment it happens; the keys
# make a retried task or a replayed history add nothing twice. Each returns how many facts it added.


def customer_message(message: Message, *, opened: bool, conversation: Conversation | None = None) -> int:
    """A customer's message was stored and triaged (its own labels, the conversation's routing)."""
    conversation = conversation or message.conversation
    labels = {name: getattr(message, name) for name in ("category", "intent", "language", "sentiment")}
    added = 0
    if opened:
        at = conversation.first_inbound_at
        added += record(conversation, FactKind.OPENED, at, f"open:{conversation.pk}", labels=labels)
    return added + record(conversation, FactKind.INBOUND, message.sent_at, f"in:{message.pk}", labels=labels)


def response_sent(
    message: Message,
    at: datetime,
    *,
    waited_since: datetime | None,
    first: bool,
    conversation: Conversation | None = None,
) -> int:
    """An outbound message reached the network: an agent's response (timed from the customer's oldest
    unanswered message) or one of the desk's automatic messages (counted, never a response)."""
    conversation = conversation or message.conversation
    if message.automatic:
        return record(conversation, FactKind.AUTOMATIC, at, f"auto:{message.pk}")
    agent = message.author_user_id
    # A follow-up nobody asked for is counted as a response but has no response time.
    timing = Measure() if waited_since is None else measure(conversation.workspace_id, waited_since, at)
    added = record(conversation, FactKind.RESPONSE, at, f"resp:{message.pk}", agent_id=agent, timing=timing)
    if first:
        added += first_response(conversation, at, agent)
    return added


def _from_first_message(
    conversation: Conversation, at: datetime, target: str, due: datetime | None
) -> Measure:
    """First response and resolution are both timed from the customer's first message."""
    minutes = target_minutes(conversation, target)
    return measure(
        conversation.workspace_id, conversation.first_inbound_at, at, due=due, target_minutes=minutes
    )


def first_response(conversation: Conversation, at: datetime, agent_id: int | None) -> int:
    timing = _from_first_message(conversation, at, Target.FIRST_RESPONSE, conversation.first_response_due_at)
    key = f"first:{conversation.pk}"
    added = record(conversation, FactKind.FIRST_RESPONSE, at, key, agent_id=agent_id, timing=timing)
    if conversation.first_response_due_at is not None:
        added += _verdict(conversation, Target.FIRST_RESPONSE, at, agent_id, timing)
    return added


def next_response(conversation: Conversation, at: datetime, agent_id: int | None) -> int:
    """The next-response clock stopped (an agent answered a customer who wrote again)."""
    due = conversation.next_response_due_at
    if due is None or conversation.first_response_at is None:
        return 0
    start = conversation.waiting_since or conversation.last_inbound_at
    minutes = target_minutes(conversation, Target.NEXT_RESPONSE)
    timing = measure(conversation.workspace_id, start, at, due=due, target_minutes=minutes)
    return _verdict(conversation, Target.NEXT_RESPONSE, at, agent_id, timing, due)


def resolved(conversation: Conversation, at: datetime, resolver_id: int | None) -> int:
    """Resolved by an agent (or by answering an incident's conversations at once). The case counts
    for its assignee; for whoever resolved it when nobody was assigned."""
    agent_id = conversation.assignee_id or resolver_id
    timing = _from_first_message(conversation, at, Target.RESOLUTION, conversation.resolution_due_at)
    key = f"resolved:{conversation.pk}:{at.isoformat()}"
    added = record(conversation, FactKind.RESOLUTION, at, key, agent_id=agent_id, timing=timing)
    if conversation.resolution_due_at is not None:
        added += _verdict(conversation, Target.RESOLUTION, at, agent_id, timing)
    return added


def conversations_merged(orphan: Conversation, survivor: Conversation) -> None:
    """`orphan`'s messages joined `survivor` (their parent arrived late): its facts follow them, and the
    conversation it opened is taken out again, so the reports count the thread once."""
    opened = list(Fact.objects.filter(conversation=orphan, kind=FactKind.OPENED))
    if opened and Fact.objects.filter(conversation=survivor, kind=FactKind.OPENED).exists():
        take_from_rollups(opened)
        Fact.objects.filter(pk__in=[f.pk for f in opened]).delete()
    Fact.objects.filter(conversation=orphan).update(conversation=survivor)


def reopened(conversation: Conversation, message_id: int, at: datetime) -> int:
    return record(conversation, FactKind.REOPEN, at, f"reopen:{conversation.pk}:{message_id}")


def missed(conversation: Conversation, target: str, due: datetime) -> int:
    """A target passed with nobody answering (or resolving): missed, recorded at the due time. A later
    answer adds its response facts but not a second verdict on the same target."""
    start = conversation.first_inbound_at
    if target == Target.NEXT_RESPONSE:
        start = conversation.waiting_since or conversation.last_inbound_at
    timing = Measure(
        seconds=max((due - start).total_seconds(), 0.0),
        business_seconds=business_seconds(conversation.workspace_id, start, due),
        met=False,
        met_wall=False,
    )
    return _verdict(conversation, target, due, conversation.assignee_id, timing, due)


def _verdict(
    conversation: Conversation,
    target: str,
    at: datetime,
    agent_id: int | None,
    timing: Measure,
    due: datetime | None = None,
) -> int:
    """One verdict per target: the first response and resolution once per conversation, the next
    response once per wait (named by its due time, which is also the verdict's time when missed)."""
    key = f"sla:{target}:{conversation.pk}"
    if target == Target.NEXT_RESPONSE and due is not None:
        key += f":{due.isoformat()}"
    return record(conversation, FactKind.SLA, at, key, agent_id=agent_id, target=target, timing=timing)


def workspace_event(
    workspace_id: int, kind: str, at: datetime, key: str, *, incident_id: int | None = None
) -> int:
    """A fact about the workspace rather than one conversation (a bulletin published)."""
    return save(Fact(workspace_id=workspace_id, kind=kind, at=at, key=key[:120], incident_id=incident_id))
