"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit's OIDC support in a
Django process of its own (its own settings and database), served by waitress on a loopback port.

It knows three people: alice (alice@acme.example, the desk's agent), mallory (an email the desk does not
know) and eve (whose email the provider has not verified). Each signs in with the password `PASSWORD` on
a plain login page, and the desk's client is trusted (no consent page).

Run: python -m tests.oidc_provider PORT DATA_DIR REDIRECT_URI [REDIRECT_URI ...]"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLIENT_ID = "socialdesk-desk"
CLIENT_SECRET = "provider-secret-for-tests-only"
PASSWORD = "provider passphrase"
PEOPLE = {
    "alice": "alice@acme.example",
    "mallory": "mallory@elsewhere.example",
    "eve": "eve@acme.example",
}
UNVERIFIED = {"eve"}

LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Identity provider</title>
<link rel="icon" href="data:,"></head><body><h1>Identity provider</h1>{error}
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in to the provider</button></form></body></html>"""


def desk_settings(base: str) -> dict[str, Any]:
    """The desk's OIDC settings for this provider at `base` (as SOCIALDESK_OIDC_* would make them)."""
    return {
        "SOCIALDESK_OIDC_PROVIDER_NAME": "Acme ID",
        "SOCIALDESK_OIDC_ISSUER": f"{base}/o",
        "SOCIALDESK_OIDC_CLIENT_ID": CLIENT_ID,
        "SOCIALDESK_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "SOCIALDESK_OIDC_AUTHORIZATION_ENDPOINT": f"{base}/o/authorize/",
        "SOCIALDESK_OIDC_TOKEN_ENDPOINT": f"{base}/o/token/",
        "SOCIALDESK_OIDC_USERINFO_ENDPOINT": f"{base}/o/userinfo/",
        "SOCIALDESK_OIDC_JWKS_ENDPOINT": f"{base}/o/.well-known/jwks.json",
    }


@contextmanager
def running(port: int, data_dir: Path, redirect_uris: list[str]) -> Iterator[str]:
    """The provider's base URL while the block runs (output in data_dir/provider.log)."""
    from tests.helpers import wait_for

    data_dir.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).parents[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider", str(port), str(data_dir), *redirect_uris],
        cwd=root,
        stdout=(data_dir / "provider.log").open("w"),
        stderr=subprocess.STDOUT,
        # The desk's own settings stay out; a moved clock (scripts/clockshift: libfaketime) comes along,
        # or the provider would sign tokens at the real time that the desk then reads as expired.
        env={
            **{k: v for k, v in os.environ.items() if k.startswith(("FAKETIME", "LD_PRELOAD"))},
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(root),
        },
        text=True,
    )
    try:
        wait_for(port, server, timeout=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---- the provider process ----


def _configure(data_dir: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.configure(
        DEBUG=False,
        SECRET_KEY="provider-secret-key-for-tests-0123456789-abcdefghij",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="tests.oidc_provider",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "op.sqlite3")}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
        LOGIN_URL="/accounts/login/",
        # The desk runs on the same host (another port): cookies are per host, so names of their own.
        SESSION_COOKIE_NAME="provider_session",
        CSRF_COOKIE_NAME="provider_csrf",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": pem,
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID Connect", "email": "Email", "profile": "Profile"},
            "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.ClaimsValidator",
        },
    )


def _validator_class() -> type:
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class ClaimsValidator(OAuth2Validator):  # type: ignore[misc]
        def get_additional_claims(self, request: Any) -> dict[str, Any]:
            user = request.user
            return {
                "email": user.email,
                "email_verified": user.username not in UNVERIFIED,
                "name": user.username.title(),
                "preferred_username": user.username,
            }

    return ClaimsValidator


def _login(request: Any) -> Any:
    from django.contrib.auth import authenticate, login
    from django.http import HttpResponse, HttpResponseRedirect
    from django.middleware.csrf import get_token
    from django.utils.html import escape

    target = request.POST.get("next") or request.GET.get("next") or "/"
    error = ""
    if request.method == "POST":
        user = authenticate(
            request, username=request.POST.get("username"), password=request.POST.get("password")
        )
        if user is not None and target.startswith("/o/"):
            login(request, user)
            return HttpResponseRedirect(target)
        error = "<p role=alert>Wrong username or password.</p>"
    html = LOGIN_PAGE.format(error=error, csrf=get_token(request), next=escape(target))
    return HttpResponse(html)


def _setup(redirect_uris: list[str]) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, email in PEOPLE.items():
        if not User.objects.filter(username=username).exists():
            User.objects.create_user(username, email=email, password=PASSWORD)
    Application.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "Socialdesk",
            "client_secret": CLIENT_SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": " ".join(redirect_uris),
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )


urlpatterns: list[Any] = []
ClaimsValidator: Any = None


def main(argv: list[str]) -> None:
    global ClaimsValidator
    port, data_dir, redirect_uris = int(argv[0]), Path(argv[1]), argv[2:]
    # Settings name this module by its import path: let that be this very module, not a second copy.
    sys.modules["tests.oidc_provider"] = sys.modules[__name__]
    _configure(data_dir)
    import django

    django.setup()
    from django.urls import include, path

    ClaimsValidator = _validator_class()
    urlpatterns.extend(
        [
            path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
            path("accounts/login/", _login),
        ]
    )
    _setup(redirect_uris)
    import waitress
    from django.core.wsgi import get_wsgi_application

    waitress.serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=4, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
