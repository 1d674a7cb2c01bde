"""Personal data the desk masks: a card number (Luhn-valid), a national id or one of the policy's
own patterns in a public post is masked in the inbox, on the conversation page and in the API, and
is not in the search index; a member reveals it on click, which is audited; hiding the post for
personal data takes it out of search entirely. On SQLite and PostgreSQL alike."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.conversations.inbox import search_conversations
from socialdesk.conversations.masking import masked_text
from socialdesk.conversations.models import Conversation, Message, PersonalDataReveal
from socialdesk.ingest.actions import receive_event
from socialdesk.moderation.actions import moderate
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

CARD = "@NimbusMobile you charged my card 4111 1111 1111 1111 twice this month"
MASKED = "@NimbusMobile you charged my card [card number] twice this month"


@pytest.fixture
def alice(agent: Any) -> Client:
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    return client


@pytest.fixture
def card_post(telecom_policy: Any, x_channel: Any) -> Message:
    receive_event(x_channel, "1", post("a", CARD))
    return Message.objects.get(network_message_id="a")


def _found(q: str) -> list[int]:
    return sorted(row["conversation_id"] for row in search_conversations(q))


def test_a_card_number_is_masked_where_the_desk_shows_it(card_post: Message, alice: Client) -> None:
    assert card_post.text == CARD  # kept as written, for the network and an audited reveal
    assert card_post.masked_text == MASKED
    assert card_post.personal_data == ["card"]
    conversation = card_post.conversation
    assert conversation.subject == MASKED
    inbox = alice.get("/").content.decode()
    page = alice.get(f"/c/{conversation.pk}/").content.decode()
    api = alice.get(f"/api/conversations/{conversation.pk}").json()
    listed = alice.get("/api/conversations").json()["items"]
    for shown in (inbox, page):
        assert MASKED in shown
        assert "4111" not in shown
    assert "Reveal personal data" in page
    assert api["subject"] == MASKED
    assert (api["messages"][0]["text"], api["messages"][0]["masked"]) == (MASKED, True)
    assert [c["subject"] for c in listed] == [MASKED]


def test_masked_data_is_not_in_the_search_index(card_post: Message) -> None:
    assert _found("4111") == []
    assert _found("4111 1111 1111 1111") == []
    assert _found("charged twice") == [card_post.conversation_id]


def test_national_ids_and_the_policys_patterns_are_masked_too(telecom_policy: Any, x_channel: Any) -> None:
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile mi DNI es 12345678Z y no tengo línea", author="u1")
    )
    receive_event(x_channel, "2", post("b", "@NimbusMobile NIE X1234567L, sin servicio", author="u2"))
    receive_event(x_channel, "3", post("c", "@NimbusMobile account NM-12345678 is blocked", author="u3"))
    receive_event(x_channel, "4", post("d", "@NimbusMobile DNI 12345678A wrong letter", author="u4"))
    shown = dict(Message.objects.values_list("network_message_id", "masked_text"))
    assert shown == {
        "a": "@NimbusMobile mi DNI es [national ID] y no tengo línea",
        "b": "@NimbusMobile NIE [national ID], sin servicio",
        "c": "@NimbusMobile account [account number] is blocked",
        # The cue word makes it an id even with a wrong control letter: masked all the same.
        "d": "@NimbusMobile [national ID] wrong letter",
    }
    for written in ("12345678Z", "X1234567L", "NM-12345678", "12345678"):
        assert _found(written) == []


def test_a_spanish_id_without_a_cue_needs_its_control_letter() -> None:
    from socialdesk.triage.pii import find_personal_data

    assert [f.kind for f in find_personal_data("ref 12345678Z", use_model=False)] == ["national_id"]
    assert [f.kind for f in find_personal_data("ref 12345678A", use_model=False)] == []
    assert [f.kind for f in find_personal_data("cpf 529.982.247-25", use_model=False)] == ["national_id"]
    assert [f.kind for f in find_personal_data("pedido 529.982.247-26", use_model=False)] == []


def test_masking_keeps_what_is_readable_and_merges_overlaps() -> None:
    text = "call 612345678 or card 4111111111111111"
    assert masked_text(text, [("phone", 5, 14)]) is None
    assert masked_text(text, [("phone", 5, 14), ("card", 23, 39)]) == "call 612345678 or card [card number]"
    assert masked_text("abcdef", [("card", 0, 4), ("national_id", 2, 6)]) == "[card number]"


def test_a_member_reveals_it_on_click_and_the_reading_is_audited(
    card_post: Message, alice: Client, agent: Any
) -> None:
    conversation = card_post.conversation
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        response = alice.post(f"/c/{conversation.pk}/m/{card_post.pk}/reveal/")
        api = alice.post(f"/api/messages/{card_post.pk}/reveal")
    assert response.status_code == 200
    assert "4111 1111 1111 1111" in response.content.decode()
    assert api.json() == {"id": card_post.pk, "text": CARD}
    audit = list(PersonalDataReveal.objects.order_by("pk").values_list("actor", "message", "created_at"))
    assert audit == [(agent.pk, card_post.pk, T0 + timedelta(minutes=5))] * 2


def test_someone_outside_the_workspace_reveals_nothing(card_post: Message, other_workspace: Any) -> None:
    outsider = create_user("bob", "another long passphrase")
    add_member(other_workspace, outsider, Role.AGENT)
    client = Client()
    assert client.login(username="bob", password="another long passphrase")
    conversation = card_post.conversation
    assert client.post(f"/c/{conversation.pk}/m/{card_post.pk}/reveal/").status_code == 404
    assert client.post(f"/api/messages/{card_post.pk}/reveal").status_code == 404
    assert PersonalDataReveal.objects.count() == 0


def test_a_message_with_nothing_masked_has_nothing_to_reveal(
    telecom_policy: Any, x_channel: Any, alice: Client
) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile no signal at home"))
    message = Message.objects.get()
    response = alice.post(f"/api/messages/{message.pk}/reveal")
    assert (response.status_code, response.json()["detail"]) == (422, "nothing in this message is masked")
    assert PersonalDataReveal.objects.count() == 0


def test_hiding_a_post_for_personal_data_takes_it_out_of_search(card_post: Message, agent: Any) -> None:
    receive_event(card_post.channel, "2", post("b", "@NimbusMobile charged twice for roaming", author="u2"))
    other = Message.objects.get(network_message_id="b").conversation_id
    assert _found("charged") == sorted([card_post.conversation_id, other])
    moderate(card_post, "hide", "personal_data", agent)
    assert Message.objects.get(pk=card_post.pk).search_excluded is True
    assert _found("charged") == [other]
    assert _found("twice month") == []


def test_hiding_for_another_reason_keeps_it_searchable(card_post: Message, agent: Any) -> None:
    moderate(card_post, "hide", "abuse", agent)
    assert _found("charged twice") == [card_post.conversation_id]
    assert Conversation.objects.get().subject == MASKED


def test_the_migration_masks_messages_stored_before_it(card_post: Message) -> None:
    """0013 masks what earlier triage found (its stored spans) and the subject the inbox shows."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("socialdesk.conversations.migrations.0013_masked_search")
    Message.objects.filter(pk=card_post.pk).update(masked_text=None)
    Conversation.objects.update(subject=CARD)
    assert _found("4111") == [card_post.conversation_id]  # as stored before masking existed
    migration.mask_existing(apps, None)
    assert Message.objects.get(pk=card_post.pk).masked_text == MASKED
    assert Conversation.objects.get().subject == MASKED
    assert _found("4111") == []
