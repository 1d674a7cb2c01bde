"""A local stand-in for graph.facebook.com speaking the Graph API's wire format for the routes the
desk uses on Facebook Pages, Instagram and WhatsApp Cloud: Bearer tokens checked, Graph error JSON
({"error": {"message", "type", "code", "fbtrace_id"}}), X-Business-Use-Case-Usage on throttling."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json

VERSION = "v21.0"


@dataclass
class FakeGraph(FakeServer):
    token: str
    page_id: str = "1001"
    ig_user_id: str = "2002"
    phone_number_id: str = "3003"
    feed: dict[str, str] = field(default_factory=dict)  # the Page's own posts: id -> message
    comments: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"message", "from", "parent"}
    messages: list[dict[str, Any]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[str, int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(500))

    def fail_next(
        self, path_suffix: str, status: int, code: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
        self.failures.append((path_suffix, status, {"error": error}, headers or {}))

    def _handle(self, request: Request) -> None:
        raw = body_of(request)
        body = json.loads(raw) if raw else {}
        parts = urlsplit(request.path)
        path = parts.path.removeprefix(f"/{VERSION}/")
        self.requests.append((request.command, path))
        if request.headers.get("authorization") != f"Bearer {self.token}":
            error = {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}
            send_json(request, 400, {"error": {**error, "fbtrace_id": "AbCdEf123"}})
            return
        for index, (suffix, status, answer, headers) in enumerate(self.failures):
            if path.endswith(suffix):
                del self.failures[index]
                send_json(request, status, answer, headers)
                return
        status, answer = self.route(request.command, path, dict(parse_qsl(parts.query)), body)
        send_json(request, status, answer)

    def _missing(self) -> tuple[int, dict[str, Any]]:
        message = "Unsupported get request. Object with ID does not exist, cannot be loaded due to " + (
            "missing permissions"
        )
        return 400, {
            "error": {"message": message, "type": "GraphMethodException", "code": 100, "error_subcode": 33}
        }

    def route(
        self, method: str, path: str, query: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        segments = path.split("/")
        if method == "POST" and len(segments) == 2 and segments[1] in {"comments", "replies"}:
            new_id = f"{segments[0]}_{next(self.ids)}"
            owner = self.page_id if segments[1] == "comments" else self.ig_user_id
            self.comments[new_id] = {"message": body["message"], "from": {"id": owner}, "parent": segments[0]}
            return 200, {"id": new_id}
        if len(segments) == 2 and segments[1] == "feed" and segments[0] == self.page_id:
            if method == "POST":
                new_id = f"{self.page_id}_{next(self.ids)}"
                self.feed[new_id] = body["message"]
                return 200, {"id": new_id}
            mine = [
                {"id": i, "message": m, "from": {"id": self.page_id}} for i, m in reversed(self.feed.items())
            ]
            return 200, {"data": mine}
        if method == "GET" and len(segments) == 2 and segments[1] in {"comments", "replies"}:
            data = [
                {"id": cid, "message": c["message"], "text": c["message"], "from": c["from"]}
                for cid, c in reversed(self.comments.items())
                if c["parent"] == segments[0]
            ]
            return 200, {"data": data}
        if method == "POST" and len(segments) == 2 and segments[1] == "messages":
            sender = segments[0]
            if sender == self.phone_number_id:
                wamid = f"wamid.HBgL{next(self.ids)}"
                self.messages.append(
                    {"sender": sender, "to": body["to"], "text": body["text"]["body"], "id": wamid}
                )
                return 200, {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                    "messages": [{"id": wamid}],
                }
            mid = f"m_{next(self.ids)}"
            self.messages.append({"sender": sender, **body, "id": mid})
            recipient = body["recipient"].get("id") or f"psid-for-{body['recipient'].get('comment_id')}"
            return 200, {"recipient_id": recipient, "message_id": mid}
        if method == "GET" and path == "me":
            return 200, {"id": self.page_id, "name": "Nimbus Mobile"}
        if len(segments) == 1 and segments[0] not in self.deleted:
            target = segments[0]
            if method == "POST" and ("is_hidden" in body or "hide" in body):
                (self.hidden.add if body.get("is_hidden", body.get("hide")) else self.hidden.discard)(target)
                return 200, {"success": True}
            if method == "DELETE":
                self.deleted.add(target)
                return 200, {"success": True}
            if method == "GET":
                return 200, {"id": target}
        return self._missing()
