"""Bulk actions in the REST API: one desk verb on many conversations (`POST /api/conversations/bulk`),
the same action as the inbox's bulk bar. A partly refused batch is still a 200: the body lists what
changed and, for each conversation refused, why."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from socialdesk.api.auth import signed_in
from socialdesk.bulk.actions import VERBS, bulk_update


class BulkIn(Schema):
    ids: list[int] = Field(description="Conversation ids, in the order to act on them.")
    verb: str = Field(description=f"One of {', '.join(VERBS)}.")
    value: str = Field(
        "",
        description="assign: username ('' unassigns); tag/untag: tag name; status: new, open, pending, "
        "resolved or closed; link: incident id; reply: saved reply name; unlink: none.",
    )


class BulkFailure(Schema):
    id: int
    code: str
    detail: str


class BulkOut(Schema):
    summary: str
    done: list[int]
    held: list[int] = Field(description="Replies among `done` waiting for approval.")
    skipped: list[BulkFailure] = Field(
        description="Left alone on purpose: a reply to a conversation already answered since the "
        "customer's last message (code `already_answered`)."
    )
    failed: list[BulkFailure]


def bulk(request: HttpRequest, body: BulkIn) -> dict[str, Any]:
    """The endpoint's body; api.py registers it ahead of `/conversations/{id}`, which would take the
    path otherwise."""
    result = bulk_update(signed_in(request), body.ids, body.verb, body.value)
    return {
        "summary": result.summary(),
        "done": result.done,
        "held": result.held,
        "skipped": [{"id": f.id, "code": f.code, "detail": f.reason} for f in result.skipped],
        "failed": [{"id": f.id, "code": f.code, "detail": f.reason} for f in result.failed],
    }
