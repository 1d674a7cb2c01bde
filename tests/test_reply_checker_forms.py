"""The reply checker's general forms: phrasings of the weak spots that are not in the labelled drafts
(other word orders, persons and languages), and their look-alikes that must pass. Patterns only, so a
head cannot hide a pattern that does not generalise."""

from pathlib import Path

import pytest

from socialdesk.policy.checker import check_reply
from socialdesk.policy.loader import load_policy

TELECOM = load_policy(
    (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
        encoding="utf-8"
    )
)


def _rules(text: str) -> set[str]:
    violations = check_reply(TELECOM, f"{text} ^DE", network="x", private=False, learned=False)
    return {v.rule for v in violations} - {"signature", "length"}


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("no_selling", "All sorted. Refer your colleague and you both get two months free."),
        ("no_selling", "Fixed! By the way, our new handsets start from 25 per month."),
        ("no_selling", "Recomienda a tus amigos y gana 20 € por cada uno."),
        ("no_selling", "Resolvido! Troque o seu celular antigo e ganhe até 150 €."),
        ("no_selling", "C'est réglé. Parrainez vos proches, c'est 20 € offerts."),
        ("no_selling", "Erledigt. Holen Sie sich jetzt unser neues Glasfaser-Paket."),
        ("no_selling", "Wir empfehlen Ihnen das neue Familien-Paket mit mehr Daten."),
        ("hostile_tone", "We're done here. Go pester somebody else."),
        ("hostile_tone", "Oh wonderful, another complaint about the same outage."),
        ("hostile_tone", "Y ahora resulta que la culpa es nuestra."),
        ("hostile_tone", "E agora a culpa é nossa? Não vamos continuar a responder."),
        ("hostile_tone", "Et maintenant ce serait notre faute ? Ce n'est pas la fin du monde."),
        ("hostile_tone", "Und jetzt sind wir schuld? Davon geht die Welt nicht unter."),
        ("no_condescension", "Didn't you read the email we sent last week?"),
        ("no_condescension", "Wie wir Ihnen bereits mehrmals erklärt haben, liegt es nicht an uns."),
        ("no_condescension", "Vous n'avez visiblement pas lu les conditions."),
        ("no_condescension", "Você não leu o nosso e-mail?"),
        ("no_sensitive_data_request", "We'll also need the expiry date of your card."),
        ("no_sensitive_data_request", "Send over a scan of your debit card, please."),
    ],
)
def test_other_phrasings_of_the_weak_spots_are_found(rule: str, text: str) -> None:
    assert rule in _rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's obvious that you're frustrated, and we're on it.",
        "Es evidente que estés molesto; lo revisamos hoy.",
        "The code we gave you should have worked; we've reset it.",
        "You should have received an SMS with the new settings.",
        "Could you DM us the last four digits of the card so we can find the payment?",
        "Nobody at Nimbus will ever ask you to share your PIN or password.",
        "Please upgrade your router's firmware from Settings, that fixes it.",
        "The upgrade of the mast near you is done.",
        "The new plan prices take effect in May; yours stays the same.",
        "Le code promo a expiré hier, nous vous avons remboursé la différence.",
        "The outage ends Sunday, we'll keep you posted.",
    ],
)
def test_their_look_alikes_pass(text: str) -> None:
    assert _rules(text) == set()
