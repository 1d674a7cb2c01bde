"""What the command modules share: the console, setting Django up, and finding a workspace by slug.
Only `demo`, `sandbox replay` and the imports create workspaces; every other command refuses a slug
that names none, so a typo cannot create a second, empty brand."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from socialdesk.workspaces.models import Workspace

console = Console()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")
    import django  # deferred: commands that need no database (policy validate, triage text) skip it

    django.setup()


def migrate_database(verbosity: int = 0) -> None:
    from django.core.management import call_command  # after setup_django()

    call_command("migrate", interactive=False, verbosity=verbosity)


def existing_workspace(slug: str) -> Workspace:
    """The workspace with this slug; otherwise the command stops (exit 2) naming the known ones."""
    from socialdesk.workspaces.models import Workspace  # after setup_django()

    found = Workspace.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Workspace.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        console.print(
            f"[red]error:[/red] no workspace {slug!r}; known: {known}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(2)
    return found


def workspace_created_if_missing(slug: str) -> Workspace:
    """For the commands that bring a brand's data in (demo, sandbox replay, imports): its workspace,
    created on first use."""
    from socialdesk.workspaces.actions import create_workspace  # after setup_django()

    return create_workspace(slug, slug.replace("-", " ").title())
