"""How the desk pages show a refused action: the page the form came from, again, with the reason and
the error's status (422 refused, 403 not allowed, 409 someone else replied). One place for every
view, so a view only parses the form and calls the action."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from socialdesk.errors import DeskError

View = Callable[..., HttpResponse]
ErrorPage = Callable[..., HttpResponse]  # (request, error, **the view's URL arguments)


def shows_desk_errors(page: ErrorPage) -> Callable[[View], View]:
    """Decorate a view that calls an action: a `DeskError` renders `page` for it instead."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except DeskError as error:
                return page(request, error, **kwargs)

        return wrapped

    return decorate
