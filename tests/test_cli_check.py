"""`socialdesk check`, and `serve` and `worker` refusing to start, on encryption keys that are not keys or
that cannot read the credentials already stored (instead of a 500 on the first webhook)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from django.utils import timezone
from typer.testing import CliRunner

from socialdesk.channels.models import Channel
from socialdesk.cli import app
from socialdesk.crypto import _fernet
from socialdesk.ingest.models import RawEvent

runner = CliRunner()
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_keys() -> Iterator[None]:
    _fernet.cache_clear()
    yield
    _fernet.cache_clear()


def _run(*args: str, keys: list[str], secret: str | None = None) -> tuple[int, str]:
    extra = {"SECRET_KEY": secret} if secret else {}
    with override_settings(SOCIALDESK_ENCRYPTION_KEYS=keys, **extra):
        _fernet.cache_clear()
        done = runner.invoke(app, list(args))
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    return done.exit_code, done.output


def _stored_channel(workspace: Any) -> Channel:
    with override_settings(SOCIALDESK_ENCRYPTION_KEYS=[OLD_KEY]):
        _fernet.cache_clear()
        channel = Channel.objects.create(
            workspace=workspace, network="x", handle="@acme", credentials={"k": "v"}
        )
    _fernet.cache_clear()
    return channel


def test_check_passes_with_keys_that_read_what_is_stored(workspace: Any) -> None:
    _stored_channel(workspace)
    assert _run("check", keys=[NEW_KEY, OLD_KEY]) == (
        0,
        "ok: 1 stored secrets decrypt with the configured keys\n",
    )


def test_check_names_a_key_that_is_no_key_by_position_never_by_value(workspace: Any) -> None:
    code, output = _run("check", keys=[OLD_KEY, "not-a-key"])
    assert (code, output) == (
        1,
        "error: SOCIALDESK_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key "
        "(32 url-safe base64-encoded bytes, e.g. from Fernet.generate_key())\n",
    )


def test_check_reports_credentials_no_key_decrypts(workspace: Any) -> None:
    channel = _stored_channel(workspace)
    code, output = _run("check", keys=[NEW_KEY])
    assert (code, output) == (
        1,
        "error: 1 of 1 stored secrets cannot be decrypted with SOCIALDESK_ENCRYPTION_KEYS (or the key "
        f"derived from the secret key): channels.Channel {channel.pk} credentials; add back the key they "
        "were encrypted with\n",
    )


def test_serve_and_worker_refuse_to_start_on_a_bad_key(workspace: Any) -> None:
    channel = _stored_channel(workspace)
    RawEvent.objects.create(channel=channel, event_id="e1", payload={"id": "1"}, received_at=timezone.now())
    for command in ("serve", "worker"):
        code, output = _run(command, keys=["not-a-key"])
        assert (code, output) == (
            1,
            "error: SOCIALDESK_ENCRYPTION_KEYS: key 1 of 1 is not a Fernet key "
            "(32 url-safe base64-encoded bytes, e.g. from Fernet.generate_key())\n",
        )
    code, output = _run("worker", keys=[NEW_KEY])
    assert code == 1
    assert output.startswith("error: 1 of 1 stored secrets cannot be decrypted")
    # The worker did nothing: the event is still waiting.
    assert list(RawEvent.objects.values_list("status", "attempts")) == [("pending", 0)]
