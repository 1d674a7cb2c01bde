"""The policy editor (validation errors with line and column) and the rendered policy documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from socialdesk.policy.actions import active_policy_version, save_policy
from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.render import render_internal, render_public, to_html
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Membership, Role, Workspace


def _workspace(request: HttpRequest) -> Workspace:
    """The workspace named by ?ws=slug, else the user's first; never one they are not a member of."""
    mine = workspaces_for(request.user).order_by("name")
    slug = request.GET.get("ws") or request.POST.get("ws")
    if slug:
        return get_object_or_404(mine, slug=slug)
    workspace = mine.first()
    if workspace is None:
        raise Http404("no workspace")
    return workspace


@login_required
def editor(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request)
    can_edit = Membership.objects.filter(
        workspace=workspace, user_id=request.user.pk or 0, role=Role.ADMIN
    ).exists()
    found = active_policy_version(workspace.pk)
    active = PolicyVersion.objects.filter(workspace=workspace, is_active=True).first()
    source = active.source if active else ""
    issues: list[object] = []
    message = ""
    status = 200
    if request.method == "POST":
        source = request.POST.get("source", "")
        try:
            policy = load_policy(source, source="policy")
        except PolicyError as error:
            issues, status = list(error.issues), 422
        else:
            if request.POST.get("intent") == "save":
                user = request.user
                if not can_edit or not isinstance(user, User):
                    return HttpResponse("Only a workspace admin may change the policy.", status=403)
                version = save_policy(workspace, source, author=user)
                return redirect(f"{request.path}?ws={workspace.slug}&saved={version.number}")
            message = f"Valid (version {policy.version}). Not saved yet."
    if request.GET.get("saved"):
        message = f"Saved as version {request.GET['saved']}; it is active now."
    versions = PolicyVersion.objects.filter(workspace=workspace).order_by("-number")[:20]
    return render(
        request,
        "web/policy_editor.html",
        {
            "workspace": workspace,
            "source": source,
            "issues": issues,
            "message": message,
            "can_edit": can_edit,
            "versions": versions,
            "active_number": found[0] if found else None,
        },
        status=status,
    )


@login_required
def document(request: HttpRequest, document: str) -> HttpResponse:
    workspace = _workspace(request)
    found = active_policy_version(workspace.pk)
    if found is None or document not in {"public", "internal"}:
        raise Http404("no such policy document")
    policy = found[1]
    markdown = render_public(policy) if document == "public" else render_internal(policy)
    if request.GET.get("format") == "md":
        return HttpResponse(markdown, content_type="text/markdown; charset=utf-8")
    return HttpResponse(to_html(markdown, f"{policy.brand} — {document} policy"))
