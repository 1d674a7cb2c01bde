"""The reply checker's built-in rules, given a draft and the example telecom policy: the rules it breaks,
exactly, in five languages, with the look-alikes that must pass."""

from pathlib import Path

import pytest

from socialdesk.policy.checker import Violation, check_reply
from socialdesk.policy.loader import load_policy

TELECOM = load_policy(
    (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
        encoding="utf-8"
    )
)


def _rules(text: str, *, network: str = "x", private: bool = False, learned: bool = True) -> list[str]:
    violations = check_reply(TELECOM, text, network=network, private=private, learned=learned)
    return sorted({v.rule for v in violations})


def test_the_selling_draft_from_the_issue_is_flagged_for_selling_only() -> None:
    text = "Great question! Check out our new unlimited plan, only 9.99! DM us your phone number ^DE"
    violations = check_reply(TELECOM, text, network="x", private=False)
    assert [(v.rule, v.quote) for v in violations] == [
        ("no_selling", "Check out our"),
        ("no_selling", "unlimited plan"),
        ("no_selling", "only 9.99"),
    ]
    assert violations[2] == Violation(
        "no_selling",
        "“only 9.99” promotes a product or a price; service replies don't sell.",
        text.index("only 9.99"),
        text.index("only 9.99") + len("only 9.99"),
        "only 9.99",
    )


def test_the_card_number_draft_from_the_issue_is_flagged_as_sensitive_data() -> None:
    violations = check_reply(
        TELECOM, "DM us your full card number and your date of birth ^DE", network="x", private=False
    )
    assert [(v.rule, v.quote) for v in violations] == [
        ("no_sensitive_data_request", "full card number"),
        ("no_sensitive_data_request", "date of birth"),
    ]
    assert violations[0].message == (
        "“full card number” is never asked for, not even in a private message (fraud risk); ask for the "
        "account or order number, or point to the secure verification flow."
    )


def test_without_the_signature_every_other_problem_is_still_reported() -> None:
    assert _rules("DM us your full card number and your date of birth") == [
        "no_sensitive_data_request",
        "signature",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Our plan change page explains the options: nimbus.example/plans ^DE",
        "Please don't share your card number here. DM us your order number ^DE",
        "We will never ask for your PIN. ^DE",
        "DM us your order number and we'll chase it. ^DE",
        "I understand this is frustrating. We're on it. ^DE",
        "DM us your account number, phone or email and we'll check. ^DE",
        "Send us a private message with your address and we'll book the visit. ^DE",
        "We can offer you a refund for the outage. ^DE",
        "Your new SIM goes to your address this week and the PIN arrives by post. ^DE",
        "This was not your fault; the update reset the settings. ^DE",
        "The 9.99 charge was refunded this morning. ^DE",
        "Sorry for the trouble, Ana. Fixed now! ^DE",
        "DM us the last 4 digits of your card so we can find the payment. ^DE",
    ],
)
def test_look_alikes_pass(text: str) -> None:
    assert _rules(text) == []


def test_asking_in_a_private_message_is_fine_unless_the_data_is_sensitive() -> None:
    assert _rules("Could you send me your account number and address? ^DE", private=True) == []
    assert _rules("Could you send me your password? ^DE", private=True) == ["no_sensitive_data_request"]
    assert _rules("Could you send me your account number and address? ^DE") == ["no_personal_data_in_public"]
    assert _rules("Reply here with your PIN. ^DE") == [
        "no_personal_data_in_public",
        "no_sensitive_data_request",
    ]


def test_the_policy_list_still_adds_its_terms() -> None:
    # "read the FAQ" is only in the telecom policy's list; the built-in rules know nothing of it.
    assert _rules("Please read the FAQ. ^DE") == ["no_condescension"]


def test_calm_down_is_reported_once_as_hostile_although_the_policy_lists_it_as_condescending() -> None:
    assert [
        (v.rule, v.quote) for v in check_reply(TELECOM, "Calm down, please. ^DE", network="x", private=False)
    ] == [("hostile_tone", "Calm down")]


def test_capitals_shout_but_acronyms_and_the_signature_do_not() -> None:
    assert _rules("PLEASE STOP SENDING THIS. ^DE") == ["hostile_tone"]
    assert _rules("NO, we do NOT refund that. ^DE") == ["hostile_tone"]
    assert _rules("DM us the IMEI and the SIM number; the APN is in the FAQ. ^DE") == []


# (language, rule, breaks it, look-alike that does not)
CASES = [
    (
        "en",
        "no_selling",
        "Sorted! Upgrade now to the Max plan and get a free router. ^DE",
        "The upgrade you asked for is done; your bill stays the same. ^DE",
    ),
    (
        "es",
        "no_selling",
        "¡Listo! Descubre nuestra nueva tarifa de fibra, con 3 meses gratis. ^DE",
        "El descuento ya se aplicó en tu factura de marzo. ^DE",
    ),
    (
        "pt",
        "no_selling",
        "Resolvido! Conheça o nosso novo plano, por apenas R$ 39,90. ^DE",
        "O seu plano atual continua igual até a renovação. ^DE",
    ),
    (
        "fr",
        "no_selling",
        "C'est réglé ! Profitez de notre offre spéciale fibre. ^DE",
        "La remise a bien été appliquée sur votre facture. ^DE",
    ),
    (
        "de",
        "no_selling",
        "Erledigt! Sichern Sie sich unser Sonderangebot für Glasfaser. ^DE",
        "Die Gutschrift erscheint auf Ihrer nächsten Rechnung. ^DE",
    ),
    (
        "en",
        "no_personal_data_in_public",
        "Post your home address below and we'll send someone. ^DE",
        "DM us your home address and we'll send someone. ^DE",
    ),
    (
        "es",
        "no_personal_data_in_public",
        "Respóndenos aquí con tu número de cliente, por favor. ^DE",
        "Envíanos por MD tu número de cliente, por favor. ^DE",
    ),
    (
        "pt",
        "no_personal_data_in_public",
        "Qual é o seu endereço completo? ^DE",
        "Mande por DM o seu endereço completo. ^DE",
    ),
    (
        "fr",
        "no_personal_data_in_public",
        "Quel est votre numéro de téléphone ? ^DE",
        "Envoyez-nous votre numéro de téléphone en message privé. ^DE",
    ),
    (
        "de",
        "no_personal_data_in_public",
        "Wie lautet Ihre Kundennummer? ^DE",
        "Schicken Sie uns Ihre Kundennummer per Direktnachricht. ^DE",
    ),
    (
        "en",
        "no_sensitive_data_request",
        "DM us the CVV on the back of your card. ^DE",
        "Never share the CVV on the back of your card. ^DE",
    ),
    (
        "es",
        "no_sensitive_data_request",
        "Envíanos por privado tu contraseña. ^DE",
        "Nunca te pediremos tu contraseña. ^DE",
    ),
    (
        "pt",
        "no_sensitive_data_request",
        "Mande por DM a sua senha. ^DE",
        "Nunca vamos pedir a sua senha. ^DE",
    ),
    (
        "fr",
        "no_sensitive_data_request",
        "Envoyez-nous en MP votre mot de passe. ^DE",
        "Ne communiquez jamais votre mot de passe. ^DE",
    ),
    (
        "de",
        "no_sensitive_data_request",
        "Schicken Sie uns per DM Ihr Passwort. ^DE",
        "Geben Sie Ihr Passwort niemals weiter. ^DE",
    ),
    (
        "en",
        "no_condescension",
        "Like I said, the fee is in your contract. ^DE",
        "As we mentioned in our update, the fee is in your contract. ^DE",
    ),
    (
        "es",
        "no_condescension",
        "Como ya te expliqué, la permanencia es de un año. ^DE",
        "Te explico: la permanencia es de un año. ^DE",
    ),
    (
        "pt",
        "no_condescension",
        "Pela terceira vez: a fatura é mensal. ^DE",
        "Para esclarecer: a fatura é mensal. ^DE",
    ),
    (
        "fr",
        "no_condescension",
        "Comme je l'ai déjà dit, la facture est mensuelle. ^DE",
        "Pour être clair : la facture est mensuelle. ^DE",
    ),
    (
        "de",
        "no_condescension",
        "Wie ich bereits sagte, ist die Rechnung monatlich. ^DE",
        "Zur Klarstellung: Die Rechnung ist monatlich. ^DE",
    ),
    (
        "en",
        "hostile_tone",
        "Stop complaining, it works fine. ^DE",
        "I understand this is frustrating; we're checking it now. ^DE",
    ),
    (
        "es",
        "hostile_tone",
        "Tranquilízate, ya lo estamos mirando. ^DE",
        "Entiendo tu enfado, ya lo estamos mirando. ^DE",
    ),
    (
        "pt",
        "hostile_tone",
        "A culpa é sua, não pagou a fatura. ^DE",
        "A culpa não é sua, foi um erro nosso. ^DE",
    ),
    (
        "fr",
        "hostile_tone",
        "Calmez-vous, on s'en occupe. ^DE",
        "Je comprends votre agacement, on s'en occupe. ^DE",
    ),
    (
        "de",
        "hostile_tone",
        "Beruhigen Sie sich, wir kümmern uns. ^DE",
        "Das war nicht Ihre Schuld, wir kümmern uns. ^DE",
    ),
    (
        "en",
        "robotic",
        "Your message is important to us. ^DE",
        "Thanks for your message, Ana, we're on it. ^DE",
    ),
    (
        "es",
        "robotic",
        "Estimado cliente, hemos recibido su consulta. ^DE",
        "Hola Ana, hemos recibido tu consulta. ^DE",
    ),
    ("pt", "robotic", "Esta é uma mensagem automática. ^DE", "Oi Ana, aqui é a Marta da equipe. ^DE"),
    ("fr", "robotic", "Nous nous excusons pour la gêne occasionnée. ^DE", "Désolée pour ce souci, Anne. ^DE"),
    (
        "de",
        "robotic",
        "Wir bitten um Entschuldigung für etwaige Unannehmlichkeiten. ^DE",
        "Tut mir leid für den Ärger, Anna. ^DE",
    ),
]


@pytest.mark.parametrize(
    ("language", "rule", "breaks", "passes"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_each_rule_in_each_language(language: str, rule: str, breaks: str, passes: str) -> None:
    assert _rules(breaks) == [rule]
    assert _rules(passes, learned=False) == []
    if (language, rule) in HEAD_DISAGREES:
        pytest.xfail(HEAD_DISAGREES[(language, rule)])
    assert _rules(passes) == []


# Look-alikes the patterns pass and a learned head reports: the training authors disagree about them.
HEAD_DISAGREES = {
    ("es", "no_condescension"): "'Te explico:' alone: 2 of the 5 training drafts with it are labelled "
    "condescending, and the condescension head scores it 0.94 (known weakness, see docs/benchmarks.md)",
}
