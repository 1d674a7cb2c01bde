"""Exporting and erasing one contact: the desk verbs of a data subject's request.

Who may: an export hands over everything about a person across every conversation, beyond what any
one agent works on, so it needs the roles that already oversee the whole workspace (leads and admins,
`LEAD_ROLES`: incidents, automation, report schedules). An erasure cannot be undone, so it is for
admins alone. Someone outside the workspace is told the contact does not exist (404), as everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Contact
from socialdesk.conversations.personal_data import pseudonym
from socialdesk.errors import DeskError
from socialdesk.privacy.audit import record
from socialdesk.privacy.documents import contact_document
from socialdesk.privacy.erasure import erase_contact_rows
from socialdesk.privacy.models import AuditAction
from socialdesk.workspaces.actions import LEAD_ROLES, require_role
from socialdesk.workspaces.models import Role, Workspace

EXPORT_ROLES = LEAD_ROLES
ERASE_ROLES = (Role.ADMIN,)


def _contact(workspace: Workspace, contact_id: int) -> Contact:
    contact = Contact.objects.filter(workspace=workspace, pk=contact_id).select_related("workspace").first()
    if contact is None:
        raise DeskError("not found", code="not_found", status=404)
    if contact.merged_into_id is not None:
        raise DeskError(
            f"contact {contact_id} was merged into contact {contact.merged_into_id}: use that one",
            code="merged",
            status=409,
        )
    return contact


def export_contact(
    actor: User | None, workspace: Workspace, contact_id: int, *, by: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """Everything the desk holds about the contact (see privacy.documents); the export is audited.
    `actor` None is an operator on the command line, named by `by`."""
    require_role(actor, workspace.pk, EXPORT_ROLES, "only a lead or an admin exports a contact's data")
    at = now or timezone.now()
    with transaction.atomic():
        contact = _contact(workspace, contact_id)
        # Recorded first, so the document lists its own export among the audit entries.
        record(workspace.pk, AuditAction.EXPORT, actor, at, by=by, contact_id=contact.pk)
        return contact_document(contact, at)


def erase_contact(
    actor: User | None, workspace: Workspace, contact_id: int, *, by: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """Erase the contact for good (see privacy.erasure): {"contact_id", "pseudonym", "counts"}. The
    audit log keeps who erased which contact and when, with the counts."""
    require_role(actor, workspace.pk, ERASE_ROLES, "only an admin erases a contact")
    at = now or timezone.now()
    with transaction.atomic():
        contact = _contact(workspace, contact_id)
        # Taken before erasing: two admins erasing at once erase once, the second is told.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.erased_at is not None:
            raise DeskError(f"contact {contact_id} was already erased", code="already_erased", status=409)
        counts = erase_contact_rows(contact, at)
        record(workspace.pk, AuditAction.ERASE, actor, at, by=by, contact_id=contact.pk, counts=counts)
    return {"contact_id": contact.pk, "pseudonym": pseudonym(contact.pk), "counts": counts}
