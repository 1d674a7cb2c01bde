"""The API's contract kept true: every error is a `Problem` (`detail`, a sentence; `code`, stable), and
the OpenAPI schema lists the statuses every operation can answer with, not only those it was written
for. tests/test_api_contract.py runs schemathesis over the schema to hold both (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from socialdesk.api.schemas import Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# What any operation may answer besides its own statuses, and when.
# Keys are ints, as django-ninja writes its own: a "422" next to a 422 would be one key twice in the
# JSON, which Swagger UI refuses to draw ("duplicated mapping key").
ALWAYS = {
    400: "Refused at the input boundary (a NUL character, JSON nested too deep, a number past any "
    "column), or a body that is not JSON",
    401: "No valid API token or session",
}
WITH_INPUT = {422: "Input that does not match this schema (`errors` lists each field), or a refused action"}
WITH_PATH = {404: "Nothing with this id or slug among the caller's workspaces"}


class NotAnObject(ValueError):
    """A JSON body that is not an object: every operation here takes one."""


class ObjectParser(Parser):
    """JSON bodies must be objects. Otherwise django-ninja's schemas, which read attributes as well as
    keys, would take `[]` as an object with every field left out (`/assign` would unassign)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(f"the body must be a JSON object, not {type(data).__name__}")
        return data


class DeskApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _document_problems(operation)
        return schema


def _document_problems(operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters", [])
    extra = dict(ALWAYS)
    if parameters or "requestBody" in operation:
        extra |= WITH_INPUT
    if any(p.get("in") == "path" for p in parameters):
        extra |= WITH_PATH
    responses = operation.setdefault("responses", {})
    for status, description in extra.items():
        if status not in responses and str(status) not in responses:
            responses[status] = {
                "description": description,
                "content": {"application/json": {"schema": PROBLEM_REF}},
            }


def _summary(errors: list[dict[str, Any]]) -> str:
    """One sentence for the first problem ('body.text: Field required'), and how many more."""
    if not errors:
        return "invalid input"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    text = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))
    return text + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")


def use_problems(api: NinjaAPI) -> None:
    """Errors django-ninja answers itself, as Problems like the desk's own."""

    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in error.errors
        ]
        body = {"detail": _summary(errors), "code": "invalid", "errors": errors}
        return api.create_response(request, body, status=422)

    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found", "code": "not_found"}, status=404)

    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        # django-ninja words every unreadable body alike; the reason is the error it was raised from.
        cause = error.__cause__
        if isinstance(cause, NotAnObject):  # JSON, but not the shape asked for: like any invalid field
            return api.create_response(request, {"detail": str(cause), "code": "invalid"}, status=422)
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden"}.get(error.status_code, "error")
        detail = "the body is not JSON" if isinstance(cause, ValueError) else str(error)
        return api.create_response(request, {"detail": detail, "code": code}, status=error.status_code)

    api.add_exception_handler(ValidationError, invalid)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
