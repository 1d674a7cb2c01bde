"""The one input boundary: a request carrying input no page or endpoint can mean is answered 400 with
a clear message here, before any view, instead of failing deeper down as a 500.

Refused: NUL characters in the path, query parameters, form fields or JSON bodies (PostgreSQL cannot
store or compare them); lone surrogates in JSON strings (not text; PostgreSQL refuses them too); JSON
nested deeper than `MAX_JSON_DEPTH` (Python's parser would hit its recursion limit); page numbers
past `MAX_PAGE` and numbers past a database integer.

Webhooks (`/hooks/`) pass untouched: their body must reach the receiver byte for byte to verify its
signature, and a customer's post is stored with such characters replaced (`ingest.actions.storable`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MAX_JSON_DEPTH = 64
MAX_PAGE = 1_000_000
MAX_INTEGER = 2**63 - 1  # the largest a database integer column holds (X's ids fit, too)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNCHECKED_PREFIXES = ("/hooks/",)


class Refused(Exception):
    pass


def _check_text(where: str, value: str) -> None:
    if "\x00" in value:
        raise Refused(f"{where} contains a NUL character (\\u0000), which is not text")


def _check_number(where: str, value: str) -> None:
    digits = value.lstrip("+-")
    # Compared as text first: int() of an enormous digit string is itself slow. isdecimal, not isdigit:
    # "³" is a digit that int() refuses (a 500 found by schemathesis).
    if digits.isdecimal() and (len(digits) > 19 or int(digits) > MAX_INTEGER):
        raise Refused(f"{where} is a number too large for this desk ({len(digits)} digits)")


def _check_pairs(kind: str, pairs: Iterable[tuple[str, list[Any]]]) -> None:
    for key, values in pairs:
        _check_text(f"the name of {kind} {key!r}", key)
        for value in values:
            if not isinstance(value, str):
                continue  # an uploaded file: its content is the view's to read
            where = f"{kind} {key!r}"
            _check_text(where, value)
            _check_number(where, value)
            if key == "page" and value.isdecimal() and int(value) > MAX_PAGE:
                raise Refused(f"page must be a whole number from 1 to {MAX_PAGE}")


def _check_json(body: bytes) -> None:
    try:
        data = json.loads(body)
    except RecursionError:
        raise Refused(f"the JSON body is nested too deep (at most {MAX_JSON_DEPTH} levels)") from None
    except ValueError:
        return  # not JSON at all: the endpoint says what it expected
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_json_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise Refused(f"the JSON body is nested too deep (at most {MAX_JSON_DEPTH} levels)")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_json_text(key)
                stack.append((item, depth + 1))
        else:
            stack.extend((item, depth + 1) for item in value)


def _check_json_text(value: str) -> None:
    _check_text("the JSON body", value)
    if not value.isascii() and any("\ud800" <= ch <= "\udfff" for ch in value):
        raise Refused("the JSON body contains a lone surrogate (\\ud800-\\udfff), which is not text")


def check_request(request: HttpRequest) -> None:
    """Raise `Refused` with the reason when the request carries input nothing here can mean."""
    if request.path.startswith(UNCHECKED_PREFIXES):
        return
    _check_text("the path", request.path)
    for segment in request.path.split("/"):
        _check_number("a number in the path", segment)
    _check_pairs("query parameter", request.GET.lists())
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        _check_pairs("form field", request.POST.lists())
    elif content_type == "application/json" or content_type.endswith("+json"):
        _check_json(request.body)


class InputBoundary:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except Refused as refused:
            reason = str(refused)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason, "code": "bad_input"}, status=400)
            return HttpResponseBadRequest(
                f"Bad request: {reason}.\n", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
