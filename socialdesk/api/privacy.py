"""A contact's personal data in the REST API: the export (leads and admins) and the erasure (admins).
Both are POST: each is recorded in the privacy audit log, and an erasure cannot be undone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.privacy.actions import erase_contact, export_contact
from socialdesk.workspaces.actions import workspaces_for

router = Router(tags=["privacy"])
REFUSALS: dict[int, type[Problem]] = {403: Problem, 404: Problem, 409: Problem}


class ErasedOut(Schema):
    contact_id: int
    pseudonym: str
    counts: dict[str, int]


@router.post(
    "/{slug}/contacts/{contact_id}/export",
    response={200: dict[str, Any], **REFUSALS},
    summary="Everything the desk holds about one contact (audited)",
)
def export(request: HttpRequest, slug: str, contact_id: int) -> dict[str, Any]:
    workspace = get_object_or_404(workspaces_for(request.user), slug=slug)
    return export_contact(signed_in(request), workspace, contact_id)


@router.post(
    "/{slug}/contacts/{contact_id}/erase",
    response={200: ErasedOut, **REFUSALS},
    summary="Erase one contact for good (admins; audited)",
)
def erase(request: HttpRequest, slug: str, contact_id: int) -> dict[str, Any]:
    workspace = get_object_or_404(workspaces_for(request.user), slug=slug)
    return erase_contact(signed_in(request), workspace, contact_id)
