"""Who gets a notification, and how: each member's stored choice per kind, else the default of the
member's role. Defaults follow who can act on it: legal hears of legal escalations, leads and admins
of breaches, incidents, spikes and held replies, an assignee of the SLA warnings on their
conversations (a lead only when nobody is assigned: a warning is the assignee's to act on)."""

from __future__ import annotations

from dataclasses import dataclass

from socialdesk.notifications.models import Kind, Preference
from socialdesk.workspaces.models import Membership, Role

LEADS = (Role.LEAD, Role.ADMIN)
DEFAULT_ROLES: dict[str, tuple[str, ...]] = {
    Kind.LEGAL_ESCALATION: (Role.LEGAL,),
    Kind.ESCALATION: (Role.LEAD,),
    Kind.APPROVAL_WAITING: (Role.LEAD, Role.ADMIN, Role.LEGAL),  # the roles that may approve
    Kind.SLA_WARNING: (),  # the assignee (see `recipients`)
    Kind.SLA_BREACH: LEADS,
    Kind.INCIDENT_OPENED: LEADS,
    Kind.SPIKE: LEADS,
}
# Urgent enough to reach someone away from the desk; the rest is in the desk only unless chosen.
EMAIL_BY_DEFAULT = frozenset({Kind.LEGAL_ESCALATION, Kind.SLA_BREACH, Kind.INCIDENT_OPENED, Kind.SPIKE})
ASSIGNEE_KINDS = frozenset({Kind.SLA_WARNING, Kind.SLA_BREACH})


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool
    chosen: bool  # False: the role's default


def default_choice(
    kind: str, role: str, *, roles: tuple[str, ...] | None = None, assignee: bool = False
) -> Choice:
    """`roles`: the audience the caller named (an escalation rule's notify_roles) instead of the default."""
    audience = DEFAULT_ROLES[kind] if roles is None else roles
    wanted = role in audience or assignee
    return Choice(in_app=wanted, email=wanted and kind in EMAIL_BY_DEFAULT, chosen=False)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    choice: Choice


def recipients(
    workspace_id: int,
    kind: str,
    *,
    roles: tuple[str, ...] | None = None,
    assignee_id: int | None = None,
    except_user_id: int | None = None,
) -> list[Recipient]:
    """The members who get `kind` in at least one medium, each with the media they get."""
    if roles is None and kind == Kind.SLA_WARNING and assignee_id is None:
        roles = LEADS  # nobody's conversation yet: whoever assigns work hears of it
    stored = {
        p.user_id: Choice(p.in_app, p.email, chosen=True)
        for p in Preference.objects.filter(workspace_id=workspace_id, kind=kind)
    }
    members = Membership.objects.filter(workspace_id=workspace_id, user__is_active=True).values_list(
        "user_id", "role", "user__email"
    )
    found = []
    for user_id, role, email in members.order_by("user_id"):
        if user_id == except_user_id:
            continue
        is_assignee = kind in ASSIGNEE_KINDS and user_id == assignee_id
        choice = stored.get(user_id) or default_choice(kind, role, roles=roles, assignee=is_assignee)
        if choice.in_app or choice.email:
            found.append(Recipient(user_id, email, choice))
    return found
