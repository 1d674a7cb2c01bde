"""Login throttling with django-axes: the backend that refuses a locked-out account or address.

Axes' own backend insists on the request; `authenticate()` without one (the test client's `login`, a
script) has no address to count and no page to answer, so it is left to the next backend unthrottled.
Every login over HTTP (the desk's page, the admin's) passes the request and is throttled."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):  # type: ignore[misc]
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
