"""An incident's bulletins and the answers to everyone, from the incident page: each form posts here,
the view parses it and calls one action, then shows the incident again (with what happened)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.incidents.actions import incidents_for
from socialdesk.incidents.answers import (
    Outcome,
    answer_everyone,
    resolve_with_fixed_message,
    undo_bulk_resolution,
)
from socialdesk.incidents.bulletins import publish_bulletin
from socialdesk.incidents.models import BulkResolution
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.web.incident_views import TEXT_ROWS, incident_error, incident_page


def _texts(request: HttpRequest) -> dict[str, str]:
    """{language: text} from the form's language_N / text_N pairs (empty rows ignored)."""
    texts = {}
    for n in range(TEXT_ROWS):
        language = request.POST.get(f"language_{n}", "").strip().lower()
        text = request.POST.get(f"text_{n}", "")
        if language and text.strip():
            texts[language] = text
    return texts


def _summary(outcome: Outcome) -> str:
    counts = ", ".join(f"{how}: {n}" for how, n in sorted(outcome.counts.items())) or "nobody new"
    resolved = (
        f"; {outcome.resolved} resolved, {len(outcome.not_resolved)} left open" if outcome.resolution else ""
    )
    return f"{counts}{resolved}"


@login_required
@require_POST
@shows_desk_errors(incident_error)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    publish_bulletin(
        signed_in(request),
        incident,
        request.POST.get("language", ""),
        request.POST.get("text", ""),
        timezone.now(),
    )
    return redirect("web:incident", pk=incident.pk)


@login_required
@require_POST
@shows_desk_errors(incident_error)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    reply = request.POST.get("mode", "reply") == "reply"
    texts = _texts(request) if reply else {}
    outcome = answer_everyone(signed_in(request), incident, reply=reply, texts=texts, now=timezone.now())
    return incident_page(request, incident, outcome=outcome, outcome_summary=_summary(outcome))


@login_required
@require_POST
@shows_desk_errors(incident_error)
def fixed(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    outcome = resolve_with_fixed_message(
        signed_in(request), incident, texts=_texts(request), now=timezone.now()
    )
    incident.refresh_from_db()
    return incident_page(request, incident, outcome=outcome, outcome_summary=_summary(outcome))


@login_required
@require_POST
@shows_desk_errors(incident_error)
def undo(request: HttpRequest, pk: int, resolution_id: int) -> HttpResponse:
    incident = get_object_or_404(incidents_for(request.user), pk=pk)
    resolution = get_object_or_404(BulkResolution, incident=incident, pk=resolution_id)
    restored = undo_bulk_resolution(signed_in(request), resolution, timezone.now())
    return incident_page(request, incident, outcome_summary=f"{restored} conversation(s) back as they were")
