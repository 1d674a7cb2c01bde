"""A contact's page: who they are on each network and their conversations, with the export (leads and
admins; a JSON download) and the erasure (admins; a confirmation page first). Another workspace's
contact is a 404. Views parse the form and call the privacy actions, which check the roles."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialdesk.conversations.models import Contact
from socialdesk.errors import DeskError
from socialdesk.privacy.actions import ERASE_ROLES, EXPORT_ROLES, erase_contact, export_contact
from socialdesk.privacy.models import AuditEntry
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import has_role, workspaces_for


def _contact(request: HttpRequest, pk: int) -> Contact:
    contact = get_object_or_404(
        Contact.objects.filter(workspace__in=workspaces_for(request.user)).select_related("workspace"), pk=pk
    )
    use_workspace_clock(request, contact.workspace_id)
    return contact


def _page(request: HttpRequest, contact: Contact, *, status: int = 200, **extra: object) -> HttpResponse:
    user_id = request.user.pk
    can_export = has_role(contact.workspace_id, user_id, EXPORT_ROLES)
    context = {
        "contact": contact,
        "handles": contact.handles.order_by("network", "pk"),
        "conversations": contact.conversations.select_related("channel").order_by("-last_message_at", "-pk")[
            :100
        ],
        "can_export": can_export,
        "can_erase": has_role(contact.workspace_id, user_id, ERASE_ROLES),
        # The privacy audit about this contact, for those who may export it anyway.
        "audit": AuditEntry.objects.filter(workspace_id=contact.workspace_id, contact_id=contact.pk).order_by(
            "-created_at", "-pk"
        )[:50]
        if can_export
        else [],
        **extra,
    }
    return render(request, "web/contact.html", context, status=status)


def _refused(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    return _page(request, _contact(request, pk), status=error.status, desk_error=str(error))


@login_required
def contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _contact(request, pk))


@login_required
@require_POST
@shows_desk_errors(_refused)
def contact_export(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    document = export_contact(signed_in(request), contact.workspace, contact.pk)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


def _confirm_error(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    contact = _contact(request, pk)
    return render(
        request, "web/contact_erase.html", {"contact": contact, "desk_error": str(error)}, status=error.status
    )


@login_required
@shows_desk_errors(_confirm_error)
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what an erasure removes and keeps, and a field for the contact's id; POST: erase."""
    contact = _contact(request, pk)
    if request.method != "POST":
        return render(request, "web/contact_erase.html", {"contact": contact})
    if request.POST.get("confirm", "").strip() != str(contact.pk):
        raise DeskError(f"type the contact's id ({contact.pk}) to confirm: nothing was erased")
    erase_contact(signed_in(request), contact.workspace, contact.pk)
    return redirect("web:contact", pk=contact.pk)
