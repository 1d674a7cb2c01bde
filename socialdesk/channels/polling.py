"""Channels read by polling (email over IMAP, Mastodon and Bluesky notifications, the Reddit inbox;
X mentions where no webhook is registered): one pass over every active one. A failing account is
logged and tried on the next pass."""

from __future__ import annotations

import logging

from socialdesk.channels.models import Channel, Network

log = logging.getLogger(__name__)


def remember(channel: Channel, **settings: object) -> None:
    """Keep a poller's cursor (last id, UID, time seen) in the channel's settings, on the object too."""
    channel.config = {**channel.config, **settings}
    Channel.objects.filter(pk=channel.pk).update(config=channel.config)


def poll_channels() -> dict[str, int]:
    """{channel: new events} for the channels that poll."""
    results: dict[str, int] = {}
    for channel in Channel.objects.filter(
        is_active=True,
        network__in=[Network.EMAIL, Network.X, Network.MASTODON, Network.REDDIT, Network.BLUESKY],
    ):
        try:
            if channel.network == Network.EMAIL:
                from socialdesk.channels.email.client import poll_inbox

                results[str(channel)] = poll_inbox(channel)
            elif channel.network == Network.MASTODON:
                from socialdesk.channels.mastodon.client import poll_mentions as poll_mastodon

                results[str(channel)] = poll_mastodon(channel)
            elif channel.network == Network.BLUESKY:
                from socialdesk.channels.bluesky.client import poll_notifications

                results[str(channel)] = poll_notifications(channel)
            elif channel.network == Network.REDDIT:
                from socialdesk.channels.reddit.client import poll_inbox as poll_reddit

                results[str(channel)] = poll_reddit(channel)
            elif channel.config.get("poll_mentions"):  # set where no webhook is registered
                from socialdesk.channels.x.receiver import poll_mentions

                results[str(channel)] = poll_mentions(channel)
        except Exception as exc:  # one broken account must not stop the others
            log.warning("polling %s failed: %s", channel, exc)
    return results
