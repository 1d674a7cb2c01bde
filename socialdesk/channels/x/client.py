"""X outbound through tweepy (API v2, OAuth 1.0a user context): public replies, DMs (eligibility
checked first), hiding replies, reading mentions, and finding what we sent after a crash.

tweepy hard-codes https://api.twitter.com; a requests adapter mounted on its session adds timeouts
everywhere and, where the channel sets `api_base` (tests, a proxy), sends the same requests there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
import tweepy
from django.conf import settings
from requests.adapters import HTTPAdapter

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel

X_HOST = "https://api.twitter.com"
TIMEOUT = (5.0, 20.0)  # connect, read


class _XAdapter(HTTPAdapter):
    def __init__(self, base: str) -> None:
        super().__init__(max_retries=0)
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if self.base and request.url and request.url.startswith(X_HOST):
            request.url = self.base + request.url[len(X_HOST) :]
        if not kwargs.get("timeout"):
            kwargs["timeout"] = TIMEOUT
        return super().send(request, **kwargs)


def client_for(channel: Channel) -> tweepy.Client:
    creds = channel.credentials
    client = tweepy.Client(
        consumer_key=creds.get("consumer_key"),
        consumer_secret=creds.get("consumer_secret"),
        access_token=creds.get("access_token"),
        access_token_secret=creds.get("access_token_secret"),
        wait_on_rate_limit=False,  # the outbox reschedules instead of blocking a worker
    )
    # A deployment may route X through a proxy (SOCIALDESK_X_API_BASE); tests point a channel at a fake.
    base = str(channel.config.get("api_base", "")) or settings.SOCIALDESK_API_BASES.get("x", "")
    client.session.mount(X_HOST, _XAdapter(base))
    return client


def _detail(exc: tweepy.HTTPException) -> str:
    """X's own words: v1.1-style `errors[].message` or a v2 problem's `detail`."""
    messages = [str(m) for m in exc.api_messages]
    if not messages:
        try:
            problem = exc.response.json()
        except ValueError:
            problem = {}
        detail = problem.get("detail") if isinstance(problem, dict) else None
        messages = [str(detail or exc.response.reason or "")]
    return f"X answered {exc.response.status_code}: {'; '.join(messages)[:300]}"


def call[T](fn: Callable[[], T]) -> T:
    """Run one X call and turn its failures into DeliveryError (permanent or with a retry time)."""
    try:
        return fn()
    except tweepy.TooManyRequests as exc:
        reset = exc.response.headers.get("x-rate-limit-reset", "")
        wait = max(1.0, int(reset) - time.time()) if reset.isdecimal() else 60.0
        raise DeliveryError(_detail(exc), permanent=False, retry_after=wait) from exc
    except tweepy.TwitterServerError as exc:
        raise DeliveryError(_detail(exc), permanent=False) from exc
    except tweepy.HTTPException as exc:  # 400, 401, 403, 404: sending again will not help
        raise DeliveryError(_detail(exc), permanent=True) from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"X could not be reached: {exc}", permanent=False) from exc


def _raw(item: Any) -> Any:
    """tweepy wraps tweets, users and DM events in models; their `.data` is X's JSON object."""
    return item.data if isinstance(getattr(item, "data", None), dict) else item


def data(response: Any) -> Any:
    payload = response.data if isinstance(response, tweepy.Response) else response["data"]
    return [_raw(x) for x in payload] if isinstance(payload, list) else _raw(payload)


def reply(channel: Channel, text: str, in_reply_to: str) -> str:
    client = client_for(channel)
    response = call(lambda: client.create_tweet(text=text, in_reply_to_tweet_id=in_reply_to or None))
    return str(data(response)["id"])


def send_dm(channel: Channel, recipient_id: str, text: str) -> str:
    """A DM, only to someone who accepts the brand's DMs (follows it or has open DMs)."""
    client = client_for(channel)
    user = call(lambda: client.get_user(id=recipient_id, user_fields=["receives_your_dm"], user_auth=True))
    if not data(user).get("receives_your_dm", False):
        raise DeliveryError(
            "X: this person does not accept direct messages from the brand (they do not follow it "
            "and their DMs are closed); answer in public or ask them to follow",
            permanent=True,
        )
    response = call(lambda: client.create_direct_message(participant_id=recipient_id, text=text))
    return "dm:" + str(data(response)["dm_event_id"])


def hide_reply(channel: Channel, tweet_id: str) -> None:
    client = client_for(channel)
    call(lambda: client.hide_reply(tweet_id))


def find_reply(channel: Channel, in_reply_to: str, text: str) -> str | None:
    """Our reply to `in_reply_to` with exactly this text, if X has it (newest 100 of our tweets)."""
    for tweet in _our_latest_tweets(channel):
        refs = tweet.get("referenced_tweets") or []
        if tweet.get("text") == text and any(
            r["type"] == "replied_to" and r["id"] == in_reply_to for r in refs
        ):
            return str(tweet["id"])
    return None


def find_post(channel: Channel, text: str, continues: str) -> str | None:
    """Our post with exactly this text (answering `continues`, or no post when ""), if X has it."""
    for tweet in _our_latest_tweets(channel):
        answered = [r["id"] for r in tweet.get("referenced_tweets") or [] if r["type"] == "replied_to"]
        if tweet.get("text") == text and answered == ([continues] if continues else []):
            return str(tweet["id"])
    return None


def _our_latest_tweets(channel: Channel) -> list[Any]:
    """The brand's newest 100 tweets with what they answer: where a send that died is looked for."""
    client = client_for(channel)
    brand = str(channel.config.get("user_id", ""))
    response = call(
        lambda: client.get_users_tweets(
            id=brand, max_results=100, tweet_fields=["referenced_tweets"], user_auth=True
        )
    )
    return list(data(response) or [])


def find_dm(channel: Channel, recipient_id: str, text: str) -> str | None:
    client = client_for(channel)
    brand = str(channel.config.get("user_id", ""))
    response = call(
        lambda: client.get_direct_message_events(
            participant_id=recipient_id, dm_event_fields=["sender_id", "text"], user_auth=True
        )
    )
    for event in data(response) or []:
        if event.get("sender_id") == brand and event.get("text") == text:
            return "dm:" + str(event["id"])
    return None


def mentions(channel: Channel, since_id: str | None) -> dict[str, Any]:
    """One page of mentions newer than `since_id`, as X's v2 JSON."""
    client = client_for(channel)
    brand = str(channel.config.get("user_id", ""))
    response = call(
        lambda: client.get_users_mentions(
            id=brand,
            since_id=since_id or None,
            max_results=100,
            expansions=["author_id"],
            tweet_fields=["created_at", "conversation_id", "referenced_tweets", "author_id"],
            user_fields=["username", "name"],
            user_auth=True,
        )
    )
    return {
        "data": data(response) or [],
        "includes": {"users": [_raw(u) for u in response.includes.get("users", [])]},
        "meta": response.meta,
    }


def verify_credentials(channel: Channel) -> dict[str, str]:
    """Who these credentials act as (GET /2/users/me): {"id", "username"}; DeliveryError if X refuses."""
    client = client_for(channel)
    me = data(call(lambda: client.get_me(user_auth=True)))
    return {"id": str(me["id"]), "username": str(me.get("username", ""))}


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@handle, the account's user id) once X accepts the credentials."""
    me = verify_credentials(channel)
    return f"@{me['username']}", {"user_id": me["id"]}
