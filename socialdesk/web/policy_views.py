"""The policy editor (validation errors with line and column) and the rendered policy documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static

from socialdesk.errors import DeskError
from socialdesk.policy.actions import active_policy_version, save_policy
from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.render import render_internal, render_public, to_html
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import has_role, workspaces_for
from socialdesk.workspaces.models import Role, Workspace


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


def _editor_page(
    request: HttpRequest,
    workspace: Workspace,
    *,
    source: str | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    found = active_policy_version(workspace.pk)
    if source is None:
        active = PolicyVersion.objects.filter(workspace=workspace, is_active=True).first()
        source = active.source if active else ""
    if request.GET.get("saved"):
        extra["message"] = f"Saved as version {request.GET['saved']}; it is active now."
    context = {
        "workspace": workspace,
        "source": source,
        "issues": [],
        "message": "",
        "can_edit": has_role(workspace.pk, request.user.pk, (Role.ADMIN,)),
        "versions": PolicyVersion.objects.filter(workspace=workspace).order_by("-number")[:20],
        "active_number": found[0] if found else None,
        **extra,
    }
    return render(request, "web/policy_editor.html", context, status=status)


def _editor_error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    source = request.POST.get("source", "")
    return _editor_page(
        request, _workspace(request), source=source, status=error.status, desk_error=str(error)
    )


@login_required
@shows_desk_errors(_editor_error)
def editor(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request)
    if request.method != "POST":
        return _editor_page(request, workspace)
    source = request.POST.get("source", "")
    try:
        policy = load_policy(source, source="policy")
    except PolicyError as error:
        return _editor_page(request, workspace, source=source, status=422, issues=list(error.issues))
    if request.POST.get("intent") == "save":
        version = save_policy(workspace, source, author=signed_in(request))
        return redirect(f"{request.path}?ws={workspace.slug}&saved={version.number}")
    return _editor_page(
        request, workspace, source=source, message=f"Valid (version {policy.version}). Not saved yet."
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
    title = f"{policy.brand} — {document} policy"
    return HttpResponse(to_html(markdown, title, stylesheet=static("web/document.css")))
