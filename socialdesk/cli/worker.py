"""`socialdesk worker`: the desk's background work without a broker.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from socialdesk.cli.check import refuse_to_start_on_problems
from socialdesk.cli.common import console, setup_django
from socialdesk.cli.root import app
from socialdesk.jobs import Clock, Job


@app.command()
def worker(
    follow: Annotated[bool, typer.Option(help="Keep polling for new events.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls with --follow.")] = 1.0,
    batch_size: Annotated[int, typer.Option(help="Events per transaction.")] = 100,
) -> None:
    """Process pending inbound events, and run the periodic jobs (socialdesk.jobs: the policy's timed
    work, the outbox's retries and stopped sends, polling) when due, without a broker."""
    import time

    setup_django()
    refuse_to_start_on_problems()
    from socialdesk.ingest.pipeline import process_pending

    clock = Clock()
    while True:
        result = process_pending(batch_size=batch_size)
        if result.processed:
            console.print(f"processed {result.processed} events")
        if result.quarantined:
            console.print(f"[red]quarantined {result.quarantined} events[/red] (socialdesk events list)")
        clock.run_due(on_result=_report)
        if not follow:
            return
        time.sleep(interval)


def _report(job: Job, result: Any) -> None:
    """A job's result when it did something (counts above zero)."""
    shown = vars(result) if hasattr(result, "__dict__") else result
    if isinstance(shown, dict):
        shown = {key: value for key, value in shown.items() if value}
    if shown:
        console.print(f"{job.name}: {shown}")
