"""Who works in a workspace: its admins add people who have an account, invite others by email (an
inactive account and a link to set a password), change roles and remove members, never the last admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Membership, Role, Workspace

ADMIN_ONLY = "only an admin of the workspace manages its members"


@dataclass(frozen=True)
class Invitation:
    """What the invited person opens: `/invite/<uid>/<token>/` (valid until they set a password, or
    for PASSWORD_RESET_TIMEOUT)."""

    user: User
    uid: str
    token: str


def members_of(actor: User, workspace: Workspace) -> QuerySet[Membership]:
    require_role(actor, workspace.pk, (Role.ADMIN,), ADMIN_ONLY)
    return workspace.memberships.select_related("user").order_by("user__username")


def _role(value: str) -> Role:
    if value not in Role.values:
        raise DeskError(f"no role {value!r}; roles: {', '.join(Role.values)}", code="bad_role")
    return Role(value)


def add_existing_user(actor: User, workspace: Workspace, username: str, role: str) -> Membership:
    require_role(actor, workspace.pk, (Role.ADMIN,), ADMIN_ONLY)
    user = User.objects.filter(username=username.strip()).first()
    if user is None:
        raise DeskError(f"no user {username.strip()!r}; invite them by email instead", code="no_user")
    if workspace.memberships.filter(user=user).exists():
        raise DeskError(f"{user.username} is already a member", code="already_member", status=409)
    return Membership.objects.create(workspace=workspace, user=user, role=_role(role))


def invite(actor: User, workspace: Workspace, email: str, role: str) -> Invitation:
    """An inactive account for `email` (or the one already waiting), a member with `role`, and the
    link's parts. Someone with an active account is added by username instead."""
    require_role(actor, workspace.pk, (Role.ADMIN,), ADMIN_ONLY)
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise DeskError(f"{email!r} is not an email address", code="bad_email")
    chosen = _role(role)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is not None and user.is_active:
            raise DeskError(
                f"{email} already has an account ({user.username}); add them by username",
                code="has_account",
                status=409,
            )
        if user is None and User.objects.filter(username=email[:150]).exists():
            raise DeskError(
                f"the username {email} is taken; add them by username", code="has_account", status=409
            )
        if user is None:
            user = User(username=email[:150], email=email, is_active=False)
            user.set_unusable_password()
            user.save()
        Membership.objects.update_or_create(workspace=workspace, user=user, defaults={"role": chosen})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return Invitation(user, uid, default_token_generator.make_token(user))


def invited_user(uid: str, token: str) -> User:
    """The inactive account an invitation link names; a used, expired or forged link is refused."""
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        pk = 0
    user = User.objects.filter(pk=pk, is_active=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise DeskError("this invitation link is used or expired; ask an admin for a new one", status=404)
    return user


def accept_invitation(uid: str, token: str, password: str) -> User:
    user = invited_user(uid, token)
    user.set_password(password)
    user.is_active = True
    user.save()
    return user


def _keep_an_admin(workspace: Workspace, leaving: Membership) -> None:
    if leaving.role != Role.ADMIN:
        return
    # The admins' rows are locked: two admins demoting each other at once cannot both succeed.
    admins = workspace.memberships.select_for_update().filter(role=Role.ADMIN)
    if not [pk for pk in admins.values_list("pk", flat=True) if pk != leaving.pk]:
        raise DeskError("the workspace needs at least one admin", code="last_admin", status=409)


def _membership(workspace: Workspace, user_id: int) -> Membership:
    found = workspace.memberships.select_for_update().filter(user_id=user_id).first()
    if found is None:
        raise DeskError("not found", code="not_found", status=404)
    return found


def change_role(actor: User, workspace: Workspace, user_id: int, role: str) -> Membership:
    require_role(actor, workspace.pk, (Role.ADMIN,), ADMIN_ONLY)
    chosen = _role(role)
    with transaction.atomic():
        membership = _membership(workspace, user_id)
        if chosen != Role.ADMIN:
            _keep_an_admin(workspace, membership)
        membership.role = chosen
        membership.save(update_fields=["role"])
    return membership


def remove_member(actor: User, workspace: Workspace, user_id: int) -> None:
    require_role(actor, workspace.pk, (Role.ADMIN,), ADMIN_ONLY)
    with transaction.atomic():
        membership = _membership(workspace, user_id)
        _keep_an_admin(workspace, membership)
        membership.delete()
