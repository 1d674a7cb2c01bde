"""Small builders shared by tests, and a webhook receiver on this machine."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


def port_in(ports: range) -> int:
    """A free port in the range this suite may use (SMTP 8125-8129, HTTP 8112-8119)."""
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


class Receiver:
    """A webhook receiver: answers each path with its scripted statuses (then 200), keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str], bytes]] = []
        self.script: dict[str, list[int]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((self.path, dict(self.headers.items()), body))
                statuses = receiver.script.get(self.path, [])
                status = statuses.pop(0) if statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok" if status < 400 else b"no")

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port_in(range(8112, 8120))), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.calls]

    def running(self) -> Iterator[Receiver]:
        """A fixture's body: `yield from Receiver().running()` serves until the test ends."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def signed(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Whether the call carries the desk's signature made with `secret` (as a receiver checks it)."""
    expected = hmac.new(
        secret.encode(), headers["X-Socialdesk-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Socialdesk-Signature"], "v1=" + expected)
