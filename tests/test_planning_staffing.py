"""The staffing plan on a desk whose history is known exactly: four weeks in which 12 conversations
open at 09:00-09:30 (Madrid) every day and nothing else, a policy that hands 600 s per conversation,
85% occupancy and 50% shrinkage, and one agent on shift on Mondays 09:00-13:00. The clock is set
to Monday 30 November 2026 08:10 in Madrid."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from socialdesk.bench.planning_history import generated_history, nimbus_day_shape
from socialdesk.errors import DeskError
from socialdesk.planning.forecast import backtest
from socialdesk.planning.history import measured_handle_time
from socialdesk.planning.rota import suggest_rota
from socialdesk.planning.staffing import Plan, staffing_plan
from socialdesk.policy.actions import save_policy
from socialdesk.reports.models import Fact, FactKind
from socialdesk.roster.shifts import WeeklyHours, set_week
from socialdesk.workspaces.models import Workspace
from tests.helpers import logged_in

MADRID = ZoneInfo("Europe/Madrid")
NOW = datetime(2026, 11, 30, 8, 10, tzinfo=MADRID)
TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
# The example's own staffing section gives way to this one (a key written twice is refused).
TELECOM = TELECOM.split("\nstaffing:\n")[0]
STAFFING = "\nstaffing:\n  handle_seconds: 600\n  occupancy_cap: 0.85\n  shrinkage: 0.5\n"


@pytest.fixture
def desk(workspace: Workspace, lead: Any, agent: Any) -> Workspace:
    save_policy(workspace, TELECOM + STAFFING)
    facts = []
    for day in range(1, 29):  # the 28 days before Monday 30 November
        opens = datetime.combine(NOW.date() - timedelta(days=day), time(9, 0), tzinfo=MADRID)
        facts += [
            Fact(
                workspace=workspace,
                kind=FactKind.OPENED,
                at=opens + timedelta(minutes=2 * n),
                key=f"o{day}-{n}",
            )
            for n in range(12)
        ]
    Fact.objects.bulk_create(facts)
    set_week(None, workspace.pk, "alice", [WeeklyHours(0, time(9), time(13))], "Europe/Madrid")
    return workspace


def _at(plan: Plan, day: int, hour: int, minute: int) -> Any:
    return next(
        i for i in plan.intervals if (i.starts.day, i.starts.hour, i.starts.minute) == (day, hour, minute)
    )


def test_the_plan_sizes_each_interval_from_the_forecast(desk: Workspace, lead: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        plan = staffing_plan(lead, desk, datetime.now(UTC), weeks=2)
    # The plan starts at the interval now falls in: 672 half hours, Erlang C (no patience); the
    # history began at 09:00 four Mondays ago, so three whole weeks of it
    assert plan.intervals[0].starts == datetime(2026, 11, 30, 8, 0, tzinfo=MADRID)
    assert len(plan.intervals) == 672
    assert (plan.model, plan.target_seconds, plan.handle.source, plan.history_weeks) == (
        "Erlang C",
        3600,
        "policy",
        3,
    )
    # Monday 09:00: the forecast is half the slot's 12 plus a quarter of each neighbour (0): 6 an
    # interval = 12 an hour x 600 s = 2 erlangs; 3 agents keep occupancy under 85%; 50% shrinkage: 6
    monday = _at(plan, 30, 9, 0)
    assert (monday.volume, monday.agents, monday.required, monday.scheduled, monday.gap) == (
        6.0,
        3,
        6,
        1.0,
        -5.0,
    )
    # 08:30 and 09:30 get a quarter: 3 conversations, 1 erlang, 2 agents, 4 people
    assert [(i.volume, i.agents, i.required) for i in (_at(plan, 30, 8, 30), _at(plan, 30, 9, 30))] == [
        (3.0, 2, 4),
        (3.0, 2, 4),
    ]
    assert round(monday.service_level, 4) == 0.9989  # 1 - C(2 erlangs, 3) x e^-6
    # Alice works 09:00-13:00: 10:00-13:00 nobody is needed, so it is overstaffed
    assert _at(plan, 30, 12, 30).gap == 1.0
    # Monday 7 and Tuesday 8 December are holidays in Madrid: their 24 conversations wait for
    # Wednesday's opening at 08:00 and are worked off over two hours, 6 an interval, on top of the
    # forecast (0, 3, 6, 3): at 09:00, 12 = 24 an hour x 600 s = 4 erlangs, 5 agents, 10 people
    assert _at(plan, 8, 9, 0).open is False
    wednesday = [_at(plan, 9, 8, 0), _at(plan, 9, 8, 30), _at(plan, 9, 9, 0), _at(plan, 9, 9, 30)]
    assert [(i.volume, i.agents, i.required) for i in wednesday] == [
        (6.0, 3, 6),
        (9.0, 4, 8),
        (12.0, 5, 10),
        (9.0, 4, 8),
    ]
    # Saturday opens at 09:00 (08:30's 3 spread: +0.75) and Sunday at 10:00 (the morning's 12: +3)
    assert (_at(plan, 5, 9, 0).volume, _at(plan, 5, 9, 0).required) == (6.75, 6)
    assert (_at(plan, 6, 10, 0).volume, _at(plan, 6, 10, 0).required) == (3.0, 4)
    assert (len(plan.under), len(plan.over), plan.person_hours()) == (41, 14, (95.0, 8.0))
    # The rota puts the required people on: 8-hour shifts from the first interval that needs them
    assert [(s.starts, s.ends, s.people) for s in plan.rota[:2]] == [
        (datetime(2026, 11, 30, 8, 30, tzinfo=MADRID), datetime(2026, 11, 30, 16, 30, tzinfo=MADRID), 4),
        (datetime(2026, 11, 30, 9, 0, tzinfo=MADRID), datetime(2026, 11, 30, 17, 0, tzinfo=MADRID), 2),
    ]


def test_what_if_the_volume_doubles(desk: Workspace, lead: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        plan = staffing_plan(lead, desk, datetime.now(UTC), weeks=1, volume_factor=2)
    monday = _at(plan, 30, 9, 0)
    # 12 an interval = 4 erlangs: 5 agents (80% busy), 10 people
    assert (monday.volume, monday.agents, monday.required) == (12.0, 5, 10)


def test_patience_switches_to_erlang_a(desk: Workspace, lead: Any) -> None:
    save_policy(desk, TELECOM + STAFFING + "  patience_minutes: 20\n  target_minutes: 5\n")
    with time_machine.travel(NOW, tick=False):
        plan = staffing_plan(lead, desk, datetime.now(UTC), weeks=1)
    monday = _at(plan, 30, 9, 0)
    assert (plan.model, plan.target_seconds, plan.patience_seconds) == ("Erlang A", 300, 1200.0)
    assert (monday.agents, round(monday.service_level, 4)) == (3, 0.8211)


def test_only_leads_and_admins_see_the_plan_and_strangers_see_nothing(
    desk: Workspace, agent: Any, other_workspace: Workspace
) -> None:
    with pytest.raises(DeskError) as refused:
        staffing_plan(agent, desk, NOW)
    assert refused.value.status == 403
    with pytest.raises(DeskError) as hidden:
        staffing_plan(agent, other_workspace, NOW)
    assert hidden.value.status == 404


def test_handle_time_is_measured_from_an_agents_successive_responses(
    workspace: Workspace, agent: Any
) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    # alice answers every 240 s for 32 responses, pauses an hour, answers once more; 16 conversations
    moments = [start + timedelta(seconds=240 * n) for n in range(32)] + [start + timedelta(hours=3)]
    facts = [
        Fact(workspace=workspace, kind=FactKind.RESPONSE, at=at, key=f"r{n}", agent=agent)
        for n, at in enumerate(moments)
    ]
    facts += [Fact(workspace=workspace, kind=FactKind.OPENED, at=start, key=f"o{n}") for n in range(16)]
    Fact.objects.bulk_create(facts)
    measured = measured_handle_time(workspace.pk, start, start + timedelta(days=1))
    # 31 gaps of 240 s (the hour is a pause) per response, 33 responses for 16 conversations
    assert (measured.seconds, measured.source, measured.samples) == (round(240 * 33 / 16, 1), "history", 31)
    too_little = measured_handle_time(workspace.pk, start, start + timedelta(minutes=30))
    assert (too_little.seconds, too_little.source) == (300, "default")


def test_the_rota_covers_every_interval_with_fixed_shifts() -> None:
    starts = [datetime(2026, 12, 7, 8, tzinfo=UTC) + timedelta(hours=h) for h in range(6)]
    shifts = suggest_rota(starts, [1, 2, 2, 1, 0, 1], timedelta(hours=1), length=3)
    assert [(s.starts.hour, s.ends.hour, s.people) for s in shifts] == [(8, 11, 1), (9, 12, 1), (13, 14, 1)]


def test_the_api_gives_leads_the_same_plan_and_refuses_agents(desk: Workspace, lead: Any, agent: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        answer = logged_in(lead).get("/api/workspaces/acme/staffing?weeks=1&volume_factor=2")
        refused = logged_in(agent).get("/api/workspaces/acme/staffing")
        invalid = logged_in(lead).get("/api/workspaces/acme/staffing?weeks=9")
        stranger = Client().get("/api/workspaces/acme/staffing")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["model"], body["volume_factor"], body["time_zone"], len(body["intervals"])) == (
        "Erlang C",
        2.0,
        "Europe/Madrid",
        336,
    )
    monday = next(i for i in body["intervals"] if i["starts"] == "2026-11-30T09:00:00+01:00")
    assert (monday["volume"], monday["agents"], monday["required"], monday["gap"]) == (12.0, 5, 10, -9.0)
    assert (refused.status_code, invalid.status_code, stranger.status_code) == (403, 422, 401)


def test_the_planning_page_draws_the_chart_and_the_rota(desk: Workspace, lead: Any, agent: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        page = logged_in(lead).get("/planning/?workspace=acme&weeks=1&volume_factor=2")
        refused = logged_in(agent).get("/planning/?workspace=acme")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="staffing-chart"' in text and 'class="under"' in text
    assert 'name="volume_factor"' in text and 'value="2.0"' in text
    assert "<td>Mon 30/11 08:30</td><td>Mon 30/11 16:30</td>" in text
    assert refused.status_code == 403 and "Only leads and admins" in refused.content.decode()


def test_the_forecast_beats_seasonal_naive_on_held_back_weeks() -> None:
    # Twelve generated weeks (Poisson noise, a 2%/week trend, one outage), the last four held back
    for day in (None, nimbus_day_shape()):
        history = generated_history(12, seed=3) if day is None else generated_history(12, day=day, seed=3)
        scores = backtest(history, 4)
        naive, ours = scores["seasonal naive"], scores["recent weeks"]
        assert ours.mae < naive.mae and ours.rmse < naive.rmse and ours.wape < naive.wape
    assert (round(naive.mae, 3), round(ours.mae, 3)) == (2.797, 2.226)


def test_plan_staffing_prints_the_table_and_the_rota(desk: Workspace) -> None:
    from typer.testing import CliRunner

    from socialdesk.cli import app

    with time_machine.travel(NOW, tick=False):
        shown = CliRunner().invoke(
            app,
            ["plan", "staffing", "--workspace", "acme", "--weeks", "1", "--volume-factor", "2"],
            env={"COLUMNS": "200"},
        )
    assert shown.exit_code == 0, shown.output
    assert "Mon 30/11 09:00" in shown.output
    assert "understaffed intervals: 23; overstaffed: 6; person-hours required 78, scheduled 4" in shown.output
    assert "  Mon 30/11 08:30 - Mon 16:30  x 6" in shown.output.splitlines()


def test_a_closed_periods_arrivals_are_answered_over_the_next_open_intervals() -> None:
    from socialdesk.planning.staffing import with_backlog

    # Closed at 0, 2 and 3; each backlog is split over the next two open intervals, none is lost
    answered = with_backlog([1, 2, 3, 4, 5, 6], [False, True, False, False, True, True], 2)
    assert answered == [0.0, 2.5, 0.0, 0.0, 9.0, 9.5]
    assert sum(answered) == 21
