"""A local stand-in for api.twitter.com speaking X API v2's wire format: the routes tweepy calls,
OAuth 1.0a signatures verified against the real host's URL, x-rate-limit-* headers on every answer,
and X's problem JSON for errors. Tests queue failures with `fail_next`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from oauthlib.oauth1.rfc5849 import signature, utils

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json

X_HOST = "https://api.twitter.com"


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeX(FakeServer):
    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    brand_id: str
    tweets: dict[str, dict[str, Any]] = field(default_factory=dict)
    dms: list[dict[str, Any]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[str, Failure]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_900_000_000_000_000_001))

    def fail_next(
        self, path_prefix: str, status: int, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        title = {429: "Too Many Requests", 403: "Forbidden", 503: "Service Unavailable"}.get(status, "Error")
        body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
        self.failures.append((path_prefix, Failure(status, body, headers or {})))

    def _handle(self, request: Request) -> None:
        body = body_of(request)
        parts = urlsplit(request.path)
        self.requests.append((request.command, parts.path))
        reset = str(int(time.time()) + 900)
        limits = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "99", "x-rate-limit-reset": reset}
        authorization = request.headers.get("authorization", "")
        if not self.signed(request.command, parts.path, parts.query, authorization):
            denied = {"title": "Unauthorized", "detail": "Unauthorized", "status": 401}
            send_json(request, 401, denied, limits)
            return
        for index, (prefix, failure) in enumerate(self.failures):
            if parts.path.startswith(prefix):
                del self.failures[index]
                send_json(request, failure.status, failure.body, {**limits, **failure.headers})
                return
        status, answer = self.route(request.command, parts.path, dict(parse_qsl(parts.query)), body)
        send_json(request, status, answer, limits)

    def signed(self, method: str, path: str, query: str, header: str) -> bool:
        """OAuth 1.0a HMAC-SHA1 over the URL the client signed (the real host's)."""
        if not header.startswith("OAuth "):
            return False
        oauth = dict(
            (k.strip(), unquote(v.strip().strip('"')))
            for k, _, v in (p.partition("=") for p in header[6:].split(","))
        )
        if (
            oauth.get("oauth_consumer_key") != self.consumer_key
            or oauth.get("oauth_token") != self.access_token
        ):
            return False
        params = signature.collect_parameters(
            uri_query=query, headers={"Authorization": header}, exclude_oauth_signature=True
        )
        base = signature.signature_base_string(
            method, signature.base_string_uri(X_HOST + path), signature.normalize_parameters(params)
        )
        # RFC 5849 3.4.2: HMAC-SHA1 keyed with the escaped consumer and token secrets.
        key = f"{utils.escape(self.consumer_secret)}&{utils.escape(self.access_token_secret)}"
        digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
        return hmac.compare_digest(oauth.get("oauth_signature", ""), base64.b64encode(digest).decode())

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        data = json.loads(body) if body else {}
        segments = path.strip("/").split("/")
        if method == "POST" and path == "/2/tweets":
            tweet_id = str(next(self.ids))
            tweet = {"id": tweet_id, "text": data["text"], "edit_history_tweet_ids": [tweet_id]}
            parent = (data.get("reply") or {}).get("in_reply_to_tweet_id")
            if parent:
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": str(parent)}]
            self.tweets[tweet_id] = tweet
            return 201, {"data": {"id": tweet_id, "text": data["text"], "edit_history_tweet_ids": [tweet_id]}}
        if method == "PUT" and len(segments) == 4 and segments[1] == "tweets" and segments[3] == "hidden":
            if data.get("hidden"):
                self.hidden.add(segments[2])
            else:
                self.hidden.discard(segments[2])
            return 200, {"data": {"hidden": bool(data.get("hidden"))}}
        if method == "POST" and path.startswith("/2/dm_conversations/with/") and path.endswith("/messages"):
            event_id = str(next(self.ids))
            self.dms.append({"id": event_id, "event_type": "MessageCreate", "text": data["text"],
                             "sender_id": self.brand_id, "participant_id": segments[3]})  # fmt: skip
            return 201, {
                "data": {"dm_conversation_id": f"{self.brand_id}-{segments[3]}", "dm_event_id": event_id}
            }
        if method == "GET" and path.startswith("/2/dm_conversations/with/") and path.endswith("/dm_events"):
            events = [
                {k: v for k, v in e.items() if k != "participant_id"}
                for e in reversed(self.dms)
                if e["participant_id"] == segments[3]
            ]
            return 200, {"data": events, "meta": {"result_count": len(events)}}
        if method == "GET" and len(segments) == 4 and segments[1] == "users" and segments[3] == "tweets":
            mine = [t for t in reversed(self.tweets.values())]
            return 200, {"data": mine, "meta": {"result_count": len(mine)}}
        if method == "GET" and len(segments) == 4 and segments[1] == "users" and segments[3] == "mentions":
            since = int(query.get("since_id") or 0)
            page = sorted((m for m in self.mentions if int(m["id"]) > since), key=lambda m: -int(m["id"]))
            authors = {m["author_id"] for m in page}
            users = [u for u in self.users.values() if u["id"] in authors]
            meta: dict[str, Any] = {"result_count": len(page)}
            if page:
                meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
            return 200, {"data": page, "includes": {"users": users}, "meta": meta} if page else {"meta": meta}
        if method == "GET" and path == "/2/users/me":
            return 200, {"data": {"id": self.brand_id, "name": "Nimbus Mobile", "username": "NimbusMobile"}}
        if method == "GET" and len(segments) == 3 and segments[1] == "users":
            user = self.users.get(segments[2])
            if user is None:
                return 404, {"title": "Not Found Error", "detail": "Could not find user", "status": 404}
            return 200, {"data": user}
        return 404, {"title": "Not Found", "detail": f"no route {method} {path}", "status": 404}
