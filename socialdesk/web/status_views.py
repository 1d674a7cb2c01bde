"""The public status page of a workspace: no login, nothing internal, cheap to serve and cacheable.
Browsers and proxies may keep it a minute and revalidate with its ETag (a 304 costs two queries)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition, require_safe

from socialdesk.incidents.status import public_incidents, version_tag
from socialdesk.policy.actions import active_policy
from socialdesk.policy.render import html_fragment, render_public
from socialdesk.workspaces.models import Workspace

MAX_AGE = 60


def _etag(request: HttpRequest, slug: str) -> str | None:
    workspace = Workspace.objects.filter(slug=slug).first()
    return version_tag(workspace, timezone.now()) if workspace else None


@require_safe
@condition(etag_func=_etag)
def status_page(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_object_or_404(Workspace, slug=slug)
    now = timezone.now()
    policy = active_policy(workspace.pk)
    context = {
        "brand": policy.brand if policy else workspace.name,
        "incidents": public_incidents(workspace, now),
        # Rendered by the policy package with raw HTML escaped: safe to embed.
        "policy_html": mark_safe(html_fragment(render_public(policy))) if policy else "",  # noqa: S308
        "now": now,
    }
    response = render(request, "web/status.html", context)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
