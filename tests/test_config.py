from pathlib import Path

import pytest

from socialdesk.config import ConfigError, env, env_bool, parse_database_url


def test_postgres_url_becomes_a_django_database() -> None:
    db = parse_database_url("postgres://sd:p%40ss@db.internal:6543/desk?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "desk",
        "sd",
        "p@ss",
        "db.internal",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require", "options": "-c random_page_cost=1.1"}
    tuned = parse_database_url("postgres://db/desk?options=-c%20random_page_cost%3D4")
    assert tuned["OPTIONS"] == {"options": "-c random_page_cost=4"}


def test_sqlite_url_relative_and_absolute() -> None:
    assert parse_database_url("sqlite:///var/x.db")["NAME"] == "var/x.db"
    assert parse_database_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"
    assert parse_database_url("sqlite:////tmp/x.db")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="scheme 'mysql' is not supported"):
        parse_database_url("mysql://root@localhost/x")


def test_secret_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "token"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.delenv("SOCIALDESK_TEST_TOKEN", raising=False)
    monkeypatch.setenv("SOCIALDESK_TEST_TOKEN_FILE", str(secret))
    assert env("SOCIALDESK_TEST_TOKEN") == "s3cret"


def test_unreadable_secret_file_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOCIALDESK_TEST_TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="SOCIALDESK_TEST_TOKEN_FILE="):
        env("SOCIALDESK_TEST_TOKEN")


def test_bad_boolean_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_FLAG", "maybe")
    with pytest.raises(ConfigError, match="not a boolean"):
        env_bool("SOCIALDESK_FLAG", False)
    monkeypatch.setenv("SOCIALDESK_FLAG", "yes")
    assert env_bool("SOCIALDESK_FLAG", False) is True
