"""`socialdesk privacy`: a contact's data exported or erased from the command line, and the retention
sweep run now. An operator with shell access acts as the desk itself; `--by` names a member instead,
whose role is then checked as on the web. Either way the audit log says who."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.common import console, existing_workspace, setup_django

if TYPE_CHECKING:
    from django.contrib.auth.models import User

privacy_app = typer.Typer(
    name="privacy",
    help="Personal data: export or erase a contact, run the retention sweep.",
    no_args_is_help=True,
)

WorkspaceOption = Annotated[str, typer.Option("--workspace", help="The workspace's slug.")]
ByOption = Annotated[str, typer.Option("--by", help="Act as this member (their role is checked).")]


def _actor(username: str) -> User | None:
    from django.contrib.auth.models import User  # after setup_django()

    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]error:[/red] no user {username!r}", highlight=False)
        raise typer.Exit(2)
    return user


def _operator() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no name for this uid (a container)
        return "command line"


@privacy_app.command("export")
def export(
    contact: Annotated[int, typer.Argument(help="The contact's id (shown on its page in the desk).")],
    workspace: WorkspaceOption,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not to stdout.")] = None,
    by: ByOption = "",
) -> None:
    """Everything the desk holds about one contact, as JSON."""
    setup_django()
    from socialdesk.errors import DeskError
    from socialdesk.privacy.actions import export_contact

    space = existing_workspace(workspace)
    try:
        document = export_contact(_actor(by), space, contact, by=_operator())
    except DeskError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    counts = document["counts"]
    console.print(
        f"contact {contact}: {counts['conversations']} conversation(s), {counts['messages']} message(s) "
        f"written to {output}",
        highlight=False,
    )


@privacy_app.command("erase")
def erase(
    contact: Annotated[int, typer.Argument(help="The contact's id.")],
    workspace: WorkspaceOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; erasing cannot be undone.")] = False,
    by: ByOption = "",
) -> None:
    """Erase one contact for good: texts, handles and raw payloads go; the audit log and numbers stay."""
    setup_django()
    from socialdesk.errors import DeskError
    from socialdesk.privacy.actions import erase_contact

    space = existing_workspace(workspace)
    if not yes:
        typed = typer.prompt(f"This cannot be undone. Type the contact id ({contact}) to erase it")
        if typed.strip() != str(contact):
            console.print("not erased")
            raise typer.Exit(1)
    try:
        done = erase_contact(_actor(by), space, contact, by=_operator())
    except DeskError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    counts = ", ".join(f"{key} {value}" for key, value in done["counts"].items())
    console.print(f"contact {contact} erased, now {done['pseudonym']}: {counts}", highlight=False)


@privacy_app.command("sweep")
def sweep() -> None:
    """Apply every workspace's retention limits now (the `retention-sweep` job, one run)."""
    setup_django()
    from socialdesk.privacy.retention import retention_sweep

    swept = retention_sweep()
    for slug, counts in swept.items():
        console.print(f"{slug}: " + ", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)
    if not swept:
        console.print("no workspace has retention limits in its policy")
