"""The user's own API tokens: make one (shown once), see them, revoke them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from socialdesk.workspaces.actions import create_api_token, revoke_api_token
from socialdesk.workspaces.models import ApiToken


def _page(request: HttpRequest, **extra: object) -> HttpResponse:
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at", "-pk")
    return render(request, "web/tokens.html", {"tokens": tokens, **extra})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and isinstance(request.user, User):
        _, token = create_api_token(request.user, request.POST.get("name", ""))
        # Rendered, not redirected: this response is the only place the token ever appears.
        return _page(request, new_token=token)
    return _page(request)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if isinstance(request.user, User):
        revoke_api_token(request.user, token_id)
    return redirect("web:tokens")
