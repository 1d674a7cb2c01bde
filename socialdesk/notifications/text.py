"""Words and addresses shared by the email and the webhook body."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """A desk path as a link someone can open from their mail or chat (SOCIALDESK_BASE_URL)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SOCIALDESK_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
