"""Every report the dashboard shows, by name. Each builder reads rollups (counts, sums, shares) and,
for medians and the 90th percentile, the facts' durations in the period; none scans conversations
except the backlog, which is about now and reads the inbox's own index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils import timezone

from socialdesk.conversations.models import Conversation, Status
from socialdesk.incidents.models import Incident
from socialdesk.reports.models import FactKind, Target
from socialdesk.reports.summaries import rollups
from socialdesk.reports.summaries.labels import filter_value, names
from socialdesk.reports.summaries.period import Period
from socialdesk.reports.summaries.report import Cell, Column, Report

TARGETS = (Target.FIRST_RESPONSE, Target.NEXT_RESPONSE, Target.RESOLUTION)
PRIORITY_ORDER = ("4", "3", "2", "1")
SENTIMENTS = ("negative", "neutral", "positive")
# Response-time bands a lead reads at a glance (upper bounds in minutes; the last is open-ended).
BANDS = ((15, "under 15 min"), (60, "15-60 min"), (240, "1-4 h"), (1440, "4-24 h"), (None, "over 24 h"))
AGE_BANDS = ((1, "under 1 h"), (4, "1-4 h"), (24, "4-24 h"), (72, "1-3 days"), (None, "over 3 days"))
TOP_CATEGORIES = 12


# What each report is called (pages, schedules, exports).
TITLES = {
    "volume": "Volume by day",
    "hours": "Volume by hour of day",
    "response_times": "Response and resolution times",
    "time_bands": "How long customers waited",
    "sla": "Response targets met, by priority",
    "sentiment": "Sentiment of customer messages by day",
    "intents": "Intent of customer messages by day",
    "categories": "Top categories",
    "networks": "Networks",
    "agents": "Agents",
    "teams": "Teams",
    "csat": "Customer satisfaction (CSAT)",
    "backlog": "Backlog now: customers waiting, by how long",
    "incidents": "Incidents on the timeline",
}


def link(period: Period, fact: str, filters: dict[str, str] | None = None, *, day: date | None = None) -> str:
    """The inbox filtered to the conversations behind a number: those with such a fact in the
    period (or on one day), narrowed by the dimension's own inbox filter."""
    if day is not None:
        after = datetime.combine(day, time(0), period.zone)
        before = after + timedelta(days=1)
    else:
        after, before = period.start, period.end
    query = {"fact": fact, "after": after.isoformat(), "before": before.isoformat(), **(filters or {})}
    return "/?" + urlencode({k: v for k, v in query.items() if v})


def volume(workspace_id: int, period: Period) -> Report:
    kinds = (
        (FactKind.INBOUND, "Customer messages"),
        (FactKind.OPENED, "New conversations"),
        (FactKind.RESPONSE, "Agent responses"),
        (FactKind.AUTOMATIC, "Automatic messages"),
        (FactKind.RESOLUTION, "Resolved"),
        (FactKind.REOPEN, "Reopened"),
    )
    report = Report(
        "volume",
        TITLES["volume"],
        [Column("day", "Day", "text")] + [Column(kind, label) for kind, label in kinds],
        chart="lines",
    )
    days = {kind: rollups.by_day(workspace_id, period, kind) for kind, _ in kinds}
    opened = Incident.objects.filter(
        workspace_id=workspace_id, opened_at__gte=period.start, opened_at__lt=period.end
    )
    for title, at in opened.order_by("opened_at").values_list("title", "opened_at")[:20]:
        report.marks.append((at.astimezone(period.zone).date().isoformat(), f"Incident: {title}"))
    for day in period.days:
        counts: list[Cell] = [days[kind].get((day, ""), rollups.Sums()).count for kind, _ in kinds]
        links = [None] + [
            link(period, kind, day=day) if kind != FactKind.AUTOMATIC else None for kind, _ in kinds
        ]
        report.add([day.isoformat(), *counts], links)
    return report


def hours(workspace_id: int, period: Period) -> Report:
    report = Report(
        "hours",
        TITLES["hours"],
        [
            Column("hour", "Hour", "text"),
            Column("inbound", "Customer messages"),
            Column("responses", "Agent responses"),
        ],
    )
    inbound = rollups.by_hour_of_day(workspace_id, period, FactKind.INBOUND)
    responses = rollups.by_hour_of_day(workspace_id, period, FactKind.RESPONSE)
    for hour in range(24):
        report.add([f"{hour:02d}:00", inbound[hour].count, responses[hour].count])
    return report


def response_times(workspace_id: int, period: Period) -> Report:
    report = Report(
        "response_times",
        TITLES["response_times"],
        [
            Column("measure", "Measure", "text"),
            Column("count", "Count"),
            Column("median", "Median", "seconds"),
            Column("p90", "90th percentile", "seconds"),
            Column("business_median", "Median in business hours", "seconds"),
        ],
        chart="bars",
    )
    for kind, label in (
        (FactKind.FIRST_RESPONSE, "First response"),
        (FactKind.RESPONSE, "Every response"),
        (FactKind.RESOLUTION, "Resolution"),
    ):
        values = rollups.durations(workspace_id, period, kind)[""]
        business = rollups.durations(workspace_id, period, kind, column="business_seconds")[""]
        report.add(
            [
                label,
                len(values),
                rollups.median(values),
                rollups.percentile(values, 0.9),
                rollups.median(business),
            ],
            [None, link(period, kind), None, None, None],
        )
    return report


def time_bands(workspace_id: int, period: Period) -> Report:
    report = Report(
        "time_bands",
        TITLES["time_bands"],
        [
            Column("band", "Waited", "text"),
            Column("first_response", "First responses"),
            Column("resolution", "Resolutions"),
        ],
        chart="bars",
    )
    counted = {
        kind: _banded(rollups.durations(workspace_id, period, kind)[""])
        for kind in (FactKind.FIRST_RESPONSE, FactKind.RESOLUTION)
    }
    for index, (_, label) in enumerate(BANDS):
        report.add([label, counted[FactKind.FIRST_RESPONSE][index], counted[FactKind.RESOLUTION][index]])
    return report


def _banded(values: list[float]) -> list[int]:
    counts = [0] * len(BANDS)
    for seconds in values:
        for index, (limit, _) in enumerate(BANDS):
            if limit is None or seconds < limit * 60:
                counts[index] += 1
                break
    return counts


def sla(workspace_id: int, period: Period) -> Report:
    report = Report(
        "sla",
        TITLES["sla"],
        [
            Column("target", "Target", "text"),
            Column("priority", "Priority", "text"),
            Column("total", "Due"),
            Column("met", "Met"),
            Column("missed", "Missed"),
            Column("met_share", "Met (policy hours)", "percent"),
            Column("met_wall_share", "Met (wall clock)", "percent"),
        ],
        chart="bars",
    )
    labels = names(workspace_id, "priority", set(PRIORITY_ORDER))
    for target in TARGETS:
        found = rollups.totals(workspace_id, period, FactKind.SLA, "priority", target)
        overall = rollups.totals(workspace_id, period, FactKind.SLA, "all", target).get("", rollups.Sums())
        rows = [(value, labels[value], found[value]) for value in PRIORITY_ORDER if value in found]
        rows.append(("", "All", overall))
        for value, label, sums in rows:
            by = filter_value(workspace_id, "priority", value) if value else {}
            fact = f"{FactKind.SLA}:{target}"
            report.add(
                [
                    Target(target).label,
                    label,
                    sums.count,
                    sums.met,
                    sums.count - sums.met,
                    sums.met_share,
                    sums.met_wall_share,
                ],
                [
                    None,
                    None,
                    link(period, fact, by),
                    link(period, fact + ":met", by),
                    link(period, fact + ":missed", by),
                    None,
                    None,
                ],
            )
    return report


def _by_day_and_value(
    workspace_id: int, period: Period, dimension: str, values: tuple[str, ...], name: str
) -> Report:
    found = rollups.by_day(workspace_id, period, FactKind.INBOUND, dimension)
    report = Report(
        name,
        TITLES[name],
        [Column("day", "Day", "text")]
        + [Column(v or "unknown", v.capitalize() or "Unknown") for v in values],
        chart="stacked",
    )
    for day in period.days:
        report.add(
            [day.isoformat()] + [found.get((day, v), rollups.Sums()).count for v in values],
            [None] + [link(period, FactKind.INBOUND, {dimension: v}, day=day) if v else None for v in values],
        )
    return report


def sentiment(workspace_id: int, period: Period) -> Report:
    return _by_day_and_value(workspace_id, period, "sentiment", SENTIMENTS, "sentiment")


def intents(workspace_id: int, period: Period) -> Report:
    totals = rollups.totals(workspace_id, period, FactKind.INBOUND, "intent")
    values = tuple(sorted((v for v in totals if v), key=lambda v: -totals[v].count))
    return _by_day_and_value(workspace_id, period, "intent", values, "intents")


def categories(workspace_id: int, period: Period) -> Report:
    """Top categories by new conversations, with how they fared."""
    opened = rollups.totals(workspace_id, period, FactKind.OPENED, "category")
    first = rollups.totals(workspace_id, period, FactKind.SLA, "category", Target.FIRST_RESPONSE)
    csat = rollups.totals(workspace_id, period, FactKind.CSAT, "category")
    report = Report(
        "categories",
        TITLES["categories"],
        [
            Column("category", "Category", "text"),
            Column("opened", "New conversations"),
            Column("first_response_met", "First response on time", "percent"),
            Column("csat", "CSAT", "score"),
        ],
    )
    top = sorted(opened, key=lambda v: (-opened[v].count, v))[:TOP_CATEGORIES]
    labels = names(workspace_id, "category", set(top))
    for value in top:
        report.add(
            [
                labels[value],
                opened[value].count,
                first.get(value, rollups.Sums()).met_share,
                csat.get(value, rollups.Sums()).average_score,
            ],
            [
                None,
                link(period, FactKind.OPENED, filter_value(workspace_id, "category", value)),
                None,
                None,
            ],
        )
    return report


def _performance(workspace_id: int, period: Period, dimension: str, name: str, label: str) -> Report:
    """Handled, response times, targets met and CSAT per value of a dimension (agent, team, network)."""
    responses = rollups.totals(workspace_id, period, FactKind.RESPONSE, dimension)
    resolved = rollups.totals(workspace_id, period, FactKind.RESOLUTION, dimension)
    verdicts = rollups.totals(workspace_id, period, FactKind.SLA, dimension, Target.FIRST_RESPONSE)
    csat = rollups.totals(workspace_id, period, FactKind.CSAT, dimension)
    column = {"agent": "agent_id", "team": "team_id", "network": "network"}[dimension]
    firsts = rollups.durations(workspace_id, period, FactKind.FIRST_RESPONSE, by=column)
    inbound = (
        rollups.totals(workspace_id, period, FactKind.INBOUND, dimension) if dimension != "agent" else {}
    )
    values = set(inbound) | set(responses) | set(resolved) | set(verdicts) | set(csat)
    if dimension == "agent":
        values.discard("")  # the desk's own messages have no agent
    labels = names(workspace_id, dimension, values)
    report = Report(
        name,
        TITLES[name],
        [
            Column(dimension, label, "text"),
            Column("inbound", "Customer messages"),
            Column("responses", "Responses"),
            Column("resolved", "Resolved"),
            Column("first_median", "Median first response", "seconds"),
            Column("first_p90", "First response, 90th pct.", "seconds"),
            Column("first_met", "First response on time", "percent"),
            Column("csat", "CSAT", "score"),
            Column("ratings", "Ratings"),
        ],
        chart="table",
    )
    for value in sorted(values, key=lambda v: (-responses.get(v, rollups.Sums()).count, labels[v])):
        durations = firsts.get(value, [])
        rated = csat.get(value, rollups.Sums())
        by = filter_value(workspace_id, dimension, value)
        report.add(
            [
                labels[value],
                inbound.get(value, rollups.Sums()).count if inbound else None,
                responses.get(value, rollups.Sums()).count,
                resolved.get(value, rollups.Sums()).count,
                rollups.median(durations),
                rollups.percentile(durations, 0.9),
                verdicts.get(value, rollups.Sums()).met_share,
                rated.average_score,
                rated.scored,
            ],
            [
                None,
                link(period, FactKind.INBOUND, by) if inbound else None,
                link(period, FactKind.RESPONSE, by),
                link(period, FactKind.RESOLUTION, by),
                None,
                None,
                None,
                None,
                link(period, FactKind.CSAT, by),
            ],
        )
    if dimension == "agent":
        report.drop("inbound")  # customers write to the brand, not to an agent
    return report


def agents(workspace_id: int, period: Period) -> Report:
    return _performance(workspace_id, period, "agent", "agents", "Agent")


def teams(workspace_id: int, period: Period) -> Report:
    return _performance(workspace_id, period, "team", "teams", "Team")


def networks(workspace_id: int, period: Period) -> Report:
    return _performance(workspace_id, period, "network", "networks", "Network")


def csat(workspace_id: int, period: Period) -> Report:
    found = rollups.totals(workspace_id, period, FactKind.CSAT, "all")
    report = Report(
        "csat",
        TITLES["csat"],
        [Column("score", "Rating", "text"), Column("ratings", "Ratings")],
        note="",
    )
    scores = rollups.scores(workspace_id, period)
    for score in range(5, 0, -1):
        report.add([f"{score} of 5", scores.get(score, 0)], [None, link(period, f"{FactKind.CSAT}:{score}")])
    overall = found.get("", rollups.Sums())
    average = overall.average_score
    satisfied = sum(scores.get(s, 0) for s in (4, 5))
    if overall.scored:
        report.note = (
            f"Average {average:.2f} of 5 from {overall.scored} ratings; "
            f"{100 * satisfied / overall.scored:.0f}% rated 4 or 5."
        )
    else:
        report.note = "No ratings in this period."
    return report


def backlog(workspace_id: int, period: Period) -> Report:
    """Who is waiting now, by how long (not bound to the period: a backlog is about the present)."""
    now = timezone.now()
    live = Conversation.objects.filter(
        workspace_id=workspace_id, status__in=[Status.NEW, Status.OPEN, Status.PENDING]
    )
    report = Report(
        "backlog",
        TITLES["backlog"],
        [Column("age", "Waiting", "text"), Column("conversations", "Conversations")],
    )
    lower = 0
    ages: dict[str, int] = {}
    bounds: list[tuple[str, Q]] = []
    for upper, label in AGE_BANDS:
        window = Q(waiting_since__lte=now - timedelta(hours=lower))
        if upper is not None:
            window &= Q(waiting_since__gt=now - timedelta(hours=upper))
        bounds.append((label, window))
        lower = upper or lower
    counted = live.filter(waiting=True).aggregate(
        **{f"band{i}": Count("pk", filter=q) for i, (_, q) in enumerate(bounds)}
    )
    for index, (label, _) in enumerate(bounds):
        ages[label] = counted[f"band{index}"]
        report.add([label, ages[label]], [None, "/?status=live"])
    waiting = sum(ages.values())
    report.note = (
        f"{waiting} customers waiting for an answer; {live.count() - waiting} more conversations open."
    )
    return report


def incidents(workspace_id: int, period: Period) -> Report:
    found = (
        Incident.objects.filter(workspace_id=workspace_id, opened_at__lt=period.end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=period.start))
        .annotate(members=Count("conversations"))
        .order_by("opened_at")
    )
    bulletins = rollups.totals(workspace_id, period, FactKind.BULLETIN, "incident")
    report = Report(
        "incidents",
        TITLES["incidents"],
        [
            Column("incident", "Incident", "text"),
            Column("opened", "Opened", "text"),
            Column("resolved", "Resolved", "text"),
            Column("conversations", "Conversations"),
            Column("bulletins", "Bulletins"),
        ],
        chart="timeline",
    )
    for incident in found[:50]:
        report.add(
            [
                incident.title,
                _local(incident.opened_at, period),
                _local(incident.resolved_at, period),
                incident.members,
                bulletins.get(str(incident.pk), rollups.Sums()).count,
            ],
            [f"/incidents/{incident.pk}/", None, None, f"/?incident={incident.pk}", None],
        )
    return report


def _local(moment: datetime | None, period: Period) -> str:
    return "" if moment is None else moment.astimezone(period.zone).strftime("%Y-%m-%d %H:%M")


REPORTS: dict[str, Callable[[int, Period], Report]] = {
    "volume": volume,
    "hours": hours,
    "response_times": response_times,
    "time_bands": time_bands,
    "sla": sla,
    "sentiment": sentiment,
    "intents": intents,
    "categories": categories,
    "networks": networks,
    "agents": agents,
    "teams": teams,
    "csat": csat,
    "backlog": backlog,
    "incidents": incidents,
}
NAMES = tuple(REPORTS)


def build(name: str, workspace_id: int, period: Period) -> Report:
    try:
        builder = REPORTS[name]
    except KeyError:
        raise LookupError(f"no report {name!r} (reports: {', '.join(NAMES)})") from None
    return builder(workspace_id, period)
