"""The registry is the one place a network is listed: every package has the same shape, nothing
outside a network's package names it, and a new network is its package plus one registry line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels import registry
from socialdesk.channels.models import Channel
from socialdesk.channels.polling import poll_channels
from socialdesk.channels.setup import SetupError, connect_channel, connectable
from socialdesk.channels.spec import Capability, NetworkSpec
from socialdesk.channels.tests.tinynet import client, poller
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.outbox.actions import paced_until
from socialdesk.policy.actions import save_policy
from socialdesk.policy.loader import PolicyError
from socialdesk.policy.networks import effective_rules
from socialdesk.policy.render import render_internal
from socialdesk.policy.schema import Policy
from socialdesk.replies.actions import ReplyRejected, send_reply

SOURCE = Path(registry.__file__).parents[1]  # the socialdesk package
CHANNELS = SOURCE / "channels"
# Facebook, Instagram and WhatsApp share Meta's webhook envelope and Graph client: their wire format
# (payloads.py) and end-to-end tests (one fake Graph API) live in channels/meta, which may name them.
META_NETWORKS = {"facebook", "instagram", "whatsapp"}
# Where naming networks is the point, each with its reason. Everything else must ask the registry.
NAMES_NETWORKS = {
    "channels/registry.py": "the one line per network",
    "demo/": "the demo scenario's posts on each network",
    "bench/": "benchmarks build sandbox channels simulating networks",
    "importers/twcs/": "imports X's 'Customer Support on Twitter' dataset",
    "cli/sandbox.py": "the `sandbox` command group",
    "cli/demo.py": "the demo desk replays its scenario through the sandbox",
    "scenarios/": "scenario days are played and scored through the sandbox network",
    "cli/scenario.py": "the `scenario` command group reads its days with the sandbox's reader",
    "cli/channels.py": "`channels listen-bluesky`: Bluesky's Jetstream, the one keyword stream so far",
}
# The same word meaning something else: "email" is also an address and a kind of message.
HOMONYMS = {
    "email": {
        "ingest/schema.py",  # the message kind
        "channels/sandbox/payloads.py",  # the message kind
        "triage/pii.py",  # an email address as personal data
        "conversations/masking.py",  # an email address: personal data agents may read
        "policy/schema.py",  # an offline contact kind and the {email} template variable
        "policy/templates.py",  # the {email} template variable
        "workspaces/actions.py",  # a user's email address
        "web/member_views.py",  # the invited person's email address
        "api/members.py",  # a member's email address
        "web/templates/web/members.html",  # the invited person's email address
        "notifications/models.py",  # email as a way to tell a member (a notification medium)
        "notifications/centre.py",  # the same medium, in the preferences
        "web/sso.py",  # the identity provider's email claim, matched to a user
    },
    "x": {
        "web/static/web/desk.js",  # the x key ticks an inbox row (bulk actions)
    },
}
FIXTURE_NAME = re.compile(r"^[a-z0-9_]+__[a-z0-9_]+\.(json|eml)$")


def _source_files() -> Iterator[Path]:
    """The desk's code and templates; not migrations (history) nor tests (which name what they test)."""
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix in {".py", ".html", ".js"} and not {"migrations", "tests"} & set(path.parts):
            yield path


def _mentions(text: str, spec: NetworkSpec) -> list[str]:
    quoted = "|".join(re.escape(n) for n in {spec.name, spec.display_name})
    pattern = re.compile(rf"(?<![\w])[\"'](?:{quoted})[\"']|channels[./]{re.escape(spec.name)}\b")
    return [m.group(0) for m in pattern.finditer(text)]


def test_every_network_package_has_the_same_shape() -> None:
    for spec in registry.specs():
        package = CHANNELS / spec.name
        files = {p.name for p in package.iterdir()}
        assert {"__init__.py", "adapter.py", "client.py"} <= files, spec.name
        assert spec.package == f"socialdesk.channels.{spec.name}", spec.name
        assert spec.load_adapter().name == spec.name
        assert re.fullmatch(r"[a-z][a-z0-9]{0,15}", spec.name), "a slug that fits Channel.network"
        if spec.webhook:
            assert "receiver.py" in files and spec.webhook_view() is not None, spec.name
        if spec.poller:
            assert "poller.py" in files and spec.poll_function() is not None, spec.name
        assert "receiver.py" in files or "poller.py" in files, spec.name
        if spec.setup_fields:
            assert spec.check_credentials() is not None, spec.name
        shared = CHANNELS / "meta" if spec.name in META_NETWORKS else package
        assert (shared / "payloads.py").is_file(), spec.name
        if spec.rules is not None:  # the sandbox is tested through the whole desk in tests/
            fixtures = sorted(p.name for p in (shared / "tests" / "fixtures").iterdir())
            assert fixtures, spec.name
            assert [f for f in fixtures if not FIXTURE_NAME.match(f)] == [], spec.name


def test_no_module_outside_a_network_package_names_it() -> None:
    found: list[str] = []
    for path in _source_files():
        where = path.relative_to(SOURCE).as_posix()
        if any(where.startswith(allowed) for allowed in NAMES_NETWORKS):
            continue
        text = path.read_text(encoding="utf-8")
        for spec in registry.specs():
            if where.startswith(f"channels/{spec.name}/") or where in HOMONYMS.get(spec.name, set()):
                continue
            found += [f"{where}: {mention}" for mention in _mentions(text, spec)]
    assert found == []


def test_the_name_search_finds_what_it_looks_for() -> None:
    x = registry.spec_for("x")
    assert _mentions("network == \"x\" or name == 'X'; from socialdesk.channels.x import SPEC", x) == [
        '"x"',
        "'X'",
        "channels.x",
    ]
    assert _mentions('b"x" * 10; "xy"; "box"', x) == []


def test_capabilities_promise_what_the_default_rules_allow() -> None:
    for spec in registry.specs():
        if spec.rules is None:
            continue
        rules = spec.rules
        assert (Capability.REPLY in spec.capabilities) == rules.public_reply, spec.name
        assert (Capability.HIDE in spec.capabilities) == rules.can_hide, spec.name
        assert (Capability.DELETE in spec.capabilities) == rules.can_delete_others, spec.name
        assert (Capability.PRIVATE_MESSAGE in spec.capabilities) == (rules.dm_eligibility != "none")


@pytest.fixture
def tinynet(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkSpec]:
    """The registry with one more line: the test network's package."""
    from socialdesk.channels.tests.tinynet import client, poller

    monkeypatch.setattr(registry, "PACKAGES", (*registry.PACKAGES, "socialdesk.channels.tests.tinynet"))
    registry.networks.cache_clear()
    client.SENT.clear()
    poller.INBOX.clear()
    yield registry.spec_for("tinynet")
    monkeypatch.undo()
    registry.networks.cache_clear()


def test_adding_a_network_is_its_package_and_one_registry_line(
    tinynet: NetworkSpec, workspace: Any, agent: Any
) -> None:
    # Channels: a choice of the model, with its display name; connected through its setup fields
    # and credential check.
    assert ("tinynet", "TinyNet") in list(Channel._meta.get_field("network").choices or [])
    assert connectable()["tinynet"] == tinynet.setup_fields
    with pytest.raises(SetupError, match=r"^tinynet refused these credentials: TinyNet: bad token$"):
        connect_channel(workspace, "tinynet", {"token": "bad"})
    channel = connect_channel(workspace, "tinynet", {"token": "good"})
    assert (channel.handle, channel.config, str(channel)) == (
        "@tiny_brand",
        {"tiny_id": "7"},
        "TinyNet @tiny_brand (brand)",
    )
    # Its webhook is routed (and signed) ...
    hook = f"/hooks/tinynet/{channel.pk}/"
    post = {"id": "p1", "user": "ana", "text": "hola?"}
    assert Client().post(hook, post, content_type="application/json").status_code == 401
    answer = Client().post(hook, post, content_type="application/json", headers={"X-Tiny-Token": "good"})
    assert (answer.status_code, answer.json()) == (200, {"stored": 1, "events": 1})
    # ... and its poller runs with the others.
    poller.INBOX.append({"id": "p2", "user": "bo", "text": "still down"})
    assert poll_channels() == {str(channel): 1}
    assert sorted(str(m) for m in Message.objects.values_list("network_message_id", flat=True)) == [
        "p1",
        "p2",
    ]
    # The policy names it, overrides its rules, and the documents show it by its display name.
    with (Path(registry.__file__).parents[1] / "policy" / "examples" / "telecom.yaml").open() as f:
        telecom = f.read()
    source = telecom.replace(
        "  mastodon: {public_max: 500}", "  mastodon: {public_max: 500}\n  tinynet: {public_max: 30}"
    )
    save_policy(workspace, source)
    policy: Policy = _parsed(source)
    assert "tinynet" in Policy.model_json_schema()["properties"]["network_rules"]["propertyNames"]["enum"]
    assert effective_rules(None, "tinynet") == tinynet.rules
    assert effective_rules((1, policy), "tinynet").public_max == 30
    assert "| TinyNet | 30 (chars) | 99 (chars) | user wrote first | 12 h |" in render_internal(policy)
    with pytest.raises(PolicyError, match="unknown network 'tinynt'"):
        _parsed(telecom.replace("  mastodon: {public_max: 500}", "  tinynt: {public_max: 30}"))
    # The composer counts by its rules as the policy overrides them, and the sender gets the same.
    conversation = Conversation.objects.get(messages__network_message_id="p1")
    with pytest.raises(ReplyRejected, match="31 of 30 allowed for a tinynet public reply"):
        send_reply(conversation, agent, "x" * 31)
    reply = send_reply(conversation, agent, "Mirando. ^AL")
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    [(text, rules)] = client.SENT
    assert (text, rules.public_max, rules.messaging_window_hours) == ("Mirando. ^AL", 30, 12)
    # The outbox keeps its published sending limit (2 replies a minute).
    from django.utils import timezone

    now = timezone.now()
    assert paced_until(channel.pk, "tinynet", "reply", now) is None
    send_reply(conversation, agent, "Otra. ^AL")
    assert paced_until(channel.pk, "tinynet", "reply", now) is not None


def _parsed(source: str) -> Any:
    from socialdesk.policy.loader import load_policy

    return load_policy(source)


def test_only_networks_that_take_webhooks_have_a_route(workspace: Any) -> None:
    from socialdesk.channels.models import Channel

    mailbox = Channel.objects.create(workspace=workspace, network="email", handle="help@acme.example")
    assert Client().post(f"/hooks/email/{mailbox.pk}/", {}).status_code == 404  # polled, not pushed
    assert Client().post(f"/hooks/myspace/{mailbox.pk}/", {}).status_code == 404  # no such network
    # A webhook network's route checks the channel is one of its own.
    assert Client().post(f"/hooks/telegram/{mailbox.pk}/", {}).status_code == 404
