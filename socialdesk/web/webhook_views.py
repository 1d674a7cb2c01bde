"""A workspace's outgoing webhooks, for its leads and admins: add one (its signing secret is shown
once), switch it off and on, send it a test, remove it, and see each recent delivery with every
attempt's answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.notifications.models import CHOOSABLE_KINDS, DeliveryStatus
from socialdesk.notifications.webhooks import (
    add_webhook,
    managed_workspaces,
    recent_deliveries,
    remove_webhook,
    send_test,
    set_webhook_active,
    summary_of_test,
    webhooks_of,
)
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = signed_in(request)
    hooks = [
        {"webhook": w, "deliveries": recent_deliveries(user, w.pk, limit=10)}
        for w in webhooks_of(user).order_by("workspace__name", "name", "pk")
    ]
    kinds = [(k.value, k.label) for k in CHOOSABLE_KINDS]
    context = {"hooks": hooks, "workspaces": managed_workspaces(user), "kinds": kinds, **extra}
    return render(request, "web/webhooks.html", context, status=status)


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, webhook_error=str(error))


@login_required
@shows_desk_errors(_error_page)
def webhooks(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    user = signed_in(request)
    workspace_id = request.POST.get("workspace", "")
    if not workspace_id.isdecimal():
        raise DeskError("say which workspace the webhook is for")
    workspace = get_object_or_404(managed_workspaces(user), pk=int(workspace_id))
    webhook, secret = add_webhook(
        user,
        workspace,
        request.POST.get("name", ""),
        request.POST.get("url", ""),
        request.POST.getlist("kinds"),
    )
    # Rendered, not redirected: this response is the only place the secret ever appears.
    return _page(request, new_webhook=webhook, new_secret=secret)


@login_required
@require_POST
@shows_desk_errors(_error_page)
def toggle(request: HttpRequest, webhook_id: int) -> HttpResponse:
    set_webhook_active(signed_in(request), webhook_id, request.POST.get("active") == "1")
    return redirect("web:webhooks")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def remove(request: HttpRequest, webhook_id: int) -> HttpResponse:
    remove_webhook(signed_in(request), webhook_id)
    return redirect("web:webhooks")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def test(request: HttpRequest, webhook_id: int) -> HttpResponse:
    delivery = send_test(signed_in(request), webhook_id)
    return _page(request, test_done=summary_of_test(delivery), test_ok=delivery.status == DeliveryStatus.SENT)
