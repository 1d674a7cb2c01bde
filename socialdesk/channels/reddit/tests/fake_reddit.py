"""A local stand-in for www.reddit.com / oauth.reddit.com: the password grant (HTTP Basic app
credentials), bearer-token API calls, Listing JSON, {"json": {"errors": [...]}} answers (RATELIMIT
included), x-ratelimit-* headers, 403 for removals outside moderated subreddits."""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class FakeReddit:
    client_id: str
    client_secret: str
    username: str
    password: str
    inbox: list[dict[str, Any]] = field(default_factory=list)  # newest first, as Reddit lists them
    comments: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    removed: list[tuple[str, bool]] = field(default_factory=list)
    moderated: set[str] = field(default_factory=lambda: {"NimbusMobile"})
    errors: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    paths: list[tuple[str, str]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def fail_next(self, path: str, error: str, message: str, field_name: str = "") -> None:
        self.errors.append((path, [[error, message, field_name]]))

    def start(self) -> FakeReddit:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=UTF-8")
                self.send_header("content-length", str(len(raw)))
                self.send_header("x-ratelimit-remaining", "995.0")
                self.send_header("x-ratelimit-used", "5")
                self.send_header("x-ratelimit-reset", "300")
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
                parts = urlsplit(self.path)
                path = parts.path.rstrip("/")
                fake.paths.append((self.command, path))
                if path == "/api/v1/access_token":
                    basic = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
                    good = (form.get("username"), form.get("password")) == (fake.username, fake.password)
                    if self.headers.get("authorization") != f"Basic {basic}":
                        self._send(401, {"message": "Unauthorized", "error": 401})
                        return
                    if not good:  # as Reddit answers a wrong password: 200 with an OAuth error
                        self._send(200, {"error": "invalid_grant"})
                        return
                    token = {
                        "access_token": "reddit-token",
                        "token_type": "bearer",
                        "expires_in": 86400,
                        "scope": "*",
                    }
                    self._send(200, token)
                    return
                if self.headers.get("authorization") != "bearer reddit-token":
                    self._send(401, {"message": "Unauthorized", "error": 401})
                    return
                for index, (error_path, errors) in enumerate(fake.errors):
                    if error_path == path:
                        del fake.errors[index]
                        self._send(200, {"json": {"errors": errors}})
                        return
                status, body = fake.route(self.command, path, dict(parse_qsl(parts.query)), form)
                self._send(status, body)

            do_GET = do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

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
        if path == "/api/remove" and method == "POST":
            subreddit = next(
                (t["data"].get("subreddit") for t in self.inbox if t["data"]["name"] == form["id"]), ""
            )
            if subreddit not in self.moderated:
                return 403, {"message": "Forbidden", "error": 403}
            self.removed.append((form["id"], form.get("spam") == "True"))
            return 200, {}
        return 404, {"message": "Not Found", "error": 404}
