"""`socialdesk channels`: connected accounts: poll them, listen to streams.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from typing import Annotated

import typer

from socialdesk.cli.common import console, setup_django

channels_app = typer.Typer(
    name="channels", help="Connected accounts: poll them, listen to streams.", no_args_is_help=True
)


@channels_app.command("poll")
def channels_poll() -> None:
    """One pass over the polled accounts (mailboxes, Mastodon, Bluesky, Reddit, X mention timelines)."""
    setup_django()
    from socialdesk.channels.polling import poll_channels

    for name, stored in poll_channels().items():
        console.print(f"{name}: {stored} new")


@channels_app.command("listen-bluesky")
def channels_listen_bluesky(
    url: Annotated[
        str, typer.Option(help="Jetstream endpoint.")
    ] = "wss://jetstream2.us-east.bsky.network/subscribe",
    max_events: Annotated[
        int | None, typer.Option(help="Stop after this many events (default: run on).")
    ] = None,
) -> None:
    """Keyword listening on Bluesky's Jetstream: posts naming a brand (its policy's listening terms)
    are taken into that brand's Bluesky channel."""
    setup_django()
    from socialdesk.channels.bluesky.jetstream import listen
    from socialdesk.listening.actions import take_stream_post

    result = listen(take_stream_post, url, max_events=max_events)
    console.print(f"{result.events} events, {result.posts} posts, {result.taken} taken")
