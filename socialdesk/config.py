"""Environment configuration: `SOCIALDESK_*` and `DATABASE_URL` variables; secrets also from `*_FILE`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(RuntimeError):
    """A setting is present but unusable; the message says which and why."""


def api_bases() -> dict[str, str]:
    """{name: base URL} from every SOCIALDESK_<NAME>_API_BASE set (X, META, TELEGRAM ...): each
    network's client reads its own entry, so a new network needs no setting here."""
    prefix, suffix = "SOCIALDESK_", "_API_BASE"
    return {
        key[len(prefix) : -len(suffix)].lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and key.endswith(suffix) and len(key) > len(prefix + suffix) and value
    }


def env(name: str, default: str | None = None) -> str | None:
    """Read `name`, or the contents of the file named by `name_FILE` (for container secrets)."""
    value = os.environ.get(name)
    if value is not None:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = (env(name) or default).lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r} is not one of: {', '.join(choices)}")
    return value


def smtp_mailer(host: str, port: int, user: str, password: str, security: str) -> dict[str, Any]:
    """A Django MAILERS entry for an SMTP server (`security`: starttls, tls or none)."""
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": host or "localhost",
            "port": port,
            "username": user,
            "password": password,
            "use_tls": security == "starttls",
            "use_ssl": security == "tls",
            "timeout": 10,  # seconds: a stuck server costs one attempt, not the sender
        },
    }


def data_dir() -> Path:
    path = Path(env("SOCIALDESK_DATA_DIR") or Path.cwd() / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """The configured key, or one generated once and kept in the data directory so encrypted data survives."""
    configured = env("SOCIALDESK_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name?opt=v` into a Django DATABASES entry."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as in most twelve-factor tools.
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        if not name:
            raise ConfigError(
                "DATABASE_URL for sqlite needs a file path, e.g. sqlite:///var/socialdesk.sqlite3"
            )
        return sqlite_database(Path(name))
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        # Planner costs for SSD storage (PostgreSQL's default random_page_cost of 4 assumes spinning
        # disks and prefers a parallel table scan over the inbox's covering index-only scan: 40 ms vs
        # 20 ms at 200k conversations). `?options=...` in the URL replaces it.
        options.setdefault("options", "-c random_page_cost=1.1")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "socialdesk",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": options.pop("test_name", None)},
        }
    raise ConfigError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite:// or postgres://)")


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # IMMEDIATE transactions take the write lock up front: concurrent writers queue on
            # busy_timeout instead of failing with "database is locked" on lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": None},
    }


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in through an OpenID Connect provider (SOCIALDESK_OIDC_*), shown as "Sign in with <name>"."""

    provider_name: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    sign_algorithm: str


# The endpoints most providers publish under their issuer (Keycloak, Authentik and django-oauth-toolkit
# differ, so each can be set on its own; the discovery document names them).
_OIDC_ENDPOINTS = ("authorization", "token", "userinfo", "jwks")


def oidc_settings() -> OidcSettings | None:
    """The provider, or None (sign-in with a provider off) when no client id is set. A client id without
    the issuer's endpoints or a secret is a mistake that start-up reports, not a button that fails."""
    client_id = env("SOCIALDESK_OIDC_CLIENT_ID") or ""
    if not client_id:
        return None
    issuer = (env("SOCIALDESK_OIDC_ISSUER") or "").rstrip("/")
    endpoints = {name: env(f"SOCIALDESK_OIDC_{name.upper()}_ENDPOINT") or "" for name in _OIDC_ENDPOINTS}
    missing = [f"SOCIALDESK_OIDC_{name.upper()}_ENDPOINT" for name, url in endpoints.items() if not url]
    if missing:
        raise ConfigError(
            f"SOCIALDESK_OIDC_CLIENT_ID is set but {', '.join(missing)} is not "
            f"(copy them from {issuer or 'the issuer'}/.well-known/openid-configuration)"
        )
    secret = env("SOCIALDESK_OIDC_CLIENT_SECRET") or ""
    if not secret:
        raise ConfigError("SOCIALDESK_OIDC_CLIENT_ID is set but SOCIALDESK_OIDC_CLIENT_SECRET(_FILE) is not")
    return OidcSettings(
        provider_name=env("SOCIALDESK_OIDC_PROVIDER_NAME") or "single sign-on",
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        authorization_endpoint=endpoints["authorization"],
        token_endpoint=endpoints["token"],
        userinfo_endpoint=endpoints["userinfo"],
        jwks_endpoint=endpoints["jwks"],
        sign_algorithm=env("SOCIALDESK_OIDC_SIGN_ALGORITHM") or "RS256",
    )
