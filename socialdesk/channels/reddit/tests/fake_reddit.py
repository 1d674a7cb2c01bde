"""A local stand-in for www.reddit.com / oauth.reddit.com: the password grant (HTTP Basic app
credentials), bearer-token API calls, Listing JSON, {"json": {"errors": [...]}} answers (RATELIMIT
included), x-ratelimit-* headers, 403 for removals outside moderated subreddits."""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json


@dataclass
class FakeReddit(FakeServer):
    client_id: str
    client_secret: str
    username: str
    password: str
    inbox: list[dict[str, Any]] = field(default_factory=list)  # newest first, as Reddit lists them
    comments: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    submitted: list[dict[str, Any]] = field(default_factory=list)  # the account's own posts, newest first
    removed: list[tuple[str, bool]] = field(default_factory=list)
    moderated: set[str] = field(default_factory=lambda: {"NimbusMobile"})
    errors: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    paths: list[tuple[str, str]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def fail_next(self, path: str, error: str, message: str, field_name: str = "") -> None:
        self.errors.append((path, [[error, message, field_name]]))

    def _send(self, request: Request, status: int, body: Any) -> None:
        limits = {"x-ratelimit-remaining": "995.0", "x-ratelimit-used": "5", "x-ratelimit-reset": "300"}
        send_json(request, status, body, limits)

    def _handle(self, request: Request) -> None:
        raw = body_of(request).decode()
        form = dict(parse_qsl(raw)) if raw else {}
        parts = urlsplit(request.path)
        path = parts.path.rstrip("/")
        self.paths.append((request.command, path))
        if path == "/api/v1/access_token":
            self._token_grant(request, form)
            return
        if request.headers.get("authorization") != "bearer reddit-token":
            self._send(request, 401, {"message": "Unauthorized", "error": 401})
            return
        for index, (error_path, errors) in enumerate(self.errors):
            if error_path == path:
                del self.errors[index]
                self._send(request, 200, {"json": {"errors": errors}})
                return
        status, body = self.route(request.command, path, dict(parse_qsl(parts.query)), form)
        self._send(request, status, body)

    def _token_grant(self, request: Request, form: dict[str, str]) -> None:
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}":
            self._send(request, 401, {"message": "Unauthorized", "error": 401})
        elif (form.get("username"), form.get("password")) != (self.username, self.password):
            self._send(request, 200, {"error": "invalid_grant"})  # as Reddit answers a wrong password
        else:
            token = {
                "access_token": "reddit-token",
                "token_type": "bearer",
                "expires_in": 86400,
                "scope": "*",
            }
            self._send(request, 200, token)

    @staticmethod
    def listing(children: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "kind": "Listing",
            "data": {"after": None, "before": None, "dist": len(children), "children": children},
        }

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> tuple[int, Any]:
        if path == "/message/inbox":
            before = query.get("before")
            names = [t["data"]["name"] for t in self.inbox]
            newer = self.inbox[: names.index(before)] if before in names else self.inbox
            return 200, self.listing(newer)
        if path == "/api/comment" and method == "POST":
            comment_id = f"c{next(self.ids)}"
            parent = form["thing_id"]
            data = {
                "id": comment_id,
                "name": f"t1_{comment_id}",
                "body": form["text"],
                "author": self.username,
                "parent_id": parent,
                "link_id": "t3_post1",
                "subreddit": "NimbusMobile",
                "created_utc": time.time(),
                "permalink": f"/r/NimbusMobile/comments/post1/_/{comment_id}/",
            }
            self.comments.insert(0, data)
            return 200, {"json": {"errors": [], "data": {"things": [{"kind": "t1", "data": data}]}}}
        if path == "/api/compose" and method == "POST":
            message_id = f"m{next(self.ids)}"
            sent = {
                "id": message_id,
                "name": f"t4_{message_id}",
                "dest": form["to"],
                "subject": form["subject"],
            }
            self.sent.insert(0, {**sent, "body": form["text"], "author": self.username})
            return 200, {"json": {"errors": []}}
        if path == "/message/sent":
            return 200, self.listing([{"kind": "t4", "data": d} for d in self.sent])
        if path == f"/user/{self.username}/comments":
            return 200, self.listing([{"kind": "t1", "data": d} for d in self.comments])
        if path == "/subreddits/mine/moderator":
            return 200, self.listing(
                [{"kind": "t5", "data": {"display_name": s}} for s in sorted(self.moderated)]
            )
        if path == "/api/submit" and method == "POST":
            post_id = f"p{next(self.ids)}"
            data = {
                "id": post_id,
                "name": f"t3_{post_id}",
                "title": form["title"],
                "selftext": form["text"],
                "subreddit": form["sr"],
                "author": self.username,
            }
            self.submitted.insert(0, data)
            url = f"https://www.reddit.com/r/{form['sr']}/comments/{post_id}/"
            return 200, {"json": {"errors": [], "data": {"url": url, "id": post_id, "name": data["name"]}}}
        if path == f"/user/{self.username}/submitted":
            return 200, self.listing([{"kind": "t3", "data": d} for d in self.submitted])
        if path == "/api/remove" and method == "POST":
            subreddit = next(
                (t["data"].get("subreddit") for t in self.inbox if t["data"]["name"] == form["id"]), ""
            )
            if subreddit not in self.moderated:
                return 403, {"message": "Forbidden", "error": 403}
            self.removed.append((form["id"], form.get("spam") == "True"))
            return 200, {}
        return 404, {"message": "Not Found", "error": 404}
