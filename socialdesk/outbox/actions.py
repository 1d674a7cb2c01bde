"""Sending what the outbox holds: claim a row, call the network once, record the outcome.

Exactly once, as far as a network allows: the claim (pending -> sending, with a lease) is committed
before the network is called, and the outcome after. A sender killed in between leaves a `sending`
row whose lease runs out; recovery asks the network whether it has the item (`reconcile`): if yes it
is recorded as sent, if surely not it is sent again, and if the network cannot tell, the row waits for
an agent (`uncertain`) rather than risk a second reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.channels.registry import adapter_for, spec_for
from socialdesk.channels.spec import NetworkRules
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.conversations.waiting import answered_wait_start
from socialdesk.faults import checkpoint
from socialdesk.outbox.models import OutboxItem, OutboxKind, OutboxStatus, Post
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.networks import effective_rules
from socialdesk.reports import facts

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # longer than any client timeout plus its own retries
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 10
MESSAGE_KINDS = (OutboxKind.REPLY, OutboxKind.PRIVATE)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at an hour."""
    delay: timedelta = BASE_DELAY * (2 ** max(0, attempts - 1))
    return min(MAX_DELAY, delay)


def paced_until(channel_id: int, network: str, kind: str, now: datetime) -> datetime | None:
    """When the account may send this kind again, if the limit its network publishes (the spec's send
    limits) is used up; else None. Waiting its turn beats collecting the network's 429."""
    limit = spec_for(network).send_limit(kind)
    if limit is None:
        return None
    count, window = limit.count, limit.per
    recent = OutboxItem.objects.filter(
        channel_id=channel_id, kind=kind, status=OutboxStatus.SENT, sent_at__gt=now - window
    )
    times = [t for t in recent.order_by("sent_at").values_list("sent_at", flat=True) if t is not None]
    return times[len(times) - count] + window if len(times) >= count else None


def _rules(message: Message) -> NetworkRules:
    """The rules the composer checked the message against: the network's, with the active policy's
    overrides (as they are now: a window may have closed since)."""
    version = active_policy_version(message.workspace_id)
    return effective_rules(version, message.channel.effective_network)


def _message(item: OutboxItem) -> Message:
    """Replies and moderation always name a message (only posts do not)."""
    if item.message is None:
        raise DeliveryError(f"outbox item {item.idempotency_key} names no message", permanent=True)
    return item.message


WAITING_FOR_EARLIER = "the post this one continues is not published yet"


def earlier_post_due(item_id: int, now: datetime) -> datetime | None:
    """When to try a post again whose thread's earlier post is still on its way (just after that one
    is due), or None if it is not waiting: an update must not overtake the bulletin it answers."""
    continued = OutboxItem.objects.filter(pk=item_id).values("post__continues_id")
    waiting = OutboxItem.objects.filter(
        post_id__in=continued, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
    ).values_list("next_attempt_at", flat=True)
    due = waiting.first()
    return None if due is None else max(due, now) + timedelta(seconds=1)


def _continues(post: Post) -> str:
    """The network id of the brand's earlier post this one answers. While that post is still on its
    way the update waits for it (an update must not open a thread of its own); if it never went out,
    the update starts a thread rather than not go out at all."""
    earlier = post.continues
    if earlier is None:
        return ""
    if earlier.network_id:
        return earlier.network_id
    waiting = OutboxItem.objects.filter(
        post=earlier, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
    ).exists()
    if waiting:  # claimed in the instant between the check in send_item and now: try again soon
        raise DeliveryError(WAITING_FOR_EARLIER, permanent=False, retry_after=5)
    return ""


def _publish(item: OutboxItem) -> str:
    post = item.post
    if post is None:
        raise DeliveryError(f"outbox item {item.idempotency_key} names no post", permanent=True)
    publisher = spec_for(item.channel.network).load_publisher()
    return publisher.publish(item.channel, post.text, item.idempotency_key, _continues(post))


def send_item(item_id: int, now: datetime | None = None) -> str:
    """Send one due item once; returns its status afterwards."""
    now = now or timezone.now()
    due = OutboxItem.objects.filter(pk=item_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    ahead = due.values_list("channel_id", "channel__network", "kind").first()
    wait = paced_until(*ahead, now) if ahead else None
    if wait is not None:
        due.update(next_attempt_at=wait, last_error="waiting for the network's sending limit")
        return OutboxStatus.PENDING
    earlier = earlier_post_due(item_id, now) if ahead and ahead[2] == OutboxKind.POST else None
    if earlier is not None:
        due.update(next_attempt_at=earlier, last_error=WAITING_FOR_EARLIER)
        return OutboxStatus.PENDING
    claimed = OutboxItem.objects.filter(
        pk=item_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_until=now + LEASE)
    item = OutboxItem.objects.select_related(
        "channel", "message__conversation__contact", "post__continues"
    ).get(pk=item_id)
    if not claimed:
        return str(item.status)
    checkpoint("outbox-claimed")
    adapter = adapter_for(item.channel.network)
    try:
        if item.kind == OutboxKind.POST:
            network_id = _publish(item)
        elif item.kind in MESSAGE_KINDS:
            message = _message(item)
            network_id = adapter.deliver(message, item.idempotency_key, _rules(message))
        else:
            adapter.moderate(_message(item), item.kind, item.idempotency_key)
            network_id = ""
    except DeliveryError as exc:
        return _attempt_failed(item, exc, now)
    except Exception as exc:
        # A failure no client mapped (a bug, an odd answer): retried with backoff, never lost, and
        # logged with its traceback; the agent's request that queued it does not fail.
        log.exception("outbox %s: unexpected error while sending", item.idempotency_key)
        return _attempt_failed(item, DeliveryError(f"unexpected error: {exc}", permanent=False), now)
    checkpoint("outbox-delivered")  # the network has it; a kill here must not cause a second send
    _record_sent(item, network_id, now)
    return OutboxStatus.SENT


def _record_sent(item: OutboxItem, network_id: str, now: datetime) -> None:
    with transaction.atomic():
        done = OutboxItem.objects.filter(pk=item.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.SENT, network_id=network_id, sent_at=now, claimed_until=None, last_error=""
        )
        if done and item.kind == OutboxKind.POST:
            Post.objects.filter(outbox=item).update(network_id=network_id)
        if not done or item.kind not in MESSAGE_KINDS:
            return
        message = _message(item)
        Message.objects.filter(pk=message.pk).update(
            delivery_status=DeliveryStatus.SENT, network_message_id=network_id or None, delivery_error=""
        )
        first = False
        if not message.automatic:
            # An automatic acknowledgment is not a response: the first-response clock keeps running.
            unanswered = Conversation.objects.filter(
                pk=message.conversation_id, first_response_at__isnull=True
            )
            first = bool(unanswered.update(first_response_at=now))
        waited = None if message.automatic else answered_wait_start(message)
        facts.response_sent(message, now, waited_since=waited, first=first)


def _attempt_failed(item: OutboxItem, exc: DeliveryError, now: datetime) -> str:
    attempts = item.attempts  # loaded after the claim, so this attempt is counted
    if exc.permanent or attempts >= MAX_ATTEMPTS:
        reason = str(exc) if exc.permanent else f"gave up after {attempts} attempts: {exc}"
        _fail(item, reason)
        return OutboxStatus.FAILED
    wait = backoff(attempts)
    if exc.retry_after is not None:
        wait = max(wait, timedelta(seconds=exc.retry_after))
    OutboxItem.objects.filter(pk=item.pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.PENDING, next_attempt_at=now + wait, claimed_until=None, last_error=str(exc)
    )
    log.info("outbox %s: attempt %d failed (%s); next in %s", item.idempotency_key, attempts, exc, wait)
    return OutboxStatus.PENDING


def _fail(item: OutboxItem, reason: str, status: str = OutboxStatus.FAILED) -> None:
    """The agent is told why: on the message for replies; moderation is undone in the desk."""
    with transaction.atomic():
        OutboxItem.objects.filter(pk=item.pk).update(status=status, claimed_until=None, last_error=reason)
        if item.kind == OutboxKind.POST:
            return  # the bulletin shows its post's outbox row, reason included
        if item.kind in MESSAGE_KINDS:
            Message.objects.filter(outbox=item).update(
                delivery_status=DeliveryStatus.FAILED, delivery_error=reason
            )
        else:
            field = "hidden" if item.kind == OutboxKind.HIDE else "deleted"
            Message.objects.filter(outbox=item).update(**{field: False})


def recover_stale(now: datetime | None = None) -> int:
    """Rows whose sender stopped mid-send (lease over): settle each by asking the network."""
    now = now or timezone.now()
    stale = list(
        OutboxItem.objects.filter(status=OutboxStatus.SENDING, claimed_until__lt=now)
        .select_related("channel", "message", "post__continues")
        .order_by("pk")[:100]
    )
    for item in stale:
        try:
            found = _reconcile(item)
        except CannotReconcile as unknown:
            _fail(
                item,
                f"the sender stopped while sending and {item.channel.get_network_display()} cannot tell "
                f"whether it arrived ({unknown}); check the thread there before sending again",
                OutboxStatus.UNCERTAIN,
            )
            continue
        except Exception as exc:  # DeliveryError or anything else: ask again on the next tick
            log.warning("outbox %s: cannot reconcile yet: %s", item.idempotency_key, exc)
            continue
        if found is not None:
            _record_sent(item, found, now)
        else:
            OutboxItem.objects.filter(pk=item.pk, status=OutboxStatus.SENDING).update(
                status=OutboxStatus.PENDING, next_attempt_at=now, claimed_until=None
            )
    return len(stale)


def _reconcile(item: OutboxItem) -> str | None:
    if item.kind != OutboxKind.POST:
        return adapter_for(item.channel.network).reconcile(_message(item), item.kind, item.idempotency_key)
    post = item.post
    if post is None:
        return None
    publisher = spec_for(item.channel.network).load_publisher()
    return publisher.find_post(item.channel, post.text, item.idempotency_key, _continues(post))


@dataclass
class TickResult:
    recovered: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0


def outbox_tick(now: datetime | None = None, limit: int = 200, workspace_id: int | None = None) -> TickResult:
    """Periodic work: settle stale sends, then send every due item (retries included). A scenario run
    on a simulated clock passes its workspace, so no other workspace's rows are sent at that time."""
    now = now or timezone.now()
    result = TickResult(recovered=recover_stale(now) if workspace_id is None else 0)
    due = OutboxItem.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    if workspace_id is not None:
        due = due.filter(workspace_id=workspace_id)
    for item_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        status = send_item(item_id, now)
        result.sent += status == OutboxStatus.SENT
        result.failed += status == OutboxStatus.FAILED
        result.retrying += status == OutboxStatus.PENDING
    return result
