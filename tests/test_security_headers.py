"""Headers every page carries (Content-Security-Policy without inline script or eval, no sniffing, no
framing, referrer kept in the site) and, with SOCIALDESK_HTTPS=1, HSTS and Secure cookies."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.helpers import desk_env, run_python

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
TEMPLATES = Path(__file__).parents[1] / "socialdesk" / "web" / "templates"


@pytest.mark.django_db
def test_a_page_carries_the_policy_and_the_plain_security_headers(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Over plain HTTP (the default), no HSTS and cookies without Secure: a desk on a laptop still works.
    assert "Strict-Transport-Security" not in response
    assert "; secure" not in str(response.cookies["csrftoken"]).lower()


@pytest.mark.django_db
def test_the_api_and_the_status_page_carry_the_policy_too(client: Client) -> None:
    assert client.get("/api/openapi.json")["Content-Security-Policy"] == CSP
    assert client.get("/api/docs")["Content-Security-Policy"] == CSP


def test_templates_hold_no_inline_script_style_or_eval() -> None:
    """The policy refuses these in the browser; finding them here says which template to fix."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)", r"<style", r"\sstyle=", r"\son[a-z]+=", r"hx-on", r"js:"):
            found += [f"{template.name}: {pattern}" for _ in re.finditer(pattern, text)]
    assert found == []


@pytest.mark.django_db
def test_over_https_hsts_and_secure_cookies(client: Client, settings: Any) -> None:
    # What SOCIALDESK_HTTPS=1 sets (the next test reads the settings module with it).
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "; secure" in str(response.cookies["csrftoken"]).lower()
    # HSTS is only ever sent over HTTPS (a browser ignores it over HTTP anyway).
    assert "Strict-Transport-Security" not in client.get("/login/")


def test_socialdesk_https_turns_on_hsts_secure_cookies_and_the_proxy_header(tmp_path: Path) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    env = desk_env("sqlite:///" + str(tmp_path / "db.sqlite3"), tmp_path)
    for key in ("SOCIALDESK_HTTPS", "SOCIALDESK_HSTS_SECONDS", "SOCIALDESK_PROXY_SSL_HEADER"):
        env.pop(key, None)
    assert run_python(script, env) == "0 False False None\n"
    env.update(SOCIALDESK_HTTPS="1", SOCIALDESK_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert run_python(script, env) == "31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')\n"
    env["SOCIALDESK_HSTS_SECONDS"] = "600"
    assert run_python(script, env).startswith("600 True True")
