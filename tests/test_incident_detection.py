"""Incident detection from the posts themselves (issue 16): a burst of alike posts in several
languages above the usual rate opens an incident with a draft title and summary; alike posts that
follow join it; look-alikes (another city, an old problem) and quiet hours do not. The e5 model is the
real one; the clock is set by the posts' own times."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from socialdesk.conversations.models import Message
from socialdesk.incidents.detection import busiest, function_words, spike_needs, usual_count
from socialdesk.incidents.models import DetectedBy, Incident, PostMeaning
from socialdesk.ingest.actions import receive_event
from socialdesk.notifications.models import Notification
from socialdesk.policy.actions import save_policy
from socialdesk.policy.loader import load_policy
from tests.helpers import T0, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)

# An ordinary morning: one post every ten minutes, each about something else.
MORNING = [
    "@NimbusMobile how much is a call to Morocco with the 25€ plan?",
    "@NimbusMobile me habéis cobrado dos veces la factura de noviembre",
    "@NimbusMobile your app logged me out three times this morning",
    "@NimbusMobile quiero cambiar mi tarifa a la de 20 euros, cómo lo hago?",
    "@NimbusMobile a minha fatura veio com serviços premium que não pedi",
    "@NimbusMobile the eSIM QR code never arrived by email",
    "@NimbusMobile ¿el roaming en Andorra está incluido?",
    "@NimbusMobile can I keep my number if I move to your family plan?",
    "@NimbusMobile pourquoi ma facture a augmenté de 3 euros ?",
    "@NimbusMobile la app no me deja pagar la recarga",
    "@NimbusMobile how do I set up voicemail on my new iPhone?",
    "@NimbusMobile me gustaría saber cuándo llega la fibra a mi calle",
]
# Then the network goes down in Madrid: people write at once, in their languages.
OUTAGE = [
    "@NimbusMobile se ha caído la red? estoy en Madrid y no tengo nada de cobertura",
    "@NimbusMobile is the network down in Madrid? phone just says SOS only",
    "@NimbusMobile sin cobertura en Madrid desde hace diez minutos, ni llamadas ni datos",
    "@NimbusMobile no signal at all in Madrid, can't call anyone",
    "@NimbusMobile estou em Madrid e fiquei sem rede nenhuma, o que se passa?",
    "@NimbusMobile Madrid sin red, todo el barrio igual",
    "@NimbusMobile pas de réseau depuis une demi-heure à Madrid",
    "@NimbusMobile no tengo señal en Madrid, se ha caído todo?",
]


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, TELECOM)
    return workspace


def _send(channel: Any, texts: list[str], *, start: float, every: float, prefix: str) -> list[str]:
    ids = []
    for i, text in enumerate(texts):
        post_id = f"{prefix}{i}"
        receive_event(
            channel, post_id, post(post_id, text, author=f"{prefix}-u{i}", minutes=start + i * every)
        )
        ids.append(post_id)
    return ids


def _incident_of(post_id: str) -> Incident | None:
    return Message.objects.get(network_message_id=post_id).conversation.incident


def test_a_burst_of_alike_posts_opens_one_incident_with_a_draft(telecom: Any, x_channel: Any) -> None:
    # Given a quiet morning (12 posts in two hours, nothing alike): nothing is embedded
    _send(x_channel, MORNING, start=0, every=10, prefix="m")
    assert Incident.objects.count() == 0
    assert PostMeaning.objects.count() == 0
    # When eight people report the Madrid outage within 14 minutes
    outage = _send(x_channel, OUTAGE, start=125, every=2, prefix="o")
    # Then one incident, found by the burst, holds each of their conversations and no other
    incident = Incident.objects.get()
    assert incident.detected_by == DetectedBy.BURST
    assert incident.place == "Madrid"
    assert [p for p in outage if _incident_of(p) != incident] == []
    assert incident.conversation_count == len(OUTAGE)
    assert incident.opened_at <= T0 + timedelta(minutes=125 + 2 * 7)
    # and a draft the lead can start from: the place and the burst's own words, not the brand's
    opened_with = round((incident.opened_at - T0).total_seconds() / 60 - 125) // 2 + 1
    assert incident.title.startswith("Madrid: ")
    assert "posts" not in incident.title  # a count in the title would be stale at the next post
    about = incident.title.removeprefix("Madrid: ").split(", ")
    assert len(about) == 4 and not set(about) & function_words()  # "estoy", "tengo" say nothing
    assert "nimbus" not in incident.title.lower()
    assert incident.summary.splitlines()[0].startswith(f"{opened_with} posts in {2 * (opened_with - 1)} min")
    # and the leads are told once
    told = Notification.objects.filter(kind="incident_opened")
    assert [(n.incident_id, n.text) for n in told] == [(incident.pk, incident.title)]
    # but not of a spike: two hours of posts are too little history to say what is usual
    assert Notification.objects.filter(kind="spike").count() == 0


def test_far_more_posts_than_usual_is_a_spike_told_once(telecom: Any, x_channel: Any) -> None:
    # Given a morning of twelve posts (minutes 0-110), then eight unrelated ones in eight minutes
    _send(x_channel, MORNING, start=0, every=10, prefix="m")
    _send(x_channel, MORNING[:8], start=200, every=1, prefix="s")
    # Then the leads hear of a spike once (usual: 12 posts in the 177 minutes before the half hour)
    assert list(Notification.objects.filter(kind="spike").values_list("text", flat=True)) == [
        "8 customer posts in the last 30 minutes; usually about 2"
    ]
    # and nothing alike was found in them
    assert Incident.objects.count() == 0


def test_look_alikes_do_not_join_and_alike_posts_do(telecom: Any, x_channel: Any) -> None:
    _send(x_channel, MORNING, start=0, every=10, prefix="m")
    _send(x_channel, OUTAGE, start=125, every=2, prefix="o")
    incident = Incident.objects.get()
    # A post about another city, and one about an old problem, during the outage: not linked
    other_city = _send(
        x_channel,
        ["@NimbusMobile calls keep dropping in Barcelona near Sants, is it a known issue?"],
        start=142,
        every=1,
        prefix="b",
    )
    old = _send(
        x_channel,
        ["@NimbusMobile en mi casa se corta la señal cada dos por tres desde hace semanas"],
        start=143,
        every=1,
        prefix="w",
    )
    # An alike post in German: linked
    alike = _send(
        x_channel, ["@NimbusMobile kein Netz mehr in Madrid, was ist los?"], start=144, every=1, prefix="d"
    )
    assert _incident_of(other_city[0]) is None
    assert _incident_of(old[0]) is None
    assert _incident_of(alike[0]) == incident
    incident.refresh_from_db()
    assert incident.conversation_count == len(OUTAGE) + 1
    assert Incident.objects.count() == 1


def test_the_usual_rate_comes_from_the_workspace_history(telecom: Any, x_channel: Any) -> None:
    # Twelve posts in the two hours before: six per hour, three in a half hour
    _send(x_channel, MORNING, start=0, every=10, prefix="m")
    at = T0 + timedelta(minutes=150)
    assert usual_count(telecom.pk, at) == pytest.approx(12 * 30 / 120, abs=0.01)
    policy = load_policy(TELECOM)
    # a spike is the usual count, plus three standard deviations, and at least the policy's five
    assert spike_needs(policy, 3.0) == 9
    assert spike_needs(policy, 25.0) == 40


def test_the_busiest_half_hour_of_a_set_of_times() -> None:
    minutes = [0, 5, 10, 29, 31, 60, 61, 62, 63, 64, 89]
    assert busiest([T0 + timedelta(minutes=m) for m in minutes]) == 6  # 60-89 (30 minutes is the next)
    assert busiest([]) == 0


def test_an_incident_ends_when_its_posts_fall_far_below_their_peak(telecom: Any, x_channel: Any) -> None:
    _send(x_channel, MORNING, start=0, every=10, prefix="m")
    # Sixteen reports in half an hour (minutes 125-155): the busiest half hour holds 15 of them
    _send(x_channel, OUTAGE + OUTAGE, start=125, every=2, prefix="o")
    incident = Incident.objects.get()
    assert incident.conversation_count == 16
    # Twenty minutes on, two more join while the half hour still holds a quarter of that peak
    tail = _send(x_channel, [OUTAGE[0], OUTAGE[1]], start=175, every=5, prefix="t")
    assert [_incident_of(p) for p in tail] == [incident, incident]
    # At minute 183 the last half hour holds three of its posts, under a quarter of 15: the burst is
    # over, and an alike post three minutes later is not taken in (a busy desk's trickle of look-alikes
    # would otherwise keep an incident open all day)
    late = _send(x_channel, [OUTAGE[2]], start=183, every=1, prefix="z")
    assert _incident_of(late[0]) is None
    incident.refresh_from_db()
    assert incident.conversation_count == 18
