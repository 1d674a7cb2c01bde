"""The inbox query: one filter model shared by the web desk and the API, always scoped to the
user's workspaces."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from socialdesk.conversations.models import Conversation, Message, Priority, Status
from socialdesk.workspaces.actions import workspaces_for

DUE_SOON = timedelta(minutes=30)
SEARCH_MAX = 200


class InboxFilter(BaseModel):
    """Every field optional; given fields must all hold."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    workspace: str = ""
    status: Literal["", "new", "open", "pending", "resolved", "closed", "live"] = ""
    priority: Literal["", "low", "normal", "high", "urgent"] = ""
    network: str = ""
    language: str = ""
    sentiment: Literal["", "negative", "neutral", "positive"] = ""
    intent: str = ""
    category: str = ""
    team: str = ""
    assignee: str = Field(default="", description="a username, `me` or `none`")
    sla: Literal["", "due_soon", "breached"] = ""
    tag: str = ""
    incident: int | None = Field(default=None, gt=0)
    q: str = Field(default="", max_length=SEARCH_MAX, description="words in any message of the thread")
    _search_ids: list[int] | None = PrivateAttr(default=None)

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, Any]) -> InboxFilter:
        """From a query string; values that are not allowed are dropped (the inbox still shows)."""
        raw = {k: query.get(k, "") for k in cls.model_fields}
        try:
            return cls.model_validate(raw)
        except ValidationError as invalid:
            bad = {str(e["loc"][0]) for e in invalid.errors() if e["loc"]}
            return cls.model_validate({k: v for k, v in raw.items() if k not in bad})

    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.model_dump().items() if v})


PRIORITY_OF = {
    "low": Priority.LOW,
    "normal": Priority.NORMAL,
    "high": Priority.HIGH,
    "urgent": Priority.URGENT,
}


def scoped(user: User | AnonymousUser) -> QuerySet[Conversation]:
    # Ids first: a literal list lets the database use the (workspace, ...) indexes for ordering.
    ids = list(workspaces_for(user).values_list("pk", flat=True))
    return Conversation.objects.filter(workspace_id__in=ids)


def inbox(user: User | AnonymousUser, f: InboxFilter) -> QuerySet[Conversation]:
    qs = scoped(user)
    if f.workspace:
        qs = qs.filter(workspace__slug=f.workspace)
    if f.status == "live":
        qs = qs.filter(status__in=[Status.NEW, Status.OPEN, Status.PENDING])
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.priority:
        qs = qs.filter(priority=PRIORITY_OF[f.priority])
    if f.network:
        qs = qs.filter(Q(channel__network=f.network) | Q(channel__config__simulates=f.network))
    for field in ("language", "sentiment", "intent", "category"):
        value = getattr(f, field)
        if value:
            qs = qs.filter(**{field: value})
    if f.team:
        qs = qs.filter(team__slug=f.team)
    if f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif f.assignee:
        qs = qs.filter(assignee__username=f.assignee)
    if f.sla:
        now = timezone.now()
        first = Q(first_response_at__isnull=True, first_response_due_at__isnull=False)
        if f.sla == "breached":
            qs = qs.filter(
                (first & Q(first_response_due_at__lt=now)) | Q(next_response_due_at__lt=now),
                status__in=[Status.NEW, Status.OPEN, Status.PENDING],
            )
        else:
            window = (now, now + DUE_SOON)
            qs = qs.filter(
                (first & Q(first_response_due_at__range=window)) | Q(next_response_due_at__range=window),
                status__in=[Status.NEW, Status.OPEN, Status.PENDING],
            )
    if f.tag:
        # EXISTS, not a join: the database keeps walking the inbox order and checks each row.
        tagged = Conversation.tags.through.objects.filter(conversation_id=OuterRef("pk"), tag__name=f.tag)
        qs = qs.filter(Exists(tagged))
    if f.incident:
        qs = qs.filter(incident_id=f.incident)
    if f.q:
        if f._search_ids is None:  # one full-text query per request, however many counts follow
            f._search_ids = sorted(set(search_conversations(f.q).values_list("conversation_id", flat=True)))
        qs = qs.filter(pk__in=f._search_ids)
    return qs


WORD = re.compile(r"\w+", re.UNICODE)


SEARCH_LIMIT = 1000  # newest matching messages considered: a search answers in bounded time


def search_conversations(q: str) -> QuerySet[Message, Any]:
    """Conversation ids with a message containing every word of `q` (whole words, any case),
    through the full-text index: FTS5 on SQLite, to_tsvector('simple') + GIN on PostgreSQL. Only the
    newest SEARCH_LIMIT matching messages count (a word in every message still answers fast)."""
    words = WORD.findall(q.lower())[:8]
    messages = Message.objects.all()
    if not words:
        return messages.none().values("conversation_id")
    vendor = connection.vendor
    if vendor == "sqlite":
        match = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
        messages = messages.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM message_fts WHERE message_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
                [match, SEARCH_LIMIT],
            )
        )
    elif vendor == "postgresql":
        messages = messages.filter(
            pk__in=RawSQL(
                "SELECT id FROM conversations_message WHERE to_tsvector('simple', text) "
                "@@ plainto_tsquery('simple', %s) ORDER BY id DESC LIMIT %s",
                [" ".join(words), SEARCH_LIMIT],
            )
        )
    else:  # other databases: a scan
        for word in words:
            messages = messages.filter(text__icontains=word)
    return messages.values("conversation_id")


COUNT_CAP = 1_000  # counts above this show as "1000+": exact big counts cost a full scan
LIVE = (Status.NEW, Status.OPEN, Status.PENDING)


def capped_count(qs: QuerySet[Conversation]) -> int:
    """min(count, COUNT_CAP + 1): counting stops after the cap."""
    return qs.order_by().values("pk")[: COUNT_CAP + 1].count()


def counts(user: User | AnonymousUser, f: InboxFilter) -> dict[str, int]:
    """Live conversations per status for the current filter (the status filter itself left out),
    each capped at COUNT_CAP + 1; resolved and closed ones are not counted (they only grow)."""
    copy = f.model_copy(update={"status": ""})
    base = inbox(user, copy)
    f._search_ids = copy._search_ids
    out = {str(status): capped_count(base.filter(status=status)) for status in LIVE}
    out["live"] = min(COUNT_CAP + 1, sum(out.values()))
    return out


class CappedPaginator(Paginator[Conversation]):
    """A paginator whose count stops at COUNT_CAP + 1 (page numbers beyond it still work)."""

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list)  # type: ignore[arg-type]
