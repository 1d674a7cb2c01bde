"""The policy's clocks at work (periodic jobs): first-contact acknowledgments, 'still working on it'
updates and SLA warnings. Automatic messages pass the one gate in `policy.automation`; every step
claims its conversation first, so a job run twice, or after a crash, sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from socialdesk.conversations.actions import raise_alert
from socialdesk.conversations.models import AlertKind, Conversation, Status
from socialdesk.notifications.models import Kind, Notification
from socialdesk.notifications.notify import notify
from socialdesk.outbox.queue import queue_outbound
from socialdesk.policy import automation
from socialdesk.policy.actions import parsed_policy
from socialdesk.policy.clock import calendar_for
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.schema import Policy
from socialdesk.reports.models import CsatSurvey
from socialdesk.workspaces.models import Workspace

LIVE = [Status.NEW, Status.OPEN, Status.PENDING]

# Notifications are about what is happening now: a target missed longer ago than this when the job
# first sees it (a replayed or imported day, a desk started after a long stop) is not announced.
NOTICE_WINDOW = timedelta(hours=1)


def active_policies(workspace_id: int | None = None) -> Iterator[tuple[int, Policy]]:
    """(workspace id, policy) for every workspace with an active policy (or only the one given): the
    periodic jobs work per workspace so each can use its own thresholds in the query."""
    rows = PolicyVersion.objects.filter(is_active=True)
    if workspace_id is not None:
        rows = rows.filter(workspace_id=workspace_id)
    for found_id, version_id in rows.values_list("workspace_id", "pk"):
        yield found_id, parsed_policy(version_id)


def _automating(workspace_id: int | None) -> Iterator[tuple[int, Policy]]:
    """The active policies of workspaces whose automation is switched on. A switched-off workspace
    claims nothing, so its timers are intact when it is switched on again (and the gate's catch-up
    window keeps that from becoming a burst)."""
    enabled = set(Workspace.objects.filter(automation_enabled=True).values_list("pk", flat=True))
    for found_id, policy in active_policies(workspace_id):
        if found_id in enabled:
            yield found_id, policy


def _record(conversation: Conversation, verdict: automation.Verdict) -> None:
    """Keep the gate's decision on the conversation (shown on its page); send what it allowed."""
    log = [*conversation.automation_log, verdict.log_entry()][-20:]
    changes: dict[str, object] = {"automation_log": log}
    if verdict.kind == automation.ACKNOWLEDGMENT:
        changes["ack_skipped"] = "" if verdict.send else verdict.reason[:200]
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    if verdict.send:
        queue_outbound(
            conversation,
            verdict.text,
            is_private=verdict.private,
            automatic=True,
            automatic_reason=f"{verdict.kind}: {verdict.reason}",
            language=verdict.language,
            now=verdict.at,
        )


def send_due_acknowledgments(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """Acknowledge conversations whose first-contact time has come, through the gate; each is decided
    once (claimed first), so a job run twice, or after a crash, sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    for found_id, policy in _automating(workspace_id):
        due = Conversation.objects.filter(
            workspace_id=found_id, ack_sent_at__isnull=True, ack_due_at__lte=now, status__in=LIVE
        )
        zone = policy.business_hours.timezone
        if policy.automation.business_hours_only and not calendar_for(policy.business_hours).is_open(now):
            continue  # nothing goes out before opening; decided then, with what is known then
        for conversation in due.select_related("channel", "contact").order_by("ack_due_at", "pk")[:500]:
            verdict = automation.acknowledgment(policy, conversation, now, zone)
            if verdict.at > now:
                continue  # e.g. waiting for opening hours: decided then, with what is known then
            with transaction.atomic():
                if Conversation.objects.filter(pk=conversation.pk, ack_sent_at__isnull=True).update(
                    ack_sent_at=now
                ):
                    _record(conversation, verdict)
                    sent += int(verdict.send)
    return sent


def send_still_working_updates(
    now: datetime | None = None, workspace_id: int | None = None, batch: int = 500
) -> int:
    """Once a person has answered and the customer wrote again, and nobody has written back for the
    policy's time, tell the customer we're still on it (through the gate), once per message."""
    now = now or timezone.now()
    sent = 0
    for found_id, policy in _automating(workspace_id):
        minutes = policy.sla.still_working_after_minutes
        if not minutes:
            continue
        # Business time never runs faster than the wall clock, so this prefilter loses nothing.
        candidates = Conversation.objects.filter(
            workspace_id=found_id,
            status__in=LIVE,
            first_response_at__isnull=False,
            first_response_at__lte=now - timedelta(minutes=minutes),
        )
        # Decided after the last message already: nothing new to decide until someone writes.
        candidates = candidates.filter(
            Q(still_working_sent_at__isnull=True) | Q(still_working_sent_at__lt=F("last_message_at"))
        ).select_related("channel", "contact")
        for conversation in candidates.order_by("first_response_at")[:batch]:
            verdict = automation.update(policy, conversation, now, policy.business_hours.timezone)
            if verdict is None or verdict.at > now or verdict.about is None:
                continue
            with transaction.atomic():
                # Claim per customer message: the update it may get is decided once.
                claimed = (
                    Conversation.objects.filter(pk=conversation.pk)
                    .filter(
                        Q(still_working_sent_at__isnull=True) | Q(still_working_sent_at__lt=verdict.about)
                    )
                    .update(still_working_sent_at=now)
                )
                if claimed:
                    _record(conversation, verdict)
                    sent += int(verdict.send)
    return sent


def ask_for_ratings(now: datetime | None = None, workspace_id: int | None = None, batch: int = 500) -> int:
    """The satisfaction question, decided once per resolved conversation where the policy asks for it:
    the survey row (one per conversation) is the claim, written whether the gate sent the question or
    held it back, so a tick run twice, on two machines or after a reopen and a second resolution
    never asks again."""
    now = now or timezone.now()
    sent = 0
    for found_id, policy in _automating(workspace_id):
        if not policy.csat.enabled:
            continue
        ready = now - timedelta(minutes=policy.csat.delay_minutes)
        candidates = (
            Conversation.objects.filter(
                workspace_id=found_id,
                status=Status.RESOLVED,
                resolved_at__lte=ready,
                # Older resolutions could not be answered any more (history, a first enabling): left alone.
                resolved_at__gt=ready - timedelta(days=policy.csat.answer_days),
            )
            .filter(~Exists(CsatSurvey.objects.filter(conversation_id=OuterRef("pk"))))
            .select_related("channel", "contact", "reply_channel")
        )
        for conversation in candidates.order_by("resolved_at", "pk")[:batch]:
            verdict = automation.csat(policy, conversation, now)
            if verdict.at > now:
                continue  # waiting for opening hours: decided then
            with transaction.atomic():
                if _claim_survey(conversation, verdict, timedelta(days=policy.csat.answer_days)):
                    _record(conversation, verdict)
                    sent += int(verdict.send)
    return sent


def _claim_survey(conversation: Conversation, verdict: automation.Verdict, answer_for: timedelta) -> bool:
    try:
        with transaction.atomic():
            CsatSurvey.objects.create(
                workspace_id=conversation.workspace_id,
                conversation_id=conversation.pk,
                decided_at=verdict.at,
                asked_at=verdict.at if verdict.send else None,
                answer_until=verdict.at + answer_for if verdict.send else None,
                reason=verdict.reason[:300],
                language=verdict.language,
            )
    except IntegrityError:
        return False  # another tick decided it first
    return True


def thank_for_rating(policy: Policy, conversation: Conversation, language: str, rated_at: datetime) -> bool:
    """Thank a customer for their rating, through the gate (called by ingest as the rating arrives;
    here because every automatic message is recorded and queued the same way)."""
    conversation.refresh_from_db(fields=["status", "last_inbound_at", "automation_log"])
    verdict = automation.csat_thanks(policy, conversation, language, rated_at, timezone.now())
    if verdict is None:
        return False
    _record(conversation, verdict)
    return verdict.send


def warn_before_breach(
    now: datetime | None = None, workspace_id: int | None = None, batch: int = 2000
) -> int:
    """One alert per due time about to pass (or passed) without a response. `sla_warned_at` marks a
    conversation as warned until the customer writes again after our reply (a new next-response due)."""
    now = now or timezone.now()
    created = 0
    for found_id, policy in active_policies(workspace_id):
        horizon = now + timedelta(minutes=policy.sla.warn_before_minutes)
        zone = calendar_for(policy.business_hours).zone
        first_due = Q(first_response_at__isnull=True, first_response_due_at__lte=horizon)
        next_due = Q(next_response_due_at__lte=horizon)
        candidates = Conversation.objects.filter(
            first_due | next_due, workspace_id=found_id, status__in=LIVE, sla_warned_at__isnull=True
        ).order_by("pk")[:batch]
        for conversation in candidates:
            first = conversation.first_response_at is None and conversation.first_response_due_at is not None
            label = "first response" if first else "next response"
            due = conversation.first_response_due_at if first else conversation.next_response_due_at
            if due is None:
                continue
            # Labelled with the zone: the page shows the same time on the same clock (web.clock).
            text = f"{label} due {due.astimezone(zone):%Y-%m-%d %H:%M %Z}"
            # A due time long past is history (a replayed day, a desk back after a stop): the
            # conversation keeps its alert, nobody is notified of it.
            current = due > now - NOTICE_WINDOW
            if raise_alert(conversation, AlertKind.SLA_WARNING, ["lead"], text, now) and current:
                notify(
                    found_id,
                    Kind.SLA_WARNING,
                    f"Conversation #{conversation.pk}: {text}",
                    conversation=conversation,
                    key=f"sla_warning:{conversation.pk}:{due.timestamp():.0f}",
                    at=now,
                )
            Conversation.objects.filter(pk=conversation.pk).update(sla_warned_at=now)
            created += 1
    return created


# Missed targets are told together, at most once per workspace and target per this long: a busy hour
# is one line a lead acts on (with a link to those conversations), not one notification each.
BREACH_DIGEST_EVERY = timedelta(minutes=15)
TARGETS = (
    # (key, due field, answered by us already?, words)
    ("first", "first_response_due_at", False, "first response"),
    ("next", "next_response_due_at", True, "next response"),
)


def _last_digest(workspace_id: int, target: str) -> datetime | None:
    return (
        Notification.objects.filter(
            workspace_id=workspace_id, kind=Kind.SLA_BREACH, key__startswith=f"sla_breach:{target}:"
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _breach_digest(
    workspace_id: int, policy: Policy, now: datetime, target: tuple[str, str, bool, str]
) -> int:
    """One notification for the live conversations whose `target` passed since the last one (or in
    the notice window), unless the last one is too recent; returns how many conversations it names.
    Each due time falls in one digest's interval, so no conversation's breach is counted twice."""
    key, due_field, answered, words = target
    last = _last_digest(workspace_id, key)
    if last is not None and now - last < BREACH_DIGEST_EVERY:
        return 0
    since = now - NOTICE_WINDOW if last is None else max(last, now - NOTICE_WINDOW)
    breached = Conversation.objects.filter(
        workspace_id=workspace_id,
        status__in=LIVE,
        first_response_at__isnull=not answered,
        **{f"{due_field}__gt": since, f"{due_field}__lte": now},
    ).order_by(due_field, "pk")
    found = list(breached.values_list("pk", due_field)[:2])
    if not found:
        return 0
    zone = calendar_for(policy.business_hours).zone
    count = breached.count() if len(found) > 1 else 1
    first_due = found[0][1].astimezone(zone)
    if count == 1:
        conversation = Conversation.objects.get(pk=found[0][0])
        text = f"Conversation #{conversation.pk}: {words} target missed (due {first_due:%Y-%m-%d %H:%M %Z})"
        link = ""
    else:
        conversation = None
        last_due = breached.reverse().values_list(due_field, flat=True)[0].astimezone(zone)
        text = (
            f"{count} conversations breached their {words.replace(' ', '-')} target "
            f"(due {first_due:%H:%M} to {last_due:%H:%M %Z})"
        )
        slug = Workspace.objects.values_list("slug", flat=True).get(pk=workspace_id)
        link = reverse("web:inbox") + "?" + urlencode({"workspace": slug, "sla": "breached"})
    made = notify(
        workspace_id,
        Kind.SLA_BREACH,
        text,
        link=link,
        conversation=conversation,
        # Per 15-minute bucket: two machines running the same tick make one notification.
        key=f"sla_breach:{key}:{int(now.timestamp() // BREACH_DIGEST_EVERY.total_seconds())}",
        at=now,
    )
    return count if made is not None else 0


def notify_breaches(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """Missed response targets (first response, or next response after ours), told in digests;
    returns how many conversations the new notifications name."""
    now = now or timezone.now()
    return sum(
        _breach_digest(found_id, policy, now, target)
        for found_id, policy in active_policies(workspace_id)
        for target in TARGETS
    )


def policy_tick(now: datetime | None = None, workspace_id: int | None = None) -> dict[str, int]:
    """The policy's timed work at `now`, for every workspace or only the one given (a scenario run
    on a simulated clock must not move any other workspace's timers)."""
    now = now or timezone.now()
    return {
        "acknowledgments": send_due_acknowledgments(now, workspace_id),
        "still_working": send_still_working_updates(now, workspace_id),
        "csat": ask_for_ratings(now, workspace_id),
        "sla_warnings": warn_before_breach(now, workspace_id),
        "sla_breaches": notify_breaches(now, workspace_id),
    }
