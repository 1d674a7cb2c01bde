"""Reports read from facts written as things happen: the morning of the shipped Nimbus day, replayed
on the simulated clock, gives the figures the test works out on its own from the conversations."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from socialdesk.channels.sandbox.scenario import read_scenario_file
from socialdesk.conversations.inbox import InboxFilter, inbox
from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message
from socialdesk.policy.actions import save_policy
from socialdesk.reports.history import backfill_workspace, record_missed_targets
from socialdesk.reports.models import Fact, FactKind, Rollup
from socialdesk.reports.summaries import catalog
from socialdesk.reports.summaries.exports import render
from socialdesk.reports.summaries.period import Period
from socialdesk.scenarios.run import run_scenario
from socialdesk.workspaces.actions import add_member
from socialdesk.workspaces.models import Role, Workspace

DAY = Path(__file__).parents[1] / "socialdesk" / "demo" / "nimbus_day.jsonl"
TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
MADRID = ZoneInfo("Europe/Madrid")
MORNING_ENDS = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 11:00 in Madrid
PERIOD = Period(date(2026, 11, 20), date(2026, 11, 20), MADRID)


@pytest.fixture
def played(workspace: Workspace) -> Workspace:
    """The shipped day's posts and agent replies up to 11:00 Madrid time, played into a workspace."""
    save_policy(workspace, TELECOM)
    day = read_scenario_file(DAY)
    morning = replace(
        day,
        posts=[p for p in day.posts if p.at < MORNING_ENDS],
        replies=[r for r in day.replies if r.at < MORNING_ENDS],
    )
    assert (len(morning.posts), len(morning.replies)) == (74, 8)
    run_scenario(workspace, morning)
    return workspace


def _row(report: Any, first: str, second: str | None = None) -> dict[str, Any]:
    for row in report.as_dicts():
        values = list(row.values())
        if values[0] == first and (second is None or values[1] == second):
            return dict(row)
    raise AssertionError(f"no row {first} {second}")


def test_a_replayed_morning_gives_the_figures_worked_out_from_the_conversations(played: Workspace) -> None:
    ws = played.pk
    conversations = list(Conversation.objects.filter(workspace=played))
    inbound = Message.objects.filter(workspace_id=ws, direction=Direction.INBOUND)
    sent = Message.objects.filter(
        workspace_id=ws, direction=Direction.OUTBOUND, delivery_status=DeliveryStatus.SENT
    )
    ended = MORNING_ENDS + timedelta(hours=2)  # the run's clock goes on two hours past the last event

    # Volume: every customer message, agent response and automatic message of the day
    volume = _row(catalog.build("volume", ws, PERIOD), "2026-11-20")
    assert volume["inbound"] == inbound.count() == 74
    assert volume["opened"] == len(conversations)
    assert volume["response"] == sent.filter(automatic=False).count()
    assert volume["automatic"] == sent.filter(automatic=True).count()

    # First response: the median and 90th percentile of (first response - first message)
    waits = sorted(
        (c.first_response_at - c.first_inbound_at).total_seconds()
        for c in conversations
        if c.first_response_at
    )
    assert len(waits) >= 5
    times = _row(catalog.build("response_times", ws, PERIOD), "First response")
    assert times["count"] == len(waits)
    assert times["median"] == statistics.median(waits)
    assert times["p90"] == waits[-(-len(waits) * 9 // 10) - 1]

    # First-response target per priority: met when answered by the due time; missed when answered
    # late or still unanswered when the due time passed
    verdicts: Counter[tuple[int, bool]] = Counter()
    for c in conversations:
        due = c.first_response_due_at
        if due is None:
            continue
        if c.first_response_at is not None:
            verdicts[(c.priority, c.first_response_at <= due)] += 1
        elif due <= ended:
            verdicts[(c.priority, False)] += 1
    sla = catalog.build("sla", ws, PERIOD)
    names = {1: "Low", 2: "Normal", 3: "High", 4: "Urgent"}
    for priority in {p for p, _ in verdicts}:
        met, missed = verdicts[(priority, True)], verdicts[(priority, False)]
        row = _row(sla, "First response", names[priority])
        assert (row["total"], row["met"], row["missed"]) == (met + missed, met, missed)
        assert row["met_share"] == pytest.approx(100 * met / (met + missed))
    everyone = _row(sla, "First response", "All")
    assert everyone["total"] == sum(verdicts.values())
    assert everyone["met"] == sum(n for (_, ok), n in verdicts.items() if ok)

    # Agents: each agent's responses are the replies they wrote that reached the network
    agents = catalog.build("agents", ws, PERIOD)
    written = Counter(
        User.objects.get(pk=pk).username
        for pk in sent.filter(automatic=False).values_list("author_user", flat=True)
    )
    assert {row["agent"]: row["responses"] for row in agents.as_dicts()} == dict(written)

    # Sentiment by day adds up to the day's customer messages that triage labelled
    sentiment = _row(catalog.build("sentiment", ws, PERIOD), "2026-11-20")
    labelled = Counter(inbound.values_list("sentiment", flat=True))
    assert {k: sentiment[k] for k in ("negative", "neutral", "positive")} == {
        k: labelled[k] for k in ("negative", "neutral", "positive")
    }


def test_every_number_links_to_the_conversations_behind_it(played: Workspace, lead: User) -> None:
    ws = played.pk
    sla = catalog.build("sla", ws, PERIOD)
    index = next(i for i, row in enumerate(sla.rows) if row[:2] == ["First response", "All"])
    missed_link = sla.links[index][4]
    assert missed_link is not None and missed_link.startswith("/?fact=sla%3Afirst_response%3Amissed&")
    query = dict(pair.split("=", 1) for pair in missed_link[2:].split("&"))
    from urllib.parse import unquote_plus

    behind = inbox(lead, InboxFilter.from_query({k: unquote_plus(v) for k, v in query.items()}))
    expected = Fact.objects.filter(workspace_id=ws, kind=FactKind.SLA, target="first_response", met=False)
    assert behind.count() == sla.rows[index][4] == expected.count()
    assert set(behind.values_list("pk", flat=True)) == set(expected.values_list("conversation_id", flat=True))


def test_facts_are_recorded_once_and_the_backfill_adds_only_what_is_missing(played: Workspace) -> None:
    ws = played.pk
    facts, rollups = (
        Fact.objects.filter(workspace_id=ws).count(),
        list(Rollup.objects.order_by("pk").values()),
    )
    # Played live, the facts are all there: a backfill from the stored history adds nothing
    assert backfill_workspace(ws) == 0
    assert record_missed_targets(MORNING_ENDS + timedelta(hours=3), ws) == 0
    assert Fact.objects.filter(workspace_id=ws).count() == facts
    assert list(Rollup.objects.order_by("pk").values()) == rollups
    # Without any facts (a desk from before reports), the backfill writes the same customer messages,
    # first responses and resolutions
    before = Counter(Fact.objects.filter(workspace_id=ws).values_list("kind", flat=True))
    Fact.objects.all().delete()
    Rollup.objects.all().delete()
    backfill_workspace(ws)
    after = Counter(Fact.objects.filter(workspace_id=ws).values_list("kind", flat=True))
    for kind in (
        FactKind.INBOUND,
        FactKind.OPENED,
        FactKind.RESPONSE,
        FactKind.AUTOMATIC,
        FactKind.FIRST_RESPONSE,
    ):
        assert after[kind] == before[kind], kind
    # and the rollups agree with the facts they were built from
    assert Rollup.objects.get(
        workspace_id=ws, dimension="all", kind="inbound", hour=datetime(2026, 11, 20, 9, tzinfo=UTC)
    ).count == (
        Fact.objects.filter(
            workspace_id=ws,
            kind="inbound",
            at__gte=datetime(2026, 11, 20, 9, tzinfo=UTC),
            at__lt=MORNING_ENDS,
        ).count()
    )


def test_reports_page_and_exports(played: Workspace, lead: User, client: Client) -> None:
    client.force_login(lead)
    with time_machine.travel(datetime(2026, 11, 21, 12, 0, tzinfo=UTC), tick=False):
        page = client.get(f"/reports/?workspace={played.slug}&from=2026-11-20&to=2026-11-20")
        assert page.status_code == 200
        html = page.content.decode()
        for report in catalog.NAMES:
            assert f'id="report-{report}"' in html
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        volume = client.get(f"/reports/volume.csv?workspace={played.slug}&from=2026-11-20&to=2026-11-20")
        assert volume["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(volume.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Day", "Customer messages", "New conversations"]
        assert rows[1][:2] == ["2026-11-20", "74"]
        sheet = client.get(f"/reports/sla.xlsx?workspace={played.slug}&from=2026-11-20&to=2026-11-20")
        book = load_workbook(io.BytesIO(sheet.content))
        assert book.active is not None
        values = list(book.active.iter_rows(values_only=True))
        assert values[0][:3] == ("Target", "Priority", "Due")
        assert render(catalog.build("sla", played.pk, PERIOD), "xlsx")[:2] == b"PK"
        # The API gives the same rows
        api = client.get(f"/api/reports/volume?workspace={played.slug}&start=2026-11-20&end=2026-11-20")
        assert api.status_code == 200
        assert api.json()["rows"][0]["inbound"] == 74
        assert api.json()["time_zone"] == "Europe/Madrid"
        assert client.get("/api/reports/nothing").status_code == 404
        assert (
            client.get(f"/reports/?workspace={played.slug}&from=2026-11-21&to=2026-11-20").status_code == 422
        )


def test_a_stranger_reads_no_reports(played: Workspace, other_workspace: Workspace, client: Client) -> None:
    stranger = User.objects.create_user("stranger", password="x")
    add_member(other_workspace, stranger, Role.LEAD)
    client.force_login(stranger)
    assert client.get(f"/reports/?workspace={played.slug}").status_code == 404
    assert client.get(f"/reports/volume.csv?workspace={played.slug}").status_code == 404
    assert client.get(f"/api/reports/volume?workspace={played.slug}").status_code == 404
