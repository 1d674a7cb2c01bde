"""Writing the privacy audit log."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from socialdesk.privacy.models import AuditAction, AuditEntry


def record(
    workspace_id: int,
    action: AuditAction,
    actor: User | None,
    at: datetime,
    *,
    by: str = "",
    contact_id: int | None = None,
    counts: dict[str, int] | None = None,
) -> AuditEntry:
    """One entry. `by` names an actor that is not a user (the command line, the retention job)."""
    return AuditEntry.objects.create(
        workspace_id=workspace_id,
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else (by or "desk"),
        contact_id=contact_id,
        counts=counts or {},
        created_at=at,
    )
