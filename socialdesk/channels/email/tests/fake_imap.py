"""A small IMAP4rev1 server for tests, enough for imaplib's polling: CAPABILITY, LOGIN, SELECT,
UID SEARCH, UID FETCH (RFC822), LOGOUT, with the real response syntax (literals included)."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class FakeImap:
    username: str
    password: str
    messages: dict[int, bytes] = field(default_factory=dict)  # uid -> RFC 822 bytes
    logins: int = 0
    port: int = 0
    _server: socketserver.ThreadingTCPServer | None = None

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=100) + 1
        self.messages[uid] = raw
        return uid

    def start(self) -> FakeImap:
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def send(self, line: bytes) -> None:
                self.wfile.write(line + b"\r\n")

            def handle(self) -> None:
                self.send(b"* OK IMAP4rev1 fake ready")
                while line := self.rfile.readline():
                    tag, _, rest = line.decode().strip().partition(" ")
                    command, _, args = rest.partition(" ")
                    command = command.upper()
                    if command == "CAPABILITY":
                        self.send(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                        self.send(f"{tag} OK CAPABILITY completed".encode())
                    elif command == "LOGIN":
                        user, _, password = args.partition(" ")
                        if user.strip('"') == fake.username and password.strip('"') == fake.password:
                            fake.logins += 1
                            self.send(f"{tag} OK LOGIN completed".encode())
                        else:
                            self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials".encode())
                    elif command in {"SELECT", "EXAMINE"}:
                        self.send(f"* {len(fake.messages)} EXISTS".encode())
                        self.send(b"* OK [UIDVALIDITY 1700000000] UIDs valid")
                        self.send(f"{tag} OK [READ-ONLY] {command} completed".encode())
                    elif command == "UID":
                        self.uid(tag, args)
                    elif command == "LOGOUT":
                        self.send(b"* BYE logging out")
                        self.send(f"{tag} OK LOGOUT completed".encode())
                        return
                    else:
                        self.send(f"{tag} BAD unknown command".encode())
                    self.wfile.flush()

            def uid(self, tag: str, args: str) -> None:
                verb, _, rest = args.partition(" ")
                uids = sorted(fake.messages)
                if verb.upper() == "SEARCH":
                    start = int(rest.split()[-1].split(":")[0])
                    # As real servers do, "n:*" includes the highest UID even when it is below n.
                    hits = [u for u in uids if u >= start] or uids[-1:]
                    self.send(("* SEARCH " + " ".join(map(str, hits))).strip().encode())
                    self.send(f"{tag} OK SEARCH completed".encode())
                elif verb.upper() == "FETCH":
                    uid = int(rest.split()[0])
                    raw = fake.messages[uid]
                    self.wfile.write(
                        f"* {uids.index(uid) + 1} FETCH (UID {uid} RFC822 {{{len(raw)}}}\r\n".encode()
                    )
                    self.wfile.write(raw + b")\r\n")
                    self.send(f"{tag} OK FETCH completed".encode())

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
