"""Triage parts that are rules, not learned: personal data, legal threats, abuse, spam, questions,
the priority score, the metrics of `triage eval`, and the policy's triage section."""

import re

import pytest

from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.triage import pii, rules
from socialdesk.triage.engine import priority_score
from socialdesk.triage.evaluate import macro
from socialdesk.triage.text import dedupe_key, for_language, for_models
from tests.test_policy_file import TELECOM


def kinds(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in pii.find_personal_data(text, **kw)]  # type: ignore[arg-type]


def test_emails_phones_and_luhn_valid_cards_only() -> None:
    text = "mail me at ana.lopez@example.com or call +34 612 345 678, card 4111 1111 1111 1111"
    assert kinds(text, regions=("ES",)) == [
        ("email", "ana.lopez@example.com"),
        ("phone", "+34 612 345 678"),
        ("card", "4111 1111 1111 1111"),
    ]
    # Fails the Luhn check: not a card (and too long for a phone number).
    assert kinds("ref 4111 1111 1111 1112 thanks", regions=("ES",)) == []


def test_phone_numbers_need_a_valid_number_for_the_region() -> None:
    assert kinds("llámame al 612 345 678", regions=("ES",)) == [("phone", "612 345 678")]
    assert kinds("call 07911 123456 please", regions=("GB",)) == [("phone", "07911 123456")]
    # An order total or a date is not a phone number.
    assert kinds("I paid 1234567 points on 2026-11-20", regions=("ES",)) == []


def test_national_ids_policy_patterns_and_addresses() -> None:
    assert kinds("mi DNI es 12345678Z") == [("national_id", "12345678Z")]
    pattern = ("account_number", re.compile(r"\bNM-?\d{8}\b"))
    assert kinds("my account NM-12345678 is blocked", patterns=[pattern]) == [
        ("account_number", "NM-12345678")
    ]
    assert kinds("send it to 42 Baker Street please", use_model=False) == [("address", "42 Baker Street")]
    assert kinds("vivo en Calle Mayor 12, Madrid", use_model=False) == [("address", "Calle Mayor 12")]


def test_names_found_by_the_ner_model_when_someone_introduces_themselves() -> None:
    assert kinds("Hi, my name is John Smith and my bill is wrong") == [("name", "John Smith")]
    # No introduction, no model call: brand and place names are not personal data.
    assert kinds("John Smith from Nimbus was great") == []


def test_legal_threats_in_english_and_spanish() -> None:
    assert rules.legal_threat("I'm talking to my lawyer tomorrow")
    assert rules.legal_threat("see you in court @NimbusMobile")
    assert rules.legal_threat("os voy a denunciar a CONSUMO")
    assert rules.legal_threat("Mañana hablo con mi ABOGADO")
    assert not rules.legal_threat("my calls keep dropping")
    assert not rules.legal_threat("sigo sin línea desde ayer")


def test_abuse_in_english_and_spanish_with_accents_and_masking() -> None:
    assert rules.abusive_words("you useless idiots")
    assert rules.abusive_words("fuck you @NimbusMobile")
    assert rules.abusive_words("you f***ing clowns")
    assert rules.abusive_words("vaya mierda de compañía")
    assert rules.abusive_words("sois unos INÚTILES")
    assert rules.abusive_words("panda de ladrones")
    assert not rules.abusive_words("the idiom is funny")
    assert not rules.abusive_words("gracias por la ayuda")


def test_swearing_aimed_at_nobody_is_no_abuse() -> None:
    # Given posts that swear at the weather, at themselves or as an intensifier
    for text in (
        "what a f***ing joke of a morning",
        "Fucking fog at the airport again. Not your fault, just venting",
        "this update is fucking brilliant",
        "Joder qué calor en el aeropuerto",
    ):
        # Then they swear, and attack nobody
        assert rules.swears(text), text
        assert not rules.abusive_words(text), text
    # An insult the writer aims at themself is no attack either
    assert not rules.abusive_words("I'm such an idiot, I sent it to the wrong account")
    assert rules.abusive_words("the driver is an idiot")


def test_sarcasm_marks() -> None:
    assert rules.sarcasm("Next day delivery that arrived 9 days later. Legends")
    assert rules.sarcasm("Thanks for nothing @QuickParcel")
    assert rules.sarcasm("Great, another delay 🙄")
    assert rules.sarcasm("Me encanta que me traigáis la comida fría")
    assert not rules.sarcasm("Thanks, the engineer came early and fixed it")
    assert not rules.sarcasm("I love the new app")


def test_thanks_in_advance_is_no_praise() -> None:
    assert rules.thanks("thanks for sorting it so fast")
    assert not rules.thanks("how do I reset my PIN? thanks in advance")
    assert not rules.thanks("¿Cómo cambio la tarifa? Gracias de antemano")


def test_spam_and_questions() -> None:
    assert rules.spam("Earn $500 a day from home, link in bio")
    assert rules.spam("free followers for 10 minutes!!")
    assert not rules.spam("my bill is 500 euros this month")
    assert rules.spam("💸 Gana 500€ al día desde casa con solo tu móvil!! Escríbeme 💸")
    assert rules.spam("Verdien tot €300 per dag vanuit huis")
    assert rules.spam("Subject: Boost Acme's Google ranking by 300%. We noticed your website")
    # Money and earning words in a customer's own words are not offers
    assert not rules.spam("me cobráis 2€ al día de roaming y gano 900 € al mes, no me da")
    assert not rules.spam("I make 20 orders a month and the 5€ fee adds up")
    assert rules.asks_question("@NimbusMobile how do I set up eSIM")
    assert rules.asks_question("¿Se ha caído la red")
    assert rules.asks_question("alguien sabe si hay avería en Madrid")
    assert not rules.asks_question("no signal since yesterday")


def test_priority_score_is_the_documented_sum() -> None:
    # complaint 35 + 20 x 0.9 negative + 10 needs response + 30 legal + 20 exposed data = 113 -> 100
    assert priority_score("complaint", 0.9, True, True, True) == 100
    assert priority_score("complaint", 0.5, False, False, True) == 55
    assert priority_score("question", 0.1, False, False, True) == 37
    assert priority_score("praise", 0.0, False, False, False) == 5
    # Reach adds up to 10: 2 x log10(followers).
    assert priority_score("question", 0.0, False, False, True, followers=10_000) == 43
    assert priority_score("spam", 0.0, False, False, False, followers=10_000) == 0


def test_macro_metrics_are_exact() -> None:
    truth = [0, 0, 1, 1, 2, 2]
    pred = [0, 1, 1, 1, 2, 0]
    # recall: 0.5, 1.0, 0.5 -> 0.6667; precision: 0.5, 0.6667, 1.0; f1: 0.5, 0.8, 0.6667 -> 0.6556
    assert macro(truth, pred, [0, 1, 2]) == {"macro_recall": 0.6667, "macro_f1": 0.6556}


def test_text_forms() -> None:
    assert for_models("@Nimbus NOOOOOO signal!!!! https://t.co/x #fail") == "@user nooo signal!!! http fail"
    assert for_language("RT @Nimbus Sin LÍNEA https://t.co/x #Madrid") == "sin línea madrid"
    assert dedupe_key("@a Great phone! http://t.co/1") == dedupe_key("@user great phone http")
    # Zero-width and direction characters do not split words.
    assert for_models("no\u200b signal\u202e") == "no signal"


def test_policy_triage_section_is_validated() -> None:
    broken = (
        TELECOM.replace("languages: [es, en, pt, fr]", "languages: [es, Spanish]")
        .replace("phone_regions: [ES, GB, PT, FR]", "phone_regions: [ES, XX]")
        .replace("pattern: '\\bNM-?\\d{8}\\b'", "pattern: '(NM'")
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(broken, source="telecom.yaml")
    assert [str(issue) for issue in caught.value.issues] == [
        "line 162, column 14: triage.languages: 'Spanish' is not an ISO 639-1 language code (e.g. en, es)",
        "line 163, column 18: triage.phone_regions: 'XX' is not a region phone numbers know "
        "(e.g. US, ES, GB)",
        "line 165, column 39: triage.personal_data_patterns[0].pattern: '(NM' is not a valid regular "
        "expression: missing ), unterminated subpattern at position 0",
    ]
