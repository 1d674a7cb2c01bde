"""Test setup: a private data directory, a fixed secret, and no network beyond this machine.

Database tests use real commits (transactional_db): the pipeline enqueues work on commit, as in production.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's own algorithm at 1,000 iterations instead of 1.2 million (0.6 s a hash here, and the
    suite's fixtures create and sign in users hundreds of times). The hashes are still `pbkdf2_sha256`
    with their iteration count inside, so a desk process a test starts with the production settings
    checks them as usual."""

    iterations = 1000


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Iterator[None]:
    from django.conf import settings
    from django.test.utils import override_settings

    default = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    quick = f"{__name__}.QuickPBKDF2PasswordHasher"
    # override_settings tells Django's hasher cache to forget the default one.
    with override_settings(
        PASSWORD_HASHERS=[quick if name == default else name for name in settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture
def scenario_path() -> Path:
    from socialdesk.demo import SCENARIO_PATH

    return SCENARIO_PATH


@pytest.fixture
def workspace(transactional_db: None) -> Any:
    from socialdesk.workspaces.actions import create_workspace

    return create_workspace("acme", "Acme Telecom")


@pytest.fixture
def other_workspace(transactional_db: None) -> Any:
    from socialdesk.workspaces.actions import create_workspace

    return create_workspace("globex", "Globex Bank")


@pytest.fixture
def x_channel(workspace: Any) -> Any:
    from socialdesk.channels.sandbox.receiver import sandbox_channel

    return sandbox_channel(workspace, "x")


@pytest.fixture
def agent(workspace: Any) -> Any:
    from socialdesk.workspaces.actions import add_member, create_user
    from socialdesk.workspaces.models import Role

    user = create_user("alice", "correct horse battery staple")
    add_member(workspace, user, Role.AGENT)
    return user


@pytest.fixture
def lead(workspace: Any) -> Any:
    from socialdesk.workspaces.actions import add_member, create_user
    from socialdesk.workspaces.models import Role

    user = create_user("lena", "lead passphrase here")
    add_member(workspace, user, Role.LEAD)
    return user


@pytest.fixture
def telecom_policy(workspace: Any) -> Any:
    """The workspace runs the telecom example policy (moderation reasons, crisis rule, listening)."""
    from socialdesk.policy.actions import save_policy

    examples = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
    return save_policy(workspace, (examples / "telecom.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def bulk_desk(telecom_policy: Any, other_workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    """For the bulk bar and API: Acme (telecom policy) with two customers' posts "a" and "b", Globex
    with "z"; alice, an agent of Acme only, signed in on a test client. {"client", "a", "b", "z":
    conversation ids, "globex"}"""
    from django.test import Client

    from socialdesk.channels.sandbox.receiver import sandbox_channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.actions import receive_event
    from tests.helpers import post

    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
    receive_event(x_channel, "2", post("b", "@NimbusMobile no signal in Porto", author="u2", minutes=1))
    receive_event(
        sandbox_channel(other_workspace, "x"), "1", post("z", "@GlobexBank card declined", author="u9")
    )
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    ids = {str(m.network_message_id): m.conversation_id for m in Message.objects.all()}
    return {"client": client, **ids, "globex": other_workspace}


@pytest.fixture
def isolated_database_url(tmp_path: Path, settings: Any) -> Iterator[str]:
    """A database of its own for tests that run the CLI in subprocesses, on the engine under test."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'subprocess.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"socialdesk_sub_{os.getpid()}_{abs(hash(str(tmp_path))) % 10_000_000}"
    admin_dsn = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
