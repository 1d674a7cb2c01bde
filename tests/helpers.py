"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def post(
    post_id: str,
    text: str = "hello",
    *,
    author: str = "u1",
    minutes: float = 0,
    network: str = "x",
    kind: str = "mention",
    reply_to: str | None = None,
    thread: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": post_id,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
        "network": network,
        "kind": kind,
        "author": {"id": author, "handle": f"h_{author}", "name": f"Name {author}"},
        "text": text,
    }
    if reply_to:
        body["reply_to"] = reply_to
    if thread:
        body["thread"] = thread
    return body
