"""Single sign-on with OpenID Connect (issue 21), against a real provider (django-oauth-toolkit in a
process of its own, tests/oidc_provider.py): the provider's user is matched to a desk user by verified
email; an unknown or unverified email is refused with the reason and nothing is created, unless the
install allows users with no workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client

from socialdesk.config import ConfigError, oidc_settings
from socialdesk.workspaces.actions import create_user
from socialdesk.workspaces.models import Membership
from tests.helpers import free_port
from tests.oidc_provider import PASSWORD, desk_settings, running
from tests.test_two_factor import enrol

CALLBACK = "http://testserver/oidc/callback/"


def use_provider(settings: Any, monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    """The desk's settings as SOCIALDESK_OIDC_* for this provider would make them (see settings.py)."""
    for name, value in desk_settings(base).items():
        monkeypatch.setenv(name, value)
    oidc = oidc_settings()
    assert oidc is not None
    settings.SOCIALDESK_OIDC = oidc
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc.token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = oidc.userinfo_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = oidc.jwks_endpoint


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()  # one the system hands out: no other suite on this machine is given it too
    with running(port, tmp_path_factory.mktemp("provider"), [CALLBACK]) as base:
        yield base


@pytest.fixture
def sso(provider: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    use_provider(settings, monkeypatch, provider)
    return provider


def sign_in_at_provider(client: Client, base: str, username: str) -> Any:
    """The desk sends the browser to the provider, the person signs in there, the provider sends the
    browser back with a code: the desk's answer to that callback."""
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{base}/o/authorize/?")
    browser = requests.Session()
    to_login = browser.get(start["Location"], allow_redirects=False, timeout=30)
    assert to_login.status_code == 302
    login_url = urljoin(base, to_login.headers["Location"])
    assert browser.get(login_url, timeout=30).status_code == 200
    form = {
        "csrfmiddlewaretoken": browser.cookies["provider_csrf"],
        "next": parse_qs(urlsplit(login_url).query)["next"][0],
        "username": username,
        "password": PASSWORD,
    }
    signed = browser.post(login_url, data=form, allow_redirects=False, timeout=30)
    assert signed.status_code == 302
    back = browser.get(urljoin(base, signed.headers["Location"]), allow_redirects=False, timeout=30)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK + "?")
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


@pytest.mark.django_db
def test_the_login_page_offers_the_provider_only_when_configured() -> None:
    assert "Sign in with" not in Client().get("/login/").content.decode()
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert Client().get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_login_page_names_the_provider(sso: str) -> None:
    page = Client().get("/login/").content.decode()
    assert 'href="/oidc/authenticate/" id="sso">Sign in with Acme ID</a>' in page


def test_signing_in_through_the_provider_reaches_the_inbox(sso: str, agent: Any) -> None:
    User.objects.filter(pk=agent.pk).update(email="Alice@Acme.example")
    client = Client()
    answer = sign_in_at_provider(client, sso, "alice")
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.session["_auth_user_backend"] == "socialdesk.web.sso.EmailMatchingBackend"
    assert client.get("/").status_code == 200


def test_an_unknown_email_is_refused(sso: str, agent: Any) -> None:
    users = list(User.objects.order_by("pk").values_list("username", flat=True))
    client = Client()
    answer = sign_in_at_provider(client, sso, "mallory")
    assert answer.status_code == 302 and answer["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    page = client.get("/login/").content.decode()
    assert (
        "No account here has the email mallory@elsewhere.example. "
        "Ask an admin of your workspace to invite you."
    ) in page
    assert list(User.objects.order_by("pk").values_list("username", flat=True)) == users
    assert client.get("/")["Location"] == "/login/?next=/"


def test_an_email_the_provider_did_not_verify_is_refused(sso: str, agent: Any) -> None:
    create_user("eve", "eve's own passphrase", email="eve@acme.example")
    client = Client()
    answer = sign_in_at_provider(client, sso, "eve")
    assert answer["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert "did not confirm your email address" in client.get("/login/").content.decode()


def test_an_install_may_let_unknown_people_in_without_a_workspace(
    sso: str, agent: Any, settings: Any
) -> None:
    settings.OIDC_CREATE_USER = True
    client = Client()
    assert sign_in_at_provider(client, sso, "mallory")["Location"] == "/"
    made = User.objects.get(email="mallory@elsewhere.example")
    assert made.username == "mallory" and not made.has_usable_password()
    assert not Membership.objects.filter(user=made).exists()


def test_a_second_factor_is_still_asked_after_the_provider(sso: str, agent: Any) -> None:
    User.objects.filter(pk=agent.pk).update(email="alice@acme.example")
    enrol(agent)
    client = Client()
    assert sign_in_at_provider(client, sso, "alice")["Location"] == "/"
    assert client.get("/")["Location"] == "/login/verify/?next=%2F"


def test_the_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in desk_settings("http://idp.example"):
        monkeypatch.delenv(name, raising=False)
    assert oidc_settings() is None
    for name, value in desk_settings("http://idp.example").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SOCIALDESK_OIDC_CLIENT_SECRET")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("SOCIALDESK_OIDC_CLIENT_SECRET_FILE", str(secret))
    oidc = oidc_settings()
    assert oidc is not None
    assert (oidc.provider_name, oidc.client_secret, oidc.token_endpoint) == (
        "Acme ID",
        "from-a-file",
        "http://idp.example/o/token/",
    )
    monkeypatch.delenv("SOCIALDESK_OIDC_JWKS_ENDPOINT")
    with pytest.raises(ConfigError, match="SOCIALDESK_OIDC_JWKS_ENDPOINT is not"):
        oidc_settings()
