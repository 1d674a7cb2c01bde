"""A year of a busy desk for `socialdesk bench reports`: conversations and messages inserted in bulk,
and the reporting facts those conversations would have produced (customer messages, openings, automatic
acknowledgments, responses, first responses, resolutions, reopenings, target verdicts met or missed,
ratings, incident bulletins), with their hourly rollups added through `reports.facts.add_to_rollups`.

Everything is drawn from one seeded generator and a fixed end moment, so a size and a seed always give
the same rows. Business hours are Monday to Friday, 08:00-20:00 UTC; targets are counted in them (the
policy's verdict, `met`) and in wall-clock time (`met_wall`), as the desk does."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from socialdesk.bench.inbox import WORDS
from socialdesk.bench.rows import Inserter, reset_sequences

CHANNELS = (
    ("x", "@bench_care"),
    ("x", "@bench"),
    ("facebook", "Bench Telecom"),
    ("facebook", "Bench Telecom Help"),
    ("instagram", "@bench.telecom"),
    ("whatsapp", "+34 600 000 000"),
    ("telegram", "@bench_bot"),
    ("email", "care@bench.example"),
)
CHANNEL_WEIGHTS = (22, 8, 18, 5, 14, 16, 5, 12)
TEAMS = ("care", "network", "billing", "retention", "social")
AGENTS = 50
CATEGORIES = (
    "line_problem",
    "technical",
    "billing",
    "management",
    "roaming",
    "coverage",
    "fibre",
    "router",
    "esim",
    "porting",
    "cancellation",
    "delivery",
    "store",
    "app_login",
    "offers",
)
# Which team a category goes to (index into TEAMS).
CATEGORY_TEAM = (1, 1, 2, 4, 0, 1, 1, 1, 0, 3, 3, 0, 4, 0, 3)
CATEGORY_WEIGHTS = (14, 12, 13, 8, 4, 9, 7, 6, 3, 4, 5, 4, 3, 5, 3)
LANGUAGES = ("en", "es", "pt", "fr", "de", "it")
LANGUAGE_WEIGHTS = (40, 30, 12, 8, 6, 4)
INTENTS = ("complaint", "question", "request", "praise", "spam", "other")
INTENT_WEIGHTS = (35, 30, 15, 8, 4, 8)
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_WEIGHTS = (40, 42, 18)
PRIORITIES = (1, 2, 3, 4)
PRIORITY_WEIGHTS = (10, 55, 25, 10)
# Minutes per target and priority (business hours), and the median minutes an agent takes to answer.
FIRST_MINUTES = {1: 240, 2: 60, 3: 30, 4: 15}
NEXT_MINUTES = {1: 480, 2: 120, 3: 60, 4: 30}
RESOLUTION_MINUTES = {1: 4320, 2: 1440, 3: 480, 4: 240}
ANSWER_MEDIAN = {1: 90.0, 2: 35.0, 3: 18.0, 4: 9.0}
# Share of customer messages per UTC hour (a morning and an evening peak) and per weekday.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13, 12, 11, 10, 10, 10, 11, 12, 12, 11, 9, 6, 4)
WEEKDAY_WEIGHTS = (1.15, 1.1, 1.05, 1.0, 0.95, 0.75, 0.7)
OPENS, CLOSES = time(8), time(20)
# The columns each kind of row is written with (socialdesk.bench.rows: the rest take their defaults).
CONTACT_COLUMNS = ("id", "workspace_id", "display_name")
CONVERSATION_COLUMNS = (
    "id",
    "workspace_id",
    "channel_id",
    "contact_id",
    "thread_key",
    "is_private",
    "status",
    "priority",
    "assignee_id",
    "team_id",
    "subject",
    "message_count",
    "first_inbound_at",
    "last_inbound_at",
    "last_message_at",
    "waiting",
    "waiting_since",
    "needs_response",
    "first_response_at",
    "resolved_at",
    "language",
    "sentiment",
    "intent",
    "category",
    "priority_score",
    "first_response_due_at",
    "resolution_due_at",
    "next_response_due_at",
    "ack_sent_at",
    "incident_id",
)
MESSAGE_COLUMNS = (
    "id",
    "workspace_id",
    "conversation_id",
    "channel_id",
    "direction",
    "is_private",
    "kind",
    "network_message_id",
    "contact_id",
    "author_user_id",
    "author_handle",
    "text",
    "sent_at",
    "delivery_status",
    "automatic",
    "language",
    "sentiment",
    "intent",
    "category",
)
# A fact's fields in the model's order, without the id (rows and positional instances both use it).
FACT_COLUMNS = (
    "workspace_id",
    "kind",
    "at",
    "key",
    "conversation_id",
    "network",
    "channel_id",
    "team_id",
    "agent_id",
    "category",
    "intent",
    "language",
    "priority",
    "sentiment",
    "incident_id",
    "target",
    "seconds",
    "business_seconds",
    "met",
    "met_wall",
    "score",
)
INCIDENTS = 26  # about one a fortnight, so that any 30-day period has some
CHUNK = 5000  # conversations per transaction


@dataclass
class Counts:
    conversations: int = 0
    messages: int = 0
    facts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "messages": self.messages,
            "facts": sum(self.facts.values()),
            "by_kind": dict(sorted(self.facts.items())),
        }


def business_seconds(start: datetime, end: datetime) -> float | None:
    if end - start > timedelta(days=120):
        return None
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            opens = datetime.combine(day, OPENS, UTC)
            closes = datetime.combine(day, CLOSES, UTC)
            overlap = (min(end, closes) - max(start, opens)).total_seconds()
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return total


def business_due(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` of business hours have passed since `start`."""
    left = timedelta(minutes=minutes)
    moment = start
    while True:
        day = moment.date()
        opens = datetime.combine(day, OPENS, UTC)
        closes = datetime.combine(day, CLOSES, UTC)
        if day.weekday() < 5 and moment < closes:
            moment = max(moment, opens)
            if moment + left <= closes:
                return moment + left
            left -= closes - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), UTC)


def next_opening(moment: datetime) -> datetime:
    return business_due(moment, 0)


class Generator:
    def __init__(self, conversations: int, end: datetime, seed: int, log: Callable[[str], None]) -> None:
        self.total = conversations
        self.end = end
        self.start = end - timedelta(days=365)
        self.rng = random.Random(seed)
        self.log = log
        self.counts = Counts()

    # -- the workspace --------------------------------------------------------------------------------

    def setup(self) -> None:
        from django.contrib.auth.models import User

        from socialdesk.channels.models import Channel
        from socialdesk.incidents.models import Incident
        from socialdesk.workspaces.actions import create_workspace, ensure_team
        from socialdesk.workspaces.models import Membership, Role

        self.workspace = create_workspace("bench", "Bench Telecom", timezone="Europe/Madrid")
        users = [User(username=f"agent{i:02d}", first_name=f"Agent {i:02d}") for i in range(AGENTS)]
        for user in users:
            user.set_unusable_password()  # hashing 50 passwords would take longer than the data
        self.agents = User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            [Membership(workspace=self.workspace, user=u, role=Role.AGENT) for u in self.agents]
        )
        self.teams = [ensure_team(self.workspace.pk, slug, slug.title()) for slug in TEAMS]
        self.team_agents: list[list[int]] = [[] for _ in TEAMS]
        for i, agent in enumerate(self.agents):
            self.team_agents[i % len(TEAMS)].append(agent.pk)
            self.teams[i % len(TEAMS)].members.add(agent)
        self.channels = [
            Channel.objects.create(workspace=self.workspace, network=network, handle=handle, name=handle)
            for network, handle in CHANNELS
        ]
        rng = self.rng
        self.incidents: list[tuple[int, datetime, datetime, int]] = []
        spacing = timedelta(days=365) / INCIDENTS
        for n in range(INCIDENTS):
            opened = (
                self.start + spacing * n + timedelta(hours=rng.uniform(0, spacing.total_seconds() / 7200))
            )
            opened = opened.replace(microsecond=0)
            resolved = opened + timedelta(hours=rng.uniform(2, 30))
            category = rng.choice(("line_problem", "coverage", "fibre", "app_login", "billing"))
            incident = Incident.objects.create(
                workspace=self.workspace,
                title=f"{category.replace('_', ' ').title()} outage #{n + 1}",
                category=category,
                status="resolved" if resolved < self.end else "open",
                opened_at=opened,
                resolved_at=resolved if resolved < self.end else None,
            )
            self.incidents.append((incident.pk, opened, resolved, CATEGORIES.index(category)))

    # -- when customers write -------------------------------------------------------------------------

    def arrivals(self) -> list[datetime]:
        """First-message moments for every conversation: a weekly shape, slow growth over the year, a
        daily curve with two peaks, and a burst during each incident."""
        rng = self.rng
        days = [self.start.date() + timedelta(days=n) for n in range(366)]
        weights = [WEEKDAY_WEIGHTS[d.weekday()] * (0.85 + 0.3 * n / 365) for n, d in enumerate(days)]
        bursts: dict[date, float] = {}
        for _, opened, _, _ in self.incidents:
            bursts[opened.date()] = bursts.get(opened.date(), 0) + 1.0
        weights = [w * (1 + bursts.get(d, 0)) for d, w in zip(days, weights, strict=True)]
        per_day = _apportion(self.total, weights)
        hours = list(range(24))
        moments: list[datetime] = []
        for day, count in zip(days, per_day, strict=True):
            base = datetime.combine(day, time(0), UTC)
            for hour in rng.choices(hours, HOUR_WEIGHTS, k=count):
                moment = base + timedelta(hours=hour, seconds=rng.randrange(3600))
                moments.append(moment)
        moments = [
            m if self.start <= m < self.end else self.start + (m - self.start) % (self.end - self.start)
            for m in moments
        ]
        moments.sort()
        return moments

    # -- one chunk of conversations at a time ---------------------------------------------------------

    def run(self) -> Counts:
        from django.db import transaction

        self.setup()
        moments = self.arrivals()
        # Message counts from 3 to 7, five on average, paired so that the total is exactly five each.
        sizes: list[int] = []
        for _ in range(self.total // 2):
            spread = self.rng.randint(-2, 2)
            sizes += [5 + spread, 5 - spread]
        if self.total % 2:
            sizes.append(5)
        self._bulletins()
        self._inserters()
        for first in range(0, self.total, CHUNK):
            last = min(first + CHUNK, self.total)
            with transaction.atomic():
                self._chunk(first, moments[first:last], sizes[first:last])
            self.log(
                f"seeded {last:,}/{self.total:,} conversations, {sum(self.counts.facts.values()):,} facts"
            )
        reset_sequences(*self.with_ids)
        return self.counts

    def _inserters(self) -> None:
        from django.db.models import Max

        from socialdesk.conversations.models import Contact, Conversation, Message
        from socialdesk.reports.models import Fact

        fields = tuple(f.attname for f in Fact._meta.concrete_fields if not f.primary_key)
        if fields != FACT_COLUMNS:
            raise RuntimeError(f"the Fact model changed: {fields}")
        self.with_ids = (Contact, Conversation, Message)
        self.ids = {m.__name__.lower(): m.objects.aggregate(top=Max("pk"))["top"] or 0 for m in self.with_ids}
        self.inserters = {
            "contact": Inserter(Contact, CONTACT_COLUMNS, self.end),
            "conversation": Inserter(Conversation, CONVERSATION_COLUMNS, self.end),
            "message": Inserter(Message, MESSAGE_COLUMNS, self.end),
            "fact": Inserter(Fact, FACT_COLUMNS, self.end),
        }

    def _bulletins(self) -> None:
        from socialdesk.reports.facts import add_to_rollups
        from socialdesk.reports.models import Fact, FactKind

        facts = []
        for pk, opened, resolved, _ in self.incidents:
            for n in range(self.rng.randint(2, 4)):
                at = opened + (resolved - opened) * (n / 4) + timedelta(minutes=20)
                if at < self.end:
                    facts.append(
                        Fact(
                            workspace=self.workspace,
                            kind=FactKind.BULLETIN,
                            at=at,
                            key=f"bulletin:{pk}:{n}",
                            incident_id=pk,
                        )
                    )
        Fact.objects.bulk_create(facts)
        add_to_rollups(facts)
        self.counts.facts.update(f.kind for f in facts)

    def _chunk(self, offset: int, moments: list[datetime], sizes: list[int]) -> None:
        from socialdesk.reports.facts import add_to_rollups

        rng = self.rng
        ids = range(self.ids["contact"] + 1, self.ids["contact"] + len(moments) + 1)
        self.ids["contact"] += len(moments)
        self.inserters["contact"].insert(
            (pk, self.workspace.pk, f"Customer {offset + i}") for i, pk in enumerate(ids)
        )
        plans = [
            self._plan(offset + i, moment, size)
            for i, (moment, size) in enumerate(zip(moments, sizes, strict=True))
        ]
        conversations = []
        for plan, contact_id in zip(plans, ids, strict=True):
            self.ids["conversation"] += 1
            conversations.append(self._conversation(plan, self.ids["conversation"], contact_id))
        self.inserters["conversation"].insert(
            tuple(getattr(c, name) for name in CONVERSATION_COLUMNS) for c in conversations
        )
        messages = []
        facts = []
        for plan, conversation in zip(plans, conversations, strict=True):
            first_id = self.ids["message"] + 1
            for j, step in enumerate(plan.steps):
                inbound = step.direction == "in"
                self.ids["message"] += 1
                messages.append(
                    (
                        self.ids["message"],
                        conversation.workspace_id,
                        conversation.pk,
                        conversation.channel_id,
                        step.direction,
                        conversation.is_private,
                        "mention" if inbound else "reply",
                        f"rb-{plan.index}-{j}",
                        conversation.contact_id if inbound else None,
                        step.agent,
                        "customer" if inbound else "brand",
                        " ".join(rng.choices(WORDS, k=rng.randint(5, 18))),
                        step.at,
                        "received" if inbound else "sent",
                        step.automatic,
                        conversation.language if inbound else "",
                        step.sentiment if inbound else "",
                        conversation.intent if inbound else "",
                        conversation.category if inbound else "",
                    )
                )
            facts += self._facts(plan, conversation, list(range(first_id, self.ids["message"] + 1)))
        self.inserters["message"].insert(messages)
        self.inserters["fact"].insert(tuple(f.__dict__[c] for c in FACT_COLUMNS) for f in facts)
        add_to_rollups(facts)
        self.counts.conversations += len(conversations)
        self.counts.messages += len(messages)
        self.counts.facts.update(f.kind for f in facts)

    # -- one conversation -----------------------------------------------------------------------------

    def _plan(self, index: int, first: datetime, size: int) -> Plan:
        rng = self.rng
        category = rng.choices(range(len(CATEGORIES)), CATEGORY_WEIGHTS)[0]
        incident = None
        for pk, opened, resolved, incident_category in self.incidents:
            if opened <= first < resolved and rng.random() < 0.6:
                incident, category = pk, incident_category
                break
        sentiment = rng.choices(SENTIMENTS, SENTIMENT_WEIGHTS)[0]
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        if incident is not None or (sentiment == "negative" and rng.random() < 0.3):
            priority = max(priority, 3)
        team = CATEGORY_TEAM[category]
        agent = rng.choice(self.team_agents[team])
        plan = Plan(
            index=index,
            first=first,
            channel=rng.choices(range(len(CHANNELS)), CHANNEL_WEIGHTS)[0],
            category=CATEGORIES[category],
            language=rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0],
            intent=rng.choices(INTENTS, INTENT_WEIGHTS)[0],
            sentiment=sentiment,
            priority=priority,
            team=team,
            agent=agent,
            incident=incident,
        )
        age = (self.end - first).total_seconds()
        # Most conversations older than a few days are resolved; the newest mostly are not.
        resolve = rng.random() < (0.97 if age > 3 * 86400 else 0.6 if age > 6 * 3600 else 0.2)
        unanswered = not resolve and rng.random() < 0.3
        ack = not unanswered and rng.random() < 0.3
        reopen = resolve and size >= 5 + ack and rng.random() < 0.06
        self._steps(plan, size, ack=ack, unanswered=unanswered)
        # Squeeze a conversation that would run past the end of the data into the time left.
        span = (plan.steps[-1].at - first).total_seconds()
        room = (self.end - first).total_seconds() * 0.8
        if span > room:
            for step in plan.steps:
                step.at = first + timedelta(seconds=int((step.at - first).total_seconds() * room / span))
        if resolve:
            plan.resolutions = self._resolutions(plan, reopen)
        return plan

    def _steps(self, plan: Plan, size: int, *, ack: bool, unanswered: bool) -> None:
        rng = self.rng
        moment = plan.first
        steps = [Step("in", moment, sentiment=plan.sentiment)]
        if ack:
            steps.append(Step("out", moment + timedelta(seconds=rng.randint(5, 90)), automatic=True))
        waiting = True
        while len(steps) < size:
            if unanswered or not waiting:
                moment = max(moment, steps[-1].at) + timedelta(minutes=rng.lognormvariate(math.log(40), 1.0))
                sentiment = plan.sentiment if rng.random() < 0.8 else rng.choice(SENTIMENTS)
                steps.append(Step("in", moment, sentiment=sentiment))
                waiting = True
            else:
                moment = self._answer_time(plan, max(moment, steps[-1].at))
                agent = plan.agent if rng.random() < 0.9 else rng.choice(self.team_agents[plan.team])
                steps.append(Step("out", moment, agent=agent))
                waiting = False
        plan.steps = steps

    def _answer_time(self, plan: Plan, since: datetime) -> datetime:
        rng = self.rng
        start = since
        # Out of hours, most customers wait for the desk to open (a few agents cover the night).
        if business_seconds(since, since + timedelta(seconds=1)) == 0 and rng.random() < 0.75:
            start = next_opening(since)
        minutes = rng.lognormvariate(math.log(ANSWER_MEDIAN[plan.priority]), 1.1)
        return (start + timedelta(minutes=minutes)).replace(microsecond=0)

    def _resolutions(self, plan: Plan, reopen: bool) -> list[tuple[datetime, int]]:
        """When the conversation was resolved (and by whom); a reopened one was resolved after an
        earlier agent message, then again after the customer wrote back and was answered."""
        rng = self.rng
        last = len(plan.steps) - 1
        outs = [i for i, s in enumerate(plan.steps) if s.direction == "out" and not s.automatic]
        if not outs:
            return []
        # Resolved after the last message (an answer, or the customer's thanks) ...
        points = [last]
        # ... and, when reopened, first after an earlier answer the customer then wrote back to.
        earlier = [i for i in outs if i < last and plan.steps[i + 1].direction == "in"]
        if reopen and earlier:
            points = [earlier[-1], last]
        found = []
        for i in points:
            step = plan.steps[i]
            limit = plan.steps[i + 1].at if i < last else self.end
            at = step.at + timedelta(minutes=rng.lognormvariate(math.log(30), 1.2))
            if at >= limit:
                at = step.at + (limit - step.at) / 2
            if at < self.end:
                found.append((at.replace(microsecond=0), step.agent or plan.agent))
        return found

    def _conversation(self, plan: Plan, pk: int, contact_id: int) -> Any:
        from socialdesk.conversations.models import Conversation

        channel = self.channels[plan.channel]
        steps = plan.steps
        inbound = [s for s in steps if s.direction == "in"]
        answered = [s for s in steps if s.direction == "out" and not s.automatic]
        resolved_at = plan.resolutions[-1][0] if plan.resolutions else None
        last_out = answered[-1].at if answered else None
        waiting = steps[-1].direction == "in" or (steps[-1].automatic and len(answered) == 0)
        waiting_since = None
        if waiting:
            since = [s.at for s in inbound if last_out is None or s.at > last_out]
            waiting_since = since[0] if since else None
        live = resolved_at is None or resolved_at < steps[-1].at
        status = "closed" if not live and self.rng.random() < 0.5 else "resolved"
        if live:
            status = "new" if not answered else ("open" if waiting else "pending")
        priority = plan.priority
        return Conversation(
            id=pk,
            workspace_id=self.workspace.pk,
            channel_id=channel.pk,
            contact_id=contact_id,
            thread_key=f"bench:{plan.index}",
            is_private=channel.network in ("whatsapp", "telegram", "email"),
            status=status,
            priority=priority,
            assignee_id=plan.agent if answered or self.rng.random() < 0.5 else None,
            team_id=self.teams[plan.team].pk,
            subject=" ".join(self.rng.choices(WORDS, k=6)),
            message_count=len(steps),
            first_inbound_at=plan.first,
            last_inbound_at=inbound[-1].at,
            last_message_at=steps[-1].at,
            waiting=waiting and live,
            waiting_since=waiting_since if live else None,
            needs_response=waiting and live,
            first_response_at=answered[0].at if answered else None,
            resolved_at=resolved_at if not live else None,
            language=plan.language,
            sentiment=plan.sentiment,
            intent=plan.intent,
            category=plan.category,
            priority_score=25 * priority - self.rng.randint(0, 20),
            first_response_due_at=business_due(plan.first, FIRST_MINUTES[priority]),
            resolution_due_at=business_due(plan.first, RESOLUTION_MINUTES[priority]),
            next_response_due_at=(
                business_due(waiting_since, NEXT_MINUTES[priority])
                if live and answered and waiting_since is not None
                else None
            ),
            ack_sent_at=steps[1].at if len(steps) > 1 and steps[1].automatic else None,
            incident_id=plan.incident,
        )

    def _facts(self, plan: Plan, conversation: Any, ids: list[int]) -> list[Any]:
        from socialdesk.reports.models import Fact, FactKind, Target

        base = {
            "workspace_id": conversation.workspace_id,
            "conversation_id": conversation.pk,
            "network": CHANNELS[plan.channel][0],
            "channel_id": conversation.channel_id,
            "team_id": conversation.team_id,
            "agent_id": None,
            "category": plan.category,
            "intent": plan.intent,
            "language": plan.language,
            "priority": plan.priority,
            "sentiment": plan.sentiment,
            "incident_id": plan.incident,
            "target": "",
            "seconds": None,
            "business_seconds": None,
            "met": None,
            "met_wall": None,
            "score": None,
        }

        def fact(kind: str, at: datetime, key: str, **extra: Any) -> Fact:
            row = {**base, "kind": kind, "at": at, "key": key, **extra}
            # Positional: Django's fast way to make an instance (two million of them).
            make: Any = Fact
            return make(None, *(row[c] for c in FACT_COLUMNS))  # type: ignore[no-any-return]

        def verdict(
            target: str,
            start: datetime,
            at: datetime,
            minutes: int,
            agent: int | None,
            key: str,
            pending: bool = False,
        ) -> Fact | None:
            """`pending`: nothing stopped the clock before the end of the data (a verdict only if missed)."""
            due = business_due(start, minutes)
            if pending and at <= due:
                return None
            if at > due:
                # The missed-target job records it at the due time, whatever happens later.
                if due >= self.end:
                    return None
                at, agent = due, conversation.assignee_id
            wall = (at - start).total_seconds()
            return fact(
                FactKind.SLA,
                at,
                key,
                agent_id=agent,
                target=target,
                seconds=wall,
                business_seconds=business_seconds(start, at),
                met=at <= due,
                met_wall=wall <= minutes * 60,
            )

        facts: list[Fact] = []
        priority = plan.priority
        facts.append(fact(FactKind.OPENED, plan.first, f"open:{conversation.pk}"))
        waiting_since: datetime | None = None
        first_done = False
        resolved = False
        verdicts: list[Fact | None] = []
        resolutions = list(plan.resolutions)
        for step, message_id in zip(plan.steps, ids, strict=True):
            while resolutions and resolutions[0][0] < step.at:
                facts += self._resolution(plan, conversation, fact, verdict, resolutions.pop(0), verdicts)
                resolved, waiting_since = True, None  # resolving stops the next-response clock
            if step.direction == "in":
                if resolved:
                    resolved = False
                    facts.append(fact(FactKind.REOPEN, step.at, f"reopen:{conversation.pk}:{message_id}"))
                facts.append(fact(FactKind.INBOUND, step.at, f"in:{message_id}", sentiment=step.sentiment))
                waiting_since = waiting_since or step.at
                continue
            if step.automatic:
                facts.append(fact(FactKind.AUTOMATIC, step.at, f"auto:{message_id}"))
                continue
            timing: dict[str, Any] = {}
            if waiting_since is not None:
                timing = {
                    "seconds": (step.at - waiting_since).total_seconds(),
                    "business_seconds": business_seconds(waiting_since, step.at),
                }
            facts.append(
                fact(FactKind.RESPONSE, step.at, f"resp:{message_id}", agent_id=step.agent, **timing)
            )
            if not first_done:
                first_done = True
                wall = (step.at - plan.first).total_seconds()
                due = business_due(plan.first, FIRST_MINUTES[priority])
                facts.append(
                    fact(
                        FactKind.FIRST_RESPONSE,
                        step.at,
                        f"first:{conversation.pk}",
                        agent_id=step.agent,
                        seconds=wall,
                        business_seconds=business_seconds(plan.first, step.at),
                        met=step.at <= due,
                        met_wall=wall <= FIRST_MINUTES[priority] * 60,
                    )
                )
                verdicts.append(
                    verdict(
                        Target.FIRST_RESPONSE,
                        plan.first,
                        step.at,
                        FIRST_MINUTES[priority],
                        step.agent,
                        f"sla:first_response:{conversation.pk}",
                    )
                )
            elif waiting_since is not None:
                due = business_due(waiting_since, NEXT_MINUTES[priority])
                verdicts.append(
                    verdict(
                        Target.NEXT_RESPONSE,
                        waiting_since,
                        step.at,
                        NEXT_MINUTES[priority],
                        step.agent,
                        f"sla:next_response:{conversation.pk}:{due.isoformat()}",
                    )
                )
            waiting_since = None
        for resolution in resolutions:
            facts += self._resolution(plan, conversation, fact, verdict, resolution, verdicts)
            waiting_since = None
        # Targets still open at the end of the data that came due unanswered: missed.
        if not first_done:
            verdicts.append(
                verdict(
                    Target.FIRST_RESPONSE,
                    plan.first,
                    self.end,
                    FIRST_MINUTES[priority],
                    None,
                    f"sla:first_response:{conversation.pk}",
                    pending=True,
                )
            )
        if not plan.resolutions:
            verdicts.append(
                verdict(
                    Target.RESOLUTION,
                    plan.first,
                    self.end,
                    RESOLUTION_MINUTES[priority],
                    None,
                    f"sla:resolution:{conversation.pk}",
                    pending=True,
                )
            )
        if waiting_since is not None and first_done:
            due = business_due(waiting_since, NEXT_MINUTES[priority])
            verdicts.append(
                verdict(
                    Target.NEXT_RESPONSE,
                    waiting_since,
                    self.end,
                    NEXT_MINUTES[priority],
                    None,
                    f"sla:next_response:{conversation.pk}:{due.isoformat()}",
                    pending=True,
                )
            )
        facts += [v for v in verdicts if v is not None]
        # Recording is idempotent on the key, as in the desk: two waits that fall due at the same
        # moment (both began out of hours) get one next-response verdict.
        unique: dict[str, Fact] = {}
        for each in facts:
            unique.setdefault(each.key, each)
        return list(unique.values())

    def _resolution(
        self,
        plan: Plan,
        conversation: Any,
        fact: Any,
        verdict: Any,
        resolution: tuple[datetime, int],
        verdicts: list[Any],
    ) -> list[Any]:
        from socialdesk.reports.models import FactKind, Target

        at, agent = resolution
        minutes = RESOLUTION_MINUTES[plan.priority]
        wall = (at - plan.first).total_seconds()
        due = business_due(plan.first, minutes)
        found = [
            fact(
                FactKind.RESOLUTION,
                at,
                f"resolved:{conversation.pk}:{at.isoformat()}",
                agent_id=agent,
                seconds=wall,
                business_seconds=business_seconds(plan.first, at),
                met=at <= due,
                met_wall=wall <= minutes * 60,
            )
        ]
        if not any(v is not None and v.target == Target.RESOLUTION for v in verdicts):
            verdicts.append(
                verdict(
                    Target.RESOLUTION, plan.first, at, minutes, agent, f"sla:resolution:{conversation.pk}"
                )
            )
            # Some customers rate the first resolution: mostly well when it was quick.
            rng = self.rng
            if rng.random() < 0.25 and at + timedelta(minutes=30) < self.end:
                good = at <= due and plan.sentiment != "negative"
                score = rng.choices((1, 2, 3, 4, 5), (3, 4, 10, 30, 53) if good else (14, 16, 25, 25, 20))[0]
                found.append(
                    fact(
                        FactKind.CSAT,
                        at + timedelta(minutes=30),
                        f"csat:{conversation.pk}",
                        agent_id=agent,
                        score=score,
                    )
                )
        return found


@dataclass
class Step:
    direction: str
    at: datetime
    agent: int | None = None
    automatic: bool = False
    sentiment: str = ""


@dataclass
class Plan:
    index: int
    first: datetime
    channel: int
    category: str
    language: str
    intent: str
    sentiment: str
    priority: int
    team: int
    agent: int
    incident: int | None
    steps: list[Step] = field(default_factory=list)
    resolutions: list[tuple[datetime, int]] = field(default_factory=list)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def seed_reports(
    conversations: int, end: datetime, seed: int = 17, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Fill a fresh database; the counts of what was written (the rollup rows included)."""
    from socialdesk.reports.models import Rollup

    counts = Generator(conversations, end, seed, log).run()
    return {**counts.as_dict(), "rollups": Rollup.objects.count()}
