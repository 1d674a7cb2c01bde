"""`socialdesk events`: inbound events that kept failing, listed and replayed.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import Annotated

import typer

from socialdesk.cli.common import console, setup_django

events_app = typer.Typer(
    name="events", help="Inbound events: list quarantined ones, replay them.", no_args_is_help=True
)


@events_app.command("list")
def events_list(
    status: Annotated[
        str, typer.Option(help="quarantined, failed, pending, ignored or processed.")
    ] = "quarantined",
    limit: Annotated[int, typer.Option(help="At most this many, oldest first.")] = 100,
) -> None:
    """Events by status (quarantined by default), with their attempts and the last line of their error."""
    setup_django()
    from socialdesk.ingest.models import EventStatus, RawEvent

    if status not in EventStatus.values:
        console.print(f"[red]error:[/red] {status!r} is not a status ({', '.join(EventStatus.values)})")
        raise SystemExit(2)
    rows = RawEvent.objects.filter(status=status).select_related("channel").order_by("received_at", "pk")
    shown = 0
    for raw in rows[:limit]:
        last = raw.error.strip().splitlines()[-1] if raw.error.strip() else ""
        console.print(
            f"{raw.pk:>7}  {raw.channel.network:<9} {raw.event_id[:24]:<24} {raw.received_at:%Y-%m-%d %H:%M} "
            f"attempts {raw.attempts}  {last[:120]}",
            markup=False,
            highlight=False,
        )
        shown += 1
    console.print(f"{shown} {status} event(s)")


@events_app.command("replay")
def events_replay(
    ids: Annotated[list[int], typer.Argument(help="Raw event ids (from `socialdesk events list`).")],
) -> None:
    """Process quarantined or failed events again, once their cause is fixed."""
    setup_django()
    from socialdesk.ingest.pipeline import replay_events

    outcome = replay_events(ids)
    for raw_id, what in outcome.items():
        console.print(f"{raw_id}: {what}", markup=False, highlight=False)
    if any(what != "processed" and what != "ignored" for what in outcome.values()):
        raise SystemExit(1)
