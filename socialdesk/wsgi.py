from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def without_body_on_head(app: WsgiApp) -> WsgiApp:
    """A HEAD answer carries the GET's headers (Content-Length included) and no body. Django answers HEAD
    as GET and leaves dropping the body to the server; waitress sends it, so a kept-alive client read
    the page where it expected its next answer's status line."""

    def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        result = app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()  # Django's request_finished signal: the database connection is released
        return []

    return answer


application = without_body_on_head(get_wsgi_application())
