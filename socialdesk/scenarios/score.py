"""Scoring a played scenario day against its truth labels: every decision the desk made (triage,
incident links, automatic messages, due times) next to what a careful lead recorded.

`Score.failures()` lists the thresholds the project holds itself to (CI runs `scenario score --check`
on the shipped days): no automatic message to a conversation labelled `auto_ok: false`; at least 98%
of automatic messages in the customer's language where the policy has a template for it; the
acknowledgment delay's p99 within the policy's minutes plus one tick; triage per field no lower than
recorded on each shipped day (TRIAGE_AT_LEAST).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import numpy as np

from socialdesk.channels.sandbox.scenario import Scenario
from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.policy.automation import ACKNOWLEDGMENT, UPDATE
from socialdesk.policy.clock import calendar_for
from socialdesk.policy.schema import Policy
from socialdesk.policy.templates import written_in
from socialdesk.scenarios.run import TICK
from socialdesk.workspaces.models import Workspace

LANGUAGE_SHARE_AT_LEAST = 0.98
# Issue 16: each incident's posts linked to one desk incident, and that incident mostly its posts.
INCIDENT_PRECISION_AT_LEAST = 0.9
INCIDENT_RECALL_AT_LEAST = 0.85
INCIDENT_SCORED_FROM = 10
TRIAGE_FIELDS = ("lang", "intent", "sentiment", "category")
# Issue 19: triage on the shipped days may not fall below what it scored when recorded (2026-12-07,
# the fast path, as the example policies leave refinement off), rounded down to the third decimal.
# Other days are scored, not held to these.
TRIAGE_AT_LEAST: dict[str, dict[str, float]] = {
    "nimbus_day.jsonl": {
        "lang_accuracy": 0.96,
        "intent_accuracy": 0.648,
        "sentiment_accuracy": 0.542,
        "category_accuracy": 0.55,
    },
    "pronto_day.jsonl": {
        "lang_accuracy": 0.982,
        "intent_accuracy": 0.563,
        "sentiment_accuracy": 0.507,
        "category_accuracy": 0.455,
    },
}


def _flag(truth: dict[str, str | bool], key: str) -> bool:
    value = truth.get(key, False)
    return value is True or value in ("yes", "true")


@dataclass
class Share:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return round(self.right / self.total, 4) if self.total else None

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1


@dataclass
class Detection:
    """Precision and recall of a yes/no label (personal data, legal threat, needs response)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        self.tp += truth and predicted
        self.fp += predicted and not truth
        self.fn += truth and not predicted

    def as_dict(self) -> dict[str, float | int | None]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {
            "precision": round(precision, 4) if precision is not None else None,
            "recall": round(recall, 4) if recall is not None else None,
            "positives": self.tp + self.fn,
        }


@dataclass
class IncidentScore:
    slug: str
    posts: int
    linked: int  # its posts linked to the desk incident that holds most of them
    desk_incident: str
    desk_incident_posts: int
    precision: float | None
    recall: float


@dataclass
class Score:
    scenario: str
    posts: int
    messages_found: int
    triage: dict[str, float | None] = field(default_factory=dict)
    detection: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    incidents: list[IncidentScore] = field(default_factory=list)
    desk_incidents: int = 0
    # Desk incidents that are no scenario incident's best match: opened for look-alikes.
    stray_incidents: list[str] = field(default_factory=list)
    automatic: dict[str, int] = field(default_factory=dict)
    to_auto_ok_false: list[str] = field(default_factory=list)
    language_share: float | None = None
    language_mismatches: list[str] = field(default_factory=list)
    ack_delay_minutes: dict[str, float | None] = field(default_factory=dict)
    ack_limit_minutes: float = 0
    ack_coverage: dict[str, int] = field(default_factory=dict)
    due_times: dict[str, float | int | None] = field(default_factory=dict)

    def failures(self) -> list[str]:
        out = []
        if self.to_auto_ok_false:
            out.append(
                f"{len(self.to_auto_ok_false)} automatic message(s) to conversations labelled auto_ok=false"
            )
        if self.language_share is not None and self.language_share < LANGUAGE_SHARE_AT_LEAST:
            out.append(
                f"{self.language_share:.1%} of automatic messages in the customer's language "
                f"(at least {LANGUAGE_SHARE_AT_LEAST:.0%} where the policy has a template)"
            )
        p99 = self.ack_delay_minutes.get("p99")
        if p99 is not None and p99 > self.ack_limit_minutes:
            out.append(f"acknowledgment delay p99 {p99} min exceeds {self.ack_limit_minutes} min")
        return [*out, *self.incident_failures(), *self.triage_failures()]

    def triage_failures(self) -> list[str]:
        out = []
        for name, floor in TRIAGE_AT_LEAST.get(self.scenario, {}).items():
            value = self.triage.get(name)
            if value is not None and value < floor:
                out.append(f"triage {name.replace('_', ' ')} {value:.3f} (recorded {floor:.3f})")
        return out

    def incident_failures(self) -> list[str]:
        """Issue 16: each incident's posts in one desk incident that is mostly theirs, and no incident
        opened for look-alikes. An incident of fewer than INCIDENT_SCORED_FROM posts is no burst the
        desk could see (a test day's single labelled post): it is scored, not held to the targets."""
        out = []
        for incident in self.incidents:
            if incident.posts < INCIDENT_SCORED_FROM:
                continue
            precision = incident.precision or 0.0
            if precision < INCIDENT_PRECISION_AT_LEAST or incident.recall < INCIDENT_RECALL_AT_LEAST:
                out.append(
                    f"incident {incident.slug}: linking precision {precision:.2f} "
                    f"recall {incident.recall:.2f} (at least {INCIDENT_PRECISION_AT_LEAST} "
                    f"and {INCIDENT_RECALL_AT_LEAST})"
                )
        if self.stray_incidents:
            out.append(
                f"{len(self.stray_incidents)} desk incident(s) opened for look-alikes: {self.stray_incidents}"
            )
        return out

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["failures"] = self.failures()
        return data


def _percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


def score_run(workspace: Workspace, scenario: Scenario, policy: Policy) -> Score:
    truth = scenario.truth()
    inbound = {
        m.network_message_id or "": m
        for m in Message.objects.filter(
            workspace_id=workspace.pk, direction=Direction.INBOUND, network_message_id__in=list(truth)
        ).select_related("conversation", "conversation__incident")
    }
    score = Score(scenario=scenario.path.name, posts=len(truth), messages_found=len(inbound))
    _score_triage(score, truth, inbound)
    _score_incidents(score, truth, inbound)
    _score_automatic(score, workspace, truth, inbound, policy)
    _score_due_times(score, truth, inbound)
    return score


def _score_triage(score: Score, truth: dict[str, dict[str, str | bool]], inbound: dict[str, Message]) -> None:
    shares = {name: Share() for name in TRIAGE_FIELDS}
    detections = {name: Detection() for name in ("personal_data", "legal_threat", "abuse", "needs_response")}
    for post_id, labels in truth.items():
        message = inbound.get(post_id)
        if message is None or not labels:
            continue
        predicted = {
            "lang": message.language,
            "intent": message.intent,
            "sentiment": message.sentiment,
            "category": message.category,
        }
        for name in TRIAGE_FIELDS:
            if name in labels and not (name == "category" and labels.get("intent") in ("spam", "abuse")):
                shares[name].add(predicted[name] == labels[name])
        detections["personal_data"].add(_flag(labels, "pii"), bool(message.personal_data))
        detections["legal_threat"].add(_flag(labels, "legal"), message.legal_threat)
        detections["abuse"].add(_flag(labels, "abuse") or labels.get("intent") == "abuse", message.abusive)
        if "needs_response" in labels:
            detections["needs_response"].add(_flag(labels, "needs_response"), message.needs_response)
    score.triage = {f"{name}_accuracy": share.value for name, share in shares.items()}
    score.detection = {name: d.as_dict() for name, d in detections.items()}


def _score_incidents(
    score: Score, truth: dict[str, dict[str, str | bool]], inbound: dict[str, Message]
) -> None:
    by_truth: dict[str, list[Message]] = defaultdict(list)
    by_desk: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, str] = {}
    for post_id, message in inbound.items():
        slug = truth[post_id].get("incident")
        if isinstance(slug, str) and slug:
            by_truth[slug].append(message)
        incident = message.conversation.incident
        if incident is not None:
            by_desk[incident.pk].append(post_id)
            titles[incident.pk] = incident.title
    score.desk_incidents = len(by_desk)
    matched: set[int] = set()
    for slug, messages in sorted(by_truth.items()):
        linked = Counter(m.conversation.incident_id for m in messages if m.conversation.incident_id)
        if not linked:
            score.incidents.append(IncidentScore(slug, len(messages), 0, "", 0, None, 0.0))
            continue
        desk_id, hits = linked.most_common(1)[0]
        matched.add(desk_id)
        members = by_desk[desk_id]
        right = sum(1 for post_id in members if truth[post_id].get("incident") == slug)
        score.incidents.append(
            IncidentScore(
                slug,
                len(messages),
                hits,
                titles[desk_id],
                len(members),
                round(right / len(members), 4),
                round(hits / len(messages), 4),
            )
        )
    score.stray_incidents = [
        f"{titles[pk]} ({len(by_desk[pk])} posts)" for pk in sorted(by_desk) if pk not in matched
    ]


def _customer_posts_before(conversation_id: int, at: datetime, inbound: dict[str, Message]) -> list[str]:
    return sorted(
        (p for p, m in inbound.items() if m.conversation_id == conversation_id and m.sent_at <= at),
        key=lambda p: inbound[p].sent_at,
    )


def _score_automatic(
    score: Score,
    workspace: Workspace,
    truth: dict[str, dict[str, str | bool]],
    inbound: dict[str, Message],
    policy: Policy,
) -> None:
    templated = {
        ACKNOWLEDGMENT: {written_in(policy, t) for t in policy.first_contact.templates},
        UPDATE: {written_in(policy, t) for t in policy.sla.still_working_templates()},
    }
    automatic = Message.objects.filter(
        workspace_id=workspace.pk, direction=Direction.OUTBOUND, automatic=True
    ).order_by("sent_at", "pk")
    kinds: Counter[str] = Counter()
    language = Share()
    delays: list[float] = []
    for message in automatic:
        kind = message.automatic_reason.split(":", 1)[0] or "automatic"
        kinds[kind] += 1
        posts = _customer_posts_before(message.conversation_id, message.sent_at, inbound)
        if not posts:
            continue
        if any(truth[p].get("auto_ok") is False for p in posts):
            score.to_auto_ok_false.append(f"{kind} to {posts[0]}: {message.text[:80]}")
        customer_language = str(truth[posts[-1]].get("lang", ""))
        if customer_language in templated.get(kind, set()):
            language.add(message.language == customer_language)
            if message.language != customer_language:
                score.language_mismatches.append(
                    f"{posts[-1]} writes {customer_language}, got {message.language}"
                )
        if kind == ACKNOWLEDGMENT:
            first_in = inbound[posts[0]].sent_at
            delays.append(_delay(policy, first_in, message.sent_at) / timedelta(minutes=1))
    score.automatic = {"total": sum(kinds.values()), **dict(sorted(kinds.items()))}
    score.language_share = language.value
    score.ack_delay_minutes = {
        "p50": _percentile(delays, 50),
        "p99": _percentile(delays, 99),
        "max": max(delays, default=None),
    }
    score.ack_limit_minutes = policy.first_contact.within_minutes + TICK / timedelta(minutes=1)
    _score_coverage(score, workspace, truth, inbound)


def _delay(policy: Policy, posted: datetime, sent: datetime) -> timedelta:
    """The acknowledgment's delay as the policy counts it: in opening hours when the policy keeps the
    desk quiet outside them (a post at 07:10 acknowledged at the 08:00 opening took 0 minutes)."""
    if policy.automation.business_hours_only:
        return calendar_for(policy.business_hours).elapsed(posted, sent)
    return sent - posted


def _score_coverage(
    score: Score, workspace: Workspace, truth: dict[str, dict[str, str | bool]], inbound: dict[str, Message]
) -> None:
    """How many conversations a lead would have been glad to see acknowledged got one: a gate that
    sends nothing passes every threshold, so the coverage is shown next to them."""
    first_posts: dict[int, str] = {}
    for post_id, message in sorted(inbound.items(), key=lambda item: item[1].sent_at):
        first_posts.setdefault(message.conversation_id, post_id)
    acknowledged = set(
        Message.objects.filter(
            workspace_id=workspace.pk, automatic=True, automatic_reason__startswith=ACKNOWLEDGMENT
        ).values_list("conversation_id", flat=True)
    )
    wanted = [cid for cid, post in first_posts.items() if truth[post].get("auto_ok") is True]
    score.ack_coverage = {
        "conversations": len(first_posts),
        "auto_ok_conversations": len(wanted),
        "acknowledged": sum(1 for cid in wanted if cid in acknowledged),
    }


def _score_due_times(
    score: Score, truth: dict[str, dict[str, str | bool]], inbound: dict[str, Message]
) -> None:
    """Due times the desk set where a person must answer, and how the day's agents did against them."""
    conversations = Conversation.objects.filter(pk__in={m.conversation_id for m in inbound.values()})
    needing = {m.conversation_id for p, m in inbound.items() if truth[p].get("needs_response") is True}
    minutes = []
    met = Share()
    for conversation in conversations:
        if conversation.pk not in needing:
            continue
        if conversation.first_response_due_at is None:
            continue
        minutes.append(
            (conversation.first_response_due_at - conversation.first_inbound_at) / timedelta(minutes=1)
        )
        if conversation.first_response_at is not None:
            met.add(conversation.first_response_at <= conversation.first_response_due_at)
    score.due_times = {
        "needing_response": len(needing),
        "with_due_time": len(minutes),
        "due_minutes_p50": _percentile(minutes, 50),
        "due_minutes_p90": _percentile(minutes, 90),
        "answered_by_agents": met.total,
        "answered_in_time": met.right,
    }
