"""The inbox query: one filter model shared by the web desk and the API, always scoped to the
user's workspaces."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    q: str = Field(default="", max_length=SEARCH_MAX, description="words in any message of the thread")

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
    return Conversation.objects.filter(workspace__in=workspaces_for(user))


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
        qs = qs.filter(tags__name=f.tag)
    if f.q:
        qs = qs.filter(pk__in=search_conversations(f.q))
    return qs


WORD = re.compile(r"\w+", re.UNICODE)


def search_conversations(q: str) -> QuerySet[Message, Any]:
    """Conversation ids with a message containing every word of `q` (whole words, any case),
    through the full-text index: FTS5 on SQLite, to_tsvector('simple') + GIN on PostgreSQL."""
    words = WORD.findall(q.lower())[:8]
    messages = Message.objects.all()
    if not words:
        return messages.none().values("conversation_id")
    vendor = connection.vendor
    if vendor == "sqlite":
        match = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
        messages = messages.filter(
            pk__in=RawSQL("SELECT rowid FROM message_fts WHERE message_fts MATCH %s", [match])
        )
    elif vendor == "postgresql":
        messages = messages.filter(
            pk__in=RawSQL(
                "SELECT id FROM conversations_message "
                "WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', %s)",
                [" ".join(words)],
            )
        )
    else:  # other databases: a scan
        for word in words:
            messages = messages.filter(text__icontains=word)
    return messages.values("conversation_id")


def counts(user: User | AnonymousUser, f: InboxFilter) -> dict[str, int]:
    """Conversations per status for the current filter (the status filter itself left out)."""
    base = inbox(user, f.model_copy(update={"status": ""}))
    rows = base.order_by().values("status").annotate(n=Count("pk"))
    out = {status: 0 for status in Status.values}
    for row in rows:
        out[row["status"]] = row["n"]
    out["live"] = out[Status.NEW] + out[Status.OPEN] + out[Status.PENDING]
    return out
