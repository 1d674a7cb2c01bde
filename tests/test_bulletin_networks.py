"""Bulletins end to end on every network that lets the brand publish, against the fakes speaking each
network's wire format: the bulletin is one post per brand account, the update answers it there, and
a crash mid-send never posts twice. Then 500 linked conversations get their pointer within each
network's published sending limits (the outbox paces them on a simulated clock)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db.models import Max, Min

from socialdesk.channels.bluesky.tests.fake_pds import BRAND_DID, FakePds
from socialdesk.channels.mastodon.tests.fake_instance import FakeInstance
from socialdesk.channels.meta.tests.fake_graph import FakeGraph
from socialdesk.channels.models import Channel
from socialdesk.channels.reddit.tests.fake_reddit import FakeReddit
from socialdesk.channels.telegram.tests.fake_bot_api import FakeBotApi
from socialdesk.channels.testing import brand_channel
from socialdesk.channels.x.tests.fake_server import FakeX
from socialdesk.conversations.models import DeliveryStatus, Message
from socialdesk.incidents.answers import answer_everyone
from socialdesk.incidents.bulletins import publish_bulletin
from socialdesk.incidents.models import AnswerHow, Bulletin, IncidentAnswer
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem, OutboxStatus
from tests.bulletin_setup import BULLETIN, bulletin_policy, incident, linked_conversation
from tests.helpers import T0

X_SECRET = "x-consumer-secret"
TG_TOKEN = "123456:tg-token"
STATUS_CHANNEL = -1001500000001


@dataclass
class Fakes:
    x: FakeX
    graph: FakeGraph
    mastodon: FakeInstance
    pds: FakePds
    bot: FakeBotApi
    reddit: FakeReddit


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    servers = Fakes(
        FakeX("ck", X_SECRET, "at", "ats", brand_id="9001"),
        FakeGraph(token="page-token"),
        FakeInstance("masto-token"),
        FakePds("nimbus.bsky.social", "app-pass-1234"),
        FakeBotApi(TG_TOKEN, channels={"@nimbus_status": STATUS_CHANNEL}),
        FakeReddit("app-id", "app-secret", "NimbusMobile", "reddit-pass"),
    )
    every = (servers.x, servers.graph, servers.mastodon, servers.pds, servers.bot, servers.reddit)
    for server in every:
        server.start()
    try:
        yield servers
    finally:
        for server in every:
            server.stop()


@pytest.fixture
def accounts(workspace: Any, fakes: Fakes) -> dict[str, Channel]:
    bulletin_policy(
        workspace, [{"network": "reddit", "role": "brand", "handle": "u/NimbusMobile", "bulletins": True}]
    )
    x_keys = {
        "consumer_key": "ck",
        "consumer_secret": X_SECRET,
        "access_token": "at",
        "access_token_secret": "ats",
    }
    reddit_app = {
        "client_id": "app-id", "client_secret": "app-secret",
        "username": "NimbusMobile", "password": "reddit-pass",
    }  # fmt: skip
    page = {"app_secret": "meta-secret", "access_token": "page-token", "verify_token": "v"}
    return {
        "x": brand_channel(workspace, "x", "@NimbusMobile", x_keys, user_id="9001", api_base=fakes.x.url),
        "facebook": brand_channel(
            workspace, "facebook", "NimbusMobile", page, page_id="1001", api_base=fakes.graph.url
        ),
        "mastodon": brand_channel(
            workspace, "mastodon", "@nimbus@social.example", {"access_token": "masto-token"},
            instance=fakes.mastodon.url, account_id="109000000000000001",
        ),
        "bluesky": brand_channel(
            workspace, "bluesky", "@nimbus.example",
            {"handle": "nimbus.bsky.social", "app_password": "app-pass-1234"},
            api_base=fakes.pds.url, did=BRAND_DID,
        ),
        "telegram": brand_channel(
            workspace, "telegram", "@NimbusHelpBot", {"bot_token": TG_TOKEN, "secret_token": "s"},
            api_base=fakes.bot.url, broadcast_chat="@nimbus_status",
        ),
        "reddit": brand_channel(
            workspace, "reddit", "u/NimbusMobile", reddit_app,
            api_base=fakes.reddit.url, subreddit="NimbusMobile",
        ),
    }  # fmt: skip


def _posted(fakes: Fakes) -> dict[str, list[tuple[str, str]]]:
    """(text, what it answers) of every post the brand made, per network, oldest first."""
    x = [
        (t["text"], next((r["id"] for r in t.get("referenced_tweets", [])), ""))
        for t in fakes.x.tweets.values()
    ]
    facebook = [(m, "") for m in fakes.graph.feed.values()] + [
        (c["message"], c["parent"]) for c in fakes.graph.comments.values()
    ]
    mastodon = [
        (s["content"].removeprefix("<p>").removesuffix("</p>"), s["in_reply_to_id"] or "")
        for s in fakes.mastodon.statuses.values()
    ]
    bluesky = [
        (p["record"]["text"], (p["record"].get("reply") or {}).get("parent", {}).get("uri", ""))
        for p in reversed(fakes.pds.posts)
    ]
    telegram = [(m["text"], str(m["reply_to"] or "")) for m in fakes.bot.sent]
    reddit = [(p["selftext"], "") for p in reversed(fakes.reddit.submitted)] + [
        (c["body"], c["parent_id"]) for c in reversed(fakes.reddit.comments)
    ]
    return {"x": x, "facebook": facebook, "mastodon": mastodon, "bluesky": bluesky, "telegram": telegram,
            "reddit": reddit}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_bulletin_and_an_update_on_every_network(
    workspace: Any, lead: Any, accounts: dict[str, Channel], fakes: Fakes
) -> None:
    # Given an open incident and a policy posting bulletins on six brand accounts
    outage = incident(workspace)
    link = f"http://localhost:8000/status/acme/#incident-{outage.pk}"
    first_text = BULLETIN.replace("{incident_link}", link)
    update_text = f"Update: data is back for most of central Madrid; the last cells follow by 11:00. {link}"
    # When the lead publishes the bulletin, then an update
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        first = publish_bulletin(lead, outage, "en", BULLETIN, T0 + timedelta(minutes=20))
    with time_machine.travel(T0 + timedelta(minutes=80), tick=False):
        update = publish_bulletin(lead, outage, "en", update_text, T0 + timedelta(minutes=80))
    # Then each account has the bulletin as a new post and the update answering it
    assert (first.kind, update.kind) == (Bulletin.Kind.BULLETIN, Bulletin.Kind.UPDATE)
    first_ids = {p.channel.network: p.network_id for p in first.posts.select_related("channel")}
    posted = _posted(fakes)
    for network in ("x", "facebook", "mastodon", "bluesky", "telegram", "reddit"):
        thread = first_ids[network].split(":")[-1] if network == "telegram" else first_ids[network]
        assert posted[network] == [(first_text, ""), (update_text, thread)], network
    assert fakes.bot.sent[0]["chat_id"] == STATUS_CHANNEL  # the brand's channel, by its @name
    assert fakes.reddit.submitted[0]["title"] == "Mobile data is down in central Madrid since 08:40."
    assert set(OutboxItem.objects.values_list("kind", "status").distinct()) == {("post", OutboxStatus.SENT)}
    assert OutboxItem.objects.count() == 12
    # And the incident's public text and link are the bulletin's (templates' {incident_link})
    outage.refresh_from_db()
    assert (outage.public_url, outage.public_text) == (link, update_text[:280])
    # And the internal title went nowhere
    assert all("NET-8812" not in text for texts in posted.values() for text, _ in texts)


@pytest.mark.django_db(transaction=True)
def test_a_post_whose_sender_died_is_found_on_the_network_not_posted_again(
    workspace: Any, lead: Any, accounts: dict[str, Channel], fakes: Fakes
) -> None:
    outage = incident(workspace)
    with time_machine.travel(T0, tick=False):
        bulletin = publish_bulletin(lead, outage, "en", BULLETIN, T0)
    x_post = bulletin.posts.get(channel__network="x")
    item = OutboxItem.objects.get(post=x_post)
    # Given the sender was killed after X took the post but before it recorded so
    OutboxItem.objects.filter(pk=item.pk).update(
        status=OutboxStatus.SENDING, claimed_until=T0 + timedelta(minutes=2), network_id=""
    )
    x_post.network_id = ""
    x_post.save(update_fields=["network_id"])
    # When the outbox recovers the stale row
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        outbox_tick(T0 + timedelta(minutes=5))
    # Then X's own post is recognised and nothing is posted twice
    item.refresh_from_db()
    x_post.refresh_from_db()
    assert (item.status, item.network_id) == (OutboxStatus.SENT, x_post.network_id)
    assert len(fakes.x.tweets) == 1
    assert x_post.network_id == next(iter(fakes.x.tweets))


# How many linked conversations each network gets: X the most, so its published limit (100 posts
# per 15 minutes per account) has to pace the replies.
SPREAD = {"x": 250, "mastodon": 100, "facebook": 50, "telegram": 50, "reddit": 50}


def _network_id(network: str, n: int) -> str:
    return {
        "x": f"18{n:08d}",
        "mastodon": f"1135{n:012d}",
        "facebook": f"777_{n}",
        "telegram": f"-1001999000001:{n}",
        "reddit": f"t1_c{n}",
    }[network]


@pytest.mark.django_db(transaction=True)
def test_five_hundred_people_get_a_pointer_within_the_networks_limits(
    workspace: Any, lead: Any, accounts: dict[str, Channel], fakes: Fakes
) -> None:
    outage = incident(workspace)
    n = 0
    for network, count in SPREAD.items():
        for _ in range(count):
            n += 1
            handle = f"user{n}@fosstodon.org" if network == "mastodon" else ""
            linked_conversation(
                accounts[network], outage, n, network_id=_network_id(network, n), handle=handle
            )
    start = T0 + timedelta(minutes=30)
    pointer = {"en": "Sorry, we know: data is down in central Madrid. Follow the fix here: {incident_link}"}
    wall = time.perf_counter()
    with time_machine.travel(start, tick=False):
        publish_bulletin(lead, outage, "en", BULLETIN, start)
        outcome = answer_everyone(lead, outage, reply=True, texts=pointer, now=start)
    now, ticks = start, 0
    while OutboxItem.objects.filter(status=OutboxStatus.PENDING).exists():
        due = OutboxItem.objects.filter(status=OutboxStatus.PENDING).aggregate(at=Min("next_attempt_at"))[
            "at"
        ]
        now = max(now, due)
        with time_machine.travel(now, tick=False):
            outbox_tick(now, limit=1000)
        ticks += 1
        assert ticks < 50
    wall = time.perf_counter() - wall

    assert outcome.counts == {AnswerHow.POINTER: 500}
    replies = OutboxItem.objects.filter(kind="reply")
    assert replies.filter(status=OutboxStatus.SENT).count() == 500
    assert Message.objects.filter(automatic=True, delivery_status=DeliveryStatus.SENT).count() == 500
    # X: 100 now, 100 after 15 minutes, the last 50 after 30; the others all at once.
    sent = replies.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    assert (sent["first"], sent["last"]) == (start, start + timedelta(minutes=30))
    x_times = sorted(t for t in replies.filter(channel=accounts["x"]).values_list("sent_at", flat=True) if t)
    assert [x_times[0], x_times[100], x_times[200]] == [
        start,
        start + timedelta(minutes=15),
        start + timedelta(minutes=30),
    ]
    for i in range(len(x_times) - 100):
        assert x_times[i + 100] - x_times[i] >= timedelta(minutes=15)  # never 101 in a window
    assert len(fakes.x.tweets) == 250 + 1  # the replies and the bulletin, each once
    assert len(fakes.mastodon.statuses) == 100 + 1
    mastodon_replies = [s for s in fakes.mastodon.statuses.values() if s["in_reply_to_id"]]
    assert mastodon_replies[0]["content"] == (
        "<p>@user251@fosstodon.org Sorry, we know: data is down in central Madrid. Follow the fix here: "
        f"http://localhost:8000/status/acme/#incident-{outage.pk}</p>"
    )
    # Asked again, nobody is answered twice
    with time_machine.travel(now, tick=False):
        again = answer_everyone(lead, outage, reply=True, texts=pointer, now=now)
    assert again.counts == {}
    assert IncidentAnswer.objects.count() == 500
    print(f"\n500 pointers: {sent['last'] - sent['first']} on the simulated clock, {wall:.1f} s wall clock")
