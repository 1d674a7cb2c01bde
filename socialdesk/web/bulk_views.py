"""The inbox's bulk bar: the selected conversations and one verb, handed to the bulk action; back to
the same inbox (filters, sort and page kept) with what changed and what was refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialdesk.bulk.actions import bulk_update
from socialdesk.errors import DeskError
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.web.inbox_views import inbox_error

# The form field that carries each verb's value (tag and untag share the tag box).
VALUE_FIELDS = {
    "assign": "assign",
    "tag": "tag",
    "untag": "tag",
    "status": "status",
    "link": "link",
    "reply": "reply",
}
FAILURES_SHOWN = 20


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise DeskError("the selection holds something that is not a conversation number") from None


@login_required
@require_POST
@shows_desk_errors(inbox_error)
def bulk(request: HttpRequest) -> HttpResponse:
    # A button may carry its value with it ("status:resolved"); otherwise the verb's own field does.
    verb, _, value = request.POST.get("verb", "").partition(":")
    if not value:
        value = request.POST.get(VALUE_FIELDS.get(verb, ""), "")
    result = bulk_update(signed_in(request), _ids(request.POST.getlist("ids")), verb, value)
    report = messages.success if not result.failed else messages.warning
    report(request, result.summary())
    for skipped in result.skipped[:FAILURES_SHOWN]:
        messages.info(request, f"#{skipped.id} skipped: {skipped.reason}")
    if len(result.skipped) > FAILURES_SHOWN:
        messages.info(request, f"and {len(result.skipped) - FAILURES_SHOWN} more skipped")
    for failure in result.failed[:FAILURES_SHOWN]:
        messages.error(request, f"#{failure.id}: {failure.reason}")
    if len(result.failed) > FAILURES_SHOWN:
        messages.error(request, f"and {len(result.failed) - FAILURES_SHOWN} more")
    # Only a query string goes back into the inbox's own address (never somewhere else).
    query = QueryDict(request.POST.get("query", "").lstrip("?")).urlencode()
    return redirect(reverse("web:inbox") + (f"?{query}" if query else ""))
