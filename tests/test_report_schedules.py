"""Scheduled reports (issue 17): when a schedule is due in the workspace's zone (across the clock
changes in Europe/Madrid), sent once per slot however often or wherever the job runs, the email a real
SMTP server (aiosmtpd) receives carries the figures of the facts recorded here, and only leads and
admins manage schedules (actions, page, API)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.core import mail

from socialdesk.errors import DeskError
from socialdesk.jobs import job_named
from socialdesk.reports.facts import save
from socialdesk.reports.models import Fact, FactKind, ReportSchedule, ScheduleSend, Target
from socialdesk.reports.summaries.schedules import (
    claim,
    covered,
    create_schedule,
    delete_schedule,
    latest_slot,
    next_slot,
    send_due_reports,
    send_now,
    update_schedule,
)
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import logged_in, port_in
from tests.test_notification_delivery import Mailbox, _use_smtp

MADRID = ZoneInfo("Europe/Madrid")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- when: pure slot arithmetic -------------------------------------------------------------------


def test_daily_slots_follow_the_local_clock_across_both_changes() -> None:
    at8 = time(8, 0)
    # 08:00 in Madrid is 07:00 UTC in winter time, 06:00 UTC from Sunday 29 March 2026
    assert latest_slot("daily", None, at8, MADRID, utc(2026, 3, 28, 7, 0)) == (
        date(2026, 3, 28),
        utc(2026, 3, 28, 7),
    )
    assert latest_slot("daily", None, at8, MADRID, utc(2026, 3, 28, 6, 59)) == (
        date(2026, 3, 27),
        utc(2026, 3, 27, 7),
    )
    assert next_slot("daily", None, at8, MADRID, utc(2026, 3, 28, 7, 0)) == utc(2026, 3, 29, 6)
    assert latest_slot("daily", None, at8, MADRID, utc(2026, 3, 29, 6, 0)) == (
        date(2026, 3, 29),
        utc(2026, 3, 29, 6),
    )
    # and back to 07:00 UTC from Sunday 25 October 2026
    assert next_slot("daily", None, at8, MADRID, utc(2026, 10, 24, 5, 59)) == utc(2026, 10, 24, 6)
    assert next_slot("daily", None, at8, MADRID, utc(2026, 10, 24, 6, 0, 1)) == utc(2026, 10, 25, 7)
    # 02:30 does not exist on 29 March (02:00 -> 03:00): it is sent at 03:30 local, 01:30 UTC
    at230 = time(2, 30)
    assert next_slot("daily", None, at230, MADRID, utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 1, 30)
    # 02:30 happens twice on 25 October: the first one (summer time, 00:30 UTC) and only once
    assert next_slot("daily", None, at230, MADRID, utc(2026, 10, 24, 12)) == utc(2026, 10, 25, 0, 30)
    assert next_slot("daily", None, at230, MADRID, utc(2026, 10, 25, 0, 30)) == utc(2026, 10, 26, 1, 30)


def test_weekly_slots_and_the_week_they_cover() -> None:
    monday8 = (0, time(8, 0))
    # Monday 30 March 2026 08:00 CEST = 06:00 UTC; a minute before, the latest is the Monday before (CET)
    assert latest_slot("weekly", *monday8, MADRID, utc(2026, 3, 30, 5, 59)) == (
        date(2026, 3, 23),
        utc(2026, 3, 23, 7),
    )
    assert latest_slot("weekly", *monday8, MADRID, utc(2026, 3, 30, 6)) == (
        date(2026, 3, 30),
        utc(2026, 3, 30, 6),
    )
    assert next_slot("weekly", *monday8, MADRID, utc(2026, 3, 30, 6)) == utc(2026, 4, 6, 6)
    # The week before the slot, in local days: 23 hours shorter than 7 x 24 by the change
    week = covered("weekly", date(2026, 3, 30), MADRID)
    assert (week.first_day, week.last_day) == (date(2026, 3, 23), date(2026, 3, 29))
    assert (week.start, week.end) == (utc(2026, 3, 22, 23), utc(2026, 3, 29, 22))
    day = covered("daily", date(2026, 10, 26), MADRID)
    assert (day.first_day, day.last_day, day.start, day.end) == (
        date(2026, 10, 25),
        date(2026, 10, 25),
        utc(2026, 10, 24, 22),
        utc(2026, 10, 25, 23),
    )


# --- the job: due once per slot -------------------------------------------------------------------


@pytest.fixture
def boss(workspace: Any, telecom_policy: Any) -> User:
    """An admin of the Madrid workspace (the telecom policy's business hours are in Europe/Madrid)."""
    user = create_user("adam", "admin passphrase here", email="adam@acme.test")
    add_member(workspace, user, Role.ADMIN)
    return user


def test_the_job_sends_each_daily_slot_once_across_the_spring_change(workspace: Any, boss: User) -> None:
    schedule = create_schedule(
        boss,
        workspace,
        now=utc(2026, 3, 27, 12),
        name="Daily",
        frequency="daily",
        weekday=None,
        time_of_day="08:00",
        member_ids=[boss.pk],
        emails="cfo@acme.test",
    )
    assert schedule.reports == ["volume", "response_times", "sla", "csat"]
    # Made at noon: the morning's 08:00 has passed and is not sent
    assert send_due_reports(utc(2026, 3, 27, 12, 1)) == 0
    assert send_due_reports(utc(2026, 3, 28, 6, 59)) == 0
    # Saturday 08:00 CET
    assert send_due_reports(utc(2026, 3, 28, 7)) == 1
    assert send_due_reports(utc(2026, 3, 28, 7)) == 0  # run twice
    assert send_due_reports(utc(2026, 3, 28, 13)) == 0
    # Sunday 08:00 CEST is an hour earlier in UTC
    assert send_due_reports(utc(2026, 3, 29, 5, 59)) == 0
    assert send_due_reports(utc(2026, 3, 29, 6)) == 1
    assert send_due_reports(utc(2026, 3, 29, 6, 1)) == 0
    sends = ScheduleSend.objects.filter(schedule=schedule).order_by("at")
    assert list(
        sends.values_list("slot_day", "first_day", "last_day", "at", "status", "recipients", "test")
    ) == [
        (
            date(2026, 3, 28),
            date(2026, 3, 27),
            date(2026, 3, 27),
            utc(2026, 3, 28, 7),
            "sent",
            ["adam@acme.test", "cfo@acme.test"],
            False,
        ),
        (
            date(2026, 3, 29),
            date(2026, 3, 28),
            date(2026, 3, 28),
            utc(2026, 3, 29, 6),
            "sent",
            ["adam@acme.test", "cfo@acme.test"],
            False,
        ),
    ]
    # One mail per recipient per slot: nobody sees the others' addresses
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["adam@acme.test"], "[Acme Telecom] Daily: Fri 27 Mar 2026"),
        (["cfo@acme.test"], "[Acme Telecom] Daily: Fri 27 Mar 2026"),
        (["adam@acme.test"], "[Acme Telecom] Daily: Sat 28 Mar 2026"),
        (["cfo@acme.test"], "[Acme Telecom] Daily: Sat 28 Mar 2026"),
    ]


def test_a_slot_claimed_by_another_machine_is_not_sent_again(workspace: Any, boss: User) -> None:
    schedule = create_schedule(
        boss,
        workspace,
        now=utc(2026, 11, 1),
        name="Weekly",
        frequency="weekly",
        weekday=0,
        time_of_day="09:00",
        member_ids=[boss.pk],
    )
    slot_day, _ = latest_slot("weekly", 0, time(9), MADRID, utc(2026, 11, 23, 8))
    assert slot_day == date(2026, 11, 23)
    period = covered("weekly", slot_day, MADRID)
    # Given the other machine claimed Monday's slot first (and is still mailing)
    first = claim(schedule, slot_day, period, utc(2026, 11, 23, 8))
    assert first is not None
    # Then this machine's claim fails and its job sends nothing
    assert claim(schedule, slot_day, period, utc(2026, 11, 23, 8)) is None
    assert send_due_reports(utc(2026, 11, 23, 8, 0, 30)) == 0
    assert mail.outbox == []
    assert ScheduleSend.objects.filter(schedule=schedule).count() == 1
    # A test send does not use up the slot of next week, nor is it blocked by this one
    sent = send_now(boss, schedule.pk, now=utc(2026, 11, 24, 10))
    assert (sent.test, sent.slot_day, sent.first_day, sent.last_day, sent.status) == (
        True,
        None,
        date(2026, 11, 23),
        date(2026, 11, 29),
        "sent",
    )
    assert send_due_reports(utc(2026, 11, 30, 8)) == 1
    assert ScheduleSend.objects.filter(schedule=schedule, test=False).count() == 2


def test_a_moved_schedule_waits_for_its_next_slot_and_a_paused_one_sends_nothing(
    workspace: Any, boss: User
) -> None:
    fields: dict[str, Any] = {"name": "Daily", "frequency": "daily", "weekday": None, "member_ids": [boss.pk]}
    schedule = create_schedule(boss, workspace, now=utc(2026, 11, 20), time_of_day="10:00", **fields)
    # Moved at 09:30 UTC on the 21st from 10:00 to 09:00 local (08:00 UTC): today's 09:00 has gone
    update_schedule(boss, schedule.pk, now=utc(2026, 11, 21, 8, 30), time_of_day="09:00", **fields)
    assert send_due_reports(utc(2026, 11, 21, 9)) == 0
    assert send_due_reports(utc(2026, 11, 22, 8)) == 1
    update_schedule(boss, schedule.pk, now=utc(2026, 11, 22, 9), active=False, time_of_day="09:00", **fields)
    assert send_due_reports(utc(2026, 11, 23, 8)) == 0
    delete_schedule(boss, schedule.pk)
    assert not ReportSchedule.objects.exists() and not ScheduleSend.objects.exists()


# --- the email, through a real SMTP server --------------------------------------------------------


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = port_in(range(8130, 8135))
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    _use_smtp(settings, port)
    settings.SOCIALDESK_EMAIL_FROM = "Socialdesk <desk@acme.test>"
    settings.SOCIALDESK_BASE_URL = "https://desk.acme.test"
    yield mailbox
    controller.stop()


def _fact(workspace: Any, key: str, kind: str, at: datetime, **measures: Any) -> None:
    assert save(Fact(workspace=workspace, key=key, kind=kind, at=at, **measures)) == 1


def _record_week(workspace: Any) -> None:
    """Monday 16 - Sunday 22 November 2026 (CET): 3 messages, 2 new conversations, 2 first responses
    (10 and 30 minutes), 1 resolution (2 hours), first-response target met once and missed once (both
    priority 2), ratings 5 and 4. One message on Monday 23rd at 00:30 CET falls outside the week."""
    tue, wed = utc(2026, 11, 17, 9), utc(2026, 11, 18, 9)
    _fact(workspace, "in-1", FactKind.INBOUND, tue)
    _fact(workspace, "in-2", FactKind.INBOUND, tue + timedelta(minutes=5))
    _fact(workspace, "in-3", FactKind.INBOUND, wed)
    _fact(workspace, "in-late", FactKind.INBOUND, utc(2026, 11, 22, 23, 30))
    _fact(workspace, "open-1", FactKind.OPENED, tue)
    _fact(workspace, "open-2", FactKind.OPENED, wed)
    _fact(workspace, "fr-1", FactKind.FIRST_RESPONSE, tue + timedelta(minutes=10), seconds=600.0)
    _fact(workspace, "fr-2", FactKind.FIRST_RESPONSE, wed + timedelta(minutes=30), seconds=1800.0)
    _fact(workspace, "res-1", FactKind.RESOLUTION, tue + timedelta(hours=2), seconds=7200.0)
    for key, met in (("sla-1", True), ("sla-2", False)):
        _fact(
            workspace, key, FactKind.SLA, tue, target=Target.FIRST_RESPONSE, priority=2, met=met, met_wall=met
        )
    for key, score in (("csat-1", 5), ("csat-2", 4)):
        _fact(workspace, key, FactKind.CSAT, wed, score=score)


def _parts(raw: bytes) -> tuple[EmailMessage, str, str, dict[str, str]]:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    files = {
        str(part.get_filename()): part.get_content().decode("utf-8-sig").replace("\r\n", "\n")
        if isinstance(part.get_content(), bytes)
        else part.get_content().replace("\r\n", "\n")
        for part in message.iter_attachments()
    }
    return message, text.get_content().replace("\r\n", "\n"), html.get_content(), files


def test_the_weekly_email_carries_the_recorded_figures(workspace: Any, boss: User, smtp: Mailbox) -> None:
    _record_week(workspace)
    create_schedule(
        boss,
        workspace,
        now=utc(2026, 11, 1),
        name="Weekly care report",
        frequency="weekly",
        weekday=0,
        time_of_day="08:00",
        member_ids=[boss.pk],
    )
    with time_machine.travel(utc(2026, 11, 23, 7), tick=False):
        assert job_named("send-scheduled-reports").run() == 1
    assert [(sender, to) for sender, to, _ in smtp.received] == [("desk@acme.test", ["adam@acme.test"])]
    message, text, html, files = _parts(smtp.received[0][2])
    assert message["Subject"].strip() == "[Acme Telecom] Weekly care report: 16 Nov 2026 - 22 Nov 2026"
    assert message["Auto-Submitted"] == "auto-generated"
    # The plain-text part: every number of the four key reports, Monday 23rd's late message left out
    assert text == (
        "Weekly care report · Acme Telecom\n"
        "16 Nov 2026 - 22 Nov 2026\n"
        "\n"
        "Volume by day\n"
        "-------------\n"
        "Day         Customer messages  New conversations  Agent responses  Aut"
        "omatic messages  Resolved  Reopened\n"
        "2026-11-16                  0                  0                0     "
        "              0         0         0\n"
        "2026-11-17                  2                  1                0     "
        "              0         1         0\n"
        "2026-11-18                  1                  1                0     "
        "              0         0         0\n"
        "2026-11-19                  0                  0                0     "
        "              0         0         0\n"
        "2026-11-20                  0                  0                0     "
        "              0         0         0\n"
        "2026-11-21                  0                  0                0     "
        "              0         0         0\n"
        "2026-11-22                  0                  0                0     "
        "              0         0         0\n"
        "\n"
        "Response and resolution times\n"
        "-----------------------------\n"
        "Measure         Count     Median  90th percentile  Median in business hours\n"
        "First response      2   20.0 min         30.0 min                         —\n"
        "Every response      0          —                —                         —\n"
        "Resolution          1  120.0 min        120.0 min                         —\n"
        "\n"
        "Response targets met, by priority\n"
        "---------------------------------\n"
        "Target          Priority  Due  Met  Missed  Met (policy hours)  Met (wall clock)\n"
        "First response  Normal      2    1       1               50.0%             50.0%\n"
        "First response  All         2    1       1               50.0%             50.0%\n"
        "Next response   All         0    0       0                   —                 —\n"
        "Resolution      All         0    0       0                   —                 —\n"
        "\n"
        "Customer satisfaction (CSAT)\n"
        "----------------------------\n"
        "Rating  Ratings\n"
        "5 of 5        1\n"
        "4 of 5        1\n"
        "3 of 5        0\n"
        "2 of 5        0\n"
        "1 of 5        0\n"
        "Average 4.50 of 5 from 2 ratings; 100% rated 4 or 5.\n"
        "\n"
        "--\n"
        "Change or stop this email: https://desk.acme.test/reports/schedules/\n"
    )
    # The HTML part draws bars as table cells of proportional width: 2 and 1 messages, medians of
    # 20 and 120 minutes (17% of the longest), 50% of first-response targets met
    bar = (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="{}%"><tr>'
        '<td bgcolor="#3b6fd8" style="background:#3b6fd8;height:14px;font-size:0;line-height:0">&nbsp;</td>'
    )
    assert [html.count(bar.format(w)) for w in (100, 50, 17)] == [6, 1, 1]
    cell = 'padding:2px 0 2px 6px;text-align:right">{}</td>'
    for shown_value in ("2", "1", "20.0 min", "120.0 min", "50.0%"):
        assert cell.format(shown_value) in html
    assert "Average 4.50 of 5 from 2 ratings; 100% rated 4 or 5." in html
    # And each report's CSV is attached, durations in minutes
    assert files == {
        "volume-2026-11-16-2026-11-22.csv": "\ufeffDay,Customer messages,New conversations,Agent responses,"
        "Automatic messages,Resolved,Reopened\n2026-11-16,0,0,0,0,0,0\n2026-11-17,2,1,0,0,1,0\n"
        "2026-11-18,1,1,0,0,0,0\n2026-11-19,0,0,0,0,0,0\n2026-11-20,0,0,0,0,0,0\n2026-11-21,0,0,0,0,0,0\n"
        "2026-11-22,0,0,0,0,0,0\n",
        "response_times-2026-11-16-2026-11-22.csv": "\ufeffMeasure,Count,Median (minutes),"
        "90th percentile (minutes),Median in business hours (minutes)\nFirst response,2,20.0,30.0,\n"
        "Every response,0,,,\nResolution,1,120.0,120.0,\n",
        "sla-2026-11-16-2026-11-22.csv": "\ufeffTarget,Priority,Due,Met,Missed,Met (policy hours),"
        "Met (wall clock)\nFirst response,Normal,2,1,1,50.0,50.0\nFirst response,All,2,1,1,50.0,50.0\n"
        "Next response,All,0,0,0,,\nResolution,All,0,0,0,,\n",
        "csat-2026-11-16-2026-11-22.csv": "\ufeffRating,Ratings\n5 of 5,1\n4 of 5,1\n3 of 5,0\n"
        "2 of 5,0\n1 of 5,0\n",
    }
    sent = ScheduleSend.objects.get()
    assert (sent.slot_day, sent.first_day, sent.last_day, sent.status, sent.recipients, sent.error) == (
        date(2026, 11, 23),
        date(2026, 11, 16),
        date(2026, 11, 22),
        "sent",
        ["adam@acme.test"],
        "",
    )
    assert "<svg" not in html and "<script" not in html


# --- who may ----------------------------------------------------------------------------------------


def test_an_agent_may_not_schedule_change_send_or_remove(workspace: Any, boss: User, agent: User) -> None:
    fields: dict[str, Any] = {
        "name": "Mine",
        "frequency": "daily",
        "weekday": None,
        "time_of_day": "08:00",
        "emails": "me@acme.test",
    }
    with pytest.raises(DeskError) as refused:
        create_schedule(agent, workspace, **fields)
    assert (refused.value.status, str(refused.value)) == (
        403,
        "only the workspace's leads and admins manage scheduled reports",
    )
    assert not ReportSchedule.objects.exists()
    schedule = create_schedule(boss, workspace, now=utc(2026, 11, 1), **fields)
    for attempt in (
        lambda: update_schedule(agent, schedule.pk, **{**fields, "emails": "agent@evil.test"}),
        lambda: send_now(agent, schedule.pk),
        lambda: delete_schedule(agent, schedule.pk),
    ):
        with pytest.raises(DeskError) as refused:
            attempt()
        assert refused.value.status == 403
    schedule.refresh_from_db()
    assert (schedule.emails, ScheduleSend.objects.count(), mail.outbox) == (["me@acme.test"], 0, [])
    # the page and the API refuse as well, and send nothing
    page = logged_in(agent).post(f"/reports/schedules/{schedule.pk}/test/")
    assert page.status_code == 403
    assert "only the workspace&#x27;s leads and admins manage scheduled reports" in page.content.decode()
    api = logged_in(agent).post(f"/api/workspaces/acme/report-schedules/{schedule.pk}/test")
    assert (api.status_code, api.json()) == (
        403,
        {"detail": "only the workspace's leads and admins manage scheduled reports", "code": "forbidden"},
    )
    assert (ScheduleSend.objects.count(), mail.outbox) == (0, [])


def test_bad_schedules_are_refused_with_the_reason(workspace: Any, boss: User, agent: User) -> None:
    base: dict[str, Any] = {
        "name": "X",
        "frequency": "weekly",
        "weekday": 0,
        "time_of_day": "08:00",
        "member_ids": [boss.pk],
    }
    for change, reason in (
        ({"weekday": None}, "a weekly schedule names its weekday (0 Monday … 6 Sunday)"),
        ({"time_of_day": "8h"}, "the time of day is written HH:MM, e.g. 08:00"),
        ({"member_ids": [], "emails": ""}, "choose at least one recipient: a member or an email address"),
        ({"emails": "not-an-address"}, "not an email address: not-an-address"),
        ({"member_ids": [agent.pk + 100]}, "recipients must be members of the workspace"),
        (
            {"reports": ["volume", "nope"]},
            "unknown reports: nope; one of: "
            + ", ".join(
                [
                    "volume",
                    "hours",
                    "response_times",
                    "time_bands",
                    "sla",
                    "sentiment",
                    "intents",
                    "categories",
                    "networks",
                    "agents",
                    "teams",
                    "csat",
                    "backlog",
                    "incidents",
                ]
            ),
        ),
    ):
        with pytest.raises(DeskError) as refused:
            create_schedule(boss, workspace, **{**base, **change})
        assert (refused.value.status, str(refused.value)) == (422, reason)
    assert not ReportSchedule.objects.exists()


# --- page and API ---------------------------------------------------------------------------------


def test_the_page_adds_tests_and_removes_a_schedule(workspace: Any, boss: User) -> None:
    client = logged_in(boss)
    with time_machine.travel(utc(2026, 11, 20, 9), tick=False):
        made = client.post(
            "/reports/schedules/",
            {
                "workspace": workspace.pk,
                "name": "Weekly",
                "frequency": "weekly",
                "weekday": "0",
                "time_of_day": "08:00",
                "members": [str(boss.pk)],
                "emails": "cfo@acme.test",
                "reports": ["volume", "csat"],
            },
        )
        assert made.status_code == 302
        schedule = ReportSchedule.objects.get()
        assert (schedule.reports, schedule.emails, schedule.weekday) == (
            ["volume", "csat"],
            ["cfo@acme.test"],
            0,
        )
        page = unescape(client.get("/reports/schedules/").content.decode())
        assert "Weekly on Monday at 08:00 (Europe/Madrid) · next Mon 23 Nov 08:00 · volume, csat" in page
        tested = unescape(client.post(f"/reports/schedules/{schedule.pk}/test/").content.decode())
        assert "Test sent to adam@acme.test, cfo@acme.test" in tested
        bad = client.post(
            "/reports/schedules/",
            {"workspace": workspace.pk, "name": "Bad", "frequency": "daily", "time_of_day": "08:00"},
        )
        assert bad.status_code == 422
        assert "choose at least one recipient: a member or an email address" in unescape(bad.content.decode())
    assert len(mail.outbox) == 2
    assert client.post(f"/reports/schedules/{schedule.pk}/remove/").status_code == 302
    assert not ReportSchedule.objects.exists()


def test_the_api_lists_adds_changes_tests_and_removes(
    workspace: Any, other_workspace: Any, boss: User
) -> None:
    client = logged_in(boss)
    base = "/api/workspaces/acme/report-schedules"
    body = {
        "name": "Daily",
        "frequency": "daily",
        "time_of_day": "07:30",
        "members": ["adam"],
        "emails": ["CFO@acme.test"],
    }
    with time_machine.travel(utc(2026, 11, 20, 9), tick=False):
        made = client.post(base, json.dumps(body), content_type="application/json")
        assert made.status_code == 201
        schedule = ReportSchedule.objects.get()
        expected = {
            "id": schedule.pk,
            "workspace": "acme",
            "name": "Daily",
            "frequency": "daily",
            "weekday": None,
            "time_of_day": "07:30",
            "time_zone": "Europe/Madrid",
            "members": ["adam"],
            "emails": ["cfo@acme.test"],
            "reports": ["volume", "response_times", "sla", "csat"],
            "active": True,
            "next_send": "2026-11-21T07:30:00+01:00",
        }
        assert made.json() == expected
        assert client.get(base).json() == [expected]
        changed = client.put(
            f"{base}/{schedule.pk}",
            json.dumps({**body, "frequency": "weekly", "weekday": 4, "reports": ["sla"]}),
            content_type="application/json",
        )
        assert changed.json() == {
            **expected,
            "frequency": "weekly",
            "weekday": 4,
            "reports": ["sla"],
            "next_send": "2026-11-27T07:30:00+01:00",
        }
        tested = client.post(f"{base}/{schedule.pk}/test")
        assert tested.json() == {
            "id": ScheduleSend.objects.get().pk,
            "test": True,
            "status": "sent",
            "first_day": "2026-11-20",
            "last_day": "2026-11-26",
            "at": "2026-11-20T10:00:00+01:00",
            "recipients": ["adam@acme.test", "cfo@acme.test"],
            "error": "",
        }
        unknown = client.post(
            base, json.dumps({**body, "members": ["nobody"]}), content_type="application/json"
        )
        assert (unknown.status_code, unknown.json()["detail"]) == (
            422,
            "recipients must be members of the workspace",
        )
    assert client.get("/api/workspaces/globex/report-schedules").status_code == 404
    assert client.delete(f"{base}/{schedule.pk}").status_code == 204
    assert not ReportSchedule.objects.exists()


def test_a_send_that_reached_nobody_is_tried_again_after_a_pause(
    workspace: Any, boss: User, smtp: Mailbox, settings: Any
) -> None:
    create_schedule(
        boss,
        workspace,
        now=utc(2026, 11, 1),
        name="Daily",
        frequency="daily",
        weekday=None,
        time_of_day="08:00",
        member_ids=[boss.pk],
    )
    working = settings.MAILERS
    _use_smtp(settings, port_in(range(8135, 8140)))  # nothing listens there
    assert send_due_reports(utc(2026, 11, 23, 7)) == 1
    sent = ScheduleSend.objects.get()
    assert (sent.status, sent.attempts) == ("failed", 1)
    assert sent.error.startswith("adam@acme.test: [Errno 111]")
    settings.MAILERS = working
    assert send_due_reports(utc(2026, 11, 23, 7, 4, 59)) == 0
    assert send_due_reports(utc(2026, 11, 23, 7, 5)) == 1
    assert send_due_reports(utc(2026, 11, 23, 7, 30)) == 0
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.at, sent.error) == ("sent", 2, utc(2026, 11, 23, 7, 5), "")
    assert [to for _, to, _ in smtp.received] == [["adam@acme.test"]]
