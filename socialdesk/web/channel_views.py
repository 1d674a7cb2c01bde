"""Connected accounts: see them (never their secrets), connect one after the network accepted its
credentials, switch one off. Admins of a workspace manage its channels."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.channels.registry import display_name, networks
from socialdesk.channels.setup import (
    change_channel_settings,
    connect_channel,
    connectable,
    settings_fields,
    setup_fields,
    switch_channel,
)
from socialdesk.errors import DeskError, Forbidden
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Role, Workspace


def _missing_credentials(channel: Channel) -> bool:
    """A channel of a network that needs an account's credentials (an imported one, say) but has none:
    nothing can be received or sent through it until it is connected."""
    spec = networks().get(channel.network)
    return bool(spec and spec.setup_fields) and not channel.credentials


def _webhook_url(request: HttpRequest, channel: Channel) -> str:
    """Where the network delivers this channel's events; "" for a network that is polled, and for a
    channel without credentials (no signature could be checked)."""
    spec = networks().get(channel.network)
    if spec is None or not spec.webhook or _missing_credentials(channel):
        return ""
    return request.build_absolute_uri(reverse("hook", args=[channel.network, channel.pk]))


def _article(name: str) -> str:
    """ "an X account", "an Instagram account", "a Facebook account": by sound, so a capital letter
    read out as a letter (X, whose name starts with a vowel sound) takes "an"."""
    spelled = len(name) <= 3 and name.isupper()
    return "an" if name[:1] in ("AEFHILMNORSX" if spelled else "AEIOU") else "a"


def _admin_spaces(request: HttpRequest) -> list[Workspace]:
    return list(
        workspaces_for(request.user).filter(
            memberships__role=Role.ADMIN, memberships__user_id=request.user.pk or 0
        )
    )


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    channels = (
        Channel.objects.filter(workspace__in=workspaces_for(request.user))
        .select_related("workspace")
        # Credentials are decrypted only to tell whether there are any; they are never rendered.
        .only(
            "pk",
            "network",
            "handle",
            "name",
            "account_role",
            "is_active",
            "config",
            "credentials",
            "workspace__name",
        )
        .order_by("workspace__name", "network", "handle")
    )
    rows = [
        {
            "channel": c,
            "webhook": _webhook_url(request, c),
            "no_credentials": _missing_credentials(c),
            "settings": [(f, c.config.get(f.name, "")) for f in settings_fields(c.network)],
        }
        for c in channels
    ]
    context = {
        "rows": rows,
        "admin_spaces": _admin_spaces(request),
        "setup": [
            {"network": n, "name": display_name(n), "article": _article(display_name(n)), "fields": f}
            for n, f in connectable().items()
        ],
        "roles": AccountRole.choices,
        **extra,
    }
    return render(request, "web/channels.html", context, status=status)


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, setup_error=str(error))


@login_required
@shows_desk_errors(_error_page)
def channels(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    spaces = {str(w.pk): w for w in _admin_spaces(request)}
    workspace = spaces.get(request.POST.get("workspace", ""))
    network = request.POST.get("network", "")
    if workspace is None:
        raise Forbidden("only an admin of the brand connects its accounts")
    values = {f.name: request.POST.get(f.name, "") for f in setup_fields(network)}
    role = request.POST.get("role", AccountRole.BRAND)
    channel = connect_channel(
        workspace, network, values, role=role if role in AccountRole.values else AccountRole.BRAND
    )
    return _page(
        request, connected=f"{channel.get_network_display()} {channel.handle} connected to {workspace}"
    )


def _visible_channel(request: HttpRequest, channel_id: int) -> Channel:
    return get_object_or_404(
        Channel.objects.filter(workspace__in=workspaces_for(request.user)), pk=channel_id
    )


@login_required
@require_POST
@shows_desk_errors(_error_page)
def toggle_channel(request: HttpRequest, channel_id: int) -> HttpResponse:
    switch_channel(signed_in(request), _visible_channel(request, channel_id))
    return redirect("web:channels")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def channel_settings(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _visible_channel(request, channel_id)
    values = {f.name: request.POST.get(f.name, "") for f in settings_fields(channel.network)}
    changed = change_channel_settings(signed_in(request), channel, values)
    return _page(request, connected=f"{changed.get_network_display()} {changed.handle}: settings saved")
