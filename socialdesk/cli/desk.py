"""Top-level commands that run the desk: `manage`, `migrate`, `serve`, `seed`.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import Annotated

import typer

from socialdesk.cli.check import refuse_to_start_on_problems
from socialdesk.cli.common import console, migrate_database, setup_django
from socialdesk.cli.root import app


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, shell, ...)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["socialdesk manage", *ctx.args])


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    setup_django()
    migrate_database(verbosity=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads.")] = 8,
) -> None:
    """Serve the web desk (waitress, a production WSGI server)."""
    setup_django()
    refuse_to_start_on_problems()
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    # Collected before the application loads: WhiteNoise indexes the static folder once, when its
    # middleware starts, so on a first run it would serve none of the desk's scripts.
    call_command("collectstatic", interactive=False, verbosity=0)
    from socialdesk.wsgi import application

    console.print(f"Socialdesk listening on [bold]http://{host}:{port}/[/bold]")
    waitress_serve(application, host=host, port=port, threads=threads)


@app.command()
def seed(
    conversations: Annotated[int, typer.Option(help="Conversations (5 messages each).")] = 200_000,
) -> None:
    """Fill a `bench` workspace with synthetic conversations in bulk (agents agent0-9)."""
    setup_django()
    migrate_database()
    from socialdesk.bench.inbox import seed as seed_conversations

    counts = seed_conversations(conversations, log=console.print)
    console.print(f"{counts['conversations']:,} conversations, {counts['messages']:,} messages")
