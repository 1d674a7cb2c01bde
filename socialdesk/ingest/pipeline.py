"""Ingest, the processing end: each stored raw event exactly once, in this order:
claim -> normalize -> thread -> triage -> apply the policy -> persist (the batch's commit).

Exactly once: a raw event is claimed by flipping its status inside the same transaction that writes
its messages. A worker killed mid-way rolls both back, the event stays pending, and the next sweep
processes it; a second worker racing for the same event finds it already claimed.

Bounded retries: an event whose processing raises stays pending with its attempt counted and its error
kept; a drain tries each event at most once (it walks the queue forward, so the events behind a bad
one are reached), and at `MAX_ATTEMPTS` the event is quarantined: kept, shown in the admin and by
`socialdesk events list`, replayed by `socialdesk events replay` once the cause is fixed.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from numpy.typing import NDArray

from socialdesk.channels.errors import PayloadError
from socialdesk.channels.registry import adapter_for
from socialdesk.conversations.actions import thread_inbound
from socialdesk.conversations.models import Conversation, Message, Status
from socialdesk.faults import checkpoint
from socialdesk.incidents.actions import join_incident
from socialdesk.incidents.detection import detect_incident
from socialdesk.ingest.models import EventStatus, RawEvent
from socialdesk.ingest.schema import InboundMessage
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.routing import apply_policy
from socialdesk.policy.schema import Policy
from socialdesk.policy.timers import thank_for_rating
from socialdesk.reports import csat, facts
from socialdesk.roster.assignment import assign_routed
from socialdesk.triage.actions import record_triage, triage_message
from socialdesk.triage.heads import embedder

log = logging.getLogger(__name__)

# Tries before an event is quarantined: enough for a transient failure (a deadlock, a restart), few
# enough that a bad event leaves the queue within minutes.
MAX_ATTEMPTS = 5


@dataclass
class ProcessResult:
    processed: int = 0
    ignored: int = 0
    failed: int = 0
    skipped: int = 0
    errored: int = 0
    quarantined: int = 0

    def add(self, other: ProcessResult) -> None:
        self.processed += other.processed
        self.ignored += other.ignored
        self.failed += other.failed
        self.skipped += other.skipped
        self.errored += other.errored
        self.quarantined += other.quarantined


def _normalize(raw: RawEvent) -> list[InboundMessage] | ProcessResult:
    """The event as typed messages, or the outcome when it has none (kept and reported, not retried)."""
    try:
        inbound = adapter_for(raw.channel.network).normalize(raw.payload, raw.channel)
    except PayloadError as exc:
        RawEvent.objects.filter(pk=raw.pk).update(status=EventStatus.FAILED, error=str(exc)[:2000])
        log.warning("raw event %s failed to parse: %s", raw.pk, exc)
        return ProcessResult(failed=1)
    if inbound is None:
        RawEvent.objects.filter(pk=raw.pk).update(status=EventStatus.IGNORED)
        log.info("raw event %s is of a type the desk does not handle", raw.pk)
        return ProcessResult(ignored=1)
    return list(inbound)


def _process_claimed(raw: RawEvent) -> ProcessResult:
    """One claimed event: normalize, then for each new message thread -> triage -> apply the policy.
    Nothing is final until the batch's transaction commits (the persist step)."""
    inbound = _normalize(raw)
    if isinstance(inbound, ProcessResult):
        return inbound
    for message in inbound:
        stored, new = thread_inbound(
            raw.channel, message, raw_event_id=raw.pk, stays_resolved=csat.stays_resolved
        )
        if new:
            found = active_policy_version(stored.conversation.workspace_id)
            first = record_triage(stored, triage_message(stored, found))
            answer = csat.take_answer(stored)
            # A rating that left its conversation resolved starts no response clock and no routing.
            rated_only = answer is not None and _still_resolved(stored)
            if found is not None and not rated_only:
                _apply_policy(found, stored, first=first)
            facts.customer_message(stored, opened=stored.conversation.message_count == 0)
            if found is not None and answer is not None:
                thank_for_rating(found[1], stored.conversation, answer.survey.language, stored.sent_at)
        checkpoint("ingest.threaded")
    return ProcessResult(processed=1)


def _still_resolved(message: Message) -> bool:
    return Conversation.objects.filter(pk=message.conversation_id, status=Status.RESOLVED).exists()


def _apply_policy(found: tuple[int, Policy], message: Message, *, first: bool) -> None:
    """The policy step: incident detection (a burst of alike posts) and then the crisis rule join or
    open an incident first, because routing and escalation rules can match on it."""
    number, policy = found
    incident = detect_incident(policy, message, message.sent_at, _embed) or join_incident(
        policy, message.conversation, message.sent_at
    )
    apply_policy(policy, number, message, first=first, incident=incident is not None)
    assign_routed(policy, message.conversation_id)


def _embed(texts: Sequence[str]) -> NDArray[np.float32]:
    return embedder().embed(texts)


def _claim(raw_ids: Sequence[int]) -> list[RawEvent]:
    """Inside a transaction: take the still-pending events among `raw_ids` (marking them processed)."""
    candidates = RawEvent.objects.filter(pk__in=raw_ids, status=EventStatus.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: lock what nobody else holds; the other workers skip these rows.
        ids = list(candidates.select_for_update(skip_locked=True).values_list("pk", flat=True))
    else:
        # SQLite: IMMEDIATE transactions already serialize writers, so a plain read is a claim.
        ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return []
    # An earlier attempt's error goes: the event went through (its attempt count stays, as history).
    RawEvent.objects.filter(pk__in=ids).update(
        status=EventStatus.PROCESSED, processed_at=timezone.now(), error=""
    )
    return list(
        RawEvent.objects.filter(pk__in=ids).select_related("channel", "channel__workspace").order_by("pk")
    )


def _process_batch(raw_ids: Sequence[int]) -> ProcessResult:
    result = ProcessResult()
    with transaction.atomic():
        claimed = _claim(raw_ids)
        for raw in claimed:
            result.add(_process_claimed(raw))
    result.skipped = len(raw_ids) - len(claimed)
    return result


def process_raw_events(raw_ids: Sequence[int]) -> ProcessResult:
    """Process a batch in one transaction. If an event errors unexpectedly the batch is redone one by
    one, so one bad event cannot hold back the others; it stays pending with the attempt counted, and
    is quarantined at `MAX_ATTEMPTS`."""
    try:
        return _process_batch(raw_ids)
    except Exception as exc:
        if len(raw_ids) == 1:
            log.exception("processing raw event %s failed", raw_ids[0])
            return _count_failure(raw_ids[0], exc)
        log.warning("processing raw events %s failed; redoing them one by one", list(raw_ids)[:10])
    result = ProcessResult()
    for raw_id in raw_ids:
        result.add(process_raw_events([raw_id]))
    return result


def _count_failure(raw_id: int, exc: Exception) -> ProcessResult:
    """Count a failed attempt (the processing transaction was rolled back) and keep its error."""
    error = "".join(traceback.format_exception(exc))[-4000:]
    with transaction.atomic():
        pending = RawEvent.objects.filter(pk=raw_id, status=EventStatus.PENDING)
        pending.update(attempts=F("attempts") + 1, error=error)
        quarantined = pending.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=EventStatus.QUARANTINED, processed_at=timezone.now()
        )
    if quarantined:
        log.error("raw event %s quarantined after %s failed attempts", raw_id, MAX_ATTEMPTS)
    return ProcessResult(errored=1, quarantined=quarantined)


def pending_event_ids(
    limit: int, older_than: datetime | None = None, after: tuple[datetime, int] | None = None
) -> list[tuple[int, datetime]]:
    """The next pending events in arrival order (id, received at), after the `after` position."""
    queryset = RawEvent.objects.filter(status=EventStatus.PENDING)
    if older_than is not None:
        queryset = queryset.filter(received_at__lt=older_than)
    if after is not None:
        at, pk = after
        queryset = queryset.filter(Q(received_at__gt=at) | Q(received_at=at, pk__gt=pk))
    return list(queryset.order_by("received_at", "pk").values_list("pk", "received_at")[:limit])


def process_pending(batch_size: int = 100, older_than: datetime | None = None) -> ProcessResult:
    """Drain pending events: the recovery path after a crash and the engine of the bulk paths. Walks the
    queue forward once, so an event that fails is tried once per drain and never hides those behind it."""
    total = ProcessResult()
    after: tuple[datetime, int] | None = None
    while True:
        rows = pending_event_ids(batch_size, older_than, after)
        if not rows:
            return total
        total.add(process_raw_events([pk for pk, _ in rows]))
        last_pk, last_at = rows[-1]
        after = (last_at, last_pk)


def replay_events(raw_ids: Sequence[int]) -> dict[int, str]:
    """Process quarantined (or failed) events again, from a fresh attempt count; each one's outcome."""
    outcome: dict[int, str] = {}
    for raw_id in raw_ids:
        raw = RawEvent.objects.filter(pk=raw_id).first()
        if raw is None:
            outcome[raw_id] = "no such event"
            continue
        if raw.status not in (EventStatus.QUARANTINED, EventStatus.FAILED):
            outcome[raw_id] = f"not replayed: it is {raw.status}"
            continue
        RawEvent.objects.filter(pk=raw_id, status=raw.status).update(
            status=EventStatus.PENDING, attempts=0, error="", processed_at=None
        )
        result = process_raw_events([raw_id])
        raw.refresh_from_db()
        if result.errored:
            outcome[raw_id] = (
                f"failed again (attempt 1 of {MAX_ATTEMPTS}): {raw.error.strip().splitlines()[-1]}"
            )
        else:
            outcome[raw_id] = raw.status
    return outcome


def sweep_pending(grace_seconds: float = 60.0) -> int:
    """Events whose task was lost (a worker killed before the broker redelivered, a broker down),
    older than `grace_seconds` so that events on their way through a worker are left to it."""
    return process_pending(older_than=timezone.now() - timedelta(seconds=grace_seconds)).processed
