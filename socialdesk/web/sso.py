"""Sign-in with an OpenID Connect provider (mozilla-django-oidc does the code flow, PKCE and the ID
token's signature): the provider's user is matched to a desk user by verified email, never made a
member of anything. Off unless SOCIALDESK_OIDC_CLIENT_ID and the endpoints are set."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def provider_name() -> str | None:
    """The name on the login page's button, or None when sign-in with a provider is off."""
    oidc = settings.SOCIALDESK_OIDC
    return oidc.provider_name if settings.OIDC_ENABLED and oidc is not None else None


def _require_provider() -> None:
    # With sign-in off the library would still redirect to an empty authorization endpoint.
    if provider_name() is None:
        raise Http404("sign-in with an identity provider is not set up here")


class StartSignIn(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """/oidc/authenticate/: off (404) unless a provider is configured."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_provider()
        return super().get(request)  # type: ignore[no-any-return]


class FinishSignIn(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """/oidc/callback/: off (404) unless a provider is configured."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_provider()
        return super().get(request)  # type: ignore[no-any-return]


class EmailMatchingBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        # An unverified email could be anyone's: matching on it would let them into that person's desk.
        if not email or claims.get("email_verified") is not True:
            return self._refuse("Your provider did not confirm your email address, so it cannot be matched.")
        users = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) == 1:
            return users[0]
        if len(users) > 1:
            return self._refuse(f"More than one account here has the email {email}; ask an admin.")
        if settings.OIDC_CREATE_USER:
            return _user_without_workspace(email)
        return self._refuse(
            f"No account here has the email {email}. Ask an admin of your workspace to invite you."
        )

    def _refuse(self, reason: str) -> User | None:
        """None (no user), after telling why: the callback sends the browser back to the login page,
        which shows it."""
        messages.error(self.request, reason)
        return None


def _user_without_workspace(email: str) -> User:
    """A user who can sign in and sees no workspace until an admin adds them; no password of ours."""
    base = email.split("@", 1)[0][:140] or "user"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    return User.objects.create_user(username, email=email)
