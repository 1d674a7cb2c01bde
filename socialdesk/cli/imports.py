"""`socialdesk import`: conversations from other tools and datasets (creates the workspace).
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from socialdesk.cli.common import console, setup_django

import_app = typer.Typer(
    name="import", help="Import conversations from other tools and datasets.", no_args_is_help=True
)


@import_app.command("twcs")
def import_twcs(
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="twcs.csv")],
    workspace: Annotated[str, typer.Option(help="Workspace slug (created if missing).")] = "twcs",
    limit: Annotated[int, typer.Option(help="Import at most this many rows (0 = all).")] = 0,
    strict: Annotated[
        bool, typer.Option(help="Stop at the first malformed row, importing nothing (else skip it).")
    ] = False,
) -> None:
    """Import the 'Customer Support on Twitter' CSV with threads, response times and statuses."""
    setup_django()
    from django.db import DatabaseError

    from socialdesk.importers.twcs import TwcsError, import_twcs_file

    # The importer creates the workspace itself, only once the whole file has been validated.
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("importing", total=None)
        try:
            result = import_twcs_file(
                workspace,
                csv_file,
                strict=strict,
                limit=limit or None,
                progress=lambda n: progress.advance(task, n),
                on_total=lambda total: progress.update(task, total=total),
            )
        except TwcsError as exc:  # found while reading the file: nothing was written
            console.print(str(exc), style="red", highlight=False, soft_wrap=True, markup=False)
            raise typer.Exit(2) from exc
        except DatabaseError as exc:
            # Written in batches, each its own transaction: what is in is kept, and the same command
            # again skips the messages already there (the import is resumable, not all-or-nothing).
            console.print(
                f"error: the import stopped while writing ({exc}); what it wrote is kept: run the same "
                "command again to import the rest (messages already imported are skipped)",
                style="red",
                highlight=False,
                soft_wrap=True,
                markup=False,
            )
            raise typer.Exit(1) from exc
    for line in result.summary():
        console.print(line, highlight=False, soft_wrap=True)
