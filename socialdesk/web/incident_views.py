"""Incidents in the desk: the list, one incident with its conversations, and resolving it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.conversations.inbox import scoped
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import can_resolve, incidents_for, publish_incident_status, resolve_incident
from socialdesk.incidents.bulletins import draft_bulletin
from socialdesk.incidents.models import Incident
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors

TEXT_ROWS = 3  # language/text pairs on the answer-everyone and "fixed" forms


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = incidents_for(request.user).order_by("status", "-opened_at")[:200]
    return render(request, "web/incidents.html", {"incidents": incidents})


def incident_page(
    request: HttpRequest, incident: Incident, *, status: int = 200, **extra: object
) -> HttpResponse:
    use_workspace_clock(request, incident.workspace_id)
    conversations = (
        scoped(request.user)
        .filter(incident=incident)
        .select_related("contact", "channel")
        .defer("channel__credentials")
        .order_by("-last_message_at", "-pk")[:200]
    )
    context = {
        "incident": incident,
        "conversations": conversations,
        "can_resolve": can_resolve(incident, request.user),
        "bulletins": incident.bulletins.prefetch_related("posts__channel", "posts__outbox").order_by(
            "published_at", "pk"
        ),
        "draft": draft_bulletin(incident, "en"),
        "resolutions": incident.bulk_resolutions.filter(undone_at__isnull=True).order_by("-at"),
        "text_rows": range(TEXT_ROWS),
        **extra,
    }
    return render(request, "web/incident.html", context, status=status)


def incident_error(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    return incident_page(request, incident, status=error.status, desk_error=str(error))


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return incident_page(request, get_object_or_404(incidents_for(request.user), pk=pk))


@login_required
@require_POST
@shows_desk_errors(incident_error)
def incident_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    resolve_incident(incident, timezone.now(), actor=signed_in(request))
    return redirect("web:incident", pk=incident.pk)


@login_required
@require_POST
@shows_desk_errors(incident_error)
def incident_publish(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    publish_incident_status(
        incident, signed_in(request), request.POST.get("public_text", ""), request.POST.get("public_url", "")
    )
    return redirect("web:incident", pk=incident.pk)
