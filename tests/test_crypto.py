from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from socialdesk.channels.models import Channel
from socialdesk.crypto import DecryptionError, _fernet


def test_credentials_are_encrypted_at_rest(workspace: Any) -> None:
    channel = Channel.objects.create(
        workspace=workspace,
        network="x",
        handle="@acme",
        credentials={"access_token": "tok-PLAINTEXT-123"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM channels_channel WHERE id = %s", [channel.pk])
        stored = cursor.fetchone()[0]
    assert "PLAINTEXT" not in stored
    assert stored.startswith("gAAAA")
    assert Channel.objects.get(pk=channel.pk).credentials == {"access_token": "tok-PLAINTEXT-123"}


def test_rotated_key_still_reads_old_data_and_wrong_key_fails_clearly(workspace: Any) -> None:
    channel = Channel.objects.create(workspace=workspace, network="x", handle="@acme", credentials={"k": "v"})
    new_key = "Vt1N5Vq0tQ2m3bq9m0c1x8Yw9wR3gJ5P7sQ2kF6hL0A="
    _fernet.cache_clear()
    try:
        with override_settings(SOCIALDESK_ENCRYPTION_KEYS=[new_key]):
            _fernet.cache_clear()
            assert Channel.objects.get(pk=channel.pk).credentials == {"k": "v"}
        with override_settings(SECRET_KEY="another-install-entirely"):
            _fernet.cache_clear()
            with pytest.raises(DecryptionError, match="cannot be decrypted"):
                Channel.objects.get(pk=channel.pk)
    finally:
        _fernet.cache_clear()
