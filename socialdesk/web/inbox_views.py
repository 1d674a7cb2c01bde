"""The inbox pages: filters, counts, live rows and saved views. Every query goes through the user's
workspaces."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.bulk.saved import saved_reply_names
from socialdesk.channels.models import Channel
from socialdesk.conversations.inbox import (
    COUNT_CAP,
    DEFAULT_ORDER,
    CountedPaginator,
    InboxFilter,
    counts,
    inbox,
    ordered,
    save_view,
    saved_views,
    total,
)
from socialdesk.conversations.models import Conversation, Status, Tag
from socialdesk.conversations.sla import current_target
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import incidents_for
from socialdesk.incidents.models import IncidentStatus
from socialdesk.roster.overview import perspective_note
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Team

FILTER_CHOICES = {
    "priority": ["low", "normal", "high", "urgent"],
    "sentiment": ["negative", "neutral", "positive"],
    "intent": ["complaint", "question", "praise", "spam", "abuse", "other"],
    "sla": ["due_soon", "breached"],
}


def _inbox_context(request: HttpRequest) -> dict[str, object]:
    f = InboxFilter.from_query(request.GET)
    sort = request.GET.get("sort") or DEFAULT_ORDER
    # No join to the workspace: SQLite would then drive the query from it and sort every row.
    # Channel credentials are never needed here: not loaded, not decrypted (50 Fernet calls a page).
    qs = (
        inbox(request.user, f)
        .select_related("contact", "channel", "assignee", "team")
        .defer("channel__credentials")
    )
    tallies = counts(request.user, f)
    found = total(qs, f.status, tallies)
    page = CountedPaginator(ordered(qs, sort), 50, found).get_page(request.GET.get("page"))
    spaces = workspaces_for(request.user)
    tabs = [
        (value, label, f"{tallies[value]:,}" if value in tallies else "")
        for value, label in [("live", "Live"), *Status.choices]
    ]
    return {
        "tabs": tabs,
        "page": page,
        "rows": [_row(c, timezone.now()) for c in page],
        "filter": f,
        "query": f.query_string(),
        "sort": sort,
        "total": _shown_total(found, f.status, tallies),
        "choices": FILTER_CHOICES,
        # only(): the list needs the network, never the (encrypted) credentials.
        "networks": sorted(
            {
                c.effective_network
                for c in Channel.objects.filter(workspace__in=spaces).only("network", "config")
            }
        ),
        "teams": Team.objects.filter(workspace__in=spaces).order_by("slug"),
        "members": User.objects.filter(memberships__workspace__in=spaces).distinct().order_by("username"),
        "tags": Tag.objects.filter(workspace__in=spaces)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct(),
        "spaces": spaces.order_by("slug"),
        "views": saved_views(request.user),
    }


def _shown_total(found: int, status: str, tallies: dict[str, int]) -> str:
    """Exact when known; past the cap "N+", where N is never below the live count shown beside it
    (all statuses hold at least the live ones)."""
    if status in tallies or found <= COUNT_CAP:
        return f"{found:,}"
    floor = max(COUNT_CAP, tallies["live"]) if status == "" else COUNT_CAP
    return f"{floor:,}+"


def _row(c: Conversation, now: datetime) -> dict[str, object]:
    """One inbox row, formatted here: the template then only prints (50 rows of template filters and
    url tags were most of the page's time)."""
    due = c.next_response_due_at if c.first_response_at else c.first_response_due_at
    local_due = timezone.localtime(due) if due else None
    waiting = current_target(c)
    return {
        "pk": c.pk,
        "href": reverse("web:conversation", args=[c.pk]),
        "contact": str(c.contact),
        "network": c.channel.effective_network,
        "private": c.is_private,
        "subject": c.subject if len(c.subject) <= 90 else c.subject[:89] + "…",
        "chips": [v for v in (c.intent, c.sentiment, c.category, c.language) if v],
        "legal": c.legal_threat,
        "status": c.get_status_display(),
        "priority": c.get_priority_display(),
        "assignee": c.assignee.username if c.assignee else "—",
        "due_iso": local_due.isoformat() if local_due else "",
        # Labelled with the zone: the workspace's clock (see web.clock), never the server's.
        "due": f"{local_due:%H:%M %Z}" if local_due else "—",
        "missed": waiting is not None and waiting[1] <= now,
        "last": f"{timezone.localtime(c.last_message_at):%Y-%m-%d %H:%M %Z}",
    }


def _bulk_bar(request: HttpRequest) -> dict[str, object]:
    """The bulk bar's choices (the whole page only: the rows polled every few seconds need none)."""
    return {
        "statuses": Status.choices,
        "open_incidents": incidents_for(request.user)
        .filter(status=IncidentStatus.OPEN)
        .order_by("-opened_at")[:50],
        "saved_reply_names": saved_reply_names(workspaces_for(request.user)),
    }


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    context = {**_inbox_context(request), **_bulk_bar(request), "notes": _perspective_notes(request)}
    return render(request, "web/inbox.html", context)


def _perspective_notes(request: HttpRequest) -> list[str]:
    """The policy's note for an agent just through a run of abusive conversations (keep perspective)."""
    actor = signed_in(request)
    notes = (perspective_note(w, actor.pk) for w in workspaces_for(actor).values_list("pk", flat=True))
    return sorted({note for note in notes if note})


@login_required
def inbox_rows(request: HttpRequest) -> HttpResponse:
    """The rows alone: the page polls this (htmx) so new messages appear without a reload."""
    return render(request, "web/inbox_rows.html", _inbox_context(request))


def inbox_error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    context = {**_inbox_context(request), **_bulk_bar(request), "desk_error": str(error)}
    return render(request, "web/inbox.html", context, status=error.status)


@login_required
@require_POST
@shows_desk_errors(inbox_error)
def save_inbox_view(request: HttpRequest) -> HttpResponse:
    view = save_view(signed_in(request), request.POST.get("name", ""), request.POST.get("query", ""))
    return redirect(f"{reverse('web:inbox')}?{view.query}")
