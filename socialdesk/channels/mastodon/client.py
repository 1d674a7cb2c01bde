"""Mastodon through Mastodon.py (`api_base_url` is the instance). Statuses are posted with an
Idempotency-Key (Mastodon keeps it an hour), so a send retried after a crash is the same status."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import mastodon
from mastodon import Mastodon

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel


def api(channel: Channel) -> Mastodon:
    return Mastodon(
        access_token=str(channel.credentials.get("access_token", "")),
        api_base_url=str(channel.config.get("instance", "")),
        ratelimit_method="throw",  # the outbox waits, not the worker
        request_timeout=20,
        version_check_mode="none",
    )


def call[T](client: Mastodon, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except mastodon.MastodonRatelimitError as exc:
        reset = client.ratelimit_reset
        wait = max(1.0, float(reset) - time.time()) if reset else 60.0
        raise DeliveryError(f"Mastodon answered: {exc}", permanent=False, retry_after=wait) from exc
    except (mastodon.MastodonServerError, mastodon.MastodonNetworkError) as exc:
        raise DeliveryError(f"Mastodon could not be reached: {_words(exc)}", permanent=False) from exc
    except mastodon.MastodonAPIError as exc:  # 401, 403, 404, 422: sending again will not help
        raise DeliveryError(f"Mastodon answered: {_words(exc)}", permanent=True) from exc


def _words(exc: Exception) -> str:
    """Mastodon.py's args: (message, status code, reason, the server's error text)."""
    args = [str(a) for a in exc.args[1:] if a not in (None, "")]
    return " ".join(args) or str(exc)


def plain(value: Any) -> Any:
    """Mastodon.py's objects (with datetimes) as JSON a raw event can hold."""
    return json.loads(json.dumps(value, default=str))


def post_status(channel: Channel, text: str, in_reply_to: str, private: bool, key: str) -> str:
    client = api(channel)
    status = call(
        client,
        lambda: client.status_post(
            text,
            in_reply_to_id=in_reply_to or None,
            visibility="direct" if private else "public",
            idempotency_key=key,
        ),
    )
    return str(status["id"])


def verify(channel: Channel) -> dict[str, str]:
    client = api(channel)
    me = call(client, client.account_verify_credentials)
    return {"id": str(me["id"]), "username": str(me["acct"])}


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@username, the account id) once the instance accepts the token."""
    account = verify(channel)
    return f"@{account['username']}", {"account_id": account["id"]}
