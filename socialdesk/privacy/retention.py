"""The policy's retention limits, applied by the `retention-sweep` job (socialdesk.jobs).

Per workspace whose active policy has a `retention` section: raw payloads older than
`raw_payload_days` are deleted (only of events done with: processed, ignored or failed; one pending or
quarantined still has to be processed or replayed), and conversations resolved or closed with nothing
new for `anonymise_closed_after_months` are anonymised (privacy.erasure), and a contact left with
nothing but anonymised conversations loses its name and handles as in an erasure. At most BATCH of each per
workspace and run, each batch in its own transaction, so a run never holds locks for long and a big
backlog drains over a few runs; a done row is marked, so running twice does nothing twice. Every run
is recorded in the privacy audit log with its counts."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Contact, Conversation, Status
from socialdesk.ingest.models import EventStatus, RawEvent
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.schema import Retention
from socialdesk.privacy.audit import record
from socialdesk.privacy.erasure import anonymise_conversations, erase_contact_rows
from socialdesk.privacy.models import AuditAction
from socialdesk.workspaces.models import Workspace

BATCH = 500
CONVERSATION_BATCH = 100
DONE_WITH = (EventStatus.PROCESSED, EventStatus.IGNORED, EventStatus.FAILED)
WHO = "retention job"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _erase_payloads(workspace_id: int, days: int, now: datetime) -> int:
    due = RawEvent.objects.filter(
        channel__workspace_id=workspace_id,
        status__in=DONE_WITH,
        received_at__lt=now - timedelta(days=days),
        payload_erased_at__isnull=True,
    )
    with transaction.atomic():
        ids = list(due.order_by("received_at", "pk").values_list("pk", flat=True)[:BATCH])
        # Filtered again on write: an event replayed meanwhile is pending again and keeps its payload.
        return due.filter(pk__in=ids).update(payload={}, payload_erased_at=now)


def _anonymise_closed(workspace_id: int, months: int, now: datetime) -> dict[str, int]:
    with transaction.atomic():
        rows = list(
            Conversation.objects.filter(
                workspace_id=workspace_id,
                status__in=(Status.RESOLVED, Status.CLOSED),
                last_message_at__lt=months_before(now, months),
                anonymised_at__isnull=True,
            )
            .select_for_update(skip_locked=True)
            .order_by("last_message_at", "pk")
            .values_list("pk", "contact_id")[:CONVERSATION_BATCH]
        )
        counts = anonymise_conversations([pk for pk, _ in rows], now, "retention")
        counts["contacts"] = _forget_contacts({contact_id for _, contact_id in rows}, now)
        return counts


def _forget_contacts(contact_ids: set[int], now: datetime) -> int:
    """Contacts with nothing left but anonymised conversations lose their name and handles too: kept,
    they would hold a person's identity long after everything they wrote is gone."""
    forgotten = 0
    for contact in Contact.objects.filter(
        pk__in=contact_ids, erased_at__isnull=True, merged_into__isnull=True
    ):
        if not Conversation.objects.filter(contact=contact, anonymised_at__isnull=True).exists():
            erase_contact_rows(contact, now)
            forgotten += 1
    return forgotten


def sweep_workspace(workspace_id: int, retention: Retention, now: datetime) -> dict[str, int]:
    counts = {"raw_payloads": 0, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0}
    if retention.raw_payload_days is not None:
        counts["raw_payloads"] += _erase_payloads(workspace_id, retention.raw_payload_days, now)
    if retention.anonymise_closed_after_months is not None:
        done = _anonymise_closed(workspace_id, retention.anonymise_closed_after_months, now)
        for key in ("raw_payloads", "conversations", "messages", "notes", "contacts"):
            counts[key] += done[key]
    record(workspace_id, AuditAction.RETENTION, None, now, by=WHO, counts=counts)
    return counts


def retention_sweep(now: datetime | None = None) -> dict[str, dict[str, int]]:
    """The job: each workspace with retention limits swept once; {workspace slug: counts}."""
    at = now or timezone.now()
    swept: dict[str, dict[str, int]] = {}
    for workspace in Workspace.objects.order_by("pk"):
        found = active_policy_version(workspace.pk)
        if found is None or found[1].retention is None:
            continue
        swept[workspace.slug] = sweep_workspace(workspace.pk, found[1].retention, at)
    return swept
