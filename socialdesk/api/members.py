"""A workspace's members in the REST API, for its admins: list, add (a username, or an email address
to invite: the answer carries the invitation link to send), change a role, remove."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.members import (
    add_existing_user,
    change_role,
    invite,
    members_of,
    remove_member,
)
from socialdesk.workspaces.models import Membership, Workspace

router = Router(tags=["members"])


class MemberOut(Schema):
    user_id: int
    username: str
    email: str
    role: str
    active: bool
    invitation_url: str = ""


class MemberIn(Schema):
    role: str
    username: str = ""
    email: str = ""


class RoleIn(Schema):
    role: str


def _out(m: Membership, invitation_url: str = "") -> dict[str, Any]:
    user = m.user
    return {
        "user_id": user.pk,
        "username": user.username,
        "email": user.email,
        "role": m.role,
        "active": user.is_active,
        "invitation_url": invitation_url,
    }


def _workspace(request: HttpRequest, slug: str) -> Workspace:
    return get_object_or_404(workspaces_for(request.user), slug=slug)


@router.get("/{slug}/members", response={200: list[MemberOut], 403: Problem}, summary="Members (admins)")
def list_members(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [_out(m) for m in members_of(signed_in(request), _workspace(request, slug))]


@router.post("/{slug}/members", response={201: MemberOut, 403: Problem, 409: Problem, 422: Problem})
def add(request: HttpRequest, slug: str, body: MemberIn) -> Status[dict[str, Any]]:
    """A `username` adds someone with an account; an `email` invites someone without one (an inactive
    account; send them `invitation_url`, the desk sends no email)."""
    actor, workspace = signed_in(request), _workspace(request, slug)
    if body.username:
        return Status(201, _out(add_existing_user(actor, workspace, body.username, body.role)))
    if not body.email:
        raise DeskError("give a username or an email address", code="no_member")
    invitation = invite(actor, workspace, body.email, body.role)
    url = request.build_absolute_uri(reverse("web:accept_invite", args=[invitation.uid, invitation.token]))
    return Status(201, _out(workspace.memberships.get(user=invitation.user), url))


@router.patch("/{slug}/members/{user_id}", response={200: MemberOut, 403: Problem, 409: Problem})
def set_role(request: HttpRequest, slug: str, user_id: int, body: RoleIn) -> dict[str, Any]:
    return _out(change_role(signed_in(request), _workspace(request, slug), user_id, body.role))


@router.delete("/{slug}/members/{user_id}", response={204: None, 403: Problem, 409: Problem})
def remove(request: HttpRequest, slug: str, user_id: int) -> Status[None]:
    remove_member(signed_in(request), _workspace(request, slug), user_id)
    return Status(204, None)
