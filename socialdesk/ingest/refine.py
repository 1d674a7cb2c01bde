"""The background refinement of triage: ingest never waits on a slow model.

Ingest triages every post on the fast path (about a millisecond). This job then takes the posts of
the last hours that only the fast path has seen, in workspaces whose policy asks for it
(`triage.refine`, on by default), and triages them again on the accurate path (e5 embeddings: better
sentiment, intent and categories, ~50 posts/s per core). The message takes the new labels; when its
conversation's triage changed and nobody has answered yet, routing runs again (team, priority and
the targets that follow; the acknowledgment's time and anything already sent stay as they were).

A post an agent corrected keeps the agent's word; an erased one keeps its labels. Run twice, or on two
workers at once, a post is refined once: each is re-read under a lock and skipped when it is no longer
on the fast path.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from socialdesk.conversations.models import Direction, Message
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.routing import reroute
from socialdesk.policy.schema import Policy
from socialdesk.roster.assignment import assign_routed
from socialdesk.triage.actions import refine_triage, settings_for
from socialdesk.triage.engine import triage_many
from socialdesk.triage.models import TriageCorrection

log = logging.getLogger(__name__)

PAGE = 64  # posts embedded in one call: about a second of e5 on one core
WINDOW = timedelta(hours=6)  # older posts keep their fast triage: routing has long been acted on


def _corrected() -> Exists:
    return Exists(TriageCorrection.objects.filter(message_id=OuterRef("pk")))


def _candidates(since: datetime, workspace_id: int | None) -> Sequence[Message]:
    rows = Message.objects.filter(
        direction=Direction.INBOUND,
        ingested_at__gte=since,
        triage__path="fast",
        conversation__anonymised_at__isnull=True,  # erased: the text is gone, the labels stay
    )
    rows = rows.exclude(_corrected())
    if workspace_id is not None:
        rows = rows.filter(workspace_id=workspace_id)
    return list(rows.order_by("pk").only("pk", "workspace_id", "text", "is_private")[: PAGE * 4])


def refine_recent(now: datetime | None = None, *, workspace_id: int | None = None) -> int:
    """One pass: up to PAGE posts per workspace re-triaged. Returns how many were refined."""
    since = (now or timezone.now()) - WINDOW
    by_workspace: dict[int, list[Message]] = {}
    for message in _candidates(since, workspace_id):
        by_workspace.setdefault(message.workspace_id, []).append(message)
    refined = 0
    for space_id, messages in by_workspace.items():
        found = active_policy_version(space_id)
        if found is None or not found[1].triage.refine or found[1].triage.accurate:
            continue
        refined += _refine_page(space_id, found, messages[:PAGE])
    return refined


def _refine_page(workspace_id: int, found: tuple[int, Policy], messages: list[Message]) -> int:
    settings = settings_for(workspace_id, found, accurate=True)
    results = triage_many(
        [m.text for m in messages], settings, private=[m.is_private for m in messages]
    )  # outside any transaction: no row is locked while the model runs
    refined = 0
    for message, result in zip(messages, results, strict=True):
        with transaction.atomic():
            current = (
                Message.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("conversation__channel")
                .filter(pk=message.pk, triage__path="fast", conversation__anonymised_at__isnull=True)
                .exclude(_corrected())
                .first()
            )
            if current is None:
                continue  # refined by another worker, or corrected by an agent meanwhile
            if refine_triage(current, result):  # the opening message's triage changed
                _route_again(found, current)
            refined += 1
    return refined


def _route_again(found: tuple[int, Policy], message: Message) -> None:
    number, policy = found
    conversation = message.conversation
    if reroute(policy, number, message, incident=conversation.incident_id is not None) is not None:
        assign_routed(policy, conversation.pk)
