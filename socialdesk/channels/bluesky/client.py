"""Bluesky through the atproto SDK (`base_url` is the PDS): notifications polled in; replies with
root and parent refs, and chat (bsky.chat, through the PDS proxy) only where the person's
allowIncoming setting lets the brand write. The session is kept (encrypted) with the channel."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from atproto import Client, models
from atproto_client import exceptions as at
from atproto_core.exceptions import AtProtocolError
from django.conf import settings

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel

PDS = "https://bsky.social"


def call[T](fn: Callable[[], T]) -> T:
    try:
        return fn()
    except at.RateLimitExceededError as exc:
        wait = exc.retry_after
        if wait is None and exc.reset_at is not None:
            wait = max(1.0, exc.reset_at.timestamp() - time.time())
        raise DeliveryError(f"Bluesky answered {exc}", permanent=False, retry_after=wait or 60.0) from exc
    except at.NetworkError as exc:
        raise DeliveryError(f"Bluesky could not be reached: {exc}", permanent=False) from exc
    except (at.UnauthorizedError, at.BadRequestError) as exc:
        raise DeliveryError(f"Bluesky answered {exc}", permanent=True) from exc
    except at.RequestException as exc:
        status = exc.response.status_code if exc.response is not None else 0
        raise DeliveryError(f"Bluesky answered {exc}", permanent=400 <= status < 500) from exc
    except at.LoginRequiredError as exc:
        raise DeliveryError("Bluesky: the account is not logged in", permanent=True) from exc
    except AtProtocolError as exc:  # an answer the SDK could not read: try again later
        raise DeliveryError(f"Bluesky: unexpected answer ({exc})", permanent=False) from exc


def client_for(channel: Channel) -> Client:
    base = str(channel.config.get("api_base", "")) or settings.SOCIALDESK_API_BASES.get("bluesky", "") or PDS
    client = Client(base_url=f"{base.rstrip('/')}/xrpc")
    creds = channel.credentials
    session = str(creds.get("session", ""))
    if session:
        call(lambda: client.login(session_string=session, fetch_bsky_profile=False))
    else:
        call(
            lambda: client.login(
                str(creds.get("handle", "")), str(creds.get("app_password", "")), fetch_bsky_profile=False
            )
        )
    exported = client.export_session_string()
    if exported != session:
        channel.credentials = {**creds, "session": exported}
        if channel.pk:  # a channel being set up is saved by the setup itself
            channel.save(update_fields=["credentials"])
    return client


def dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def reply(channel: Channel, text: str, root: dict[str, str], parent: dict[str, str]) -> str:
    client = client_for(channel)
    refs = models.AppBskyFeedPost.ReplyRef(
        root=models.ComAtprotoRepoStrongRef.Main(**root), parent=models.ComAtprotoRepoStrongRef.Main(**parent)
    )
    did = str(channel.config.get("did", ""))
    created = call(lambda: client.send_post(text=text, reply_to=refs, profile_identify=did))
    return str(created.uri)


def post(channel: Channel, text: str, continues: str) -> str:
    """A post on the brand's account; with `continues` (the brand's own post's at:// URI), a reply to
    it that keeps it as the thread's root, so every update hangs under the bulletin."""
    client = client_for(channel)
    did = str(channel.config.get("did", ""))
    refs = None
    if continues:
        found = call(lambda: client.app.bsky.feed.get_posts(params={"uris": [continues]})).posts
        if not found:
            raise DeliveryError("Bluesky: the bulletin this update continues is gone", permanent=True)
        ref = models.ComAtprotoRepoStrongRef.Main(uri=found[0].uri, cid=found[0].cid)
        refs = models.AppBskyFeedPost.ReplyRef(root=ref, parent=ref)
    created = call(lambda: client.send_post(text=text, reply_to=refs, profile_identify=did))
    return str(created.uri)


def find_post(channel: Channel, text: str, continues: str) -> str | None:
    """Our post with exactly this text (answering `continues`, or a thread's start when ""), if the
    brand's newest 50 posts have it."""
    client = client_for(channel)
    did = str(channel.config.get("did", ""))
    feed = call(lambda: client.app.bsky.feed.get_author_feed(params={"actor": did, "limit": 50}))
    for item in feed.feed:
        record = item.post.record
        parent = getattr(getattr(record, "reply", None), "parent", None)
        answered = parent.uri if parent is not None else ""
        if getattr(record, "text", None) == text and answered == continues:
            return str(item.post.uri)
    return None


def chat(channel: Channel, did: str, text: str) -> str:
    """A chat message, only if the person's allowIncoming lets the brand write."""
    client = client_for(channel)
    profile = call(lambda: client.app.bsky.actor.get_profile(params={"actor": did}))
    allow = (
        profile.associated.chat.allow_incoming
        if profile.associated and profile.associated.chat
        else "following"
    )
    follows_us = bool(profile.viewer and profile.viewer.followed_by)
    if allow == "none" or (allow == "following" and not follows_us):
        who = "nobody" if allow == "none" else "only accounts they follow"
        raise DeliveryError(
            f"Bluesky: this person accepts chat messages from {who}; answer in public", permanent=True
        )
    proxied = client.with_bsky_chat_proxy()
    convo = call(lambda: proxied.chat.bsky.convo.get_convo_for_members(params={"members": [did]})).convo
    sent = call(
        lambda: proxied.chat.bsky.convo.send_message(
            data={"convo_id": convo.id, "message": models.ChatBskyConvoDefs.MessageInput(text=text)}
        )
    )
    return f"chat:{convo.id}:{sent.id}"


def find_reply(channel: Channel, parent_uri: str, text: str) -> str | None:
    client = client_for(channel)
    did = str(channel.config.get("did", ""))
    feed = call(lambda: client.app.bsky.feed.get_author_feed(params={"actor": did, "limit": 50}))
    for item in feed.feed:
        record = item.post.record
        parent = getattr(getattr(record, "reply", None), "parent", None)
        if getattr(record, "text", None) == text and parent is not None and parent.uri == parent_uri:
            return str(item.post.uri)
    return None


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@handle, the account's DID) once the PDS accepts the app password; the session
    is kept on the probe's credentials, which the setup saves."""
    client = client_for(channel)
    session = getattr(client, "_session", None)
    return f"@{client.me.handle if client.me else channel.credentials['handle']}", {
        "did": str(getattr(session, "did", ""))
    }
