"""A local stand-in for api.telegram.org: /bot<token>/<method> with form or JSON parameters,
{"ok": true, "result": ...} answers and Telegram's error objects (429 with parameters.retry_after,
403 for users who never started the bot, 400 for messages that cannot be deleted)."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from socialdesk.channels.testing import FakeServer, Request, body_of, send_json


@dataclass
class FakeBotApi(FakeServer):
    token: str
    bot_id: int = 5550001
    started: set[int] = field(default_factory=set)  # users who pressed Start (private chats open)
    sent: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    failures: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(900))
    # Public channels the bot administers, by @username: the id Telegram answers with.
    channels: dict[str, int] = field(default_factory=dict)

    def fail_next(self, method: str, code: int, description: str, retry_after: int | None = None) -> None:
        error: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            error["parameters"] = {"retry_after": retry_after}
        self.failures.append((method, error))

    def _handle(self, request: Request) -> None:
        raw = body_of(request).decode()
        if "json" in (request.headers.get("content-type") or ""):
            params = json.loads(raw or "{}")
        else:
            params = {k: _value(v) for k, v in parse_qsl(raw)}
        prefix, _, method = request.path.strip("/").partition("/")
        if prefix != f"bot{self.token}":
            answer: dict[str, Any] = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        else:
            answer = self.call(method, params)
        send_json(request, 200 if answer["ok"] else int(answer["error_code"]), answer)

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        for index, (name, error) in enumerate(self.failures):
            if name == method:
                del self.failures[index]
                return error
        if method == "getMe":
            return {"ok": True, "result": {"id": self.bot_id, "is_bot": True, "first_name": "Nimbus",
                                           "username": "NimbusHelpBot"}}  # fmt: skip
        if method == "sendMessage":
            named = str(params["chat_id"])
            if named.startswith("@") and named not in self.channels:
                return {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            chat_id = self.channels[named] if named.startswith("@") else int(named)
            if chat_id > 0 and chat_id not in self.started:
                return {"ok": False, "error_code": 403,
                        "description": "Forbidden: bot can't initiate conversation with a user"}  # fmt: skip
            message_id = next(self.ids)
            replied = (params.get("reply_parameters") or {}).get("message_id")
            self.sent.append({"chat_id": chat_id, "text": params["text"], "reply_to": replied})
            kind = "channel" if chat_id in self.channels.values() else "supergroup"
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else kind}
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "text": params["text"],
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "Nimbus"},
            }
            return {"ok": True, "result": result}
        if method == "deleteMessage":
            self.deleted.append((int(params["chat_id"]), int(params["message_id"])))
            return {"ok": True, "result": True}
        return {"ok": False, "error_code": 404, "description": "Not Found"}


def _value(raw: str) -> Any:
    """Form values: PTB sends nested objects as JSON text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw
