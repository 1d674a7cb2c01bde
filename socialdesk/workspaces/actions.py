"""Workspace membership and team actions."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from socialdesk.workspaces.models import Membership, Role, Team, Workspace


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


def can_approve(workspace_id: int, user_id: int | None) -> bool:
    """Leads, admins and legal members release replies the policy holds for approval."""
    return Membership.objects.filter(
        workspace_id=workspace_id, user_id=user_id or 0, role__in=APPROVER_ROLES
    ).exists()
