"""`socialdesk automation`: what the desk would send on its own, and the per-workspace switch.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialdesk.cli.common import console, existing_workspace, setup_django

automation_app = typer.Typer(
    name="automation",
    help="The policy's automatic messages: preview, switch on or off.",
    no_args_is_help=True,
)
WorkspaceOption = Annotated[str, typer.Option(help="Workspace slug.")]


@automation_app.command("preview")
def automation_preview_command(
    workspace: WorkspaceOption,
    hours: Annotated[float, typer.Option(help="How far ahead, in hours (at most 72).")] = 4,
) -> None:
    """List what the desk would send automatically in the next hours, to whom and why, and what it
    would hold back (and why): check it before switching automation on."""
    setup_django()
    from django.utils import timezone

    from socialdesk.errors import DeskError
    from socialdesk.policy.automation import automation_preview

    space = existing_workspace(workspace)
    try:
        planned = automation_preview(None, space, hours, timezone.now())
    except DeskError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    state = "on" if space.automation_enabled else "off (nothing is sent; the timers keep running)"
    sending = sum(1 for p in planned if p.verdict.send)
    table = Table(title=f"{space.name}: the next {hours:g} h; automation is {state}")
    for column in ("when (UTC)", "kind", "conversation", "decision", "why", "text"):
        table.add_column(column)
    for item in planned:
        verdict = item.verdict
        table.add_row(
            f"{verdict.at:%a %H:%M}",
            verdict.kind,
            f"#{item.conversation.pk} {item.conversation.contact} ({item.conversation.language or '?'})",
            ("send" + (" privately" if verdict.private else "")) if verdict.send else "hold back",
            verdict.reason,
            verdict.text,
        )
    console.print(table)
    console.print(f"{sending} would be sent, {len(planned) - sending} held back. New posts are not foreseen.")


def _switch(workspace: str, enabled: bool) -> None:
    setup_django()
    from socialdesk.workspaces.actions import set_automation

    space = set_automation(None, existing_workspace(workspace), enabled)
    console.print(f"{space.name}: automation {'on' if enabled else 'off'}")


@automation_app.command("on")
def automation_on(workspace: WorkspaceOption) -> None:
    """Send the policy's automatic messages again (nothing due before the catch-up window goes out)."""
    _switch(workspace, True)


@automation_app.command("off")
def automation_off(workspace: WorkspaceOption) -> None:
    """Send nothing on its own; the timers keep running."""
    _switch(workspace, False)
