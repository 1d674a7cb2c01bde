"""`socialdesk serve` speaks HTTP/1.1 as clients expect: a HEAD answer has the GET's headers and no body,
so a client that keeps the connection alive reads its next answer from the right place."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.helpers import desk_env, free_port, serving


def _headers(block: bytes) -> dict[str, str]:
    lines = block.decode("latin-1").split("\r\n")
    return {name.lower(): value for name, _, value in (line.partition(": ") for line in lines[1:])}


def test_head_has_no_body_and_the_kept_alive_connection_reads_the_next_answer(
    isolated_database_url: str, tmp_path: Path
) -> None:
    env = desk_env(isolated_database_url, tmp_path)
    port = free_port()
    # HEAD then GET on one kept-alive connection, read to the end: what follows the HEAD answer's
    # headers must be the GET answer's status line, not a page.
    with (
        serving(env, tmp_path / "server.log", port),
        socket.create_connection(("127.0.0.1", port), timeout=60) as connection,
    ):
        connection.sendall(
            b"HEAD /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:80]
    get, _, body = rest.partition(b"\r\n\r\n")
    assert b'name="password"' in body
    head_headers, get_headers = _headers(head), _headers(get)
    assert int(head_headers["content-length"]) == int(get_headers["content-length"]) == len(body)
    assert head_headers["content-type"] == get_headers["content-type"] == "text/html; charset=utf-8"
