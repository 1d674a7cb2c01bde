"""`socialdesk token`: personal API tokens (Authorization: Bearer ...).
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.common import console, setup_django

if TYPE_CHECKING:
    from django.contrib.auth.models import User

token_app = typer.Typer(
    name="token", help="Personal API tokens (Authorization: Bearer ...).", no_args_is_help=True
)


def _user(username: str) -> User:
    setup_django()
    from django.contrib.auth.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]error:[/red] no user {username!r}")
        raise SystemExit(2)
    return user


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
) -> None:
    """Make a token; it is printed once and cannot be shown again."""
    user = _user(username)  # sets Django up: the desk's modules import models
    from socialdesk.workspaces.actions import create_api_token

    row, token = create_api_token(user, name)
    console.print(f"token {row.pk} ({row.name}) for {username}; keep it, it is not shown again:")
    print(token)


@token_app.command("list")
def token_list(username: str) -> None:
    """A user's tokens (never the secrets)."""
    user = _user(username)
    for row in user.api_tokens.order_by("pk"):
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        console.print(f"{row.pk:>5}  {row.prefix}…  {row.name:<30} {state:<24} last used {used}")


@token_app.command("revoke")
def token_revoke(username: str, token_id: int) -> None:
    """Revoke one of a user's tokens: requests with it get 401 from then on."""
    user = _user(username)  # sets Django up: the desk's modules import models
    from socialdesk.workspaces.actions import revoke_api_token

    if not revoke_api_token(user, token_id):
        console.print(f"[red]error:[/red] {username} has no active token {token_id}")
        raise SystemExit(2)
    console.print(f"token {token_id} revoked")
