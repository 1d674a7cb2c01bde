"""A local PDS + bsky.chat stand-in speaking XRPC for the routes the desk uses: createSession (JWTs
with an expiry), listNotifications, createRecord, getProfile (chat allowIncoming), the chat proxy
(atproto-proxy header required), getAuthorFeed; XRPC errors with ratelimit-* headers."""

from __future__ import annotations

import base64
import itertools
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json

BRAND_DID = "did:plc:nimbusbrand000000000000"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"


def _jwt(sub: str, scope: str) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"scope": scope, "sub": sub, "iat": now, "exp": now + 7200, "aud": "did:web:fake.pds"}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def now_iso() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class FakePds(FakeServer):
    handle: str
    app_password: str
    notifications: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    chats: list[dict[str, Any]] = field(default_factory=list)
    sessions: int = 0
    failures: list[tuple[str, int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _token: str = ""

    def fail_next(
        self, method: str, status: int, error: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        self.failures.append((method, status, {"error": error, "message": message}, headers or {}))

    def _send(
        self, request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        reset = str(int(time.time()) + 300)
        limits = {"ratelimit-limit": "3000", "ratelimit-remaining": "2999", "ratelimit-reset": reset}
        send_json(request, status, body, {**limits, **(headers or {})})

    def _handle(self, request: Request) -> None:
        raw = body_of(request)
        body = json.loads(raw) if raw else {}
        parts = urlsplit(request.path)
        method = parts.path.removeprefix("/xrpc/")
        if method == "com.atproto.server.createSession":
            self._create_session(request, body)
            return
        if request.headers.get("authorization") != f"Bearer {self._token}" or not self._token:
            self._send(request, 401, {"error": "ExpiredToken", "message": "Token has expired"})
            return
        for index, (name, status, answer, headers) in enumerate(self.failures):
            if name == method:
                del self.failures[index]
                self._send(request, status, answer, headers)
                return
        if method.startswith("chat.bsky.") and request.headers.get("atproto-proxy") != CHAT_PROXY:
            self._send(
                request, 400, {"error": "InvalidRequest", "message": "chat requests go through the proxy"}
            )
            return
        status, answer = self.route(method, dict(parse_qsl(parts.query)), body)
        self._send(request, status, answer)

    def _create_session(self, request: Request, body: dict[str, Any]) -> None:
        if (body.get("identifier"), body.get("password")) != (self.handle, self.app_password):
            error = {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
            self._send(request, 401, error)
            return
        self.sessions += 1
        self._token = _jwt(BRAND_DID, "com.atproto.appPass")
        session = {"accessJwt": self._token, "refreshJwt": _jwt(BRAND_DID, "com.atproto.refresh")}
        self._send(request, 200, {**session, "handle": self.handle, "did": BRAND_DID, "active": True})

    def _brand(self) -> dict[str, Any]:
        return {"did": BRAND_DID, "handle": self.handle, "displayName": "Nimbus Mobile"}

    def route(self, method: str, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "app.bsky.notification.listNotifications":
            return 200, {"notifications": list(reversed(self.notifications)), "seenAt": now_iso()}
        if method == "com.atproto.repo.createRecord":
            rkey = f"3lbrand{next(self.ids):06d}"
            uri, cid = f"at://{BRAND_DID}/app.bsky.feed.post/{rkey}", f"bafyreibrand{rkey}"
            self.posts.insert(0, {"uri": uri, "cid": cid, "record": body["record"]})
            return 200, {"uri": uri, "cid": cid, "validationStatus": "valid"}
        if method == "app.bsky.actor.getProfile":
            profile = self.profiles.get(query.get("actor", ""))
            if profile is None:
                return 400, {"error": "InvalidRequest", "message": "Profile not found"}
            return 200, profile
        if method == "chat.bsky.convo.getConvoForMembers":
            member = query.get("members", "")
            members = [self._brand(), {"did": member, "handle": self.profiles[member]["handle"]}]
            convo = {
                "id": f"convo-{member[-6:]}",
                "rev": "1",
                "muted": False,
                "unreadCount": 0,
                "members": members,
            }
            return 200, {"convo": convo}
        if method == "chat.bsky.convo.sendMessage":
            message_id = f"msg{next(self.ids)}"
            self.chats.append({"convo": body["convoId"], "text": body["message"]["text"], "id": message_id})
            sent = {
                "id": message_id,
                "rev": "2",
                "text": body["message"]["text"],
                "sender": {"did": BRAND_DID},
            }
            return 200, {**sent, "sentAt": now_iso()}
        if method == "app.bsky.feed.getPosts":
            wanted = set(query.get("uris", "").split(","))
            found = [
                {**p, "author": self._brand(), "indexedAt": now_iso()}
                for p in self.posts
                if p["uri"] in wanted
            ]
            return 200, {"posts": found}
        if method == "app.bsky.feed.getAuthorFeed":
            feed = [{"post": {**p, "author": self._brand(), "indexedAt": now_iso()}} for p in self.posts]
            return 200, {"feed": feed}
        return 400, {"error": "MethodNotImplemented", "message": f"{method} is not implemented here"}
