"""Workspace membership and team actions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from socialdesk.errors import DeskError, Forbidden
from socialdesk.workspaces.models import ApiToken, Membership, Role, Team, Workspace


def create_workspace(slug: str, name: str, timezone: str = "UTC") -> Workspace:
    workspace, _ = Workspace.objects.get_or_create(slug=slug, defaults={"name": name, "timezone": timezone})
    return workspace


def add_member(workspace: Workspace, user: User, role: Role = Role.AGENT) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


def ensure_team(workspace_id: int, slug: str, name: str) -> Team:
    team, _ = Team.objects.get_or_create(workspace_id=workspace_id, slug=slug, defaults={"name": name})
    return team


def workspaces_for(user: User | AnonymousUser) -> QuerySet[Workspace]:
    """The workspaces a user may read; the root of every scoped query."""
    if not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user)


def create_user(username: str, password: str, email: str = "") -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.save()
    return user


APPROVER_ROLES = (Role.LEAD, Role.ADMIN, Role.LEGAL)


def has_role(workspace_id: int, user_id: int | None, roles: tuple[Role, ...]) -> bool:
    return Membership.objects.filter(workspace_id=workspace_id, user_id=user_id or 0, role__in=roles).exists()


def can_approve(workspace_id: int, user_id: int | None) -> bool:
    """Leads, admins and legal members release replies the policy holds for approval."""
    return has_role(workspace_id, user_id, APPROVER_ROLES)


LEAD_ROLES = (Role.LEAD, Role.ADMIN)


def can_lead(workspace_id: int, user_id: int | None) -> bool:
    """Leads and admins run incidents (declare them over)."""
    return has_role(workspace_id, user_id, LEAD_ROLES)


def is_member(workspace_id: int, user_id: int | None) -> bool:
    return has_role(workspace_id, user_id, tuple(Role))


def require_member(actor: User | None, workspace_id: int) -> None:
    """Every action starts here: someone outside the workspace is told the thing does not exist, as
    the scoped lookups of the pages and the API do. `None` is the desk itself (timers, imports)."""
    if actor is not None and not is_member(workspace_id, actor.pk):
        raise DeskError("not found", code="not_found", status=404)


def require_role(actor: User | None, workspace_id: int, roles: tuple[Role, ...], refusal: str) -> None:
    """A member without one of `roles` is refused with `refusal` (403); `None` is the desk itself."""
    if actor is None or has_role(workspace_id, actor.pk, roles):
        return
    require_member(actor, workspace_id)
    raise Forbidden(refusal)


def set_automation(actor: User | None, workspace: Workspace, enabled: bool) -> Workspace:
    """Switch the policy's automatic messages on or off for a workspace (leads and admins). Off sends
    nothing and keeps every timer; on again, the gate's catch-up window keeps it from a burst."""
    require_role(actor, workspace.pk, LEAD_ROLES, "only a lead or an admin switches automation")
    Workspace.objects.filter(pk=workspace.pk).update(automation_enabled=enabled)
    workspace.automation_enabled = enabled
    return workspace


def set_two_factor_required(actor: User | None, workspace: Workspace, required: bool) -> Workspace:
    """Require a second factor of every member of a workspace, or stop requiring it (admins only).
    Members without a device are sent to enrol at their next request; API tokens are not affected."""
    require_role(actor, workspace.pk, (Role.ADMIN,), "only an admin decides whether two-factor is required")
    Workspace.objects.filter(pk=workspace.pk).update(two_factor_required=required)
    workspace.two_factor_required = required
    return workspace


def two_factor_required_for(user: User) -> bool:
    """Whether any of the user's workspaces requires a second factor."""
    return Membership.objects.filter(user=user, workspace__two_factor_required=True).exists()


TOKEN_PREFIX = "sdt_"  # noqa: S105 - a marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: (the row, the token). The token is not stored and cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "token", digest=_digest(token), prefix=token[:10]
    )
    return row, token


def user_for_token(token: str) -> User | None:
    """The active user a token acts as, or None (unknown, revoked, inactive user)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    # One write a minute at most: a busy script should not turn every read into a write.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def revoke_api_token(user: User, token_id: int) -> bool:
    """Revokes one of the user's own tokens; False when there is no such live token."""
    live = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True)
    return bool(live.update(revoked_at=timezone.now()))
