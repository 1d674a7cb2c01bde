"""What every local network fake in the tests shares: a threaded HTTP server on a free loopback port
that hands each request to the fake, and a JSON answer with the network's headers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from socialdesk.channels.models import Channel

Request = BaseHTTPRequestHandler


def serve(handle: Callable[[Request], None]) -> tuple[str, ThreadingHTTPServer]:
    """Start a server calling `handle` for every request; returns (base URL, server)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _any(self) -> None:
            handle(self)

        do_GET = do_POST = do_PUT = do_DELETE = _any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def stop(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()


def body_of(request: Request) -> bytes:
    length = int(request.headers.get("content-length") or 0)
    return request.rfile.read(length) if length else b""


def send_json(request: Request, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    raw = json.dumps(body).encode()
    request.send_response(status)
    request.send_header("content-type", "application/json; charset=utf-8")
    request.send_header("content-length", str(len(raw)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(raw)


class FakeServer:
    """A network's fake on a loopback port; a subclass answers each request in `_handle`."""

    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def _handle(self, request: Request) -> None:
        raise NotImplementedError

    def start(self) -> Self:
        self.url, self._server = serve(self._handle)
        return self

    def stop(self) -> None:
        stop(self._server)

    def running(self) -> Iterator[Self]:
        """A fixture's body: `yield from Fake(...).running()` starts it and stops it after the test."""
        self.start()
        try:
            yield self
        finally:
            self.stop()


def brand_channel(
    workspace: Any, network: str, handle: str, credentials: dict[str, str], **config: str
) -> Channel:
    """The brand's account on `network` in the workspace, pointed at a fake by `config`."""
    return Channel.objects.create(
        workspace=workspace, network=network, handle=handle, credentials=credentials, config=config
    )
