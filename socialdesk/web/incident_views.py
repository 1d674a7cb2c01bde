"""Incidents in the desk: the list, one incident with its conversations, and resolving it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.conversations.inbox import scoped
from socialdesk.incidents.actions import incidents_for, resolve_incident
from socialdesk.workspaces.actions import can_lead


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = incidents_for(request.user).order_by("status", "-opened_at")[:200]
    return render(request, "web/incidents.html", {"incidents": incidents})


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    conversations = (
        scoped(request.user)
        .filter(incident=incident)
        .select_related("contact", "channel")
        .defer("channel__credentials")
        .order_by("-last_message_at", "-pk")[:200]
    )
    return render(
        request,
        "web/incident.html",
        {
            "incident": incident,
            "conversations": conversations,
            "can_resolve": can_lead(incident.workspace_id, request.user.pk),
        },
    )


@login_required
@require_POST
def incident_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    if not can_lead(incident.workspace_id, request.user.pk):
        return HttpResponse("Only leads and admins resolve incidents.", status=403)
    resolve_incident(incident, timezone.now())
    return redirect("web:incident", pk=incident.pk)
