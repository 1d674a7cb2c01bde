"""A local Mastodon instance for tests: the REST routes the desk uses, Bearer tokens, snowflake-like
ids, X-RateLimit-* headers (reset as ISO 8601, as Mastodon sends it), Idempotency-Key honoured on
POST /api/v1/statuses, and Mastodon's {"error": "..."} bodies."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json


@dataclass
class FakeInstance(FakeServer):
    token: str
    account: dict[str, Any] = field(
        default_factory=lambda: {"id": "109000000000000001", "acct": "NimbusMobile", "display_name": "Nimbus"}
    )
    notifications: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[str, int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(110000000000000001))

    def fail_next(self, path: str, status: int, error: str, headers: dict[str, str] | None = None) -> None:
        self.failures.append((path, status, {"error": error}, headers or {}))

    def _handle(self, request: Request) -> None:
        raw = body_of(request).decode()
        kind = request.headers.get("content-type") or ""
        body = json.loads(raw) if raw and "json" in kind else dict(parse_qsl(raw))
        parts = urlsplit(request.path)
        self.requests.append((request.command, parts.path))
        reset = (datetime.now(tz=UTC) + timedelta(minutes=5)).isoformat()
        limits = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299", "X-RateLimit-Reset": reset}
        if request.headers.get("authorization") != f"Bearer {self.token}":
            send_json(request, 401, {"error": "The access token is invalid"}, limits)
            return
        for index, (path, status, answer, headers) in enumerate(self.failures):
            if parts.path == path:
                del self.failures[index]
                send_json(request, status, answer, {**limits, **headers})
                return
        query = dict(parse_qsl(parts.query))
        key = request.headers.get("Idempotency-Key")
        status, answer = self.route(request.command, parts.path, query, body, key)
        send_json(request, status, answer, limits)

    def route(
        self, method: str, path: str, query: dict[str, str], body: dict[str, Any], key: str | None
    ) -> tuple[int, Any]:
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return 200, self.account
        if method == "GET" and path == "/api/v1/notifications":
            since = int(query.get("since_id") or 0)
            kinds = {query["types[]"]} if "types[]" in query else None
            newer = [
                n for n in self.notifications if int(n["id"]) > since and (not kinds or n["type"] in kinds)
            ]
            return 200, sorted(newer, key=lambda n: -int(n["id"]))[: int(query.get("limit") or 40)]
        if method == "POST" and path == "/api/v1/statuses":
            if key and key in self.keys:
                return 200, self.statuses[self.keys[key]]  # the same status again
            if not str(body.get("status", "")).strip():
                return 422, {"error": "Validation failed: Text can't be blank"}
            status_id = str(next(self.ids))
            status = {
                "id": status_id,
                "created_at": datetime.now(tz=UTC).isoformat().replace("+00:00", "Z"),
                "content": f"<p>{body['status']}</p>",
                "visibility": body.get("visibility", "public"),
                "in_reply_to_id": body.get("in_reply_to_id"),
                "account": self.account,
                "url": f"{self.url}/@NimbusMobile/{status_id}",
            }
            self.statuses[status_id] = status
            if key:
                self.keys[key] = status_id
            return 200, status
        return 404, {"error": "Record not found"}
