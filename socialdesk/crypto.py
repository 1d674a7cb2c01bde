"""Encryption at rest for secrets (channel credentials): Fernet (AES-CBC + HMAC-SHA256), keys rotatable."""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import connection, models


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


def key_problem() -> str | None:
    """What is wrong with SOCIALDESK_ENCRYPTION_KEYS, in one line naming the key by position (never
    the key itself), or None. Checked at start-up (`socialdesk check`, `serve`, `worker`): otherwise
    the first webhook that reads credentials would be a 500."""
    keys: list[str] = list(settings.SOCIALDESK_ENCRYPTION_KEYS)
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            return (
                f"SOCIALDESK_ENCRYPTION_KEYS: key {number} of {len(keys)} is not a Fernet key "
                "(32 url-safe base64-encoded bytes, e.g. from Fernet.generate_key())"
            )
    return None


def unreadable_secrets() -> tuple[int, list[str]]:
    """(how many secrets are stored, which of them no configured key decrypts: 'app.Model pk field').
    Read from the columns as stored, without loading the rows (loading one would raise). Call only
    when key_problem() is None."""
    fernet = MultiFernet(
        [Fernet(k.encode("ascii")) for k in settings.SOCIALDESK_ENCRYPTION_KEYS]
        + [Fernet(_derive_key(settings.SECRET_KEY))]
    )
    tables = set(connection.introspection.table_names())
    stored, unreadable = 0, []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedJSONField)]
        if not fields or model._meta.db_table not in tables:  # not migrated yet: nothing stored
            continue
        columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column or "id")
        with connection.cursor() as cursor:
            # Names from the model's own metadata, no value from outside.
            cursor.execute(f"SELECT {pk}, {columns} FROM {table} ORDER BY {pk}")  # noqa: S608
            for row in cursor.fetchall():
                for field, token in zip(fields, row[1:], strict=True):
                    if not token:
                        continue
                    stored += 1
                    try:
                        fernet.decrypt(str(token).encode("ascii"))
                    except (InvalidToken, UnicodeEncodeError):
                        unreadable.append(f"{model._meta.label} {row[0]} {field.name}")
    return stored, unreadable


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
