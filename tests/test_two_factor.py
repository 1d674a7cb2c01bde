"""Two-factor sign-in (issue 21): after the password, a member with an authenticator app gives its
code or a one-time recovery code; wrong codes slow the next try down; an admin can require two-factor
for a workspace, and its members without an app enrol before they reach the desk. API tokens are
separate credentials and keep working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialdesk.accounts.actions import confirm_enrolment, start_enrolment
from socialdesk.errors import Forbidden
from socialdesk.workspaces.actions import add_member, create_api_token, create_user, set_two_factor_required
from socialdesk.workspaces.models import Role, Workspace

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"  # the `agent` fixture's


def code_at(device: TOTPDevice, at: datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def enrol(user: User, at: datetime = T0) -> tuple[TOTPDevice, list[str]]:
    with time_machine.travel(at, tick=False):
        start_enrolment(user)
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        return confirm_enrolment(user, code_at(device, at))


def password_login(username: str = "alice", password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def test_password_alone_does_not_reach_the_inbox(agent: Any) -> None:
    enrol(agent)
    at = T0 + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        client = password_login()
        for path in ("/", "/team/", "/account/security/", "/admin/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/login/verify/?next="), path
        # The API by session counts as not signed in until the code is given.
        assert client.get("/api/conversations").status_code == 401
        page = client.get("/login/verify/")
        text = page.content.decode()
        assert page.status_code == 200 and "Two-factor code" in text
        # Nothing of the desk before the code: no header links, no workspace names.
        assert 'href="/team/"' not in text and "Acme Telecom" not in text


def test_the_right_code_reaches_the_inbox(agent: Any) -> None:
    device, _ = enrol(agent)
    at = T0 + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        client = password_login()
        response = client.post("/login/verify/", {"code": code_at(device, at), "next": "/team/"})
        assert response.status_code == 302 and response["Location"] == "/team/"
        assert client.get("/").status_code == 200
        assert client.get("/api/conversations").status_code == 200


def test_a_code_is_good_once(agent: Any) -> None:
    """The same six digits seen over a shoulder do not open a second session in the same 30 s."""
    device, _ = enrol(agent)
    at = T0 + timedelta(minutes=5)
    with time_machine.travel(at, tick=False):
        code = code_at(device, at)
        assert password_login().post("/login/verify/", {"code": code}).status_code == 302
        second = password_login()
        refused = second.post("/login/verify/", {"code": code})
        assert refused.status_code == 400 and "that code is not right" in refused.content.decode().lower()
        assert second.get("/")["Location"] == "/login/verify/?next=%2F"


def test_wrong_codes_slow_down_the_next_try(agent: Any) -> None:
    device, _ = enrol(agent)
    at = T0 + timedelta(minutes=5)
    with time_machine.travel(at, tick=False) as clock:
        client = password_login()
        wrong = "000000" if code_at(device, at) != "000000" else "111111"
        assert client.post("/login/verify/", {"code": wrong}).status_code == 400
        # Right away even the right code is refused: one wrong code costs 1 s, the next 2 s, then 4 s ...
        throttled = client.post("/login/verify/", {"code": code_at(device, at)})
        assert throttled.status_code == 429
        assert "Too many wrong codes: wait a few seconds and try again." in throttled.content.decode()
        assert client.get("/")["Location"] == "/login/verify/?next=%2F"
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        clock.shift(timedelta(seconds=1))
        later = T0 + timedelta(minutes=5, seconds=1)
        assert client.post("/login/verify/", {"code": code_at(device, later)}).status_code == 302
        device.refresh_from_db()
        assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(agent: Any) -> None:
    _, codes = enrol(agent)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 8 for code in codes)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        client = password_login()
        assert client.post("/login/verify/", {"code": codes[3].upper()}).status_code == 302
        assert client.get("/").status_code == 200
        assert StaticToken.objects.filter(device__user=agent).count() == 9
        again = password_login()
        refused = again.post("/login/verify/", {"code": codes[3]})
        assert refused.status_code == 400
        assert again.get("/").status_code == 302
        assert StaticToken.objects.filter(device__user=agent).count() == 9


def test_enrolling_from_the_security_page(agent: Any) -> None:
    with time_machine.travel(T0, tick=False):
        client = password_login()
        page = client.get("/account/security/")
        text = page.content.decode()
        assert page.status_code == 200 and "<svg" in text and 'id="totp-secret"' in text
        device = TOTPDevice.objects.get(user=agent, confirmed=False)
        # Reloading the page keeps the secret already scanned.
        client.get("/account/security/")
        assert list(TOTPDevice.objects.filter(user=agent).values_list("pk", flat=True)) == [device.pk]
        refused = client.post("/account/security/", {"code": "12345x"})
        assert refused.status_code == 400
        assert not TOTPDevice.objects.filter(user=agent, confirmed=True).exists()
        assert not StaticToken.objects.filter(device__user=agent).exists()
    with time_machine.travel(T0 + timedelta(seconds=2), tick=False):
        done = client.post("/account/security/", {"code": code_at(device, T0 + timedelta(seconds=2))})
        assert done.status_code == 200
        shown = done.content.decode()
        codes = list(StaticToken.objects.filter(device__user=agent).values_list("token", flat=True))
        assert len(codes) == 10 and all(f"<code>{code}</code>" in shown for code in codes)
        assert TOTPDevice.objects.filter(user=agent, confirmed=True).count() == 1
        # This session gave a code: it goes on to the desk.
        assert client.get("/").status_code == 200


def test_required_two_factor_sends_a_member_to_enrol_first(workspace: Workspace, agent: Any) -> None:
    admin = create_user("ada", "admin passphrase here")
    add_member(workspace, admin, Role.ADMIN)
    set_two_factor_required(admin, workspace, True)
    with time_machine.travel(T0, tick=False):
        client = password_login()
        for path in ("/", "/team/", "/tokens/"):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"] == f"/account/security/?next={path.replace('/', '%2F')}"
        page = client.get("/account/security/")
        text = page.content.decode()
        assert 'id="enrol-required"' in text
        assert 'href="/team/"' not in text and "Acme Telecom" not in text
        # Two-factor cannot be turned off while a workspace requires it (nothing to turn off yet either).
        device = TOTPDevice.objects.get(user=agent, confirmed=False)
        assert client.post("/account/security/", {"code": code_at(device, T0)}).status_code == 200
        assert client.get("/").status_code == 200
        refused = client.post("/account/security/off/")
        assert refused.status_code == 403
        assert TOTPDevice.objects.filter(user=agent, confirmed=True).count() == 1


def test_only_an_admin_requires_two_factor(workspace: Workspace, agent: Any, lead: Any) -> None:
    with pytest.raises(Forbidden):
        set_two_factor_required(lead, workspace, True)
    client = Client()
    client.force_login(lead)
    refused = client.post(f"/account/security/workspaces/{workspace.pk}/require/", {"required": "on"})
    assert refused.status_code == 403
    outsider = create_user("olga", "outsider passphrase")
    client.force_login(outsider)
    path = f"/account/security/workspaces/{workspace.pk}/require/"
    assert client.post(path, {"required": "on"}).status_code == 404
    workspace.refresh_from_db()
    assert workspace.two_factor_required is False
    assert Client().get("/", follow=False)["Location"].startswith("/login/")


def test_an_admin_requires_two_factor_from_the_security_page(workspace: Workspace) -> None:
    admin = create_user("ada", "admin passphrase here")
    add_member(workspace, admin, Role.ADMIN)
    client = Client()
    client.force_login(admin)
    done = client.post(f"/account/security/workspaces/{workspace.pk}/require/", {"required": "on"})
    assert done.status_code == 302 and done["Location"] == "/account/security/"
    workspace.refresh_from_db()
    assert workspace.two_factor_required is True
    # The admin too must now enrol before anything else.
    assert client.get("/")["Location"] == "/account/security/?next=%2F"


def test_api_tokens_keep_working_for_an_enrolled_user(agent: Any) -> None:
    enrol(agent)
    _, token = create_api_token(agent, "script")
    response = Client().get("/api/conversations", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    # A session that has given only the password does not, even alongside no token.
    assert password_login().get("/api/conversations").status_code == 401


def test_users_without_two_factor_sign_in_with_the_password(agent: Any) -> None:
    client = password_login()
    assert client.get("/").status_code == 200
    assert not TOTPDevice.objects.filter(user=agent).exists()
