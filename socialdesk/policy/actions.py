"""Saving and reading a workspace's policy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from socialdesk.policy.loader import load_policy
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.schema import Policy
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Role, Workspace


def save_policy(
    workspace: Workspace, source: str, author: User | None = None, activate: bool = True
) -> PolicyVersion:
    """Validate and store a new version; an invalid file raises PolicyError and stores nothing. Only
    a workspace admin changes the policy (`author` None: the desk itself, e.g. the CLI)."""
    require_role(author, workspace.pk, (Role.ADMIN,), "only a workspace admin may change the policy")
    policy = load_policy(source, source=f"{workspace.slug} policy")
    with transaction.atomic():
        # Lock the workspace row so two saves cannot take the same version number.
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        latest = PolicyVersion.objects.filter(workspace=workspace).aggregate(n=Max("number"))["n"] or 0
        if activate:
            PolicyVersion.objects.filter(workspace=workspace, is_active=True).update(is_active=False)
        return PolicyVersion.objects.create(
            workspace=workspace,
            number=latest + 1,
            label=policy.version,
            source=source,
            is_active=activate,
            created_by=author,
        )


@lru_cache(maxsize=256)
def parsed_policy(version_id: int) -> Policy:
    # Versions are immutable once saved, so the id is a safe cache key.
    return load_policy(PolicyVersion.objects.get(pk=version_id).source)


# Inside `pinned_policies()`: each workspace's active policy as first read there.
_pinned: ContextVar[dict[int, tuple[int, Policy] | None] | None] = ContextVar("pinned", default=None)


@contextmanager
def pinned_policies() -> Iterator[None]:
    """Within the block each workspace's active policy is looked up once (bulk work such as an import's
    facts backfill asks for it several times per conversation); a policy activated meanwhile is seen
    after the block."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def active_policy_version(workspace_id: int) -> tuple[int, Policy] | None:
    """(version number, policy) of the workspace's active policy, parsed once per version and process."""
    pinned = _pinned.get()
    if pinned is not None:
        if workspace_id not in pinned:
            pinned[workspace_id] = _active_policy_version(workspace_id)
        return pinned[workspace_id]
    return _active_policy_version(workspace_id)


def _active_policy_version(workspace_id: int) -> tuple[int, Policy] | None:
    row = (
        PolicyVersion.objects.filter(workspace_id=workspace_id, is_active=True)
        .values_list("pk", "number")
        .first()
    )
    if row is None:
        return None
    return row[1], parsed_policy(row[0])


def active_policy(workspace_id: int) -> Policy | None:
    found = active_policy_version(workspace_id)
    return found[1] if found else None


def policy_accounts(workspace_id: int) -> dict[str, tuple[str, str]]:
    """{network: (role, handle)} of the accounts the active policy names, one per network (its brand
    account where it names one, else the first): what sandbox channels stand in for."""
    policy = active_policy(workspace_id)
    out: dict[str, tuple[str, str]] = {}
    for account in policy.channels.accounts if policy else []:
        if account.network not in out or (account.role == "brand" and out[account.network][0] != "brand"):
            out[account.network] = (account.role, account.handle)
    return out
