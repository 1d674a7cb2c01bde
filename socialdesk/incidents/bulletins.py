"""Bulletins: a lead tells everyone about an incident once, per language, on the brand accounts the
policy names, instead of answering the same question hundreds of times. Updates continue the
bulletin's thread on each network. Every published bulletin shows on the workspace's public status
page, whose address is the incident's public link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from socialdesk.channels.models import Channel
from socialdesk.channels.registry import display_name, spec_for
from socialdesk.channels.spec import Capability
from socialdesk.errors import DeskError
from socialdesk.incidents.models import Bulletin, Incident, IncidentStatus
from socialdesk.outbox.models import Post
from socialdesk.outbox.queue import enqueue_post
from socialdesk.policy.actions import active_policy
from socialdesk.policy.checker import check_reply
from socialdesk.policy.schema import Policy
from socialdesk.reports import facts
from socialdesk.reports.models import FactKind
from socialdesk.workspaces.actions import LEAD_ROLES, require_role

MAX_BULLETIN = 2000
# The reply checker's rules about an agent's reply that a brand's own post does not follow: it is
# signed by the brand, not an agent.
NOT_FOR_POSTS = {"signature"}


def status_link(incident: Incident) -> str:
    """The incident's place on the workspace's public status page."""
    path = reverse("web:status_page", args=[incident.workspace.slug])
    return f"{settings.SOCIALDESK_PUBLIC_URL}{path}#incident-{incident.pk}"


def bulletin_channels(policy: Policy, workspace_id: int) -> list[Channel]:
    """The connected, active brand accounts the policy has post bulletins, on networks that let the
    desk publish (a sandbox channel counts as the network it simulates)."""
    named = {(a.network, a.handle.lower()) for a in policy.channels.accounts if a.bulletins}
    found = []
    for channel in Channel.objects.filter(workspace_id=workspace_id, is_active=True).order_by("pk"):
        if (channel.effective_network, channel.handle.lower()) not in named:
            continue
        if Capability.PUBLISH in spec_for(channel.network).capabilities:
            found.append(channel)
    return found


def draft_bulletin(incident: Incident, language: str) -> str:
    """A starting point the lead edits: what customers already read about the incident (its public
    text), with the status page link. Nothing internal (the title, the category) goes in."""
    about = incident.public_text or "We know about a problem affecting some customers and are working on it."
    return f"{about} Updates: {{incident_link}}"


@dataclass(frozen=True)
class Problem:
    network: str
    message: str


def check_bulletin(policy: Policy, text: str, channels: list[Channel]) -> list[Problem]:
    """The reply checker's verdict on the text as a public post on each account's network (its
    length as that network counts it included)."""
    problems: list[Problem] = []
    for network in dict.fromkeys(c.effective_network for c in channels):
        name = display_name(network)
        for violation in check_reply(policy, text, network=network, private=False):
            if violation.rule not in NOT_FOR_POSTS:
                problems.append(Problem(network, f"{name}: {violation.message.rstrip('.')}"))
    return problems


def _filled(incident: Incident, text: str) -> str:
    return " ".join(text.replace("{incident_link}", status_link(incident)).split())


def _thread_posts(incident: Incident, language: str) -> dict[int, Post]:
    """The first bulletin's post on each account in this language: updates answer it."""
    first = (
        incident.bulletins.filter(kind=Bulletin.Kind.BULLETIN, language=language, published_at__isnull=False)
        .order_by("published_at", "pk")
        .first()
    )
    return {p.channel_id: p for p in first.posts.all()} if first else {}


def publish_bulletin(
    actor: User | None, incident: Incident, language: str, text: str, now: datetime
) -> Bulletin:
    """Publish a bulletin (or, once one is out in this language, an update) on every bulletin account:
    checked first, then one post per account through the outbox, all in one transaction. The
    incident's public text and link become the bulletin's, so templates' {incident_public} and
    {incident_link} point at it."""
    require_role(actor, incident.workspace_id, LEAD_ROLES, "only leads and admins publish bulletins")
    language = language.strip().lower()
    if not language or len(language) > 8 or not language.replace("-", "").isalpha():
        raise DeskError("say which language the bulletin is in (e.g. en, es)")
    if incident.status != IncidentStatus.OPEN:
        raise DeskError("the incident is resolved: its fixed message was the last word")
    policy = active_policy(incident.workspace_id)
    if policy is None:
        raise DeskError("the workspace has no policy naming the accounts that post bulletins")
    channels = bulletin_channels(policy, incident.workspace_id)
    if not channels:
        raise DeskError("no account posts bulletins: mark one in the policy (channels.accounts[].bulletins)")
    filled = _filled(incident, text)
    if not filled:
        raise DeskError("the bulletin is empty")
    if len(filled) > MAX_BULLETIN:
        raise DeskError(f"a bulletin has at most {MAX_BULLETIN} characters")
    problems = check_bulletin(policy, filled, channels)
    if problems:
        raise DeskError("the bulletin cannot go out: " + "; ".join(p.message for p in problems))
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        thread = _thread_posts(locked, language)
        bulletin = Bulletin.objects.create(
            incident=locked,
            kind=Bulletin.Kind.UPDATE if thread else Bulletin.Kind.BULLETIN,
            language=language,
            text=filled,
            author=actor,
            created_at=now,
            published_at=now,
        )
        for channel in channels:
            post = Post.objects.create(
                workspace_id=locked.workspace_id,
                channel=channel,
                text=filled,
                continues=thread.get(channel.pk),
            )
            bulletin.posts.add(post)
            enqueue_post(post, now)
        facts.workspace_event(
            locked.workspace_id, FactKind.BULLETIN, now, f"bulletin:{bulletin.pk}", incident_id=locked.pk
        )
        locked.public_text = filled[:280]
        locked.public_url = status_link(locked)
        locked.save(update_fields=["public_text", "public_url"])
        incident.public_text, incident.public_url = locked.public_text, locked.public_url
    return bulletin
