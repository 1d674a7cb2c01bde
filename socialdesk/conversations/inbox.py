"""The inbox query: one filter model, one ordering and saved views shared by the web desk and the API,
always scoped to the user's workspaces."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from socialdesk.conversations.models import Conversation, Message, Priority, SavedView, Status, Tag
from socialdesk.errors import DeskError
from socialdesk.reports.models import Fact, FactKind
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
    # The conversations behind a report's number: those with a reporting fact of this kind
    # (`kind`, `sla:<target>[:met|:missed]`, `csat:<score>`) between `after` and `before`, by `fact_agent`.
    fact: str = Field(default="", max_length=40, pattern=r"^[a-z_]+(:[a-z_0-9]+){0,2}$")
    after: datetime | None = None
    before: datetime | None = None
    fact_agent: int | None = Field(default=None, gt=0)

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
        return urlencode({k: v for k, v in self.model_dump().items() if v})


PRIORITY_OF = {
    "low": Priority.LOW,
    "normal": Priority.NORMAL,
    "high": Priority.HIGH,
    "urgent": Priority.URGENT,
}


def workspace_ids(user: User | AnonymousUser) -> list[int]:
    """The user's workspace ids, looked up once per request (kept on the user object)."""
    cached: list[int] | None = getattr(user, "_socialdesk_workspace_ids", None)
    if cached is None:
        cached = list(workspaces_for(user).values_list("pk", flat=True))
        user._socialdesk_workspace_ids = cached  # type: ignore[union-attr]
    return cached


def scoped(user: User | AnonymousUser) -> QuerySet[Conversation]:
    # Ids first: a literal list lets the database use the (workspace, ...) indexes for ordering.
    return Conversation.objects.filter(workspace_id__in=workspace_ids(user))


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
        # EXISTS, not a join: the database keeps walking the inbox order and checks each row, with
        # one probe of the (conversation, tag) index since the tag ids are known first.
        tag_ids = list(
            Tag.objects.filter(workspace_id__in=workspace_ids(user), name=f.tag).values_list("pk", flat=True)
        )
        tagged = Conversation.tags.through.objects.filter(conversation_id=OuterRef("pk"), tag_id__in=tag_ids)
        qs = qs.filter(Exists(tagged))
    if f.incident:
        qs = qs.filter(incident_id=f.incident)
    if f.fact:
        qs = qs.filter(Exists(_facts_behind(f)))
    if f.q:
        # A subquery, not a list of ids: the database joins the newest matches itself (1,000 literal
        # ids compiled into three queries cost more than running the indexed search three times).
        qs = qs.filter(pk__in=search_conversations(f.q))
    return qs


def _facts_behind(f: InboxFilter) -> QuerySet[Fact]:
    kind, _, rest = f.fact.partition(":")
    facts = Fact.objects.filter(conversation_id=OuterRef("pk"), kind=kind)
    if kind == FactKind.SLA and rest:
        target, _, verdict = rest.partition(":")
        facts = facts.filter(target=target)
        if verdict:
            facts = facts.filter(met=verdict == "met")
    elif kind == FactKind.CSAT and rest.isdecimal():
        facts = facts.filter(score=int(rest))
    if f.after is not None:
        facts = facts.filter(at__gte=f.after)
    if f.before is not None:
        facts = facts.filter(at__lt=f.before)
    if f.fact_agent is not None:
        facts = facts.filter(agent_id=f.fact_agent)
    return facts


ORDERS = {
    # The default: conversations where a customer waits for an agent, the longest wait first (the
    # oldest unanswered customer message, see conversations.waiting); then the others, newest first.
    # Automatic messages and agents' replies never move a conversation up. The index
    # conv_inbox_waiting(_status) holds this order.
    "waiting": ("-waiting", "waiting_since", "-last_message_at"),
    "recent": ("-last_message_at",),
    "priority": ("-priority", "-priority_score", "-last_message_at"),
}
DEFAULT_ORDER = "waiting"


def ordered(qs: QuerySet[Conversation], sort: str) -> QuerySet[Conversation]:
    """The inbox order: longest waiting first (`waiting`, the default for any other value), newest
    activity first (`recent`) or the most urgent first (`priority`). The primary key breaks ties so
    pages never repeat a row."""
    return qs.order_by(*ORDERS.get(sort, ORDERS[DEFAULT_ORDER]), "-pk")


NEXT_WINDOW = 500  # conversations looked at to find the one after the current


def next_in_inbox(user: User | AnonymousUser, query: str, current: int) -> int | None:
    """The conversation after `current` in the inbox as `query` (the inbox's query string: filters and
    sort) shows it; the first one when `current` is not in the first NEXT_WINDOW; None when there is
    no other. Read before the current one changes (resolving may move it or take it out of the list)."""
    params = QueryDict(query.lstrip("?"))
    ids = list(
        ordered(inbox(user, InboxFilter.from_query(params)), params.get("sort", DEFAULT_ORDER)).values_list(
            "pk", flat=True
        )[:NEXT_WINDOW]
    )
    if current in ids:
        after = ids[ids.index(current) + 1 :]
        return after[0] if after else None
    return ids[0] if ids else None


def save_view(user: User, name: str, query: str) -> SavedView:
    """Keep the filters of `query` (a query string, `?` optional; unknown filters dropped) under
    `name` for this user; saving a name again replaces its filters."""
    name = name.strip()[:80]
    if not name:
        raise DeskError("a saved view needs a name")
    kept = InboxFilter.from_query(QueryDict(query.lstrip("?"))).query_string()
    view, _ = SavedView.objects.update_or_create(user=user, name=name, defaults={"query": kept})
    return view


def saved_views(user: User | AnonymousUser) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user_id=user.pk or 0).order_by("name")


WORD = re.compile(r"\w+", re.UNICODE)


SEARCH_LIMIT = 1000  # newest matching messages considered: a search answers in bounded time


def search_conversations(q: str) -> QuerySet[Message, Any]:
    """Conversation ids with a message containing every word of `q` (whole words, any case),
    through the full-text index: FTS5 on SQLite, a stored to_tsvector('simple') + GIN on PostgreSQL. Only the
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
                "SELECT id FROM conversations_message WHERE search_vector "
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
    """Exact numbers of live conversations per status for the current filter (the status filter itself
    left out), in one grouped query that the conv_inbox_status index answers without reading the table.
    Resolved and closed ones are not counted (they only grow)."""
    copy = f.model_copy(update={"status": ""})
    base = inbox(user, copy).filter(status__in=LIVE)
    found = dict(base.order_by().values_list("status").annotate(n=Count("*")).values_list("status", "n"))
    out = {str(status): found.get(status, 0) for status in LIVE}
    out["live"] = sum(out.values())
    return out


def total(qs: QuerySet[Conversation], status: str, tallies: dict[str, int]) -> int:
    """Conversations in the inbox query `qs`: exact from the live counts when the filter is a live
    status, else counted up to COUNT_CAP + 1."""
    if status in tallies:
        return tallies[status]
    return capped_count(qs)


class CountedPaginator(Paginator[Conversation]):
    """A paginator told its count (see `total`) instead of counting the query again."""

    def __init__(self, object_list: QuerySet[Conversation], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known
