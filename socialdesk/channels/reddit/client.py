"""Reddit through praw (a script app acting as the brand account; `reddit_url`/`oauth_url` point at
a fake in tests). Inbox polled in; replies, private messages and moderator removals out."""

from __future__ import annotations

import re
from collections.abc import Callable

import praw
import prawcore
from django.conf import settings
from praw.exceptions import RedditAPIException

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel

_MINUTES = re.compile(r"(\d+) minute")


def reddit(channel: Channel) -> praw.Reddit:
    creds = channel.credentials
    base = str(channel.config.get("api_base", "")) or settings.SOCIALDESK_API_BASES.get("reddit", "")
    return praw.Reddit(
        client_id=str(creds.get("client_id", "")),
        client_secret=str(creds.get("client_secret", "")),
        username=str(creds.get("username", "")),
        password=str(creds.get("password", "")),
        user_agent=f"socialdesk:care-desk:1.0 (by u/{creds.get('username', 'unknown')})",
        check_for_updates=False,
        check_for_async=False,
        timeout=20,
        oauth_url=base or "https://oauth.reddit.com",
        reddit_url=base or "https://www.reddit.com",
    )


def call[T](fn: Callable[[], T]) -> T:
    try:
        return fn()
    except RedditAPIException as exc:
        item = exc.items[0]
        words = item.message or ""
        text = f"Reddit answered {item.error_type}: {words}"
        if item.error_type == "RATELIMIT":
            found = _MINUTES.search(words)
            raise DeliveryError(
                text, permanent=False, retry_after=60.0 * int(found.group(1)) if found else 600.0
            ) from exc
        raise DeliveryError(text, permanent=True) from exc
    except prawcore.TooManyRequests as exc:
        reset = exc.response.headers.get("x-ratelimit-reset", "")
        wait = float(reset) if reset.replace(".", "", 1).isdecimal() else 60.0
        raise DeliveryError(
            "Reddit answered 429: too many requests", permanent=False, retry_after=wait
        ) from exc
    except prawcore.ServerError as exc:
        raise DeliveryError(f"Reddit answered {exc.response.status_code}", permanent=False) from exc
    except prawcore.ResponseException as exc:  # 401, 403, 404 ...: sending again will not help
        raise DeliveryError(f"Reddit answered {exc.response.status_code}", permanent=True) from exc
    except prawcore.OAuthException as exc:
        raise DeliveryError(f"Reddit refused the login: {exc}", permanent=True) from exc
    except prawcore.RequestException as exc:
        raise DeliveryError(f"Reddit could not be reached: {exc}", permanent=False) from exc


def reply(channel: Channel, parent: str, text: str) -> str:
    """A comment under a post (t3) or comment (t1), or an answer in a private thread (t4): all one
    endpoint, /api/comment with the parent's fullname."""
    client = reddit(channel)
    made = call(lambda: client.post("api/comment/", data={"thing_id": parent, "text": text}))
    if not made:
        raise DeliveryError("Reddit accepted the reply but returned nothing", permanent=False)
    return str(made[0].fullname)


def send_private(channel: Channel, username: str, subject: str, text: str) -> str:
    client = reddit(channel)
    call(lambda: client.redditor(username).message(subject=subject, message=text))
    sent = call(
        lambda: client.request(method="GET", path="/message/sent", params={"limit": "5", "raw_json": "1"})
    )
    for thing in sent.get("data", {}).get("children", []):
        data = thing["data"]
        if data.get("dest", "").lower() == username.lower() and data.get("body") == text:
            return str(data["name"])
    return ""


def remove(channel: Channel, fullname: str, spam: bool) -> None:
    client = reddit(channel)
    target = client.comment(fullname[3:]) if fullname.startswith("t1_") else client.submission(fullname[3:])
    call(lambda: target.mod.remove(spam=spam))


def find_reply(channel: Channel, parent: str, text: str) -> str | None:
    client = reddit(channel)
    me = str(channel.credentials.get("username", ""))
    listing = call(
        lambda: client.request(
            method="GET", path=f"/user/{me}/comments", params={"limit": "25", "raw_json": "1"}
        )
    )
    for thing in listing.get("data", {}).get("children", []):
        data = thing["data"]
        if data.get("parent_id") == parent and data.get("body") == text:
            return str(data["name"])
    return None


def moderated_subreddits(channel: Channel) -> set[str]:
    """The subreddits the brand account moderates (lower case)."""
    client = reddit(channel)
    listing = call(
        lambda: client.request(method="GET", path="/subreddits/mine/moderator", params={"limit": "100"})
    )
    return {str(t["data"]["display_name"]).lower() for t in listing.get("data", {}).get("children", [])}


def submit(channel: Channel, subreddit: str, title: str, text: str) -> str:
    """A text post in the subreddit; returns its fullname (t3_...)."""
    client = reddit(channel)
    form = {"sr": subreddit, "kind": "self", "title": title, "text": text, "api_type": "json"}
    answer = call(lambda: client.request(method="POST", path="/api/submit", data=form))
    body = answer.get("json", {})
    if body.get("errors"):
        raise DeliveryError(f"Reddit refused the post: {body['errors']}", permanent=True)
    return str(body["data"]["name"])


def find_submission(channel: Channel, subreddit: str, text: str) -> str | None:
    client = reddit(channel)
    me = str(channel.credentials.get("username", ""))
    listing = call(
        lambda: client.request(
            method="GET", path=f"/user/{me}/submitted", params={"limit": "25", "raw_json": "1"}
        )
    )
    for thing in listing.get("data", {}).get("children", []):
        data = thing["data"]
        if str(data.get("subreddit", "")).lower() == subreddit.lower() and data.get("selftext") == text:
            return str(data["name"])
    return None


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: u/username once Reddit accepts the app and the login."""
    redditor = call(lambda: reddit(channel).user.me())
    return f"u/{redditor}", {}
