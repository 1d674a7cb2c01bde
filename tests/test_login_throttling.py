"""Login throttling (issue 21): after 25 wrong passwords an account is locked for a cool-off, and so is
the address they came from; the 26th attempt is refused even with the right password, on the desk's
login page and on the admin's."""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

LIMIT = 25
PASSWORD = "correct horse battery staple"  # the `agent` fixture's


def _attempt(client: Client, path: str, username: str, password: str, addr: str = "10.0.0.1") -> Any:
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_the_limit_is_the_one_this_test_assumes() -> None:
    assert settings.AXES_FAILURE_LIMIT == LIMIT


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_the_26th_attempt_is_refused_even_with_the_right_password(agent: Any, path: str) -> None:
    User.objects.filter(pk=agent.pk).update(is_staff=True)  # so that the admin would let them in
    client = Client()
    for _ in range(LIMIT - 1):
        assert _attempt(client, path, agent.username, "wrong").status_code == 200
    # Until the limit the right password still works (and wipes the count).
    assert _attempt(client, path, agent.username, PASSWORD).status_code == 302
    for _ in range(LIMIT):
        _attempt(Client(), path, agent.username, "wrong")
    refused = _attempt(Client(), path, agent.username, PASSWORD)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many failed logins" in text and "Try again in 30 minutes" in text
    assert "_auth_user_id" not in refused.client.session


def test_an_address_guessing_many_accounts_is_locked_out(agent: Any) -> None:
    for n in range(LIMIT):
        _attempt(Client(), "/login/", f"nobody{n}", "wrong", addr="10.9.9.9")
    assert _attempt(Client(), "/login/", agent.username, PASSWORD, addr="10.9.9.9").status_code == 429
    # The same account from elsewhere is not locked: only that address is.
    assert _attempt(Client(), "/login/", agent.username, PASSWORD, addr="10.0.0.2").status_code == 302


def test_each_test_starts_with_no_failures_recorded(agent: Any) -> None:
    """Attempts are rows in the test database, so the tests above leave nothing behind."""
    assert _attempt(Client(), "/login/", agent.username, PASSWORD).status_code == 302
