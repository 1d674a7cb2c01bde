"""Small builders shared by tests, a webhook receiver on this machine, the desk's CLI and server
run as real processes, and Debian's Chromium watching a page."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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


# The real CLI and server as processes (crash, CLI and browser tests), each on a database of its own.


def desk_env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a desk process: this database, a data directory of its own, no broker and
    no fault injection inherited from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALDESK_FAULT")}
    env.pop("SOCIALDESK_BROKER_URL", None)
    env.update(
        DATABASE_URL=database_url,
        SOCIALDESK_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="socialdesk.settings",
        **extra,
    )
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socialdesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_python(script: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run `script` in a Python process with `env`; its standard output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port(ports: range | None = None) -> int:
    """A free loopback port: the first in `ports` (a range this suite may use on a shared machine), or
    any the system gives."""
    if ports is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
            return port
    return port_in(ports)


def wait_for(port: int, server: subprocess.Popen[str], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {timeout} s")


@contextmanager
def serving(
    env: dict[str, str], log: Path, port: int, *args: str, command: str = "serve", timeout: float = 120.0
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """(base URL, process) of `socialdesk <command> --port <port> <args>` once it listens; stopped when
    the block ends. Output goes to `log`: a pipe nobody reads would fill up and stall the server."""
    server = subprocess.Popen(
        [sys.executable, "-m", "socialdesk.cli", command, "--port", str(port), *args],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(port, server, timeout)
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def logged_in(user: Any) -> Any:
    """A Django test client signed in as `user` (no password needed)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@contextmanager
def watched_page(
    base: str, *, also: tuple[str, ...] = (), **options: Any
) -> Iterator[tuple[Any, Any, list[str]]]:
    """Debian's Chromium on the desk at `base`: (browser, page, problems), where problems collects every
    console error, 4xx/5xx answer and failed request. Nothing outside `base` (and the servers of the
    test named in `also`, e.g. a local identity provider) is fetched (no internet: a page that needs a
    CDN fails)."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(base_url=base, **options)
        page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        # A request cut short by the next navigation (the favicon of a page left at once) is no fault of
        # the page; any other failure is (an outside request refused below, a server that died).
        page.on(
            "requestfailed",
            lambda r: problems.append(f"failed {r.url}") if r.failure != "net::ERR_ABORTED" else None,
        )
        allowed = (base, *also)
        page.route(lambda url: not url.startswith(allowed), lambda route: route.abort())
        try:
            yield browser, page, problems
        finally:
            browser.close()
