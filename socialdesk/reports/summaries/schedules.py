"""Scheduled reports (issue 17): a workspace's leads and admins choose reports to be mailed daily or
weekly at a local time of day in the workspace's zone, to members and/or plain addresses. The job
sends each due schedule once per slot: the send row, unique per schedule and local slot day, is the
claim, so a job run twice or on two machines mails once; every send (tests included) is recorded."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from socialdesk.errors import DeskError
from socialdesk.notifications.text import absolute
from socialdesk.policy.zone import workspace_zone
from socialdesk.reports.models import Frequency, ReportSchedule, ScheduleSend, SendStatus
from socialdesk.reports.summaries import catalog
from socialdesk.reports.summaries.mailing import compose, message
from socialdesk.reports.summaries.period import Period
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Membership, Role, Workspace

log = logging.getLogger(__name__)

MANAGERS = (Role.LEAD, Role.ADMIN)
REFUSAL = "only the workspace's leads and admins manage scheduled reports"
# The key set when none is chosen: volume, first response and resolution times, SLA attainment, CSAT.
KEY_REPORTS = ("volume", "response_times", "sla", "csat")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_RECIPIENTS = 50
PAGE = "/reports/schedules/"
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=5)  # then 10 minutes; a send that crashed mid-way is not retried


def default_reports() -> list[str]:
    return [name for name in KEY_REPORTS if name in catalog.NAMES]


# --- when -----------------------------------------------------------------------------------------


def slot_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC moment of local `at` on `day`. A time the clocks skip (02:30 on the spring-forward
    night) is read with the offset before the change, i.e. an hour later on the new clock; a time
    that happens twice (the autumn night) is its first occurrence."""
    return datetime.combine(day, at, zone).astimezone(UTC)


def _on(frequency: str, weekday: int | None, day: date) -> bool:
    return frequency == Frequency.DAILY or day.weekday() == weekday


def latest_slot(
    frequency: str, weekday: int | None, at: time, zone: tzinfo, now: datetime
) -> tuple[date, datetime]:
    """The most recent slot at or before `now`: (its local day, its UTC moment)."""
    day = now.astimezone(zone).date() + timedelta(days=1)
    for _ in range(16):
        if _on(frequency, weekday, day):
            moment = slot_moment(day, at, zone)
            if moment <= now:
                return day, moment
        day -= timedelta(days=1)
    raise AssertionError("a slot comes at least once a week")  # pragma: no cover


def next_slot(frequency: str, weekday: int | None, at: time, zone: tzinfo, now: datetime) -> datetime:
    """The first slot after `now` (UTC)."""
    day = now.astimezone(zone).date() - timedelta(days=1)
    for _ in range(16):
        if _on(frequency, weekday, day):
            moment = slot_moment(day, at, zone)
            if moment > now:
                return moment
        day += timedelta(days=1)
    raise AssertionError("a slot comes at least once a week")  # pragma: no cover


def covered(frequency: str, slot_day: date, zone: tzinfo) -> Period:
    """What a slot's email covers: the local day before it (daily) or the seven days before it."""
    last = slot_day - timedelta(days=1)
    first = last if frequency == Frequency.DAILY else last - timedelta(days=6)
    return Period(first, last, zone)


# --- what (the form's fields, checked) ------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    frequency: str
    weekday: int | None
    time_of_day: time
    member_ids: list[int]
    emails: list[str]
    reports: list[str]


def clean(
    workspace_id: int,
    *,
    name: str,
    frequency: str,
    weekday: int | str | None,
    time_of_day: str | time,
    member_ids: list[int] | None = None,
    emails: list[str] | str | None = None,
    reports: list[str] | None = None,
) -> ScheduleSpec:
    name = " ".join(name.split())[:80] or "Report"
    if frequency not in Frequency.values:
        raise DeskError("a schedule is daily or weekly", code="bad_schedule")
    day: int | None = None
    if frequency == Frequency.WEEKLY:
        if isinstance(weekday, str):
            weekday = (
                int(weekday)
                if weekday.isdecimal()
                else (WEEKDAYS.index(weekday.title()) if weekday.title() in WEEKDAYS else None)
            )
        if weekday is None or not 0 <= weekday <= 6:
            raise DeskError("a weekly schedule names its weekday (0 Monday … 6 Sunday)", code="bad_schedule")
        day = weekday
    if isinstance(time_of_day, str):
        try:
            time_of_day = time.fromisoformat(time_of_day.strip())
        except ValueError as exc:
            raise DeskError("the time of day is written HH:MM, e.g. 08:00", code="bad_schedule") from exc
    time_of_day = time_of_day.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(emails, str):
        emails = emails.replace(",", " ").replace(";", " ").split()
    addresses = sorted({e.strip().lower() for e in emails or [] if e.strip()})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise DeskError(f"not an email address: {address}", code="bad_schedule") from exc
    members = sorted(set(member_ids or []))
    found = set(
        Membership.objects.filter(workspace_id=workspace_id, user_id__in=members).values_list(
            "user_id", flat=True
        )
    )
    if set(members) - found:
        raise DeskError("recipients must be members of the workspace", code="bad_schedule")
    if not members and not addresses:
        raise DeskError("choose at least one recipient: a member or an email address", code="bad_schedule")
    if len(members) + len(addresses) > MAX_RECIPIENTS:
        raise DeskError(f"a schedule has at most {MAX_RECIPIENTS} recipients", code="bad_schedule")
    chosen = list(dict.fromkeys(reports or [])) or default_reports()
    unknown = [r for r in chosen if r not in catalog.NAMES]
    if unknown:
        raise DeskError(
            f"unknown reports: {', '.join(unknown)}; one of: {', '.join(catalog.NAMES)}", code="bad_schedule"
        )
    if not chosen:
        raise DeskError("choose at least one report", code="bad_schedule")
    return ScheduleSpec(name, frequency, day, time_of_day, members, addresses, chosen)


# --- actions --------------------------------------------------------------------------------------


def managed_workspaces(user: User | AnonymousUser) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    managed = Membership.objects.filter(user_id=user.pk, role__in=MANAGERS).values("workspace_id")
    return Workspace.objects.filter(pk__in=managed).order_by("name")


def schedules_of(user: User | AnonymousUser) -> QuerySet[ReportSchedule]:
    return (
        ReportSchedule.objects.filter(workspace__in=managed_workspaces(user))
        .select_related("workspace")
        .prefetch_related("members")
        .order_by("workspace__name", "name", "pk")
    )


def list_schedules(actor: User, workspace: Workspace) -> list[ReportSchedule]:
    require_role(actor, workspace.pk, MANAGERS, REFUSAL)
    return list(
        ReportSchedule.objects.filter(workspace=workspace).prefetch_related("members").order_by("name", "pk")
    )


def create_schedule(
    actor: User, workspace: Workspace, now: datetime | None = None, **fields: object
) -> ReportSchedule:
    require_role(actor, workspace.pk, MANAGERS, REFUSAL)
    spec = clean(workspace.pk, **fields)  # type: ignore[arg-type]
    with transaction.atomic():
        schedule = ReportSchedule.objects.create(
            workspace=workspace,
            name=spec.name,
            frequency=spec.frequency,
            weekday=spec.weekday,
            time_of_day=spec.time_of_day,
            emails=spec.emails,
            reports=spec.reports,
            starts_at=now or timezone.now(),
            created_by=actor,
        )
        schedule.members.set(spec.member_ids)
    return schedule


def own(actor: User | None, schedule_id: int) -> ReportSchedule:
    schedule = ReportSchedule.objects.select_related("workspace").filter(pk=schedule_id).first()
    if schedule is None:
        raise DeskError("not found", code="not_found", status=404)
    require_role(actor, schedule.workspace_id, MANAGERS, REFUSAL)  # a non-member is told 404
    return schedule


def update_schedule(
    actor: User, schedule_id: int, now: datetime | None = None, *, active: bool = True, **fields: object
) -> ReportSchedule:
    schedule = own(actor, schedule_id)
    spec = clean(schedule.workspace_id, **fields)  # type: ignore[arg-type]
    moved = (spec.frequency, spec.weekday, spec.time_of_day) != (
        schedule.frequency,
        schedule.weekday,
        schedule.time_of_day,
    )
    schedule.name, schedule.frequency, schedule.weekday = spec.name, spec.frequency, spec.weekday
    schedule.time_of_day, schedule.emails, schedule.reports = spec.time_of_day, spec.emails, spec.reports
    if moved or (active and not schedule.active):
        schedule.starts_at = now or timezone.now()  # the new timing's first slot is the next one
    schedule.active = active
    with transaction.atomic():
        schedule.save()
        schedule.members.set(spec.member_ids)
    return schedule


def delete_schedule(actor: User, schedule_id: int) -> None:
    own(actor, schedule_id).delete()


def send_now(actor: User, schedule_id: int, now: datetime | None = None) -> ScheduleSend:
    """A test: the schedule's email for the period its next slot would cover, sent at once and
    recorded as a test (the scheduled send still goes out)."""
    schedule = own(actor, schedule_id)
    now = now or timezone.now()
    zone = workspace_zone(schedule.workspace_id)
    upcoming = next_slot(schedule.frequency, schedule.weekday, schedule.time_of_day, zone, now)
    period = covered(schedule.frequency, upcoming.astimezone(zone).date(), zone)
    sent = ScheduleSend.objects.create(
        schedule=schedule,
        test=True,
        first_day=period.first_day,
        last_day=period.last_day,
        at=now,
        sent_by=actor,
    )
    return deliver(schedule, sent, period)


# --- sending --------------------------------------------------------------------------------------


def recipients(schedule: ReportSchedule) -> list[str]:
    """Members who are still in the workspace and have an address, then the plain addresses."""
    members = Membership.objects.filter(
        workspace_id=schedule.workspace_id, user__in=schedule.members.all()
    ).values_list("user__email", flat=True)
    return list(dict.fromkeys([*sorted(e.lower() for e in members if e), *schedule.emails]))


def deliver(schedule: ReportSchedule, sent: ScheduleSend, period: Period) -> ScheduleSend:
    """Build the reports, mail each recipient on their own (no one sees the others' addresses) and
    record the outcome on `sent`."""
    to = recipients(schedule)
    errors: list[str] = []
    try:
        reports = [
            catalog.build(name, schedule.workspace_id, period)
            for name in schedule.reports
            if name in catalog.NAMES
        ]
        mailing = compose(schedule.workspace.name, schedule.name, period, reports, absolute(PAGE))
    except Exception as failed:  # a report that cannot be built: recorded, shown on the page
        log.exception("scheduled report %s: cannot build", schedule.pk)
        errors.append(f"cannot build the reports: {failed}")
        to = []
    delivered = 0
    for address in to:
        try:
            message(mailing, address, schedule.pk).send()
            delivered += 1
        except smtplib.SMTPRecipientsRefused as refused:
            code, reason = next(iter(refused.recipients.values()))
            words = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
            errors.append(f"{address}: SMTP {code} {words}")
        except (smtplib.SMTPException, OSError) as failed:
            errors.append(f"{address}: {failed}")
    if not to and not errors:
        errors.append("no recipient has an email address")
    sent.recipients = to
    # Sent when anyone got it (a refused address is noted); failed when nobody did.
    sent.status = SendStatus.SENT if delivered else SendStatus.FAILED
    sent.error = "; ".join(errors)[:500]
    sent.save(update_fields=["recipients", "status", "error"])
    return sent


def claim(schedule: ReportSchedule, slot_day: date, period: Period, now: datetime) -> ScheduleSend | None:
    """The row that makes this machine the one that sends the slot, or None if another has it."""
    try:
        with transaction.atomic():
            return ScheduleSend.objects.create(
                schedule=schedule,
                slot_day=slot_day,
                first_day=period.first_day,
                last_day=period.last_day,
                at=now,
            )
    except IntegrityError:
        return None


def retry(sent: ScheduleSend, now: datetime) -> bool:
    """Take a failed send back (atomically: one machine wins) when its pause is over."""
    if sent.status != SendStatus.FAILED or sent.attempts >= MAX_ATTEMPTS:
        return False
    if now < sent.at + RETRY_AFTER * (2 ** (sent.attempts - 1)):
        return False
    return bool(
        ScheduleSend.objects.filter(pk=sent.pk, status=SendStatus.FAILED, attempts=sent.attempts).update(
            status=SendStatus.SENDING, attempts=F("attempts") + 1, at=now
        )
    )


def send_due_reports(now: datetime | None = None) -> int:
    """The job: every active schedule whose latest slot has come (and came after it was set) and has
    not been sent is sent. A desk that was down sends the latest missed slot once, not each one; a
    send that reached nobody is tried again after 5 and 10 minutes."""
    now = now or timezone.now()
    done = 0
    for schedule in ReportSchedule.objects.filter(active=True).select_related("workspace"):
        zone = workspace_zone(schedule.workspace_id)
        day, moment = latest_slot(schedule.frequency, schedule.weekday, schedule.time_of_day, zone, now)
        if moment < schedule.starts_at:
            continue
        period = covered(schedule.frequency, day, zone)
        earlier = ScheduleSend.objects.filter(schedule=schedule, slot_day=day, test=False).first()
        if earlier is not None:
            sent = earlier if retry(earlier, now) else None
        else:
            sent = claim(schedule, day, period, now)
        if sent is None:
            continue
        deliver(schedule, sent, period)
        done += 1
    return done


def describe(schedule: ReportSchedule) -> str:
    """'Weekly on Monday at 08:00', as the page and the API show it."""
    at = schedule.time_of_day.strftime("%H:%M")
    if schedule.frequency == Frequency.DAILY:
        return f"Daily at {at}"
    return f"Weekly on {WEEKDAYS[schedule.weekday or 0]} at {at}"
