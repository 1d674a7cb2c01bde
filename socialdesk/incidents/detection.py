"""Detecting incidents from the posts themselves, not from one triage label.

When something breaks, many people post about it at once, in their own words and languages. The
detector watches the rate of new posts: while it is usual nothing is embedded (ingest stays fast).
When the last half hour holds clearly more than the workspace usually sees at that time of day (its
own history; the policy's `crisis.min_similar_posts` is the least), it looks for the densest group of
alike posts in that half hour (incidents.likeness) and, when the group is big enough, opens an
incident with a draft title and summary and links the group's conversations. While the incident is
active (a post joined in the last ACTIVE_GAP) each new post is compared with its posts and joins when
the join model says it is alike. Posts that say their trouble is days old or not the outage
(incidents.cues) never join, nor posts about another city when the incident is local (incidents.places).

The e5 model lives in triage, a sibling layer: the caller passes the embedding function.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from django.db import connection, transaction
from numpy.typing import NDArray

from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.incidents.cues import fold, other_problem
from socialdesk.incidents.likeness import (
    JoinModel,
    Post,
    elsewhere,
    features,
    join_model,
    lexical_form,
    main_place,
    posts_from,
)
from socialdesk.incidents.models import DetectedBy, Incident, IncidentStatus, PostMeaning
from socialdesk.incidents.places import City, cities_in
from socialdesk.notifications.models import Kind
from socialdesk.notifications.notify import notify
from socialdesk.policy.schema import Policy
from socialdesk.workspaces.models import Workspace

Embed = Callable[[Sequence[str]], NDArray[np.float32]]

BURST = timedelta(minutes=30)
ACTIVE_GAP = timedelta(minutes=45)
# The usual rate: the same half hour on each of the last two weeks' days that had posts; with less
# history than MIN_HISTORY_DAYS, the rate of the hours before the burst on the same day.
HISTORY_DAYS = 14
MIN_HISTORY_DAYS = 3
TRAILING = timedelta(hours=6)
# Posts before the burst that set the usual post's vector (the centre), at most this many.
BACKGROUND_POSTS = 60
MIN_BACKGROUND = 10
# The incident's first posts a new post is compared with (one per conversation).
MEMBERS_COMPARED = 80
DEFAULT_MIN_POSTS = 5
# Growing the first group compares a post with a handful of others, a noisier judgement than joining
# an incident of many posts (what the join model was trained on): only clear likeness founds one.
FOUNDING_PROBABILITY = 0.6
FOUNDING_SPAN = timedelta(minutes=15)
STILL_BURSTING = 3
# A spike is told only with this much history before the half hour (else "usually about 0" is a guess).
SPIKE_HISTORY = timedelta(hours=2)
# An incident is over when its last BURST holds less than this share of its busiest BURST: measured on
# the scenario days (docs/incident-detection.md), a quarter ends the lunch-time card outage before the
# evening's delivery complaints and keeps a two-hour outage open to its last posts.
PEAK_SHARE = 0.25


def min_posts(policy: Policy) -> int:
    return policy.crisis.min_similar_posts if policy.crisis is not None else DEFAULT_MIN_POSTS


def brand_words(policy: Policy) -> frozenset[str]:
    """The brand's own names: shared by every post, they say nothing about which problem."""
    words: set[str] = set()
    listening = policy.listening
    if listening is not None:
        for term in [*listening.terms, *listening.handles, *listening.misspellings]:
            words.update(fold(term).lstrip("@").replace(".", " ").split())
    return frozenset(w for w in words if len(w) > 2)


def detect_incident(policy: Policy, message: Message, at: datetime, embed: Embed) -> Incident | None:
    """The burst incident this customer post belongs to, opening one when a burst starts; None when
    it is part of no incident."""
    conversation = message.conversation
    if conversation.incident_id is not None:
        incident = Incident.objects.filter(pk=conversation.incident_id, status=IncidentStatus.OPEN).first()
        if incident is not None and incident.detected_by == DetectedBy.BURST:
            Incident.objects.filter(pk=incident.pk).update(last_post_at=at)
        return incident
    if not _candidate(message):
        return None
    joined = _join_active(policy, message, at, embed)
    if joined is not None:
        return joined
    return _open_on_burst(policy, message, at, embed)


def _candidate(message: Message) -> bool:
    return (
        message.direction == Direction.INBOUND
        and message.intent != "spam"
        and not other_problem(message.text)
    )


# --- joining an active incident ---------------------------------------------------------------------


def _join_active(policy: Policy, message: Message, at: datetime, embed: Embed) -> Incident | None:
    recent = Incident.objects.filter(
        workspace_id=message.workspace_id,
        status=IncidentStatus.OPEN,
        detected_by=DetectedBy.BURST,
        last_post_at__gte=at - ACTIVE_GAP,
    )
    active = [incident for incident in recent if _still_bursting(incident, at)]
    if not active:
        return None
    model = join_model()
    words = brand_words(policy)
    best: tuple[float, Incident] | None = None
    for incident in active:
        centre = np.frombuffer(bytes(incident.centre), dtype=np.float32)
        members = _member_messages(incident)
        if not members:
            continue
        vectors = _meanings([message, *members], embed)
        posts = posts_from([m.text for m in [message, *members]], vectors, words, centre)
        place = _city(incident.place)
        probability = float(model.probability(features(posts[0], posts[1:], place)[None, :])[0])
        if probability >= model.threshold and (best is None or probability > best[0]):
            best = (probability, incident)
    if best is None:
        return None
    incident = best[1]
    _link(incident, [message.conversation_id], at)
    _sweep(policy, incident, at, embed)
    return incident


def _sweep(policy: Policy, incident: Incident, at: datetime, embed: Embed) -> None:
    """Now that the incident has grown, the last BURST's posts it did not take (already embedded when
    they came) are compared again: a burst's first posts in a language it had few of join late."""
    known = set(
        PostMeaning.objects.filter(workspace_id=incident.workspace_id, sent_at__gt=at - BURST).values_list(
            "message_id", flat=True
        )
    )
    members = _member_messages(incident)
    if not members:
        return
    # From the incident's first post on: what came before was the traffic the burst rose from.
    started = min(m.sent_at for m in members)
    waiting = [m for m in _window_posts(incident.workspace_id, at) if m.pk in known and m.sent_at >= started]
    if not waiting:
        return
    rows = [*waiting, *members]
    vectors = _meanings(rows, embed)
    centre = np.frombuffer(bytes(incident.centre), dtype=np.float32)
    posts = posts_from([m.text for m in rows], vectors, brand_words(policy), centre)
    chosen = np.asarray(
        [features(post, posts[len(waiting) :], _city(incident.place)) for post in posts[: len(waiting)]]
    )
    model = join_model()
    alike = [
        m.conversation_id
        for m, p in zip(waiting, model.probability(chosen), strict=True)
        if p >= model.threshold
    ]
    if alike:
        _link(incident, alike, at)


def _still_bursting(incident: Incident, at: datetime) -> bool:
    """People are still posting about it: in the last BURST, at least STILL_BURSTING of its customer
    posts and PEAK_SHARE of its busiest BURST so far. A lone post now and then keeps nothing open (each
    would pull the next one in), and neither does the trickle of look-alikes a busy desk always has
    once the burst has passed: an incident is over when its rate falls far below its peak."""
    times = list(
        Message.objects.filter(conversation__incident=incident, direction=Direction.INBOUND, sent_at__lte=at)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    now = sum(1 for sent in times if sent > at - BURST)
    return now >= max(STILL_BURSTING, PEAK_SHARE * busiest(times))


def busiest(times: Sequence[datetime]) -> int:
    """The most of `times` (sorted) within any one BURST."""
    most, start = 0, 0
    for end, sent in enumerate(times):
        while sent - times[start] >= BURST:
            start += 1
        most = max(most, end - start + 1)
    return most


def _member_messages(incident: Incident) -> list[Message]:
    """The incident's first customer posts, one per conversation: a new post is compared with what the
    incident was about when it opened, so that a few posts wrongly taken in cannot drift it away."""
    rows = (
        Message.objects.filter(conversation__incident=incident, direction=Direction.INBOUND)
        .exclude(intent="spam")
        .order_by("sent_at")[: MEMBERS_COMPARED * 2]
    )
    seen: set[int] = set()
    members: list[Message] = []
    for row in rows:
        if row.conversation_id not in seen and not other_problem(row.text):
            seen.add(row.conversation_id)
            members.append(row)
    return members[:MEMBERS_COMPARED]


# --- opening on a burst -----------------------------------------------------------------------------


def usual_count(workspace_id: int, at: datetime) -> float:
    """How many conversations usually get a customer post in the BURST before `at`: the same half
    hour of the last two weeks' days that had posts or, with less history, the hours before."""
    inbound = Message.objects.filter(workspace_id=workspace_id, direction=Direction.INBOUND).exclude(
        intent="spam"
    )

    def conversations(start: datetime, end: datetime) -> int:
        return (
            inbound.filter(sent_at__gt=start, sent_at__lte=end).values("conversation_id").distinct().count()
        )

    days = []
    for back in range(1, HISTORY_DAYS + 1):
        then = at - timedelta(days=back)
        if inbound.filter(
            sent_at__gt=then - timedelta(hours=12), sent_at__lte=then + timedelta(hours=12)
        ).exists():
            days.append(conversations(then - BURST, then))
    if len(days) >= MIN_HISTORY_DAYS:
        return sum(days) / len(days)
    first = (
        inbound.filter(sent_at__gt=at - BURST - TRAILING, sent_at__lte=at - BURST)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    if first is None:
        return 0.0
    return conversations(first - timedelta(microseconds=1), at - BURST) * (
        BURST / max(at - BURST - first, BURST)
    )


def spike_needs(policy: Policy, usual: float) -> int:
    """Alike posts in the last BURST that make a spike: the usual count of such posts and three of
    its standard deviations (Poisson), at least the policy's minimum above it."""
    return math.ceil(usual + max(min_posts(policy), 3 * math.sqrt(usual)))


def _open_on_burst(policy: Policy, message: Message, at: datetime, embed: Embed) -> Incident | None:
    window = _window_posts(message.workspace_id, at)
    # Nothing is embedded unless the half hour holds the policy's minimum and more than it usually does.
    if len(window) < min_posts(policy):
        return None
    usual = usual_count(message.workspace_id, at)
    if len(window) <= usual:
        return None
    if len(window) >= spike_needs(policy, usual) and _has_history(message.workspace_id, at):
        _tell_spike(message.workspace_id, len(window), usual, at)
    background = list(
        Message.objects.filter(
            workspace_id=message.workspace_id,
            direction=Direction.INBOUND,
            sent_at__gt=at - BURST - TRAILING,
            sent_at__lte=at - BURST,
        )
        .exclude(intent="spam")
        .order_by("-sent_at")[:BACKGROUND_POSTS]
    )
    vectors = _meanings([*window, *background], embed)
    centre_rows = vectors[len(window) :] if len(background) >= MIN_BACKGROUND else vectors
    centre = np.asarray(centre_rows.mean(axis=0), dtype=np.float32)
    words = brand_words(policy)
    posts = posts_from([m.text for m in [*window, *background]], vectors, words, centre)
    group = densest_group(posts[: len(window)], [m.sent_at for m in window])
    usual = _usual_alike(posts[len(window) :], [posts[i] for i in group], background, at)
    if len(group) < spike_needs(policy, usual):
        return None
    members = [window[i] for i in group]
    with transaction.atomic():
        _lock_workspace(message.workspace_id)
        if Conversation.objects.filter(
            pk__in=[m.conversation_id for m in members], incident__isnull=False
        ).exists():
            return None  # another worker opened it a moment ago
        place = main_place([posts[i] for i in group])
        incident = Incident.objects.create(
            workspace_id=message.workspace_id,
            title=draft_title(members, [m.text for m in background], words, place),
            category="",
            detected_by=DetectedBy.BURST,
            opened_at=at,
            last_post_at=at,
            place=place.name if place else "",
            summary=draft_summary(members, place),
            centre=centre.tobytes(),
        )
        _link(incident, [m.conversation_id for m in members], at)
        notify(
            incident.workspace_id,
            Kind.INCIDENT_OPENED,
            incident.title,
            incident=incident,
            key=f"incident_opened:{incident.pk}",
            at=at,
        )
    return incident if message in members else None


def _has_history(workspace_id: int, at: datetime) -> bool:
    """Enough past posts to say what is usual: a desk's first posts of the day are no spike."""
    return Message.objects.filter(
        workspace_id=workspace_id, direction=Direction.INBOUND, sent_at__lte=at - BURST - SPIKE_HISTORY
    ).exists()


def _tell_spike(workspace_id: int, posts: int, usual: float, at: datetime) -> None:
    """Far more posts than usual, whatever they are about: the leads hear once per half hour."""
    bucket = int(at.timestamp() // BURST.total_seconds())
    notify(
        workspace_id,
        Kind.SPIKE,
        f"{posts} customer posts in the last 30 minutes; usually about {usual:.0f}",
        link="/",
        key=f"spike:{bucket}",
        at=at,
    )


def _usual_alike(
    background: Sequence[Post], group: Sequence[Post], rows: Sequence[Message], at: datetime
) -> float:
    """How many posts alike the group's the workspace usually gets in a BURST: the background posts
    the join model finds alike, at the background's rate."""
    if not background:
        return 0.0
    place = main_place(group)
    probability = join_model().probability(np.asarray([features(post, group, place) for post in background]))
    alike = int((probability >= join_model().threshold).sum())
    span = max(at - BURST - min(m.sent_at for m in rows), BURST)
    return alike * (BURST / span)


def _window_posts(workspace_id: int, at: datetime) -> list[Message]:
    """The customer posts of the last BURST not yet in an incident, one per conversation (its latest),
    without spam or posts that say they are another problem."""
    rows = (
        Message.objects.filter(
            workspace_id=workspace_id,
            direction=Direction.INBOUND,
            sent_at__gt=at - BURST,
            sent_at__lte=at,
            conversation__incident__isnull=True,
        )
        .exclude(intent="spam")
        .order_by("-sent_at")
    )
    seen: set[int] = set()
    out: list[Message] = []
    for row in rows:
        if row.conversation_id in seen:
            continue
        seen.add(row.conversation_id)
        if not other_problem(row.text):
            out.append(row)
    return out[::-1]


def densest_group(posts: Sequence[Post], times: Sequence[datetime]) -> list[int]:
    """Indexes of the largest set of alike posts: start from the post most like its three nearest,
    with those three, then add the post the join model finds most alike while it is clearly alike;
    then, against that core, every post it finds alike."""
    if len(posts) < 2:
        return list(range(len(posts)))
    meaning = np.asarray([p.meaning for p in posts])
    chars = np.asarray([p.chars for p in posts])
    alike = meaning @ meaning.T + chars @ chars.T
    np.fill_diagonal(alike, -np.inf)
    nearest = min(3, len(posts) - 1)
    density = np.sort(alike, axis=1)[:, ::-1][:, :nearest].mean(axis=1)
    # The core is found among the latest posts, where the burst is, not in the traffic it rose from.
    latest = max(times)
    recent = [i for i in range(len(posts)) if times[i] >= latest - FOUNDING_SPAN]
    if len(recent) > nearest:
        earlier = [i for i in range(len(posts)) if i not in recent]
        density[earlier] = -np.inf
        alike[:, earlier] = -np.inf
    seed = int(np.argmax(density))
    group = [seed, *[int(j) for j in np.argsort(alike[seed])[::-1][:nearest]]]
    model = join_model()
    # First the clear core, then what joining would take in, against the core: posts from the core's
    # first on (what came before it was the usual traffic the burst rose from).
    _grow(posts, group, model, max(model.threshold, FOUNDING_PROBABILITY), range(len(posts)))
    started = min(times[i] for i in group)
    _grow(posts, group, model, model.threshold, [i for i in range(len(posts)) if times[i] >= started])
    # A post that joined before the group's place was clear, about another city, is not of it.
    place = main_place([posts[i] for i in group])
    if place is not None:
        group = [i for i in group if not elsewhere(posts[i], place)]
    return sorted(group)


def _grow(
    posts: Sequence[Post], group: list[int], model: JoinModel, least: float, eligible: Iterable[int]
) -> None:
    eligible = list(eligible)
    while True:
        rest = [i for i in eligible if i not in group]
        if not rest:
            return
        place = main_place([posts[i] for i in group])
        chosen = np.asarray([features(posts[i], [posts[g] for g in group], place) for i in rest])
        probability = model.probability(chosen)
        best = int(np.argmax(probability))
        if probability[best] < least:
            return
        group.append(rest[best])


# --- shared -------------------------------------------------------------------------------------------


def _meanings(messages: Sequence[Message], embed: Embed) -> NDArray[np.float32]:
    """The e5 vectors of the messages, embedding (and keeping) only those not seen before."""
    known = {
        row.message_id: np.frombuffer(bytes(row.vector), dtype=np.float32)
        for row in PostMeaning.objects.filter(message_id__in=[m.pk for m in messages])
    }
    missing = [m for m in messages if m.pk not in known]
    if missing:
        fresh = np.asarray(embed([m.text for m in missing]), dtype=np.float32)
        PostMeaning.objects.bulk_create(
            [
                PostMeaning(
                    workspace_id=m.workspace_id, message_id=m.pk, sent_at=m.sent_at, vector=row.tobytes()
                )
                for m, row in zip(missing, fresh, strict=True)
            ],
            ignore_conflicts=True,
        )
        known.update({m.pk: row for m, row in zip(missing, fresh, strict=True)})
    return np.asarray([known[m.pk] for m in messages], dtype=np.float32)


def _link(incident: Incident, conversation_ids: Sequence[int], at: datetime) -> None:
    Conversation.objects.filter(pk__in=conversation_ids, incident__isnull=True).update(incident=incident)
    count = Conversation.objects.filter(incident=incident).count()
    Incident.objects.filter(pk=incident.pk).update(conversation_count=count, last_post_at=at)
    incident.conversation_count, incident.last_post_at = count, at


def _lock_workspace(workspace_id: int) -> None:
    """Two workers seeing the same burst open one incident: the second waits here, then finds the
    conversation linked. (SQLite serializes writers already.)"""
    if connection.features.has_select_for_update:
        list(Workspace.objects.select_for_update().filter(pk=workspace_id).values_list("pk", flat=True))


def _city(name: str) -> City | None:
    if not name:
        return None
    found = cities_in(name)
    return found[0] if found else None


def draft_title(
    members: Sequence[Message], background: Sequence[str], brand: frozenset[str], place: City | None
) -> str:
    """What the burst's posts say more than usual posts: its most telling words, with the place. Words
    every post uses ("para", "with") are as common before the burst, so they rank low."""

    common = function_words()

    def words(text: str) -> set[str]:
        return {
            w for w in lexical_form(text, brand).split() if len(w) >= 4 and w.isalpha() and w not in common
        }

    inside = Counter(w for m in members for w in words(m.text))
    usual = Counter(w for text in background for w in words(text))
    telling = sorted(
        inside,
        key=lambda w: (inside[w] / len(members) - usual[w] / max(1, len(background)), inside[w]),
        reverse=True,
    )
    if place is not None:
        telling = [w for w in telling if w != fold(place.name)]
    about = ", ".join(telling[:4]) or "one problem"
    where = f"{place.name}: " if place is not None else ""
    # No count: it would be stale at the next post; the incident shows its conversations.
    return f"{where}{about}"[:200]


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words of the desk's languages that say nothing about a problem ("tengo", "estou", "because"),
    accent-folded: spaCy's stop-word lists (no model is loaded)."""
    words: set[str] = set()
    for language in ("en", "es", "pt", "fr", "de", "it", "nl", "ca", "pl"):
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
        words.update(fold(word) for word in module.STOP_WORDS)
    return frozenset(words)


def draft_summary(members: Sequence[Message], place: City | None) -> str:
    """For the lead: how many, in which languages and on which networks, and three posts as written
    (masked where they hold personal data)."""
    languages = Counter(m.language or "?" for m in members)
    networks = Counter(m.channel.network for m in members)
    start, end = min(m.sent_at for m in members), max(m.sent_at for m in members)
    minutes = max(1, round((end - start).total_seconds() / 60))
    lines = [
        f"{len(members)} posts in {minutes} min"
        + (f", most naming {place.name}" if place is not None else "")
        + ". Languages: "
        + ", ".join(f"{code} {n}" for code, n in languages.most_common())
        + ". Networks: "
        + ", ".join(f"{name} {n}" for name, n in networks.most_common())
        + "."
    ]
    for m in members[:3]:
        text = " ".join((m.masked_text if m.masked_text is not None else m.text).split())
        lines.append(f"“{text[:140]}”")
    return "\n".join(lines)
