"""Policy rules with exact expectations: business-hours due times, the reply checker, lengths, documents."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialdesk.policy.checker import check_reply
from socialdesk.policy.clock import BusinessCalendar, due_at, targets_for
from socialdesk.policy.length import measure, x_weighted
from socialdesk.policy.loader import load_policy
from socialdesk.policy.render import render_internal, render_public, to_html
from socialdesk.policy.routing import Facts, matches
from socialdesk.policy.schema import AckTemplate, Condition, FirstContact, Policy
from socialdesk.policy.templates import choose_template

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
TELECOM = load_policy((EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
BANK = load_policy((EXAMPLES / "bank.yaml").read_text(encoding="utf-8"))


def test_due_time_skips_night_weekend_and_christmas_holidays_in_london() -> None:
    # Thursday 24 Dec 2026, 19:30 London; normal priority: 2 business hours for the first response.
    start = datetime(2026, 12, 24, 19, 30, tzinfo=UTC)
    targets = targets_for(BANK, "normal", "x")
    assert targets.first_response_minutes == 120
    # 30 min on Thursday; Fri 25 Christmas, Sat/Sun closed, Mon 28 Boxing Day (observed); Tue 08:00 + 90 min.
    assert due_at(BANK, start, 120, targets.business_hours) == datetime(2026, 12, 29, 9, 30, tzinfo=UTC)


def test_due_time_with_company_closing_day_in_madrid() -> None:
    # Wednesday 23 Dec 2026, 21:30 Madrid (20:30 UTC); 60 business minutes.
    start = datetime(2026, 12, 23, 20, 30, tzinfo=UTC)
    # 30 min until 22:00; Thu 24 is a company closing day, Fri 25 Christmas; Saturday opens 09:00 (+30).
    assert due_at(TELECOM, start, 60, True) == datetime(2026, 12, 26, 8, 30, tzinfo=UTC)


def test_urgent_bank_clock_runs_around_the_clock() -> None:
    start = datetime(2026, 12, 25, 3, 0, tzinfo=UTC)
    targets = targets_for(BANK, "urgent", "x")
    assert due_at(BANK, start, targets.first_response_minutes, targets.business_hours) == start + timedelta(
        minutes=10
    )


def test_network_specific_targets_win_over_the_default() -> None:
    assert targets_for(TELECOM, "normal", "whatsapp").first_response_minutes == 30
    assert targets_for(TELECOM, "normal", "x").first_response_minutes == 60
    assert targets_for(TELECOM, "high", "whatsapp").first_response_minutes == 30


def test_business_time_elapsed_across_the_dst_change() -> None:
    calendar = BusinessCalendar(TELECOM.business_hours)
    # Saturday 28 March 2026 20:00 Madrid (CET) to Sunday 29 March 11:00 Madrid (CEST): 1 h + 1 h.
    start = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
    end = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    assert calendar.elapsed(start, end) == timedelta(hours=2)
    assert calendar.is_open(datetime(2026, 3, 29, 8, 30, tzinfo=UTC)) is True  # 10:30 CEST
    assert calendar.is_open(datetime(2026, 3, 29, 7, 30, tzinfo=UTC)) is False  # 09:30 CEST


def _rules(text: str, network: str = "x", private: bool = False) -> list[str]:
    return [v.rule for v in check_reply(TELECOM, text, network=network, private=private)]


def test_a_good_reply_passes() -> None:
    assert _rules("Ana, two days without signal is not OK. Checking your area now. ^LG") == []


def test_selling_in_a_service_reply_is_refused_and_explained() -> None:
    violations = check_reply(
        TELECOM, "Sorry Ana! Have a look at our new plan offer. ^LG", network="x", private=False
    )
    assert [(v.rule, v.message, v.start, v.end) for v in violations] == [
        (
            "no_selling",
            "“offer” is promotional; service replies don't sell (policy reply_rules.sales_terms).",
            39,
            44,
        ),
        (
            "no_selling",
            "“new plan” is promotional; service replies don't sell (policy reply_rules.sales_terms).",
            30,
            38,
        ),
    ]
    # Only whole words: "offered" is not the sales term "offer".
    assert _rules("We offered a refund yesterday. ^LG") == []


def test_personal_data_may_be_asked_in_private_only() -> None:
    text = "Please send us your account number so we can check. ^LG"
    assert _rules(text) == ["no_personal_data_in_public"]
    assert _rules(text, network="x", private=True) == []
    # A card number is never asked for, not even in private.
    card = "Please send us your card number so we can check. ^LG"
    assert _rules(card) == ["no_sensitive_data_request", "no_personal_data_in_public"]
    assert _rules(card, network="x", private=True) == ["no_sensitive_data_request"]


def test_condescension_and_missing_signature() -> None:
    assert _rules("As I already said, restart the phone.") == ["no_condescension", "signature"]


def test_length_is_counted_as_each_network_counts() -> None:
    text = "a" * 272 + " ^LG"  # 276 characters
    assert _rules(text) == []
    with_link = "a" * 250 + " https://nimbus.example/outage/madrid/2026-11-20 ^LG"
    violations = check_reply(TELECOM, with_link, network="x", private=False)
    assert [(v.rule, v.message) for v in violations] == []  # the 44-char link counts as 23: 278
    cjk = "信号" * 70 + " ^LG"  # 140 wide characters weigh 280, plus 4
    assert [v.message for v in check_reply(TELECOM, cjk, network="x", private=False)] == [
        "284 of 280 allowed for a x public reply (X counts a link as 23 and emoji or CJK characters as 2); "
        "shorten by 4."
    ]
    assert _rules("Hola ^LG", network="whatsapp") == ["channel"]
    assert _rules("é" * 499 + " ^LG", network="instagram", private=True) == ["length"]


def test_measures() -> None:
    assert x_weighted("hello https://example.com/a/very/long/path") == 6 + 23
    assert x_weighted("日本") == 4
    assert x_weighted("👍🏽") == 2
    assert x_weighted("e\u0301") == 1
    assert measure("👨‍👩‍👧 hi", "graphemes") == 4
    assert measure("é", "utf8_bytes") == 2


def test_public_document() -> None:
    public = render_public(BANK)
    assert "- X: @LumenBank — questions here are answered from our support account" in public
    assert "We confirm we've seen your message within 5 minutes." in public
    assert "A person answers within 2 hours during our opening hours:" in public
    assert "- Saturday: closed" in public
    assert "- Closed on public holidays in GB (ENG)." in public
    assert (
        "- **Personal data exposed**: Account numbers, card numbers or contact details in a public post."
        in public
    )
    # Internal matters stay internal.
    assert "Fraud first" not in public
    assert "mortgage offer" not in public


def test_internal_document() -> None:
    internal = render_internal(BANK)
    assert "| Fraud first | category in fraud | Fraud | urgent | — |" in internal
    assert "| Legal threats | legal_threat is true | Legal | urgent | legal | required |" in internal
    assert "| urgent | 10 minutes | 20 minutes | 2 hours | 24/7 |" in internal
    assert "| normal | 2 hours | 4 hours | 1.7 days | business hours |" in internal
    assert "| Instagram | 2200 (chars) | 1000 (utf8_bytes) | user wrote first | 24 h |" in internal
    assert "1. Move to private immediately." in internal


def test_internal_document_shows_template_keys_as_written() -> None:
    page = to_html(render_internal(TELECOM), "internal")
    assert "<li>*/*: “Hi {name}, thanks for writing to us." in page
    assert "<li>es/*: “Hola {name}" in page
    assert "<em>/</em>" not in page


def test_html_escapes_whatever_the_policy_says() -> None:
    page = to_html("# <script>alert(1)</script> policy", "<b>x</b>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;x&lt;/b&gt;</title>" in page


@pytest.mark.parametrize("policy", [TELECOM, BANK], ids=["telecom", "bank"])
def test_every_saved_reply_passes_its_own_policy(policy: object) -> None:
    assert isinstance(policy, Policy)
    for category in policy.categories:
        for reply in category.saved_replies:
            filled = reply.text.format(
                name="Ana",
                initials="LG",
                agent="Marta",
                phone="+44 20 7946 0000",
                incident_public="Calls drop in central Madrid since 09:00; engineers are on site.",
                incident_link="https://status.example/i/42",
                brand=policy.brand,
                expected_response="1 hour",
                email="help@example.com",
            )
            problems = check_reply(policy, filled, network="x", private=reply.private)
            assert problems == [], (reply.name, problems)


def test_conditions_match_on_every_given_field() -> None:
    facts = Facts(
        intent="complaint",
        sentiment="negative",
        category="billing",
        language="es",
        network="x",
        text="Me habéis cobrado DOS veces",
        legal_threat=False,
        abuse=False,
        personal_data=False,
        incident=False,
        private=False,
    )
    assert matches(Condition(), facts) is True
    assert matches(Condition(language=["es", "pt"], network=["x"], keywords=["dos veces"]), facts) is True
    assert matches(Condition(language=["en"]), facts) is False
    assert matches(Condition(keywords=["reembolso"]), facts) is False
    assert matches(Condition(intent=["complaint"], legal_threat=True), facts) is False
    assert matches(Condition(private=False, abuse=False), facts) is True


def test_acknowledgment_template_prefers_language_then_network() -> None:
    contact = FirstContact(
        within_minutes=5,
        templates=[
            AckTemplate(text="any"),
            AckTemplate(network="whatsapp", text="any language on WhatsApp"),
            AckTemplate(language="es", text="español"),
            AckTemplate(language="es", network="whatsapp", text="español en WhatsApp"),
        ],
    )
    policy = TELECOM.model_copy(update={"first_contact": contact})
    templates = contact.templates

    def chosen(p: Policy, language: str, network: str) -> str | None:
        template = choose_template(p, templates, language, network)
        return template.text if template else None

    assert chosen(policy, "es", "whatsapp") == "español en WhatsApp"
    assert chosen(policy, "es", "x") == "español"
    # '*' templates are written in the default language (en)...
    assert chosen(policy, "en", "whatsapp") == "any language on WhatsApp"
    assert chosen(policy, "en", "x") == "any"
    # ...and reach a French customer only when the policy says so.
    assert chosen(policy, "fr", "x") is None
    fallback = policy.automation.model_copy(update={"other_languages": "default_language"})
    lenient = policy.model_copy(update={"automation": fallback})
    assert chosen(lenient, "fr", "whatsapp") == "any language on WhatsApp"
    assert chosen(lenient, "fr", "x") == "any"
