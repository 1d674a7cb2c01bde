"""Encryption at rest for secrets (channel credentials): Fernet (AES-CBC + HMAC-SHA256), keys rotatable."""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


class DecryptionError(RuntimeError):
    """Stored ciphertext cannot be read with any configured key (wrong or rotated-out key)."""


def _derive_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"socialdesk-credentials", info=b"fernet-v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode("utf-8")))


@cache
def _fernet() -> MultiFernet:
    keys: list[str] = list(settings.SOCIALDESK_ENCRYPTION_KEYS)
    fernets = [Fernet(k.encode("ascii")) for k in keys]
    fernets.append(Fernet(_derive_key(settings.SECRET_KEY)))
    return MultiFernet(fernets)


def encrypt_json(value: Any) -> str:
    return _fernet().encrypt(json.dumps(value, sort_keys=True).encode("utf-8")).decode("ascii")


def decrypt_json(token: str) -> Any:
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii")))
    except InvalidToken as exc:
        raise DecryptionError("credentials cannot be decrypted with the configured keys") from exc


class EncryptedJSONField(models.Field[Any, Any]):
    """A JSON value stored as a Fernet token in a text column; the database never sees the plaintext."""

    description = "JSON encrypted at rest"

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        if value is None or value == "":
            return {}
        return decrypt_json(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("gAAAA"):
            return decrypt_json(value)
        return value

    def get_prep_value(self, value: Any) -> str:
        return encrypt_json(value if value is not None else {})
