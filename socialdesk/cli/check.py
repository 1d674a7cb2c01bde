"""`socialdesk check`: what would otherwise fail on the first request, found at start-up. `serve` and
`worker` run the same check and refuse to start on a problem (one line, exit 1).
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

import typer

from socialdesk.cli.common import console, setup_django
from socialdesk.cli.root import app


def problems() -> tuple[list[str], str]:
    """(problems, each one line; what was checked when there are none). Django must be set up."""
    from socialdesk.crypto import key_problem, unreadable_secrets

    wrong_key = key_problem()
    if wrong_key:
        return [wrong_key], ""
    stored, unreadable = unreadable_secrets()
    if unreadable:
        more = len(unreadable) - 5
        shown = ", ".join(unreadable[:5]) + (f" and {more} more" if more > 0 else "")
        return [
            f"{len(unreadable)} of {stored} stored secrets cannot be decrypted with "
            "SOCIALDESK_ENCRYPTION_KEYS (or the key derived from the secret key): "
            f"{shown}; add back the key they were encrypted with"
        ], ""
    return [], f"{stored} stored secrets decrypt with the configured keys"


def refuse_to_start_on_problems() -> None:
    """For `serve` and `worker`: the first problem, and exit 1."""
    found, _ = problems()
    if found:
        typer.echo(f"error: {found[0]}", err=True)
        raise typer.Exit(1)


@app.command()
def check() -> None:
    """Check the configuration against the database before starting: encryption keys valid, and every
    stored credential readable with them. Exit 1 and one line per problem otherwise."""
    setup_django()
    found, checked = problems()
    for problem in found:
        typer.echo(f"error: {problem}", err=True)
    if found:
        raise typer.Exit(1)
    console.print(f"ok: {checked}", highlight=False)
