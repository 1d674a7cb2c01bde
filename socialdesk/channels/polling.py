"""Channels read by polling (every network whose spec names a poller: email over IMAP, Mastodon and
Bluesky notifications, the Reddit inbox; X mentions where no webhook is registered): one pass over
every active one. A failing account is logged and tried on the next pass."""

from __future__ import annotations

import logging

from socialdesk.channels.models import Channel
from socialdesk.channels.registry import specs

log = logging.getLogger(__name__)


def remember(channel: Channel, **settings: object) -> None:
    """Keep a poller's cursor (last id, UID, time seen) in the channel's settings, on the object too."""
    channel.config = {**channel.config, **settings}
    Channel.objects.filter(pk=channel.pk).update(config=channel.config)


def poll_channels() -> dict[str, int]:
    """{channel: new events} for the channels that poll."""
    pollers = {spec.name: spec.poll_function() for spec in specs() if spec.poller}
    results: dict[str, int] = {}
    for channel in Channel.objects.filter(is_active=True, network__in=list(pollers)).order_by("pk"):
        poll = pollers[channel.network]
        try:
            stored = poll(channel) if poll is not None else None
        except Exception as exc:  # one broken account must not stop the others
            log.warning("polling %s failed: %s", channel, exc)
            continue
        if stored is not None:
            results[str(channel)] = stored
    return results
